"""Backups with SQLite's online backup API, and restoring one only after it proves sound."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError


def startup_backup_path(data_dir: DataDir) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return data_dir.backups / f"yard-{stamp}-auto.db"


def backup_database(source: Path, target: Path, *, keep: int | None = None) -> Path:
    """Copy a live database consistently (WAL included) to ``target``; optionally prune old auto backups."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblemError(
            "backup.failed", source=str(source), target=str(target), detail=str(exc)
        ) from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblemError(
            "backup.write_failed", target=str(target), detail=str(exc.strerror or exc)
        ) from exc
    if keep is not None:
        autos = sorted(target.parent.glob("yard-*-auto.db"))
        for old in autos[:-keep]:
            old.unlink(missing_ok=True)
    return target


def verify_backup(path: Path) -> str:
    """Return the backup's schema revision if it is a sound Yard Inspector database; else raise UserError."""
    from inspector.storage.integrity import sqlite_problems
    from inspector.storage.raw import SQLITE_HEADER

    if not path.is_file():
        raise UserError("backup.missing", field="FILE", path=str(path))
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise UserError("backup.not_sqlite", field="FILE", path=str(path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = sqlite_problems(lambda sql: con.execute(sql).fetchall(), foreign_keys=False, limit=3)
            if found:
                # SQLite's own words for the damage (English; it has no others).
                details = [str(p.params.get("detail", p.code)) for p in found]
                raise UserError("backup.damaged", field="FILE", path=str(path), details=details)
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise UserError("backup.unreadable", field="FILE", path=str(path), detail=str(exc)) from exc
    if not rows:
        raise UserError("backup.no_revision", field="FILE", path=str(path))
    return ",".join(sorted(r[0] for r in rows))


def restore_database(data_dir: DataDir, backup_file: Path) -> Path | None:
    """Replace the database with ``backup_file`` after checking it; the current one is backed up first.

    Returns the path of the safety copy of the database that was replaced (None if there was none).
    """
    from inspector.storage import migrations
    from inspector.storage.guard import BUSY_TIMEOUT_MS, guard_for

    verify_backup(backup_file)
    migrations.refuse_newer(backup_file)
    data_dir.ensure()
    db = data_dir.database
    # The swap is a write: under the write guard, so no commit or checkpoint of another process runs in it,
    # and the safety copy is the very database replaced.
    guard = guard_for(db)
    guard.acquire(BUSY_TIMEOUT_MS / 1000)
    try:
        safety: Path | None = None
        if db.exists() and db.stat().st_size > 0:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            safety = backup_database(db, data_dir.backups / f"yard-{stamp}-before-restore.db")
        staged = db.with_suffix(".db.restoring")
        shutil.copyfile(backup_file, staged)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        os.replace(staged, db)
    finally:
        guard.release()
    return safety
