"""Signing holds: the system clock running backwards, or a failed integrity check, blocks signing until a
supervisor has acknowledged it.

A clock earlier than the last audit event is how back-dating is done on a PC. ``record_event`` notices it at
every write (it appends a ``clock.backwards`` event and opens a hold); ``check_clock`` notices it without a
write, for the start of the application and the sign-in. Call ``check_clock`` and ``hold_for_integrity`` in
their own transaction (they only record); ``require_signing_allowed`` only reads, so a refused signature
does not roll back the record of why it was refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from inspector.clock import Clock
from inspector.errors import ConflictError, UserError
from inspector.messages import formats
from inspector.messages.notice import Notice, Worded
from inspector.security import audit
from inspector.security.actor import SYSTEM, Actor, Role, require_role
from inspector.storage.db import begin_write
from inspector.storage.models.security import SigningHold

HOLD_CLOCK = "clock_backwards"
HOLD_INTEGRITY = "integrity"


def open_holds(session: Session) -> list[SigningHold]:
    stmt = select(SigningHold).where(col(SigningHold.acknowledged_by).is_(None)).order_by(col(SigningHold.id))
    return list(session.exec(stmt).all())


def check_clock(session: Session, *, clock: Clock) -> SigningHold | None:
    """Record a backwards clock (event + hold) if the clock reads earlier than the last audit event."""
    head = audit.chain_head(session)
    stamp = clock.now()
    if head is None or stamp.utc >= head.at:
        return None
    # About to append: read the head again inside the write transaction, under the data directory's write
    # guard, so another process cannot append in between (a plain check stays a read).
    begin_write(session)
    head = audit.chain_head(session)
    if head is None or stamp.utc >= head.at:
        return None
    event = audit.note_clock_backwards(session, head, stamp)
    stmt = select(SigningHold).where(col(SigningHold.audit_seq) == event.seq)
    return session.exec(stmt).first()


def hold_for_integrity(session: Session, *, clock: Clock, problems: Sequence[str]) -> SigningHold | None:
    """Record that the integrity check failed (event + hold), once per distinct set of problems."""
    if not problems:
        return None
    listed = list(problems[:50])
    for hold in open_holds(session):
        if hold.kind == HOLD_INTEGRITY and hold.details.get("problems") == listed:
            return hold
    event = audit.record_event(
        session, actor=SYSTEM, action="integrity.failed", entity="database", entity_id="yard.db", clock=clock,
        new={"problems": listed, "count": len(problems)}, reason="the integrity check found problems",
        source="system",
    )
    hold = SigningHold(kind=HOLD_INTEGRITY, detected_at=event.at, detected_offset=event.offset_minutes,
                       details={"problems": listed, "count": len(problems)}, audit_seq=event.seq)
    session.add(hold)
    session.flush()
    return hold


def _reached(hold: SigningHold) -> datetime:
    """The time the trail had reached before the clock went back (a clock-backwards hold's details)."""
    try:
        return datetime.fromisoformat(str(hold.details.get("last_event_at"))).astimezone(UTC)
    except ValueError:
        return hold.detected_at


def describe(hold: SigningHold, *, findings: Iterable[Worded] = ()) -> Notice:
    """What the hold is about, for a person (``.words(lang)``).

    An integrity hold stores the English words of its findings; when the ``findings`` of the check that
    opened it are at hand (the check at the start), the first is quoted in the reader's language, else as
    stored.
    """
    if hold.kind == HOLD_CLOCK:
        details, offset = hold.details, hold.detected_offset
        return Notice("hold.clock_backwards", clock=formats.stored_moment(details.get("clock_now"), offset),
                      last=formats.stored_moment(details.get("last_event_at"), offset),
                      seq=str(details.get("last_event_seq")))
    problems = [str(p) for p in hold.details.get("problems") or []]
    count = hold.details.get("count", len(problems))
    if not problems:
        return Notice("hold.integrity_unlisted", count=count)
    first: object = problems[0]
    for finding in findings:
        if finding.message == problems[0]:
            first = finding
            break
    return Notice("hold.integrity", count=count, first=first)


def require_signing_allowed(session: Session, *, clock: Clock) -> None:
    """Refuse to sign while the clock is behind the audit trail or a hold is not acknowledged."""
    head = audit.chain_head(session)
    stamp = clock.now()
    if head is not None and stamp.utc < head.at:
        raise ConflictError("signing.clock_behind", clock=formats.Moment(stamp.utc, stamp.offset_minutes),
                            last=formats.Moment(head.at, stamp.offset_minutes))
    holds = open_holds(session)
    if holds:
        raise ConflictError("signing.on_hold", hold=describe(holds[0]))


def acknowledge_hold(session: Session, *, actor: Actor, clock: Clock, hold_id: int, note: str) -> SigningHold:
    """A supervisor acknowledges a hold after reviewing it (audited, with their note)."""
    require_role(actor, [Role.SUPERVISOR], action="acknowledge a signing hold")
    if actor.user_id == SYSTEM.user_id:
        raise UserError("hold.named_supervisor", field="actor")
    text = (note or "").strip()
    if not text:
        raise UserError("hold.note_required", field="note")
    hold = session.get(SigningHold, hold_id)
    if hold is None:
        raise UserError("hold.not_found", field="hold_id", hold_id=hold_id)
    if hold.acknowledged_by is not None:
        raise ConflictError("hold.already_acknowledged", field="hold_id", hold_id=hold_id,
                            user=hold.acknowledged_by)
    stamp = clock.now()
    if hold.kind == HOLD_CLOCK and stamp.utc < _reached(hold):
        raise ConflictError("hold.clock_still_behind",
                            reached=formats.Moment(_reached(hold), stamp.offset_minutes))
    event = audit.record_event(
        session, actor=actor, action="signing_hold.acknowledge", entity="signing_hold", entity_id=hold_id,
        clock=clock, old={"kind": hold.kind, "details": hold.details}, new={"acknowledged_by": actor.user_id},
        reason=text,
    )
    hold.acknowledged_by = actor.user_id
    hold.acknowledged_at = event.at
    hold.acknowledgement = text[:1000]
    session.add(hold)
    session.flush()
    return hold
