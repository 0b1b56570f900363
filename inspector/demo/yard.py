"""A realistic demo yard: a rare-earth recycler in Ganzhou with suppliers, vehicles and a few dozen loads
across categories and states, for training, screenshots and trying the app without a weighbridge.

Deterministic: the same call gives the same yard (seeded choices, a fixed clock).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from inspector.clock import Clock, FixedClock
from inspector.errors import ConflictError, EnvironmentProblemError, UserError
from inspector.security import keys, users
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.security.setup import DEMO_ACCOUNTS, DEMO_CA_PASSPHRASE, seed_demo_accounts
from inspector.services import certificates as certificate_services
from inspector.services import lots as lot_services
from inspector.services import yard as yard_services
from inspector.services.classification import classify_load
from inspector.standard.ruleset import RuleSet
from inspector.states import LoadState, LotState
from inspector.storage.db import Store
from inspector.storage.models.core import Load
from inspector.storage.models.lots import Lot
from inspector.uscc import check_character

DEMO_START = datetime(2026, 11, 2, 0, 30, tzinfo=UTC)  # 08:30 at the yard (UTC+8)
YARD_OFFSET = 480

DEMO_SCALE_LINK = "scale-simulator"
DEMO_STATION = "1号磅房 Scale house 1"
DEMO_INSPECTOR = Actor(user_id="li.wei", display_name="李伟 Li Wei", roles=frozenset({Role.INSPECTOR}))


def demo_uscc(body17: str) -> str:
    return body17 + check_character(body17)


SUPPLIERS = (
    ("赣州稀金磁材有限公司", "91360700MA35K8QX1"),
    ("宁波东钕永磁科技有限公司", "91330206MA2H4C7L0"),
    ("包头北方稀土回收有限公司", "91150200MA0Q5R6T8"),
    ("江西华腾电池材料有限公司", "91360100MA38W2NA5"),
    ("深圳宝光照明回收有限公司", "91440300MA5FJ2K34"),
    ("常州绿源催化剂再生有限公司", "91320400MA1W7D9E2"),
)

PLATES = (
    "赣B3K721",
    "赣BD8830",
    "浙B6Q215",
    "蒙B2H906",
    "赣A7M553",
    "粤B9T117",
    "苏D5E402",
    "赣B1L068",
    "浙BX7731",
    "蒙BK2240",
)
DRIVERS = ("王强", "刘洋", "陈杰", "杨帆", "赵磊", "黄涛", "周勇", "吴斌")
CATEGORIES = (
    "NDFEB-PS",
    "NDFEB-SL",
    "NDFEB-PW",
    "NDFEB-RO",
    "NDFEB-EOL",
    "NDFEB-BD",
    "SMCO",
    "POLISH",
    "PHOSPHOR",
    "NIMH",
    "CATALYST",
    "PYRO-SLAG",
)
HW_CODES = {"PHOSPHOR": "HW29", "CATALYST": "HW50", "NDFEB-SL": "HW49"}
# TREO % (dry oxide) typical of each category: (low, high) in tenths.
TREO_RANGE = {
    "NDFEB-PS": (240, 320),
    "NDFEB-SL": (150, 280),
    "NDFEB-PW": (180, 300),
    "NDFEB-RO": (200, 280),
    "NDFEB-EOL": (60, 300),
    "NDFEB-BD": (120, 240),
    "POLISH": (300, 600),
    "PHOSPHOR": (40, 220),
    "NIMH": (30, 90),
    "CATALYST": (12, 60),
    "PYRO-SLAG": (80, 420),
}
STATE_PLAN = (
    [LoadState.ARRIVED] * 3
    + [LoadState.WEIGHED_IN] * 3
    + [LoadState.INSPECTED] * 3
    + [LoadState.WEIGHED_OUT] * 2
    + [LoadState.AWAITING_LAB] * 8
    + [LoadState.CLASSIFIED] * 20
    + [LoadState.REJECTED] * 1
)


@dataclass(frozen=True)
class DemoSummary:
    suppliers: int
    vehicles: int
    loads: int
    certificates: tuple[str, ...] = ()


def _dec(rng: random.Random, low: int, high: int, places: int = 1) -> str:
    """A decimal string between low and high (given in units of the last place)."""
    value = Decimal(rng.randint(low, high)).scaleb(-places)
    return str(value)


def _gate_attributes(rng: random.Random, category: str) -> dict[str, Any]:
    background = rng.randint(9, 13)
    attrs: dict[str, Any] = {
        "dose_background_usv_h": _dec(rng, background, background, 2),
        "dose_gross_usv_h": _dec(rng, background + 1, background + (30 if category == "PYRO-SLAG" else 8), 2),
        "portal_alarm": False,
        "prohibited_items_found": False,
        "inclusions_pct": _dec(rng, 2, 35, 1),
        "smoke_or_heat": False,
    }
    if category in ("NDFEB-SL", "NDFEB-PW"):
        attrs["air_isolated_packaging"] = True
    if category == "NDFEB-EOL":
        attrs["magnet_liberated"] = rng.random() < 0.7
    if category == "NIMH":
        attrs["damaged_cells"] = False
    return attrs


def _lab_attributes(rng: random.Random, category: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"treo_basis": "oxide", "treo_moisture_basis": "dry"}
    if category == "SMCO":
        attrs.update(sm_pct=_dec(rng, 180, 340), co_pct=_dec(rng, 480, 620))
    else:
        low, high = TREO_RANGE[category]
        attrs["treo_pct"] = _dec(rng, low, high)
    if category in ("NDFEB-SL", "POLISH"):
        attrs["moisture_pct"] = _dec(rng, 80, 250)
    if category == "NDFEB-SL":
        attrs["oil_pct"] = _dec(rng, 20, 90)
    if category == "NDFEB-PS":
        attrs["prnd_pct_of_treo"] = _dec(rng, 740, 790)
    if category == "PYRO-SLAG":
        attrs["u_th_max_bq_g"] = _dec(rng, 20, 95, 2)
    return attrs


def build_demo_yard(store: Store, *, clock: Clock | None = None, loads: int = 40) -> DemoSummary:
    """Fill an empty data directory with the demo yard; refuses a data directory that holds a yard."""
    clock = clock or FixedClock(DEMO_START, offset_minutes=YARD_OFFSET)
    rng = random.Random(2026)
    with store.session() as session:
        if yard_services.get_yard(session) is not None:
            raise ConflictError("demo.not_empty", path=str(store.data_dir.root))
        yard_services.create_yard(
            session,
            actor=SYSTEM,
            clock=clock,
            legal_name="赣州南岭稀土资源循环利用有限公司",
            legal_name_en="Ganzhou Nanling Rare Earth Resource Recycling Co., Ltd.",
            uscc=demo_uscc("91360703MA39T5YD2"),
            address="江西省赣州市章贡区水西工业园稀土大道18号",
            permit_numbers=["赣危废经字 360702001", "再生资源回收备案 GZ-2026-017"],
            hw_permit_codes=["HW29", "HW49", "HW50"],
        )
        seed_demo_accounts(session, data_dir=store.data_dir, clock=clock)
        # The scale house's ticket seal, so the demo's weigh tickets carry a sealed QR code.
        keys.create_station_ticket_key(session, actor=SYSTEM, clock=clock, data_dir=store.data_dir,
                                       ca_passphrase=DEMO_CA_PASSPHRASE, station_name=DEMO_STATION)
        # The demo weighbridge reads the indicator simulator through a link in the data directory
        # (scripts/run-demo.sh starts it: yard-inspector scale simulate --scenario trucks --link ...).
        yard_services.add_scale(
            session, actor=SYSTEM, clock=clock, scale_id="WB-1", name="1号地磅 Weighbridge 1",
            profile="toledo-continuous", port=str(store.data_dir.root / DEMO_SCALE_LINK), division=20,
            capacity=100000,
        )
        supplier_ids = []
        for name, body in SUPPLIERS:
            supplier = yard_services.add_supplier(
                session, actor=SYSTEM, clock=clock, name=name, uscc=demo_uscc(body), contact="", address=""
            )
            assert supplier.id is not None
            supplier_ids.append(supplier.id)
        for i, plate in enumerate(PLATES):
            yard_services.add_vehicle(
                session,
                actor=SYSTEM,
                clock=clock,
                plate=plate,
                supplier_id=supplier_ids[i % len(supplier_ids)],
            )
    plan = list(STATE_PLAN)
    while len(plan) < loads:
        plan.append(LoadState.CLASSIFIED)
    plan = plan[:loads]
    # Oldest loads are the finished ones; the trucks still on site arrived today.
    ordered = sorted(plan, key=lambda s: -_progress(s))
    for state in ordered:
        clock_step = timedelta(minutes=rng.randint(25, 190))
        if isinstance(clock, FixedClock):
            clock.advance(seconds=clock_step.total_seconds())
        with store.session() as session:
            _demo_load(session, rng=rng, clock=clock, state=state, supplier_ids=supplier_ids)
    # Lots of the finished loads, approved by the demo supervisor, with their signed certificates written
    # into the data directory's certificates/ folder (one voided and reissued, so every state shows).
    issued = issue_demo_certificates(store, clock=clock)
    return DemoSummary(suppliers=len(SUPPLIERS), vehicles=len(PLATES), loads=len(plan),
                       certificates=tuple(issued))


def _progress(state: LoadState) -> int:
    order = [
        LoadState.ARRIVED,
        LoadState.WEIGHED_IN,
        LoadState.INSPECTED,
        LoadState.WEIGHED_OUT,
        LoadState.AWAITING_LAB,
        LoadState.CLASSIFIED,
        LoadState.REJECTED,
    ]
    return order.index(state)


def _demo_load(
    session: Any, *, rng: random.Random, clock: Clock, state: LoadState, supplier_ids: list[int]
) -> Load:
    category = rng.choice(CATEGORIES)
    supplier_id = rng.choice(supplier_ids)
    plate = rng.choice(PLATES)
    intake: dict[str, Any] = {
        "origin": "end_of_life"
        if category in ("NDFEB-EOL", "NIMH", "PHOSPHOR", "CATALYST")
        else "production",
        "package_type": rng.choice(["吨袋", "钢桶", "托盘", "散装"]),
        "package_count": rng.randint(4, 36),
    }
    if category in HW_CODES:
        intake["hazardous_waste_code"] = HW_CODES[category]
    enterprise = "赣州稀金磁材有限公司" if category.startswith("NDFEB") else ""
    if enterprise:
        intake["generating_enterprise"] = enterprise
    load = yard_services.register_arrival(
        session,
        actor=DEMO_INSPECTOR,
        clock=clock,
        plate=plate,
        supplier_id=supplier_id,
        driver=rng.choice(DRIVERS),
        declared_category=category,
        generating_enterprise=enterprise,
        attributes=intake,
    )
    progress = _progress(state)
    attributes = dict(load.attributes)
    division = 20
    gross = rng.randint(900, 2400) * division
    tare = rng.randint(400, 750) * division
    if progress >= 1:
        load.gross = gross
    if progress >= 2:
        attributes.update(_gate_attributes(rng, category))
    if progress >= 3:
        load.tare = tare
        load.net = gross - tare
    if state in (LoadState.CLASSIFIED,):
        attributes.update(_lab_attributes(rng, category))
        load.assigned_category = category
    if state is LoadState.REJECTED:
        attributes["prohibited_items_found"] = True
        load.tare = tare
        load.net = gross - tare
    load.attributes = attributes
    if state is not LoadState.ARRIVED:
        yard_services.set_load_state(session, load, state, actor=DEMO_INSPECTOR, clock=clock)
    # Judge what is known with the real engine: the gate stage once the gate checks are in, the lab
    # stage (final) once the assay is in.
    if progress >= 2 or state is LoadState.REJECTED:
        stage = "lab" if state is LoadState.CLASSIFIED else "gate"
        classify_load(session, actor=DEMO_INSPECTOR, clock=clock, load_id=load.id or 0, stage=stage)
    return load


# --- lots and certificates of the demo yard, through the same services a user's actions go through ----

DEMO_SUPERVISOR = "zhang.min"
DEMO_LOTS = 3


def _step(clock: Clock) -> None:
    if isinstance(clock, FixedClock):
        clock.advance(minutes=7)


def _secrets(username: str) -> tuple[str, str]:
    """A demo supervisor's published password and key passphrase (security.setup.DEMO_ACCOUNTS)."""
    account = next((a for a in DEMO_ACCOUNTS if a.username == username and a.key_passphrase), None)
    if account is None or account.key_passphrase is None:
        raise EnvironmentProblemError("demo.no_passphrase", user=username)
    return account.password, account.key_passphrase


def _actor(session: Session, username: str) -> Actor:
    user = users.get_user(session, username)
    if user is None:
        raise EnvironmentProblemError("demo.account_missing", user=username)
    return users.actor_for(user)


def _build_demo_lots(store: Store, *, clock: Clock, ruleset: RuleSet) -> None:
    """Lots of the demo yard's accepted loads (one per category and supplier), approved by zhang.min."""
    with store.session() as session:
        stmt = select(Load).where(col(Load.state) == "classified", col(Load.outcome) == "ACCEPT",
                                  col(Load.classification_status) == "final")
        loads = session.exec(stmt.order_by(col(Load.ticket_no))).all()
        groups: dict[tuple[str, int], list[int]] = {}
        for ld in loads:
            if ld.assigned_category and ld.id is not None:
                groups.setdefault((ld.assigned_category, ld.supplier_id), []).append(ld.id)
    made = 0
    for ids in sorted(groups.values(), key=lambda v: (-len(v), v)):
        if made >= DEMO_LOTS:
            break
        _step(clock)
        try:
            with store.session() as session:
                inspector = _actor(session, DEMO_INSPECTOR.user_id)
                lot = lot_services.create_lot(session, actor=inspector, clock=clock, ruleset=ruleset,
                                              load_ids=ids, note="demo")
                lot_services.submit_lot(session, actor=inspector, clock=clock, lot_no=lot.lot_no,
                                        ruleset=ruleset)
                lot_no = lot.lot_no
        except (UserError, ConflictError):
            continue  # a group the lot rules refuse (e.g. no usable assay): the demo takes the next one
        _step(clock)
        password, passphrase = _secrets(DEMO_SUPERVISOR)
        with store.session() as session:
            lot_services.sign_decision(
                session, actor=_actor(session, DEMO_SUPERVISOR), clock=clock, data_dir=store.data_dir,
                ruleset=ruleset, lot_no=lot_no, decision="approve",
                meaning="分类与品级经核对无误 Classification and grade checked",
                password=password, passphrase=passphrase)
        made += 1


def _demo_approver(session: Session, lot: Lot) -> tuple[Actor, str, str]:
    """The demo supervisor who approved ``lot``, with their published password and key passphrase."""
    approval = lot_services.current_approval(session, lot)
    username = approval.user_id if approval is not None else DEMO_SUPERVISOR
    password, passphrase = _secrets(username)
    return _actor(session, username), password, passphrase


def issue_demo_certificates(store: Store, *, clock: Clock) -> list[str]:
    """Certificates for the demo yard's approved lots (approving some first if none are), plus one voided
    and reissued, so the register shows every state. Returns the references issued."""
    from inspector.standard.loader import default_ruleset

    ruleset = default_ruleset(store.data_dir)
    with store.session() as session:
        approved = lot_services.list_lots(session, states=[LotState.APPROVED.value])
    if not approved:
        _build_demo_lots(store, clock=clock, ruleset=ruleset)
        with store.session() as session:
            approved = lot_services.list_lots(session, states=[LotState.APPROVED.value])
    issued: list[str] = []
    for lot in approved:
        same = (lot.ruleset_id, lot.ruleset_version) == (ruleset.id, ruleset.version)
        _step(clock)
        with store.session() as session:
            approver, password, passphrase = _demo_approver(session, lot)
            row = certificate_services.issue_certificate(
                session, actor=approver, clock=clock, data_dir=store.data_dir, lot_no=lot.lot_no,
                password=password, passphrase=passphrase, ruleset=ruleset if same else None)
            issued.append(row.reference)
    if issued:
        number = issued[0].split(" ")[0]
        _step(clock)
        with store.session() as session:
            certificate_services.void_certificate(
                session, actor=_actor(session, DEMO_SUPERVISOR), clock=clock, number=number,
                reason="演示：更正化验报告编号 Demo: lab report number corrected")
        _step(clock)
        with store.session() as session:
            lot = lot_services.get_lot(session, certificate_services.get_certificate(session, number).lot_no)
            approver, password, passphrase = _demo_approver(session, lot)
            row = certificate_services.reissue_certificate(
                session, actor=approver, clock=clock, data_dir=store.data_dir, number=number,
                password=password, passphrase=passphrase)
            issued.append(row.reference)
    return issued


def ticket_awaiting_lab(session: Session) -> str | None:
    """The oldest demo load waiting for the lab (the lab screen's picture opens it)."""
    load = session.exec(select(Load).where(col(Load.state) == LoadState.AWAITING_LAB.value)
                        .order_by(col(Load.id))).first()
    return load.ticket_no if load is not None else None


def most_complete_load(session: Session) -> int:
    """The newest classified load (the one with the most filled in), else the newest load."""
    newest = select(Load).order_by(col(Load.id).desc())
    load = session.exec(newest.where(col(Load.state) == LoadState.CLASSIFIED.value)).first() \
        or session.exec(newest).first()
    if load is None or load.id is None:
        raise EnvironmentProblemError("demo.no_load")
    return load.id
