#!/usr/bin/env bash
# docs.sh: build the DocC documentation of every public library, failing on any
# documentation warning (a broken symbol link, a missing article, ...).
#
#   ./scripts/docs.sh                       every catalog, into .build/plugins/Swift-DocC/outputs
#   ./scripts/docs.sh KafkaClient           one target
#   DOCS_OUTPUT=site ./scripts/docs.sh      also copy each archive to site/<Target>.doccarchive
#
# Uses swift-docc-plugin (a package dependency) and the toolchain's docc. CI runs it
# from .ci/run; it takes a few minutes on 2 cores, most of it building the targets
# for their symbol graphs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(KafkaClient MSKAuth KafkaTracking KafkaTesting KafkaWire)
fi

# The configuration reference is generated from the README's property table; a
# stale one fails here as well as in ConfigurationReferenceTests.
python3 scripts/gen-config-reference.py
if ! git diff --quiet -- Sources/KafkaClient/Documentation.docc/ConfigurationReference.md 2>/dev/null; then
    echo "docs.sh: ConfigurationReference.md was stale; commit the regenerated file" >&2
    exit 1
fi

for target in "${targets[@]}"; do
    start=$(date +%s)
    swift package --disable-sandbox generate-documentation --target "$target" --warnings-as-errors
    echo "docs.sh: $target documented in $(( $(date +%s) - start ))s"
    if [ -n "${DOCS_OUTPUT:-}" ]; then
        mkdir -p "$DOCS_OUTPUT"
        rm -rf "$DOCS_OUTPUT/$target.doccarchive"
        cp -R ".build/plugins/Swift-DocC/outputs/$target.doccarchive" "$DOCS_OUTPUT/"
    fi
done
