"""Signing holds: the system clock running backwards, or a failed integrity check, blocks signing until a
supervisor has acknowledged it.

A clock earlier than the last audit event is how back-dating is done on a PC. ``record_event`` notices it at
every write (it appends a ``clock.backwards`` event and opens a hold); ``check_clock`` notices it without a
write, for the start of the application and the sign-in. Call ``check_clock`` and ``hold_for_integrity`` in
their own transaction (they only record); ``require_signing_allowed`` only reads, so a refused signature
does not roll back the record of why it was refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from inspector.clock import Clock
from inspector.errors import ConflictError, UserError
from inspector.security import audit
from inspector.security.actor import SYSTEM, Actor, Role, require_role
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


def describe(hold: SigningHold) -> str:
    if hold.kind == HOLD_CLOCK:
        return (f"The system clock read {hold.details.get('clock_now')}, earlier than the last audit event "
                f"({hold.details.get('last_event_at')}, event {hold.details.get('last_event_seq')}).")
    problems = hold.details.get("problems") or []
    first = problems[0] if problems else "problems were found"
    return f"The integrity check failed ({hold.details.get('count', len(problems))} problem(s)): {first}"


def require_signing_allowed(session: Session, *, clock: Clock) -> None:
    """Refuse to sign while the clock is behind the audit trail or a hold is not acknowledged."""
    head = audit.chain_head(session)
    now = clock.now().utc
    if head is not None and now < head.at:
        raise ConflictError(
            f"Signing is blocked: the system clock ({now:%Y-%m-%d %H:%M} UTC) is earlier than the last audit "
            f"event ({head.at:%Y-%m-%d %H:%M} UTC).",
            hint="Correct the PC's clock; a supervisor must then acknowledge the clock warning.",
        )
    holds = open_holds(session)
    if holds:
        raise ConflictError(
            f"Signing is blocked until a supervisor reviews this: {describe(holds[0])}",
            hint="A supervisor can acknowledge it under Administration → Audit trail.",
        )


def acknowledge_hold(session: Session, *, actor: Actor, clock: Clock, hold_id: int, note: str) -> SigningHold:
    """A supervisor acknowledges a hold after reviewing it (audited, with their note)."""
    require_role(actor, [Role.SUPERVISOR], action="acknowledge a signing hold")
    if actor.user_id == SYSTEM.user_id:
        raise UserError("A named supervisor must acknowledge a signing hold.", field="actor")
    text = (note or "").strip()
    if not text:
        raise UserError("Say what was reviewed and why signing may resume.", field="note")
    hold = session.get(SigningHold, hold_id)
    if hold is None:
        raise UserError(f"There is no signing hold {hold_id}.", field="hold_id")
    if hold.acknowledged_by is not None:
        raise ConflictError(f"Signing hold {hold_id} was already acknowledged by {hold.acknowledged_by}.")
    now = clock.now().utc
    if hold.kind == HOLD_CLOCK and now < _reached(hold):
        reached = f"{_reached(hold):%Y-%m-%d %H:%M}"
        raise ConflictError(
            f"The clock is still earlier than the time the audit trail had reached ({reached} UTC).",
            hint="Correct the PC's clock first.",
        )
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
