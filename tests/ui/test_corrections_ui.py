"""Correcting and cancelling a load in the window: the load details' buttons (enabled by roles and state),
the correction dialog (field, current value, new value, reason, a supervisor's confirmation after
weigh-out, refusals shown in place) and the cancel dialog, all through the door with injected prompts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QRadioButton, QWidget

from inspector.changes import Change
from inspector.clock import FixedClock
from inspector.intake.steps import Step
from inspector.queries.loads import AmendForm, CancelForm, LoadDetails, amend_form, cancel_form, load_details
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import corrections
from inspector.services import yard as yard_svc
from inspector.storage.db import Store
from inspector.storage.models.core import Load
from tests.core.intake.conftest import Yard, walk_to
from ui.app import READ_ONLY_VIEWER
from ui.models.loads import Column
from ui.ops import Door
from ui.screens.corrections import AmendDialog, AnswersEditor, CancelDialog
from ui.screens.load_details import LoadDetailsDialog, LoadDetailsWidget
from ui.screens.register import LoadRegisterWidget
from ui.theme import TOUCH_TARGET_PX

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))
CLERK = Actor("chen.jing", "Chen Jing", frozenset({Role.CLERK}))
USCC = "91350100M000100Y43"
TIMEOUT = 15_000

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def yard(store: Store) -> Yard:
    clock = FixedClock(datetime(2026, 3, 2, 8, 30, tzinfo=UTC), offset_minutes=480)
    with store.session() as s:
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司")
        supplier = yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="供应商甲", uscc=USCC)
        yard_svc.add_scale(s, actor=SYSTEM, clock=clock, scale_id="WB-1", division=10, capacity=80000)
    return Yard(store, clock, supplier.id or 0)


def details_of(store: Store, load_id: int) -> LoadDetails:
    with store.session() as s:
        return load_details(s, load_id=load_id, data_dir=store.data_dir)


def form_of(store: Store, load_id: int) -> AmendForm:
    with store.session() as s:
        return amend_form(s, load_id=load_id, data_dir=store.data_dir)


def cancel_form_of(store: Store, load_id: int) -> CancelForm:
    with store.session() as s:
        return cancel_form(s, load_id=load_id)


def stored(store: Store, load_id: int) -> Load:
    with store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        return load


class Confirmer:
    """The supervisor's confirmation in person: answers as the test set, and records what was asked."""

    def __init__(self, answer: Actor | None) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, text: str) -> Actor | None:
        self.asked.append(text)
        return self.answer


def amend_dialog(qtbot: Any, door: Door, yard: Yard, load_id: int, *, confirmer: Confirmer | None = None,
                 actor: Actor = INSPECTOR) -> AmendDialog:
    dialog = AmendDialog(door, actor, form_of(yard.store, load_id), clock=yard.clock,
                         confirm_supervisor=confirmer or Confirmer(None))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_details_offer_the_corrections_to_the_roles_that_make_them(qtbot: Any, door: Door,
                                                                       yard: Yard) -> None:
    load_id = walk_to(yard, Step.GATE)
    details = details_of(yard.store, load_id)
    inspector = LoadDetailsWidget(details, door=door, actor=INSPECTOR)
    qtbot.addWidget(inspector)
    assert inspector.amend_button.isEnabled() and inspector.cancel_button.isEnabled()
    assert (inspector.amend_button.text(), inspector.cancel_button.text()) == ("Correct…", "Cancel load…")
    for button in (inspector.amend_button, inspector.cancel_button):
        assert button.minimumHeight() >= TOUCH_TARGET_PX
    for actor in (CLERK, READ_ONLY_VIEWER):
        other = LoadDetailsWidget(details, door=door, actor=actor)
        qtbot.addWidget(other)
        assert not other.amend_button.isEnabled() and not other.cancel_button.isEnabled()
        assert other.amend_button.toolTip() == "Only inspectors and supervisors correct or cancel loads."
    # Without the door (a details view on its own) there is nothing to press.
    plain = LoadDetailsWidget(details)
    qtbot.addWidget(plain)
    assert plain.amend_button.isHidden() and plain.cancel_button.isHidden() and plain.ticket_button.isHidden()


def test_the_details_offer_the_weigh_ticket_once_the_gross_is_weighed(qtbot: Any, door: Door,
                                                                      yard: Yard) -> None:
    """The office reprints a ticket from the load's details; the clerk may, a read-only viewer may not."""
    from ui.screens.ticket import TicketDialog

    arrived = LoadDetailsWidget(details_of(yard.store, walk_to(yard, Step.ARRIVAL)), door=door,
                                actor=INSPECTOR)
    qtbot.addWidget(arrived)
    assert not arrived.ticket_button.isEnabled()  # nothing weighed: nothing to receipt
    weighed = details_of(yard.store, walk_to(yard, Step.GATE))
    viewer = LoadDetailsWidget(weighed, door=door, actor=READ_ONLY_VIEWER)
    qtbot.addWidget(viewer)
    assert not viewer.ticket_button.isEnabled()
    clerk = LoadDetailsWidget(weighed, door=door, actor=CLERK)
    qtbot.addWidget(clerk)
    assert clerk.ticket_button.isEnabled() and clerk.ticket_button.minimumHeight() >= TOUCH_TARGET_PX
    clerk.ticket_button.click()
    dialog = clerk.findChild(TicketDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.sheet is not None)
    dialog.close()


def test_a_correction_shows_the_current_value_and_stores_the_new_one(qtbot: Any, door: Door,
                                                                    yard: Yard) -> None:
    load_id = walk_to(yard, Step.GATE)
    dialog = amend_dialog(qtbot, door, yard, load_id)
    assert dialog.windowTitle() == "Correct load T2026-000001"
    assert dialog.note_label.isHidden()  # weighed in only: no supervisor needed
    dialog.choose_field("driver")
    assert dialog.current_label.text() == "张三"
    assert dialog.editor is not None and dialog.editor.value() == "张三"
    dialog.editor.set_value("李四")
    dialog.reason_edit.setText("typo")
    dialog.save_button.click()
    assert dialog.message_label.text() == "Say why in at least 5 characters."
    assert stored(yard.store, load_id).driver == "张三"
    dialog.reason_edit.setText("name misheard at the gate")
    with qtbot.waitSignal(dialog.amended, timeout=TIMEOUT) as amended:
        dialog.save_button.click()
    result = amended.args[0]
    assert (result.field, result.old, result.new) == ("driver", "张三", "李四")
    assert dialog.result_value is result and dialog.result() == AmendDialog.DialogCode.Accepted
    assert stored(yard.store, load_id).driver == "李四"
    for widget in (dialog.field_combo, dialog.reason_edit, dialog.save_button, dialog.close_button):
        assert widget.minimumHeight() >= TOUCH_TARGET_PX


def test_a_refused_value_is_shown_in_the_dialog_which_stays_open(qtbot: Any, door: Door, yard: Yard) -> None:
    load_id = walk_to(yard, Step.GATE)
    dialog = amend_dialog(qtbot, door, yard, load_id)
    dialog.choose_field("inclusions_pct")
    assert dialog.current_label.text() == "1.0 %"
    assert dialog.editor is not None
    dialog.editor.set_value("120")
    dialog.reason_edit.setText("estimated again at the gate")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(dialog.message_label.text()), timeout=TIMEOUT)
    assert dialog.message_label.text() == ("The new value cannot be taken: A percentage cannot be over 100 "
                                           "(120 %).")
    assert dialog.editor.error_label.isVisibleTo(dialog)
    assert dialog.isVisible() and dialog.save_button.isEnabled() and dialog.result_value is None
    assert stored(yard.store, load_id).attributes["inclusions_pct"] == "1.0"
    dialog.editor.set_value("1.0")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Nothing to change" in dialog.message_label.text(), timeout=TIMEOUT)


def test_after_weigh_out_a_supervisor_confirms_in_person(qtbot: Any, door: Door, yard: Yard) -> None:
    load_id = walk_to(yard, Step.TARE)
    refusing = Confirmer(None)
    dialog = amend_dialog(qtbot, door, yard, load_id, confirmer=refusing)
    assert not dialog.note_label.isHidden()
    assert "a supervisor must confirm this correction in person" in dialog.note_label.text()
    dialog.choose_field("plate")
    assert dialog.editor is not None
    dialog.editor.set_value("赣B54321")
    dialog.reason_edit.setText("plate misread at the gate")
    dialog.save_button.click()
    assert refusing.asked == ["Correction of Vehicle plate of load T2026-000001: a supervisor confirms it in "
                              "person."]
    assert dialog.message_label.text() == "Not saved: a supervisor did not confirm the correction."
    assert stored(yard.store, load_id).plate == "赣B12345"

    confirming = Confirmer(SUPERVISOR)
    dialog = amend_dialog(qtbot, door, yard, load_id, confirmer=confirming)
    dialog.choose_field("plate")
    assert dialog.editor is not None
    dialog.editor.set_value("赣B54321")
    dialog.reason_edit.setText("plate misread at the gate")
    with qtbot.waitSignal(dialog.amended, timeout=TIMEOUT) as amended:
        dialog.save_button.click()
    assert amended.args[0].confirmed_by == "wang.fang"
    assert stored(yard.store, load_id).plate == "赣B54321"


def test_the_identification_is_corrected_question_by_question(qtbot: Any, door: Door, yard: Yard) -> None:
    load_id = walk_to(yard, Step.IDENTIFICATION)
    dialog = amend_dialog(qtbot, door, yard, load_id)
    dialog.choose_field("answers")
    editor = dialog.editor
    assert isinstance(editor, AnswersEditor)
    assert dialog.current_label.text() == ("Magnets or magnet-bearing parts → Sintered NdFeB → Production → "
                                           "Solid pieces → NDFEB-PS NdFeB production scrap, solid")
    assert list(editor.combos) == ["kind", "magnet_type", "ndfeb_source", "ndfeb_form"]
    editor.answer("ndfeb_form", "roasted")
    assert editor.value()["ndfeb_form"] == "roasted" and "NDFEB-RO" in editor.category_label.text()
    editor.answer("magnet_type", "ndfeb_bonded")  # an earlier answer: the later ones fall away
    assert editor.value() == {"kind": "magnet", "magnet_type": "ndfeb_bonded"}
    assert list(editor.combos) == ["kind", "magnet_type"]
    dialog.reason_edit.setText("bonded magnets, not sintered")
    with qtbot.waitSignal(dialog.amended, timeout=TIMEOUT):
        dialog.save_button.click()
    assert stored(yard.store, load_id).assigned_category == "NDFEB-BD"


def test_a_load_is_cancelled_with_a_reason_kind_and_a_reason(qtbot: Any, door: Door, yard: Yard) -> None:
    load_id = walk_to(yard, Step.GROSS)
    dialog = CancelDialog(door, INSPECTOR, cancel_form_of(yard.store, load_id), clock=yard.clock,
                          confirm_supervisor=Confirmer(None))
    qtbot.addWidget(dialog)
    dialog.show()
    radios = dialog.findChildren(QRadioButton)
    assert [r.text() for r in radios] == ["Turned away", "Duplicate", "Entered by mistake"]
    assert all(r.minimumHeight() >= TOUCH_TARGET_PX for r in radios)
    assert dialog.note_label.isHidden()
    dialog.reason_edit.setText("driver refused the radiation check")
    dialog.confirm_button.click()
    assert dialog.message_label.text() == "Choose why the load is cancelled."
    dialog.kind_buttons["turned_away"].click()
    with qtbot.waitSignal(dialog.cancelled, timeout=TIMEOUT) as cancelled:
        dialog.confirm_button.click()
    assert (cancelled.args[0].state, cancelled.args[0].kind) == ("cancelled", "turned_away")
    load = stored(yard.store, load_id)
    assert (load.state, load.ticket_no) == ("cancelled", "T2026-000001")


def test_the_details_read_again_and_show_corrections_and_cancellation(qtbot: Any, door: Door,
                                                                      yard: Yard) -> None:
    load_id = walk_to(yard, Step.TARE)
    widget = LoadDetailsWidget(details_of(yard.store, load_id), door=door, actor=INSPECTOR)
    qtbot.addWidget(widget)
    with yard.store.session() as s:
        corrections.amend_load(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id,
                               changes={"driver": "李四"}, reason="name misheard at the gate",
                               confirmed_by=SUPERVISOR)
        corrections.cancel_load(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id,
                                reason_kind="duplicate", reason="registered twice", confirmed_by=SUPERVISOR)
    with qtbot.waitSignal(widget.details_changed, timeout=TIMEOUT):
        door.announce({Change.LOADS})  # as the door does when the trail shows another program's change
    fields = widget.shown_fields
    assert fields["state"] == "Cancelled"
    assert (fields["cancel_kind"], fields["cancel_reason"], fields["cancel_confirmed_by"]) == (
        "Duplicate", "registered twice", "wang.fang")
    assert "li.wei, confirmed by wang.fang: Driver: 张三 → 李四. Reason: name misheard at the gate" in \
        fields["amendments"]
    assert not widget.amend_button.isEnabled() and not widget.cancel_button.isEnabled()
    assert widget.amend_button.toolTip() == "Load T2026-000001 is Cancelled: nothing of it can be amended."


def test_the_buttons_open_the_dialogs_through_the_prompts(qtbot: Any, door: Door, yard: Yard) -> None:
    load_id = walk_to(yard, Step.GATE)
    asked: list[Any] = []

    def ask_amendment(_parent: QWidget, form: AmendForm) -> None:
        asked.append(form)

    def ask_cancellation(_parent: QWidget, form: CancelForm) -> None:
        asked.append(form)

    dialog = LoadDetailsDialog(details_of(yard.store, load_id), door=door, actor=INSPECTOR,
                               ask_amendment=ask_amendment, ask_cancellation=ask_cancellation)
    qtbot.addWidget(dialog)
    dialog.details_widget.amend_button.click()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=TIMEOUT)
    form = asked[0]
    assert isinstance(form, AmendForm) and form.ticket_no == "T2026-000001"
    assert form.field("plate").current == "赣B12345" and not form.needs_supervisor
    dialog.details_widget.cancel_button.click()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=TIMEOUT)
    assert isinstance(asked[1], CancelForm) and asked[1].kinds == corrections.CANCEL_KINDS


def test_the_register_shows_a_cancelled_load_as_cancelled(qtbot: Any, door: Door, yard: Yard) -> None:
    load_id = walk_to(yard, Step.ARRIVAL)
    with yard.store.session() as s:
        corrections.cancel_load(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id,
                                reason_kind="entered_by_mistake", reason="a test entry, no truck")
    register = LoadRegisterWidget(door, INSPECTOR)
    qtbot.addWidget(register)
    register.show()
    qtbot.waitUntil(lambda: register.model.rowCount() == 1, timeout=TIMEOUT)
    assert register.model.index(0, Column.STATE).data() == "Cancelled"
    register.open_load(load_id)
    qtbot.waitUntil(lambda: bool(register.open_dialogs), timeout=TIMEOUT)
    opened = register.open_dialogs[0].details_widget
    assert opened.shown_fields["cancel_kind"] == "Entered by mistake"
    assert not opened.cancel_button.isHidden() and not opened.cancel_button.isEnabled()
    for dialog in register.open_dialogs:
        dialog.close()
