"""Live weight widget and weighbridge settings screen (pytest-qt, offscreen, no sleeping)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from inspector.errors import InspectorError, UserError
from inspector.services.weighing import ScaleSettings
from inspector.weighing.capture import LiveMonitor, ScaleConfig
from inspector.weighing.frame import Frame, Mode, StabilityMethod
from inspector.weighing.profiles import HealthSnapshot, get_profile
from inspector.weighing.reader import LiveScale, ProbeReport, ReaderEvent, SerialSettings
from inspector.weighing.simulator import Simulator
from ui.screens.scale_settings import ScaleSettingsWidget
from ui.widgets.live_weight import LiveWeightWidget, ReaderBridge

MS = 1_000_000
HEALTH = HealthSnapshot(
    frames=5, rejected=0, rejected_last_minute=0, garbage_bytes=0, bytes_received=90, reasons={}
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def event(
    weight: int = 12340, *, health: HealthSnapshot = HEALTH, received_ns: int = 0, **kw: Any
) -> ReaderEvent:
    fields: dict[str, Any] = {"unit": "kg", "mode": Mode.GROSS, "stable": True, "raw": b"", **kw}
    return ReaderEvent(Frame(weight, received_ns=received_ns, **fields), False, health)


@pytest.fixture
def mono() -> FakeClock:
    return FakeClock()


@pytest.fixture
def widget(qtbot: Any, mono: FakeClock) -> LiveWeightWidget:
    w = LiveWeightWidget(monotonic_ns=mono)
    qtbot.addWidget(w)
    return w


def test_stable_weight_is_shown_in_large_digits_with_words(widget: LiveWeightWidget) -> None:
    assert widget.state == "stale" and widget.digits_label.text() == "------"
    widget.show_event(event())
    assert widget.digits_label.text() == "12340" and widget.unit_label.text() == "kg"
    assert widget.mode_label.text() == "GROSS"
    assert "STABLE" in widget.status_label.text() and "✔" in widget.status_label.text()
    assert widget.state == "stable"
    assert widget.digits_label.font().pointSize() >= 60
    assert "good" in widget.health_label.text()


def test_an_empty_truck_is_weighed_as_tare_though_the_indicator_reads_gross(
        widget: LiveWeightWidget) -> None:
    widget.show_event(event())
    widget.weigh_as_tare(True)
    assert widget.mode_label.text() == "TARE"
    widget.show_event(event(mode=Mode.NET))  # an indicator in net mode is shown as it is (and refused)
    assert widget.mode_label.text() == "NET"
    widget.weigh_as_tare(False)
    widget.show_event(event())
    assert widget.mode_label.text() == "GROSS"


@pytest.mark.parametrize(
    ("changes", "state", "words", "digits"),
    [
        ({"stable": False}, "motion", "MOTION", "12340"),
        ({"overload": True}, "over", "OVER RANGE", "^^^^^^"),
        ({"underload": True}, "under", "UNDER ZERO", "vvvvvv"),
        ({"error": "power-up-not-zeroed"}, "error", "INDICATOR ERROR", "------"),
        ({"stable": None}, "settling", "SETTLING", "12340"),
        ({"mode": Mode.NET}, "stable", "STABLE", "12340"),
    ],
)
def test_each_state_has_its_own_words(
    widget: LiveWeightWidget, changes: dict[str, Any], state: str, words: str, digits: str
) -> None:
    widget.show_event(event(**changes))
    assert widget.state == state and words in widget.status_label.text()
    assert widget.digits_label.text() == digits


def test_software_stability_and_zero_are_said(widget: LiveWeightWidget) -> None:
    widget.show_event(event(0, center_zero=True, stability=StabilityMethod.SOFTWARE))
    text = widget.status_label.text()
    assert "ZERO" in text and "software" in text


def test_a_stale_reading_is_never_shown_as_live(
    qtbot: Any, widget: LiveWeightWidget, mono: FakeClock
) -> None:
    widget.show_event(event(received_ns=0))
    mono.now = 999 * MS
    widget._on_stale_timer_timeout()
    assert widget.digits_label.text() == "12340"
    mono.now = 1000 * MS
    with qtbot.waitSignal(widget.state_changed, timeout=5000) as blocker:
        pass  # the widget's own timer notices, no new event needed
    assert blocker.args == ["stale"]
    assert widget.digits_label.text() == "------" and "NO WEIGHT" in widget.status_label.text()
    assert widget.live_frame() is None


def test_link_health_and_port_errors_are_shown(widget: LiveWeightWidget) -> None:
    bad = HealthSnapshot(
        frames=5,
        rejected=3,
        rejected_last_minute=3,
        garbage_bytes=40,
        bytes_received=200,
        reasons={"checksum": 3},
    )
    widget.show_event(event(health=bad))
    assert "3 bad frame" in widget.health_label.text()
    widget.show_event(ReaderEvent(None, True, bad, "The serial port /dev/x failed: gone."))
    assert "failed" in widget.health_label.text()


def test_capture_readiness_comes_from_the_monitor(qtbot: Any, mono: FakeClock) -> None:
    monitor = LiveMonitor(ScaleConfig(), monotonic_ns=mono, zero_seen=True)
    widget = LiveWeightWidget(monitor=monitor, monotonic_ns=mono)
    qtbot.addWidget(widget)
    ev = event(stable=False)
    assert ev.frame is not None
    monitor.observe(ev.frame)
    widget.show_event(ev)
    assert "in motion" in widget.capture_label.text()
    ev = event()
    assert ev.frame is not None
    monitor.observe(ev.frame)
    widget.show_event(ev)
    assert widget.capture_label.text() == "Ready to capture."


def test_the_bridge_delivers_events_from_another_thread_on_the_gui_thread(
    qtbot: Any, mono: FakeClock
) -> None:
    bridge = ReaderBridge()
    widget = LiveWeightWidget(bridge=bridge, monotonic_ns=mono)
    qtbot.addWidget(widget)
    threads: list[QThread] = []
    bridge.event_arrived.connect(lambda _e: threads.append(QThread.currentThread()))
    worker = threading.Thread(target=lambda: [bridge.post(event(w)) for w in (100, 200, 23450)])
    worker.start()
    worker.join(10)
    qtbot.waitUntil(lambda: widget.digits_label.text() == "23450", timeout=5000)
    app = QApplication.instance()
    assert app is not None and threads and all(t is app.thread() for t in threads)
    assert widget.last_latency_ns is not None


@pytest.fixture
def served() -> Iterator[Callable[..., Simulator]]:
    started: list[tuple[Simulator, threading.Event, threading.Thread]] = []

    def start(profile: str, **kw: Any) -> Simulator:
        sim = Simulator(get_profile(profile), rate_hz=50, **kw)
        sim.open()
        stop = threading.Event()
        thread = threading.Thread(target=sim.serve, args=(stop,), daemon=True)
        thread.start()
        started.append((sim, stop, thread))
        return sim

    yield start
    for sim, stop, thread in started:
        stop.set()
        thread.join(10)
        sim.close()


def test_live_scale_through_a_pty_to_the_widget(qtbot: Any, served: Callable[..., Simulator]) -> None:
    sim = served("sma", scenario="settle", weight=31000)
    bridge = ReaderBridge()
    live = LiveScale(SerialSettings(sim.device_path), get_profile("sma"), ScaleConfig(), on_event=bridge.post)
    widget = LiveWeightWidget(bridge=bridge, monitor=live.monitor)
    qtbot.addWidget(widget)
    live.start()
    try:
        qtbot.waitUntil(
            lambda: widget.digits_label.text() == "31000" and widget.state == "stable", timeout=15000
        )
        # The deck was empty at first (the settle scenario), so this vehicle may be captured.
        qtbot.waitUntil(lambda: live.decision().allowed, timeout=5000)
        captured = live.capture()
        assert captured.weight == 31000 and captured.stability is StabilityMethod.INDICATOR
        live.commit_capture()
        assert not live.decision().allowed
    finally:
        live.stop()


# -- settings screen -----------------------------------------------------------------------------------


class SyncOps:
    """Runs the job at once (the real Ops is exercised in the pty test below)."""

    def __init__(self) -> None:
        self.jobs = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[InspectorError], None] | None = None,
    ) -> int:
        self.jobs += 1
        try:
            result = fn()
        except InspectorError as exc:
            assert on_error is not None
            on_error(exc)
        else:
            on_done(result)
        return self.jobs


def settings_widget(
    qtbot: Any, probe: Callable[[ScaleSettings], ProbeReport], **kw: Any
) -> ScaleSettingsWidget:
    widget = ScaleSettingsWidget(
        ops=SyncOps(), probe=probe, list_ports=lambda: ["/dev/ttyS0", "/dev/ttyUSB0"], **kw
    )
    qtbot.addWidget(widget)
    return widget


def test_settings_round_trip_and_profile_defaults(qtbot: Any) -> None:
    initial = ScaleSettings(
        scale_id="WB7",
        name="South",
        profile="sma",
        port="/dev/ttyUSB0",
        baud=4800,
        bytesize=7,
        parity="E",
        stopbits=2,
        division=20,
        capacity=60000,
        unit="kg",
    )
    widget = settings_widget(qtbot, probe=lambda s: ProbeReport(0, 0, 0, 0, {}, None, None), initial=initial)
    assert widget.settings() == initial
    widget.profile_combo.setCurrentIndex(widget.profile_combo.findData("toledo-continuous"))
    chosen = widget.settings()
    assert (chosen.profile, chosen.baud, chosen.bytesize, chosen.parity, chosen.stopbits) == (
        "toledo-continuous",
        9600,
        7,
        "E",
        1,
    )
    saved: list[ScaleSettings] = []
    widget.settings_saved.connect(saved.append)
    widget.save_button.click()
    assert saved == [chosen]
    widget.division_spin.setValue(1)
    widget.capacity_spin.setValue(10)
    widget.save_button.click()
    assert len(saved) == 1 and "capacity" in widget.result_label.text()


def test_test_connection_reports_what_arrived(qtbot: Any) -> None:
    frame = Frame(12340, "kg", Mode.GROSS, True, b"")
    report = ProbeReport(2.0, 400, 20, 2, {"checksum": 2}, frame, None)
    seen: list[ScaleSettings] = []

    def probe(s: ScaleSettings) -> ProbeReport:
        seen.append(s)
        return report

    widget = settings_widget(qtbot, probe=probe, initial=ScaleSettings(scale_id="WB1", port="/dev/ttyS0"))
    with qtbot.waitSignal(widget.test_finished, timeout=5000):
        widget.test_button.click()
    assert seen and seen[0].port == "/dev/ttyS0"
    text = widget.result_label.text()
    assert "20 valid frames" in text and "12340 kg" in text and "2 frame(s) rejected" in text
    assert widget.test_button.isEnabled()


@pytest.mark.parametrize(
    ("report", "words"),
    [
        (ProbeReport(2.0, 0, 0, 0, {}, None, None), "Nothing arrived"),
        (ProbeReport(2.0, 50, 0, 3, {"checksum": 3}, None, None), "no valid frame (checksum 3)"),
        (ProbeReport(2.0, 0, 0, 0, {}, None, "port: Cannot open the serial port /dev/x.",
                     UserError("scale.port_unopenable", field="port", port="/dev/x", detail="busy")),
         "Cannot open the serial port /dev/x: busy."),
    ],
)
def test_test_connection_failures_are_worded(qtbot: Any, report: ProbeReport, words: str) -> None:
    widget = settings_widget(
        qtbot, probe=lambda _s: report, initial=ScaleSettings(scale_id="A", port="/dev/x")
    )
    widget.test_button.click()
    assert words in widget.result_label.text()


def test_test_connection_without_a_port_says_so(qtbot: Any) -> None:
    calls: list[ScaleSettings] = []
    widget = settings_widget(
        qtbot,
        probe=lambda s: calls.append(s) or ProbeReport(0, 0, 0, 0, {}, None, None),
        initial=ScaleSettings(scale_id="A", port=""),
    )
    widget.port_combo.setEditText("")
    widget.test_button.click()
    assert not calls and "port" in widget.result_label.text()


def test_test_connection_reads_a_simulator_off_the_gui_thread(
    qtbot: Any, ops: Any, served: Callable[..., Simulator]
) -> None:
    sim = served("generic-st-gs", scenario="settle", weight=7770)
    widget = ScaleSettingsWidget(
        ops=ops,
        list_ports=lambda: [],
        initial=ScaleSettings(scale_id="WB1", profile="generic-st-gs", port=sim.device_path),
    )
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.test_finished, timeout=15000):
        widget.test_button.click()
        assert not widget.test_button.isEnabled()  # the GUI thread is free while the port is read
    assert "valid frames" in widget.result_label.text()
