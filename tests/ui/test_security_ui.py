"""The login dialog (with the forced password change), the lock screen and idle watcher, user
administration and the audit viewer, each built from its dependencies on a secured demo yard."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from inspector.security import users
from inspector.security.actor import Actor, Role
from inspector.storage.models.audit import AuditEvent
from tests.core.security.conftest import Yard, add_load

# The secured demo yard fixtures of the core security tests, imported so pytest finds them here too.
from tests.core.security.conftest import secured_template as secured_template
from tests.core.security.conftest import yard as yard
from ui.ops import Door, Ops
from ui.screens.audit_viewer import AuditViewerWidget, Column, SigningHoldsWidget
from ui.screens.login import ChangePasswordWidget, IdleWatcher, LockScreenWidget, LoginDialog
from ui.screens.users_admin import UserAdminWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ADMIN = Actor("admin", "管理员 Administrator", frozenset({Role.ADMIN}))
ZHANG = Actor("zhang.min", "张敏 Zhang Min", frozenset({Role.SUPERVISOR}))
LI = Actor("li.wei", "李伟 Li Wei", frozenset({Role.INSPECTOR}))


@pytest.fixture
def ydoor(yard: Yard, ops: Ops) -> Iterator[Door]:
    """The screens' door over the secured yard (it does not poll the audit trail)."""
    door = Door(ops, yard.store, watch_ms=None)
    yield door
    door.stop_watching()


def _shown(qtbot: Any, widget: Any) -> Any:
    """The widget on screen: a screen reads again on the door's announcements only while it is shown."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _sign_in(qtbot: Any, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled())


def test_the_login_dialog_signs_in_and_words_a_failure(qtbot: Any, yard: Yard, ops: Any) -> None:
    dialog = LoginDialog(yard.store, ops, clock=yard.clock)
    qtbot.addWidget(dialog)
    dialog.show()
    _sign_in(qtbot, dialog, "zhang.min", "not-the-password")
    assert dialog.message_label.text() == \
        "Wrong user id or password. 4 attempt(s) left before the account is locked."
    assert dialog.actor is None
    with qtbot.waitSignal(dialog.signed_in) as signal:
        _sign_in(qtbot, dialog, "zhang.min", "demo-zhang.min-2026")
    assert signal.args[0].user_id == "zhang.min" and dialog.actor is not None
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_after_a_reset_the_login_dialog_asks_for_a_new_password(qtbot: Any, yard: Yard, ops: Any) -> None:
    with yard.store.session() as s:
        users.reset_password(
            s,
            actor=ADMIN,
            clock=yard.clock,
            username="li.wei",
            new_password="temporary-pass-1",
            reason="forgotten",
        )
    dialog = LoginDialog(yard.store, ops, clock=yard.clock)
    qtbot.addWidget(dialog)
    dialog.show()
    _sign_in(qtbot, dialog, "li.wei", "temporary-pass-1")
    assert dialog.pages.currentIndex() == 1 and dialog.actor is None
    dialog.new_password_edit.setText("my very own pass")
    dialog.repeat_password_edit.setText("my very own typo")
    dialog.change_button.click()
    assert "differ" in dialog.message_label.text()
    dialog.repeat_password_edit.setText("my very own pass")
    with qtbot.waitSignal(dialog.signed_in):
        dialog.change_button.click()
    with yard.store.session() as s:
        assert users.authenticate(s, username="li.wei", password="my very own pass", clock=yard.clock).ok


def test_the_lock_screen_unlocks_only_with_the_same_users_password(qtbot: Any, yard: Yard,
                                                                   ydoor: Door) -> None:
    lock = LockScreenWidget(ydoor, LI, clock=yard.clock)
    qtbot.addWidget(lock)
    assert "李伟 Li Wei" in lock.title_label.text()
    lock.password_edit.setText("demo-zhang.min-2026")
    lock.unlock_button.click()
    qtbot.waitUntil(lambda: lock.unlock_button.isEnabled())
    assert lock.message_label.text() == "Wrong password."
    lock.password_edit.setText("demo-li.wei-2026")
    with qtbot.waitSignal(lock.unlocked) as signal:
        lock.unlock_button.click()
    assert signal.args[0].user_id == "li.wei"
    with qtbot.waitSignal(lock.switch_user_requested):
        lock.switch_button.click()


def test_the_idle_watcher_fires_after_the_idle_time(qtbot: Any) -> None:
    watcher = IdleWatcher(timeout_ms=20)
    with qtbot.waitSignal(watcher.idle, timeout=2000):
        watcher.start()
    watcher.set_timeout_minutes(10)
    watcher.stop()


def test_an_administrator_adds_a_user_and_changes_roles(qtbot: Any, yard: Yard, ydoor: Door) -> None:
    answers = ["promoted to shift supervisor"]
    widget = _shown(qtbot, UserAdminWidget(ydoor, ADMIN, clock=yard.clock, prompt=lambda *_a: answers.pop(0)))
    qtbot.waitUntil(lambda: widget.users_table.rowCount() == 6)
    assert widget.add_group.isEnabled() and widget.failures_group.isVisibleTo(widget)
    widget.new_username_edit.setText("sun.li")
    widget.new_name_edit.setText("Sun Li")
    widget.new_role_boxes[Role.INSPECTOR].setChecked(True)
    widget.new_password_edit.setText("temporary password")
    with qtbot.waitSignal(widget.changed):
        widget.add_button.click()
    qtbot.waitUntil(lambda: widget.users_table.rowCount() == 7)
    assert "sun.li" in widget.message_label.text()
    widget.select_user("sun.li")
    assert widget.edit_group.isEnabled()
    widget.role_boxes[Role.SUPERVISOR].setChecked(True)
    with qtbot.waitSignal(widget.changed):
        widget.apply_roles_button.click()
    with yard.store.session() as s:
        assert users.lock_status(s, username="sun.li").roles == ("inspector", "supervisor")
    # The service refuses what the form allows: a duplicate user id is worded, not a crash.
    widget.new_username_edit.setText("sun.li")
    widget.new_password_edit.setText("temporary password")
    widget.add_button.click()
    qtbot.waitUntil(lambda: "taken" in widget.message_label.text())


def test_failed_attempts_are_listed_for_a_supervisor_to_review(qtbot: Any, yard: Yard, ydoor: Door) -> None:
    with yard.store.session() as s:
        users.authenticate(s, username="li.wei", password="wrong password!", clock=yard.clock)
    widget = _shown(qtbot, UserAdminWidget(ydoor, ZHANG, clock=yard.clock, prompt=lambda *_a: None))
    qtbot.waitUntil(lambda: widget.failures_table.rowCount() == 1)
    assert not widget.add_group.isEnabled()
    assert widget.failures_table.item(0, 1).text() == "li.wei"
    with qtbot.waitSignal(widget.changed):
        widget.review_button.click()
    qtbot.waitUntil(lambda: widget.failures_table.rowCount() == 0)
    inspector_view = UserAdminWidget(ydoor, LI, clock=yard.clock, prompt=lambda *_a: None)
    qtbot.addWidget(inspector_view)
    assert not inspector_view.failures_group.isVisibleTo(inspector_view)


def test_the_audit_viewer_filters_compares_exports_and_verifies(
    qtbot: Any,
    yard: Yard,
    ydoor: Door,
    tmp_path: Path,
) -> None:
    from inspector.security.audit import record_change, row_content
    from inspector.storage.models.core import Load

    load_id = add_load(yard, LI)
    with yard.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        before = row_content(load)
        load.gross, load.net = 32_600, 32_600 - 12_020
        record_change(s, load, actor=LI, action="load.edit", clock=yard.clock, old=before, reason="re-read")
        total = s.exec(select(func.count()).select_from(AuditEvent)).one()
    out = tmp_path / "audit.csv"
    viewer = AuditViewerWidget(ydoor, ask_save_path=lambda: out, clock=yard.clock)
    _shown(qtbot, viewer)
    viewer.resize(1100, 700)

    def settled(rows: int) -> None:
        qtbot.waitUntil(lambda: not viewer.model.fetching and viewer.model.rowCount() == rows)

    settled(total)
    assert total > 10 and viewer.count_label.text() == f"{total} event(s)"
    qtbot.waitUntil(lambda: viewer.user_combo.findData("li.wei") >= 0)
    viewer.user_combo.setCurrentIndex(viewer.user_combo.findData("li.wei"))
    settled(3)
    assert viewer.model.index(0, Column.ACTION).data() == "load.edit"
    viewer.view.setCurrentIndex(viewer.model.index(0, 0))
    assert viewer.changed_fields() == ["gross", "net"]
    assert "re-read" in viewer.detail_label.text()
    viewer.entity_combo.setCurrentIndex(viewer.entity_combo.findData("supplier"))
    settled(1)
    viewer.dates_box.setChecked(True)  # today (the real date) holds no event of this 2026-03 yard
    settled(0)
    with qtbot.waitSignal(viewer.exported):
        viewer.export_button.click()
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[-1][0] == "chain_head_seq" and "Chain head" in viewer.status_label.text()
    with qtbot.waitSignal(viewer.verified) as signal:
        viewer.verify_button.click()
    assert signal.args[0] == []
    con = sqlite3.connect(yard.db_path)
    con.execute("UPDATE load SET net=1 WHERE id=?", (load_id,))
    con.commit()
    con.close()
    with qtbot.waitSignal(viewer.verified) as signal:
        viewer.verify_button.click()
    assert len(signal.args[0]) == 1
    assert f"Table 'load', row {load_id}" in viewer.status_label.text()


def test_the_audit_viewer_reads_a_page_at_a_time_newest_first(qtbot: Any, qtmodeltester: Any, yard: Yard,
                                                              ydoor: Door) -> None:
    from ui.screens.audit_viewer import AuditEventModel

    with yard.store.session() as s:
        newest = s.exec(select(func.max(AuditEvent.seq))).one()
    model = AuditEventModel(ydoor, page_size=4)
    model.fetch_first_page()
    qtbot.waitUntil(lambda: model.pages_fetched == 1 and not model.fetching)
    assert [row.seq for row in model.rows] == [newest, newest - 1, newest - 2, newest - 3] and model.has_more
    qtmodeltester.check(model)
    model.fetchMore(model.index(-1, -1))
    qtbot.waitUntil(lambda: model.pages_fetched == 2 and not model.fetching)
    assert [row.seq for row in model.rows[4:]] == [newest - 4, newest - 5, newest - 6, newest - 7]
    qtmodeltester.check(model)


def test_a_user_changes_their_own_password(qtbot: Any, yard: Yard, ydoor: Door) -> None:
    widget = ChangePasswordWidget(ydoor, LI, clock=yard.clock)
    qtbot.addWidget(widget)
    widget.current_edit.setText("not my password")
    widget.new_edit.setText("a brand new password")
    widget.repeat_edit.setText("a brand new password")
    widget.change_button.click()
    qtbot.waitUntil(lambda: widget.change_button.isEnabled())
    assert "current password is wrong" in widget.message_label.text()
    widget.current_edit.setText("demo-li.wei-2026")
    widget.new_edit.setText("a brand new password")
    widget.repeat_edit.setText("a brand new password")
    with qtbot.waitSignal(widget.password_changed):
        widget.change_button.click()
    with yard.store.session() as s:
        assert users.authenticate(s, username="li.wei", password="a brand new password", clock=yard.clock).ok


def test_a_supervisor_acknowledges_a_backwards_clock(qtbot: Any, yard: Yard, ydoor: Door) -> None:
    from inspector.security import clockguard

    yard.clock.advance(days=-1)
    notes = ["clock corrected after the power cut"]
    widget = _shown(qtbot, SigningHoldsWidget(ydoor, ZHANG, clock=yard.clock, ask_note=lambda: notes.pop()))
    qtbot.waitUntil(lambda: widget.holds_list.count() == 1)
    assert "earlier than the last audit event" in widget.holds_list.item(0).text()
    # Still behind the trail: the service refuses, and the widget says why.
    widget.acknowledge_button.click()
    qtbot.waitUntil(lambda: "still earlier" in widget.message_label.text())
    yard.clock.advance(days=2)
    notes.append("clock corrected after the power cut")
    with qtbot.waitSignal(widget.acknowledged):
        widget.acknowledge_button.click()
    qtbot.waitUntil(lambda: widget.holds_list.count() == 0)
    with yard.store.session() as s:
        clockguard.require_signing_allowed(s, clock=yard.clock)
    inspector_view = SigningHoldsWidget(ydoor, LI, clock=yard.clock, ask_note=lambda: None)
    qtbot.addWidget(inspector_view)
    assert not inspector_view.acknowledge_button.isVisibleTo(inspector_view)


def test_a_manual_weight_is_confirmed_only_by_a_supervisor_in_person(qtbot: Any, yard: Yard,
                                                                      ydoor: Door) -> None:
    from ui.screens.login import SecondPersonDialog

    dialog = SecondPersonDialog(ydoor, reason="A weight entered by hand.", clock=yard.clock)
    qtbot.addWidget(dialog)
    dialog.show()

    def confirm() -> None:
        dialog.confirm_button.click()
        assert dialog.password_edit.text() == ""
        qtbot.waitUntil(dialog.confirm_button.isEnabled)

    dialog.username_edit.setText("li.wei")
    dialog.password_edit.setText("demo-li.wei-2026")
    confirm()
    assert "is not a supervisor" in dialog.message_label.text() and dialog.confirmer is None
    dialog.username_edit.setText("zhang.min")
    dialog.password_edit.setText("wrong")
    confirm()
    assert dialog.message_label.text().startswith("Wrong user id or password.") and dialog.confirmer is None
    dialog.password_edit.setText("demo-zhang.min-2026")
    with qtbot.waitSignal(dialog.accepted):
        dialog.confirm_button.click()
    assert dialog.confirmer is not None and dialog.confirmer.user_id == "zhang.min"
    assert dialog.result() == SecondPersonDialog.DialogCode.Accepted
    with yard.store.session() as s:
        failures = users.list_failed_attempts(s, actor=ZHANG)
    assert any(f.username == "zhang.min" and f.purpose == "second_person" for f in failures)


def test_the_window_locks_when_idle_and_the_password_unlocks_it(qtbot: Any, yard: Yard, ops: Any) -> None:
    from ui.app import build_main_window, install_idle_lock

    with yard.store.session() as s:
        users.set_idle_lock_minutes(s, actor=ADMIN, clock=yard.clock, minutes=1)
    window = build_main_window(yard.store, ZHANG, None, ops)
    qtbot.addWidget(window)
    install_idle_lock(window.door, ZHANG, window)
    watcher = window.findChild(IdleWatcher)
    assert watcher is not None
    qtbot.waitUntil(lambda: watcher.timeout_ms == 60_000)  # the yard's idle time, read on the worker
    watcher.idle.emit()  # what the timer does after a minute without input
    assert window.is_locked() and not window.menuBar().isEnabled()
    lock = window.findChild(LockScreenWidget)
    assert lock is not None
    lock.password_edit.setText("demo-zhang.min-2026")
    lock.unlock_button.click()
    qtbot.waitUntil(lambda: not window.is_locked())
    assert window.menuBar().isEnabled()
    watcher.idle.emit()
    lock.switch_button.click()
    assert window.switch_user_requested


def test_a_supervisor_reviews_failed_sign_ins_but_does_not_edit_accounts(qtbot: Any, yard: Yard,
                                                                         ops: Any) -> None:
    from ui.app import build_main_window

    with yard.store.session() as s:
        users.authenticate(s, username="li.wei", password="wrong", clock=yard.clock)
    window = build_main_window(yard.store, ZHANG, None, ops)
    qtbot.addWidget(window)
    assert "users" in window.screen_keys()
    admin = window.screen_widget("users")
    assert isinstance(admin, UserAdminWidget)
    qtbot.waitUntil(lambda: admin.failures_table.rowCount() == 1)
    assert admin.failures_group.isVisibleTo(admin) and not admin.add_group.isEnabled()
    assert admin.failures_table.item(0, 1).text() == "li.wei"


def test_the_sign_in_shows_while_the_store_is_still_opening(qtbot: Any, yard: Yard, ops: Any) -> None:
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import StoreOpening, sign_in

    gate = threading.Event()
    ops.run(lambda: gate.wait(10), lambda _result: None)  # the worker is busy: the opening waits behind it
    opening = StoreOpening(yard.store.data_dir)
    opening.start(ops)
    seen: list[tuple[bool, bool]] = []

    def type_and_sign_in() -> None:
        try:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, LoginDialog)
            seen.append((dialog.isVisible(), opening.settled))
            dialog.username_edit.setText("zhang.min")
            dialog.password_edit.setText("demo-zhang.min-2026")
            dialog.sign_in_button.click()  # runs on the worker after the opening
        finally:
            gate.set()

    def give_up() -> None:  # a failed step above must not leave the dialog waiting forever
        if isinstance(dialog := QApplication.activeModalWidget(), LoginDialog):
            dialog.reject()

    QTimer.singleShot(0, type_and_sign_in)
    QTimer.singleShot(15000, give_up)
    actor = sign_in(opening, ops)
    assert seen == [(True, False)]
    assert actor is not None and actor.user_id == "zhang.min"
    assert opening.store is not None and opening.has_users
    opening.store.close()


def test_a_yard_nobody_can_sign_in_to_closes_the_sign_in_with_the_reason(
    qtbot: Any, ops: Any, tmp_path: Path
) -> None:
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from inspector.datadir import DataDir
    from inspector.errors import EnvironmentProblemError
    from ui.app import StoreOpening, sign_in

    gate = threading.Event()
    ops.run(lambda: gate.wait(10), lambda _result: None)
    opening = StoreOpening(DataDir(tmp_path / "new").ensure())
    opening.start(ops)
    shown: list[bool] = []
    QTimer.singleShot(0, lambda: (shown.append(QApplication.activeModalWidget() is not None), gate.set()))
    with pytest.raises(EnvironmentProblemError, match="no users yet"):
        sign_in(opening, ops)
    assert shown == [True] and QApplication.activeModalWidget() is None
    assert opening.store is not None
    opening.store.close()
