"""A small yard for the weigh ticket tests: its CA, an administrator and an inspector, one weighbridge, one
supplier and one load weighed in through the weighing service, and (unless asked otherwise) the station's
ticket-signing key. Used by the core, command line and window tests of the ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.demo.yard import demo_uscc
from inspector.security import keys, users
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.security.setup import init_security
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.storage.db import Store, open_store
from inspector.weighing.capture import CapturedWeight, LiveMonitor, ScaleConfig
from inspector.weighing.frame import Frame
from inspector.weighing.profiles import Indication, get_profile

START = datetime(2026, 3, 2, 6, 10, tzinfo=UTC)  # 14:10 at the yard (UTC+8)
ADMIN, ADMIN_PASSWORD = "admin", "admin password 2026"
INSPECTOR, INSPECTOR_PASSWORD = "li.wei", "li.wei password 2026"
CA_PASSPHRASE = "yard ca passphrase 2026"
INSPECTOR_ACTOR = Actor(INSPECTOR, "李伟 Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR_ACTOR = Actor("zhang.min", "张敏 Zhang Min", frozenset({Role.SUPERVISOR}))
CONFIG = ScaleConfig(unit="kg", division=10, capacity=80000, scale_id="WB-1", profile="toledo-continuous")
YARD_NAME = ("赣州南岭稀土资源循环利用有限公司", "Ganzhou Nanling Rare Earth Resource Recycling Co., Ltd.")
YARD_USCC = demo_uscc("91360703MA39T5YD2")
SUPPLIER = ("宁波东钕永磁科技有限公司", demo_uscc("91330206MA2H4C7L0"))
PLATE = "赣B3K721"


@dataclass
class TicketYard:
    store: Store
    data_dir: DataDir
    clock: FixedClock
    load_id: int

    def session(self) -> Session:
        return self.store.session()  # type: ignore[return-value]


def build_ticket_yard(root: Path, *, seal: bool = True) -> TicketYard:
    """The yard with one load weighed in (gross 32,480 kg at 14:10); sealed unless ``seal`` is False."""
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(START, offset_minutes=480)
    with store.session() as session:
        init_security(session, admin_user=ADMIN, admin_name="管理员 Admin", password=ADMIN_PASSWORD,
                      ca_passphrase=CA_PASSPHRASE, data_dir=data_dir, clock=clock, yard_name="Nanling")
        users.create_user(session, actor=SYSTEM, clock=clock, username=INSPECTOR,
                          display_name=INSPECTOR_ACTOR.display_name, roles=[Role.INSPECTOR],
                          password=INSPECTOR_PASSWORD, must_change_password=False)
        yard_svc.create_yard(session, actor=SYSTEM, clock=clock, legal_name=YARD_NAME[0],
                             legal_name_en=YARD_NAME[1], uscc=YARD_USCC)
        yard_svc.add_scale(session, actor=SYSTEM, clock=clock, scale_id=CONFIG.scale_id,
                           profile=CONFIG.profile, division=CONFIG.division, capacity=CONFIG.capacity)
        supplier = yard_svc.add_supplier(session, actor=SYSTEM, clock=clock, name=SUPPLIER[0],
                                         uscc=SUPPLIER[1])
        load = yard_svc.register_arrival(session, actor=INSPECTOR_ACTOR, clock=clock, plate=PLATE,
                                         supplier_id=supplier.id or 0, driver="王强",
                                         declared_category="NDFEB-SL")
        load_id = load.id or 0
        weighing_svc.capture_weight(session, actor=INSPECTOR_ACTOR, clock=clock, load_id=load_id,
                                    kind="gross", captured=captured(32480))
        if seal:
            keys.create_station_ticket_key(session, actor=SYSTEM, clock=clock, data_dir=data_dir,
                                           ca_passphrase=CA_PASSPHRASE, station_name="Scale house 1",
                                           valid_days=5 * 365)  # the verifier checks it at today's date
    keys.clear_signer_cache()
    return TicketYard(store=store, data_dir=data_dir, clock=clock, load_id=load_id)


def captured(weight: int) -> CapturedWeight:
    """A reading through the indicator's real parser and the capture gate, as the wizard takes it."""
    profile = get_profile(CONFIG.profile)
    frame = profile.parse(profile.encode(Indication(weight)), 0)
    assert isinstance(frame, Frame)
    monitor = LiveMonitor(CONFIG, monotonic_ns=lambda: 0, zero_seen=True)
    monitor.observe(frame)
    return monitor.capture()


def weigh_out(yard: TicketYard, tare: int = 12020, *, manual_reason: str | None = None) -> None:
    """The empty truck on the scale 55 minutes later: captured, or typed by hand with a reason."""
    yard.clock.advance(minutes=55)
    with yard.store.session() as session:
        if manual_reason is None:
            weighing_svc.capture_weight(session, actor=INSPECTOR_ACTOR, clock=yard.clock,
                                        load_id=yard.load_id, kind="tare", captured=captured(tare))
        else:
            weighing_svc.record_manual_weight(session, actor=INSPECTOR_ACTOR, clock=yard.clock,
                                              load_id=yard.load_id, kind="tare", weight=tare, unit="kg",
                                              reason=manual_reason, confirmed_by=SUPERVISOR_ACTOR)
    yard.clock.advance(minutes=5)
