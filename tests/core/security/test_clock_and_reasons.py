"""P20: the clock going backwards is recorded and blocks signing until a supervisor acknowledges it.
P23: every edit needs a reason and keeps the old value visible in the audit trail."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.security import clockguard, users
from inspector.security.actor import Actor, Role
from inspector.security.audit import CLOCK_BACKWARDS_ACTION, record_change, row_content
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.core import Load
from tests.core.security.conftest import Yard, add_load

ADMIN = Actor("admin", "Administrator", frozenset({Role.ADMIN}))
ZHANG = Actor("zhang.min", "Zhang Min", frozenset({Role.SUPERVISOR}))
LI = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))


def _actions(yard: Yard) -> list[str]:
    with yard.store.session() as s:
        return [e.action for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()]


def test_p20_a_clock_earlier_than_the_last_event_is_recorded_and_blocks_signing(yard: Yard) -> None:
    with yard.store.session() as s:
        clockguard.require_signing_allowed(s, clock=yard.clock)
    yard.clock.advance(days=-2)  # someone turned the PC's clock back to back-date a load
    with yard.store.session() as s:
        hold = clockguard.check_clock(s, clock=yard.clock)
    assert hold is not None and hold.kind == "clock_backwards"
    assert _actions(yard)[-1] == CLOCK_BACKWARDS_ACTION
    with yard.store.session() as s:
        assert clockguard.check_clock(s, clock=yard.clock) is None  # recorded once
        with pytest.raises(ConflictError) as blocked:
            clockguard.require_signing_allowed(s, clock=yard.clock)
        # The hold is the last event now: what blocks signing is the hold, in the yard's time (UTC+8).
        assert blocked.value.code == "signing.on_hold"
        assert blocked.value.words("zh_CN") == (
            "在主管复核以下事项之前，暂停签名：系统时钟显示为 2026年02月28日 16:35，早于最近一条审计事件"
            f"（2026年03月02日 16:30，事件 {(hold.audit_seq or 0) - 1}）。主管可在“管理 → 审计日志”中确认。")
        with pytest.raises(PermissionDeniedError) as denied:
            clockguard.acknowledge_hold(s, actor=ADMIN, clock=yard.clock, hold_id=hold.id or 0, note="ok")
        assert denied.value.code == "role.denied"
        with pytest.raises(UserError) as err:
            clockguard.acknowledge_hold(s, actor=ZHANG, clock=yard.clock, hold_id=hold.id or 0, note=" ")
        assert (err.value.code, err.value.field) == ("hold.note_required", "note")
        with pytest.raises(ConflictError) as behind:
            clockguard.acknowledge_hold(s, actor=ZHANG, clock=yard.clock, hold_id=hold.id or 0, note="fine")
        assert behind.value.code == "hold.clock_still_behind"
        assert {k: str(v) for k, v in behind.value.params.items()} == {"reached": "2026-03-02 16:30"}
    yard.clock.advance(days=2, minutes=1)  # the PC's clock is set right again
    with yard.store.session() as s:
        clockguard.acknowledge_hold(
            s,
            actor=ZHANG,
            clock=yard.clock,
            hold_id=hold.id or 0,
            note="clock corrected; no loads entered in the gap",
        )
    with yard.store.session() as s:
        clockguard.require_signing_allowed(s, clock=yard.clock)
        assert clockguard.open_holds(s) == []
    assert _actions(yard)[-1] == "signing_hold.acknowledge"
    with yard.store.session() as s, pytest.raises(ConflictError) as again:
        clockguard.acknowledge_hold(s, actor=ZHANG, clock=yard.clock, hold_id=hold.id or 0, note="twice")
    assert again.value.code == "hold.already_acknowledged" and again.value.params["user"] == "zhang.min"


def test_p20_a_write_with_a_backwards_clock_records_it_first(yard: Yard) -> None:
    yard.clock.advance(hours=-3)
    add_load(yard, LI)
    actions = _actions(yard)
    assert actions[-3:] == [CLOCK_BACKWARDS_ACTION, "supplier.create", "load.create"]
    with yard.store.session() as s:
        (hold,) = clockguard.open_holds(s)
        about = clockguard.describe(hold)
        assert about.code == "hold.clock_backwards"
        assert about.words("en").startswith("The system clock read 2026-03-02 13:35, earlier than the last "
                                            "audit event (2026-03-02 16:30, event ")
        assert about.words("zh_CN").startswith("系统时钟显示为 2026年03月02日 13:35，早于最近一条审计事件（")
        with pytest.raises(ConflictError) as err:
            clockguard.require_signing_allowed(s, clock=yard.clock)
        assert err.value.code == "signing.on_hold"
        yard.clock.advance(hours=-1)  # back again, before the hold was even recorded
        with pytest.raises(ConflictError) as err:
            clockguard.require_signing_allowed(s, clock=yard.clock)
        assert err.value.code == "signing.clock_behind"
        assert {k: str(v) for k, v in err.value.params.items()} == {"clock": "2026-03-02 12:35",
                                                               "last": "2026-03-02 13:35"}
        assert err.value.words("zh_CN").startswith(
            "已暂停签名：系统时钟（2026年03月02日 12:35）早于最近一条审计事件（2026年03月02日 13:35）。")


def test_a_failed_integrity_check_holds_signing_until_reviewed(yard: Yard) -> None:
    problems = ["Table 'load', row 3: its content was changed outside the application."]
    with yard.store.session() as s:
        hold = clockguard.hold_for_integrity(s, clock=yard.clock, problems=problems)
        assert clockguard.hold_for_integrity(s, clock=yard.clock, problems=problems) is hold
        assert clockguard.hold_for_integrity(s, clock=yard.clock, problems=[]) is None
    with yard.store.session() as s, pytest.raises(ConflictError) as err:
        clockguard.require_signing_allowed(s, clock=yard.clock)
    assert err.value.code == "signing.on_hold"
    # The hold stores the findings' English words; without the findings at hand they are quoted as stored.
    assert err.value.words("zh_CN").startswith(
        "在主管复核以下事项之前，暂停签名：完整性校验未通过（1 个问题）：Table 'load', row 3: its content")
    with yard.store.session() as s:
        clockguard.acknowledge_hold(
            s,
            actor=ZHANG,
            clock=yard.clock,
            hold_id=hold.id or 0,
            note="reviewed with the yard manager; restored from backup",
        )
    with yard.store.session() as s:
        clockguard.require_signing_allowed(s, clock=yard.clock)


def test_p23_edits_need_a_reason_and_keep_the_old_value_visible(yard: Yard) -> None:
    with yard.store.session() as s:
        for call in (
            lambda: users.revoke_role(
                s, actor=ADMIN, clock=yard.clock, username="zhang.min", role="supervisor", reason=""
            ),
            lambda: users.grant_role(
                s, actor=ADMIN, clock=yard.clock, username="li.wei", role="clerk", reason="  "
            ),
            lambda: users.unlock_user(s, actor=ADMIN, clock=yard.clock, username="li.wei", reason=""),
            lambda: users.set_user_active(
                s, actor=ADMIN, clock=yard.clock, username="li.wei", active=False, reason=""
            ),
        ):
            with pytest.raises(UserError) as err:
                call()
            assert err.value.field == "reason"
    load_id = add_load(yard, LI, gross=32_480)
    with yard.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        before = row_content(load)
        load.gross, load.net = 32_500, 32_500 - 12_020
        record_change(
            s,
            load,
            actor=LI,
            action="load.edit",
            clock=yard.clock,
            old=before,
            reason="indicator re-read after the truck settled",
        )
    with yard.store.session() as s:
        events = s.exec(
            select(AuditEvent).where(col(AuditEvent.entity) == "load").order_by(col(AuditEvent.seq))
        ).all()
    created, edited = events
    assert created.old is None and created.new["gross"] == 32_480
    assert edited.old["gross"] == 32_480 and edited.new["gross"] == 32_500
    assert edited.reason == "indicator re-read after the truck settled"


def test_the_startup_check_names_the_problem_and_holds_signing(yard: Yard) -> None:
    import sqlite3

    from inspector.security.startup import startup_check

    report = startup_check(yard.store, data_dir=yard.data_dir, clock=yard.clock)
    assert report.problems == [] and not report.signing_blocked
    load_id = add_load(yard, LI)
    con = sqlite3.connect(yard.db_path)
    con.execute("UPDATE load SET gross=1 WHERE id=?", (load_id,))
    con.commit()
    con.close()
    report = startup_check(yard.store, data_dir=yard.data_dir, clock=yard.clock)
    assert [p.row_id for p in report.problems] == [str(load_id)]
    assert report.signing_blocked and f"row {load_id}" in report.holds[0].message
    # At the start the findings are at hand: the hold quotes the first in the reader's language.
    found = f"表 load 中编号为 {load_id} 的行：内容在本程序之外被修改"
    assert report.problems[0].words("zh_CN").startswith(found)
    assert report.holds[0].words("zh_CN").startswith(f"完整性校验未通过（1 个问题）：{found}")
    # Starting again with the same findings does not pile up holds.
    again = startup_check(yard.store, data_dir=yard.data_dir, clock=yard.clock)
    assert len(again.holds) == 1
    with yard.store.session() as s, pytest.raises(ConflictError):
        clockguard.require_signing_allowed(s, clock=yard.clock)


def test_the_signing_holds_screen_words_each_hold_in_the_readers_language(yard: Yard) -> None:
    from inspector.queries.users import signing_holds

    yard.clock.advance(hours=-2)
    with yard.store.session() as s:
        clockguard.check_clock(s, clock=yard.clock)
    with yard.store.session() as s:
        found = signing_holds(s, clock=yard.clock)
    (row,) = found.holds
    assert row.about.code == "hold.clock_backwards"
    assert row.text == row.words("en") == (
        "The system clock read 2026-03-02 14:35, earlier than the last audit event (2026-03-02 16:30, "
        f"event {row.about.params['seq']}).")
    assert row.words("zh_CN") == ("系统时钟显示为 2026年03月02日 14:35，"
                                  "早于最近一条审计事件（2026年03月02日 16:30，"
                                  f"事件 {row.about.params['seq']}）。")
