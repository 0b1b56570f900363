"""Read models of the audit trail: its events newest first, a page at a time by sequence number, under the
viewer's filters (``auditlog.EventFilter``); the values the filter lists offer; and the CSV export with the
chain head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from inspector.security import auditlog
from inspector.security.auditlog import EventFilter
from inspector.storage.models.audit import AuditEvent

PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditRow:
    """One event as the viewer shows it: who did what to which record, when, why, and the values before
    and after (as stored: a mapping of fields, another JSON value, or None)."""

    seq: int
    at: datetime  # UTC
    offset_minutes: int
    actor: str
    role: str
    action: str
    entity: str
    entity_id: str
    reason: str | None
    old: Any
    new: Any

    @property
    def yard_time(self) -> str:
        """The event's time at the yard, with its UTC offset (e.g. 2026-03-02 16:30:00 +08:00)."""
        local = self.at + timedelta(minutes=self.offset_minutes)
        sign = "+" if self.offset_minutes >= 0 else "-"
        hours, minutes = divmod(abs(self.offset_minutes), 60)
        return f"{local:%Y-%m-%d %H:%M:%S} {sign}{hours:02d}:{minutes:02d}"


def _row(event: AuditEvent) -> AuditRow:
    return AuditRow(seq=event.seq, at=event.at.astimezone(UTC), offset_minutes=event.offset_minutes,
                    actor=event.actor, role=event.role, action=event.action, entity=event.entity,
                    entity_id=event.entity_id, reason=event.reason, old=event.old, new=event.new)


def audit_page(session: Session, flt: EventFilter | None = None, *, after: int | None = None,
               limit: int = PAGE_SIZE) -> list[AuditRow]:
    """Up to ``limit`` events matching ``flt``, newest first, older than event ``after`` when given."""
    stmt = (flt or EventFilter()).apply(select(AuditEvent))
    if after is not None:
        stmt = stmt.where(col(AuditEvent.seq) < after)
    stmt = stmt.order_by(col(AuditEvent.seq).desc()).limit(limit)
    return [_row(event) for event in session.exec(stmt).all()]


@dataclass(frozen=True)
class FilterValues:
    """What the viewer's filter lists offer: the values present in the trail, sorted."""

    entities: tuple[str, ...]
    actors: tuple[str, ...]
    actions: tuple[str, ...]


def filter_values(session: Session) -> FilterValues:
    return FilterValues(entities=tuple(auditlog.distinct_values(session, "entity")),
                        actors=tuple(auditlog.distinct_values(session, "actor")),
                        actions=tuple(auditlog.distinct_values(session, "action")))


@dataclass(frozen=True)
class TrailExport:
    """A CSV export: where, how many events, and the chain head written with them (None: empty trail)."""

    path: Path
    count: int
    head_seq: int | None
    head_hash: str | None


def export_trail(session: Session, *, path: Path, flt: EventFilter | None = None) -> TrailExport:
    """Write the filtered events (oldest first) and the chain head to ``path``."""
    count, seq, digest = auditlog.export_csv(session, path, flt)
    return TrailExport(path=path, count=count, head_seq=seq, head_hash=digest)
