"""Tables of the intake workflow: submitted steps, each load's progress, drafts, samples, photos, lab reports.

Submitted steps, samples, photos and lab reports are business rows (row hash + audit sequence). A draft is
scratch: one small row per load (or per arrival not yet submitted), rewritten as the inspector types, so
that a crash or a power cut loses nothing; it is not audited (the trail records what was submitted).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspector.storage.models.core import AuditedRow
from inspector.storage.types import JSONText, UTCDateTime


class IntakeStepRecord(AuditedRow, table=True):
    """One submission of one intake step for a load, with the values as accepted and the alerts raised."""

    __tablename__ = "intake_step"
    __table_args__ = (UniqueConstraint("load_id", "step", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    step: str = Field(max_length=20)
    seq: int = 1
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    alerts: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONText, nullable=False))
    submitted_by: str = Field(max_length=60)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    submitted_offset: int = 0


class IntakeProgress(SQLModel, table=True):
    """Where a load stands in the intake flow: the next step to do (None when the flow is done)."""

    __tablename__ = "intake_progress"
    __table_args__ = (Index("ix_intake_progress_next_step", "next_step"),)

    load_id: int = Field(foreign_key="load.id", primary_key=True)
    next_step: str | None = Field(default=None, max_length=20)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_offset: int = 0


class IntakeDraft(SQLModel, table=True):
    """What was typed into one step and not yet submitted, keyed by load (or by a new arrival's token)."""

    __tablename__ = "intake_draft"

    id: int | None = Field(default=None, primary_key=True)
    draft_key: str = Field(max_length=80, unique=True)
    load_id: int | None = Field(default=None, foreign_key="load.id", index=True)
    step: str = Field(max_length=20)
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    user_id: str = Field(default="", max_length=60)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_offset: int = 0


class LoadSample(AuditedRow, table=True):
    """The sampling of a load: plan, increments, composite, the sealed splits and how long the yard keeps
    its own split."""

    __tablename__ = "load_sample"

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    plan: str = Field(max_length=20)
    increments: int
    composite: bool = True
    seal_yard: str = Field(max_length=20)
    seal_supplier: str = Field(max_length=20)
    seal_arbitration: str = Field(max_length=20)
    retain_until: datetime = Field(sa_type=UTCDateTime)
    taken_by: str = Field(max_length=60)
    taken_at: datetime = Field(sa_type=UTCDateTime)
    taken_offset: int = 0


class LoadPhoto(AuditedRow, table=True):
    """A photo of a load, stored under the data directory by the SHA-256 of its content."""

    __tablename__ = "load_photo"
    __table_args__ = (UniqueConstraint("load_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    step: str = Field(max_length=20)
    sha256: str = Field(max_length=64, index=True)
    size: int
    suffix: str = Field(default="", max_length=10)
    original_name: str = Field(default="", max_length=260)
    added_by: str = Field(max_length=60)
    added_at: datetime = Field(sa_type=UTCDateTime)
    added_offset: int = 0


class LoadPhotoStamp(AuditedRow, table=True):
    """The stamped copy of a capture photo (ticket, plate, weight and time written into its corner), stored
    under the data directory by its own SHA-256 beside the original the ``LoadPhoto`` row keeps."""

    __tablename__ = "load_photo_stamp"

    id: int | None = Field(default=None, primary_key=True)
    photo_id: int = Field(foreign_key="load_photo.id", unique=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    sha256: str = Field(max_length=64)
    size: int
    suffix: str = Field(default="", max_length=10)
    text: str = Field(default="", max_length=300)  # the lines written, one per line
    stamped_at: datetime = Field(sa_type=UTCDateTime)
    stamped_offset: int = 0


class LabReport(AuditedRow, table=True):
    """Assay results for a load as entered from a lab's report; a later report adds a row."""

    __tablename__ = "lab_report"
    __table_args__ = (UniqueConstraint("load_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(foreign_key="load.id", index=True)
    seq: int
    lab: str = Field(max_length=200)
    report_number: str = Field(max_length=60)
    method: str = Field(max_length=200)
    basis: str = Field(max_length=40)
    # Lab-stage attribute values as decimal strings and choices (the rule set's keys).
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    classification_seq: int | None = None
    entered_by: str = Field(max_length=60)
    entered_at: datetime = Field(sa_type=UTCDateTime)
    entered_offset: int = 0
