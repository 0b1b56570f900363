"""Who is acting, in which role; and the role checks every mutating service makes."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from inspector.errors import PermissionDeniedError
from inspector.messages import Term


class Role(enum.StrEnum):
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    CLERK = "clerk"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """A signed-in user (or the system itself for installs, migrations and the demo)."""

    user_id: str
    display_name: str
    roles: frozenset[Role] = field(default_factory=frozenset)

    def has(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)

    @property
    def main_role(self) -> str:
        """The role written on audit events: the highest of the actor's roles."""
        for role in (Role.ADMIN, Role.SUPERVISOR, Role.CLERK, Role.INSPECTOR):
            if role in self.roles:
                return role.value
        return "system" if self.user_id == SYSTEM.user_id else "none"


SYSTEM = Actor(user_id="system", display_name="Yard Inspector")


def require_role(actor: Actor, allowed: Iterable[Role], *, action: str | Term) -> None:
    """Refuse ``action`` unless the actor holds one of ``allowed`` (the system actor always may).

    ``action`` is what is refused, as the catalogue's ``words.permission`` words it after "may not"
    ("create lots", "void certificates"); a ``Term`` of another kind is worded by its own table.
    """
    allowed = tuple(allowed)
    if actor.user_id == SYSTEM.user_id or actor.has(*allowed):
        return
    roles = [Term("role", r.value) for r in allowed]
    if len(roles) == 1:
        raise PermissionDeniedError("role.denied", name=actor.display_name, user=actor.user_id,
                                    action=permission(action), role=roles[0])
    raise PermissionDeniedError("role.denied_any", name=actor.display_name, user=actor.user_id,
                                action=permission(action), roles=roles)


def permission(action: str | Term) -> Term:
    """What may or may not be done, as a parameter: ``words.permission.<action>``."""
    return action if isinstance(action, Term) else Term("permission", action)
