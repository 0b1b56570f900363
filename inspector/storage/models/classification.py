"""Tables of the classification area: the judged results of each load, and the rule sets used so far.

A classification record is never changed or removed (the database refuses it): a re-classification adds
a record with the next ``seq`` for the load. Each record keeps the rule set's id, version and content hash,
the input it judged and everything the engine said, so it can be shown and re-checked years later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspector.storage.models.core import AuditedRow
from inspector.storage.types import JSONText, UTCDateTime


class ClassificationRecord(AuditedRow, table=True):
    """One classification of one load at one stage under one rule set."""

    __tablename__ = "classification"
    __table_args__ = (UniqueConstraint("load_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    seq: int
    stage: str = Field(max_length=12)
    ruleset_id: str = Field(max_length=40)
    ruleset_version: str = Field(max_length=20)
    ruleset_sha256: str = Field(max_length=64)
    ruleset_status: str = Field(max_length=12)
    category: str = Field(max_length=20)
    outcome: str = Field(max_length=12)
    grade: str | None = Field(default=None, max_length=2)
    status: str = Field(max_length=12)
    findings: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONText, nullable=False))
    missing: list[str] = Field(default_factory=list, sa_column=Column(JSONText, nullable=False))
    derived: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    # The input as judged: attribute values (decimal strings) and the permit codes in force.
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    permit_codes: list[str] = Field(default_factory=list, sa_column=Column(JSONText, nullable=False))
    classified_by: str = Field(max_length=60)
    classified_at: datetime = Field(sa_type=UTCDateTime)
    classified_offset: int = 0


class PublishedRuleSet(SQLModel, table=True):
    """The content hash of every rule set version this yard has used: a version never changes."""

    __tablename__ = "ruleset_published"
    __table_args__ = (UniqueConstraint("ruleset_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    ruleset_id: str = Field(max_length=40)
    version: str = Field(max_length=20)
    sha256: str = Field(max_length=64)
    status: str = Field(max_length=12)
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    first_seen_offset: int = 0
