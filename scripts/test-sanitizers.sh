#!/usr/bin/env bash
# test-sanitizers.sh: the unit test suites (no broker needed) under the address
# sanitizer and under the thread sanitizer, each in its own build folder.
# Exits non-zero on a failing test or any sanitizer report.
#
#   ./scripts/test-sanitizers.sh               address, then thread
#   ./scripts/test-sanitizers.sh thread        one sanitizer
#
# Environment:
#   SANITIZER_FILTER   swift test --filter (default: the unit test targets)
#
# Integration suites need the broker; run them under a sanitizer with, e.g.:
#   ./scripts/broker.sh run -- swift test --sanitize=thread --scratch-path .build-thread \
#       --no-parallel --filter IntegrationTests.ProducerTests
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
filter=${SANITIZER_FILTER:-"^(KafkaWireTests|KafkaClientTests|KafkaTrackingTests|KafkaTestingTests|MSKAuthTests)\."}

# A report fails the run: ASan aborts on the first error; TSan keeps going and exits 66.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:exitcode=66}

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
    swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --filter "$filter"
    echo "sanitizers: $sanitizer passed in $((SECONDS - start)) s"
done
