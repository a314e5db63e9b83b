#!/usr/bin/env bash
# test-rdk-mock.sh: the transaction tests again, against librdkafka's mock cluster
# (three brokers, so the transaction coordinator, the group coordinator and the
# partition leaders sit on different brokers). CI runs it before test.sh.
#
# KIP-848 groups run on kfake (test.sh's second pass) instead: the mock aborts on a
# ConsumerGroupHeartbeat that carries topic names with a null SubscribedTopicRegex
# (it asserts that both come together), which is what the Java client sends; an
# empty regex instead makes kfake match every topic.
#
# Needs ../shared/peers (the librdkafka harness); skips with a message without it.
# Builds rdk_mock into .peers-bin, starts a 3-broker cluster, runs the suites with
# KAFKA_BOOTSTRAP_SERVERS pointing at it, and stops it again.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PEERS="$ROOT/../shared/peers"
if [[ ! -x "$PEERS/build.sh" && ! -f "$PEERS/build.sh" ]]; then
    echo "test-rdk-mock: skipped: $PEERS (librdkafka harness) is not here"
    exit 0
fi
[[ -x "$ROOT/.peers-bin/rdk_mock" ]] || bash "$PEERS/build.sh" "$ROOT/.peers-bin"

log=$(mktemp)
coproc MOCK { exec "$ROOT/.peers-bin/rdk_mock" 3 2>"$log"; }
trap 'kill "$MOCK_PID" 2>/dev/null || true; rm -f "$log"' EXIT
read -r -t 20 bootstrap <&"${MOCK[0]}"
echo "test-rdk-mock: librdkafka mock cluster at $bootstrap"

# The mock does not fence older epochs of a transactional id (Tansu does, and the
# main suite checks it there), so the fencing test is left out here.
KAFKA_BOOTSTRAP_SERVERS="$bootstrap" swift test --no-parallel \
    --filter 'TransactionalProducerTests' --skip 'fencing' "$@"
