"""Helpers for running the installed command in child processes, as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def user_env(**extra: str) -> dict[str, str]:
    """The environment a user's shell gives: Python's default warning filters, bytecode as usual."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONWARNINGS")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


def run_command(*args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    """``yard-inspector ARGS`` through ``ui.entry`` in a fresh interpreter, with ``env`` added."""
    entry = "import sys; from ui.entry import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", entry, *args], cwd=REPO, env=user_env(**env),
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def uv() -> Path:
    """The uv that scripts/setup.sh installs (or one on PATH)."""
    found = REPO / ".tools" / "bin" / "uv"
    if found.is_file():
        return found
    on_path = shutil.which("uv")
    if on_path is None:
        pytest.fail("uv is missing: run scripts/test.sh, which installs it into .tools/")
    return Path(on_path)
