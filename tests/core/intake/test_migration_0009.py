"""Migration 0009: the photo stamp table, matching its model, added to a yard that already has photos without
disturbing their row hashes, and taken away again by the downgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.intake.steps import Step
from inspector.security.actor import SYSTEM
from inspector.security.verify import verify_all
from inspector.services import intake as intake_svc
from inspector.services import yard as yard_svc
from inspector.storage import migrations
from inspector.storage.db import Store, open_store

from .conftest import INSPECTOR, USCC

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def test_migration_0009_matches_the_photo_stamp_model(store: Store) -> None:
    with store.engine.connect() as con:
        context = MigrationContext.configure(con, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert [d for d in diff if "load_photo_stamp" in repr(d)] == []
    assert "0009" in migrations.head_revisions()


def test_a_yard_with_photos_goes_down_to_0008_and_up_again_with_its_rows_intact(
        data_dir: DataDir, clock: FixedClock, tmp_path: Path) -> None:
    store = open_store(data_dir, backup=False)
    source = tmp_path / "deck.png"
    source.write_bytes(PNG)
    with store.session() as s:
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司")
        supplier = yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="供应商甲", uscc=USCC)
        load = yard_svc.register_arrival(s, actor=INSPECTOR, clock=clock, plate="赣B12345",
                                         supplier_id=supplier.id or 0, declared_category="NDFEB-PS")
        intake_svc.add_photo(s, actor=INSPECTOR, clock=clock, data_dir=data_dir, load_id=load.id or 0,
                             step=Step.GATE, source=source)
    config = migrations.alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    store.close()
    assert migrations.stored_revisions(data_dir.database) == {"0008"}
    assert "load_photo_stamp" not in _tables(data_dir.database)

    store = open_store(data_dir, backup=False)  # migrates up to the head
    try:
        assert migrations.stored_revisions(data_dir.database) == migrations.head_revisions()
        assert "load_photo_stamp" in _tables(data_dir.database)
        # The photos written before the migration still match their hashes and their events.
        assert verify_all(store, data_dir) == []
    finally:
        store.close()
