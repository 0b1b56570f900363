"""Tables of the weighing area: every weighing of a load (with its raw indicator frame) and stored tares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from inspector.states import TareMethod, TareSubject, WeighingKind, WeightSource  # noqa: F401  (defined once, in the core)
from inspector.storage.models.core import AuditedRow
from inspector.storage.types import UTCDateTime


class Weighing(AuditedRow, table=True):
    """One weight recorded for a load: from the indicator (with the raw frame) or manual (reason + co-sign).

    A load may be weighed more than once (a re-weigh replaces the figure on the load); every weighing stays.
    """

    __tablename__ = "weighing"
    __table_args__ = (Index("ix_weighing_load_kind", "load_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id")
    kind: str = Field(max_length=8)
    weight: int
    unit: str = Field(max_length=4)
    scale_id: str = Field(default="", max_length=40)
    source: str = Field(max_length=10)
    manual_reason: str | None = Field(default=None, max_length=500)
    confirmed_by: str | None = Field(default=None, max_length=60)
    raw_frame_hex: str | None = Field(default=None, max_length=200)
    stability_method: str | None = Field(default=None, max_length=10)
    tare_method: str | None = Field(default=None, max_length=10)
    stored_tare_id: int | None = Field(default=None, foreign_key="stored_tare.id")
    replaces_id: int | None = Field(default=None, foreign_key="weighing.id")
    captured_at: datetime = Field(sa_type=UTCDateTime)
    captured_offset: int = 0
    captured_by: str = Field(max_length=60)


class StoredTare(AuditedRow, table=True):
    """A tare kept for a vehicle, trailer or container; the newest row per subject is the one in force."""

    __tablename__ = "stored_tare"
    __table_args__ = (Index("ix_stored_tare_subject", "subject_kind", "subject_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    subject_kind: str = Field(max_length=10)
    subject_ref: str = Field(max_length=40)
    weight: int
    unit: str = Field(max_length=4)
    method: str = Field(max_length=10)
    # The tare weighing it was taken from (no foreign key: weighing already points here, and a cycle of
    # foreign keys cannot be ordered for creation or deletion).
    source_weighing_id: int | None = Field(default=None)
    manual_reason: str | None = Field(default=None, max_length=500)
    confirmed_by: str | None = Field(default=None, max_length=60)
    set_at: datetime = Field(sa_type=UTCDateTime)
    set_offset: int = 0
    expires_at: datetime = Field(sa_type=UTCDateTime)
    set_by: str = Field(max_length=60)
