"""Revision 0002 creates the classification tables with their append-only triggers, and removes them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DatabaseError

VERSIONS = Path(__file__).resolve().parents[3] / "inspector" / "storage" / "migrations" / "versions"


def _revision(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, VERSIONS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_upgrade_and_downgrade(tmp_path: Path) -> None:
    foundation, mine = _revision("0001_foundation"), _revision("0002_classification")
    assert (mine.revision, mine.down_revision) == ("0002", "0001")
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        foundation.upgrade()
        mine.upgrade()
    tables = set(inspect(engine).get_table_names())
    assert {"classification", "ruleset_published"} <= tables
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ruleset_published (ruleset_id, version, sha256, status, first_seen_at, "
                "first_seen_offset) VALUES ('X', '1.0.0', 'a', 'official', 't', 0)"
            )
        )
    with pytest.raises(DatabaseError, match="never changes"), engine.begin() as conn:
        conn.execute(text("UPDATE ruleset_published SET sha256 = 'b'"))
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        mine.downgrade()
    tables = set(inspect(engine).get_table_names())
    assert "classification" not in tables and "ruleset_published" not in tables and "load" in tables
    engine.dispose()
