"""The window's file dialogs list the data folder without touching the database's locks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QFileInfo, QMimeDatabase

from ui.widgets.files import NamesOnlyIconProvider, _dialog

TAKE_WRITE_LOCK = ("import sqlite3, sys\n"
                   "c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
                   "c.execute('BEGIN IMMEDIATE')\n")


def _another_process_can_write(db: Path) -> bool:
    out = subprocess.run([sys.executable, "-c", TAKE_WRITE_LOCK, str(db)], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0 or "locked" in out.stderr, out.stderr
    return out.returncode == 0


@pytest.fixture
def locked_db(tmp_path: Path) -> Any:
    """A database this process holds the write lock of (as the window does while it writes)."""
    db = tmp_path / "yard.data"  # no suffix a type can be told from: the file would have to be read
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("CREATE TABLE t (x)")
    con.execute("BEGIN IMMEDIATE")
    assert not _another_process_can_write(db)
    yield db
    con.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX advisory locks")
def test_naming_a_listed_file_keeps_this_process_locks_on_it(qtbot: Any, locked_db: Path) -> None:
    provider = NamesOnlyIconProvider()
    info = QFileInfo(str(locked_db))
    assert provider.type(info) == "DATA file"
    assert not provider.icon(info).isNull()
    assert not _another_process_can_write(locked_db)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX advisory locks")
def test_what_the_dialog_would_do_otherwise_releases_them(qtbot: Any, locked_db: Path) -> None:
    # Qt's own way of typing a file reads it, and closing it drops the locks: why the provider exists.
    QMimeDatabase().mimeTypeForFile(str(locked_db))
    assert _another_process_can_write(locked_db)


def test_every_dialog_of_the_window_uses_the_provider(qtbot: Any) -> None:
    dialog = _dialog(None, "Choose", "", "PDF (*.pdf)")
    qtbot.addWidget(dialog)
    assert isinstance(dialog.iconProvider(), NamesOnlyIconProvider)


def test_no_screen_opens_a_file_dialog_of_its_own() -> None:
    ui = Path(__file__).resolve().parents[2] / "ui"
    others = [p for p in ui.rglob("*.py") if "QFileDialog" in p.read_text(encoding="utf-8")
              and p.name != "files.py"]
    assert others == [], f"use ui.widgets.files: {others}"
