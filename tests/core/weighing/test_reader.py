"""Reading through real pyserial: loop:// and a pseudo-terminal served by the simulator (bounded waits)."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import serial

from inspector.errors import UserError
from inspector.weighing.capture import ScaleConfig
from inspector.weighing.frame import Mode, StabilityMethod
from inspector.weighing.profiles import Indication, get_profile
from inspector.weighing.reader import (
    LiveScale,
    ReaderEvent,
    ScaleReader,
    SerialSettings,
    open_serial,
    probe_connection,
)
from inspector.weighing.simulator import SCENARIOS, Simulator, with_even_parity

WAIT_S = 10.0


def next_frame_event(reader: ScaleReader) -> ReaderEvent:
    while True:
        event = reader.events.get(timeout=WAIT_S)
        if event.frame is not None:
            return event


def test_reading_over_loop_url() -> None:
    profile = get_profile("toledo-continuous")
    port = serial.serial_for_url("loop://", timeout=0.05)
    stream = (
        profile.encode(Indication(12340)) + b"\x02garbage" + profile.encode(Indication(12350, stable=False))
    )
    port.write(with_even_parity(stream))
    reader = ScaleReader(SerialSettings("loop://"), profile, opener=lambda _s: port)
    with reader:
        first, second = next_frame_event(reader), next_frame_event(reader)
    assert first.frame is not None and second.frame is not None
    assert (first.frame.weight, first.frame.stable) == (12340, True)
    assert (second.frame.weight, second.frame.stable) == (12350, False)
    assert second.health.frames == 2 and second.health.rejected >= 1
    assert not port.is_open  # the reader closes the port it was given when it stops


def test_reader_reports_stale_by_its_injected_clock() -> None:
    profile = get_profile("generic-st-gs")
    port = serial.serial_for_url("loop://", timeout=0.05)
    now = [0]
    reader = ScaleReader(
        SerialSettings("loop://"), profile, opener=lambda _s: port, monotonic_ns=lambda: now[0]
    )
    port.write(b"ST,GS,+0012340kg\r\n")
    with reader:
        event = next_frame_event(reader)
        assert event.frame is not None and not event.stale
        assert reader.latest() is event.frame and not reader.is_stale()
        now[0] = 999_000_000
        assert reader.latest() is event.frame
        now[0] = 1_000_000_000
        assert reader.latest() is None and reader.is_stale()
        stale = reader.events.get(timeout=WAIT_S)  # the thread notices without any new byte
        assert stale.frame is None and stale.stale


def test_reader_reopens_a_port_that_cannot_be_opened() -> None:
    events: queue.Queue[ReaderEvent] = queue.Queue()
    calls: list[int] = []

    def opener(_s: SerialSettings) -> Any:
        calls.append(1)
        raise UserError("scale.port_unopenable", field="port", port="/dev/none", detail="no such device")

    reader = ScaleReader(SerialSettings("/dev/none"), get_profile("sma"), opener=opener, on_event=events.put)
    with reader:
        event = events.get(timeout=WAIT_S)
    assert event.error and "Cannot open" in event.error and event.stale
    assert event.problem is not None and event.problem.code == "scale.port_unopenable"
    assert event.problem.words("zh_CN").startswith("无法打开串口 /dev/none：no such device。")
    assert reader.error is not None and reader.problem is not None and calls


def test_serial_settings_are_validated() -> None:
    for bad, field, code in (
        (SerialSettings(""), "port", "scale.port_missing"),
        (SerialSettings("x", baudrate=12345), "baud", "scale.baud_invalid"),
        (SerialSettings("x", bytesize=9), "bytesize", "scale.bytesize_invalid"),
        (SerialSettings("x", parity="M"), "parity", "scale.parity_unknown"),
        (SerialSettings("x", stopbits=3), "stopbits", "scale.stopbits_invalid"),
    ):
        with pytest.raises(UserError) as info:
            bad.validate()
        assert (info.value.field, info.value.code) == (field, code)
    assert info.value.words("zh_CN") == "停止位不能为 3。请使用 1 或 2。"
    with pytest.raises(UserError) as info:
        open_serial(SerialSettings("/dev/no-such-serial-port-here"))
    assert info.value.field == "port" and info.value.code == "scale.port_unopenable"
    assert info.value.params["port"] == "/dev/no-such-serial-port-here"


@pytest.fixture
def served() -> Iterator[Any]:
    """A function starting a simulator thread; everything started is stopped and closed afterwards."""
    started: list[tuple[Simulator, threading.Event, threading.Thread]] = []

    def start(profile: str, **kw: Any) -> Simulator:
        sim = Simulator(get_profile(profile), **kw)
        sim.open()
        stop = threading.Event()
        thread = threading.Thread(target=sim.serve, args=(stop,), daemon=True)
        thread.start()
        started.append((sim, stop, thread))
        return sim

    yield start
    for sim, stop, thread in started:
        stop.set()
        thread.join(WAIT_S)
        sim.close()


@pytest.mark.parametrize(
    "profile", ["toledo-continuous", "mt-sics", "sma", "rice-lake", "generic-st-gs", "xk3190-a9"]
)
def test_every_profile_through_a_pty(served: Any, profile: str) -> None:
    sim = served(profile, scenario="garbage", weight=23450, rate_hz=50)
    settings = SerialSettings(sim.device_path)
    reader = ScaleReader(settings, get_profile(profile), division=10, assumed_unit="kg")
    with reader:
        while True:
            event = next_frame_event(reader)
            assert event.frame is not None
            if event.frame.stable and event.frame.mode is Mode.GROSS:
                break
    assert event.frame.weight == 23450 and event.frame.unit == "kg"
    expected = StabilityMethod.SOFTWARE if profile == "xk3190-a9" else StabilityMethod.INDICATOR
    assert event.frame.stability_method is expected


def test_seven_e1_line_through_a_pty(served: Any) -> None:
    sim = served("toledo-continuous", scenario="settle", weight=5000, rate_hz=50, parity_7e1=True)
    reader = ScaleReader(SerialSettings(sim.device_path), get_profile("toledo-continuous"))
    with reader:
        event = next_frame_event(reader)
    assert event.frame is not None and event.frame.weight in (0, 5000)
    assert event.frame.raw[0] == 0x82  # the raw bytes are kept as received, parity bit and all


def test_probe_connection_reports_what_arrived(served: Any) -> None:
    sim = served("rice-lake", scenario="settle", weight=8000, rate_hz=50)
    report = probe_connection(SerialSettings(sim.device_path), get_profile("rice-lake"), seconds=1.0)
    assert report.error is None and report.frames > 0 and report.bytes_received > 0
    assert "valid frames; last " in report.summary() and " kg gross, " in report.summary()
    assert "个有效数据帧；最新读数 " in report.summary("zh_CN") and " kg，毛重，" in report.summary("zh_CN")


def test_probe_of_a_silent_line_and_of_a_wrong_profile(served: Any) -> None:
    silent = served("sma", scenario="silent")
    report = probe_connection(SerialSettings(silent.device_path), get_profile("sma"), seconds=0.3)
    assert report.bytes_received == 0 and report.summary() == (
        "Nothing arrived in 0.3 s: check the cable, the port and the baud rate."
    )
    assert report.summary("zh_CN") == "0.3 秒内未收到数据：请检查线缆、端口和波特率。"
    talking = served("rice-lake", scenario="settle", rate_hz=50)
    report = probe_connection(SerialSettings(talking.device_path), get_profile("xk3190-a9"), seconds=1.0)
    assert report.frames == 0 and report.rejected > 0 and "no valid frame" in report.summary()
    assert "但没有有效数据帧" in report.summary("zh_CN")
    unopenable = probe_connection(SerialSettings("/dev/no-such-port"), get_profile("sma"), seconds=0.1)
    assert unopenable.error is not None and unopenable.problem is not None
    assert unopenable.problem.code == "scale.port_unopenable" and "Cannot open" in unopenable.error
    assert unopenable.summary() == unopenable.problem.words("en")
    assert unopenable.summary("zh_CN").startswith("无法打开串口 /dev/no-such-port：")


def test_simulator_scenarios_are_functions_of_time() -> None:
    def sim(scenario: str) -> Simulator:
        return Simulator(get_profile("toledo-continuous"), scenario=scenario, weight=12345, division=10)

    settle = sim("settle")
    assert settle.weight == 12340
    start, moving, settled = settle.indication_at(0.5), settle.indication_at(2.0), settle.indication_at(5.0)
    assert start is not None and start.weight == 0 and start.stable and start.center_zero
    assert moving is not None and not moving.stable
    assert settled is not None and settled.weight == 12340 and settled.stable
    ramp = sim("ramp").indication_at(2.0)
    assert ramp is not None and 0 < ramp.weight < 12340 and not ramp.stable
    assert sim("silent").indication_at(1.0) is None
    over = sim("overload").indication_at(1.0)
    assert over is not None and over.overload
    jump = sim("jump")
    a, b = jump.indication_at(1.0), jump.indication_at(4.0)
    assert a is not None and b is not None and a.stable and b.stable and b.weight - a.weight == 500
    motion = [sim("motion").indication_at(t / 10) for t in range(20)]
    assert all(m is not None and not m.stable for m in motion)
    assert len({m.weight for m in motion if m is not None}) > 5
    garbage = sim("garbage")
    frames = [garbage.frame_bytes(0.0, i) for i in range(10)]
    assert any(len(f) > 18 for f in frames) and any(len(f) < 18 for f in frames)
    assert set(SCENARIOS) == {"settle", "ramp", "motion", "overload", "silent", "garbage", "jump", "trucks"}


def test_simulator_refuses_bad_arguments() -> None:
    with pytest.raises(UserError) as info:
        Simulator(get_profile("sma"), scenario="dance")
    assert (info.value.code, info.value.field) == ("scale.scenario_unknown", "scenario")
    assert "没有名为“dance”的模拟场景。请选择以下之一：settle、ramp、" in info.value.words("zh_CN")
    with pytest.raises(UserError) as info:
        Simulator(get_profile("sma"), weight=0)
    assert info.value.code == "scale.simulated_weight" and "1 to 80,000" in info.value.message


def test_the_event_queue_keeps_the_newest_when_nobody_reads_it() -> None:
    reader = ScaleReader(SerialSettings("loop://"), get_profile("sma"))
    health = reader.health()
    for i in range(1005):
        reader.enqueue(ReaderEvent(None, bool(i % 2), health, str(i)))
    assert reader.events.qsize() == 1000
    assert reader.events.get_nowait().error == "5"


def test_live_scale_feeds_its_monitor_before_passing_events_on() -> None:
    profile = get_profile("generic-st-gs")
    port = serial.serial_for_url("loop://", timeout=0.05)
    port.write(b"ST,GS,+0000000kg\r\nUS,GS,+0012340kg\r\nST,GS,+0012340kg\r\n")
    live = LiveScale(SerialSettings("loop://"), profile, ScaleConfig(scale_id="WB1"), opener=lambda _s: port)
    live.start()
    try:
        frames = [next_frame_event(live.reader).frame for _ in range(3)]
    finally:
        live.stop()
    assert [f.weight for f in frames if f is not None] == [0, 12340, 12340]
    assert live.decision().allowed
    captured = live.capture()
    assert captured.weight == 12340 and captured.scale_id == "WB1"
    live.commit_capture()
    assert not live.decision().allowed


def test_the_trucks_scenario_brings_trucks_on_and_off_a_zeroed_deck() -> None:
    from inspector.weighing.simulator import TRUCK_CYCLE_S

    sim = Simulator(get_profile("toledo-continuous"), scenario="trucks", weight=30000, division=20,
                    capacity=100000)
    for cycle in range(4):
        base = cycle * TRUCK_CYCLE_S
        empty, moving = sim.indication_at(base + 1), sim.indication_at(base + 6)
        parked = sim.indication_at(base + 20)
        assert empty is not None and empty.weight == 0 and empty.stable
        assert moving is not None and not moving.stable
        assert parked is not None and parked.stable and parked.weight % 20 == 0
        loaded = cycle % 2 == 0
        assert (parked.weight > 20000) is loaded, "loaded and empty trucks take turns"


def test_the_simulator_link_names_the_device_and_goes_away(tmp_path: Path) -> None:
    link = tmp_path / "scale"
    sim = Simulator(get_profile("generic-st-gs"))
    device = sim.open(link=str(link))
    assert os.path.realpath(link) == os.path.realpath(device)
    sim.close()
    assert not os.path.lexists(link)
    link.write_text("not a link")
    with pytest.raises(UserError) as info:
        Simulator(get_profile("generic-st-gs")).open(link=str(link))
    assert (info.value.code, info.value.params["path"]) == ("scale.link_taken", str(link))
    assert link.read_text() == "not a link"


def test_the_command_line_offers_every_scenario() -> None:
    from inspector.cli.scale import SCENARIO_NAMES

    assert SCENARIO_NAMES == SCENARIOS
