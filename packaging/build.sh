#!/usr/bin/env bash
# Build the one-folder application bundle in dist/yard-inspector/ and run its smoke test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
setup_env "test,package"
cd "$ROOT"
"$VENV/bin/pyinstaller" --noconfirm --clean --distpath dist --workpath build packaging/yard-inspector.spec
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" dist/yard-inspector/yard-inspector --smoke-test
echo "Built dist/yard-inspector/ (smoke test passed)."
