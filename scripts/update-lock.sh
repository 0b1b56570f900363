#!/usr/bin/env bash
# Move the lock forward on purpose: resolve uv.lock again to the newest releases that the ranges in
# pyproject.toml allow, pin the wheel build's backend and uv itself the same way, install the result and
# run every check against it. What moved is printed at the end and kept in lock-changes.txt: put it in the
# message of the commit that moves the lock. A failing check means a release broke something: fix it, or
# narrow the range in pyproject.toml and say why there, before the new lock is committed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
ensure_python
ensure_uv
changes="$ROOT/lock-changes.txt"

# The packages of the application and its checks.
status=0
"$UV" lock --upgrade --python "$PYTHON" --no-python-downloads 2> "$changes.log" || status=$?
cat "$changes.log" >&2
[ "$status" -eq 0 ] || { rm -f "$changes.log"; exit "$status"; }
grep -E '^(Updated|Added|Removed) ' "$changes.log" > "$changes" || true
rm -f "$changes.log"

# The wheel build's setuptools and wheel (newest), and its PySide6 (the lock's, so lrelease is the same).
"$PYTHON" - "$UV" <<'PY' >> "$changes"
import re, subprocess, sys, tomllib
from pathlib import Path

uv = sys.argv[1]
lock = tomllib.loads(Path("uv.lock").read_text(encoding="utf-8"))
pins = {p["name"]: p.get("version", "") for p in lock["package"]}
newest = subprocess.run([uv, "pip", "compile", "-q", "--no-header", "--no-annotate", "-"],
                        input="setuptools\nwheel\n", capture_output=True, text=True, check=True).stdout
for line in newest.splitlines():
    name, _, version = line.partition("==")
    if name in ("setuptools", "wheel"):
        pins[name] = version.strip()
pyproject = Path("pyproject.toml")
text = pyproject.read_text(encoding="utf-8")
old = re.search(r"^build-constraint-dependencies = \[(.*)\]$", text, re.M)
assert old, "pyproject.toml has no build-constraint-dependencies line under [tool.uv]"
wanted = {"setuptools": "setuptools", "wheel": "wheel", "PySide6-Essentials": "pyside6-essentials"}
new = ", ".join(f'"{name}=={pins[key]}"' for name, key in wanted.items())
if old.group(1) != new:
    print(f"Build constraints: {old.group(1)} -> {new}")
    pyproject.write_text(text.replace(old.group(0), f"build-constraint-dependencies = [{new}]"),
                         encoding="utf-8")
PY
"$UV" lock --quiet --python "$PYTHON" --no-python-downloads  # the lock records the build constraints too

# uv itself, with its hashes.
before="$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' scripts/uv-requirements.txt)"
{ sed -n '1,2p' scripts/uv-requirements.txt
  echo uv | "$UV" pip compile -q --universal --generate-hashes --no-header --no-annotate - ; } > scripts/uv-requirements.txt.new
mv scripts/uv-requirements.txt.new scripts/uv-requirements.txt
after="$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' scripts/uv-requirements.txt)"
[ "$before" = "$after" ] || echo "Updated uv v$before -> v$after" >> "$changes"

if [ ! -s "$changes" ]; then
  say "The lock is already at the newest releases; nothing moved."
  rm -f "$changes"
  exit 0
fi
say "Moved (also in $changes, for the commit message):"
cat "$changes" >&2
say "Running every check against the new lock."
exec "$ROOT/scripts/test.sh"
