#!/usr/bin/env bash
# Set everything up and run every check: ruff, mypy (strict on inspector/) and the whole test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/core -x
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_env test
cd "$ROOT"
echo "== ruff"
"$VENV/bin/ruff" check .
echo "== mypy (strict, inspector/)"
"$VENV/bin/mypy"
echo "== pytest"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
