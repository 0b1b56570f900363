"""Strict, hermetic test setup: offscreen Qt, no real user folders, frozen clocks where asked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

# Before Qt or platformdirs is imported anywhere: no display, and no path into the real home folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The package cache stays the real one, so the install tests do not download everything again.
os.environ.setdefault(
    "UV_CACHE_DIR", str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "uv")
)
_HERMETIC_HOME = Path(tempfile.mkdtemp(prefix="yard-inspector-tests-home-"))
os.environ["HOME"] = str(_HERMETIC_HOME)
os.environ["XDG_DATA_HOME"] = str(_HERMETIC_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_HERMETIC_HOME / "config")
os.environ["XDG_CACHE_HOME"] = str(_HERMETIC_HOME / "cache")
os.environ["YARD_INSPECTOR_HOME"] = str(_HERMETIC_HOME / "default-data-dir")

import pytest  # noqa: E402

from inspector.clock import FixedClock  # noqa: E402
from inspector.datadir import DataDir  # noqa: E402
from inspector.storage.db import Store, open_store  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "yard").ensure()


@pytest.fixture
def store(data_dir: DataDir) -> Iterator[Store]:
    s = open_store(data_dir, backup=False)
    yield s
    s.close()


@pytest.fixture
def clock() -> FixedClock:
    """2026-03-02 08:30 UTC, 16:30 at the yard (UTC+8)."""
    return FixedClock(datetime(2026, 3, 2, 8, 30, tzinfo=UTC), offset_minutes=480)
