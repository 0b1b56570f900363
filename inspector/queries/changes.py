"""What changed since a mark in the audit trail: how the window notices other programs' and stations' work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspector.changes import Change, changes_of_entities
from inspector.storage.models.audit import AuditEvent


@dataclass(frozen=True)
class ChangesSince:
    changes: frozenset[Change]
    mark: int  # the newest event's sequence number, to ask from next time


def audit_mark(session: Session) -> int:
    """The newest audit event's sequence number (0 in an empty trail)."""
    return int(session.exec(select(func.coalesce(func.max(AuditEvent.seq), 0))).one()[0])  # type: ignore[call-overload]


def changes_since(session: Session, mark: int) -> ChangesSince:
    """The kinds of change recorded after ``mark``, and the new mark."""
    rows = session.exec(  # type: ignore[call-overload]
        select(col(AuditEvent.entity), func.max(AuditEvent.seq))
        .where(col(AuditEvent.seq) > mark)
        .group_by(col(AuditEvent.entity))
    ).all()
    if not rows:
        return ChangesSince(frozenset(), mark)
    return ChangesSince(changes_of_entities(entity for entity, _ in rows), max(seq for _, seq in rows))
