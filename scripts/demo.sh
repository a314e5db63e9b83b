#!/usr/bin/env bash
# demo.sh: start the embedded broker, run the kafka-demo program against it, stop the broker.
#
#   ./scripts/demo.sh [demo arguments...]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/dependencies.sh
source "$ROOT/scripts/lib/dependencies.sh"

command -v swift >/dev/null 2>&1 || { deps_say "swift not found on PATH (Swift 6.1 or later is required)"; exit 1; }
ensure_apt_packages
"$ROOT/scripts/broker.sh" install

exec "$ROOT/scripts/broker.sh" run -- swift run kafka-demo "$@"
