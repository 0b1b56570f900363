"""The core must run without Qt: importing every inspector module loads neither PySide6 nor ui."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import inspector


def _all_core_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(inspector.__path__, prefix="inspector.")
        # env and __main__ modules run on import (Alembic's environment, ``python -m``); they import no Qt.
        if ".migrations.versions" not in m.name
        and not m.name.endswith((".migrations.env", ".__main__"))
    )


def test_importing_the_core_loads_no_qt_and_no_ui() -> None:
    modules = _all_core_modules()
    assert len(modules) > 5
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the core imported Qt or ui: {out.stdout.strip()}"
