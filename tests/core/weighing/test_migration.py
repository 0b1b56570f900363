"""Revision 0003 creates the weighing tables as the models declare them, and removes them again."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlmodel import SQLModel

from inspector.storage.db import Store

MIGRATION = Path(__file__).resolve().parents[3] / "inspector/storage/migrations/versions/0003_weighing.py"
TABLES = ["stored_tare", "weighing"]


def _ours(diff: object) -> bool:
    return any(name in str(diff) for name in TABLES)


def test_tables_match_the_models_and_downgrade_reverses(store: Store) -> None:
    spec = importlib.util.spec_from_file_location("migration_0003", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.revision == "0003"
    with store.engine.begin() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert [d for d in compare_metadata(context, SQLModel.metadata) if _ours(d)] == []
        with Operations.context(context):
            module.downgrade()
            assert not set(TABLES) & set(sa.inspect(conn).get_table_names())
            module.upgrade()
        assert set(TABLES) <= set(sa.inspect(conn).get_table_names())
        assert [d for d in compare_metadata(context, SQLModel.metadata) if _ours(d)] == []
