"""What a supervisor's laptop shows of its own small database: the packets it already decided.

A laptop keeps no yard database; ``lots decide`` (and the laptop desk) note every decision they sign in
the laptop's own audit trail (``lot.decide_offline.<decision>``). This reads them back, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from inspector.lots import packets
from inspector.storage.models.audit import AuditEvent

DECIDED_ACTION_PREFIX = "lot.decide_offline."


@dataclass(frozen=True)
class LaptopDecision:
    """A decision signed on this laptop."""

    packet_id: str
    lot_no: str
    decision: str
    meaning: str
    printed_name: str
    signed_at: datetime
    offset_minutes: int
    version_hash: str


def decided_packets(session: Session, *, limit: int = 500) -> list[LaptopDecision]:
    """The decisions this laptop signed, newest first."""
    stmt = (select(AuditEvent).where(col(AuditEvent.action).startswith(DECIDED_ACTION_PREFIX))
            .order_by(col(AuditEvent.seq).desc()).limit(limit))
    result = []
    for event in session.execute(stmt).scalars():
        payload = event.new if isinstance(event.new, dict) else {}
        decision = str(payload.get("decision") or event.action.removeprefix(DECIDED_ACTION_PREFIX))
        try:
            signed_at = packets.parse_time(payload.get("signed_at"), what="decision")
        except packets.PacketRefusedError:
            signed_at = event.at
        result.append(LaptopDecision(
            packet_id=event.entity_id, lot_no=str(payload.get("lot_no") or ""), decision=decision,
            meaning=str(payload.get("meaning") or event.reason or ""),
            printed_name=str(payload.get("printed_name") or event.actor),
            signed_at=signed_at, offset_minutes=int(payload.get("offset_minutes") or event.offset_minutes),
            version_hash=str(payload.get("lot_version_hash") or "")))
    return result
