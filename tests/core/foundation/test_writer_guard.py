"""One writer at a time across processes (issue 19): several writer processes and a checkpointing process on
one data directory never hold the write guard at the same time, lose no write, and leave a clean database."""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError
from inspector.storage import db as db_mod
from inspector.storage.db import open_store
from inspector.storage.guard import TRACE_ENV, guard_for, holder_path, statement_kind

ROOT = Path(__file__).resolve().parents[3]
WRITERS, WRITES, CHECKPOINTS = 3, 20, 30

# One writer process: every write is a unit of work that appends to the audit chain (the head read and the
# append in one guarded write transaction), with commit-time checkpoints made frequent.
WRITER = """
import sys
from pathlib import Path
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.security import audit
from inspector.security.actor import SYSTEM
from inspector.storage import guard
from inspector.storage.db import open_store

guard.CHECKPOINT_PAGES = 4
store = open_store(DataDir(Path(sys.argv[1])), backup=False)
for i in range(int(sys.argv[2])):
    with store.session() as s:
        audit.record_event(s, actor=SYSTEM, action="settings.change", entity="test", entity_id=i,
                           clock=Clock(), source="system", new={"i": i})
store.close()
"""

# The checkpointing process: checkpoints (some of them resetting the WAL) with reads in between.
CHECKPOINTER = """
import sys
from pathlib import Path
from sqlalchemy import text
from inspector.datadir import DataDir
from inspector.storage.db import open_store

store = open_store(DataDir(Path(sys.argv[1])), backup=False)
for i in range(int(sys.argv[2])):
    store.checkpoint("TRUNCATE" if i % 5 == 4 else "PASSIVE")
    with store.session() as s:
        s.execute(text("SELECT count(*) FROM audit_event")).one()
store.close()
"""

# Holds the guard until its standard input is closed.
HOLDER = """
import sys
from pathlib import Path
from inspector.storage import guard
guard.set_program("yard-inspector import-decisions")
g = guard.guard_for(Path(sys.argv[1]))
g.acquire(5)
print("held", flush=True)
sys.stdin.read()
g.release()
"""


def overlaps(lines: list[str]) -> list[str]:
    """What the trace shows two processes doing under the guard at once (empty when they took turns)."""
    problems: list[str] = []
    holder: str | None = None
    last = 0
    for n, line in enumerate(lines, 1):
        what, pid, stamp = line.split()
        if int(stamp) < last:
            problems.append(f"line {n}: time runs back")
        last = int(stamp)
        if what == "enter":
            if holder is not None:
                problems.append(f"line {n}: {pid} entered while {holder} held the guard")
            holder = pid
        elif what == "exit":
            if holder != pid:
                problems.append(f"line {n}: {pid} left a guard held by {holder}")
            holder = None
        elif holder != pid:
            problems.append(f"line {n}: {pid} {what} outside the guard (held by {holder})")
    if holder is not None:
        problems.append(f"{holder} never left the guard")
    return problems


def test_the_trace_reader_sees_an_overlap() -> None:
    assert overlaps(["enter 1 1", "checkpoint 1 2", "exit 1 3", "enter 2 4", "exit 2 5"]) == []
    assert overlaps(["enter 1 1", "enter 2 2", "exit 2 3", "exit 1 4"]) != []
    assert overlaps(["enter 1 1", "exit 1 2", "checkpoint 2 3"]) != []


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _start(processes: list[subprocess.Popen[str]], code: str, *args: str,
           env: dict[str, str] | None = None, stdin: int | None = None) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    processes.append(proc)
    return proc


def test_writers_and_a_checkpointer_take_turns_and_leave_a_clean_database(
    tmp_path: Path, processes: list[subprocess.Popen[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = DataDir(tmp_path / "yard").ensure()
    open_store(data_dir, backup=False).close()
    trace = tmp_path / "guard.trace"
    env = {**os.environ, TRACE_ENV: str(trace)}

    started = [_start(processes, WRITER, str(data_dir.root), str(WRITES), env=env) for _ in range(WRITERS)]
    started.append(_start(processes, CHECKPOINTER, str(data_dir.root), str(CHECKPOINTS), env=env))
    for proc in started:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    lines = trace.read_text(encoding="utf-8").splitlines()
    assert overlaps(lines) == []
    pids = {str(p.pid) for p in started}
    entered = [line.split()[1] for line in lines if line.startswith("enter ")]
    assert set(entered) == pids  # every process wrote or checkpointed under the guard
    checkpoints = [line.split()[1] for line in lines if line.startswith("checkpoint ")]
    assert checkpoints.count(str(started[-1].pid)) == CHECKPOINTS
    assert len(checkpoints) > CHECKPOINTS  # the writers checkpointed after their commits too

    # No write was lost or refused: the chain holds every append, link after link.
    con = sqlite3.connect(f"file:{data_dir.database}?mode=ro", uri=True)
    try:
        seqs = [row[0] for row in con.execute("SELECT seq FROM audit_event ORDER BY seq")]
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
    assert seqs == list(range(1, WRITERS * WRITES + 1))

    assert main(["check", "--data-dir", str(data_dir.root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["problems"] == []
    assert report["sqlite_version"] == sqlite3.sqlite_version


def test_a_writer_that_waits_too_long_is_told_who_holds_the_guard(
    tmp_path: Path, processes: list[subprocess.Popen[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = DataDir(tmp_path / "yard").ensure()
    store = open_store(data_dir, backup=False)
    holder = _start(processes, HOLDER, str(data_dir.database), stdin=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"

        with pytest.raises(EnvironmentProblemError) as info:
            guard_for(data_dir.database).acquire(0.05)
        assert info.value.code == "storage.writer_busy"
        assert info.value.params["holder"] == "yard-inspector import-decisions"
        assert info.value.params["pid"] == str(holder.pid)
        assert info.value.params["user"] == getpass.getuser()
        assert "import-decisions" in info.value.words("zh_CN") and "堆场" in info.value.words("zh_CN")

        # Reads never wait for the guard; a write through a unit of work does, and says who holds it.
        with store.session() as s:
            assert s.connection().exec_driver_sql("SELECT count(*) FROM audit_event").scalar() == 0
        store.close()
        monkeypatch.setattr(db_mod, "BUSY_TIMEOUT_MS", 50)
        store = open_store(data_dir, backup=False)
        with pytest.raises(EnvironmentProblemError) as info, store.session() as s:
            s.connection().exec_driver_sql("UPDATE audit_event SET reason = NULL WHERE 0")
        assert info.value.code == "storage.writer_busy"
        assert info.value.params["pid"] == str(holder.pid)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert holder.returncode == 0

    # Let go, the same write goes through at once.
    with store.session() as s:
        s.connection().exec_driver_sql("UPDATE audit_event SET reason = NULL WHERE 0")
    store.close()


def test_the_window_as_holder_is_named_in_the_readers_language(tmp_path: Path) -> None:
    database = tmp_path / "yard.db"
    record = {"program": "window", "user": "li", "pid": 7, "since": "2026-03-02T08:30:00+00:00"}
    holder_path(database).write_text(json.dumps(record), encoding="utf-8")
    busy = guard_for(database)._busy()
    assert "Yard Inspector 主窗口" in busy.words("zh_CN") and "进程 7" in busy.words("zh_CN")
    assert "the Yard Inspector window, run by li (process 7)" in busy.words("en")


@pytest.mark.parametrize(("sql", "kind"), [
    ("SELECT 1", "read"),
    ("  \n(SELECT 1)", "read"),
    ("PRAGMA quick_check", "read"),
    ("WITH x AS (SELECT 1) SELECT * FROM x", "read"),
    ("INSERT INTO t VALUES (1)", "dml"),
    ("update t set a = 1", "dml"),
    ("DELETE FROM t", "dml"),
    ("SAVEPOINT sa_savepoint_1", "dml"),
    ("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "dml"),
    ("CREATE TABLE t (a)", "write"),
    ("PRAGMA user_version = 3", "write"),
    ("PRAGMA wal_checkpoint(PASSIVE)", "write"),
])
def test_which_statements_write(sql: str, kind: str) -> None:
    assert statement_kind(sql) == kind
