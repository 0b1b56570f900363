"""The yard, its scales and settings, suppliers, vehicles and loads (the weighbridge tickets)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspector.states import LoadState
from inspector.storage.types import JSONText, UTCDateTime


class AuditedRow(SQLModel):
    """Columns every business row carries: the hash of its content and the audit event that last wrote it."""

    row_hash: str | None = Field(default=None, max_length=64)
    audit_seq: int | None = Field(default=None)


class Yard(AuditedRow, table=True):
    """The legal entity operating this station (one row)."""

    id: int | None = Field(default=None, primary_key=True)
    legal_name: str = Field(max_length=200)
    legal_name_en: str = Field(default="", max_length=200)
    uscc: str = Field(default="", max_length=18)
    address: str = Field(default="", max_length=300)
    permit_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSONText, nullable=False))
    hw_permit_codes: list[str] = Field(default_factory=list, sa_column=Column(JSONText, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_offset: int = 0


class Scale(AuditedRow, table=True):
    """A weighbridge and its indicator link."""

    id: int | None = Field(default=None, primary_key=True)
    scale_id: str = Field(max_length=40, unique=True)
    name: str = Field(default="", max_length=100)
    profile: str = Field(default="generic-st-gs", max_length=40)
    port: str = Field(default="", max_length=200)
    baud: int = 9600
    bytesize: int = 8
    parity: str = Field(default="N", max_length=1)
    stopbits: int = 1
    division: int = 10
    capacity: int = 80000
    unit: str = Field(default="kg", max_length=4)


class Setting(SQLModel, table=True):
    """A yard setting by key (JSON value), e.g. the rule set in force or the idle-lock time."""

    key: str = Field(primary_key=True, max_length=80)
    value: Any = Field(default=None, sa_column=Column(JSONText))


class NumberSeries(SQLModel, table=True):
    """The last number issued in a gapless series per year (tickets, certificates)."""

    __table_args__ = (UniqueConstraint("series", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    series: str = Field(max_length=40)
    year: int
    last: int = 0


class Supplier(AuditedRow, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    uscc: str = Field(max_length=18, unique=True)
    contact: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_offset: int = 0


class Vehicle(AuditedRow, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plate: str = Field(max_length=20, unique=True)
    kind: str = Field(default="truck", max_length=20)
    supplier_id: int | None = Field(default=None, foreign_key="supplier.id")
    notes: str = Field(default="", max_length=300)


class Load(AuditedRow, table=True):
    """One truck's visit: the weighbridge ticket and the facts gathered at intake, the gate and the lab."""

    __table_args__ = (
        UniqueConstraint("ticket_year", "ticket_seq"),
        Index("ix_load_arrived_at", "arrived_at"),
        # The register sorts by state (pages keyed on state, id) and filters a state paged by arrival time.
        Index("ix_load_state", "state"),
        Index("ix_load_state_arrived_at", "state", "arrived_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_no: str = Field(max_length=16, unique=True)
    ticket_year: int
    ticket_seq: int
    state: str = Field(default=LoadState.ARRIVED.value, max_length=20)
    vehicle_id: int | None = Field(default=None, foreign_key="vehicle.id")
    plate: str = Field(max_length=20, index=True)
    driver: str = Field(default="", max_length=100)
    supplier_id: int = Field(foreign_key="supplier.id", index=True)
    generating_enterprise: str = Field(default="", max_length=200)
    declared_category: str = Field(default="", max_length=20)
    assigned_category: str | None = Field(default=None, max_length=20)
    arrived_at: datetime = Field(sa_type=UTCDateTime)
    arrived_offset: int = 0
    departed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    departed_offset: int | None = None
    # Weights in whole scale units as printed by the indicator; the weighings hold the raw frames.
    weight_unit: str = Field(default="kg", max_length=4)
    gross: int | None = None
    tare: int | None = None
    net: int | None = None
    manual_weight: bool = False
    # Attribute values by key (decimal strings, booleans, text) as entered at intake, gate and lab.
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    # The latest classification, copied here for the register; the history is in the classification table.
    outcome: str | None = Field(default=None, max_length=12)
    grade: str | None = Field(default=None, max_length=2)
    classification_status: str | None = Field(default=None, max_length=12)
    created_by: str = Field(default="", max_length=60)
