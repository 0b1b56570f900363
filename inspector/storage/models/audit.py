"""The append-only audit trail: one row per change, chained by SHA-256 over canonical JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from inspector.storage.types import JSONText, UTCDateTime


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(sa_type=UTCDateTime)
    offset_minutes: int
    actor: str = Field(max_length=60, index=True)
    role: str = Field(max_length=20)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=40, index=True)
    entity_id: str = Field(max_length=60)
    old: Any = Field(default=None, sa_column=Column(JSONText))
    new: Any = Field(default=None, sa_column=Column(JSONText))
    reason: str | None = Field(default=None, max_length=1000)
    source: str = Field(default="app", max_length=20)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
