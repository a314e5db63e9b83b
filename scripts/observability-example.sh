#!/usr/bin/env bash
# observability-example.sh: build and run Examples/Observability against a fresh
# Tansu, with a local OTLP/HTTP sink, and check what it exports:
#   - the Prometheus text it prints has request latency and records-sent series;
#   - the sink received a `publish` (producer) span and a `process` (consumer)
#     span of the same trace, the process span a child of the publish span.
#
#   ./scripts/observability-example.sh              build, run, check
#   ./scripts/observability-example.sh --skip-build run the binary built before
#
# The first build compiles swift-otel (OTLP/HTTP only) and swift-prometheus: about
# 7 minutes on 2 cores. Exits non-zero when a check fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PACKAGE=Examples/Observability

if [ "${1:-}" != "--skip-build" ]; then
    start=$SECONDS
    swift build --package-path "$PACKAGE"
    echo "observability-example.sh: built in $((SECONDS - start)) s" >&2
fi
binary=$(swift build --package-path "$PACKAGE" --show-bin-path)/observability-example
[ -x "$binary" ] || { echo "observability-example.sh: $binary not built" >&2; exit 1; }

"$ROOT/scripts/broker.sh" install
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$PACKAGE/otlp-sink.py" "$port" >"$work/spans.txt" 2>&1 &
sink=$!
trap 'kill "$sink" 2>/dev/null || true; rm -rf "$work"' EXIT

# A crashed example must not hold CI: kill it after two minutes.
status=0
"$ROOT/scripts/broker.sh" run -- env OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port" \
    timeout --signal=KILL 120 "$binary" >"$work/output.txt" 2>&1 || status=$?
cat "$work/output.txt"
echo "--- spans received by the OTLP sink"
cat "$work/spans.txt"
[ "$status" -eq 0 ] || { echo "observability-example.sh: the example exited with $status" >&2; exit 1; }

failed=0
for series in 'kafka_client_request_latency_count{' 'kafka_producer_records_sent_total{' 'kafka_client_bytes_sent_total{'; do
    grep -qF "$series" "$work/output.txt" || { echo "observability-example.sh: no $series series in the Prometheus text" >&2; failed=1; }
done
python3 - "$work/spans.txt" <<'PY' || failed=1
import re, sys
spans = [dict(re.findall(r"(\w+)=(\S+)", line), name=line.split(" kind=")[0][5:])
         for line in open(sys.argv[1]) if line.startswith("SPAN ")]
publish = [s for s in spans if s["name"].endswith(" publish") and s["kind"] == "producer"]
process = [s for s in spans if s["name"].endswith(" process") and s["kind"] == "consumer"]
linked = [(p, c) for p in publish for c in process if p["trace"] == c["trace"] and c["parent"] == p["span"]]
if not linked:
    sys.exit("observability-example.sh: no process span continues a publish span's trace")
print(f"observability-example.sh: trace {linked[0][0]['trace']} runs from the producer's publish span to the consumer's process span")
PY
exit "$failed"
