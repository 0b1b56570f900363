"""The schema revision a database carries, read with sqlite3 alone (no Alembic import on the common start).

``HEAD`` is the revision this version of the application writes; a test keeps it equal to the head of the
Alembic scripts, so a database already at ``HEAD`` needs no migration machinery at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from inspector.errors import EnvironmentProblemError

HEAD = "0009"


def stored_revisions(path: Path) -> set[str]:
    """The revisions recorded in an SQLite file (empty for a new database)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            has_table = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not has_table:
                return set()
            return {row[0] for row in con.execute("SELECT version_num FROM alembic_version")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise EnvironmentProblemError("storage.unreadable", path=str(path), detail=str(exc)) from exc
