"""User accounts: creation, sign-in with lockout, password changes and resets, roles, four-eyes rules.

Every sign-in attempt (and every signature re-prompt) is written to the audit trail and to the list of
attempts supervisors review. Five failures within 15 minutes lock the account for 15 minutes.
``authenticate`` returns a result instead of raising, so the caller's transaction commits the failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspector.canonical import jsonable, sha256_hex
from inspector.clock import Clock
from inspector.errors import ConflictError, PermissionDeniedError, RecordedRefusalError, UserError
from inspector.messages import Language, Term, formats
from inspector.messages.notice import Worded
from inspector.security import passwords
from inspector.security.actor import SYSTEM, Actor, Role, permission, require_role
from inspector.security.audit import record_change, record_event, row_content
from inspector.storage.models.core import Setting
from inspector.storage.models.security import LoginAttempt, UserAccount, UserCredential

PASSWORD_SET_ACTION = "user.password_set"
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15
FAILURE_WINDOW_MINUTES = 15
IDLE_LOCK_SETTING = "security.idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
# The error code of a wrong user id or password (the same words whichever of the two is wrong).
WRONG_CREDENTIALS = "login.wrong_credentials"

# Verified against when the user id is unknown, so that a wrong id costs as long as a wrong password.
_dummy_hash: str | None = None


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    roles: tuple[str, ...]
    active: bool
    must_change_password: bool
    failed_count: int
    locked_until: datetime | None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class LoginResult(Worded):
    """The outcome of a sign-in: ``actor`` is set only when ``ok``. A refusal says why as a code with
    parameters (``words(lang)``; ``message`` in English); ``refusal()`` is the error to raise with it."""

    ok: bool
    outcome: str  # ok, wrong_password, unknown_user, locked, disabled
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict)
    actor: Actor | None = None
    must_change_password: bool = False
    locked_until: datetime | None = None

    def words(self, lang: Language) -> str:
        return super().words(lang) if self.code else ""

    def refusal(self, *, field: str | None = "password") -> RecordedRefusalError:
        """The refusal as an error on ``field``: the failed attempt is on the record and counts."""
        return RecordedRefusalError(self.code or WRONG_CREDENTIALS, field=field, **self.params)


@dataclass(frozen=True)
class AttemptView:
    id: int
    username: str
    at: datetime
    offset_minutes: int
    outcome: str
    purpose: str
    reviewed_by: str | None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise UserError("user.id_invalid", field="username", username=username)
    return name


def parse_roles(roles: Iterable[str | Role]) -> list[str]:
    result: set[str] = set()
    allowed = [r.value for r in Role]  # what is typed, as it is typed
    for role in roles:
        try:
            result.add(Role(str(role).strip().lower()).value)
        except ValueError:
            raise UserError("user.role_unknown", field="roles", role=str(role), roles=allowed) from None
    if not result:
        raise UserError("user.no_role", field="roles", roles=allowed)
    return sorted(result)


def actor_for(user: UserAccount) -> Actor:
    return Actor(
        user_id=user.username,
        display_name=user.display_name,
        roles=frozenset(Role(r) for r in user.roles),
    )


def get_user(session: Session, username: str) -> UserAccount | None:
    stmt = select(UserAccount).where(UserAccount.username == normalise_username(username))  # type: ignore[arg-type]
    return session.execute(stmt).scalars().first()


def _require_user(session: Session, username: str) -> UserAccount:
    user = get_user(session, username)
    if user is None:
        raise UserError("user.not_found", field="username", username=username)
    return user


def _credential(session: Session, user: UserAccount) -> UserCredential:
    cred = session.get(UserCredential, user.id)
    if cred is None:
        raise ConflictError("user.no_password", username=user.username)
    return cred


def _view(user: UserAccount, cred: UserCredential | None) -> UserView:
    return UserView(
        username=user.username,
        display_name=user.display_name,
        roles=tuple(user.roles),
        active=user.active,
        must_change_password=user.must_change_password,
        failed_count=cred.failed_count if cred else 0,
        locked_until=cred.locked_until if cred else None,
    )


def has_users(session: Session) -> bool:
    return bool(session.execute(select(func.count()).select_from(UserAccount)).scalar_one())


def list_users(session: Session) -> list[UserView]:
    users = session.execute(select(UserAccount).order_by(col(UserAccount.username))).scalars().all()
    return [_view(u, session.get(UserCredential, u.id)) for u in users]


def lock_status(session: Session, *, username: str) -> UserView:
    user = _require_user(session, username)
    return _view(user, session.get(UserCredential, user.id))


def _active_admins(session: Session) -> list[UserAccount]:
    users = session.execute(select(UserAccount)).scalars().all()
    return [u for u in users if u.active and Role.ADMIN.value in u.roles]


def create_user(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    username: str,
    display_name: str,
    roles: Iterable[str | Role],
    password: str,
    must_change_password: bool = True,
) -> UserView:
    """Add a user. A password chosen by an administrator must be changed at the first sign-in."""
    require_role(actor, [Role.ADMIN], action="add users")
    name = check_username(username)
    display = display_name.strip()
    if not display or len(display) > 100:
        raise UserError("user.name_length", field="display_name")
    role_list = parse_roles(roles)
    passwords.check_password_policy(password, username=name)
    if get_user(session, name) is not None:
        raise ConflictError("user.id_taken", field="username", username=name)
    stamp = clock.now()
    user = UserAccount(
        username=name,
        display_name=display,
        roles=role_list,
        active=True,
        must_change_password=must_change_password,
        created_at=stamp.utc,
        created_offset=stamp.offset_minutes,
    )
    record_change(session, user, actor=actor, action="user.create", clock=clock)
    assert user.id is not None
    cred = UserCredential(user_id=user.id, password_hash=passwords.hash_password(password),
                          password_set_at=stamp.utc)
    session.add(cred)
    session.flush()
    _audit_password(session, actor=actor, clock=clock, username=name, cred=cred, why="account created")
    return _view(user, session.get(UserCredential, user.id))


def password_fingerprint(phc: str) -> str:
    """What the audit trail keeps of a password hash: its SHA-256, so that a hash replaced with an SQLite
    tool (to sign in as someone else) no longer matches the trail. It reveals nothing of the salt or hash."""
    return sha256_hex(phc)


def _audit_password(session: Session, *, actor: Actor, clock: Clock, username: str, cred: UserCredential,
                    why: str) -> None:
    record_event(session, actor=actor, action=PASSWORD_SET_ACTION, entity="user_credential",
                 entity_id=username, clock=clock,
                 new={"password_fingerprint": password_fingerprint(cred.password_hash)}, reason=why)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = passwords.hash_password("not a real password, only for equal timing")
    return _dummy_hash


def _log_attempt(
    session: Session, *, username: str, clock: Clock, outcome: str, purpose: str, actor: Actor,
    details: dict[str, object] | None = None,
) -> int:
    action = "login.success" if outcome == "ok" else "login.failed"
    if purpose != "login":
        action = f"{purpose}.{'success' if outcome == 'ok' else 'failed'}"
    event = record_event(
        session, actor=actor, action=action, entity="user_account", entity_id=username, clock=clock,
        new={"outcome": outcome, "purpose": purpose, **(details or {})}, source="login",
    )
    session.add(LoginAttempt(username=username, at=event.at, offset_minutes=event.offset_minutes,
                             success=outcome == "ok", outcome=outcome, purpose=purpose, audit_seq=event.seq))
    session.flush()
    return event.seq


def authenticate(
    session: Session, *, username: str, password: str, clock: Clock, purpose: str = "login"
) -> LoginResult:
    """Check a user id and password, counting failures towards the lock; every attempt is audited.

    ``purpose`` is "login" at sign-in and e.g. "signature" when a signature re-prompts for the password
    (the same counter applies). Commit the session even when the result is not ``ok``.
    """
    name = normalise_username(username)[:60]
    stamp = clock.now()
    now = stamp.utc
    user = get_user(session, name) if name else None
    if user is None:
        passwords.verify_password(_dummy(), password)
        _log_attempt(session, username=name or "(empty)", clock=clock, outcome="unknown_user",
                     purpose=purpose, actor=Actor(user_id=name or "(empty)", display_name=name))
        return LoginResult(ok=False, outcome="unknown_user", code=WRONG_CREDENTIALS)
    actor = actor_for(user)
    cred = _credential(session, user)
    if not user.active:
        _log_attempt(session, username=name, clock=clock, outcome="disabled", purpose=purpose, actor=actor)
        return LoginResult(ok=False, outcome="disabled", code="login.disabled")
    if cred.locked_until is not None and now < cred.locked_until:
        _log_attempt(session, username=name, clock=clock, outcome="locked", purpose=purpose, actor=actor,
                     details={"locked_until": jsonable(cred.locked_until)})
        return LoginResult(
            ok=False, outcome="locked", locked_until=cred.locked_until, code="login.locked",
            params={"failures": LOCK_AFTER_FAILURES,
                    "until": formats.Moment(cred.locked_until, stamp.offset_minutes)},
        )
    window = timedelta(minutes=FAILURE_WINDOW_MINUTES)
    if cred.locked_until is not None or (
        cred.last_failure_at is not None and now - cred.last_failure_at > window
    ):
        cred.failed_count = 0
        cred.locked_until = None
    if passwords.verify_password(cred.password_hash, password):
        cred.failed_count = 0
        cred.last_failure_at = None
        if passwords.needs_rehash(cred.password_hash):
            cred.password_hash = passwords.hash_password(password)
            _audit_password(session, actor=actor, clock=clock, username=name, cred=cred,
                            why="rehashed with today's Argon2id parameters")
        session.add(cred)
        _log_attempt(session, username=name, clock=clock, outcome="ok", purpose=purpose, actor=actor)
        return LoginResult(ok=True, outcome="ok", actor=actor,
                           must_change_password=user.must_change_password)
    cred.failed_count += 1
    cred.last_failure_at = now
    details: dict[str, object] = {"failed_count": cred.failed_count}
    if cred.failed_count >= LOCK_AFTER_FAILURES:
        cred.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        details["locked_until"] = jsonable(cred.locked_until)
    session.add(cred)
    _log_attempt(session, username=name, clock=clock, outcome="wrong_password", purpose=purpose, actor=actor,
                 details=details)
    if cred.locked_until is not None:
        record_event(session, actor=SYSTEM, action="user.locked", entity="user_account", entity_id=name,
                     clock=clock, new={"locked_until": jsonable(cred.locked_until)},
                     reason=f"{LOCK_AFTER_FAILURES} failed attempts within {FAILURE_WINDOW_MINUTES} minutes",
                     source="login")
        return LoginResult(ok=False, outcome="wrong_password", locked_until=cred.locked_until,
                           code="login.now_locked", params={"minutes": LOCK_MINUTES})
    left = LOCK_AFTER_FAILURES - cred.failed_count
    return LoginResult(ok=False, outcome="wrong_password", code="login.attempts_left", params={"left": left})


def change_password(
    session: Session, *, actor: Actor, clock: Clock, old_password: str, new_password: str
) -> None:
    """The signed-in user changes their own password (required after an administrator's reset)."""
    user = _require_user(session, actor.user_id)
    cred = _credential(session, user)
    if not passwords.verify_password(cred.password_hash, old_password):
        raise UserError("password.current_wrong", field="old_password")
    if old_password == new_password:
        raise UserError("password.unchanged", field="new_password")
    passwords.check_password_policy(new_password, field="new_password", username=user.username)
    stamp = clock.now()
    cred.password_hash = passwords.hash_password(new_password)
    cred.password_set_at = stamp.utc
    session.add(cred)
    _audit_password(session, actor=actor, clock=clock, username=user.username, cred=cred,
                    why="changed by its owner")
    if user.must_change_password:
        old = row_content(user)
        user.must_change_password = False
        record_change(session, user, actor=actor, action="user.password_change", clock=clock, old=old,
                      reason="password changed by its owner")
    else:
        record_event(session, actor=actor, action="user.password_change", entity="user_account",
                     entity_id=user.username, clock=clock, reason="password changed by its owner")


def _require_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise UserError("user.reason_required", field="reason")
    return text


def reset_password(
    session: Session, *, actor: Actor, clock: Clock, username: str, new_password: str, reason: str
) -> None:
    """An administrator sets a temporary password; the user must change it at the next sign-in."""
    require_role(actor, [Role.ADMIN], action="reset passwords")
    why = _require_reason(reason)
    user = _require_user(session, username)
    passwords.check_password_policy(new_password, field="new_password", username=user.username)
    cred = _credential(session, user)
    stamp = clock.now()
    cred.password_hash = passwords.hash_password(new_password)
    cred.password_set_at = stamp.utc
    cred.failed_count = 0
    cred.locked_until = None
    cred.last_failure_at = None
    session.add(cred)
    _audit_password(session, actor=actor, clock=clock, username=user.username, cred=cred,
                    why="reset by an administrator")
    old = row_content(user)
    user.must_change_password = True
    record_change(session, user, actor=actor, action="user.password_reset", clock=clock, old=old, reason=why)


def unlock_user(session: Session, *, actor: Actor, clock: Clock, username: str, reason: str) -> None:
    require_role(actor, [Role.ADMIN], action="unlock accounts")
    why = _require_reason(reason)
    user = _require_user(session, username)
    cred = _credential(session, user)
    old = {"failed_count": cred.failed_count, "locked_until": jsonable(cred.locked_until)}
    cred.failed_count = 0
    cred.locked_until = None
    cred.last_failure_at = None
    session.add(cred)
    record_event(session, actor=actor, action="user.unlock", entity="user_account", entity_id=user.username,
                 clock=clock, old=old, new={"failed_count": 0, "locked_until": None}, reason=why)


def _set_roles(session: Session, *, actor: Actor, clock: Clock, user: UserAccount, roles: list[str],
               action: str, reason: str) -> UserView:
    if Role.ADMIN.value in user.roles and Role.ADMIN.value not in roles:
        others = [u for u in _active_admins(session) if u.id != user.id]
        if not others:
            raise ConflictError("user.last_admin_role", field="role", username=user.username)
    old = row_content(user)
    user.roles = roles
    record_change(session, user, actor=actor, action=action, clock=clock, old=old, reason=reason)
    return _view(user, session.get(UserCredential, user.id))


def grant_role(
    session: Session, *, actor: Actor, clock: Clock, username: str, role: str | Role, reason: str
) -> UserView:
    require_role(actor, [Role.ADMIN], action="grant roles")
    why = _require_reason(reason)
    user = _require_user(session, username)
    new_role = parse_roles([role])[0]
    if new_role in user.roles:
        raise ConflictError("user.role_present", field="role", username=user.username,
                            role=Term("role", new_role))
    return _set_roles(session, actor=actor, clock=clock, user=user, roles=sorted({*user.roles, new_role}),
                      action="user.role_grant", reason=why)


def revoke_role(
    session: Session, *, actor: Actor, clock: Clock, username: str, role: str | Role, reason: str
) -> UserView:
    require_role(actor, [Role.ADMIN], action="revoke roles")
    why = _require_reason(reason)
    user = _require_user(session, username)
    gone = parse_roles([role])[0]
    if gone not in user.roles:
        raise ConflictError("user.role_absent", field="role", username=user.username, role=Term("role", gone))
    remaining = [r for r in user.roles if r != gone]
    if not remaining:
        raise ConflictError("user.last_role", field="role", username=user.username)
    return _set_roles(session, actor=actor, clock=clock, user=user, roles=remaining,
                      action="user.role_revoke", reason=why)


def set_user_active(
    session: Session, *, actor: Actor, clock: Clock, username: str, active: bool, reason: str
) -> UserView:
    require_role(actor, [Role.ADMIN], action="enable or disable accounts")
    why = _require_reason(reason)
    user = _require_user(session, username)
    if user.active == active:
        return _view(user, session.get(UserCredential, user.id))
    if not active:
        if user.username == actor.user_id:
            raise ConflictError("user.disable_self", field="username")
        if Role.ADMIN.value in user.roles and len(_active_admins(session)) <= 1:
            raise ConflictError("user.last_admin_disable", field="username", username=user.username)
    old = row_content(user)
    user.active = active
    record_change(session, user, actor=actor, action="user.enable" if active else "user.disable",
                  clock=clock, old=old, reason=why)
    return _view(user, session.get(UserCredential, user.id))


def list_failed_attempts(
    session: Session, *, actor: Actor, since: datetime | None = None, include_reviewed: bool = False
) -> list[AttemptView]:
    """Failed sign-ins and signature re-prompts, newest first, for supervisors and administrators."""
    require_role(actor, [Role.SUPERVISOR, Role.ADMIN], action="see failed sign-in attempts")
    stmt = select(LoginAttempt).where(LoginAttempt.success == False)  # type: ignore[arg-type]  # noqa: E712
    if since is not None:
        stmt = stmt.where(LoginAttempt.at >= since)  # type: ignore[arg-type]
    if not include_reviewed:
        stmt = stmt.where(LoginAttempt.reviewed_by == None)  # type: ignore[arg-type]  # noqa: E711
    rows = session.execute(stmt.order_by(LoginAttempt.id.desc())).scalars().all()  # type: ignore[union-attr]
    return [AttemptView(id=r.id or 0, username=r.username, at=r.at, offset_minutes=r.offset_minutes,
                        outcome=r.outcome, purpose=r.purpose, reviewed_by=r.reviewed_by) for r in rows]


def count_unreviewed_failures(session: Session) -> int:
    stmt = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.success == False, LoginAttempt.reviewed_by == None  # type: ignore[arg-type]  # noqa: E711, E712
    )
    return int(session.execute(stmt).scalar_one())


def acknowledge_failed_attempts(session: Session, *, actor: Actor, clock: Clock) -> int:
    """A supervisor marks the failures listed so far as reviewed (audited); returns how many."""
    require_role(actor, [Role.SUPERVISOR, Role.ADMIN], action="review failed sign-in attempts")
    pending = list_failed_attempts(session, actor=actor)
    if not pending:
        return 0
    stamp = clock.now()
    for view in pending:
        row = session.get(LoginAttempt, view.id)
        assert row is not None
        row.reviewed_by = actor.user_id
        row.reviewed_at = stamp.utc
        session.add(row)
    record_event(session, actor=actor, action="login.failures_reviewed", entity="login_attempt",
                 entity_id=str(pending[0].id), clock=clock,
                 new={"count": len(pending), "ids": [v.id for v in pending]})
    return len(pending)


def idle_lock_minutes(session: Session) -> int:
    setting = session.get(Setting, IDLE_LOCK_SETTING)
    if setting is None or not isinstance(setting.value, int):
        return DEFAULT_IDLE_LOCK_MINUTES
    return setting.value


def set_idle_lock_minutes(session: Session, *, actor: Actor, clock: Clock, minutes: int) -> None:
    require_role(actor, [Role.ADMIN], action="change the idle lock time")
    if not 1 <= minutes <= 240:
        raise UserError("user.idle_lock_range", field="idle_lock_minutes", minimum=1, maximum=240)
    old = idle_lock_minutes(session)
    setting = session.get(Setting, IDLE_LOCK_SETTING) or Setting(key=IDLE_LOCK_SETTING)
    setting.value = minutes
    session.add(setting)
    record_event(session, actor=actor, action="setting.change", entity="setting", entity_id=IDLE_LOCK_SETTING,
                 clock=clock, old={"value": old}, new={"value": minutes})


# --- four-eyes rules, for the approval and weighing services ---------------------------------------------

def require_approver(actor: Actor, *, weighed_by: Iterable[str], action: str | Term = "approve this lot"
                     ) -> None:
    """Refuse unless ``actor`` may approve a lot whose weighings were recorded by ``weighed_by``.

    An approval needs a named supervisor who is not an administrator (separation of duties) and who
    recorded none of the lot's weighings. ``action`` is worded as ``require_role``'s.
    """
    if actor.user_id == SYSTEM.user_id:
        raise PermissionDeniedError("four_eyes.system", action=permission(action))
    if actor.has(Role.ADMIN):
        raise PermissionDeniedError("four_eyes.administrator", name=actor.display_name, user=actor.user_id,
                                    action=permission(action))
    require_role(actor, [Role.SUPERVISOR], action=action)
    if actor.user_id in set(weighed_by):
        raise PermissionDeniedError("four_eyes.own_weighings", name=actor.display_name, user=actor.user_id,
                                    action=permission(action))


def require_second_person(
    *, entered_by: str, confirmer: Actor, action: str | Term = "confirm this manual weight"
) -> None:
    """A manual weight needs a second person: a supervisor other than the one who typed it."""
    if confirmer.user_id == SYSTEM.user_id or confirmer.user_id == entered_by:
        raise PermissionDeniedError("four_eyes.same_person", name=confirmer.display_name,
                                    user=confirmer.user_id, action=permission(action))
    if not confirmer.has(Role.SUPERVISOR):
        raise PermissionDeniedError("four_eyes.confirmer_not_supervisor", name=confirmer.display_name,
                                    user=confirmer.user_id, action=permission(action),
                                    role=Term("role", Role.SUPERVISOR.value))


def check_four_eyes(
    *, approver: Actor, weighed_by: Iterable[str], manual_weights: Iterable[tuple[str, str | None]] = ()
) -> None:
    """All four-eyes rules for approving a lot.

    ``manual_weights`` lists (entered_by, confirmed_by) for each manual weight in the lot; each needs a
    confirmation by someone other than the person who typed it.
    """
    require_approver(approver, weighed_by=weighed_by)
    for entered_by, confirmed_by in manual_weights:
        if confirmed_by is None or confirmed_by == entered_by:
            raise PermissionDeniedError("four_eyes.manual_weight_unconfirmed", user=entered_by)
