"""Read models of the accounts: the users screen (accounts, and the failed sign-ins a supervisor or
administrator reviews) and the signing holds a supervisor acknowledges."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from inspector.clock import Clock
from inspector.messages import Language
from inspector.messages.notice import Notice
from inspector.security import audit, clockguard, users
from inspector.security.actor import Actor, Role
from inspector.security.users import AttemptView, UserView

# Who sees the failed sign-in attempts (``users.list_failed_attempts`` checks it again).
REVIEWERS = (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class UserAccounts:
    """The users screen: every account by user id, and the failed attempts not yet reviewed (newest first;
    empty for an actor who may not see them)."""

    users: tuple[UserView, ...]
    failures: tuple[AttemptView, ...]


def user_accounts(session: Session, *, actor: Actor) -> UserAccounts:
    failures = users.list_failed_attempts(session, actor=actor) if actor.has(*REVIEWERS) else []
    return UserAccounts(users=tuple(users.list_users(session)), failures=tuple(failures))


@dataclass(frozen=True)
class HoldRow:
    """An open signing hold and what it is about (``words(lang)``; ``text`` in English)."""

    id: int
    about: Notice

    def words(self, lang: Language) -> str:
        return self.about.words(lang)

    @property
    def text(self) -> str:
        return self.about.message


@dataclass(frozen=True)
class SigningHolds:
    """The open signing holds, oldest first; ``clock_behind``: the clock reads earlier than the audit trail
    and that is not recorded yet (``clockguard.check_clock`` records it, and a hold with it)."""

    holds: tuple[HoldRow, ...]
    clock_behind: bool


def signing_holds(session: Session, *, clock: Clock) -> SigningHolds:
    head = audit.chain_head(session)
    behind = head is not None and clock.now().utc < head.at
    holds = tuple(HoldRow(id=h.id or 0, about=clockguard.describe(h)) for h in clockguard.open_holds(session))
    return SigningHolds(holds=holds, clock_behind=behind)
