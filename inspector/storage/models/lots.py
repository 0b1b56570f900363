"""Lots of classified loads, their membership (whole loads or mass shares of a split load), supervisors'
signed approvals, decisions on held loads and the offline approval packets exported for a lot.

Every table here is a business row (row hash + audit sequence): a membership share or an approval edited
with an SQLite tool no longer matches its audit event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from inspector.states import LotState
from inspector.storage.models.core import AuditedRow
from inspector.storage.types import JSONText, UTCDateTime


class Lot(AuditedRow, table=True):
    """Finally classified, accepted loads of one category and one supplier (or contract)."""

    __table_args__ = (UniqueConstraint("lot_year", "lot_seq"), Index("ix_lot_state", "state"))

    id: int | None = Field(default=None, primary_key=True)
    lot_no: str = Field(max_length=16, unique=True)
    lot_year: int
    lot_seq: int
    category: str = Field(max_length=20)
    supplier_id: int = Field(foreign_key="supplier.id", index=True)
    contract: str = Field(default="", max_length=60)
    # The rule set the lot's grade is judged under (that of its loads' classifications).
    ruleset_id: str = Field(max_length=40)
    ruleset_version: str = Field(max_length=20)
    state: str = Field(default=LotState.DRAFT.value, max_length=12)
    state_reason: str | None = Field(default=None, max_length=1000)
    split_from_id: int | None = Field(default=None, foreign_key="lot.id")
    merged_into_id: int | None = Field(default=None, foreign_key="lot.id")
    note: str = Field(default="", max_length=1000)
    created_by: str = Field(max_length=60)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_offset: int = 0
    submitted_by: str | None = Field(default=None, max_length=60)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_offset: int | None = None


class LotLoad(AuditedRow, table=True):
    """A load (or, for a split load, a share of its net mass in whole scale units) belonging to a lot."""

    __tablename__ = "lot_load"
    __table_args__ = (UniqueConstraint("lot_id", "load_id"),)

    id: int | None = Field(default=None, primary_key=True)
    lot_id: int = Field(foreign_key="lot.id", index=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    share: int  # net mass in the load's weight unit; the whole net unless the load was split
    added_by: str = Field(max_length=60)
    added_at: datetime = Field(sa_type=UTCDateTime)
    added_offset: int = 0


class Approval(AuditedRow, table=True):
    """A supervisor's signed decision on one exact version of a lot (on the yard PC or from a packet)."""

    __table_args__ = (Index("ix_approval_lot", "lot_id"),)

    id: int | None = Field(default=None, primary_key=True)
    lot_id: int = Field(foreign_key="lot.id")
    lot_no: str = Field(max_length=16)
    version_hash: str = Field(max_length=64)
    decision: str = Field(max_length=10)  # approve, reject
    meaning: str = Field(max_length=500)
    printed_name: str = Field(max_length=100)
    user_id: str = Field(max_length=60)
    signed_at: datetime = Field(sa_type=UTCDateTime)
    signed_offset: int = 0
    # Exactly the JSON object that was signed (canonical form re-derived for verification).
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    signature: str = Field(sa_column=Column(Text, nullable=False))  # base64
    certificate_pem: str = Field(sa_column=Column(Text, nullable=False))
    chain_pem: str = Field(default="", sa_column=Column(Text, nullable=False))
    key_fingerprint: str = Field(max_length=64)
    channel: str = Field(default="yard", max_length=10)  # yard, packet
    packet_id: str | None = Field(default=None, max_length=40)
    voided: bool = False
    void_reason: str | None = Field(default=None, max_length=1000)
    voided_by: str | None = Field(default=None, max_length=60)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_offset: int | None = None


class HeldLoadDecision(AuditedRow, table=True):
    """A supervisor's decision on a load classified HOLD: release it (with a comment) or reject it."""

    __tablename__ = "held_load_decision"

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    decision: str = Field(max_length=10)  # release, reject
    comment: str = Field(max_length=1000)
    decided_by: str = Field(max_length=60)
    decided_at: datetime = Field(sa_type=UTCDateTime)
    decided_offset: int = 0
    # The classification record (its seq for the load) the decision was made on: a later classification
    # is a new finding and needs a new decision.
    classification_seq: int | None = None


class LotPacket(AuditedRow, table=True):
    """An approval packet exported for a lot: what version it carried, and whether a decision came back."""

    __tablename__ = "lot_packet"

    id: int | None = Field(default=None, primary_key=True)
    packet_id: str = Field(max_length=40, unique=True)
    lot_id: int = Field(foreign_key="lot.id", index=True)
    version_hash: str = Field(max_length=64)
    content_sha256: str = Field(max_length=64)
    chain_seq: int
    chain_hash: str = Field(max_length=64)
    exported_by: str = Field(max_length=60)
    exported_at: datetime = Field(sa_type=UTCDateTime)
    exported_offset: int = 0
    status: str = Field(default="open", max_length=12)  # open, decided
    approval_id: int | None = Field(default=None, foreign_key="approval.id")
