"""The door: operations of the session on the worker, and what changed announced to every screen."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtWidgets import QWidget

from inspector.changes import Change
from inspector.clock import FixedClock
from inspector.errors import UserError
from inspector.security.actor import SYSTEM
from inspector.security.audit import record_event
from inspector.storage.db import Store
from ui.ops import Door, Ops
from ui.screens.base import ScreenWidget


def _event(entity: str, clock: FixedClock) -> Any:
    return lambda s: record_event(s, actor=SYSTEM, action=f"{entity}.test", entity=entity, entity_id="1",
                                  clock=clock)


def test_a_write_hands_back_its_result_then_announces_what_changed(door: Door, qtbot: Any,
                                                                   clock: FixedClock) -> None:
    heard: list[object] = []
    door.changed.connect(lambda kinds: heard.append(kinds))
    with qtbot.waitSignal(door.changed):
        door.write(lambda s: (_event("lot", clock)(s), 42)[1], heard.append, changes=[Change.LOTS])
    assert heard == [42, {Change.LOTS, Change.AUDIT}]


def test_a_failed_write_announces_nothing_and_stores_nothing(door: Door, ops: Ops, qtbot: Any,
                                                             clock: FixedClock, store: Store) -> None:
    heard: list[object] = []
    errors: list[Exception] = []
    door.changed.connect(heard.append)

    def fails(session: Any) -> None:
        _event("lot", clock)(session)
        raise UserError("no", field="lot")

    door.write(fails, heard.append, errors.append, changes=[Change.LOTS])
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert heard == [] and len(errors) == 1
    from inspector.queries.changes import audit_mark

    with store.session() as s:
        assert audit_mark(s) == 0


def test_work_done_by_another_program_is_announced_by_its_kinds(door: Door, ops: Ops, qtbot: Any,
                                                                 store: Store, clock: FixedClock) -> None:
    door.look_for_changes()  # takes the mark
    qtbot.waitUntil(lambda: ops.pending == 0)
    # As the command line would: its own session, not through the door.
    with store.session() as s:
        _event("certificate", clock)(s)
    with qtbot.waitSignal(door.changed) as blocker:
        door.look_for_changes()
    assert blocker.args[0] == {Change.CERTIFICATES, Change.LOTS, Change.AUDIT}
    # Announced once: nothing new since.
    heard: list[object] = []
    door.changed.connect(heard.append)
    door.look_for_changes()
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert heard == []


class _CountingScreen(ScreenWidget):
    shows = frozenset({Change.LOADS})

    def title(self) -> str:
        return "test"


def test_a_screen_refreshes_on_its_kinds_at_once_when_shown_and_later_when_hidden(door: Door,
                                                                                   qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    screen = _CountingScreen(door, parent)
    parent.show()
    qtbot.waitExposed(parent)
    door.announce([Change.USERS, Change.AUDIT])
    assert screen.refresh_count == 0  # not its kind
    door.announce([Change.LOADS])
    assert screen.refresh_count == 1
    screen.hide()
    door.announce([Change.LOADS])
    door.announce([Change.LOADS])
    assert screen.refresh_count == 1 and screen.stale
    screen.show()
    assert screen.refresh_count == 2 and not screen.stale  # one refresh for both changes


def test_a_window_closed_while_its_write_runs_gets_nothing_and_nothing_breaks(store: Store, ops: Ops,
                                                                               qtbot: Any,
                                                                               clock: FixedClock) -> None:
    import threading

    parent = QWidget()
    door = Door(ops, store, watch_ms=None, parent=parent)
    heard: list[object] = []
    release = threading.Event()

    def slow(session: Any) -> int:
        release.wait(5)
        _event("lot", clock)(session)
        return 1

    door.write(slow, heard.append, changes=[Change.LOTS])
    parent.deleteLater()  # "sign in as someone else": the window and its door go while the write runs
    qtbot.waitUntil(lambda: not shiboken6.isValid(door))
    release.set()
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert heard == []  # and the ops fixture saw no bug
    from inspector.queries.changes import audit_mark

    with store.session() as s:
        assert audit_mark(s) == 1  # the write itself stands


def test_a_look_that_fails_is_logged_not_shown_and_the_door_looks_less_often(door: Door, ops: Ops,
                                                                              qtbot: Any, store: Store,
                                                                              monkeypatch: Any) -> None:
    from inspector.errors import EnvironmentProblemError
    from ui import ops as ops_module

    door.look_for_changes()  # takes the mark
    qtbot.waitUntil(lambda: ops.pending == 0)
    door._watch.start(ops_module.WATCH_INTERVAL_MS)

    def unreadable(_self: Door) -> frozenset[Change]:
        raise EnvironmentProblemError("storage.disk_full", path="yard.db", detail="I/O error")

    monkeypatch.setattr(Door, "_changes_since_mark", unreadable)
    door.look_for_changes()
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert ops.shown_errors == []  # type: ignore[attr-defined]
    assert door._watch.interval() == ops_module.SLOW_WATCH_INTERVAL_MS
    monkeypatch.undo()
    with qtbot.waitSignal(ops.busy_changed):
        door.look_for_changes()
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert door._watch.interval() == ops_module.WATCH_INTERVAL_MS
