"""The record of a cancelled load: why, by whom and who confirmed it.

A cancelled load keeps its ticket number, its weighings and its events; its state says it is cancelled, and
this row says why (the kind, as the catalogue words it, and the person's own words). A cancellation is never
changed or undone (the migration guards the table on SQLite). Amendments need no table of their own: each is
the load's audited change (``load.amend``), whose event keeps the earlier content.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from inspector.storage.models.core import AuditedRow
from inspector.storage.types import UTCDateTime


class LoadCancellation(AuditedRow, table=True):
    """Why one load was cancelled (at most one per load)."""

    __tablename__ = "load_cancellation"

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id", unique=True)
    kind: str = Field(max_length=20)  # turned_away, duplicate, entered_by_mistake
    reason: str = Field(max_length=1000)
    state_before: str = Field(max_length=20)
    cancelled_by: str = Field(max_length=60)
    confirmed_by: str | None = Field(default=None, max_length=60)
    cancelled_at: datetime = Field(sa_type=UTCDateTime)
    cancelled_offset: int = 0
