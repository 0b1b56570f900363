"""The lots screen and the approval queue read again by themselves when lots or loads change: through the
other screen, on the command line (the services in their own session, noticed in the audit trail) or
by a certificate issued for a lot. Nobody presses Refresh here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from inspector.services import certificates as certificate_services
from inspector.services import lots as svc
from tests.core.lots import conftest as lots_conftest
from tests.core.lots.conftest import PASSPHRASES, PASSWORDS, Yard, add_load, add_loads
from ui.ops import Door, Ops
from ui.screens.approvals import ApprovalQueueWidget
from ui.screens.lots import LotsWidget
from ui.widgets.signature import SignatureInput

# The secured yard with supervisors' keys that the lots core tests build (copied per test).
lots_template = lots_conftest.lots_template
yard = lots_conftest.yard

WAIT_MS = 15_000
MEANING = "Approval of the lot after reviewing every finding."


@pytest.fixture
def door(ops: Ops, yard: Yard) -> Iterator[Door]:
    """The window's door over the test yard; it looks in the audit trail only when a test asks."""
    instance = Door(ops, yard.store, watch_ms=None)
    yield instance
    instance.stop_watching()


def no_prompt(*_args: Any) -> Any:
    raise AssertionError("no dialog is expected here")


def shown(qtbot: Any, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)


def lots_screen(qtbot: Any, door: Door, yard: Yard, username: str = "li.wei") -> LotsWidget:
    widget = LotsWidget(door, yard.actor(username), clock=yard.clock, ask_passphrase=no_prompt,
                        choose_save_file=no_prompt, choose_open_file=no_prompt)
    shown(qtbot, widget)
    return widget


def queue_screen(qtbot: Any, door: Door, yard: Yard, *, signature: SignatureInput | None = None
                 ) -> ApprovalQueueWidget:
    widget = ApprovalQueueWidget(door, yard.actor("zhao.hui"), clock=yard.clock,
                                 ask_signature=lambda *_args: signature, choose_open_file=no_prompt,
                                 choose_save_file=no_prompt, choose_key_file=no_prompt)
    shown(qtbot, widget)
    return widget


def settle(qtbot: Any, door: Door, ops: Ops) -> None:
    """Every read and write queued so far has run and its result arrived."""
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=WAIT_MS)


def take_mark(qtbot: Any, door: Door, ops: Ops) -> None:
    """The window's first look in the audit trail: from here on, others' work is noticed. (A look is
    skipped while the door has work queued, so the screens' first reads finish first.)"""
    settle(qtbot, door, ops)
    door.look_for_changes()
    settle(qtbot, door, ops)


def as_the_command_line(qtbot: Any, door: Door) -> None:
    """What the window's timer does every two seconds: look in the audit trail for others' work."""
    with qtbot.waitSignal(door.changed, timeout=WAIT_MS):
        door.look_for_changes()


def states(widget: LotsWidget) -> dict[str, str]:
    return {widget.lots_model.row_at(r).lot_no: widget.lots_model.index(r, 1).data()
            for r in range(widget.lots_model.rowCount())}


def create(yard: Yard, load_ids: list[int], *, submit: bool = False) -> str:
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, load_ids=load_ids, data_dir=yard.data_dir)
        if submit:
            svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, data_dir=yard.data_dir)
        return lot.lot_no


def approve(yard: Yard, lot_no: str) -> None:
    with yard.store.session() as s:
        svc.sign_decision(s, actor=yard.actor("zhao.hui"), clock=yard.clock, data_dir=yard.data_dir,
                          lot_no=lot_no, decision="approve", meaning=MEANING, password=PASSWORDS["zhao.hui"],
                          passphrase=PASSPHRASES["zhao.hui"])


def test_the_lots_screen_shows_lots_and_loads_changed_on_the_command_line(qtbot: Any, ops: Ops, door: Door,
                                                                          yard: Yard) -> None:
    ids = add_loads(yard, 3)
    first = create(yard, ids[:1])
    widget = lots_screen(qtbot, door, yard)
    take_mark(qtbot, door, ops)
    assert list(states(widget)) == [first] and widget.eligible_model.rowCount() == 2
    widget.select_lots([first])
    qtbot.waitUntil(lambda: widget.members_model.rowCount() == 1, timeout=WAIT_MS)

    # A lot made on the command line: the list and the loads that may join a lot follow.
    second = create(yard, ids[1:2])
    as_the_command_line(qtbot, door)
    qtbot.waitUntil(lambda: list(states(widget)) == [second, first], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: widget.eligible_model.rowCount() == 1, timeout=WAIT_MS)
    settle(qtbot, door, ops)
    assert widget.selected_lot_nos() == [first], "the selection survives the refresh"

    # A new load classified elsewhere (a change of loads only) shows among the loads that may join a lot.
    with yard.store.session() as s:
        add_load(s, yard.clock)
    as_the_command_line(qtbot, door)
    qtbot.waitUntil(lambda: widget.eligible_model.rowCount() == 2, timeout=WAIT_MS)
    assert widget.refresh_count == 2


def test_approving_in_the_queue_shows_on_the_lots_screen_and_a_submitted_lot_in_the_queue(
        qtbot: Any, ops: Ops, door: Door, yard: Yard) -> None:
    ids = add_loads(yard, 2)
    draft = create(yard, ids[:1])
    submitted = create(yard, ids[1:], submit=True)
    lots = lots_screen(qtbot, door, yard)
    signature = SignatureInput(meaning=MEANING, passphrase=PASSPHRASES["zhao.hui"],
                               password=PASSWORDS["zhao.hui"])
    queue = queue_screen(qtbot, door, yard, signature=signature)
    settle(qtbot, door, ops)
    assert states(lots) == {submitted: "Submitted", draft: "Draft"}
    assert queue.queue_model.rowCount() == 1 and "1 lot" in queue.mode_label.text()

    # Submitted on the lots screen: the queue shows it.
    lots.select_lots([draft])
    qtbot.waitUntil(lambda: lots.submit_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(lots.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue.queue_model.rowCount() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "2 lot" in queue.mode_label.text(), timeout=WAIT_MS)

    # Approved in the queue: the lots screen shows it, the lot still selected there.
    lots.select_lots([submitted])
    queue.select_lot(submitted)
    qtbot.waitUntil(lambda: queue.approve_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(queue.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: states(lots).get(submitted) == "Approved", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: queue.queue_model.rowCount() == 1, timeout=WAIT_MS)
    settle(qtbot, door, ops)
    assert lots.selected_lot_nos() == [submitted]
    assert f"Lot {submitted}: Approved" in lots.detail_label.text()


def test_the_queue_follows_the_command_line_and_held_loads(qtbot: Any, ops: Ops, door: Door,
                                                           yard: Yard) -> None:
    queue = queue_screen(qtbot, door, yard)
    take_mark(qtbot, door, ops)
    assert queue.queue_model.rowCount() == 0 and queue.held_model.rowCount() == 0

    lot_no = create(yard, add_loads(yard, 1), submit=True)
    with yard.store.session() as s:
        add_load(s, yard.clock, outcome="HOLD", grade=None)
    as_the_command_line(qtbot, door)
    qtbot.waitUntil(lambda: queue.queue_model.rowCount() == 1 and queue.held_model.rowCount() == 1,
                    timeout=WAIT_MS)
    queue.select_lot(lot_no)
    qtbot.waitUntil(lambda: queue.detail_tree.topLevelItemCount() == 2, timeout=WAIT_MS)

    # Approved on the command line: the lot leaves the queue.
    approve(yard, lot_no)
    as_the_command_line(qtbot, door)
    qtbot.waitUntil(lambda: queue.queue_model.rowCount() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "0 lot" in queue.mode_label.text(), timeout=WAIT_MS)


def test_a_certificate_issued_for_a_lot_shows_on_a_hidden_lots_screen_when_it_is_shown(
        qtbot: Any, ops: Ops, door: Door, yard: Yard, tmp_path: Path) -> None:
    lot_no = create(yard, add_loads(yard, 1, moisture="2.0"), submit=True)
    approve(yard, lot_no)
    widget = lots_screen(qtbot, door, yard, username="chen.jing")
    take_mark(qtbot, door, ops)
    assert states(widget) == {lot_no: "Approved"}
    widget.hide()

    # The certificates screen's work, done through its service: issuing certifies the lot.
    with yard.store.session() as s:
        certificate_services.issue_certificate(s, actor=yard.actor("chen.jing"), clock=yard.clock,
                                               data_dir=yard.data_dir, lot_no=lot_no,
                                               password=PASSWORDS["zhao.hui"],
                                               passphrase=PASSPHRASES["zhao.hui"])
    as_the_command_line(qtbot, door)
    settle(qtbot, door, ops)
    # Hidden, the screen only notes that it is stale; shown again, it reads once.
    assert widget.stale and states(widget) == {lot_no: "Approved"}
    widget.show()
    qtbot.waitUntil(lambda: states(widget) == {lot_no: "Certified"}, timeout=WAIT_MS)
    assert widget.refresh_count == 1


def test_loads_picked_in_a_lot_stay_picked_when_the_yard_changes(qtbot: Any, ops: Ops, door: Door,
                                                                 yard: Yard) -> None:
    from inspector.changes import Change

    ids = add_loads(yard, 3)
    lot = create(yard, ids[:2])
    widget = lots_screen(qtbot, door, yard)
    take_mark(qtbot, door, ops)
    widget.select_lots([lot])
    qtbot.waitUntil(lambda: widget.members_model.rowCount() == 2, timeout=WAIT_MS)
    first = widget.members_model.row(0).load_id
    widget.select_members([first])
    count = widget.refresh_count
    door.announce([Change.LOADS, Change.AUDIT])  # a truck weighed at another station
    qtbot.waitUntil(lambda: widget.refresh_count == count + 1, timeout=WAIT_MS)
    settle(qtbot, door, ops)
    current = widget.current_lot()
    assert current is not None and current.lot_no == lot
    assert widget.selected_load_ids() == [first]
