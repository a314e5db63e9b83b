#!/usr/bin/env bash
# demo.sh: start the embedded broker, run the producer and consumer examples against
# it (six records out, the same six read back in a consumer group), stop the broker.
#
#   ./scripts/demo.sh [topic]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/dependencies.sh
source "$ROOT/scripts/lib/dependencies.sh"

command -v swift >/dev/null 2>&1 || { deps_say "swift not found on PATH (Swift 6.1 or later is required)"; exit 1; }
ensure_apt_packages
"$ROOT/scripts/broker.sh" install

topic=${1:-demo-$(date +%s)}
swift build --product producer-example
swift build --product consumer-example
exec "$ROOT/scripts/broker.sh" run -- bash -c \
    'swift run --skip-build producer-example "$1" && swift run --skip-build consumer-example "$1" 6' demo "$topic"
