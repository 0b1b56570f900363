"""The capture rule, software stability, zero return, jumps and staleness (injected clocks, no sleeping)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from inspector.weighing.capture import (
    CaptureRefusedError,
    LiveMonitor,
    Refusal,
    ScaleConfig,
    check_capture,
    is_zero,
    whole_units,
)
from inspector.weighing.frame import Frame, Mode, StabilityMethod
from inspector.weighing.profiles import Decoder, Indication, get_profile
from inspector.weighing.stability import SoftwareStability

MS = 1_000_000
CONFIG = ScaleConfig(unit="kg", division=10, capacity=80000, scale_id="WB1", profile="toledo-continuous")


def frame(weight: int = 12340, **changes: object) -> Frame:
    base = Frame(weight, "kg", Mode.GROSS, True, b"\x02raw", 0)
    return replace(base, **changes)  # type: ignore[arg-type]


def reasons(f: Frame | None, *, zero_seen: bool = True, **kw: object) -> set[Refusal]:
    return set(check_capture(f, config=CONFIG, zero_seen=zero_seen, **kw).reasons)  # type: ignore[arg-type]


def test_a_stable_gross_in_range_reading_is_capturable() -> None:
    decision = check_capture(frame(), config=CONFIG, zero_seen=True)
    assert decision.allowed and decision.reasons == () and decision.describe() == "capturable"
    assert decision.describe("zh_CN") == "可采集"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"stable": False}, Refusal.MOTION),
        ({"stable": None}, Refusal.STABILITY_UNKNOWN),
        ({"overload": True}, Refusal.OVERLOAD),
        ({"weight": 80100}, Refusal.OVERLOAD),
        ({"underload": True, "weight": -50}, Refusal.UNDERLOAD),
        ({"mode": Mode.NET}, Refusal.NOT_GROSS),
        ({"mode": Mode.TARE}, Refusal.NOT_GROSS),
        ({"unit": "lb"}, Refusal.UNIT),
        ({"expanded": True}, Refusal.EXPANDED),
        ({"weight": 123405, "decimals": 1}, Refusal.NOT_WHOLE),
        ({"weight": 10}, Refusal.NO_LOAD),
        ({"weight": 0}, Refusal.NO_LOAD),
        ({"error": "power-up-not-zeroed"}, Refusal.INDICATOR_ERROR),
    ],
)
def test_each_condition_refuses_with_its_code(changes: dict[str, object], expected: Refusal) -> None:
    assert expected in reasons(frame(**changes))


def test_overload_within_max_plus_9e_is_still_in_range() -> None:
    assert reasons(frame(80090)) == set()


def test_other_refusals() -> None:
    assert reasons(None) == {Refusal.NO_READING}
    assert reasons(frame(), zero_seen=False) == {Refusal.NO_RETURN_TO_ZERO}
    assert reasons(frame(), stale=True) == {Refusal.STALE}
    assert reasons(frame(), jump_seen=True) == {Refusal.JUMP}
    # Several at once are all named.
    assert reasons(frame(stable=False, mode=Mode.NET, unit="lb")) == {
        Refusal.MOTION,
        Refusal.NOT_GROSS,
        Refusal.UNIT,
    }


def test_whole_units_of_a_decimal_display() -> None:
    assert whole_units(frame(123400, decimals=1)) == 12340
    assert whole_units(frame(123405, decimals=1)) is None
    assert whole_units(frame(12340)) == 12340


def test_is_zero() -> None:
    assert is_zero(frame(0), CONFIG) and is_zero(frame(10), CONFIG) and is_zero(frame(-10), CONFIG)
    assert is_zero(frame(3, center_zero=True), CONFIG)
    assert not is_zero(frame(20), CONFIG)
    assert not is_zero(frame(0, stable=False), CONFIG)
    assert not is_zero(frame(0, error="power-up-not-zeroed"), CONFIG)


# -- software stability ---------------------------------------------------------------------------------


def test_software_stability_needs_0_4_s_within_3_divisions() -> None:
    stab = SoftwareStability(division=10)
    assert not stab.observe(12340, 0)
    assert not stab.observe(12350, 100 * MS)
    assert not stab.observe(12330, 300 * MS)
    assert stab.observe(12340, 400 * MS)  # 0.4 s of readings, all within +-30 kg of 12340
    assert not stab.observe(12380, 500 * MS)  # 40 kg away from the earlier readings: motion
    assert not stab.observe(12380, 800 * MS)
    assert stab.observe(12380, 900 * MS)


def test_software_stability_breaks_on_a_gap_and_out_of_range() -> None:
    stab = SoftwareStability(division=10)
    for t in range(0, 500, 100):
        stab.observe(5000, t * MS)
    assert stab.observe(5000, 500 * MS)
    assert not stab.observe(5000, 2_000 * MS)  # silent for 1.5 s: the run starts again
    assert not stab.observe(5000, 2_500 * MS, in_range=False)
    with pytest.raises(ValueError):
        SoftwareStability(division=0)


def test_xk3190_frames_are_marked_software_decided() -> None:
    profile = get_profile("xk3190-a9")
    decoder = Decoder(profile, division=10, assumed_unit="kg")
    raw = profile.encode(Indication(12340))
    got = [decoder.feed(raw, t * MS)[0] for t in range(0, 600, 100)]
    assert [f.stable for f in got] == [False, False, False, False, True, True]
    assert all(f.stability is StabilityMethod.SOFTWARE for f in got)
    assert got[-1].stability_method is StabilityMethod.SOFTWARE
    assert frame().stability_method is StabilityMethod.INDICATOR


# -- the live monitor ----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def test_monitor_requires_zero_between_vehicles_and_captures() -> None:
    clock = FakeClock()
    monitor = LiveMonitor(CONFIG, monotonic_ns=clock)
    with pytest.raises(CaptureRefusedError) as info:
        monitor.capture()
    assert info.value.reasons == (Refusal.NO_READING,)
    assert (info.value.code, info.value.field) == ("weighing.capture_refused", "weight")
    assert info.value.message == "The weight cannot be captured: no reading has arrived from the indicator."
    assert info.value.words("zh_CN").startswith("无法采集重量：称重仪表无读数。请等待")
    monitor.observe(frame(12340))
    assert Refusal.NO_RETURN_TO_ZERO in monitor.decision().reasons  # a truck on the deck at start-up
    monitor.observe(frame(0))
    assert monitor.zero_seen
    monitor.observe(frame(15000, stable=False))
    assert Refusal.MOTION in monitor.decision().reasons
    monitor.observe(frame(15000))
    captured = monitor.capture()
    assert (captured.weight, captured.unit, captured.stability, captured.scale_id) == (
        15000,
        "kg",
        StabilityMethod.INDICATOR,
        "WB1",
    )
    assert captured.raw_hex == b"\x02raw".hex() and captured.profile == "toledo-continuous"
    monitor.commit_capture()
    assert monitor.decision().reasons == (Refusal.NO_RETURN_TO_ZERO,)
    monitor.observe(frame(0))
    monitor.observe(frame(9000, stable=False))
    monitor.observe(frame(9000))
    assert monitor.decision().allowed


def test_monitor_goes_stale_after_one_second() -> None:
    clock = FakeClock()
    monitor = LiveMonitor(CONFIG, monotonic_ns=clock, zero_seen=True)
    assert monitor.is_stale()
    monitor.observe(frame(12340, received_ns=0))
    clock.now = 999 * MS
    assert not monitor.is_stale() and monitor.decision().allowed
    clock.now = 1000 * MS
    assert monitor.is_stale()
    assert monitor.decision().reasons == (Refusal.STALE,)


def test_a_jump_while_stable_blocks_capture_until_zero() -> None:
    monitor = LiveMonitor(CONFIG, monotonic_ns=lambda: 0, zero_seen=True)
    monitor.observe(frame(12340))
    monitor.observe(frame(12840))  # +50 divisions with no motion in between
    assert Refusal.JUMP in monitor.decision().reasons
    monitor.observe(frame(12340, stable=False))
    assert Refusal.JUMP in monitor.decision().reasons
    monitor.observe(frame(0))
    monitor.observe(frame(12340))
    assert monitor.decision().allowed


def test_small_steps_within_3_divisions_are_not_jumps() -> None:
    monitor = LiveMonitor(CONFIG, monotonic_ns=lambda: 0, zero_seen=True)
    monitor.observe(frame(12340))
    monitor.observe(frame(12370))
    assert monitor.decision().allowed
