"""The scale house's practice on screen: the tare tolerance and stability delay in the weighbridge settings,
the live weight counting down the stability delay, and the trucks on site with their next step and waiting
time, and going back to an earlier step of a load to correct it with a reason (pytest-qt, offscreen,
clocks injected, no sleeping)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from sqlmodel import col, select

from inspector.changes import Change
from inspector.clock import FixedClock
from inspector.errors import InspectorError
from inspector.intake.steps import Step
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import intake as intake_svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.services.weighing import ScaleSettings
from inspector.states import LoadState
from inspector.storage.db import Store
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.core import Load
from inspector.storage.models.intake import IntakeStepRecord
from inspector.weighing.capture import LiveMonitor, ScaleConfig
from inspector.weighing.frame import Frame, Mode
from inspector.weighing.profiles import HealthSnapshot
from inspector.weighing.reader import ProbeReport, ReaderEvent
from ui.models.trucks import WAITED_MINUTES_ROLE, TruckColumn
from ui.ops import Door
from ui.screens.intake.trucks import TrucksOnSiteWidget
from ui.screens.intake.wizard import IntakeWizardWidget
from ui.screens.scale_settings import ScaleSettingsWidget
from ui.theme import TOUCH_TARGET_PX
from ui.widgets.live_weight import LiveWeightWidget

MS = 1_000_000
TIMEOUT = 15_000
HEALTH = HealthSnapshot(frames=5, rejected=0, rejected_last_minute=0, garbage_bytes=0, bytes_received=90,
                        reasons={})
INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))


# -- the weighbridge settings ------------------------------------------------------------------------------


class SyncOps:
    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[InspectorError], None] | None = None) -> int:
        on_done(fn())
        return 1


def settings_screen(qtbot: Any, initial: ScaleSettings) -> ScaleSettingsWidget:
    widget = ScaleSettingsWidget(ops=SyncOps(), probe=lambda _s: ProbeReport(0, 0, 0, 0, {}, None, None),
                                 list_ports=lambda: [], initial=initial)
    qtbot.addWidget(widget)
    return widget


def test_the_tolerance_and_the_delay_are_edited_with_the_scale(qtbot: Any) -> None:
    widget = settings_screen(qtbot, ScaleSettings(scale_id="WB1", tare_tolerance=300, stable_delay_s=3))
    assert widget.tare_tolerance_spin.value() == 300 and widget.tare_tolerance_spin.suffix() == " kg"
    assert widget.stable_delay_spin.value() == 3 and widget.stable_delay_spin.suffix() == " s"
    assert (widget.stable_delay_spin.minimum(), widget.stable_delay_spin.maximum()) == (0, 10)
    widget.unit_combo.setCurrentIndex(widget.unit_combo.findData("lb"))
    assert widget.tare_tolerance_spin.suffix() == " lb"
    widget.unit_combo.setCurrentIndex(widget.unit_combo.findData("kg"))
    saved: list[ScaleSettings] = []
    widget.settings_saved.connect(saved.append)
    widget.tare_tolerance_spin.setValue(150)
    widget.stable_delay_spin.setValue(0)
    widget.save_button.click()
    assert [(s.tare_tolerance, s.stable_delay_s) for s in saved] == [(150, 0)]


def test_a_tolerance_beyond_the_capacity_is_refused_naming_the_field(qtbot: Any) -> None:
    widget = settings_screen(qtbot, ScaleSettings(scale_id="WB1", capacity=60000))
    widget.show()
    saved: list[ScaleSettings] = []
    widget.settings_saved.connect(saved.append)
    widget.tare_tolerance_spin.setValue(70000)
    widget.save_button.click()
    assert saved == []
    assert "tare tolerance '70000'" in widget.result_label.text()
    assert "60,000 kg" in widget.result_label.text()
    qtbot.waitUntil(lambda: widget.tare_tolerance_spin.hasFocus(), timeout=TIMEOUT)


# -- the live weight's countdown ---------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def show_frame(widget: LiveWeightWidget, monitor: LiveMonitor, mono: FakeClock, weight: int = 12340,
               **changes: Any) -> None:
    fields: dict[str, Any] = {"unit": "kg", "mode": Mode.GROSS, "stable": True, "raw": b"", **changes}
    frame = Frame(weight, received_ns=mono.now, **fields)
    monitor.observe(frame)
    widget.show_event(ReaderEvent(frame, False, HEALTH))


def test_the_live_weight_counts_down_the_stability_delay(qtbot: Any) -> None:
    mono = FakeClock()
    monitor = LiveMonitor(ScaleConfig(stable_delay_s=2), monotonic_ns=mono, zero_seen=True)
    widget = LiveWeightWidget(monitor=monitor, monotonic_ns=mono)
    qtbot.addWidget(widget)
    states: list[str] = []
    widget.state_changed.connect(states.append)
    show_frame(widget, monitor, mono)
    assert widget.state == "steadying"
    assert widget.status_label.text() == "⏱ STEADYING: 2.0 s to go"
    assert "not been stable for the yard's stability delay" in widget.capture_label.text()
    mono.now = 800 * MS
    show_frame(widget, monitor, mono, 12350)  # within the band: the count goes on
    assert widget.status_label.text() == "⏱ STEADYING: 1.2 s to go"
    mono.now = 1500 * MS
    widget._on_stale_timer_timeout()  # the widget's own timer re-reads it, no new frame needed
    assert widget.status_label.text() == "⏱ STEADYING: 0.5 s to go"
    mono.now = 1600 * MS
    show_frame(widget, monitor, mono)  # the indicator keeps sending (a silence of 1 s would start it over)
    mono.now = 2000 * MS
    show_frame(widget, monitor, mono)
    assert widget.state == "stable" and "STABLE" in widget.status_label.text()
    assert widget.capture_label.text() == "Ready to capture."
    mono.now = 2200 * MS
    show_frame(widget, monitor, mono, 13000, stable=False)  # the truck moves: motion, no countdown
    assert widget.state == "motion"
    mono.now = 2400 * MS
    show_frame(widget, monitor, mono, 13000)
    assert widget.state == "steadying" and widget.status_label.text() == "⏱ STEADYING: 2.0 s to go"
    assert states == ["steadying", "stable", "motion", "steadying"]


def test_without_a_delay_a_stable_weight_is_ready_at_once(qtbot: Any) -> None:
    mono = FakeClock()
    monitor = LiveMonitor(ScaleConfig(), monotonic_ns=mono, zero_seen=True)
    widget = LiveWeightWidget(monitor=monitor, monotonic_ns=mono)
    qtbot.addWidget(widget)
    show_frame(widget, monitor, mono)
    assert widget.state == "stable" and widget.capture_label.text() == "Ready to capture."


# -- the trucks on site ------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 8, 30, tzinfo=UTC), offset_minutes=480)


@pytest.fixture
def yard_store(store: Store, clock: FixedClock) -> Store:
    with store.session() as s:
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司")
        yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="赣州稀金磁材有限公司",
                              uscc="91350100M000100Y43")
    return store


def arrive(store: Store, clock: FixedClock, plate: str) -> int:
    with store.session() as s:
        return intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.ARRIVAL, values={
            "plate": plate, "supplier_id": "1", "declared_category": "SMCO", "origin": "import"}).load_id


def trucks_screen(qtbot: Any, door: Door, clock: FixedClock) -> TrucksOnSiteWidget:
    widget = TrucksOnSiteWidget(door, clock=clock)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    with qtbot.waitSignal(widget.refreshed, timeout=TIMEOUT):
        widget.refresh()
    return widget


def test_each_truck_shows_its_next_step_and_its_waiting_time_moving_on_each_minute(
        qtbot: Any, qtmodeltester: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    first = arrive(yard_store, clock, "赣B11111")
    clock.advance(minutes=3)
    with yard_store.session() as s:
        intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.GROSS, load_id=first,
                               values={"gross": "32480", "source": "manual", "manual_reason": "offline"},
                               confirmed_by=SUPERVISOR)
    clock.advance(minutes=9)
    arrive(yard_store, clock, "赣B22222")
    clock.advance(minutes=3)
    widget = trucks_screen(qtbot, door, clock)
    qtmodeltester.check(widget.model)
    model = widget.model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    # The one waiting for the weighbridge first, then the one at the gate.
    assert list(rows) == ["T2026-000002", "T2026-000001"]
    waiting, at_gate = rows["T2026-000002"], rows["T2026-000001"]
    assert model.index(waiting, TruckColumn.NEXT_STEP).data() == "Gross weighing"
    assert model.index(at_gate, TruckColumn.NEXT_STEP).data() == "Gate inspection"
    assert model.index(waiting, TruckColumn.WAITING).data() == "3 min"
    assert model.index(at_gate, TruckColumn.WAITING).data() == "12 min"  # since its gross weighing
    assert model.headerData(TruckColumn.WAITING, Qt.Orientation.Horizontal) == "Waiting"
    # A minute on: the times move without reading the database again.
    clock.advance(minutes=50)
    reads = widget.refresh_count
    with qtbot.waitSignal(model.dataChanged, timeout=TIMEOUT):
        widget.minute_timer.timeout.emit()
    assert model.index(waiting, TruckColumn.WAITING).data() == "53 min"
    assert model.index(at_gate, TruckColumn.WAITING).data() == "1 h 02 min"
    assert model.index(at_gate, TruckColumn.WAITING).data(WAITED_MINUTES_ROLE) == 62
    assert widget.refresh_count == reads and widget.minute_timer.interval() == 60_000
    clock.advance(days=2)
    widget.minute_timer.timeout.emit()
    assert model.index(at_gate, TruckColumn.WAITING).data() == "2 d 01 h"


def test_one_tap_on_a_row_opens_its_step_and_rows_are_touch_sized(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    first = arrive(yard_store, clock, "赣B11111")
    second = arrive(yard_store, clock, "赣B22222")
    widget = trucks_screen(qtbot, door, clock)
    view = widget.view
    assert all(view.rowHeight(r) >= TOUCH_TARGET_PX for r in range(widget.model.rowCount()))
    second_row = widget.model.row_of_load(second)
    rect = view.visualRect(widget.model.index(second_row, TruckColumn.PLATE))
    with qtbot.waitSignal(widget.resume_requested, timeout=TIMEOUT) as tapped:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tapped.args == [second]
    # Enter on the selected row opens it too.
    view.selectRow(widget.model.row_of_load(first))
    view.setFocus()
    with qtbot.waitSignal(widget.resume_requested, timeout=TIMEOUT) as entered:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert entered.args == [first]
    # A tap outside the rows opens nothing.
    with qtbot.assertNotEmitted(widget.resume_requested):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(5, view.viewport().height() - 3))
        QApplication.processEvents()


def test_a_cancelled_load_is_not_on_the_list(qtbot: Any, yard_store: Store, door: Door,
                                             clock: FixedClock) -> None:
    kept = arrive(yard_store, clock, "赣B11111")
    cancelled = arrive(yard_store, clock, "赣B22222")
    with yard_store.session() as s:
        load = s.get(Load, cancelled)
        assert load is not None
        yard_svc.set_load_state(s, load, LoadState.CANCELLED, actor=INSPECTOR, clock=clock,
                                reason="entered twice")
    widget = trucks_screen(qtbot, door, clock)
    assert [r.load_id for r in widget.model.rows()] == [kept]


# -- the tare difference in the wizard ----------------------------------------------------------------------


def type_text(widget: QWidget, text: str) -> None:
    """Typed as a keyboard or an input method does: a key event carrying each character."""
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def child(wizard: QWidget, kind: type[Any], name: str) -> Any:
    found = wizard.findChild(kind, name)
    assert found is not None, name
    return found


def test_a_tare_beyond_the_tolerance_shows_at_once_and_needs_its_reason(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    load_id = arrive(yard_store, clock, "赣B12345")
    gate = {"dose_background_usv_h": "0.10", "dose_gross_usv_h": "0.12", "portal_alarm": False,
            "prohibited_items_found": False, "inclusions_pct": "1.0", "smoke_or_heat": False}
    sampling = {"plan": "SP-DEFAULT", "increments": "12", "composite": True, "seal_yard": "Y-0001",
                "seal_supplier": "S-0001", "seal_arbitration": "A-0001"}
    with yard_store.session() as s:
        weighing_svc.set_stored_tare(s, actor=INSPECTOR, clock=clock, subject_kind="vehicle",
                                     subject_ref="赣B12345", weight=12000, unit="kg",
                                     reason="weighed empty last week", confirmed_by=SUPERVISOR)
        for step, values in ((Step.GROSS, {"gross": "32000", "source": "manual", "manual_reason": "broken"}),
                             (Step.GATE, gate),
                             (Step.IDENTIFICATION, {"answers": {"kind": "magnet", "magnet_type": "smco"}}),
                             (Step.SAMPLING, sampling)):
            intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=step, load_id=load_id, values=values,
                                   confirmed_by=SUPERVISOR)
    wizard = IntakeWizardWidget(door, INSPECTOR, clock=clock, confirm_manual=lambda _parent: SUPERVISOR)
    qtbot.addWidget(wizard)
    wizard.resize(900, 1200)
    wizard.show()
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        wizard.open_load(load_id)
    assert wizard.step is Step.TARE and not wizard.alerts_label.isVisible()
    # No difference yet: the question of why is not on the page.
    assert not child(wizard, QWidget, "field_tare_difference_reason").isVisible()
    type_text(child(wizard, QLineEdit, "field_tare"), "12460")
    # The banner shows as soon as the tare is a weight, while its source and the reason are unanswered.
    assert wizard.alerts_label.isVisible()
    assert "differs by +460 kg from the vehicle's stored tare 12,000 kg" in wizard.alerts_label.text()
    reasons = child(wizard, QWidget, "field_tare_difference_reason")
    assert reasons.isVisible()
    trailer = child(reasons, QPushButton, "choice_trailer_changed")
    assert trailer.text() == "Trailer or body changed"  # the catalogue's words, not the code
    qtbot.mouseClick(child(child(wizard, QWidget, "field_source"), QPushButton, "choice_manual"),
                     Qt.MouseButton.LeftButton)
    type_text(child(wizard, QLineEdit, "field_manual_reason"), "indicator broken")
    qtbot.keyClick(wizard.next_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert wizard.step is Step.TARE
    assert "required" in child(wizard, QLabel, "error_tare_difference_reason").text()
    qtbot.mouseClick(trailer, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT,
                          check_params_cb=lambda step: step == Step.SUMMARY.value):
        qtbot.keyClick(wizard.next_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with yard_store.session() as s:
        record = s.exec(select(IntakeStepRecord).where(IntakeStepRecord.step == "tare")).one()
        assert record.values["tare_difference_reason"] == "trailer_changed"
        assert record.alerts[0]["message"] == "tare_differs_from_stored_explained"


# -- back to an earlier step ---------------------------------------------------------------------------

GATE = {"dose_background_usv_h": "0.10", "dose_gross_usv_h": "0.12", "portal_alarm": False,
        "prohibited_items_found": False, "inclusions_pct": "1.0", "smoke_or_heat": False}
SAMPLING = {"plan": "SP-DEFAULT", "increments": "12", "composite": True, "seal_yard": "Y-0001",
            "seal_supplier": "S-0001", "seal_arbitration": "A-0001"}


def walk(store: Store, clock: FixedClock, plate: str, steps: int) -> int:
    """A load arrived and taken through the first ``steps`` steps after the arrival."""
    load_id = arrive(store, clock, plate)
    plan = ((Step.GROSS, {"gross": "32000", "source": "manual", "manual_reason": "indicator broken"}),
            (Step.GATE, GATE),
            (Step.IDENTIFICATION, {"answers": {"kind": "magnet", "magnet_type": "smco"}}),
            (Step.SAMPLING, SAMPLING),
            (Step.TARE, {"tare": "12000", "source": "manual", "manual_reason": "indicator broken"}),
            (Step.SUMMARY, {"confirmed": True}))
    with store.session() as s:
        for step, values in plan[:steps]:
            intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=step, load_id=load_id, values=values,
                                   confirmed_by=SUPERVISOR)
        s.commit()
    return load_id


class Confirmer:
    def __init__(self, answer: Actor | None) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, text: str) -> Actor | None:
        self.asked.append(text)
        return self.answer


def wizard_at(qtbot: Any, door: Door, clock: FixedClock, load_id: int,
              confirmer: Confirmer | None = None, *, done: bool = False) -> IntakeWizardWidget:
    wizard = IntakeWizardWidget(door, INSPECTOR, clock=clock, confirm_manual=lambda _parent: SUPERVISOR,
                                confirm_supervisor=confirmer or Confirmer(None))
    qtbot.addWidget(wizard)
    wizard.resize(1156, 707)
    wizard.show()
    if done:  # the done page opens no step
        wizard.open_load(load_id)
        qtbot.waitUntil(lambda: wizard.next_truck_button is not None, timeout=TIMEOUT)
        return wizard
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        wizard.open_load(load_id)
    return wizard


def tap(qtbot: Any, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_earlier_step_is_corrected_with_a_reason_and_the_wizard_goes_back(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    load_id = walk(yard_store, clock, "赣B12345", 2)  # weighed in, gate done: identification is next
    wizard = wizard_at(qtbot, door, clock, load_id)
    assert wizard.step is Step.IDENTIFICATION
    assert wizard.correct_button.isVisible() and wizard.correct_button.minimumHeight() >= TOUCH_TARGET_PX
    tap(qtbot, wizard.correct_button)
    # One big button per step done; the steps still to come are not offered.
    offered = {b.objectName() for b in wizard.page.findChildren(QPushButton) if b.objectName().startswith(
        "correct_")}
    assert offered == {"correct_arrival", "correct_gross", "correct_gate"}
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT,
                          check_params_cb=lambda step: step == Step.ARRIVAL.value):
        tap(qtbot, child(wizard.page, QPushButton, "correct_arrival"))
    assert wizard.correction_bar.isVisible()
    driver = child(wizard, QLineEdit, "field_driver")
    driver.clear()
    type_text(driver, "Zhao")
    # Without a reason nothing is stored, and the reason's box says so.
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.correction_error_label.isVisible(), timeout=TIMEOUT)
    assert wizard.step is Step.ARRIVAL
    type_text(wizard.correction_reason_edit, "driver's name typed wrong")
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT,
                          check_params_cb=lambda step: step == Step.IDENTIFICATION.value):
        wizard.next_button.click()
    assert not wizard.correction_bar.isVisible() and "saved" in wizard.status_label.text()
    with yard_store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None and load.driver == "Zhao"
        records = s.exec(select(IntakeStepRecord).where(IntakeStepRecord.load_id == load_id,
                                                        IntakeStepRecord.step == "arrival")).all()
        assert len(records) == 2  # the earlier record stays beside the new one
        amend = s.exec(select(AuditEvent).where(AuditEvent.action == "load.amend")
                       .order_by(col(AuditEvent.seq).desc())).first()
        assert amend is not None and amend.reason == "driver's name typed wrong"


def test_leaving_a_correction_stores_nothing(qtbot: Any, yard_store: Store, door: Door,
                                             clock: FixedClock) -> None:
    load_id = walk(yard_store, clock, "赣B22222", 2)
    wizard = wizard_at(qtbot, door, clock, load_id)
    tap(qtbot, wizard.correct_button)
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        tap(qtbot, child(wizard.page, QPushButton, "correct_gate"))
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT,
                          check_params_cb=lambda step: step == Step.IDENTIFICATION.value):
        tap(qtbot, wizard.leave_correction_button)
    with yard_store.session() as s:
        assert len(s.exec(select(IntakeStepRecord).where(IntakeStepRecord.step == "gate")).all()) == 1


def test_after_weigh_out_a_supervisor_confirms_the_correction(qtbot: Any, yard_store: Store, door: Door,
                                                              clock: FixedClock) -> None:
    load_id = walk(yard_store, clock, "赣B33333", 6)  # every step done: waiting for the lab
    confirmer = Confirmer(SUPERVISOR)
    wizard = wizard_at(qtbot, door, clock, load_id, confirmer, done=True)
    assert wizard.step is None and wizard.correct_button.isVisible()  # the done page offers it too
    tap(qtbot, wizard.correct_button)
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        tap(qtbot, child(wizard.page, QPushButton, "correct_gate"))
    inclusions = child(wizard, QLineEdit, "field_inclusions_pct")
    inclusions.clear()
    type_text(inclusions, "2.0")
    type_text(wizard.correction_reason_edit, "misread the estimate")
    wizard.next_button.click()
    qtbot.waitUntil(lambda: "saved" in wizard.status_label.text(), timeout=TIMEOUT)
    assert len(confirmer.asked) == 1
    with yard_store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None and load.attributes["inclusions_pct"] == "2.0"
        amend = s.exec(select(AuditEvent).where(AuditEvent.action == "load.amend")
                       .order_by(col(AuditEvent.seq).desc())).first()
        assert amend is not None and "wang.fang" in (amend.reason or "")


def test_a_changed_stability_delay_reaches_the_live_reader_without_a_restart(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    from ui.app import _follow_stability_delay

    admin = Actor("admin", "Admin", frozenset({Role.ADMIN}))
    with yard_store.session() as s:
        weighing_svc.save_scale_settings(s, actor=admin, clock=clock,
                                         settings=ScaleSettings(scale_id="WB1", stable_delay_s=2))
        s.commit()
    monitor = LiveMonitor(ScaleConfig(unit="kg", division=10, capacity=80000, stable_delay_s=2))
    owner = QWidget()
    qtbot.addWidget(owner)
    _follow_stability_delay(door, monitor, owner)  # type: ignore[arg-type]
    with yard_store.session() as s:
        weighing_svc.save_scale_settings(s, actor=admin, clock=clock,
                                         settings=ScaleSettings(scale_id="WB1", stable_delay_s=5))
        s.commit()
    door.announce([Change.SETTINGS])
    qtbot.waitUntil(lambda: monitor.config.stable_delay_s == 5, timeout=TIMEOUT)
    assert (monitor.config.division, monitor.config.capacity) == (10, 80000)  # the link's own figures stay
