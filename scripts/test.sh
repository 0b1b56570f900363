#!/usr/bin/env bash
# Set everything up and run every check: ruff, mypy (strict on inspector/) and the whole test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/core -x
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_env test "${TEST_DEBS[@]}"
cd "$ROOT"
echo "== ruff"
"$VENV/bin/ruff" check .
echo "== mypy (strict, inspector/)"
"$VENV/bin/mypy"
export QT_QPA_PLATFORM=offscreen
pytest() { "$VENV/bin/python" -X faulthandler -m pytest -p no:cacheprovider "$@"; }
if [ $# -gt 0 ]; then
  echo "== pytest $*"
  pytest "$@"
  exit
fi
# The core and the Qt front end run in separate processes: the core never needs Qt. A native crash in
# either fails the run (set -e): it is a bug to find, never something to run again.
echo "== pytest tests/core"
pytest tests/core
echo "== pytest tests/ui"
pytest tests/ui
# The install itself: the lock, the wheel built and installed apart, what a user sees when commands start.
# The wheel test installs with uv from the same cache as setup.sh (tests/conftest.py keeps it).
echo "== pytest tests/install"
pytest tests/install
