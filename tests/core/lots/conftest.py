"""A secured yard with classified loads, built once per session and copied per test (Argon2 and PBKDF2 are
slow on purpose). Loads are written as finally classified rows directly, so these tests do not depend on
the intake, weighing or classification services."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

import inspector.storage.models.intake
import inspector.storage.models.lots  # noqa: F401  (registers the lot tables until models/__init__ does)
from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.security import keys, setup, users
from inspector.security.actor import Actor
from inspector.security.audit import record_change
from inspector.services import yard as yard_services
from inspector.standard.loader import default_ruleset
from inspector.standard.ruleset import RuleSet
from inspector.storage.db import Store, open_store
from inspector.storage.models.core import Load
from inspector.storage.sequences import next_number

START = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
PASSWORDS = {a.username: a.password for a in setup.DEMO_ACCOUNTS}
PASSPHRASES = {a.username: a.key_passphrase for a in setup.DEMO_ACCOUNTS if a.key_passphrase}
SUPPLIER_USCC = ("91360700MA35K8QX1D", "91350100M000100Y43")


class Yard:
    """A copied test yard (a plain class: hypothesis prints its short repr, not the rule set)."""

    def __init__(self, store: Store, data_dir: DataDir, clock: FixedClock, ruleset: RuleSet) -> None:
        self.store = store
        self.data_dir = data_dir
        self.clock = clock
        self.ruleset = ruleset

    def __repr__(self) -> str:
        return f"Yard({self.data_dir.root})"

    def actor(self, username: str) -> Actor:
        with self.store.session() as s:
            user = users.get_user(s, username)
            assert user is not None
            return users.actor_for(user)


@pytest.fixture(scope="session")
def lots_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lots-template") / "yard"
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(START)
    with store.session() as session:
        setup.seed_demo_accounts(session, data_dir=data_dir, clock=clock)
        admin = users.actor_for(users.get_user(session, "admin"))  # type: ignore[arg-type]
        yard_services.create_yard(
            session,
            actor=admin,
            clock=clock,
            legal_name="赣州示范回收站",
            uscc="91110000100000000R",
            hw_permit_codes=["HW49"],
        )
        for i, uscc in enumerate(SUPPLIER_USCC):
            yard_services.add_supplier(session, actor=admin, clock=clock, name=f"供应商 {i + 1}", uscc=uscc)
        yard_services.add_scale(session, actor=admin, clock=clock, scale_id="WB1", division=10)
    store.close()
    return root


@pytest.fixture
def yard(lots_template: Path, tmp_path: Path) -> Iterator[Yard]:
    root = tmp_path / "yard"
    shutil.copytree(lots_template, root)
    keys.clear_signer_cache()
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(START)
    clock.advance(minutes=5)
    yield Yard(store=store, data_dir=data_dir, clock=clock, ruleset=default_ruleset())
    store.close()
    keys.clear_signer_cache()




def lab_attributes(
    *,
    treo: str = "28.0",
    moisture: str = "0",
    oil: str = "0",
    basis: str = "oxide",
    moisture_basis: str = "dry",
    inclusions: str = "1.0",
) -> dict[str, Any]:
    return {
        "origin": "production",
        "dose_background_usv_h": "0.10",
        "dose_gross_usv_h": "0.12",
        "portal_alarm": False,
        "prohibited_items_found": False,
        "inclusions_pct": inclusions,
        "smoke_or_heat": False,
        "generating_enterprise": "赣州磁材厂",
        "treo_pct": treo,
        "treo_basis": basis,
        "treo_moisture_basis": moisture_basis,
        "prnd_pct_of_treo": "76.0",
        "moisture_pct": moisture,
        "oil_pct": oil,
    }


def add_load(
    session: Session,
    clock: FixedClock,
    *,
    created_by: str = "li.wei",
    supplier_id: int = 1,
    category: str = "NDFEB-PS",
    net: int = 20_460,
    outcome: str = "ACCEPT",
    status: str = "final",
    state: str = "classified",
    grade: str | None = "B",
    **lab: str,
) -> Load:
    """A finally classified load written as a row (+ its audit event, made by ``created_by``)."""
    seq = next_number(session, series="ticket", year=2026)  # as the arrival service numbers tickets
    tare = 12_020
    load = Load(
        ticket_no=f"T2026-{seq:06d}",
        ticket_year=2026,
        ticket_seq=seq,
        plate="赣B3K721",
        supplier_id=supplier_id,
        arrived_at=clock.now().utc,
        gross=net + tare,
        tare=tare,
        net=net,
        state=state,
        assigned_category=category,
        declared_category=category,
        outcome=outcome,
        grade=grade,
        classification_status=status,
        attributes=lab_attributes(**lab),
        generating_enterprise="赣州磁材厂",
        created_by=created_by,
    )
    actor = Actor(user_id=created_by, display_name=created_by)
    record_change(session, load, actor=actor, action="load.arrive", clock=clock)
    return load


def add_loads(yard: Yard, n: int, **kwargs: Any) -> list[int]:
    with yard.store.session() as s:
        return [add_load(s, yard.clock, **kwargs).id or 0 for _ in range(n)]


def snapshot(data_dir: DataDir) -> tuple[list[str], list[str]]:
    """Every row of the database and every file under the data directory (except backups)."""
    con = sqlite3.connect(data_dir.database)
    try:
        dump = list(con.iterdump())
    finally:
        con.close()
    files = sorted(
        str(p.relative_to(data_dir.root))
        for p in data_dir.root.rglob("*")
        if p.is_file() and "backups" not in p.parts and not p.name.startswith("yard.db")
    )
    return dump, files
