"""The intake screens and the register follow changes made elsewhere without Refresh being pressed: by the
wizard's or the lab's operations through the door, or by the command line in a session of its own (noticed
by the door in the audit trail)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from inspector.changes import Change
from inspector.clock import FixedClock
from inspector.intake.camera import set_camera
from inspector.intake.steps import Step
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import intake as intake_svc
from inspector.services import yard as yard_svc
from inspector.storage.db import Store
from ui.app import READ_ONLY_VIEWER
from ui.models.loads import LOAD_ID_ROLE, Column
from ui.ops import Door
from ui.screens.intake.lab import LabResultsWidget
from ui.screens.intake.trucks import TrucksOnSiteWidget
from ui.screens.intake.wizard import IntakeWizardWidget
from ui.screens.register import LoadRegisterWidget

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))
USCC = "91350100M000100Y43"
TIMEOUT = 15_000
GATE = {"dose_background_usv_h": "0.1", "dose_gross_usv_h": "0.1", "portal_alarm": False,
        "prohibited_items_found": False, "inclusions_pct": "0.5", "smoke_or_heat": False}
# Every intake step after the arrival, for an SMCO load that ends awaiting the lab.
TO_THE_LAB: list[tuple[Step, dict[str, Any]]] = [
    (Step.GROSS, {"gross": "20000", "source": "manual", "manual_reason": "indicator broken"}),
    (Step.GATE, GATE),
    (Step.IDENTIFICATION, {"answers": {"kind": "magnet", "magnet_type": "smco"}}),
    (Step.SAMPLING, {"plan": "SP-DEFAULT", "increments": "10", "composite": True, "seal_yard": "Y-1001",
                     "seal_supplier": "S-1001", "seal_arbitration": "A-1001"}),
    (Step.TARE, {"tare": "8000", "source": "manual", "manual_reason": "indicator broken"}),
    (Step.SUMMARY, {"confirmed": True}),
]

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 8, 30, tzinfo=UTC), offset_minutes=480)


@pytest.fixture
def yard_store(store: Store, clock: FixedClock) -> Store:
    with store.session() as s:
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司",
                             hw_permit_codes=["HW49"])
        yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="赣州稀金磁材有限公司", uscc=USCC)
        yard_svc.add_scale(s, actor=SYSTEM, clock=clock, scale_id="WB-1", profile="generic-st-gs",
                           division=10, capacity=80000)
    return store


@pytest.fixture
def watching(door: Door, ops: Any, qtbot: Any, yard_store: Store) -> Door:
    """The door with its mark taken in the audit trail, so what the command line does next is noticed."""
    door.look_for_changes()
    qtbot.waitUntil(lambda: ops.pending == 0)
    return door


def arrive(store: Store, clock: FixedClock, plate: str) -> int:
    """A truck registered the way the command line does it: the service in a session of its own."""
    with store.session() as s:
        return intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.ARRIVAL, values={
            "plate": plate, "supplier_id": "1", "declared_category": "SMCO", "origin": "production"}).load_id


def submit(store: Store, clock: FixedClock, load_id: int, steps: list[tuple[Step, dict[str, Any]]]) -> None:
    for step, values in steps:
        with store.session() as s:
            intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=step, values=values, load_id=load_id,
                                   confirmed_by=SUPERVISOR)


def shown(qtbot: Any, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_trucks_on_site_follow_the_command_line(qtbot: Any, yard_store: Store, watching: Door,
                                                    clock: FixedClock) -> None:
    first = arrive(yard_store, clock, "赣B11111")
    trucks = TrucksOnSiteWidget(watching)
    shown(qtbot, trucks)
    qtbot.waitUntil(lambda: trucks.model.rowCount() == 1, timeout=TIMEOUT)
    trucks.view.selectRow(0)
    refreshes = trucks.refresh_count

    second = arrive(yard_store, clock, "赣B22222")
    submit(yard_store, clock, first, TO_THE_LAB[:1])  # the first truck is weighed in meanwhile
    watching.look_for_changes()
    qtbot.waitUntil(lambda: trucks.model.rowCount() == 2, timeout=TIMEOUT)
    assert trucks.refresh_count == refreshes + 1
    # The truck waiting to be weighed comes first: the scale's queue before the gate.
    assert [r.load_id for r in trucks.model.rows()] == [second, first]
    assert trucks.model.index(1, 5).data() == "Gate inspection"
    assert trucks.status_label.text() == "2 truck(s) on site"
    # The truck the inspector had selected is still the one selected.
    assert [i.data(LOAD_ID_ROLE) for i in trucks.view.selectionModel().selectedRows()] == [first]


def test_the_wizards_steps_show_on_the_trucks_on_site_and_the_register(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    """What ``wizard.finished -> trucks.refresh`` used to do by hand, for every step, through the door."""
    load_id = arrive(yard_store, clock, "赣B33333")
    window = QWidget()
    trucks = TrucksOnSiteWidget(door, window)
    register = LoadRegisterWidget(door, READ_ONLY_VIEWER, parent=window)
    wizard = IntakeWizardWidget(door, INSPECTOR, clock=clock, parent=window)
    for x, screen in enumerate((trucks, register, wizard)):
        screen.setGeometry(x * 700, 0, 700, 900)
    shown(qtbot, window)
    qtbot.waitUntil(lambda: trucks.model.rowCount() == 1 and register.model.rowCount() == 1, timeout=TIMEOUT)
    assert trucks.model.index(0, 5).data() == "Gross weighing"
    assert register.model.index(0, Column.STATE).data() == "Arrived"

    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        wizard.open_load(load_id)
    gross = wizard.findChild(QWidget, "field_gross")
    source = wizard.findChild(QWidget, "field_source")
    reason = wizard.findChild(QWidget, "field_manual_reason")
    assert gross is not None and source is not None and reason is not None
    gross.setText("20000")  # type: ignore[attr-defined]
    source.choose("manual")  # type: ignore[attr-defined]
    reason.setText("indicator broken")  # type: ignore[attr-defined]
    wizard._confirm_manual = lambda _parent: SUPERVISOR
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT,
                          check_params_cb=lambda step: step == Step.GATE.value):
        wizard.submit()
    qtbot.waitUntil(lambda: trucks.model.rowCount() == 1
                    and trucks.model.index(0, 5).data() == "Gate inspection", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: register.model.rowCount() == 1
                    and register.model.index(0, Column.STATE).data() == "Weighed in", timeout=TIMEOUT)


def test_the_register_follows_the_command_line_and_keeps_the_selection(
        qtbot: Any, yard_store: Store, watching: Door, clock: FixedClock) -> None:
    first = arrive(yard_store, clock, "赣B44444")
    register = LoadRegisterWidget(watching, READ_ONLY_VIEWER)
    shown(qtbot, register)
    qtbot.waitUntil(lambda: register.model.rowCount() == 1, timeout=TIMEOUT)
    register.view.selectRow(0)

    arrive(yard_store, clock, "赣B55555")
    watching.look_for_changes()
    qtbot.waitUntil(lambda: register.model.rowCount() == 2, timeout=TIMEOUT)
    assert register.count_label.text() == "2 load(s)"
    assert [register.model.index(r, Column.PLATE).data() for r in range(2)] == ["赣B55555", "赣B44444"]
    assert [i.data(LOAD_ID_ROLE) for i in register.view.selectionModel().selectedRows()] == [first]


def test_a_hidden_register_reads_once_when_shown_again(qtbot: Any, yard_store: Store, watching: Door,
                                                       clock: FixedClock, ops: Any) -> None:
    register = LoadRegisterWidget(watching, READ_ONLY_VIEWER)
    shown(qtbot, register)
    qtbot.waitUntil(lambda: register.model.pages_fetched == 1 and not register.model.fetching)
    register.hide()
    arrive(yard_store, clock, "赣B66666")
    watching.look_for_changes()
    qtbot.waitUntil(lambda: register.stale, timeout=TIMEOUT)
    assert register.model.rowCount() == 0
    register.show()
    qtbot.waitUntil(lambda: register.model.rowCount() == 1, timeout=TIMEOUT)
    assert register.model.index(0, Column.PLATE).data() == "赣B66666"


def test_the_lab_screen_follows_the_load_it_shows(qtbot: Any, yard_store: Store, watching: Door,
                                                  clock: FixedClock) -> None:
    load_id = arrive(yard_store, clock, "赣B77777")
    submit(yard_store, clock, load_id, TO_THE_LAB)
    lab = LabResultsWidget(watching, SUPERVISOR, clock=clock)
    shown(qtbot, lab)
    lab.open_ticket("T2026-000001")
    label = lab.findChild(QLabel, "labLoad")
    assert label is not None
    qtbot.waitUntil(lambda: "(Awaiting lab)" in label.text(), timeout=TIMEOUT)
    lab.lab_edit.setText("赣州稀土检测中心")
    typed = lab.findChild(QWidget, "field_sm_pct")
    assert typed is not None
    typed.setText("30.5")  # type: ignore[attr-defined]

    # Another station stores the lab's report for the same load.
    with yard_store.session() as s:
        intake_svc.enter_lab_results(s, actor=SUPERVISOR, clock=clock, load_id=load_id,
                                     lab="赣州稀土检测中心", report_number="R-1", method="ICP-OES",
                                     basis="oxide_dry", values={"sm_pct": "31.2", "co_pct": "48"})
    watching.look_for_changes()
    qtbot.waitUntil(lambda: "(Classified)" in label.text(), timeout=TIMEOUT)
    # What was typed here stays.
    assert lab.lab_edit.text() == "赣州稀土检测中心"
    assert typed.text() == "30.5"  # type: ignore[attr-defined]


def test_the_wizard_offers_a_camera_set_up_meanwhile(qtbot: Any, yard_store: Store, watching: Door,
                                                     clock: FixedClock) -> None:
    load_id = arrive(yard_store, clock, "赣B88888")
    wizard = IntakeWizardWidget(watching, INSPECTOR, clock=clock)
    shown(qtbot, wizard)
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        wizard.open_load(load_id)
    assert wizard.step is Step.GROSS
    assert wizard.findChild(QPushButton, "cameraPhotoButton") is None
    gross = wizard.findChild(QWidget, "field_gross")
    assert gross is not None
    gross.setText("20000")  # type: ignore[attr-defined]

    # An administrator adds the deck camera from the command line.
    with yard_store.session() as s:
        set_camera(s, actor=SUPERVISOR, clock=clock, name="deck", url="http://192.0.2.10/snapshot.jpg")
    watching.look_for_changes()
    qtbot.waitUntil(lambda: wizard.findChild(QPushButton, "cameraPhotoButton") is not None, timeout=TIMEOUT)
    again = wizard.findChild(QWidget, "field_gross")
    assert again is not None and again.text() == "20000"  # type: ignore[attr-defined]
    assert wizard.load_id == load_id and wizard.step is Step.GROSS


def test_no_screen_reads_for_a_change_it_does_not_show(qtbot: Any, yard_store: Store, door: Door) -> None:
    trucks = TrucksOnSiteWidget(door)
    shown(qtbot, trucks)
    qtbot.waitUntil(lambda: trucks.status_label.text() == "0 truck(s) on site", timeout=TIMEOUT)
    door.announce([Change.USERS, Change.CERTIFICATES, Change.AUDIT])
    assert trucks.refresh_count == 0
    door.announce([Change.LOADS])
    assert trucks.refresh_count == 1
