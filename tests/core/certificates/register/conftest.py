"""A secured yard with approved lots for the register tests, built once per session and copied per test
(Argon2, PBKDF2 and key generation are slow on purpose). Loads are written as finally classified rows, so
these tests do not depend on the intake, weighing or classification services."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.security import keys, setup, users
from inspector.security.actor import Actor
from inspector.security.audit import record_change
from inspector.services import lots as lot_services
from inspector.services import yard as yard_services
from inspector.standard.loader import default_ruleset
from inspector.standard.ruleset import RuleSet
from inspector.storage.db import Store, open_store
from inspector.storage.models.core import Load
from inspector.storage.sequences import next_number

START = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
SUPERVISOR = "zhang.min"
OTHER_SUPERVISOR = "zhao.hui"
PASSWORDS = {a.username: a.password for a in setup.DEMO_ACCOUNTS}
PASSPHRASES = {a.username: a.key_passphrase or "" for a in setup.DEMO_ACCOUNTS}
SUPPLIERS = (
    ("赣州稀金磁材有限公司", "91360700MA35K8QX1D"),
    ("宁波东钕永磁科技有限公司", "91350100M000100Y43"),
)


@dataclass
class RegisterYard:
    store: Store
    data_dir: DataDir
    clock: FixedClock
    ruleset: RuleSet

    def actor(self, username: str) -> Actor:
        with self.store.session() as s:
            user = users.get_user(s, username)
            assert user is not None
            return users.actor_for(user)

    def secrets(self, username: str = SUPERVISOR) -> dict[str, str]:
        return {"password": PASSWORDS[username], "passphrase": PASSPHRASES[username]}




def lab_attributes(treo: str = "28.0", **extra: Any) -> dict[str, Any]:
    return {
        "origin": "production", "dose_background_usv_h": "0.10", "dose_gross_usv_h": "0.13",
        "portal_alarm": False, "prohibited_items_found": False, "inclusions_pct": "1.0",
        "smoke_or_heat": False, "generating_enterprise": "赣州磁材厂", "treo_pct": treo,
        "treo_basis": "oxide", "treo_moisture_basis": "dry", "prnd_pct_of_treo": "76.0",
        "moisture_pct": "2.0", "oil_pct": "0", **extra,
    }


def add_load(session: Session, clock: FixedClock, *, supplier_id: int = 1, net: int = 20_460,
             treo: str = "28.0") -> Load:
    """A finally classified, accepted NDFEB-PS load written as a row, arrived by li.wei."""
    seq = next_number(session, series="ticket", year=2026)  # as the arrival service numbers tickets
    load = Load(ticket_no=f"T2026-{seq:06d}", ticket_year=2026, ticket_seq=seq, plate="赣B3K721",
                supplier_id=supplier_id, arrived_at=clock.now().utc, gross=net + 12_020, tare=12_020, net=net,
                state="classified", assigned_category="NDFEB-PS", declared_category="NDFEB-PS",
                outcome="ACCEPT", grade="B", classification_status="final", attributes=lab_attributes(treo),
                generating_enterprise="赣州磁材厂", created_by="li.wei")
    record_change(session, load, actor=Actor(user_id="li.wei", display_name="李伟 Li Wei"),
                  action="load.arrive", clock=clock)
    return load


def make_lot(yard: RegisterYard, *, loads: int = 2, supplier_id: int = 1, approve: bool = True) -> str:
    """A lot of fresh loads, submitted by li.wei and (by default) approved by zhang.min on this PC."""
    yard.clock.advance(minutes=3)
    with yard.store.session() as s:
        ids = [add_load(s, yard.clock, supplier_id=supplier_id).id or 0 for _ in range(loads)]
        inspector = users.actor_for(users.get_user(s, "li.wei"))  # type: ignore[arg-type]
        lot = lot_services.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset,
                                      load_ids=ids)
        lot_services.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
        lot_no = lot.lot_no
    if approve:
        yard.clock.advance(minutes=3)
        with yard.store.session() as s:
            lot_services.sign_decision(
                s, actor=yard.actor(SUPERVISOR), clock=yard.clock, data_dir=yard.data_dir,
                ruleset=yard.ruleset, lot_no=lot_no, decision="approve",
                meaning="分类与品级经核对 checked against the lab report", password=PASSWORDS[SUPERVISOR],
                passphrase=PASSPHRASES[SUPERVISOR])
    yard.clock.advance(minutes=3)
    return lot_no


def build_template(root: Path) -> Path:
    """A yard with the demo accounts and keys, two suppliers and a scale, written to ``root``."""
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(START)
    with store.session() as session:
        setup.seed_demo_accounts(session, data_dir=data_dir, clock=clock)
        admin = users.actor_for(users.get_user(session, "admin"))  # type: ignore[arg-type]
        yard_services.create_yard(session, actor=admin, clock=clock, legal_name="赣州示范回收站",
                                  legal_name_en="Ganzhou Demonstration Recycling Station",
                                  uscc="91110000100000000R", permit_numbers=["赣危废经字 360702001"],
                                  hw_permit_codes=["HW49"])
        for name, uscc in SUPPLIERS:
            yard_services.add_supplier(session, actor=admin, clock=clock, name=name, uscc=uscc)
        yard_services.add_scale(session, actor=admin, clock=clock, scale_id="WB1", division=10)
    store.close()
    return root


@contextmanager
def copied_yard(template: Path, root: Path) -> Iterator[RegisterYard]:
    """A private copy of the template yard, open, with its own clock."""
    shutil.copytree(template, root)
    keys.clear_signer_cache()
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(START)
    clock.advance(minutes=5)
    try:
        yield RegisterYard(store=store, data_dir=data_dir, clock=clock, ruleset=default_ruleset())
    finally:
        store.close()
        keys.clear_signer_cache()


@pytest.fixture(scope="session")
def register_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("register-template") / "yard")


@pytest.fixture
def ryard(register_template: Path, tmp_path: Path) -> Iterator[RegisterYard]:
    with copied_yard(register_template, tmp_path / "yard") as yard:
        yield yard
