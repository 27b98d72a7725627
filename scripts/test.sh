#!/usr/bin/env bash
# Installs what is missing, builds Folio and runs every test (unit, layout, visual, text and the
# RML compatibility floor).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build --parallel --num-workers 2
