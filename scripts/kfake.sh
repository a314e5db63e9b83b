#!/usr/bin/env bash
# kfake.sh: franz-go's kfake (a strict in-memory Kafka cluster) for tests, from ../shared.
#
#   scripts/kfake.sh available               exit 0 when ../shared/brokers/kfake is there
#   scripts/kfake.sh run -- CMD...           start a 3-broker cluster, run CMD with
#                                            KAFKA_BOOTSTRAP_SERVERS (every broker) and
#                                            KAFKA_TEST_BROKER=kfake, always stop it,
#                                            exit with CMD's status
#
# Environment (optional):
#   KAFKA_SHARED_DIR   the shared folder (default: <repo>/../shared)
#   KFAKE_ARGS         extra kfake-broker flags for `run` (space-separated)
#   KFAKE_LOG          the broker's log (default: a file in $TMPDIR)
#
# The cluster auto-creates topics from Metadata (as Tansu does), and answers KIP-848
# heartbeats every 500 ms so group tests settle in seconds rather than the default 5 s.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${KAFKA_SHARED_DIR:-$(cd "$ROOT/.." && pwd)/shared}
LAUNCHER=$SHARED/brokers/kfake/kfake.sh

say() { echo "kfake.sh: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

cmd_available() { [ -f "$LAUNCHER" ]; }

cmd_run() {
    [ $# -gt 0 ] && [ "$1" = "--" ] || die "usage: kfake.sh run -- CMD..."
    shift
    [ $# -gt 0 ] || die "usage: kfake.sh run -- CMD..."
    cmd_available || die "kfake not found at $LAUNCHER"
    command -v xz >/dev/null 2>&1 || die "xz is needed to unpack kfake (apt-get install -y xz-utils)"
    local extra=()
    # shellcheck disable=SC2206 # word splitting of KFAKE_ARGS is the point
    [ -n "${KFAKE_ARGS:-}" ] && extra=(${KFAKE_ARGS})
    local started
    started=$(KFAKE_LOG=${KFAKE_LOG:-${TMPDIR:-/tmp}/kfake-test-$$.log} bash "$LAUNCHER" \
        -ports 0,0,0 -auto-create -c group.consumer.heartbeat.interval.ms=500 "${extra[@]}") \
        || die "kfake did not start"
    KFAKE_PID=${started%% *}
    local addresses=${started#* }
    # Global, so the EXIT trap still sees it after this function returns.
    trap 'kill "$KFAKE_PID" 2>/dev/null || true' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    say "3 brokers at $addresses (pid $KFAKE_PID)"
    local status=0
    KAFKA_BOOTSTRAP_SERVERS=$addresses KAFKA_TEST_BROKER=kfake "$@" || status=$?
    return "$status"
}

[ $# -gt 0 ] || usage
command=$1; shift
case "$command" in
    available) cmd_available ;;
    run) cmd_run "$@" ;;
    *) usage ;;
esac
