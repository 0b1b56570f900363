"""The reads that speak to SQLite itself rather than through portable SQL: rows streamed straight from the
driver, the schema's trigger names, and a read-only engine on a database file. With ``db.py`` and the
read models, the only place that knows the database's dialect."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy.engine import Connection, Engine
from sqlmodel import create_engine

# The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def stream_rows(conn: Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    """Rows straight from the sqlite3 cursor: at 100,000 audit events SQLAlchemy's per-row handling costs
    a second, and the audit checks hash these values as stored anyway."""
    cursor = cast(sqlite3.Cursor, conn.connection.dbapi_connection.cursor())  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        yield from cursor
    finally:
        cursor.close()


def trigger_names(conn: Connection) -> set[str]:
    """The names of the triggers defined in the database."""
    return {str(row[0]) for row in stream_rows(conn, "SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def read_only_engine(path: Path) -> Engine:
    """An engine that can only read the database file at ``path`` (for checks; dispose of it after)."""
    return create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
