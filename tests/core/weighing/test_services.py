"""Weighing services: capture onto a load, net arithmetic, manual weights with four eyes, stored tares."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from inspector.clock import FixedClock
from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.security.actor import Actor, Role
from inspector.services import weighing as svc
from inspector.storage.db import Store
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.core import Load, Scale, Supplier
from inspector.storage.models.weighing import StoredTare, Weighing
from inspector.weighing.capture import CapturedWeight, LiveMonitor, ScaleConfig
from inspector.weighing.frame import Frame, StabilityMethod
from inspector.weighing.profiles import Decoder, Indication, get_profile

INSPECTOR = Actor("insp1", "Li Inspector", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("sup1", "Wang Supervisor", frozenset({Role.SUPERVISOR}))
SUPERVISOR_2 = Actor("sup2", "Zhao Supervisor", frozenset({Role.SUPERVISOR, Role.INSPECTOR}))
CLERK = Actor("clerk1", "Chen Clerk", frozenset({Role.CLERK}))
MS = 1_000_000
CONFIG = ScaleConfig(unit="kg", division=10, capacity=80000, scale_id="WB1", profile="toledo-continuous")


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    with store.session() as s:
        yield s


@pytest.fixture
def load_id(session: Session, clock: FixedClock) -> int:
    # The weighbridges the captures come from: a weight is judged against its registered scale.
    session.add(Scale(scale_id="WB1", profile="toledo-continuous", division=10, capacity=80000))
    session.add(Scale(scale_id="WB2", profile="xk3190-a9", division=10, capacity=80000))
    supplier = Supplier(name="Ningbo Magnet Recycling", uscc="91330200MA2AAAAA1X", created_at=clock.now().utc)
    session.add(supplier)
    session.flush()
    load = Load(
        ticket_no="T2026-000001",
        ticket_year=2026,
        ticket_seq=1,
        plate="赣B12345",
        supplier_id=supplier.id or 0,
        arrived_at=clock.now().utc,
    )
    session.add(load)
    session.flush()
    assert load.id is not None
    return load.id


def captured(weight: int, *, profile: str = "toledo-continuous") -> CapturedWeight:
    """A capture through the real parser and gate, as the wizard makes it."""
    prof = get_profile(profile)
    frame = prof.parse(prof.encode(Indication(weight)), 0)
    assert isinstance(frame, Frame)
    monitor = LiveMonitor(CONFIG, monotonic_ns=lambda: 0, zero_seen=True)
    monitor.observe(frame)
    return monitor.capture()


def events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_gross_then_tare_gives_exact_net_and_audit(session: Session, clock: FixedClock, load_id: int) -> None:
    gross = svc.capture_weight(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=captured(45010)
    )
    assert gross.load.gross == 45010 and gross.load.net is None and gross.label == "45,010 kg"
    w = gross.weighing
    assert (w.source, w.stability_method, w.scale_id, w.captured_by, w.tare_method) == (
        "INDICATOR",
        "indicator",
        "WB1",
        "insp1",
        None,
    )
    assert bytes.fromhex(w.raw_frame_hex or "") == get_profile("toledo-continuous").encode(Indication(45010))
    assert w.captured_at == datetime(2026, 3, 2, 8, 30, tzinfo=UTC) and w.captured_offset == 480
    tare = svc.capture_weight(
        session, actor=SUPERVISOR, clock=clock, load_id=load_id, kind="tare", captured=captured(20000)
    )
    load = tare.load
    assert (load.gross, load.tare, load.net, load.weight_unit, load.manual_weight) == (
        45010,
        20000,
        25010,
        "kg",
        False,
    )
    assert tare.weighing.tare_method == "weighed"
    assert len(events(session, "weighing.gross")) == 1 and len(events(session, "weighing.tare")) == 1
    assert len(events(session, "load.gross")) == 1 and len(events(session, "load.tare")) == 1
    assert load.row_hash is not None and w.row_hash is not None


def test_tare_above_gross_is_refused(session: Session, clock: FixedClock, load_id: int) -> None:
    svc.capture_weight(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=captured(20000)
    )
    with pytest.raises(UserError) as info:
        svc.capture_weight(
            session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="tare", captured=captured(20010)
        )
    assert info.value.field == "tare" and info.value.code == "weighing.tare_above_gross"
    assert info.value.words("zh_CN") == (
        "皮重（20,010 kg）大于毛重（20,000 kg）。请核对过磅的车辆和重量是否正确。"
    )


def test_reweigh_needs_a_reason_and_links_the_previous(
    session: Session, clock: FixedClock, load_id: int
) -> None:
    first = svc.capture_weight(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=captured(30000)
    )
    with pytest.raises(ConflictError) as info:
        svc.capture_weight(
            session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=captured(30100)
        )
    assert (info.value.code, info.value.field) == ("weighing.already_weighed", "gross")
    assert info.value.message == "Load T2026-000001 is already weighed (Gross: 30,000 kg)."
    assert info.value.words("zh_CN").startswith("车次 T2026-000001 已过磅（毛重：30,000 kg）。")
    with pytest.raises(UserError) as info:
        svc.capture_weight(session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross",
                           captured=captured(30100), replace_reason="oops")
    assert (info.value.code, info.value.field) == ("weighing.reweigh_reason_short", "replace_reason")
    assert info.value.params["minimum"] == 5 and "至少 5 个字" in info.value.words("zh_CN")
    again = svc.capture_weight(
        session,
        actor=INSPECTOR,
        clock=clock,
        load_id=load_id,
        kind="gross",
        captured=captured(30100),
        replace_reason="truck was not fully on the deck",
    )
    assert again.load.gross == 30100 and again.weighing.replaces_id == first.weighing.id
    assert [w.weight for w in svc.list_weighings(session, load_id=load_id)] == [30000, 30100]


def test_roles_and_bad_captures(session: Session, clock: FixedClock, load_id: int) -> None:
    with pytest.raises(PermissionDeniedError):
        svc.capture_weight(
            session, actor=CLERK, clock=clock, load_id=load_id, kind="gross", captured=captured(30000)
        )
    with pytest.raises(UserError) as info:
        svc.capture_weight(
            session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="net", captured=captured(30000)
        )
    assert info.value.field == "kind" and info.value.code == "weighing.kind_unknown"
    with pytest.raises(UserError) as info:
        svc.capture_weight(
            session, actor=INSPECTOR, clock=clock, load_id=9999, kind="gross", captured=captured(30000)
        )
    assert info.value.code == "weighing.load_missing" and info.value.words("zh_CN").startswith(
        "没有编号为 9999 的车次。")
    good = captured(30000)
    moving = good.frame.with_stability(False, good.stability)
    with pytest.raises(UserError) as info:
        svc.capture_weight(
            session,
            actor=INSPECTOR,
            clock=clock,
            load_id=load_id,
            kind="gross",
            captured=CapturedWeight(30000, "kg", good.stability, good.raw, "WB1", moving),
        )
    assert info.value.code == "weighing.capture_refused" and "motion" in str(info.value)
    assert "秤处于动态（未稳定）" in info.value.words("zh_CN")
    forged = CapturedWeight(31000, "kg", good.stability, good.raw, "WB1", good.frame, "toledo-continuous")
    with pytest.raises(UserError, match="does not decode"):
        svc.capture_weight(
            session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=forged
        )
    other_raw = get_profile("toledo-continuous").encode(Indication(31000))
    forged_frame = CapturedWeight(
        30000,
        "kg",
        good.stability,
        other_raw,
        "WB1",
        Frame(30000, "kg", good.frame.mode, True, other_raw),
        "toledo-continuous",
    )
    with pytest.raises(UserError, match="does not decode"):  # the kept raw frame must decode to the weight
        svc.capture_weight(
            session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=forged_frame
        )


def test_software_stability_is_recorded(session: Session, clock: FixedClock, load_id: int) -> None:
    profile = get_profile("xk3190-a9")
    decoder = Decoder(profile, division=10, assumed_unit="kg")
    monitor = LiveMonitor(
        ScaleConfig(scale_id="WB2", profile="xk3190-a9"), monotonic_ns=lambda: 500 * MS, zero_seen=True
    )
    raw = profile.encode(Indication(12340))
    for t in range(0, 600, 100):
        for frame in decoder.feed(raw, t * MS):
            monitor.observe(frame)
    cap = monitor.capture()
    result = svc.capture_weight(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=cap
    )
    assert result.weighing.stability_method == "software" and result.weighing.scale_id == "WB2"
    assert result.weighing.raw_frame_hex == raw.hex()


def test_manual_weight_needs_reason_and_another_supervisor(
    session: Session, clock: FixedClock, load_id: int
) -> None:
    kw = {
        "actor": INSPECTOR,
        "clock": clock,
        "load_id": load_id,
        "kind": "gross",
        "weight": 30000,
        "unit": "kg",
    }
    with pytest.raises(UserError) as info:
        svc.record_manual_weight(session, reason="", confirmed_by=SUPERVISOR, **kw)  # type: ignore[arg-type]
    assert info.value.field == "reason" and info.value.code == "weighing.manual_reason_short"
    with pytest.raises(UserError) as info:
        svc.record_manual_weight(session, reason="indicator display broken", confirmed_by=None, **kw)  # type: ignore[arg-type]
    assert info.value.field == "confirmed_by" and info.value.code == "weighing.confirmation_missing"
    with pytest.raises(PermissionDeniedError) as denied:
        svc.record_manual_weight(session, reason="indicator display broken", confirmed_by=CLERK, **kw)  # type: ignore[arg-type]
    assert denied.value.code == "weighing.confirmer_not_supervisor"
    assert denied.value.words("zh_CN") == "Chen Clerk（clerk1）不是主管。只有主管可以确认手工录入的重量。"
    with pytest.raises(PermissionDeniedError, match="someone else"):  # not their own manual weight
        svc.record_manual_weight(
            session,
            actor=SUPERVISOR_2,
            clock=clock,
            load_id=load_id,
            kind="gross",
            weight=30000,
            unit="kg",
            reason="indicator display broken",
            confirmed_by=SUPERVISOR_2,
        )
    with pytest.raises(UserError):
        svc.record_manual_weight(
            session, reason="indicator display broken", confirmed_by=SUPERVISOR, **{**kw, "weight": -5}
        )  # type: ignore[arg-type]
    result = svc.record_manual_weight(
        session, reason="indicator display broken", confirmed_by=SUPERVISOR, **kw
    )  # type: ignore[arg-type]
    assert result.label == "30,000 kg MAN WT" and result.load.manual_weight
    assert result.label_in("zh_CN") == "30,000 kg 手工称重"
    w = result.weighing
    assert (w.source, w.manual_reason, w.confirmed_by, w.raw_frame_hex) == (
        "MANUAL",
        "indicator display broken",
        "sup1",
        None,
    )
    [event] = events(session, "weighing.manual_gross")
    assert event.reason is not None and "MAN WT" in event.reason and "sup1" in event.reason
    # An indicator tare afterwards keeps the load flagged: its gross is still manual.
    tare = svc.capture_weight(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="tare", captured=captured(10000)
    )
    assert tare.load.manual_weight and tare.load.net == 20000


def test_format_weight() -> None:
    assert svc.format_weight(12340, "kg") == "12,340 kg"
    assert svc.format_weight(12340, "kg", manual=True) == "12,340 kg MAN WT"
    assert svc.format_weight(12340, "kg", manual=True, lang="zh_CN") == "12,340 kg 手工称重"
    assert svc.format_weight(None, "kg") == "-"


def test_stored_tare_from_a_weighing_and_its_expiry(
    session: Session, clock: FixedClock, load_id: int
) -> None:
    weighed = svc.capture_weight(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="tare", captured=captured(14200)
    )
    stored = svc.set_stored_tare(
        session,
        actor=INSPECTOR,
        clock=clock,
        subject_kind="vehicle",
        subject_ref="赣b12345",
        weighing_id=weighed.weighing.id,
        valid_days=30,
    )
    assert (stored.weight, stored.unit, stored.method, stored.subject_ref) == (
        14200,
        "kg",
        "weighed",
        "赣B12345",
    )
    assert svc.stored_tare_for_plate(session, plate="赣B12345") == stored
    assert svc.stored_tare_for_plate(session, plate="OTHER") is None
    found = svc.lookup_stored_tare(session, clock=clock, subject_kind="vehicle", subject_ref="赣B12345")
    assert found is not None and not found.expired and found.warning is None

    later = FixedClock(datetime(2026, 4, 2, 8, 30, tzinfo=UTC))
    expired = svc.lookup_stored_tare(session, clock=later, subject_kind="vehicle", subject_ref="赣B12345")
    assert expired is not None and expired.expired and expired.warning is not None
    assert (expired.warning.code, expired.warning.field) == ("weighing.stored_tare_expired", "subject_ref")
    # Stored on 2026-03-02 16:30 at the yard (UTC+8) for 30 days: it expired on 2026-04-01, local date.
    assert expired.warning.message == "The stored tare of vehicle 赣B12345 (14,200 kg) expired on 2026-04-01."
    assert expired.warning.words("zh_CN") == (
        "车辆 赣B12345 的存档皮重（14,200 kg）已于 2026年04月01日 过期。"
        "请重新称量空载的车辆；过期的皮重只能在检验员在场时使用。"
    )

    # A second load of the same truck uses the stored tare: warned (attended), refused (unattended).
    second = Load(
        ticket_no="T2026-000002",
        ticket_year=2026,
        ticket_seq=2,
        plate="赣B12345",
        supplier_id=session.get(Load, load_id).supplier_id,
        arrived_at=later.now().utc,
    )  # type: ignore[union-attr]
    session.add(second)
    session.flush()
    assert second.id is not None
    svc.capture_weight(
        session, actor=INSPECTOR, clock=later, load_id=second.id, kind="gross", captured=captured(40000)
    )
    with pytest.raises(ConflictError) as refused:
        svc.apply_stored_tare(
            session,
            actor=INSPECTOR,
            clock=later,
            load_id=second.id,
            subject_kind="vehicle",
            subject_ref="赣B12345",
            attended=False,
        )
    assert refused.value.code == "weighing.stored_tare_expired"
    result = svc.apply_stored_tare(
        session,
        actor=INSPECTOR,
        clock=later,
        load_id=second.id,
        subject_kind="vehicle",
        subject_ref="赣B12345",
    )
    assert [w.code for w in result.warnings] == ["weighing.stored_tare_expired"]
    assert "expired" in result.warnings[0].words("en") and "过期" in result.warnings[0].words("zh_CN")
    # The audit trail keeps the English reason it has always stored.
    [used] = events(session, "weighing.stored_tare")
    assert used.reason == ("The stored tare of vehicle 赣B12345 (14200 kg) expired on 2026-04-01: "
                           "weigh the empty vehicle again.")
    w = result.weighing
    assert (w.tare_method, w.stored_tare_id, w.source, w.raw_frame_hex) == (
        "stored",
        stored.id,
        "INDICATOR",
        weighed.weighing.raw_frame_hex,
    )
    assert result.load.net == 40000 - 14200


def test_stored_tare_by_hand_and_refusals(session: Session, clock: FixedClock, load_id: int) -> None:
    with pytest.raises(UserError):
        svc.set_stored_tare(
            session,
            actor=INSPECTOR,
            clock=clock,
            subject_kind="trailer",
            subject_ref="T-9",
            weight=5000,
            unit="kg",
            reason="no scale",
            confirmed_by=None,
        )
    tare = svc.set_stored_tare(
        session,
        actor=INSPECTOR,
        clock=clock,
        subject_kind="container",
        subject_ref="CONT-1",
        weight=2200,
        unit="kg",
        reason="container plate says so",
        confirmed_by=SUPERVISOR,
    )
    assert tare.method == "manual" and tare.confirmed_by == "sup1"
    with pytest.raises(UserError):
        svc.set_stored_tare(
            session,
            actor=INSPECTOR,
            clock=clock,
            subject_kind="boat",
            subject_ref="X",
            weight=1,
            unit="kg",
            reason="whatever",
            confirmed_by=SUPERVISOR,
        )
    gross = svc.capture_weight(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross", captured=captured(9000)
    )
    with pytest.raises(UserError):  # a gross weighing is not a tare
        svc.set_stored_tare(
            session,
            actor=INSPECTOR,
            clock=clock,
            subject_kind="vehicle",
            subject_ref="X",
            weighing_id=gross.weighing.id,
        )
    result = svc.apply_stored_tare(
        session, actor=INSPECTOR, clock=clock, load_id=load_id, subject_kind="container", subject_ref="cont-1"
    )
    assert (
        result.weighing.source == "MANUAL" and result.label == "2,200 kg MAN WT" and result.load.manual_weight
    )
    with pytest.raises(UserError) as info:
        svc.apply_stored_tare(
            session,
            actor=INSPECTOR,
            clock=clock,
            load_id=load_id,
            subject_kind="vehicle",
            subject_ref="none",
            replace_reason="again please",
        )
    assert info.value.code == "weighing.stored_tare_missing"
    assert info.value.message == "No tare is stored for vehicle NONE."
    assert info.value.words("zh_CN") == "车辆 NONE 没有存档皮重。请改为空车过磅。"
    assert session.execute(sa.select(sa.func.count()).select_from(StoredTare)).scalar() == 1
    assert session.execute(sa.select(sa.func.count()).select_from(Weighing)).scalar() == 2


def test_scale_settings_are_saved_and_audited(session: Session, clock: FixedClock) -> None:
    settings = svc.ScaleSettings(
        scale_id="WB1",
        name="North bridge",
        profile="xk3190-a9",
        port="/dev/ttyUSB0",
        division=20,
        capacity=100000,
    )
    with pytest.raises(PermissionDeniedError):
        svc.save_scale_settings(session, actor=INSPECTOR, clock=clock, settings=settings)
    scale = svc.save_scale_settings(session, actor=SUPERVISOR, clock=clock, settings=settings)
    assert scale.id is not None and scale.profile == "xk3190-a9"
    changed = svc.ScaleSettings(**{**settings.__dict__, "baud": 4800})
    svc.save_scale_settings(session, actor=SUPERVISOR, clock=clock, settings=changed)
    assert svc.get_scale_settings(session, scale_id="WB1") == changed
    assert svc.get_scale_settings(session, scale_id="nope") is None
    [update] = events(session, "scale.update")
    assert update.old is not None and update.old["baud"] == 9600 and update.new["baud"] == 4800
    assert changed.config() == ScaleConfig(
        unit="kg", division=20, capacity=100000, scale_id="WB1", profile="xk3190-a9", stable_delay_s=2
    )
    for bad, code in (
        ({"division": 0}, "scale.division_invalid"),
        ({"capacity": 100}, "scale.capacity_too_small"),
        ({"unit": "st"}, "weighing.unit_unknown"),
        ({"profile": "x"}, "scale.profile_unknown"),
        ({"scale_id": " "}, "scale.id_missing"),
        ({"parity": "Q"}, "scale.parity_unknown"),
    ):
        with pytest.raises(UserError) as info:
            svc.ScaleSettings(**{**settings.__dict__, **bad}).validate()  # type: ignore[arg-type]
        assert info.value.code == code and info.value.field == next(iter(bad))
    with pytest.raises(UserError) as info:
        svc.ScaleSettings(**{**settings.__dict__, "capacity": 100}).validate()  # type: ignore[arg-type]
    assert info.value.words("zh_CN") == (
        "最大称量（Max）至少应为 20 个分度值（400 kg）。请以地磅单位填写其最大称量，例如 80000。"
    )


def test_the_stored_bytes_are_judged_not_the_frame_handed_in(session: Session, clock: FixedClock,
                                                             load_id: int) -> None:
    """A motion frame whose object was marked stable, an unknown weighbridge, a weight off the division."""
    profile = get_profile("generic-st-gs")
    raw = b"US,GS,+0051440kg\r\n"
    moving = profile.parse(raw, 0)
    assert isinstance(moving, Frame) and moving.stable is False
    lying = CapturedWeight(51440, "kg", StabilityMethod.INDICATOR, raw, "WB1",
                           moving.with_stability(True, StabilityMethod.INDICATOR), "generic-st-gs")
    with pytest.raises(UserError, match="toledo-continuous"):  # not the weighbridge's protocol
        svc.capture_weight(session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross",
                           captured=lying)
    session.add(Scale(scale_id="WB3", profile="generic-st-gs", division=20, capacity=80000))
    session.flush()
    lying_on_wb3 = dataclasses.replace(lying, scale_id="WB3")
    with pytest.raises(UserError, match="motion"):
        svc.capture_weight(session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross",
                           captured=lying_on_wb3)
    unknown = dataclasses.replace(captured(30000), scale_id="NO-SUCH-SCALE")
    with pytest.raises(UserError, match="not registered"):
        svc.capture_weight(session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross",
                           captured=unknown)
    stable_raw = b"ST,GS,+0051430kg\r\n"
    odd = profile.parse(stable_raw, 0)
    assert isinstance(odd, Frame)
    off_division = CapturedWeight(51430, "kg", StabilityMethod.INDICATOR, stable_raw, "WB3", odd,
                                  "generic-st-gs")
    with pytest.raises(UserError, match="divisions"):
        svc.capture_weight(session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross",
                           captured=off_division)
    assert session.exec(select(Weighing)).all() == []


def test_a_manual_weight_is_in_the_weighbridge_unit_and_divisions(session: Session, clock: FixedClock,
                                                                  load_id: int) -> None:
    for weight, unit, words, code in (
        (12345, "kg", "divisions", "weighing.not_whole_divisions"),
        (12340, "lb", "weighs in kg", "weighing.unit_not_scale"),
        (90000, "kg", "capacity", "weighing.above_capacity"),
    ):
        with pytest.raises(UserError, match=words) as info:
            svc.record_manual_weight(session, actor=INSPECTOR, clock=clock, load_id=load_id, kind="gross",
                                     weight=weight, unit=unit, reason="indicator display broken",
                                     confirmed_by=SUPERVISOR)
        assert info.value.code == code
    assert info.value.words("zh_CN") == "90,000 kg 超过地磅最大称量（80,000 kg）。请核对数值。"
