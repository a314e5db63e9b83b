#!/usr/bin/env bash
# fuzz.sh: build the libFuzzer targets in Fuzz/ (with the address sanitizer) and
# run each one for a while on its seed corpus. Exits non-zero if any target finds
# a crash, trap, leak, timeout or over-limit allocation; the input that did it
# is saved under fuzz-out/ (reproduce: <binary> fuzz-out/<target>-crash-...).
#
#   ./scripts/fuzz.sh                          every target, 25 s each
#   FUZZ_SECONDS=600 ./scripts/fuzz.sh sasl    one target, ten minutes
#
# Environment:
#   FUZZ_SECONDS      seconds per target (default 25)
#   FUZZ_CORPUS_DIR   keep the grown corpus here across runs (default: a temporary folder)
#   FUZZ_SCRATCH      build folder (default .build-fuzz)
#   FUZZ_ARGS         extra libFuzzer flags
#
# Seeds: Fuzz/Corpus/<target>/ (committed, made with our encoders), plus, when
# ../shared/wire-frames exists, its recorded frames for the messages target.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

seconds=${FUZZ_SECONDS:-25}
scratch=${FUZZ_SCRATCH:-$ROOT/.build-fuzz}
out="$ROOT/fuzz-out"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(messages record-batches decompression sasl msk-auth)

build=(swift build -c debug --package-path Fuzz --scratch-path "$scratch"
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
# Swift's crash backtracer reads memory in ways ASan reports as a second error; libFuzzer prints the stack.
export SWIFT_BACKTRACE=enable=no

mkdir -p "$out"
for target in "${targets[@]}"; do
    if ! "${build[@]}" --product "fuzz-$target" >"$out/build.log" 2>&1; then
        grep -E "error" "$out/build.log" || tail -20 "$out/build.log"
        exit 1
    fi
    grep -E "warning: " "$out/build.log" | grep -v "CMakeLists\|unhandled\|Cannot export local symbol" || true
done
bin=$("${build[@]}" --show-bin-path)

temporary=$(mktemp -d)
trap 'rm -rf "$temporary"' EXIT

# Recorded frames (JSON lines, base64 frames) in the messages target's input format:
# kind (0 request, 1 response), api key, api version, frame.
wire_frames() {
    local destination=$1 recordings="$ROOT/../shared/wire-frames"
    [ -d "$recordings" ] || { echo "fuzz: no ../shared/wire-frames; committed seeds only"; return 0; }
    command -v python3 >/dev/null || { echo "fuzz: python3 not found; skipping recorded frames"; return 0; }
    python3 - "$recordings" "$destination" <<'PY'
import base64, glob, gzip, hashlib, json, os, struct, sys
source, destination = sys.argv[1], sys.argv[2]
count = 0
for path in glob.glob(os.path.join(source, "*.jsonl.gz")):
    with gzip.open(path, "rt") as lines:
        for line in lines:
            entry = json.loads(line)
            kind = 0 if entry["dir"] == "request" else 1
            data = struct.pack(">Bhh", kind, entry["api_key"], entry["api_version"]) + base64.b64decode(entry["frame"])
            with open(os.path.join(destination, "frame-" + hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
            count += 1
print(f"fuzz: {count} recorded frames added to the messages corpus")
PY
}

failed=()
summary=()
for target in "${targets[@]}"; do
    corpus=${FUZZ_CORPUS_DIR:+$FUZZ_CORPUS_DIR/$target}
    corpus=${corpus:-$temporary/$target}
    mkdir -p "$corpus"
    cp -n "Fuzz/Corpus/$target/"* "$corpus/" 2>/dev/null || true
    [ "$target" != messages ] || wire_frames "$corpus"
    log="$out/$target.log"
    echo "fuzz: $target for ${seconds}s (log: $log)"
    status=0
    # -malloc_limit_mb: one allocation over 512 MiB is a finding (a length from the
    # input trusted before it was checked against the bytes there are).
    # shellcheck disable=SC2086
    "$bin/fuzz-$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=512 \
        -timeout=60 -print_final_stats=1 -artifact_prefix="$out/$target-" ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
    units=$(find "$corpus" -type f | wc -l)
    summary+=("$(printf '%-16s %10s execs  %-22s corpus %6s  exit %s' "$target" "$runs" "${coverage:-cov: ?}" "$units" "$status")")
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        grep -E "ERROR|Fatal error|SUMMARY|Test unit written" "$log" | head -20 || true
    fi
done

echo
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (inputs and logs in fuzz-out/)"
    exit 1
fi
echo "fuzz: no crashes"
