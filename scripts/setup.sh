# Shared by run-demo.sh and test.sh: find Python 3.11+, make sure the system libraries are there
# (installing them when run as root, else printing the exact apt-get line), then create .venv and
# install Yard Inspector into it. Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '%s\n' "$*" >&2; }

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# ensure_debs PKG...: install missing Debian packages as root, or say exactly what to run.
ensure_debs() {
  command -v dpkg-query >/dev/null 2>&1 || { say "Not a Debian/Ubuntu system: make sure these are installed: $*"; return 0; }
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
      say "apt-get failed; install these packages and run again: ${missing[*]}"; exit 1; }
  else
    say "These system packages are missing. Install them, then run this command again:"
    say "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
}

# Qt (offscreen), PDF tools used by the certificate tests, Python's venv module.
BASE_DEBS=(libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core poppler-utils)
# A real window on an X display.
GUI_DEBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
          libxkbcommon-x11-0 libxcb-xinerama0 libxcb-randr0)

setup_env() {
  local extras="$1"; shift
  PYTHON="$(find_python)" || {
    say "Yard Inspector needs Python 3.11 or newer; none was found."
    say "  Debian 12: sudo apt-get install -y python3 python3-venv"
    say "  Ubuntu 22.04: sudo apt-get install -y python3.11 python3.11-venv"
    exit 1; }
  local pyver; pyver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    ensure_debs "python${pyver}-venv"
  fi
  ensure_debs "${BASE_DEBS[@]}" "$@"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating $VENV with $PYTHON"
    "$PYTHON" -m venv "$VENV" || { rm -rf "$VENV"; say "Could not create the virtual environment."; exit 1; }
  fi
  # Reinstall only when pyproject.toml changed or the wanted extras are not there yet.
  local stamp; stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -f "$stamp" ] || { [ -n "$extras" ] && ! grep -qx "$extras" "$stamp"; }; then
    say "Installing Yard Inspector and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip >&2
    local target="$ROOT"; [ -n "$extras" ] && target="$ROOT[$extras]"
    "$VENV/bin/python" -m pip install -q -e "$target" >&2 || { say "pip install failed."; exit 1; }
    rm -f "$VENV"/.installed-* && printf '%s\n' "$extras" > "$stamp"
  fi
  "$VENV/bin/python" -c 'from ui.i18n import compile_translations; compile_translations()' >&2
}
