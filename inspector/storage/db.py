"""Opening the yard's database: one engine, the PRAGMAs durability needs, a backup, then migrations.

Use ``open_store(data_dir)``; then ``with store.session() as s:`` for one operation (commit on success,
roll back on any exception). One engine per process does all the writing, and every write transaction of
every process runs under the data directory's write guard (``guard.py``): taken at the first writing
statement, released after the commit or rollback.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session, create_engine

from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, RecordedRefusalError
from inspector.storage.guard import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from inspector.storage.guard import WriterGuardedConnection, guard_for, statement_kind
from inspector.storage.raw import SQLITE_HEADER

# SQLite before 3.51.3 has a WAL-reset bug that needs two concurrent writers or checkpoints; the write guard
# (guard.py) keeps them one at a time across processes.
SQLITE_WAL_RESET_FIXED = (3, 51, 3)

log = logging.getLogger(__name__)


def sqlite_version() -> tuple[str, bool]:
    """The SQLite library the yard's database runs on, and whether it has the WAL-reset fix."""
    return sqlite3.sqlite_version, sqlite3.sqlite_version_info >= SQLITE_WAL_RESET_FIXED


@dataclass
class Store:
    """The database of one data directory."""

    data_dir: DataDir
    engine: Engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends normally, rolled back on any exception except a
        ``RecordedRefusalError``, whose record (a failed attempt) is committed before it is raised on."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except RecordedRefusalError:
                try:
                    session.commit()
                except OperationalError as exc:
                    session.rollback()
                    raise translate_operational_error(exc, self.data_dir.database) from exc
                raise
            except OperationalError as exc:
                session.rollback()
                raise translate_operational_error(exc, self.data_dir.database) from exc
            except BaseException:
                session.rollback()
                raise

    def checkpoint(self, mode: str = "PASSIVE") -> tuple[int, int, int]:
        """Checkpoint the WAL under the write guard; SQLite's (busy, frames in the WAL, frames copied)."""
        with self.engine.connect() as conn:
            dbapi = conn.connection.dbapi_connection
            assert isinstance(dbapi, WriterGuardedConnection)
            return dbapi.checkpoint(mode)

    def close(self) -> None:
        self.engine.dispose()


def begin_write(session: Session) -> None:
    """Make the session's transaction a write transaction now: under the write guard, ``BEGIN IMMEDIATE``.

    For a read that a write depends on (the audit chain's head before the next link is appended): without
    it, pysqlite reads outside any transaction and another process could append in between.
    """
    dbapi = session.connection().connection.dbapi_connection
    if isinstance(dbapi, WriterGuardedConnection):
        dbapi.begin_write()


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit reported to the inspector survives a power cut (NORMAL may lose the last one in WAL).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # Checkpoints only by the write guard's holder, after its commit (guard.py sets the WAL's size limit).
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _guard_writes(
    _conn: Any, cursor: Any, statement: str, parameters: Any, _context: Any, _executemany: bool
) -> tuple[str, Any]:
    """Before a statement that writes: take the write guard (and open the transaction: BEGIN IMMEDIATE)."""
    dbapi = cursor.connection
    if isinstance(dbapi, WriterGuardedConnection) and not dbapi.holding:
        kind = statement_kind(statement)
        if kind != "read":
            dbapi.begin_write(immediate=kind == "dml")
    return statement, parameters


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={
            "check_same_thread": False,
            "timeout": BUSY_TIMEOUT_MS / 1000,
            "factory": WriterGuardedConnection,
        },
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    guard = guard_for(path)

    def attach_guard(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, WriterGuardedConnection):
            dbapi_connection.setup_guard(guard, BUSY_TIMEOUT_MS / 1000)

    event.listen(engine, "connect", attach_guard)
    event.listen(engine, "before_cursor_execute", _guard_writes, retval=True)
    return engine


def check_is_sqlite(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database, before anything touches it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise EnvironmentProblemError(
            "storage.file_unreadable", path=str(path), detail=str(exc.strerror or exc)
        ) from exc
    if header != SQLITE_HEADER:
        raise EnvironmentProblemError("storage.not_sqlite", path=str(path))


def translate_operational_error(exc: OperationalError, path: Path) -> EnvironmentProblemError:
    """What a failed database operation means for the person, judged by SQLite's result code (its primary
    code: the low byte of an extended one), never by the wording of the message."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    code = getattr(exc.orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return EnvironmentProblemError("storage.locked", path=str(path))
    if primary in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR):
        return EnvironmentProblemError("storage.disk_full", path=str(path), detail=text)
    if primary == sqlite3.SQLITE_READONLY:
        return EnvironmentProblemError("storage.read_only", path=str(path))
    return EnvironmentProblemError("storage.failed", path=str(path), detail=text)


def _migrate(engine: Engine, data_dir: DataDir) -> None:
    from inspector.storage import migrations

    path = data_dir.database
    try:
        migrations.upgrade(engine)
    except migrations.MigrationError as exc:
        engine.dispose()
        raise EnvironmentProblemError(
            "storage.migration_failed", path=str(path), detail=str(exc), backups=str(data_dir.backups)
        ) from exc
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        if isinstance(exc, OperationalError):
            raise translate_operational_error(exc, path) from exc
        raise EnvironmentProblemError(
            "storage.damaged", path=str(path), detail=str(exc), backups=str(data_dir.backups)
        ) from exc


def open_store(data_dir: DataDir, *, migrate: bool = True, backup: bool = True) -> Store:
    """Open (creating if needed) the database of ``data_dir``, then bring its schema up to date.

    An existing database is backed up first with SQLite's backup API when ``backup`` is set (the GUI's
    start) and always before a migration changes it.
    """
    from inspector.storage import backup as backup_mod
    from inspector.storage import revision

    data_dir.ensure()
    if sqlite3.sqlite_version_info < SQLITE_WAL_RESET_FIXED:
        log.warning(
            "SQLite %s predates the WAL-reset fix of 3.51.3; safe only with one writer at a time, "
            "which the data directory's write guard keeps",
            sqlite3.sqlite_version,
        )
    path = data_dir.database
    check_is_sqlite(path)
    existed = path.exists() and path.stat().st_size > 0
    # The common start: a database at this version's head needs no Alembic at all (~0.2 s saved).
    at_head = existed and revision.stored_revisions(path) == {revision.HEAD}
    if existed and not at_head:
        from inspector.storage import migrations

        migrations.refuse_newer(path)
        if backup or (migrate and migrations.needs_upgrade(path)):
            backup_mod.backup_database(path, backup_mod.startup_backup_path(data_dir), keep=10)
    elif at_head and backup:
        backup_mod.backup_database(path, backup_mod.startup_backup_path(data_dir), keep=10)
    engine = make_engine(path)
    if migrate and not at_head:
        _migrate(engine, data_dir)
    return Store(data_dir=data_dir, engine=engine)
