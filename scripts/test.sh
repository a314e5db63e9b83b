#!/usr/bin/env bash
# test.sh: build and run the whole test suite against fresh brokers.
#
#   ./scripts/test.sh                       every suite on Tansu, then the integration
#                                           suites on a 3-broker kfake (when ../shared has it)
#   ./scripts/test.sh --broker tansu        one broker only (also: KAFKA_TEST_BROKERS=tansu);
#   ./scripts/test.sh --broker kfake        the first pass always runs every suite
#   ./scripts/test.sh --filter Transport    other arguments go to `swift test` in each pass
#
# Installs missing Debian packages (when root) and Python interop peers, builds once,
# then per broker: starts it (scripts/broker.sh, scripts/kfake.sh), runs `swift test`
# with KAFKA_BOOTSTRAP_SERVERS and KAFKA_TEST_BROKER set, and stops it. Prints what
# ran, passed, failed and was skipped per broker, and exits non-zero if any pass failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/dependencies.sh
source "$ROOT/scripts/lib/dependencies.sh"

brokers=${KAFKA_TEST_BROKERS:-}
passthrough=()
while [ $# -gt 0 ]; do
    case "$1" in
        --broker) [ $# -ge 2 ] || { deps_say "--broker needs tansu, kfake or all"; exit 2; }; brokers=$2; shift 2 ;;
        --broker=*) brokers=${1#--broker=}; shift ;;
        *) passthrough+=("$1"); shift ;;
    esac
done

if [ -z "$brokers" ] || [ "$brokers" = all ]; then
    if "$ROOT/scripts/kfake.sh" available; then
        brokers="tansu kfake"
    else
        brokers="tansu"
        deps_say "kfake not found (../shared/brokers/kfake): running on Tansu only"
    fi
fi
brokers=${brokers//,/ }
for broker in $brokers; do
    case "$broker" in
        tansu) ;;
        kfake) "$ROOT/scripts/kfake.sh" available || { deps_say "--broker kfake: ../shared/brokers/kfake not found"; exit 2; } ;;
        *) deps_say "unknown broker '$broker' (tansu, kfake or all)"; exit 2 ;;
    esac
done

command -v swift >/dev/null 2>&1 || { deps_say "swift not found on PATH (Swift 6.1 or later is required)"; exit 1; }
ensure_apt_packages
ensure_python_peers "$ROOT"
"$ROOT/scripts/broker.sh" install
swift build --build-tests

logs=$(mktemp -d)
summary=()
failed=0
first=1
for broker in $brokers; do
    args=(--skip-build --no-parallel)
    if [ $first -eq 0 ] && [ ${#passthrough[@]} -eq 0 ]; then
        # Later passes: only the suites that talk to the broker. The in-process fake
        # cluster's suites and the broker script's own tests do not depend on it.
        args+=(--filter IntegrationTests --skip 'IntegrationTests\.(FakeCluster|BrokerScriptTests)')
    fi
    args+=(${passthrough[@]+"${passthrough[@]}"})
    log="$logs/$broker.log"
    echo "==> test.sh: $broker: swift test ${args[*]}" >&2
    status=0
    # Serially: many tests start Python peers, TLS and SASL fronts and brokers; in
    # parallel on a small machine they starve each other.
    if [ "$broker" = tansu ]; then
        "$ROOT/scripts/broker.sh" run -- env KAFKA_TEST_BROKER=tansu swift test "${args[@]}" 2>&1 | tee "$log" || status=$?
    else
        "$ROOT/scripts/kfake.sh" run -- swift test "${args[@]}" 2>&1 | tee "$log" || status=$?
    fi
    [ "$status" -eq 0 ] || failed=1
    summary+=("$(python3 "$ROOT/scripts/lib/test_summary.py" "$broker" "$status" < "$log")")
    first=0
done

echo
echo "test.sh: per broker"
printf '  %s\n' "${summary[@]}"
python3 "$ROOT/scripts/lib/test_summary.py" --total "$logs"/*.log
rm -rf "$logs"
exit "$failed"
