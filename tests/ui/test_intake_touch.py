"""The intake wizard with gloves on a touch screen and without the input method: 是/否 toggles answered with
one tap (and Y/N), check boxes that take a tap anywhere on their row (the lot picker's rows too), an only
choice chosen, the category grid, the province grid and the recent plates, a returning vehicle's previous
load pre-filled and the generating enterprise from the supplier, the existing/new supplier switch, the
live weight on the weighing steps and the done page with the next truck and the weigh ticket."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QWidget,
)

import inspector.storage.models.intake  # noqa: F401  (the intake tables)
from inspector.clock import FixedClock
from inspector.intake.steps import Step
from inspector.queries.lots import EligibleLoad
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import intake as intake_svc
from inspector.services import yard as yard_svc
from inspector.storage.db import Store
from inspector.storage.models.core import Load
from inspector.weighing.capture import LiveMonitor, ScaleConfig
from inspector.weighing.frame import Frame, Mode
from inspector.weighing.profiles import HealthSnapshot
from inspector.weighing.reader import ReaderEvent
from tests.ui.test_intake import NOW_NS, drive_scale, type_text
from ui import i18n, words
from ui.models.lots import EligibleColumn, EligibleLoadsModel
from ui.ops import Door
from ui.screens.intake.wizard import IntakeWizardWidget
from ui.screens.lots import LotsWidget
from ui.widgets.live_weight import LiveWeightWidget
from ui.widgets.plate import PROVINCES
from ui.widgets.toggles import RowCheckDelegate

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))
USCC_A = "91350100M000100Y43"
USCC_B = "91360700MA35K8QX1D"
TIMEOUT = 15_000
GATE = {"dose_background_usv_h": "0.1", "dose_gross_usv_h": "0.1", "portal_alarm": False,
        "prohibited_items_found": False, "inclusions_pct": "0.5", "smoke_or_heat": False}
MANUAL = {"source": "manual", "manual_reason": "indicator broken"}
TO_THE_SUMMARY: list[tuple[Step, dict[str, Any]]] = [
    (Step.GROSS, {"gross": "20000", **MANUAL}),
    (Step.GATE, GATE),
    (Step.IDENTIFICATION, {"answers": {"kind": "magnet", "magnet_type": "smco"}}),
    (Step.SAMPLING, {"plan": "SP-DEFAULT", "increments": "10", "composite": True, "seal_yard": "Y-1001",
                     "seal_supplier": "S-1001", "seal_arbitration": "A-1001"}),
    (Step.TARE, {"tare": "8000", **MANUAL}),
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
        yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="赣州稀金磁材有限公司", uscc=USCC_A)
        yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="宁波东钕永磁科技有限公司", uscc=USCC_B)
        yard_svc.add_scale(s, actor=SYSTEM, clock=clock, scale_id="WB-1", profile="generic-st-gs",
                           division=10, capacity=80000)
    return store


@pytest.fixture
def language(qapp: Any) -> Iterator[i18n.LanguageSwitcher]:
    switcher = i18n.LanguageSwitcher(qapp)
    yield switcher
    switcher.set_language("en")


def arrive(store: Store, clock: FixedClock, plate: str, *, supplier: int = 1, driver: str = "",
           category: str = "SMCO", origin: str = "production", enterprise: str = "") -> int:
    clock.advance(minutes=10)
    with store.session() as s:
        return intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.ARRIVAL, values={
            "plate": plate, "supplier_id": str(supplier), "driver": driver, "declared_category": category,
            "origin": origin, "generating_enterprise": enterprise}).load_id


def submit(store: Store, clock: FixedClock, load_id: int, steps: list[tuple[Step, dict[str, Any]]]) -> None:
    for step, values in steps:
        with store.session() as s:
            intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=step, values=values, load_id=load_id,
                                   confirmed_by=SUPERVISOR)


def wizard_for(qtbot: Any, door: Door, clock: FixedClock, **kw: Any) -> IntakeWizardWidget:
    widget = IntakeWizardWidget(door, INSPECTOR, clock=clock, **kw)
    qtbot.addWidget(widget)
    widget.resize(1156, 1100)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def opened(qtbot: Any, wizard: IntakeWizardWidget, load_id: int | None) -> None:
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        if load_id is None:
            wizard.start_new_arrival()
        else:
            wizard.open_load(load_id)


def child(wizard: QWidget, cls: type[QWidget], name: str) -> Any:
    found = wizard.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} {name}"
    return found


def button(wizard: QWidget, key: str, choice: str) -> QPushButton:
    found = child(wizard, QWidget, f"field_{key}").findChild(QPushButton, f"choice_{choice}")
    assert found is not None, f"no choice {choice} of {key}"
    return found


def tap(qtbot: Any, widget: QWidget, *, at: QPoint | None = None) -> None:
    assert widget.isVisible(), f"{widget.objectName()} is not shown"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at or widget.rect().center())


def far_end(widget: QWidget) -> QPoint:
    """A point at the far end of a row, well past the box and its words."""
    return QPoint(widget.width() - 4, widget.height() // 2)


def test_yes_no_questions_are_two_big_toggles_answered_with_one_tap(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    load_id = arrive(yard_store, clock, "赣B12345")
    submit(yard_store, clock, load_id, TO_THE_SUMMARY[:1])
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.GATE
    assert wizard.findChildren(QComboBox) == []  # no drop-down on the page
    for key in ("portal_alarm", "prohibited_items_found", "smoke_or_heat"):
        yes, no = button(wizard, key, "yes"), button(wizard, key, "no")
        assert (yes.text(), no.text()) == ("Yes", "No")
        assert not yes.isChecked() and not no.isChecked() and wizard.values()[key] is None  # not answered
        assert yes.minimumHeight() >= 44 and no.minimumHeight() >= 44
    # At once after the page opened, one tap answers; another tap on the other button changes the answer.
    tap(qtbot, button(wizard, "portal_alarm", "no"))
    assert wizard.values()["portal_alarm"] is False
    tap(qtbot, button(wizard, "portal_alarm", "yes"))
    assert wizard.values()["portal_alarm"] is True and not button(wizard, "portal_alarm", "no").isChecked()
    # The tap moves the focus on: the next reading is typed without a tap first.
    tap(qtbot, button(wizard, "prohibited_items_found", "no"))
    assert child(wizard, QLineEdit, "field_inclusions_pct").hasFocus()
    # The keyboard: Tab reaches the pair (as a pair of radio buttons), an arrow key the other button,
    # Space presses it; N and Y answer at once.
    inclusions = child(wizard, QLineEdit, "field_inclusions_pct")
    qtbot.keyClick(inclusions, Qt.Key.Key_Tab)
    smoke_yes = button(wizard, "smoke_or_heat", "yes")
    assert smoke_yes.hasFocus()
    qtbot.keyClick(smoke_yes, Qt.Key.Key_Right)
    assert button(wizard, "smoke_or_heat", "no").hasFocus()
    qtbot.keyClick(button(wizard, "smoke_or_heat", "no"), Qt.Key.Key_Space)
    assert wizard.values()["smoke_or_heat"] is False
    smoke_yes.setFocus()
    qtbot.keyClick(smoke_yes, Qt.Key.Key_Y)
    assert wizard.values()["smoke_or_heat"] is True
    qtbot.keyClick(smoke_yes, Qt.Key.Key_N)
    assert wizard.values()["smoke_or_heat"] is False


def test_yes_no_in_chinese_and_a_restored_answer(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock,
        language: i18n.LanguageSwitcher) -> None:
    assert language.set_language("zh_CN")
    load_id = arrive(yard_store, clock, "赣B12345")
    submit(yard_store, clock, load_id, TO_THE_SUMMARY[:2])
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.IDENTIFICATION
    # Identification done; the sampling step's composite question in Chinese.
    for answer in ("magnet", "smco"):
        tap(qtbot, child(wizard, QPushButton, f"answer_{answer}"))
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        wizard.submit()
    yes, no = button(wizard, "composite", "yes"), button(wizard, "composite", "no")
    assert (yes.text(), no.text()) == ("是", "否")
    tap(qtbot, button(wizard, "composite", "yes"))
    with qtbot.waitSignal(wizard.draft_saved, timeout=TIMEOUT):
        type_text(child(wizard, QLineEdit, "field_increments"), "12")
    again = wizard_for(qtbot, door, clock)
    opened(qtbot, again, load_id)
    assert again.values()["composite"] is True and button(again, "composite", "yes").isChecked()


def test_the_only_choice_comes_chosen_and_the_focus_goes_past_it(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    load_id = arrive(yard_store, clock, "赣B12345")
    submit(yard_store, clock, load_id, TO_THE_SUMMARY[:3])
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.SAMPLING
    plan = button(wizard, "plan", "SP-DEFAULT")
    assert plan.isChecked() and wizard.values()["plan"] == "SP-DEFAULT"
    assert child(wizard, QLineEdit, "field_increments").hasFocus()
    # Choices of more than one are not chosen for the inspector (a weight's source).
    submit(yard_store, clock, load_id, TO_THE_SUMMARY[3:4])
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.TARE and wizard.values()["source"] is None
    assert child(wizard, QLineEdit, "field_tare").hasFocus()


def test_every_check_box_takes_a_tap_anywhere_on_its_row(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, None)
    note = child(wizard, QCheckBox, "document_delivery_note")
    assert note.width() > note.sizeHint().width() + 100  # the row is wider than the box and its words
    tap(qtbot, note, at=far_end(note))
    assert note.isChecked() and wizard.values()["documents"] == ["delivery_note"]
    tap(qtbot, note, at=far_end(note))
    assert not note.isChecked()

    load_id = arrive(yard_store, clock, "赣B12345")
    submit(yard_store, clock, load_id, TO_THE_SUMMARY)
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.SUMMARY and wizard.confirm_box is not None
    box = wizard.confirm_box
    assert box.width() > box.sizeHint().width() + 100 and box.minimumHeight() >= 44
    tap(qtbot, box, at=far_end(box))
    assert box.isChecked() and wizard.values()["confirmed"] is True
    tap(qtbot, box, at=QPoint(box.width() - 4, box.height() - 3))  # the lower edge of the row, too
    assert not box.isChecked()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()


def test_a_tap_anywhere_on_a_loads_row_checks_it_for_the_lot(qtbot: Any, door: Door) -> None:
    model = EligibleLoadsModel()
    model.set_rows([EligibleLoad(i, f"T2026-{i:06d}", "NDFEB-PS", 1, "赣州稀金磁材有限公司", 18000, "kg",
                                 "ACCEPT", "A") for i in (1, 2, 3)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(RowCheckDelegate(EligibleColumn.TICKET, view))
    view.resize(900, 300)
    view.show()
    qtbot.waitExposed(view)

    def cell(row: int, column: int) -> QPoint:
        return view.visualRect(model.index(row, column)).center()

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(1, EligibleColumn.SUPPLIER))
    assert model.checked_ids() == [2]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(2, EligibleColumn.OUTCOME))
    assert model.checked_ids() == [2, 3]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(1, EligibleColumn.TICKET))
    assert model.checked_ids() == [3]  # on the box's own cell: toggled once, not twice
    # The lots screen's picker is built so.
    lots = LotsWidget(door, SUPERVISOR)
    qtbot.addWidget(lots)
    assert isinstance(lots.eligible_view.itemDelegate(), RowCheckDelegate)


def test_the_category_is_a_grid_of_big_buttons_with_their_names(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock,
        language: i18n.LanguageSwitcher) -> None:
    assert language.set_language("zh_CN")
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, None)
    grid = child(wizard, QWidget, "field_declared_category")
    ruleset = wizard._context.ruleset  # type: ignore[union-attr]
    codes = list(ruleset.categories)
    for code in codes:
        shown = button(wizard, "declared_category", code)
        assert shown.isVisible() and shown.text() == f"{code}\n{words.category(code)}"
    assert button(wizard, "declared_category", "NDFEB-PS").text() == "NDFEB-PS\n钕铁硼生产加工回收料（块料）"
    tap(qtbot, button(wizard, "declared_category", "NDFEB-PS"))
    assert wizard.values()["declared_category"] == "NDFEB-PS"
    # Chosen, the grid folds to the one chosen; "change" opens it again, and another tap chooses another.
    assert not button(wizard, "declared_category", "SMCO").isVisible()
    assert "NDFEB-PS" in child(grid, QPushButton, "categoryChosen").text()
    tap(qtbot, child(grid, QPushButton, "categoryChange"))
    tap(qtbot, button(wizard, "declared_category", "SMCO"))
    assert wizard.values()["declared_category"] == "SMCO"
    assert child(grid, QPushButton, "categoryChosen").text() == f"SMCO\n{words.category('SMCO')}"


def test_a_plate_from_the_province_grid_or_the_recent_plates_and_what_a_returning_vehicle_brings(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    arrive(yard_store, clock, "浙B11111", supplier=1, driver="张三", category="SMCO")
    arrive(yard_store, clock, "赣B22222", supplier=2, driver="李四", category="NDFEB-PS",
           origin="end_of_life", enterprise="宁波某厂")
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, None)
    plate = child(wizard, QLineEdit, "field_plate")
    recent = child(wizard, QWidget, "recentPlates")
    assert [b.text() for b in recent.findChildren(QPushButton)] == ["赣B22222", "浙B11111"]
    provinces = child(wizard, QWidget, "plateProvinces").findChildren(QPushButton)
    assert [b.text() for b in provinces] == list(PROVINCES) and len(provinces) == 31
    assert all(b.minimumHeight() >= 44 for b in provinces)

    # The province with a tap, the rest typed; another tap puts another province in its place.
    tap(qtbot, child(wizard, QPushButton, f"province_{PROVINCES.index('粤')}"))
    assert plate.text() == "粤" and plate.hasFocus()
    qtbot.keyClicks(plate, "B12345")
    assert plate.text() == "粤B12345" and not recent.isVisible()
    assert not child(wizard, QWidget, "plateProvinces").isVisible()  # a province is there: the grid folds
    tap(qtbot, child(wizard, QPushButton, "plateProvinceButton"))
    tap(qtbot, child(wizard, QPushButton, f"province_{PROVINCES.index('京')}"))
    assert plate.text() == "京B12345"
    with qtbot.waitSignal(wizard.vehicle_read, timeout=TIMEOUT):
        plate.selectAll()
        qtbot.keyClick(plate, Qt.Key.Key_Backspace)  # emptied as a hand does it
    assert recent.isVisible()

    # A recent plate: one tap fills it, and its last load brings driver, supplier, category and origin;
    # the category asks for the generating enterprise: the supplier's name.
    with qtbot.waitSignal(wizard.vehicle_read, timeout=TIMEOUT):
        tap(qtbot, recent.findChildren(QPushButton)[0])
    values = wizard.values()
    assert (values["plate"], values["driver"], values["supplier_id"], values["declared_category"],
            values["origin"]) == ("赣B22222", "李四", "2", "NDFEB-PS", "end_of_life")
    assert values["generating_enterprise"] == "宁波东钕永磁科技有限公司"
    assert "T2026-000002" in wizard.vehicle_label.text()
    # Editable: what is typed over stays when another returning vehicle is picked; what was filled follows.
    driver = child(wizard, QLineEdit, "field_driver")
    driver.clear()
    type_text(driver, "王五")
    with qtbot.waitSignal(wizard.vehicle_read, timeout=TIMEOUT):
        plate.selectAll()
        qtbot.keyClick(plate, Qt.Key.Key_Backspace)
    with qtbot.waitSignal(wizard.vehicle_read, timeout=TIMEOUT):
        tap(qtbot, child(wizard, QWidget, "recentPlates").findChildren(QPushButton)[1])
    values = wizard.values()
    assert (values["plate"], values["driver"], values["supplier_id"], values["declared_category"]) == (
        "浙B11111", "王五", "1", "SMCO")
    assert values["generating_enterprise"] == ""  # SMCO does not ask for it: the guess is taken back
    assert "T2026-000001" in wizard.vehicle_label.text()
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        wizard.submit()
    with yard_store.session() as s:
        load = s.get(Load, wizard.load_id)
        assert load is not None
        assert (load.plate, load.driver, load.supplier_id, load.declared_category) == (
            "浙B11111", "王五", 1, "SMCO")


def test_the_enterprise_follows_the_supplier_until_it_is_typed(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, None)
    enterprise = child(wizard, QLineEdit, "field_generating_enterprise")
    search = child(wizard, QLineEdit, "supplierSearch")
    type_text(search, USCC_B[:8])  # by the unified social credit code
    qtbot.waitUntil(lambda: wizard.values()["supplier_id"] == "2", timeout=TIMEOUT)
    assert enterprise.text() == ""  # no category yet: not asked for
    tap(qtbot, button(wizard, "declared_category", "NDFEB-PS"))
    assert enterprise.text() == "宁波东钕永磁科技有限公司"
    search.clear()
    type_text(search, "稀金")
    qtbot.waitUntil(lambda: wizard.values()["supplier_id"] == "1", timeout=TIMEOUT)
    assert enterprise.text() == "赣州稀金磁材有限公司"
    enterprise.clear()
    type_text(enterprise, "赣州某磁材厂")
    search.clear()
    type_text(search, "宁波")
    qtbot.waitUntil(lambda: wizard.values()["supplier_id"] == "2", timeout=TIMEOUT)
    assert enterprise.text() == "赣州某磁材厂"  # typed by hand: kept


def test_the_supplier_is_an_existing_one_or_a_new_one_and_only_its_fields_show(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, None)
    existing = child(wizard, QPushButton, "choice_existing")
    new = child(wizard, QPushButton, "choice_new")
    search = child(wizard, QLineEdit, "supplierSearch")
    results = child(wizard, QListWidget, "supplierResults")
    name = child(wizard, QLineEdit, "field_new_supplier_name")
    code = child(wizard, QLineEdit, "field_new_supplier_uscc")
    assert existing.isChecked() and search.isVisible() and search.placeholderText()
    assert not name.isVisible() and not code.isVisible()
    assert "No supplier chosen" in child(wizard, QLabel, "supplierChosen").text()
    type_text(search, "有限公司")  # two match: both listed, one tap picks
    qtbot.waitUntil(lambda: results.count() == 2, timeout=TIMEOUT)
    assert results.isVisible() and "2 supplier(s) found" in child(wizard, QLabel, "supplierFound").text()
    assert wizard.values()["supplier_id"] == ""
    # From the keyboard: the arrow keys go through the list, Enter picks.
    results.setFocus()
    results.setCurrentRow(0)
    qtbot.keyClick(results, Qt.Key.Key_Return)
    assert wizard.values()["supplier_id"] == "2"
    item = results.item(1)
    tap(qtbot, results.viewport(), at=results.visualItemRect(item).center())
    assert wizard.values()["supplier_id"] == "1"
    assert child(wizard, QLabel, "supplierChosen").text() == f"Chosen: 赣州稀金磁材有限公司 ({USCC_A})"

    tap(qtbot, new)
    assert name.isVisible() and code.isVisible() and not search.isVisible()
    assert not child(wizard, QLabel, "error_new_supplier_name").isVisible()
    assert wizard.values()["supplier_id"] == ""
    type_text(name, "新供货单位有限公司")
    assert wizard.values()["new_supplier_name"] == "新供货单位有限公司"
    tap(qtbot, existing)
    assert not name.isVisible() and wizard.values()["new_supplier_name"] == ""  # not shown, not sent
    assert wizard.values()["supplier_id"] == "1"  # the one chosen before


def test_the_live_weight_stays_on_every_weighing_step(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    monitor = LiveMonitor(ScaleConfig(unit="kg", division=10, capacity=80000, scale_id="WB-1"),
                          monotonic_ns=lambda: NOW_NS)
    live = LiveWeightWidget(monitor=monitor, monotonic_ns=lambda: NOW_NS)
    # The indicator shows a loaded truck, as its reader hands the frames to the widget.
    frame = Frame(20000, "kg", Mode.GROSS, True, b"", received_ns=NOW_NS)
    live.show_event(ReaderEvent(frame, False, HealthSnapshot(1, 0, 0, 0, 20, {})))
    load_id = arrive(yard_store, clock, "赣B12345")
    wizard = wizard_for(qtbot, door, clock, monitor=monitor, live_weight=live)
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.GROSS and live.isVisible() and live.mode_label.text() == "GROSS"
    drive_scale(monitor, 20000)
    qtbot.waitUntil(wizard.capture_button.isEnabled, timeout=TIMEOUT)
    assert live.isVisible()  # still there once a weight can be captured
    submit(yard_store, clock, load_id, TO_THE_SUMMARY[:4])
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.TARE and live.isVisible() and live.mode_label.text() == "TARE"
    submit(yard_store, clock, load_id, TO_THE_SUMMARY[4:])
    opened(qtbot, wizard, load_id)
    assert wizard.step is Step.SUMMARY and not live.isVisible()


def test_the_done_page_offers_the_next_truck_and_the_weigh_ticket(
        qtbot: Any, yard_store: Store, door: Door, clock: FixedClock) -> None:
    load_id = arrive(yard_store, clock, "赣B12345")
    submit(yard_store, clock, load_id, TO_THE_SUMMARY)
    wizard = wizard_for(qtbot, door, clock)
    opened(qtbot, wizard, load_id)
    assert wizard.confirm_box is not None
    tap(qtbot, wizard.confirm_box)
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT):
        tap(qtbot, wizard.next_button)
    assert wizard.status_label.text() == ""  # nothing stale ("Saving…")
    assert "T2026-000001" in child(wizard, QLabel, "intakeDone").text()
    assert not wizard.next_button.isVisible()
    next_truck = child(wizard, QPushButton, "intakeNextTruck")
    ticket = child(wizard, QPushButton, "intakePrintTicket")
    assert next_truck.text() == "Next truck (Ctrl+N)" and next_truck.minimumHeight() >= 88
    assert next_truck.hasFocus()
    with qtbot.waitSignal(wizard.ticket_requested, timeout=TIMEOUT) as printed:
        tap(qtbot, ticket)
    assert printed.args == [load_id]
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT, check_params_cb=lambda s: s == "arrival"):
        qtbot.keyClick(next_truck, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert wizard.step is Step.ARRIVAL and wizard.load_id is None and wizard.next_button.isVisible()
    # Ctrl+N starts a new truck only from the done page: in the middle of a step it does nothing.
    type_text(child(wizard, QLineEdit, "field_plate"), "赣B 7")
    qtbot.keyClick(child(wizard, QLineEdit, "field_plate"), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert child(wizard, QLineEdit, "field_plate").text() == "赣B 7"
    # Again from the done page (a load whose intake is done opens there), with the button.
    wizard.open_load(load_id)
    qtbot.waitUntil(lambda: wizard.next_truck_button is not None, timeout=TIMEOUT)
    with qtbot.waitSignal(wizard.step_opened, timeout=TIMEOUT):
        tap(qtbot, child(wizard, QPushButton, "intakeNextTruck"))
    assert wizard.step is Step.ARRIVAL
