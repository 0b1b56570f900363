# Shared by run-demo.sh and test.sh: find Python 3.11+, make sure the system libraries are there
# (installing them when run as root, else printing the exact apt-get line), then create .venv and
# install Yard Inspector into it exactly as uv.lock pins it. Sourced, not run.

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

# Qt (offscreen) and the PDF tools the certificate tests use.
BASE_DEBS=(libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core poppler-utils)
# The tests also read the printed QR codes back.
TEST_DEBS=(zbar-tools)
# A real window on an X display.
GUI_DEBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
          libxkbcommon-x11-0 libxcb-xinerama0 libxcb-randr0)

# uv installs the lock file; it lives in its own small environment, pinned with hashes.
TOOLS="$ROOT/.tools"
UV="$TOOLS/bin/uv"

ensure_uv() {
  local want; want="$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' "$ROOT/scripts/uv-requirements.txt")"
  if [ -x "$UV" ] && [ "$("$UV" --version 2>/dev/null | cut -d' ' -f2)" = "$want" ]; then
    return 0
  fi
  say "Installing uv $want (the installer of the lock file) into $TOOLS"
  rm -rf "$TOOLS"
  "$PYTHON" -m venv "$TOOLS" || { rm -rf "$TOOLS"; say "Could not create $TOOLS."; exit 1; }
  "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
    -r "$ROOT/scripts/uv-requirements.txt" >&2 || { rm -rf "$TOOLS"; say "Could not install uv."; exit 1; }
}

# ensure_python: PYTHON is a Python 3.11+ that can make virtual environments.
ensure_python() {
  PYTHON="$(find_python)" || {
    say "Yard Inspector needs Python 3.11 or newer; none was found."
    say "  Debian 12: sudo apt-get install -y python3 python3-venv"
    say "  Ubuntu 22.04: sudo apt-get install -y python3.11 python3.11-venv"
    exit 1; }
  local pyver; pyver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    ensure_debs "python${pyver}-venv"
  fi
}

# setup_env EXTRAS [DEB...]: the system packages, then .venv made exactly as uv.lock says (with the
# optional dependency groups named in EXTRAS, comma-separated), then the compiled translations.
setup_env() {
  local extras="$1"; shift
  ensure_python
  ensure_debs "${BASE_DEBS[@]}" "$@"
  ensure_uv
  local flags=(--locked --python "$PYTHON" --no-python-downloads)
  local extra
  for extra in ${extras//,/ }; do flags+=(--extra "$extra"); done
  # With no extras (running the app) keep whatever else is installed, so the app and the tests do not
  # uninstall each other's packages; with extras, the environment is made exactly the lock's.
  [ -z "$extras" ] && flags+=(--inexact)
  UV_PROJECT_ENVIRONMENT="$VENV" "$UV" sync -q "${flags[@]}" --project "$ROOT" >&2 || {
    say "Installing from uv.lock failed (see above)."; exit 1; }
  # The window's translations, compiled from resources/i18n/*.ts (a wheel build does the same).
  "$VENV/bin/python" -m ui.i18n_compile >&2
}
