"""``check``: is the database sound, and at which schema revision? Reads only; never migrates or repairs.

The file-level checks live here (SQLite's integrity and foreign-key checks, the schema revision); the audit
trail, row hashes and checkpoints by ``inspector.security.verify`` (whose ``check_data_dir`` runs both).

A finding is a code with parameters, worded like an error (``errors.<code>`` in the catalogues), so the
command line and the window say it in the reader's language (``finding.words(lang)``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.engine import Connection

from inspector.datadir import DataDir
from inspector.messages import Language
from inspector.messages.notice import Worded
from inspector.storage import migrations
from inspector.storage.raw import SQLITE_HEADER


class Finding(Protocol):
    """One problem a check found: a code with parameters, worded in the reader's language."""

    @property
    def code(self) -> str: ...

    def words(self, lang: Language) -> str:
        """What it says (and what to do), in ``lang``."""
        ...

    def to_json(self, lang: Language = "en") -> dict[str, Any]:
        """The stable code and parameters, the English words and the words in ``lang`` (for ``--json``)."""
        ...


@dataclass
class CheckReport:
    revision: str | None
    problems: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# Runs one SQL statement on an open connection (sqlite3's or SQLAlchemy's) and returns its rows.
RowsOf = Callable[[str], Sequence[Sequence[Any]]]


@dataclass(frozen=True)
class FileProblem(Worded):
    """SQLite's own finding about the file, as a code with parameters; a broken reference names its table
    and row."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    table: str | None = None
    row_id: str | None = None

    def to_json(self, lang: Language = "en") -> dict[str, Any]:
        """The code, parameters and words, and the table and row a broken reference names."""
        return {**super().to_json(lang), "table": self.table, "row_id": self.row_id}


def sqlite_problems(rows_of: RowsOf, *, quick: bool = False, foreign_keys: bool = True,
                    limit: int = 20) -> list[FileProblem]:
    """SQLite's verdict on the database file: its integrity check (``quick``: the faster ``quick_check``)
    and, with ``foreign_keys``, its foreign-key check. At most ``limit`` findings of each. SQLite's own
    report of a damaged page or index is English; it is passed on as it is (``detail``)."""
    problems: list[FileProblem] = []
    result = rows_of("PRAGMA quick_check" if quick else "PRAGMA integrity_check")
    if [tuple(r) for r in result] != [("ok",)]:
        problems += [FileProblem("storage.check.integrity", {"detail": str(r[0])}) for r in result[:limit]]
    if foreign_keys:
        for table, rowid, parent, _fk in rows_of("PRAGMA foreign_key_check")[:limit]:
            params = {"table": str(table), "row": str(rowid), "parent": str(parent)}
            problems.append(FileProblem("storage.check.broken_reference", params, table=str(table),
                                        row_id=str(rowid)))
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
            return CheckReport(None, [FileProblem("storage.check.not_sqlite", {"path": str(path)})])
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return CheckReport(None, [FileProblem("storage.check.cannot_open", {"path": str(path),
                                                                            "detail": str(exc)})])
    problems: list[Finding] = []
    revision: str | None = None
    try:
        problems += sqlite_problems(lambda sql: con.execute(sql).fetchall())
        stored = migrations.stored_revisions(path)
        revision = ",".join(sorted(stored)) or None
        unknown = stored - migrations.known_revisions()
        if unknown:
            problems.append(FileProblem("storage.check.newer_schema", {"revisions": sorted(unknown)}))
        elif not stored:
            problems.append(FileProblem("storage.check.no_schema"))
    except sqlite3.DatabaseError as exc:
        problems.append(FileProblem("storage.check.unreadable", {"detail": str(exc)}))
    finally:
        con.close()
    return CheckReport(revision, problems)
