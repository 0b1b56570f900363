"""Users: Argon2id storage (P16), lockout with every attempt audited (P15), resets, roles in the services."""

from __future__ import annotations

import sqlite3

import argon2
import pytest
from sqlmodel import col, select

from inspector.errors import ConflictError, PermissionDeniedError, RecordedRefusalError, UserError
from inspector.messages import Term
from inspector.security import passwords, users
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.security import LoginAttempt, UserAccount
from tests.core.security.conftest import Yard

ADMIN = Actor("admin", "Administrator", frozenset({Role.ADMIN}))
SUPERVISOR = Actor("zhang.min", "Zhang Min", frozenset({Role.SUPERVISOR}))
INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))


def _events(yard: Yard, prefix: str) -> list[AuditEvent]:
    with yard.store.session() as s:
        return list(
            s.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action).startswith(prefix))
                .order_by(col(AuditEvent.seq))
            ).all()
        )


def test_p16_passwords_are_stored_only_as_argon2id_phc_strings(yard: Yard) -> None:
    con = sqlite3.connect(yard.db_path)
    hashes = [row[0] for row in con.execute("SELECT password_hash FROM user_credential")]
    con.close()
    assert len(hashes) == 6
    for phc in hashes:
        params = argon2.extract_parameters(phc)
        assert params.type is argon2.Type.ID
        assert params.memory_cost >= 19456
        assert params.time_cost >= 2
        assert params.parallelism == 1
    # No demo password appears anywhere in the database file.
    raw = yard.db_path.read_bytes()
    for password in ("demo-admin-2026", "demo-li.wei-2026", "demo-zhang.min-2026"):
        assert password.encode() not in raw


def test_password_policy_refuses_short_passwords_and_the_user_id() -> None:
    with pytest.raises(UserError) as err:
        passwords.check_password_policy("short")
    assert err.value.field == "password" and err.value.code == "password.too_short"
    assert err.value.params == {"minimum": passwords.MIN_PASSWORD_LENGTH}
    assert err.value.words("zh_CN") == ("密码太短：至少需要 10 个字符。"
                                        "几个互不相关的词组合起来，就是一个既长又好记的密码。")
    with pytest.raises(UserError) as err:
        passwords.check_password_policy("chen.jing.x", username="chen.jing.x")
    assert err.value.code == "password.is_user_id"
    with pytest.raises(UserError) as err:
        passwords.check_password_policy("x" * 201, field="new_password")
    assert (err.value.code, err.value.field) == ("password.too_long", "new_password")
    assert not passwords.verify_password("not-a-hash", "whatever-password")


def test_p15_five_failures_lock_for_fifteen_minutes_and_every_attempt_is_audited(yard: Yard) -> None:
    before = len(_events(yard, "login."))
    for i in range(5):
        with yard.store.session() as s:
            result = users.authenticate(
                s, username="li.wei", password=f"wrong-password-{i}", clock=yard.clock
            )
        assert not result.ok and result.outcome == "wrong_password"
        if i < 4:
            assert result.code == "login.attempts_left" and result.params == {"left": 4 - i}
        yard.clock.advance(seconds=20)
    assert result.locked_until is not None
    assert result.code == "login.now_locked"
    assert result.message == ("Wrong user id or password. The account is now locked for 15 minutes. "
                              "Wait, or ask an administrator to unlock it.")
    assert result.words("zh_CN") == "用户名或密码错误。账户现已锁定 15 分钟。请等待，或请管理员解锁。"
    # Locked: even the right password is refused, and that attempt is audited too.
    with yard.store.session() as s:
        refused = users.authenticate(s, username="li.wei", password="demo-li.wei-2026", clock=yard.clock)
    assert not refused.ok and refused.outcome == "locked"
    # Until when, in the yard's time (UTC+8): 15 minutes after the fifth failure at 08:36:20 UTC.
    assert refused.code == "login.locked" and str(refused.params["until"]) == "2026-03-02 16:51"
    assert refused.words("zh_CN") == ("此账户因连续 5 次尝试失败已锁定至 2026年03月02日 16:51。"
                                      "请等待，或请管理员解锁。")
    error = refused.refusal()
    assert isinstance(error, RecordedRefusalError) and error.field == "password"
    assert error.code == "login.locked" and error.words("en") == refused.words("en")
    with yard.store.session() as s:
        assert users.lock_status(s, username="li.wei").is_locked(yard.clock.now().utc)
    yard.clock.advance(minutes=14)
    with yard.store.session() as s:
        still = users.authenticate(s, username="li.wei", password="demo-li.wei-2026", clock=yard.clock)
    assert still.outcome == "locked"
    yard.clock.advance(minutes=2)  # 15 minutes after the fifth failure have passed
    with yard.store.session() as s:
        ok = users.authenticate(s, username="li.wei", password="demo-li.wei-2026", clock=yard.clock)
    assert ok.ok and ok.actor is not None and ok.actor.user_id == "li.wei"
    events = _events(yard, "login.")[before:]
    assert [e.action for e in events] == ["login.failed"] * 5 + [
        "login.failed",
        "login.failed",
        "login.success",
    ]
    assert [e.new["outcome"] for e in events] == ["wrong_password"] * 5 + ["locked", "locked", "ok"]
    assert len(_events(yard, "user.locked")) == 1
    with yard.store.session() as s:
        attempts = s.exec(select(LoginAttempt).where(col(LoginAttempt.username) == "li.wei")).all()
        assert len(attempts) == 8
        # Supervisors see the failures; an inspector may not.
        failures = users.list_failed_attempts(s, actor=SUPERVISOR)
        assert len(failures) == 7 and {f.username for f in failures} == {"li.wei"}
        assert users.count_unreviewed_failures(s) == 7
        with pytest.raises(PermissionDeniedError):
            users.list_failed_attempts(s, actor=INSPECTOR)
        assert users.acknowledge_failed_attempts(s, actor=SUPERVISOR, clock=yard.clock) == 7
        assert users.count_unreviewed_failures(s) == 0


def test_failures_older_than_the_window_do_not_count(yard: Yard) -> None:
    for _ in range(4):
        with yard.store.session() as s:
            users.authenticate(s, username="chen.jing", password="wrong-password!", clock=yard.clock)
    yard.clock.advance(minutes=16)
    with yard.store.session() as s:
        result = users.authenticate(s, username="chen.jing", password="wrong-password!", clock=yard.clock)
        assert result.locked_until is None
        assert users.lock_status(s, username="chen.jing").failed_count == 1


def test_unknown_user_attempts_are_audited_without_revealing_which_part_was_wrong(yard: Yard) -> None:
    with yard.store.session() as s:
        result = users.authenticate(s, username="nobody", password="whatever-password", clock=yard.clock)
    with yard.store.session() as s:
        wrong = users.authenticate(s, username="li.wei", password="whatever-password", clock=yard.clock)
    assert result.outcome == "unknown_user" and result.code == users.WRONG_CREDENTIALS
    assert result.message.split(".")[0] == wrong.message.split(".")[0] == "Wrong user id or password"
    assert result.words("zh_CN") == "用户名或密码错误。"
    assert UserError(users.WRONG_CREDENTIALS, field="user").words("zh_CN") == "用户名或密码错误。"
    assert _events(yard, "login.failed")[-2].actor == "nobody"


def test_admin_reset_forces_a_change_at_next_sign_in_and_is_audited(yard: Yard) -> None:
    with yard.store.session() as s:
        with pytest.raises(UserError) as err:
            users.reset_password(
                s,
                actor=ADMIN,
                clock=yard.clock,
                username="li.wei",
                new_password="temporary-pass-1",
                reason="  ",
            )
        assert err.value.field == "reason"
    with yard.store.session() as s:
        users.reset_password(
            s,
            actor=ADMIN,
            clock=yard.clock,
            username="li.wei",
            new_password="temporary-pass-1",
            reason="forgotten, identity checked in person",
        )
    with yard.store.session() as s:
        result = users.authenticate(s, username="li.wei", password="temporary-pass-1", clock=yard.clock)
    assert result.ok and result.must_change_password and result.actor is not None
    with yard.store.session() as s, pytest.raises(UserError) as err:
        users.change_password(
            s,
            actor=result.actor,
            clock=yard.clock,
            old_password="temporary-pass-1",
            new_password="temporary-pass-1",
        )
    assert (err.value.code, err.value.field) == ("password.unchanged", "new_password")
    with yard.store.session() as s, pytest.raises(UserError) as err:
        users.change_password(s, actor=result.actor, clock=yard.clock, old_password="not it at all",
                              new_password="my own new secret")
    assert (err.value.code, err.value.field) == ("password.current_wrong", "old_password")
    with yard.store.session() as s:
        users.change_password(
            s,
            actor=result.actor,
            clock=yard.clock,
            old_password="temporary-pass-1",
            new_password="my own new secret",
        )
    with yard.store.session() as s:
        again = users.authenticate(s, username="li.wei", password="my own new secret", clock=yard.clock)
    assert again.ok and not again.must_change_password
    reset = _events(yard, "user.password_reset")[-1]
    assert reset.actor == "admin" and reset.reason == "forgotten, identity checked in person"
    assert reset.old["must_change_password"] is False and reset.new["must_change_password"] is True
    assert "temporary-pass-1" not in str(reset.new)


def test_only_administrators_manage_users_and_roles(yard: Yard) -> None:
    with yard.store.session() as s, pytest.raises(PermissionDeniedError) as denied:
        users.create_user(
            s,
            actor=SUPERVISOR,
            clock=yard.clock,
            username="new.user",
            display_name="New",
            roles=["inspector"],
            password="a long password",
        )
    assert denied.value.code == "role.denied" and denied.value.field is None
    assert denied.value.params["action"] == Term("permission", "add users")
    assert denied.value.params["role"] == Term("role", "admin")
    with yard.store.session() as s, pytest.raises(PermissionDeniedError):
        users.grant_role(
            s, actor=INSPECTOR, clock=yard.clock, username="li.wei", role="supervisor", reason="promotion"
        )
    with yard.store.session() as s:
        view = users.create_user(
            s,
            actor=ADMIN,
            clock=yard.clock,
            username="Wu.Fang",
            display_name="吴芳",
            roles=["inspector", "clerk"],
            password="a long password",
        )
        assert view.username == "wu.fang" and view.must_change_password
        users.grant_role(
            s,
            actor=ADMIN,
            clock=yard.clock,
            username="wu.fang",
            role="supervisor",
            reason="promoted to shift supervisor",
        )
        users.revoke_role(
            s,
            actor=ADMIN,
            clock=yard.clock,
            username="wu.fang",
            role="clerk",
            reason="no longer at the office desk",
        )
    with yard.store.session() as s:
        assert users.lock_status(s, username="wu.fang").roles == ("inspector", "supervisor")
        with pytest.raises(ConflictError) as taken:
            users.create_user(
                s,
                actor=ADMIN,
                clock=yard.clock,
                username="wu.fang",
                display_name="x",
                roles=["clerk"],
                password="a long password",
            )
        assert taken.value.code == "user.id_taken" and taken.value.params == {"username": "wu.fang"}
        with pytest.raises(UserError) as err:
            users.create_user(
                s,
                actor=ADMIN,
                clock=yard.clock,
                username="x y",
                display_name="x",
                roles=["clerk"],
                password="a long password",
            )
        assert err.value.field == "username" and err.value.code == "user.id_invalid"
        with pytest.raises(UserError) as err:
            users.create_user(
                s,
                actor=ADMIN,
                clock=yard.clock,
                username="xy",
                display_name="x",
                roles=["boss"],
                password="a long password",
            )
        assert err.value.field == "roles" and err.value.code == "user.role_unknown"
        assert err.value.words("zh_CN") == "“boss”不是角色。可用角色：inspector、supervisor、clerk、admin。"
        with pytest.raises(ConflictError) as last:
            users.revoke_role(
                s,
                actor=ADMIN,
                clock=yard.clock,
                username="admin",
                role="admin",
                reason="testing the last administrator",
            )
        assert last.value.code == "user.last_role"  # the only administrator has no other role either
        users.grant_role(s, actor=ADMIN, clock=yard.clock, username="admin", role="clerk",
                         reason="also works at the office desk")
        with pytest.raises(ConflictError) as last:
            users.revoke_role(s, actor=ADMIN, clock=yard.clock, username="admin", role="admin",
                              reason="testing the last administrator")
        assert last.value.code == "user.last_admin_role" and last.value.field == "role"
        with pytest.raises(ConflictError) as present:
            users.grant_role(s, actor=ADMIN, clock=yard.clock, username="wu.fang", role="supervisor",
                             reason="twice over")
        assert present.value.code == "user.role_present"
        assert present.value.words("zh_CN") == "wu.fang 已具有主管角色。"
    revoke = _events(yard, "user.role_revoke")[-1]
    assert revoke.old["roles"] == ["clerk", "inspector", "supervisor"]
    assert revoke.new["roles"] == ["inspector", "supervisor"]


def test_disabled_accounts_cannot_sign_in(yard: Yard) -> None:
    with yard.store.session() as s:
        users.set_user_active(
            s, actor=ADMIN, clock=yard.clock, username="chen.jing", active=False, reason="left the company"
        )
    with yard.store.session() as s:
        result = users.authenticate(s, username="chen.jing", password="demo-chen.jing-2026", clock=yard.clock)
    assert result.outcome == "disabled" and result.code == "login.disabled"
    assert result.words("zh_CN") == "此账户已停用。请联系管理员。"
    with yard.store.session() as s, pytest.raises(ConflictError) as err:
        users.set_user_active(s, actor=ADMIN, clock=yard.clock, username="admin", active=False, reason="x")
    assert err.value.code == "user.disable_self"


def test_unlock_by_an_administrator_is_audited(yard: Yard) -> None:
    for _ in range(5):
        with yard.store.session() as s:
            users.authenticate(s, username="wang.lei", password="wrong-password!", clock=yard.clock)
    with yard.store.session() as s:
        users.unlock_user(s, actor=ADMIN, clock=yard.clock, username="wang.lei", reason="called the office")
    with yard.store.session() as s:
        assert users.authenticate(s, username="wang.lei", password="demo-wang.lei-2026", clock=yard.clock).ok
    event = _events(yard, "user.unlock")[-1]
    assert event.old["failed_count"] == 5 and event.reason == "called the office"


def test_idle_lock_time_is_a_setting_only_administrators_change(yard: Yard) -> None:
    with yard.store.session() as s:
        assert users.idle_lock_minutes(s) == users.DEFAULT_IDLE_LOCK_MINUTES
        users.set_idle_lock_minutes(s, actor=ADMIN, clock=yard.clock, minutes=3)
        with pytest.raises(UserError) as err:
            users.set_idle_lock_minutes(s, actor=ADMIN, clock=yard.clock, minutes=0)
        assert (err.value.code, err.value.field) == ("user.idle_lock_range", "idle_lock_minutes")
        assert err.value.words("zh_CN") == "空闲锁定时间须为 1 至 240 分钟。"
        with pytest.raises(PermissionDeniedError):
            users.set_idle_lock_minutes(s, actor=SUPERVISOR, clock=yard.clock, minutes=5)
    with yard.store.session() as s:
        assert users.idle_lock_minutes(s) == 3
        account = s.exec(select(UserAccount).where(col(UserAccount.username) == "li.wei")).one()
        assert users.actor_for(account).has(Role.INSPECTOR)
    assert SYSTEM.main_role == "system"
