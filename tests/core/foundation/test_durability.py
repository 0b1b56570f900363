"""Promises P1, P21, P22: acknowledged saves survive kill -9; settings and audit triggers are in place."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inspector.datadir import DataDir
from inspector.storage import db
from inspector.storage.db import Store

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from inspector.clock import Clock
    from inspector.datadir import DataDir
    from inspector.security.actor import SYSTEM
    from inspector.services import yard as svc
    from inspector.storage.db import open_store

    store = open_store(DataDir(Path(sys.argv[1])), backup=False)
    clock = Clock()
    with store.session() as s:
        svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="kill test")
        supplier = svc.add_supplier(s, actor=SYSTEM, clock=clock, name="s", uscc="91350100M000100Y43")
    while True:
        with store.session() as s:
            load = svc.register_arrival(s, actor=SYSTEM, clock=clock, plate="赣B12345",
                                        supplier_id=supplier.id)
            ticket = load.ticket_no
        print(ticket, flush=True)  # printed only after COMMIT returned: an acknowledged save
    """
)


def test_kill_9_during_saves_loses_no_acknowledged_record(tmp_path: Path) -> None:
    root = tmp_path / "yard"
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(root)], stdout=subprocess.PIPE, text=True)
    acknowledged = []
    try:
        assert child.stdout is not None
        while len(acknowledged) < 40:
            line = child.stdout.readline()
            assert line, "the writer stopped before it was killed"
            acknowledged.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    con = sqlite3.connect(root / "yard.db")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in con.execute("SELECT ticket_no FROM load")}
    finally:
        con.close()
    assert set(acknowledged) <= stored


def test_audit_triggers_are_present_after_all_migrations(data_dir: DataDir, store: Store) -> None:
    con = sqlite3.connect(data_dir.database)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        con.close()
    assert {"audit_event_no_update", "audit_event_no_delete"} <= names


def test_an_old_sqlite_is_named_in_the_log(
    data_dir: DataDir, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.sqlite3, "sqlite_version_info", (3, 40, 1))
    with caplog.at_level("WARNING", logger="inspector.storage.db"):
        db.open_store(data_dir, backup=False).close()
    assert "WAL-reset" in caplog.text
