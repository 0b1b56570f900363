"""Migration 0005 creates exactly the lot tables the models declare."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import inspector.storage.models.lots  # noqa: F401  (registers the tables)
from inspector.storage.db import Store

LOT_TABLES = {"lot", "lot_load", "approval", "held_load_decision", "lot_packet"}


def _tables(entry: Any) -> set[str]:
    """The table names a diff entry mentions (entries are tuples, or lists of tuples for columns)."""
    found: set[str] = set()
    items = entry if isinstance(entry, list) else [entry]
    for item in items:
        for part in item:
            name = getattr(part, "name", None) if not isinstance(part, str) else part
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None):
                found.add(table.name)
            if isinstance(name, str):
                found.add(name)
    return found


def test_migration_0005_matches_the_lot_models(store: Store) -> None:
    with store.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), SQLModel.metadata)
    assert [d for d in diff if _tables(d) & LOT_TABLES] == []
