"""The lots screen and the approval queue, driven through their widgets with injected prompts and file
choosers: building lots, signing an approval end to end, four-eyes and bad input shown in words, held
loads, and the offline packet round trip between the yard PC and a supervisor's laptop."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QTreeWidgetItem, QWidget

from inspector.datadir import DataDir
from inspector.queries import lots as queries
from inspector.security import keys
from inspector.services import lots as svc
from inspector.states import LotState
from inspector.storage.db import open_store
from inspector.storage.models.lots import Approval
from tests.core.lots import conftest as lots_conftest
from tests.core.lots.conftest import PASSPHRASES, PASSWORDS, Yard, add_load, add_loads
from ui.models.lots import (
    ApprovalQueueModel,
    EligibleLoadsModel,
    HeldLoadsModel,
    LotListModel,
    LotMembersModel,
)
from ui.ops import Door, Ops
from ui.screens.approvals import ApprovalQueueWidget, signature_dialog
from ui.screens.lots import LotsWidget
from ui.widgets.signature import SignatureDialog, SignatureInput

# The secured yard with supervisors' keys that the lots core tests build (copied per test).
lots_template = lots_conftest.lots_template
yard = lots_conftest.yard

WAIT_MS = 15_000
MEANING = "Approval of the lot after reviewing every finding."


def submitted_lot(yard: Yard, load_ids: list[int]) -> str:
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=load_ids)
        svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
        return lot.lot_no


def lot_state(yard: Yard, lot_no: str) -> str:
    with yard.store.session() as s:
        return svc.get_lot(s, lot_no).state


class Prompts:
    """Injected stand-ins for the modal dialogs: they answer what the test set and record the questions."""

    def __init__(self) -> None:
        self.signature: SignatureInput | None = None
        self.passphrase: str | None = None
        self.save_to: Path | None = None
        self.open_from: Path | None = None
        self.key_file: Path | None = None
        self.asked: list[tuple[Any, ...]] = []

    def ask_signature(self, _parent: QWidget, lot_no: str, decision: str, needs_password: bool) -> Any:
        self.asked.append(("signature", lot_no, decision, needs_password))
        return self.signature

    def ask_passphrase(self, _parent: QWidget, _text: str) -> str | None:
        self.asked.append(("passphrase",))
        return self.passphrase

    def choose_save_file(self, _parent: QWidget, _title: str, suggested: str) -> Path | None:
        self.asked.append(("save", suggested))
        return self.save_to

    def choose_open_file(self, _parent: QWidget, _title: str) -> Path | None:
        self.asked.append(("open",))
        return self.open_from

    def choose_key_file(self, _parent: QWidget) -> Path | None:
        return self.key_file


@pytest.fixture
def prompts() -> Prompts:
    return Prompts()


@pytest.fixture
def door(ops: Ops, yard: Yard) -> Iterator[Door]:
    """The screens' door over the test yard; it does not poll the audit trail."""
    instance = Door(ops, yard.store, watch_ms=None)
    yield instance
    instance.stop_watching()


def lots_widget(qtbot: Any, door: Door, yard: Yard, prompts: Prompts, username: str) -> LotsWidget:
    widget = LotsWidget(door, yard.actor(username), clock=yard.clock, ask_passphrase=prompts.ask_passphrase,
                        choose_save_file=prompts.choose_save_file, choose_open_file=prompts.choose_open_file)
    show(qtbot, widget)
    return widget


def queue_widget(qtbot: Any, door: Door, yard: Yard, prompts: Prompts, username: str) -> ApprovalQueueWidget:
    widget = ApprovalQueueWidget(door, yard.actor(username), clock=yard.clock,
                                 ask_signature=prompts.ask_signature,
                                 choose_open_file=prompts.choose_open_file,
                                 choose_save_file=prompts.choose_save_file,
                                 choose_key_file=prompts.choose_key_file)
    show(qtbot, widget)
    return widget


def show(qtbot: Any, widget: QWidget) -> None:
    """Lay the screen out at a station PC's size, so clicks land on the buttons."""
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.refresh_button.isEnabled(), timeout=WAIT_MS)  # type: ignore[attr-defined]


def child_texts(item: QTreeWidgetItem) -> list[str]:
    return [child.text(0) for child in (item.child(i) for i in range(item.childCount())) if child is not None]


def wait_idle(qtbot: Any, widget: LotsWidget | ApprovalQueueWidget, ops: Ops) -> None:
    qtbot.waitUntil(lambda: ops.pending == 0 and widget.refresh_button.isEnabled(), timeout=WAIT_MS)


# --- models ------------------------------------------------------------------------------------------------

def test_the_models_pass_qt_model_tester(qtmodeltester: Any, qtbot: Any, door: Door, yard: Yard) -> None:
    ids = add_loads(yard, 3)
    with yard.store.session() as s:
        add_load(s, yard.clock, outcome="HOLD")
    lot_no = submitted_lot(yard, ids[:2])
    lots = LotListModel(door)
    queue = ApprovalQueueModel(door)
    for paged in (lots, queue):
        with qtbot.waitSignal(paged.page_loaded, timeout=WAIT_MS):
            paged.fetch_first_page()
    members = LotMembersModel()
    eligible = EligibleLoadsModel()
    held = HeldLoadsModel()
    with yard.store.session() as s:
        members.set_rows(queries.lot_members(s, lot_no=lot_no))
        eligible.set_rows(queries.eligible_loads(s))
        held.set_rows(queries.held_loads(s))
    assert (lots.rowCount(), members.rowCount(), eligible.rowCount(), queue.rowCount(), held.rowCount()) == (
        1, 2, 1, 1, 1)
    assert lots.index(0, 1).data() == "Submitted"
    assert lots.index(0, 5).data() == "40,920 kg"
    for model in (lots, members, eligible, queue, held):
        qtmodeltester.check(model)
    eligible.set_checked(ids[2], True)
    assert eligible.checked_ids() == [ids[2]]
    qtmodeltester.check(eligible)


# --- the lots screen ---------------------------------------------------------------------------------------

def test_build_split_merge_and_submit_a_lot_through_the_screen(qtbot: Any, ops: Ops, door: Door, yard: Yard,
                                                               prompts: Prompts) -> None:
    ids = add_loads(yard, 3)
    widget = lots_widget(qtbot, door, yard, prompts, "li.wei")
    assert widget.eligible_model.rowCount() == 3
    assert not widget.create_button.isEnabled()

    for load_id in ids[:2]:
        widget.eligible_model.set_checked(load_id, True)
    qtbot.mouseClick(widget.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "created with 2 load" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert widget.lots_model.rowCount() == 1
    first = widget.lots_model.row_at(0).lot_no
    assert widget.selected_lot_nos() == [first]
    qtbot.waitUntil(lambda: widget.members_model.rowCount() == 2, timeout=WAIT_MS)

    # The third load joins the selected lot.
    assert widget.eligible_model.rowCount() == 1
    widget.eligible_model.set_checked(ids[2], True)
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "added to lot" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    qtbot.waitUntil(lambda: widget.members_model.rowCount() == 3, timeout=WAIT_MS)
    assert widget.eligible_model.rowCount() == 0

    # 5,000 kg of one load go to a new lot.
    widget.select_members([ids[0]])
    widget.amount_edit.setText("5000")
    qtbot.mouseClick(widget.split_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "split" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert widget.lots_model.rowCount() == 2
    nets = {row.lot_no: row.net for row in widget.lots_model.rows}
    second = next(n for n in nets if n != first)
    assert nets == {first: 3 * 20_460 - 5000, second: 5000}
    assert widget.selected_lot_nos() == [second]

    # Merging gives the mass back to the first lot: no kilogram created or lost.
    widget.select_lots([first, second])
    qtbot.mouseClick(widget.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "merged into" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert [(r.lot_no, r.net) for r in widget.lots_model.rows] == [(first, 3 * 20_460)]

    widget.select_lots([first])
    qtbot.waitUntil(lambda: widget.submit_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(widget.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is submitted" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert lot_state(yard, first) == LotState.SUBMITTED.value
    assert widget.lots_model.index(0, 1).data() == "Submitted"
    assert widget.export_button.isEnabled()


def test_bad_split_amount_and_service_refusals_are_shown_in_words(qtbot: Any, ops: Ops, door: Door,
                                                                  yard: Yard,
                                                                  prompts: Prompts) -> None:
    ids = add_loads(yard, 2)
    lot_no = submitted_lot(yard, ids)
    widget = lots_widget(qtbot, door, yard, prompts, "li.wei")
    widget.select_lots([lot_no])
    qtbot.waitUntil(lambda: widget.members_model.rowCount() == 2, timeout=WAIT_MS)
    widget.select_members([ids[0]])
    widget.amount_edit.setText("12.5")
    qtbot.mouseClick(widget.split_button, Qt.MouseButton.LeftButton)
    assert "whole number of kilograms" in widget.message_label.text()
    assert widget.lots_model.rowCount() == 1

    # Not a whole number of scale divisions (10 kg): the service says so, nothing changes.
    widget.amount_edit.setText("5005")
    qtbot.mouseClick(widget.split_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "scale divisions" in widget.message_label.text(), timeout=WAIT_MS)
    assert "Traceback" not in widget.message_label.text()
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value

    # A clerk may not change lots: refused in words by the service.
    clerk = lots_widget(qtbot, door, yard, prompts, "chen.jing")
    clerk.select_lots([lot_no])
    qtbot.waitUntil(lambda: clerk.members_model.rowCount() == 2, timeout=WAIT_MS)
    clerk.select_members([ids[1]])
    qtbot.mouseClick(clerk.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "may not change lots" in clerk.message_label.text(), timeout=WAIT_MS)
    with yard.store.session() as s:
        assert len(svc.members_of(s, svc.get_lot(s, lot_no))) == 2


# --- the approval queue ------------------------------------------------------------------------------------

def test_a_supervisor_approves_a_lot_end_to_end_through_the_queue(qtbot: Any, ops: Ops, door: Door,
                                                                  yard: Yard,
                                                                  prompts: Prompts) -> None:
    ids = add_loads(yard, 2, moisture="2.0")
    lot_no = submitted_lot(yard, ids)
    widget = queue_widget(qtbot, door, yard, prompts, "zhao.hui")
    assert widget.queue_model.rowCount() == 1
    assert widget.queue_model.index(0, 0).data() == lot_no
    widget.select_lot(lot_no)
    qtbot.waitUntil(lambda: widget.detail_tree.topLevelItemCount() == 3, timeout=WAIT_MS)
    head = widget.detail_tree.topLevelItem(0)
    assert head is not None
    assert lot_no in head.text(0)
    assert any(text.startswith("Rule set: " + yard.ruleset.id) for text in child_texts(head))
    load_item = widget.detail_tree.topLevelItem(1)
    assert load_item is not None
    readings = load_item.child(1)
    assert readings is not None and "Moisture: 2.0" in child_texts(readings)  # the rule set's name

    prompts.signature = SignatureInput(meaning=MEANING, passphrase=PASSPHRASES["zhao.hui"],
                                       password=PASSWORDS["zhao.hui"])
    qtbot.mouseClick(widget.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "approved" in widget.result_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert prompts.asked[-1] == ("signature", lot_no, "approve", True)
    assert "赵辉 Zhao Hui" in widget.result_label.text()
    assert MEANING in widget.result_label.text()
    assert lot_state(yard, lot_no) == LotState.APPROVED.value
    with yard.store.session() as s:
        approval = svc.current_approval(s, svc.get_lot(s, lot_no))
        assert approval is not None and approval.user_id == "zhao.hui" and svc.verify_approval(approval)
        assert approval.version_hash[:16] in widget.result_label.text()
    assert widget.queue_model.rowCount() == 0


def test_a_four_eyes_refusal_is_shown_in_words(qtbot: Any, ops: Ops, door: Door, yard: Yard,
                                               prompts: Prompts) -> None:
    ids = add_loads(yard, 1)
    with yard.store.session() as s:
        ids.append(add_load(s, yard.clock, created_by="zhang.min").id or 0)
    lot_no = submitted_lot(yard, ids)
    widget = queue_widget(qtbot, door, yard, prompts, "zhang.min")
    widget.select_lot(lot_no)
    prompts.signature = SignatureInput(meaning=MEANING, passphrase=PASSPHRASES["zhang.min"],
                                       password=PASSWORDS["zhang.min"])
    qtbot.mouseClick(widget.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "recorded weighings" in widget.message_label.text(), timeout=WAIT_MS)
    assert "Traceback" not in widget.message_label.text()
    assert widget.result_label.text() == ""
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value
    assert widget.approve_button.isEnabled()


def test_a_wrong_passphrase_or_a_cancelled_prompt_signs_nothing(qtbot: Any, ops: Ops, door: Door, yard: Yard,
                                                                 prompts: Prompts) -> None:
    lot_no = submitted_lot(yard, add_loads(yard, 1))
    widget = queue_widget(qtbot, door, yard, prompts, "zhao.hui")
    widget.select_lot(lot_no)
    prompts.signature = None
    qtbot.mouseClick(widget.reject_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, widget, ops)
    assert prompts.asked == [("signature", lot_no, "reject", True)]
    assert widget.result_label.text() == ""
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value
    prompts.signature = SignatureInput(meaning="Rejection: the assay is doubtful.", passphrase="not my key",
                                       password=PASSWORDS["zhao.hui"])
    qtbot.mouseClick(widget.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "passphrase" in widget.message_label.text().lower(), timeout=WAIT_MS)
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value
    prompts.signature = SignatureInput(meaning="Rejection: the assay is doubtful.",
                                       passphrase=PASSPHRASES["zhao.hui"], password="wrong password")
    qtbot.mouseClick(widget.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "password" in widget.message_label.text().lower(), timeout=WAIT_MS)
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value


def test_held_loads_are_released_with_a_comment_or_rejected(qtbot: Any, ops: Ops, door: Door, yard: Yard,
                                                            prompts: Prompts) -> None:
    with yard.store.session() as s:
        first = add_load(s, yard.clock, outcome="HOLD").ticket_no
        second = add_load(s, yard.clock, outcome="HOLD").ticket_no
    widget = queue_widget(qtbot, door, yard, prompts, "zhao.hui")
    assert [widget.held_model.index(r, 0).data() for r in range(2)] == [first, second]
    widget.held_view.selectRow(0)
    widget.comment_edit.setText("ok")
    qtbot.mouseClick(widget.release_button, Qt.MouseButton.LeftButton)
    assert "needs a comment" in widget.message_label.text()
    widget.comment_edit.setText("Dose re-measured at background level; fit for use.")
    qtbot.mouseClick(widget.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "released" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert widget.held_model.rowCount() == 1
    widget.held_view.selectRow(0)
    qtbot.mouseClick(widget.reject_load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"Load {second} rejected" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert widget.held_model.rowCount() == 0
    with yard.store.session() as s:
        assert [ld.ticket_no for ld in queries.eligible_loads(s)] == [first]


# --- the offline round trip --------------------------------------------------------------------------------

@pytest.fixture
def laptop(tmp_path: Path, yard: Yard, ops: Ops) -> Iterator[tuple[Door, Path]]:
    """A supervisor's laptop: its own data directory holding only zhao.hui's key and the yard CA's
    certificate, and the door its window would use; with the path of the key file."""
    data_dir = DataDir(tmp_path / "laptop").ensure()
    shutil.copy(yard.data_dir.keys / keys.CA_CERT_FILE, data_dir.keys / keys.CA_CERT_FILE)
    [key] = sorted(yard.data_dir.keys.glob("zhao.hui-*.p12"))
    shutil.copy(key, data_dir.keys / key.name)
    store = open_store(data_dir, backup=False)
    door = Door(ops, store, watch_ms=None)
    yield door, data_dir.keys / key.name
    door.stop_watching()
    store.close()


def test_offline_round_trip_between_the_yard_pc_and_a_laptop(qtbot: Any, ops: Ops, door: Door, yard: Yard,
                                                             prompts: Prompts, laptop: tuple[Door, Path],
                                                             tmp_path: Path) -> None:
    lot_no = submitted_lot(yard, add_loads(yard, 2))
    packet_path = tmp_path / "carry" / f"{lot_no}.packet.json"
    packet_path.parent.mkdir()

    # The yard PC: a supervisor exports the packet, signed with their key.
    yard_pc = lots_widget(qtbot, door, yard, prompts, "zhang.min")
    yard_pc.select_lots([lot_no])
    qtbot.waitUntil(lambda: yard_pc.export_button.isEnabled(), timeout=WAIT_MS)
    prompts.passphrase = PASSPHRASES["zhang.min"]
    prompts.save_to = packet_path
    qtbot.mouseClick(yard_pc.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "packet of lot" in yard_pc.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, yard_pc, ops)
    assert packet_path.is_file()
    assert ("save", f"{lot_no}.packet.json") in prompts.asked

    # The laptop: the packet opens read-only; the supervisor approves it into a decision file.
    laptop_door, key_file = laptop
    on_laptop = queue_widget(qtbot, laptop_door, yard, prompts, "zhao.hui")
    assert on_laptop.queue_model.rowCount() == 0
    prompts.open_from = packet_path
    qtbot.mouseClick(on_laptop.open_packet_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_laptop.packet is not None, timeout=WAIT_MS)
    assert "read-only" in on_laptop.mode_label.text()
    packet_head = on_laptop.detail_tree.topLevelItem(0)
    assert packet_head is not None and lot_no in packet_head.text(0)
    assert on_laptop.detail_tree.topLevelItemCount() == 3
    prompts.key_file = key_file
    prompts.signature = SignatureInput(meaning=MEANING, passphrase=PASSPHRASES["zhao.hui"])
    decision_path = tmp_path / "carry" / f"{lot_no}.decision.json"
    prompts.save_to = decision_path
    qtbot.mouseClick(on_laptop.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "decision file" in on_laptop.result_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, on_laptop, ops)
    assert prompts.asked[-2] == ("signature", lot_no, "approve", False)
    assert decision_path.is_file()
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value

    # Back on the yard PC: an altered decision is refused in words before anything is stored ...
    altered = tmp_path / "carry" / "altered.decision.json"
    original = decision_path.read_bytes()
    altered.write_bytes(original.replace(MEANING.encode(), b"Approval of everything at all."))
    qtbot.mouseClick(yard_pc.import_button, Qt.MouseButton.LeftButton)
    importing = yard_pc.import_dialog
    assert importing is not None
    prompts.open_from = altered
    qtbot.mouseClick(importing.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: importing.model.rowCount() == 1, timeout=WAIT_MS)
    assert "altered after it was signed" in importing.model.outcome(importing.rows()[0])
    assert not importing.import_button.isEnabled()
    wait_idle(qtbot, yard_pc, ops)
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value

    # ... and the real one is checked and recorded.
    prompts.open_from = decision_path
    qtbot.mouseClick(importing.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: importing.import_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(importing.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "checked and recorded" in yard_pc.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, yard_pc, ops)
    importing.close()
    assert lot_state(yard, lot_no) == LotState.APPROVED.value
    assert "赵辉 Zhao Hui" in yard_pc.message_label.text()
    with yard.store.session() as s:
        approval = svc.current_approval(s, svc.get_lot(s, lot_no))
        assert isinstance(approval, Approval) and approval.channel == "packet"

    # Back to the queue on the laptop.
    qtbot.mouseClick(on_laptop.close_packet_button, Qt.MouseButton.LeftButton)
    assert on_laptop.packet is None
    wait_idle(qtbot, on_laptop, ops)


def test_a_missing_ca_certificate_is_explained(qtbot: Any, ops: Ops, yard: Yard, prompts: Prompts,
                                               tmp_path: Path) -> None:
    empty = DataDir(tmp_path / "empty").ensure()
    store = open_store(empty, backup=False)
    try:
        widget = queue_widget(qtbot, Door(ops, store, watch_ms=None), yard, prompts, "zhao.hui")
        prompts.open_from = tmp_path / "nothing.packet.json"
        qtbot.mouseClick(widget.open_packet_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "yard CA certificate" in widget.message_label.text(), timeout=WAIT_MS)
        assert widget.packet is None
        wait_idle(qtbot, widget, ops)
    finally:
        store.close()


# --- language ----------------------------------------------------------------------------------------------

def test_screens_have_titles_and_follow_a_language_change(qtbot: Any, ops: Ops, door: Door, yard: Yard,
                                                          prompts: Prompts) -> None:
    lots = lots_widget(qtbot, door, yard, prompts, "li.wei")
    queue = queue_widget(qtbot, door, yard, prompts, "zhao.hui")
    assert lots.title() == "Lots"
    assert queue.title() == "Approvals"
    lots.submit_button.setText("")
    queue.approve_button.setText("")
    for widget in (lots, queue):
        QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    assert lots.submit_button.text() == "Submit for approval"
    assert queue.approve_button.text() == "Approve…"


def test_the_signature_dialog_asks_every_field_in_words(qtbot: Any) -> None:
    dialog = signature_dialog(None, "L2026-00007", "reject", needs_password=True)
    qtbot.addWidget(dialog)
    assert dialog.meaning_edit.text().startswith("Rejection of lot L2026-00007")
    dialog.sign_button.click()
    assert dialog.message_label.text() == "Type your password."
    dialog.password_edit.setText("secret")
    dialog.sign_button.click()
    assert dialog.message_label.text() == "Type the passphrase of your signing key."
    dialog.meaning_edit.setText("no")
    dialog.passphrase_edit.setText("key words")
    dialog.sign_button.click()
    assert dialog.message_label.text() == "Say in a few words what your signature means."
    assert dialog.result_input is None
    dialog.meaning_edit.setText("Rejection: the assay is doubtful.")
    dialog.sign_button.click()
    assert dialog.result_input == SignatureInput(meaning="Rejection: the assay is doubtful.",
                                                 passphrase="key words", password="secret")
    assert dialog.result() == SignatureDialog.DialogCode.Accepted

    offline = signature_dialog(None, "L2026-00007", "approve", needs_password=False)
    qtbot.addWidget(offline)
    assert offline.password_edit.isHidden()
    offline.passphrase_edit.setText("key words")
    offline.sign_button.click()
    assert offline.result_input is not None and offline.result_input.password == ""


def test_a_photo_of_a_load_opens_from_the_approval_queue(qtbot: Any, ops: Ops, door: Door, yard: Yard,
                                                          prompts: Prompts) -> None:
    import hashlib

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    from ui.screens.approvals import PHOTO_ROLE

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    blob = bytes(data.data())
    sha = hashlib.sha256(blob).hexdigest()
    folder = yard.data_dir.photos / sha[:2]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{sha}.png").write_bytes(blob)

    widget = queue_widget(qtbot, door, yard, prompts, "zhang.min")
    assert widget.photo_bytes(sha) == blob
    item = QTreeWidgetItem(widget.detail_tree, ["photo"])
    item.setData(0, PHOTO_ROLE, sha)
    widget.detail_tree.itemDoubleClicked.emit(item, 0)
    assert widget.photo_viewer is not None and widget.photo_viewer.isVisible()
    assert widget.photo_viewer.pixmap().width() > 0
    missing = QTreeWidgetItem(widget.detail_tree, ["gone"])
    missing.setData(0, PHOTO_ROLE, "0" * 64)
    widget.detail_tree.itemDoubleClicked.emit(missing, 0)
    assert "not available here" in widget.message_label.text()
    widget.photo_viewer.close()
