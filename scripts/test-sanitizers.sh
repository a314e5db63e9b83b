#!/usr/bin/env bash
# test-sanitizers.sh: the test suites under the address sanitizer and under the
# thread sanitizer, each in its own build folder. The unit suites need no broker;
# with --integration, the integration suites (the real-broker tests on a fresh
# Tansu, and the in-process fake cluster's) run too.
# Exits non-zero on a failing test or any sanitizer report.
#
#   ./scripts/test-sanitizers.sh                         address, then thread
#   ./scripts/test-sanitizers.sh thread                  one sanitizer
#   ./scripts/test-sanitizers.sh --integration thread    unit and integration suites under TSan
#
# Environment:
#   SANITIZER_FILTER       swift test --filter for the unit run (default: the unit test targets)
#   SANITIZER_INTEGRATION_FILTER, SANITIZER_INTEGRATION_SKIP
#                          --filter and --skip for the integration run
#   SANITIZER_TIMEOUT      seconds each `swift test` may take (default 1200). A test process
#                          that crashes under a sanitizer leaves `swift test` waiting for it
#                          forever; past the limit the whole process group is killed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

integration=0
sanitizers=()
for argument in "$@"; do
    case "$argument" in
        --integration) integration=1 ;;
        *) sanitizers+=("$argument") ;;
    esac
done
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
filter=${SANITIZER_FILTER:-"^(KafkaWireTests|KafkaClientTests|KafkaTrackingTests|KafkaTestingTests|MSKAuthTests)\."}
integration_filter=${SANITIZER_INTEGRATION_FILTER:-"^IntegrationTests\."}
# The broker script's own tests start and stop brokers of their own: nothing of ours to check.
# The million-record chaos soak took over 4 minutes under TSan without finishing; the
# other chaos suites (group failover, ChaosProxyTests) drive the same paths in seconds.
integration_skip=${SANITIZER_INTEGRATION_SKIP:-"^IntegrationTests\.(BrokerScriptTests|IdempotentProduceChaosTests)"}
limit=${SANITIZER_TIMEOUT:-1200}

# A report fails the run: ASan aborts on the first error; TSan keeps going and exits 66.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:exitcode=66}

# Runs `swift test` under the time limit; says so when the limit killed it.
bounded_swift_test() {
    local status=0
    timeout --signal=KILL "$limit" swift test "$@" || status=$?
    [ "$status" -ne 137 ] || echo "sanitizers: swift test was killed after $limit s (a crashed test process?)" >&2
    return "$status"
}

for sanitizer in "${sanitizers[@]}"; do
    scratch="$ROOT/.build-$sanitizer"
    echo "sanitizers: building the tests with --sanitize=$sanitizer in $scratch"
    start=$SECONDS
    mkdir -p "$scratch"
    log="$scratch/sanitizer-build.log"
    if ! swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" >"$log" 2>&1; then
        grep -E "error" "$log" || tail -20 "$log"
        exit 1
    fi
    grep -E "warning: " "$log" | grep -v "CMakeLists\|unhandled\|Cannot export local symbol" || true
    echo "sanitizers: built in $((SECONDS - start)) s"
    bounded_swift_test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --filter "$filter"
    echo "sanitizers: $sanitizer unit suites passed at $((SECONDS - start)) s"
    if [ "$integration" -eq 1 ]; then
        # Serially, as scripts/test.sh runs them: many start peers and fronts of their own.
        "$ROOT/scripts/broker.sh" install
        "$ROOT/scripts/broker.sh" run -- env KAFKA_TEST_BROKER=tansu \
            timeout --signal=KILL "$limit" swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" \
            --no-parallel --filter "$integration_filter" --skip "$integration_skip"
        echo "sanitizers: $sanitizer integration suites passed at $((SECONDS - start)) s"
    fi
done
