"""Writing the audit trail: append-only events chained by SHA-256 over canonical JSON.

Every mutating service calls ``record_change`` (for a business row) or ``record_event`` (for anything else)
inside the same session and transaction as the change itself, so either both are stored or neither.
The row gets the hash of its content and the sequence of the event; ``check`` compares them later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col

from inspector.canonical import canonical_json, jsonable, sha256_hex
from inspector.clock import Clock, Stamp
from inspector.errors import ConflictError
from inspector.security.actor import SYSTEM, Actor
from inspector.storage.db import begin_write
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.security import SigningHold

GENESIS_HASH = "0" * 64
CLOCK_BACKWARDS_ACTION = "clock.backwards"
# Columns that describe the row's place in the trail, not its content.
_ROW_META = frozenset({"row_hash", "audit_seq"})


def row_content(row: SQLModel) -> dict[str, Any]:
    """The row's columns (without its audit bookkeeping) as canonical JSON values."""
    table = row.__table__  # type: ignore[attr-defined]
    return {c.name: jsonable(getattr(row, c.key)) for c in table.columns if c.name not in _ROW_META}


def row_hash(content: Mapping[str, Any]) -> str:
    return sha256_hex(canonical_json(content))


def event_payload(event: AuditEvent) -> dict[str, Any]:
    """What the chain hash covers: every field of the event except its own hash."""
    return {
        "seq": event.seq,
        "at": jsonable(event.at),
        "offset_minutes": event.offset_minutes,
        "actor": event.actor,
        "role": event.role,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "old": event.old,
        "new": event.new,
        "reason": event.reason,
        "source": event.source,
        "prev_hash": event.prev_hash,
    }


def event_hash(event: AuditEvent) -> str:
    return sha256_hex(canonical_json(event_payload(event)))


def chain_head(session: Session) -> AuditEvent | None:
    stmt = select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)
    head: AuditEvent | None = session.execute(stmt).scalars().first()
    return head


def record_event(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int,
    clock: Clock,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    reason: str | None = None,
    source: str = "app",
) -> AuditEvent:
    """Append one event to the chain in the caller's transaction and return it (flushed, with its seq)."""
    # The head is read inside the write transaction, under the data directory's write guard: no other
    # process can append between this read and the append below.
    begin_write(session)
    head = chain_head(session)
    stamp = clock.now()
    if head is not None and stamp.utc < head.at:
        head = note_clock_backwards(session, head, stamp)
    event = AuditEvent(
        seq=0,
        at=stamp.utc,
        offset_minutes=stamp.offset_minutes,
        actor=actor.user_id,
        role=actor.main_role,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        old=jsonable(old) if old is not None else None,
        new=jsonable(new) if new is not None else None,
        reason=reason,
        source=source,
        prev_hash="",
        hash="",
    )
    return _append(session, head, event)


def _append(session: Session, head: AuditEvent | None, event: AuditEvent) -> AuditEvent:
    event.seq = (head.seq + 1) if head else 1
    event.prev_hash = head.hash if head else GENESIS_HASH
    event.hash = event_hash(event)
    session.flush()  # the rows the event is about first: a refusal below is then the event's own
    session.add(event)
    try:
        session.flush()
    except IntegrityError as exc:
        # Another process appended the same link of the chain first (two stations, or the window and a
        # command, writing at the same moment). The chain's unique seq and hash refused the fork; the
        # whole operation is rolled back and can simply be done again.
        raise ConflictError("audit.concurrent_write", field="audit") from exc
    return event


def note_clock_backwards(session: Session, head: AuditEvent, stamp: Stamp) -> AuditEvent:
    """The system clock reads earlier than the last event: record it and hold signing until a
    supervisor acknowledges (back-dating is done by turning the PC's clock back)."""
    event = _append(
        session,
        head,
        AuditEvent(
            seq=0,
            at=stamp.utc,
            offset_minutes=stamp.offset_minutes,
            actor=SYSTEM.user_id,
            role=SYSTEM.main_role,
            action=CLOCK_BACKWARDS_ACTION,
            entity="clock",
            entity_id="system",
            old={"last_event_seq": head.seq, "last_event_at": jsonable(head.at)},
            new={"clock_now": jsonable(stamp.utc)},
            reason="the system clock is earlier than the last audit event",
            source="system",
            prev_hash="",
            hash="",
        ),
    )
    session.add(
        SigningHold(
            kind="clock_backwards",
            detected_at=stamp.utc,
            detected_offset=stamp.offset_minutes,
            details={
                "last_event_seq": head.seq,
                "last_event_at": jsonable(head.at),
                "clock_now": jsonable(stamp.utc),
            },
            audit_seq=event.seq,
        )
    )
    session.flush()
    return event


def record_change(
    session: Session,
    row: SQLModel,
    *,
    actor: Actor,
    action: str,
    clock: Clock,
    old: Mapping[str, Any] | None = None,
    reason: str | None = None,
    source: str = "app",
) -> AuditEvent:
    """Audit a business row just added or changed: the event carries its new content, the row its hash.

    ``old`` is the row's content before the change (``row_content(row)`` taken before editing), or None
    for a new row.
    """
    session.add(row)
    session.flush()  # the row needs its id before the event names it
    content = row_content(row)
    event = record_event(
        session,
        actor=actor,
        action=action,
        entity=row.__tablename__,  # type: ignore[arg-type]
        entity_id=str(getattr(row, "id", None) or getattr(row, "key", "")),
        clock=clock,
        old=old,
        new=content,
        reason=reason,
        source=source,
    )
    row.row_hash = row_hash(content)
    row.audit_seq = event.seq
    session.add(row)
    session.flush()
    return event
