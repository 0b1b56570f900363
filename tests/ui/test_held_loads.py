"""Held loads explain themselves in the approval queue: selecting one shows its failed findings (measured
against the limit, with the clause), its readings and its photos (a tap opens one to zoom); releasing or
rejecting it says which failed finding it answers, and that is stored with the decision."""

from __future__ import annotations

import hashlib
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QTreeWidgetItem
from sqlalchemy import select
from sqlmodel import col

from inspector.queries import lots as queries
from inspector.security.actor import Actor
from inspector.security.audit import record_change, row_content
from inspector.services import lots as svc
from inspector.storage.models.intake import LoadPhoto
from inspector.storage.models.lots import HeldLoadDecision
from tests.core.lots import conftest as lots_conftest
from tests.core.lots.conftest import Yard, add_load
from tests.ui import test_lots_ui as lots_ui
from tests.ui.test_lots_ui import WAIT_MS, Prompts, queue_widget, wait_idle
from ui.ops import Ops
from ui.screens.approvals import ApprovalQueueWidget
from ui.theme import TOUCH_TARGET_PX
from ui.widgets.held_load import HELD_PHOTO_ROLE

lots_template = lots_conftest.lots_template
yard = lots_conftest.yard
door = lots_ui.door
prompts = lots_ui.prompts


def png() -> bytes:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("darkred"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def held_load(yard: Yard, *, dose: str | None = "0.50", photo: bytes | None = None) -> tuple[int, str]:
    """A held load failing G6 (inclusions 3.0 % above 2.0 %) and, with ``dose``, G2 (radiation)."""
    with yard.store.session() as s:
        load = add_load(s, yard.clock, outcome="HOLD", grade=None, inclusions="3.0")
        if dose is not None:
            old = row_content(load)
            load.attributes = {**load.attributes, "dose_gross_usv_h": dose}
            record_change(s, load, actor=Actor("li.wei", "Li Wei"), action="load.lab", clock=yard.clock,
                          old=old)
        load_id = load.id or 0
        if photo is not None:
            sha = hashlib.sha256(photo).hexdigest()
            folder = yard.data_dir.photos / sha[:2]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{sha}.png").write_bytes(photo)
            record_change(s, LoadPhoto(load_id=load_id, step="gate", sha256=sha, size=len(photo),
                                       suffix=".png", added_by="li.wei", added_at=yard.clock.now().utc),
                          actor=Actor("li.wei", "Li Wei"), action="load.photo", clock=yard.clock)
        return load_id, load.ticket_no


def tree_texts(widget: ApprovalQueueWidget) -> list[str]:
    texts: list[str] = []

    def walk(item: QTreeWidgetItem) -> None:
        texts.append(item.text(0))
        for i in range(item.childCount()):
            child = item.child(i)
            if child is not None:
                walk(child)

    for i in range(widget.detail_tree.topLevelItemCount()):
        top = widget.detail_tree.topLevelItem(i)
        if top is not None:
            walk(top)
    return texts


def photo_items(widget: ApprovalQueueWidget) -> list[QTreeWidgetItem]:
    found: list[QTreeWidgetItem] = []
    for i in range(widget.detail_tree.topLevelItemCount()):
        top = widget.detail_tree.topLevelItem(i)
        for j in range(top.childCount() if top is not None else 0):
            child = top.child(j) if top is not None else None
            if child is not None and child.data(0, HELD_PHOTO_ROLE):
                found.append(child)
    return found


def stored_decision(yard: Yard, load_id: int) -> tuple[HeldLoadDecision, list[str]]:
    with yard.store.session() as s:
        rows = list(s.execute(select(HeldLoadDecision).where(col(HeldLoadDecision.load_id) == load_id))
                    .scalars())
        assert len(rows) == 1
        return rows[0], [a["rule"] for a in svc.held_answers(s, rows[0].id or 0)]


def test_selecting_a_held_load_shows_its_findings_readings_and_photos(
        qtbot: Any, ops: Ops, door: Any, yard: Yard, prompts: Prompts) -> None:
    blob = png()
    load_id, ticket = held_load(yard, photo=blob)
    widget = queue_widget(qtbot, door, yard, prompts, "zhao.hui")
    assert "Select a lot" in tree_texts(widget)[0]
    widget.held_view.selectRow(0)
    qtbot.waitUntil(lambda: any(ticket in t for t in tree_texts(widget)), timeout=WAIT_MS)
    texts = tree_texts(widget)
    assert texts[0].startswith(f"Held load {ticket}: ")
    assert "Failed checks: 2" in texts
    assert any(t.startswith("G2 (§5 G2): ") and t.endswith("(measured 0.40, limit 0.25)") for t in texts)
    assert any(t.startswith("G6 (§5 G6): ") and t.endswith("(measured 3.0, limit 2.0)") for t in texts)
    assert any(t.startswith("Readings: ") for t in texts)
    assert any("3.0" in t and "nclusion" in t for t in texts)  # the inclusions reading, worded
    [photo] = photo_items(widget)
    assert not photo.icon(0).isNull()  # a thumbnail
    assert photo.sizeHint(0).height() >= TOUCH_TARGET_PX
    # A tap opens the photo to zoom.
    widget.detail_tree.itemClicked.emit(photo, 0)
    dialog = widget.held_photo_dialog
    assert dialog is not None and dialog.isVisible()
    before = dialog.image.pixmap().width()
    qtbot.mouseClick(dialog.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dialog.image.pixmap().width() > before
    dialog.close()
    # The choice of the finding answered: two failed checks, none ticked yet.
    assert widget.answer_list.isVisible() and widget.answer_list.count() == 2
    assert widget.answer_list.checked_rules() == []
    for i in range(2):
        item = widget.answer_list.item(i)
        assert item is not None and item.sizeHint().height() >= TOUCH_TARGET_PX
    assert load_id


def test_a_release_needs_the_finding_it_answers_and_stores_it(
        qtbot: Any, ops: Ops, door: Any, yard: Yard, prompts: Prompts) -> None:
    load_id, ticket = held_load(yard)
    widget = queue_widget(qtbot, door, yard, prompts, "zhao.hui")
    widget.held_view.selectRow(0)
    qtbot.waitUntil(lambda: widget.answer_list.count() == 2, timeout=WAIT_MS)
    widget.comment_edit.setText("Dose re-measured at background; inclusions sorted out by hand.")
    qtbot.mouseClick(widget.release_button, Qt.MouseButton.LeftButton)
    assert "Tick the failed check" in widget.message_label.text()
    with yard.store.session() as s:
        assert [h.load_id for h in queries.held_loads(s)] == [load_id]
    # A tap on the row of G2 ticks it.
    g2 = widget.answer_list.item(0)
    assert g2 is not None and g2.text().startswith("G2")
    rect = widget.answer_list.visualItemRect(g2)
    qtbot.mouseClick(widget.answer_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert widget.answer_list.checked_rules() == ["G2"]
    qtbot.mouseClick(widget.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"Load {ticket} released" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    decision, answers = stored_decision(yard, load_id)
    assert decision.decision == "release" and answers == ["G2"]
    # Decided: no longer in the list, and the pane no longer shows it.
    assert widget.held_model.rowCount() == 0
    assert not any(ticket in t for t in tree_texts(widget))
    assert not widget.answer_list.isVisible()


def test_the_only_failed_finding_is_ticked_and_a_rejection_stores_it(
        qtbot: Any, ops: Ops, door: Any, yard: Yard, prompts: Prompts) -> None:
    load_id, ticket = held_load(yard, dose=None)
    widget = queue_widget(qtbot, door, yard, prompts, "zhao.hui")
    widget.held_view.selectRow(0)
    qtbot.waitUntil(lambda: widget.answer_list.count() == 1, timeout=WAIT_MS)
    assert widget.answer_list.checked_rules() == ["G6"]
    qtbot.mouseClick(widget.reject_load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"Load {ticket} rejected" in widget.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    decision, answers = stored_decision(yard, load_id)
    assert decision.decision == "reject" and answers == ["G6"]
