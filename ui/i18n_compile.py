"""Build step: compile the shipped ``.ts`` catalogs to the ``.qm`` files the window loads.

Run at build time, never at application start: by ``scripts/setup.sh`` for a source checkout
(``python -m ui.i18n_compile``), by the wheel build (``setup.py``) and before the PyInstaller bundle. It uses
the ``lrelease`` tool bundled in the PySide6 wheel and imports no Qt module, so the build can run it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# The catalogs' folder in a source tree; the installed package's copy is found by inspector.resources.
SOURCE_I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"


def qt_tool(name: str) -> Path | None:
    """A Qt tool (``lrelease``, ``lupdate``) from the PySide6 wheel, else the ``pyside6-`` wrapper on PATH."""
    import PySide6

    suffix = ".exe" if sys.platform == "win32" else ""
    bundled = Path(PySide6.__file__).resolve().parent / f"{name}{suffix}"
    if bundled.is_file() and os.access(bundled, os.X_OK):
        return bundled
    found = shutil.which(f"pyside6-{name}")
    return Path(found) if found else None


def stale_catalogs(directory: Path = SOURCE_I18N_DIR) -> list[Path]:
    """The ``.ts`` files whose ``.qm`` is missing or older than the source."""
    stale = []
    for ts in sorted(directory.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            stale.append(ts)
    return stale


def compile_translations(
    directory: Path = SOURCE_I18N_DIR, *, out_dir: Path | None = None, force: bool = False
) -> list[Path]:
    """Compile missing or stale ``.qm`` files (next to their ``.ts`` sources, or into ``out_dir``).

    Returns the files written. Raises ``RuntimeError`` when ``lrelease`` is missing or fails.
    """
    todo = sorted(directory.glob("*.ts")) if force or out_dir else stale_catalogs(directory)
    if not todo:
        return []
    tool = qt_tool("lrelease")
    if tool is None:
        raise RuntimeError("lrelease was not found (it ships in the PySide6 wheel); cannot compile "
                           + ", ".join(p.name for p in todo))
    written = []
    for ts in todo:
        qm = (out_dir / ts.name if out_dir else ts).with_suffix(".qm")
        qm.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0 or not qm.exists():
            output = result.stderr.strip() or result.stdout.strip()
            raise RuntimeError(f"lrelease failed on {ts.name}: {output}")
        written.append(qm)
    return written


if __name__ == "__main__":
    try:
        compile_translations()
    except RuntimeError as exc:
        print(f"Compiling the translations failed: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
