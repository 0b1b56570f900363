"""The register's rows of issued certificates: which are in force for a lot, and voiding one.

Below both the lot's life cycle (``services.lots``, which voids the certificates of a certified lot that
has to change) and the certificate service (which voids one on a supervisor's request): neither imports
the other, and only ``services.lots`` moves a lot's state.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from inspector.clock import Clock
from inspector.security.actor import Actor
from inspector.security.audit import record_change, row_content
from inspector.states import CertificateStatus
from inspector.storage.models.certificates import Certificate


def certificates_of_lot(session: Session, lot_id: int) -> list[Certificate]:
    stmt = select(Certificate).where(col(Certificate.lot_id) == lot_id).order_by(col(Certificate.id))
    return list(session.exec(stmt).all())


def in_force_for_lot(session: Session, lot_id: int) -> list[Certificate]:
    rows = certificates_of_lot(session, lot_id)
    return [row for row in rows if row.status == CertificateStatus.ISSUED.value]


def void_row(session: Session, row: Certificate, *, actor: Actor, clock: Clock, reason: str) -> None:
    """Mark one revision void with who, when and why, and record the event. The file stays (it still
    verifies as a file); the register reports it VOID. The caller checked the role and the reason."""
    old = row_content(row)
    stamp = clock.now()
    row.status = CertificateStatus.VOID.value
    row.void_reason = reason[:1000]
    row.voided_by = actor.user_id
    row.voided_at = stamp.utc
    row.voided_offset = stamp.offset_minutes
    record_change(session, row, actor=actor, action="certificate.void", clock=clock, old=old, reason=reason)
