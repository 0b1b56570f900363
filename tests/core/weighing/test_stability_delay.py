"""The yard's stability delay: a stable reading is captured only once it has stayed at the same weight for the
set time (the monotonic clock injected, no sleeping), and the yard setting is validated and audited."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest
from sqlmodel import Session, select

from inspector.clock import FixedClock
from inspector.errors import UserError
from inspector.security.actor import Actor, Role
from inspector.services import weighing as svc
from inspector.storage.db import Store
from inspector.storage.models import AuditEvent, Setting
from inspector.weighing.capture import (
    CaptureRefusedError,
    LiveMonitor,
    Refusal,
    ScaleConfig,
    check_capture,
)
from inspector.weighing.frame import Frame, Mode

MS = 1_000_000
S = 1_000 * MS
CONFIG = ScaleConfig(unit="kg", division=10, capacity=80000, scale_id="WB1", stable_delay_s=2)
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def frame(weight: int = 12340, at: int = 0, **changes: object) -> Frame:
    return replace(Frame(weight, "kg", Mode.GROSS, True, b"\x02raw", at), **changes)  # type: ignore[arg-type]


@pytest.fixture
def mono() -> FakeClock:
    return FakeClock()


@pytest.fixture
def monitor(mono: FakeClock) -> LiveMonitor:
    return LiveMonitor(CONFIG, monotonic_ns=mono, zero_seen=True)


def feed(monitor: LiveMonitor, mono: FakeClock, weights: list[int], *, start: int = 0, step: int = 200 * MS,
         **changes: object) -> None:
    """Frames every ``step`` from ``start``, the clock following them."""
    for i, weight in enumerate(weights):
        mono.now = start + i * step
        monitor.observe(frame(weight, mono.now, **changes))


def test_the_rule_refuses_a_stable_reading_until_the_delay_has_passed() -> None:
    early = check_capture(frame(), config=CONFIG, zero_seen=True, steady_ns=1500 * MS)
    assert early.reasons == (Refusal.STEADY_TOO_SHORT,) and early.wait_ns == 500 * MS and early.wait_s == 0.5
    assert early.describe("zh_CN") == "稳定时间未达到本场设定的稳定延时"
    assert check_capture(frame(), config=CONFIG, zero_seen=True, steady_ns=2 * S).allowed
    # Nobody watched it over time (a stored frame judged again): the delay is not judged.
    assert check_capture(frame(), config=CONFIG, zero_seen=True).allowed
    # In motion, motion is the reason (no countdown); without a delay, nothing to wait for.
    moving = check_capture(frame(stable=False), config=CONFIG, zero_seen=True, steady_ns=0)
    assert moving.reasons == (Refusal.MOTION,) and moving.wait_ns == 0
    no_delay = replace(CONFIG, stable_delay_s=0)
    assert check_capture(frame(), config=no_delay, zero_seen=True, steady_ns=0).allowed


def test_the_monitor_counts_the_steady_time_from_the_first_stable_frame(monitor: LiveMonitor,
                                                                        mono: FakeClock) -> None:
    feed(monitor, mono, [12340, 12350, 12330, 12340, 12340, 12350])  # 0 .. 1.0 s, within +-3 e
    decision = monitor.decision()
    assert decision.reasons == (Refusal.STEADY_TOO_SHORT,) and decision.wait_s == 1.0
    with pytest.raises(CaptureRefusedError) as refused:
        monitor.capture()
    assert refused.value.reasons == (Refusal.STEADY_TOO_SHORT,)
    mono.now = 1999 * MS  # no new frame needed: the clock moves on, the reading is still fresh
    assert monitor.decision().wait_s == 0.1
    mono.now = 2 * S - 1
    monitor.observe(frame(12340, mono.now))
    assert not monitor.decision().allowed
    mono.now = 2 * S
    assert monitor.decision().allowed and monitor.steady_ns() == 2 * S
    assert monitor.capture().weight == 12340


@pytest.mark.parametrize(("changes", "then"), [
    ({"weight": 12380}, "moved beyond the band"),
    ({"stable": False}, "motion"),
    ({"mode": Mode.NET}, "another mode"),
    ({"error": "zero-error"}, "an indicator error"),
])
def test_the_run_starts_again_when_the_reading_leaves_it(monitor: LiveMonitor, mono: FakeClock,
                                                         changes: dict[str, object], then: str) -> None:
    feed(monitor, mono, [12340] * 9)  # 0 .. 1.6 s
    mono.now = 1800 * MS
    monitor.observe(frame(at=mono.now, **changes))  # the run is broken here
    feed(monitor, mono, [12380 if changes.get("weight") else 12340] * 2, start=2 * S)
    mono.now = 2200 * MS
    assert monitor.steady_ns() is not None and monitor.steady_ns() < 2 * S, then
    assert Refusal.STEADY_TOO_SHORT in monitor.decision().reasons


def test_a_silent_line_breaks_the_run(monitor: LiveMonitor, mono: FakeClock) -> None:
    feed(monitor, mono, [12340] * 5)  # 0 .. 0.8 s
    feed(monitor, mono, [12340] * 4, start=1900 * MS)  # 1.1 s of silence in between, then 1.9 .. 2.5 s
    assert monitor.steady_ns() == 600 * MS and not monitor.decision().allowed


def test_no_delay_keeps_the_old_rule(mono: FakeClock) -> None:
    monitor = LiveMonitor(replace(CONFIG, stable_delay_s=0), monotonic_ns=mono, zero_seen=True)
    feed(monitor, mono, [12340])
    assert monitor.decision().allowed


# -- the yard setting ---------------------------------------------------------------------------------------


def _events(session: Session, key: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == "setting.change",
                                                      AuditEvent.entity_id == key)))


def test_the_tolerance_and_the_delay_are_yard_settings_saved_with_the_scale(store: Store,
                                                                            clock: FixedClock) -> None:
    settings = svc.ScaleSettings(scale_id="WB1", port="/dev/ttyUSB0")
    assert (settings.tare_tolerance, settings.stable_delay_s) == (200, 2)
    assert settings.config().stable_delay_s == 2
    with store.session() as s:
        svc.save_scale_settings(s, actor=SUPERVISOR, clock=clock, settings=settings)
    with store.session() as s:
        assert s.get(Setting, svc.TARE_TOLERANCE_SETTING) is None  # the defaults are not written down
        assert _events(s, svc.STABLE_DELAY_SETTING) == []
        svc.save_scale_settings(s, actor=SUPERVISOR, clock=clock,
                                settings=dataclasses.replace(settings, tare_tolerance=300, stable_delay_s=5))
    with store.session() as s:
        assert (svc.tare_tolerance(s), svc.stable_delay_s(s)) == (300, 5)
        shown = svc.first_scale_settings(s)
        assert shown is not None and (shown.tare_tolerance, shown.stable_delay_s) == (300, 5)
        assert shown.config().stable_delay_s == 5
        [change] = _events(s, svc.TARE_TOLERANCE_SETTING)
        assert (change.old, change.new, change.actor) == ({"value": 200}, {"value": 300}, "wang.fang")
        assert [e.new for e in _events(s, svc.STABLE_DELAY_SETTING)] == [{"value": 5}]


@pytest.mark.parametrize(("changes", "field", "zh"), [
    ({"tare_tolerance": -1}, "tare_tolerance",
     "皮重允许偏差“-1”不是 0 到最大称量（80,000 kg）之间的整数 kg。"),
    ({"tare_tolerance": 90000}, "tare_tolerance", None),
    ({"stable_delay_s": 11}, "stable_delay_s", "稳定延时“11”不是 0 到 10 之间的整数秒。"),
    ({"stable_delay_s": -1}, "stable_delay_s", None),
    ({"stable_delay_s": 1.5}, "stable_delay_s", None),
])
def test_settings_out_of_range_are_refused_naming_the_field(store: Store, clock: FixedClock,
                                                            changes: dict[str, object], field: str,
                                                            zh: str | None) -> None:
    bad = dataclasses.replace(svc.ScaleSettings(scale_id="WB1"), **changes)  # type: ignore[arg-type]
    with pytest.raises(UserError) as refused, store.session() as s:
        svc.save_scale_settings(s, actor=SUPERVISOR, clock=clock, settings=bad)
    assert refused.value.field == field
    if zh is not None:
        assert refused.value.parts("zh_CN")[0] == zh
    with store.session() as s:  # nothing stored
        assert svc.first_scale_settings(s) is None
        assert s.get(Setting, svc.TARE_TOLERANCE_SETTING) is None
        assert s.get(Setting, svc.STABLE_DELAY_SETTING) is None
