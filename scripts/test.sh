#!/usr/bin/env bash
# test.sh: build and run the whole test suite against a fresh embedded broker.
#
#   ./scripts/test.sh                     everything
#   ./scripts/test.sh --filter Transport  extra arguments go to `swift test`
#
# Installs missing Debian packages (when root) and Python interop peers, starts
# Tansu on a free port via scripts/broker.sh, runs `swift test` with
# KAFKA_BOOTSTRAP_SERVERS set, stops the broker, and exits with swift test's status.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/dependencies.sh
source "$ROOT/scripts/lib/dependencies.sh"

command -v swift >/dev/null 2>&1 || { deps_say "swift not found on PATH (Swift 6.1 or later is required)"; exit 1; }
ensure_apt_packages
ensure_python_peers "$ROOT"
"$ROOT/scripts/broker.sh" install

# Serially: many tests start Python peers, TLS and SASL fronts and brokers, and
# run against one broker; in parallel on a small machine they starve each other.
exec "$ROOT/scripts/broker.sh" run -- swift test --no-parallel "$@"
