"""The certificate, verification, audit, account and signing-hold screens read again by themselves when the
door announces a change they show, made elsewhere: here by the services in a session of their own, as the
command line or another station does, then noticed through the audit trail (``door.look_for_changes``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from inspector.security import clockguard, users
from inspector.security.actor import Actor, Role
from inspector.security.audit import record_event
from inspector.services import certificates as svc
from inspector.storage.models.audit import AuditEvent
from tests.core.certificates.register.conftest import (
    SUPERVISOR,
    RegisterYard,
    build_template,
    copied_yard,
    make_lot,
)
from tests.core.security.conftest import Yard

# The secured demo yard fixtures of the core security tests, imported so pytest finds them here too.
from tests.core.security.conftest import secured_template as secured_template
from tests.core.security.conftest import yard as yard
from ui.ops import Door, Ops
from ui.screens.audit_viewer import AuditViewerWidget, SigningHoldsWidget
from ui.screens.certificates import CertificateRegisterWidget
from ui.screens.users_admin import UserAdminWidget
from ui.screens.verify import VerifyCertificateWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ADMIN = Actor("admin", "管理员 Administrator", frozenset({Role.ADMIN}))
ZHANG = Actor("zhang.min", "张敏 Zhang Min", frozenset({Role.SUPERVISOR}))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("admin-refresh") / "yard")


@pytest.fixture
def ryard(template: Path, tmp_path: Path) -> Iterator[RegisterYard]:
    with copied_yard(template, tmp_path / "ryard") as register_yard:
        yield register_yard


def _door(ops: Ops, store: Any) -> Iterator[Door]:
    door = Door(ops, store, watch_ms=None)
    yield door
    door.stop_watching()


@pytest.fixture
def rdoor(ryard: RegisterYard, ops: Ops) -> Iterator[Door]:
    yield from _door(ops, ryard.store)


@pytest.fixture
def ydoor(yard: Yard, ops: Ops) -> Iterator[Door]:
    yield from _door(ops, yard.store)


def _shown(qtbot: Any, widget: Any) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _elsewhere(qtbot: Any, door: Door, ops: Ops, change: Callable[[], object]) -> None:
    """Make ``change`` outside the door, as the command line does, and let the door notice it."""
    door.look_for_changes()  # the door's mark in the audit trail, before the change
    qtbot.waitUntil(lambda: ops.pending == 0)
    change()
    with qtbot.waitSignal(door.changed):
        door.look_for_changes()


def _issue(ryard: RegisterYard) -> str:
    lot_no = make_lot(ryard)
    with ryard.store.session() as s:
        return svc.issue_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock,
                                     data_dir=ryard.data_dir, lot_no=lot_no, ruleset=ryard.ruleset,
                                     **ryard.secrets()).number


def _void(ryard: RegisterYard, number: str) -> None:
    with ryard.store.session() as s:
        svc.void_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, number=number,
                             reason="sample mixed up")


def test_the_register_shows_certificates_issued_and_voided_elsewhere(qtbot: Any, ryard: RegisterYard,
                                                                     rdoor: Door, ops: Ops) -> None:
    first = _issue(ryard)
    widget = _shown(qtbot, CertificateRegisterWidget(rdoor, ryard.actor(SUPERVISOR), clock=ryard.clock))
    qtbot.waitUntil(lambda: not widget.model.fetching and widget.model.rowCount() == 1)
    widget.view.selectRow(0)
    second = ""

    def issue_second() -> None:
        nonlocal second
        second = _issue(ryard)

    _elsewhere(qtbot, rdoor, ops, issue_second)
    qtbot.waitUntil(lambda: not widget.model.fetching and widget.model.rowCount() == 2)
    assert [widget.model.row_at(r).number for r in range(2)] == [second, first]
    # The certificate selected before the refresh is still the one selected.
    qtbot.waitUntil(lambda: [r.number for r in widget.selected_rows()] == [first])
    _elsewhere(qtbot, rdoor, ops, lambda: _void(ryard, first))
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2 and widget.model.row_at(1).status == "void")
    assert widget.model.index(1, 2).data() == "Void" and widget.refresh_count == 2


def test_the_verdict_is_checked_again_when_the_certificate_is_voided_elsewhere(
    qtbot: Any, ryard: RegisterYard, rdoor: Door, ops: Ops
) -> None:
    number = _issue(ryard)
    widget = _shown(qtbot, VerifyCertificateWidget(rdoor))
    presented = ryard.data_dir.root / "from-a-usb-stick.pdf"
    presented.write_bytes((ryard.data_dir.certificates / f"{number}-r1.pdf").read_bytes())
    with qtbot.waitSignal(widget.checked, timeout=20000):
        widget.verify_file(presented)
    assert widget.verdict_label.text() == "VALID"
    presented.unlink()  # the stick is pulled out: the bytes checked are what is checked again
    with qtbot.waitSignal(widget.checked, timeout=20000):
        _elsewhere(qtbot, rdoor, ops, lambda: _void(ryard, number))
    assert widget.outcome is not None and widget.outcome.register_status == "void"
    assert widget.verdict_label.text().startswith("VOID")


def test_the_audit_trail_shows_an_event_recorded_elsewhere(qtbot: Any, yard: Yard, ydoor: Door,
                                                           ops: Ops) -> None:
    with yard.store.session() as s:
        total = s.exec(select(func.count()).select_from(AuditEvent)).one()
    viewer = _shown(qtbot, AuditViewerWidget(ydoor, clock=yard.clock))
    qtbot.waitUntil(lambda: not viewer.model.fetching and viewer.model.rowCount() == total)
    selected = viewer.model.row_at(2).seq
    viewer.view.setCurrentIndex(viewer.model.index(2, 0))

    def record() -> None:
        with yard.store.session() as s:
            record_event(s, actor=ZHANG, action="supplier.note", entity="supplier", entity_id="1",
                         clock=yard.clock, reason="noted at the weighbridge office")

    _elsewhere(qtbot, ydoor, ops, record)
    qtbot.waitUntil(lambda: not viewer.model.fetching and viewer.model.rowCount() == total + 1)
    assert viewer.model.row_at(0).action == "supplier.note"
    # The event selected before is selected again, one row further down, with its details.
    qtbot.waitUntil(lambda: viewer.view.currentIndex().row() == 3)
    assert viewer.model.row_at(3).seq == selected and f"Event {selected}:" in viewer.detail_label.text()
    qtbot.waitUntil(lambda: viewer.action_combo.findData("supplier.note") >= 0)


def test_the_users_screen_shows_an_account_added_elsewhere(qtbot: Any, yard: Yard, ydoor: Door,
                                                           ops: Ops) -> None:
    widget = _shown(qtbot, UserAdminWidget(ydoor, ADMIN, clock=yard.clock, prompt=lambda *_a: None))
    qtbot.waitUntil(lambda: widget.users_table.rowCount() == 6)
    widget.select_user("li.wei")

    def add() -> None:
        with yard.store.session() as s:
            users.create_user(s, actor=ADMIN, clock=yard.clock, username="sun.li", display_name="Sun Li",
                              roles=[Role.INSPECTOR], password="temporary password")

    _elsewhere(qtbot, ydoor, ops, add)
    qtbot.waitUntil(lambda: widget.users_table.rowCount() == 7)
    assert widget.selected_username() == "li.wei"
    # A failed sign-in elsewhere is an account matter too: it shows among the attempts to review.
    _elsewhere(qtbot, ydoor, ops, lambda: _fail_sign_in(yard))
    qtbot.waitUntil(lambda: widget.failures_table.rowCount() == 1)


def _fail_sign_in(yard: Yard) -> None:
    with yard.store.session() as s:
        users.authenticate(s, username="li.wei", password="wrong password!", clock=yard.clock)


def test_the_signing_holds_follow_holds_recorded_and_acknowledged_elsewhere(qtbot: Any, yard: Yard,
                                                                            ydoor: Door, ops: Ops) -> None:
    widget = _shown(qtbot, SigningHoldsWidget(ydoor, ZHANG, clock=yard.clock, ask_note=lambda: None))
    qtbot.waitUntil(lambda: widget.message_label.text() == "Nothing blocks signing.")

    def hold() -> None:
        with yard.store.session() as s:
            clockguard.hold_for_integrity(s, clock=yard.clock, problems=["Table 'load', row 1: changed"])

    _elsewhere(qtbot, ydoor, ops, hold)
    qtbot.waitUntil(lambda: widget.holds_list.count() == 1)
    assert "The integrity check failed" in widget.holds_list.item(0).text()

    def acknowledge() -> None:
        with yard.store.session() as s:
            [found] = clockguard.open_holds(s)
            clockguard.acknowledge_hold(s, actor=ZHANG, clock=yard.clock, hold_id=found.id or 0,
                                        note="row restored from the backup")

    _elsewhere(qtbot, ydoor, ops, acknowledge)
    qtbot.waitUntil(lambda: widget.holds_list.count() == 0)


def test_role_boxes_an_administrator_is_ticking_survive_a_sign_in_elsewhere(qtbot: Any, ops: Ops, ydoor: Door,
                                                                            yard: Yard) -> None:
    from inspector.changes import Change

    widget = _shown(qtbot, UserAdminWidget(ydoor, ADMIN, clock=yard.clock, prompt=lambda *_a: None))
    qtbot.waitUntil(lambda: widget.users_table.rowCount() == 6)
    widget.select_user("li.wei")
    box = widget.role_boxes[Role.SUPERVISOR]
    assert not box.isChecked()
    box.setChecked(True)  # ticked, not yet applied
    count = widget.refresh_count
    ydoor.announce([Change.USERS, Change.AUDIT])  # someone signed in at the weighbridge
    qtbot.waitUntil(lambda: widget.refresh_count == count + 1 and ops.pending == 0)
    assert box.isChecked(), "the administrator's unsaved tick was undone by the refresh"
    widget.select_user("zhao.hui")  # another user: the boxes show that user's stored roles
    boxes = widget.role_boxes
    assert boxes[Role.SUPERVISOR].isChecked() and not boxes[Role.INSPECTOR].isChecked()
