"""Where the shipped resources (rule sets, fonts, translations, icons) are, in a source tree or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from inspector.errors import EnvironmentProblemError


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller in a built app
    if bundle:
        return Path(bundle) / "resources"
    installed = Path(__file__).resolve().parent / "_resources"  # an installed wheel (see setup.py)
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "resources"  # a source checkout


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource; a missing one is an installation problem, said in words."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise EnvironmentProblemError(
            f"A file the application needs is missing: {path}.",
            hint="The installation is incomplete; reinstall Yard Inspector.",
        )
    return path
