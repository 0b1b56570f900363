"""Operations on accounts: signing in (the login, the lock screen, a supervisor's confirmation in person),
changing one's password, the administrator's changes to accounts, reviewing failed sign-ins, and the
signing holds a supervisor acknowledges.

Every one announces ``Change.USERS``: each sign-in attempt is recorded (and counts towards the lock), so even
a refused one changes what the users screen shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.security import clockguard, users
from inspector.security.actor import Actor, Role
from ui.ops import Door

if TYPE_CHECKING:
    from sqlmodel import Session

OnError = Callable[[InspectorError], None] | None
CHANGES = (Change.USERS,)


def sign_in(door: Door, *, owner: QObject | None, clock: Clock, username: str, password: str, purpose: str,
            on_done: Callable[[users.LoginResult], None], on_error: OnError = None) -> int:
    """Check a user id and password (``purpose``: login, unlock, second_person); the attempt is recorded
    either way, and the result says which it was."""
    return door.write(
        lambda s: users.authenticate(s, username=username, password=password, clock=clock, purpose=purpose),
        on_done, on_error, changes=CHANGES, owner=owner)


def change_own_password(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, old_password: str,
                        new_password: str, on_done: Callable[[Actor], None] | None = None,
                        on_error: OnError = None) -> int:
    """The signed-in user changes their own password; done with the actor."""
    def change(session: Session) -> Actor:
        users.change_password(session, actor=actor, clock=clock, old_password=old_password,
                              new_password=new_password)
        return actor

    return door.write(change, on_done, on_error, changes=CHANGES, owner=owner)


def create_user(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, username: str,
                display_name: str, roles: Sequence[Role], password: str,
                on_done: Callable[[users.UserView], None] | None = None, on_error: OnError = None) -> int:
    """An administrator adds an account; its temporary password must be changed at the first sign-in."""
    return door.write(
        lambda s: users.create_user(s, actor=actor, clock=clock, username=username, display_name=display_name,
                                    roles=roles, password=password),
        on_done, on_error, changes=CHANGES, owner=owner)


def change_roles(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, username: str,
                 grant: Sequence[str], revoke: Sequence[str], reason: str,
                 on_done: Callable[[str], None] | None = None, on_error: OnError = None) -> int:
    """Grant and revoke roles of an account in one change (all or nothing); done with the user id."""
    def change(session: Session) -> str:
        for role in grant:
            users.grant_role(session, actor=actor, clock=clock, username=username, role=role, reason=reason)
        for role in revoke:
            users.revoke_role(session, actor=actor, clock=clock, username=username, role=role, reason=reason)
        return username

    return door.write(change, on_done, on_error, changes=CHANGES, owner=owner)


def reset_password(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, username: str,
                   new_password: str, reason: str, on_done: Callable[[object], None] | None = None,
                   on_error: OnError = None) -> int:
    """An administrator sets a temporary password, which the user must change at the next sign-in."""
    return door.write(
        lambda s: users.reset_password(s, actor=actor, clock=clock, username=username,
                                       new_password=new_password, reason=reason),
        on_done, on_error, changes=CHANGES, owner=owner)


def unlock_user(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, username: str, reason: str,
                on_done: Callable[[object], None] | None = None, on_error: OnError = None) -> int:
    """An administrator lifts the lock after failed attempts."""
    return door.write(
        lambda s: users.unlock_user(s, actor=actor, clock=clock, username=username, reason=reason),
        on_done, on_error, changes=CHANGES, owner=owner)


def set_user_active(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, username: str,
                    active: bool, reason: str, on_done: Callable[[object], None] | None = None,
                    on_error: OnError = None) -> int:
    """An administrator enables or disables an account."""
    return door.write(
        lambda s: users.set_user_active(s, actor=actor, clock=clock, username=username, active=active,
                                        reason=reason),
        on_done, on_error, changes=CHANGES, owner=owner)


def review_failed_attempts(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock,
                           on_done: Callable[[int], None] | None = None, on_error: OnError = None) -> int:
    """A supervisor or administrator marks the failed sign-ins listed so far as reviewed; done with how
    many."""
    return door.write(lambda s: users.acknowledge_failed_attempts(s, actor=actor, clock=clock),
                      on_done, on_error, changes=CHANGES, owner=owner)


def record_backwards_clock(door: Door, *, owner: QObject | None, clock: Clock,
                           on_done: Callable[[bool], None] | None = None, on_error: OnError = None) -> int:
    """Record that the clock reads earlier than the audit trail (an event, and a hold on signing); done
    with whether it did (the clock may have been corrected meanwhile)."""
    def record(session: Session) -> bool:
        return clockguard.check_clock(session, clock=clock) is not None

    return door.write(record, on_done, on_error, changes=CHANGES, owner=owner)


def acknowledge_signing_hold(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, hold_id: int,
                             note: str, on_done: Callable[[int], None] | None = None,
                             on_error: OnError = None) -> int:
    """A supervisor acknowledges a signing hold after reviewing it, with a note; done with the hold's id."""
    def acknowledge(session: Session) -> int:
        clockguard.acknowledge_hold(session, actor=actor, clock=clock, hold_id=hold_id, note=note)
        return hold_id

    return door.write(acknowledge, on_done, on_error, changes=CHANGES, owner=owner)
