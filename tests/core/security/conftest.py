"""A secured demo yard built once per test session and copied for each test (Argon2 and key generation
are slow on purpose; copying a folder is not)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.security import keys, setup
from inspector.security.actor import Actor
from inspector.security.audit import record_change
from inspector.storage.db import Store, open_store
from inspector.storage.models.core import Load, NumberSeries, Supplier

START = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


@dataclass
class Yard:
    store: Store
    data_dir: DataDir
    clock: FixedClock

    @property
    def db_path(self) -> Path:
        return self.data_dir.database


@pytest.fixture(scope="session")
def secured_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("secured-template") / "yard"
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(START)
    with store.session() as session:
        setup.seed_demo_accounts(session, data_dir=data_dir, clock=clock)
    store.close()
    return root


@pytest.fixture
def yard(secured_template: Path, tmp_path: Path) -> Iterator[Yard]:
    root = tmp_path / "yard"
    shutil.copytree(secured_template, root)
    keys.clear_signer_cache()
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(START)
    clock.advance(minutes=5)
    yield Yard(store=store, data_dir=data_dir, clock=clock)
    store.close()
    keys.clear_signer_cache()


def add_load(yard: Yard, actor: Actor, *, seq: int = 1, gross: int = 32_480) -> int:
    """A supplier (first time) and a load written the way services write them: row + audit event."""
    with yard.store.session() as session:
        supplier = session.get(Supplier, 1)
        if supplier is None:
            supplier = Supplier(
                name="赣州稀金磁材有限公司", uscc="91360700MA35K8QX1X", created_at=yard.clock.now().utc
            )
            record_change(session, supplier, actor=actor, action="supplier.create", clock=yard.clock)
        load = Load(
            ticket_no=f"T2026-{seq:05d}",
            ticket_year=2026,
            ticket_seq=seq,
            plate="赣B3K721",
            supplier_id=supplier.id or 0,
            arrived_at=yard.clock.now().utc,
            gross=gross,
            tare=12_020,
            net=gross - 12_020,
        )
        record_change(session, load, actor=actor, action="load.create", clock=yard.clock)
        # The ticket counter follows, as the arrival service keeps it (check compares the two).
        counter = session.exec(select(NumberSeries).where(NumberSeries.series == "ticket",
                                                          NumberSeries.year == 2026)).first()
        if counter is None:
            counter = NumberSeries(series="ticket", year=2026, last=0)
        counter.last = max(counter.last, seq)
        session.add(counter)
        assert load.id is not None
        return load.id
