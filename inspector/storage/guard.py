"""One writer at a time across processes: the data directory's write guard.

SQLite before 3.51.3 (the yard runs 3.40) can corrupt a WAL database when two connections write or
checkpoint at the same moment (the WAL-reset bug). Every write transaction and every checkpoint of the yard's
database, in every process (the window's worker, the command line, a restore, the tests), therefore runs under
one exclusive lock of the data directory: ``<database>.writer.lock``, locked with ``filelock``'s descriptor
lock (``flock`` on Unix, ``LockFileEx`` on Windows), on a descriptor open while the lock is held.

- **When**: a connection takes the guard at its first write of a transaction (the engine hook in ``db.py``
  sees the statement), then opens the transaction with ``BEGIN IMMEDIATE``, so what it read from there on
  (the audit chain's head) cannot change under it. It lets go right after its commit or rollback, so the
  window and a command take turns. Reads never take it.
- **Checkpoints**: automatic checkpoints are off; the holder runs a PASSIVE checkpoint after its commit when
  the WAL file has grown past ``CHECKPOINT_PAGES`` pages (SQLite's own automatic point; a checkpoint after
  every commit would add a sync of the database file to each write, +0.3 ms here).
- **Who**: on acquiring, the holder writes who it is (program, user, process id, since when) to
  ``<database>.writer.holder``: one fixed-size record written in place with a single write (a write and
  rename cost 0.3 ms on ext4, more than everything else the guard does); a reader that finds a torn record
  reads again. A process that waits longer than the busy timeout says who holds the lock with
  ``storage.writer_busy`` instead of "database is locked".
- **Proof**: with ``YARD_INSPECTOR_WRITER_TRACE=<file>`` set, the guard appends ``enter``/``exit`` lines (and
  ``checkpoint`` ones) to that file while it holds the lock; ``tests/core/foundation/test_writer_guard.py``
  reads them to show that no two guarded sections ever overlapped.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import re
import sqlite3
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import lock_descriptor, unlock_descriptor

from inspector.errors import EnvironmentProblemError
from inspector.messages import Term, formats

log = logging.getLogger(__name__)

# How long a writer waits for SQLite's locks and for the write guard before it gives up.
BUSY_TIMEOUT_MS = 5000
# The WAL is checkpointed after a commit once it holds this many pages (SQLite's own automatic default).
CHECKPOINT_PAGES = 1000
# How often a waiting process tries the lock again.
POLL_SECONDS = 0.002
# The holder file's one record, padded to this size.
HOLDER_RECORD = 512
TRACE_ENV = "YARD_INSPECTOR_WRITER_TRACE"

_program: str | None = None


def set_program(name: str) -> None:
    """Name this process in the holder file ("window", or a command); otherwise it is guessed from argv."""
    global _program
    _program = name


def program_name() -> str:
    if _program is not None:
        return _program
    if "PySide6.QtWidgets" in sys.modules:
        return "window"
    base = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    words = [a for a in sys.argv[1:] if re.fullmatch(r"[a-z][a-z0-9-]*", a)]
    if base.startswith("yard-inspector") or base in ("__main__.py", "-m"):
        return f"yard-inspector {words[0]}" if words else "yard-inspector"
    return base


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".writer.lock")


def holder_path(database: Path) -> Path:
    return database.with_name(database.name + ".writer.holder")


def _since(iso: str) -> formats.Moment | str:
    """When the holder took the lock, as a time in the yard's local time (the machine's zone)."""
    try:
        utc = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    offset = datetime.now().astimezone().utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return formats.Moment(utc, minutes, seconds=True, zone_shown=True)


class WriterGuard:
    """The write lock of one database, shared by every connection of this process to it."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.lock_file = lock_path(database)
        self.holder_file = holder_path(database)
        self.wal_path = str(database) + "-wal"
        self._trace = os.environ.get(TRACE_ENV) or None
        self._who: str | None = None  # the holder record's JSON up to its "since"
        self._who_for: tuple[int, str | None] | None = None
        self._pid = os.getpid()
        # Threads of this process take turns on the mutex; processes on the file lock behind it.
        self._mutex = threading.Lock()
        self._fd = -1  # the lock file, open while the lock is held (closing it would let the lock go)

    def acquire(self, timeout: float) -> None:
        """Take the lock or raise ``storage.writer_busy`` after ``timeout`` seconds, naming its holder."""
        deadline = time.monotonic() + timeout
        if self._pid != os.getpid():  # a forked child: the parent's mutex may have been copied held
            self._pid, self._mutex = os.getpid(), threading.Lock()
        if not self._mutex.acquire(timeout=max(0.0, timeout)):
            raise self._busy()
        fd = -1
        try:
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
            while not lock_descriptor(fd, blocking=False):
                if time.monotonic() >= deadline:
                    raise self._busy()
                time.sleep(POLL_SECONDS)
        except BaseException:
            if fd >= 0:
                os.close(fd)
            self._mutex.release()
            raise
        self._fd = fd
        try:
            self._write_holder()
        except OSError as exc:  # who holds the lock is for the words of a wait; the write goes on without it
            log.warning("could not write %s: %s", self.holder_file, exc)
        self.trace("enter")

    def release(self) -> None:
        fd, self._fd = self._fd, -1
        try:
            self.trace("exit")
        finally:
            try:
                unlock_descriptor(fd)
            finally:
                os.close(fd)
                self._mutex.release()

    def trace(self, what: str) -> None:
        if self._trace is None:
            return
        line = f"{what} {os.getpid()} {time.monotonic_ns()}\n".encode()
        fd = os.open(self._trace, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def _write_holder(self) -> None:
        if self._who is None or self._who_for != (os.getpid(), _program):
            self._who_for = (os.getpid(), _program)
            self._who = self._who_am_i()
        since = datetime.now(UTC).isoformat(timespec="seconds")
        record = f'{self._who}, "since": "{since}"}}'.encode()[: HOLDER_RECORD - 1].ljust(HOLDER_RECORD - 1)
        # One write of the whole record, in place; not synced: it names the holder only while the lock is
        # held, and a holder that crashed let go of the lock with its process.
        fd = os.open(self.holder_file, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.write(fd, record + b"\n")
        finally:
            os.close(fd)

    def _who_am_i(self) -> str:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = str(os.getuid()) if hasattr(os, "getuid") else "?"
        who = json.dumps({"program": program_name(), "user": user, "pid": os.getpid()}, ensure_ascii=False)
        return who[:-1]

    def holder(self) -> dict[str, Any]:
        """Who holds the lock, as its holder wrote it (empty if that cannot be read)."""
        for _ in range(3):  # a record read while it was being written is read again
            try:
                info = json.loads(self.holder_file.read_bytes().decode("utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(info, dict):
                return info
        return {}

    def _busy(self) -> EnvironmentProblemError:
        info = self.holder()
        return EnvironmentProblemError(
            "storage.writer_busy",
            path=str(self.database),
            holder=Term("writer_program", "window") if info.get("program") == "window" else str(
                info.get("program", "?")),
            user=str(info.get("user", "?")),
            pid=str(info.get("pid", "?")),
            since=_since(str(info.get("since", "?"))),
        )


_guards: dict[str, WriterGuard] = {}
_guards_lock = threading.Lock()


def guard_for(database: Path) -> WriterGuard:
    """The one guard of ``database`` in this process."""
    key = os.path.realpath(database)
    with _guards_lock:
        guard = _guards.get(key)
        if guard is None:
            guard = _guards[key] = WriterGuard(Path(key))
        return guard


class WriterGuardedConnection(sqlite3.Connection):
    """A pysqlite connection that writes only under its database's guard (``db.make_engine`` makes these).

    The engine hook calls ``begin_write`` before the first writing statement; ``commit`` and ``rollback``
    let the guard go, after a checkpoint when the WAL has grown past ``CHECKPOINT_PAGES``.
    """

    guard: WriterGuard | None = None
    holding: bool = False
    timeout_seconds: float = BUSY_TIMEOUT_MS / 1000
    checkpoint_bytes: int = 0

    def setup_guard(self, guard: WriterGuard, timeout_seconds: float) -> None:
        self.guard = guard
        self.timeout_seconds = timeout_seconds
        self.holding = False
        page_size = int(self.execute("PRAGMA page_size").fetchone()[0])
        self.checkpoint_bytes = 32 + CHECKPOINT_PAGES * (24 + page_size)
        # After a checkpoint the next writer starts the WAL over and cuts the file back to this size: below
        # it, commits overwrite the file in place (cheaper to sync than a growing file); past it the file
        # grows, which is how the holder knows, from its size alone, that a checkpoint is due.
        self.execute(f"PRAGMA journal_size_limit={self.checkpoint_bytes}")

    def begin_write(self, *, immediate: bool = True) -> None:
        """Take the guard (if not held yet) and open the write transaction with ``BEGIN IMMEDIATE``."""
        if self.holding or self.guard is None:
            return
        self.guard.acquire(self.timeout_seconds)
        self.holding = True
        if immediate and not self.in_transaction:
            try:
                self.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._let_go()
                raise

    def commit(self) -> None:
        try:
            super().commit()
        except BaseException:
            # A failed commit leaves the transaction open: the rollback that follows lets the guard go.
            if self.holding and not self.in_transaction:
                self._let_go()
            raise
        if self.holding:
            try:
                self._checkpoint_if_grown()
            finally:
                self._let_go()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            if self.holding:
                self._let_go()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holding:
                self._let_go()

    def checkpoint(self, mode: str = "PASSIVE") -> tuple[int, int, int]:
        """Run a checkpoint under the guard (outside any transaction); SQLite's (busy, log, checkpointed)."""
        if mode not in ("PASSIVE", "FULL", "RESTART", "TRUNCATE"):
            raise ValueError(mode)
        assert self.guard is not None
        already = self.holding
        if not already:
            self.guard.acquire(self.timeout_seconds)
            self.holding = True
        try:
            return self._run_checkpoint(mode)
        finally:
            if not already:
                self._let_go()

    def _checkpoint_if_grown(self) -> None:
        try:
            size = os.stat(self.guard.wal_path).st_size if self.guard is not None else 0
        except OSError:
            return
        if size > self.checkpoint_bytes:
            try:
                self._run_checkpoint("PASSIVE")
            except sqlite3.Error as exc:  # the commit stands; the next writer checkpoints again
                log.warning("checkpoint after commit failed: %s", exc)

    def _run_checkpoint(self, mode: str) -> tuple[int, int, int]:
        assert self.guard is not None
        self.guard.trace("checkpoint")
        row = self.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def _let_go(self) -> None:
        self.holding = False
        if self.guard is not None:
            self.guard.release()


_READS = frozenset({"SELECT", "EXPLAIN", "RELEASE", "ROLLBACK", "COMMIT", "END", "VALUES"})
_DML = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE"})
_DML_IN_CTE = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[\s(]*([A-Za-z]+)")
_kinds: dict[str, str] = {}


def statement_kind(sql: str) -> str:
    """``read``, ``dml`` (opens a write transaction: DML, a savepoint) or ``write`` (DDL, a PRAGMA that sets:
    guarded, but run as pysqlite runs them, outside a transaction if none is open)."""
    kind = _kinds.get(sql)
    if kind is not None:
        return kind
    match = _FIRST_WORD.match(sql)
    first = match.group(1).upper() if match else ""
    if first in _READS:
        kind = "read"
    elif first in _DML or first == "SAVEPOINT":
        kind = "dml"
    elif first == "WITH":
        kind = "dml" if _DML_IN_CTE.search(sql) else "read"
    elif first == "PRAGMA":
        kind = "write" if "=" in sql or "checkpoint" in sql.lower() else "read"
    else:
        kind = "write"
    if len(_kinds) < 4096:
        _kinds[sql] = kind
    return kind
