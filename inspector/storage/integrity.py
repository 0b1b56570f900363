"""``check``: is the database sound, and at which schema revision? Reads only; never migrates or repairs.

The file-level checks live here (SQLite's integrity and foreign-key checks, the schema revision); the audit
trail, row hashes and checkpoints by ``inspector.security.verify`` (whose ``check_data_dir`` runs both).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from inspector.datadir import DataDir
from inspector.storage import migrations
from inspector.storage.raw import SQLITE_HEADER


@dataclass
class CheckReport:
    revision: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# Runs one SQL statement on an open connection (sqlite3's or SQLAlchemy's) and returns its rows.
RowsOf = Callable[[str], Sequence[Sequence[Any]]]


@dataclass(frozen=True)
class FileProblem:
    """SQLite's own finding about the file; a broken reference names its table and row."""

    message: str
    table: str | None = None
    row_id: str | None = None


def sqlite_problems(rows_of: RowsOf, *, quick: bool = False, foreign_keys: bool = True,
                    limit: int = 20) -> list[FileProblem]:
    """SQLite's verdict on the database file: its integrity check (``quick``: the faster ``quick_check``)
    and, with ``foreign_keys``, its foreign-key check. At most ``limit`` findings of each."""
    problems: list[FileProblem] = []
    result = rows_of("PRAGMA quick_check" if quick else "PRAGMA integrity_check")
    if [tuple(r) for r in result] != [("ok",)]:
        problems += [FileProblem(f"SQLite integrity check: {r[0]}") for r in result[:limit]]
    if foreign_keys:
        for table, rowid, parent, _fk in rows_of("PRAGMA foreign_key_check")[:limit]:
            text = f"Row {rowid} of table '{table}' refers to a missing row of '{parent}'."
            problems.append(FileProblem(text, table=str(table), row_id=str(rowid)))
    return problems


def connection_problems(conn: Connection, *, quick: bool = False, foreign_keys: bool = True,
                        limit: int = 20) -> list[FileProblem]:
    """``sqlite_problems`` asked over an open SQLAlchemy connection (the audit verification's)."""
    return sqlite_problems(lambda sql: conn.exec_driver_sql(sql).fetchall(), quick=quick,
                           foreign_keys=foreign_keys, limit=limit)


def check_file(data_dir: DataDir) -> CheckReport:
    path = data_dir.database
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return CheckReport(None, [f"{path} is not an SQLite database."])
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return CheckReport(None, [f"{path} cannot be opened: {exc}."])
    problems: list[str] = []
    revision: str | None = None
    try:
        problems += [p.message for p in sqlite_problems(lambda sql: con.execute(sql).fetchall())]
        stored = migrations.stored_revisions(path)
        revision = ",".join(sorted(stored)) or None
        unknown = stored - migrations.known_revisions()
        if unknown:
            problems.append(
                f"Schema revision {', '.join(sorted(unknown))} is newer than this version of "
                "Yard Inspector knows; install the newer version to check it."
            )
        elif not stored:
            problems.append("The database has no schema revision; it was not made by Yard Inspector.")
    except sqlite3.DatabaseError as exc:
        problems.append(f"The database cannot be read: {exc}.")
    finally:
        con.close()
    return CheckReport(revision, problems)
