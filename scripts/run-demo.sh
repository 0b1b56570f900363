#!/usr/bin/env bash
# Set everything up, build the demo yard (once) and open Yard Inspector on it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_env "" "${GUI_DEBS[@]}"
DEMO_DIR="${YARD_INSPECTOR_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/yard-inspector-demo}"
if [ ! -f "$DEMO_DIR/yard.db" ]; then
  "$VENV/bin/yard-inspector" demo --data-dir "$DEMO_DIR"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  say "No display found (DISPLAY is not set). Run this from a desktop session, or under Xvfb:"
  say "  xvfb-run -a $0"
  exit 1
fi
# The demo weighbridge: an indicator simulator sending one truck after another (loaded, then empty), on
# the port the demo yard is configured with. It stops when the app closes.
"$VENV/bin/yard-inspector" scale simulate --profile toledo-continuous --scenario trucks --weight 32000 \
  --division 20 --capacity 100000 --link "$DEMO_DIR/scale-simulator" >/dev/null &
SIMULATOR=$!
trap 'kill $SIMULATOR 2>/dev/null' EXIT
"$VENV/bin/yard-inspector" --data-dir "$DEMO_DIR" "$@"
