"""Migration 0008: the load cancellation table, matching its model, added to a yard that already has loads
without disturbing their row hashes, and taken away again by the downgrade."""

from __future__ import annotations

import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.security.verify import verify_all
from inspector.services import yard as yard_svc
from inspector.storage import migrations
from inspector.storage.db import Store, open_store

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))


def _tables(path: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def test_migration_0008_matches_the_cancellation_model(store: Store) -> None:
    with store.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), SQLModel.metadata)
    assert [d for d in diff if "load_cancellation" in repr(d)] == []


def test_a_yard_with_loads_goes_down_to_0007_and_up_again_with_its_rows_intact(data_dir: DataDir,
                                                                               clock: FixedClock) -> None:
    store = open_store(data_dir, backup=False)
    with store.session() as s:
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司")
        supplier = yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="供应商甲",
                                         uscc="91350100M000100Y43")
        yard_svc.register_arrival(s, actor=INSPECTOR, clock=clock, plate="赣B12345",
                                  supplier_id=supplier.id or 0, declared_category="NDFEB-PS")
    config = migrations.alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    store.close()
    assert migrations.stored_revisions(data_dir.database) == {"0007"}
    assert "load_cancellation" not in _tables(str(data_dir.database))

    store = open_store(data_dir, backup=False)  # migrates up to the head
    try:
        assert migrations.stored_revisions(data_dir.database) == migrations.head_revisions()
        assert "load_cancellation" in _tables(str(data_dir.database))
        # The loads written before the migration still match their hashes and their events.
        assert verify_all(store, data_dir) == []
    finally:
        store.close()
