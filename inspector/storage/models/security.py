"""Users and their roles, login attempts, the signing-key registry, checkpoints and signing holds.

``UserAccount`` and ``SigningKey`` are business rows (row hash + audit sequence), so a role granted or a
revocation undone with an SQLite tool is caught by ``check``. Password hashes and lock counters live in
``UserCredential``: they change at every login attempt and must never be copied into the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from inspector.storage.models.core import AuditedRow
from inspector.storage.types import JSONText, UTCDateTime


class UserAccount(AuditedRow, table=True):
    """A person who signs in: unique user id, name, roles (several allowed), active flag."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True)
    display_name: str = Field(max_length=100)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSONText, nullable=False))
    active: bool = True
    must_change_password: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_offset: int = 0


class UserCredential(SQLModel, table=True):
    """The Argon2id PHC string of a user's password and the lockout counter (never audited verbatim)."""

    __tablename__ = "user_credential"

    user_id: int = Field(primary_key=True, foreign_key="user_account.id")
    password_hash: str = Field(max_length=200)
    password_set_at: datetime = Field(sa_type=UTCDateTime)
    failed_count: int = 0
    last_failure_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginAttempt(SQLModel, table=True):
    """Every sign-in or signature re-prompt, for the supervisors' list of failures (the audit has it too)."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    offset_minutes: int = 0
    success: bool = False
    outcome: str = Field(max_length=30)
    purpose: str = Field(default="login", max_length=20)
    audit_seq: int | None = None
    reviewed_by: str | None = Field(default=None, max_length=60)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SigningKey(AuditedRow, table=True):
    """A certificate the yard knows: its own CA, or a supervisor's personal key (issued or imported).

    The private key is in a passphrase-protected PKCS#12 file under the data directory's ``keys`` folder;
    ``path`` is relative to that folder. Passphrases are never stored anywhere.
    """

    __tablename__ = "signing_key"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # "ca" or "personal"
    username: str | None = Field(default=None, max_length=60, index=True)
    subject: str = Field(max_length=300)
    issuer: str = Field(max_length=300)
    origin: str = Field(max_length=10)  # "yard-ca" (issued here) or "external" (imported)
    serial: str = Field(max_length=64)
    fingerprint: str = Field(max_length=64, unique=True)
    key_type: str = Field(max_length=20)
    not_before: datetime = Field(sa_type=UTCDateTime)
    not_after: datetime = Field(sa_type=UTCDateTime)
    path: str = Field(max_length=300)
    certificate_pem: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="active", max_length=12)  # active, superseded, revoked
    status_reason: str | None = Field(default=None, max_length=500)
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CheckpointRecord(SQLModel, table=True):
    """Index of the signed chain-head checkpoints written as files outside the database."""

    __tablename__ = "checkpoint_record"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(index=True)
    head_hash: str = Field(max_length=64)
    at: datetime = Field(sa_type=UTCDateTime)
    offset_minutes: int = 0
    signer: str = Field(max_length=60)
    key_fingerprint: str = Field(max_length=64)
    purpose: str = Field(max_length=40)
    reference: str = Field(default="", max_length=100)
    file_name: str = Field(max_length=200, unique=True)


class SigningHold(SQLModel, table=True):
    """Something that blocks signing until a supervisor acknowledges it: the clock running backwards,
    or a failed integrity check."""

    __tablename__ = "signing_hold"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)  # "clock_backwards" or "integrity"
    detected_at: datetime = Field(sa_type=UTCDateTime)
    detected_offset: int = 0
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    audit_seq: int | None = None
    acknowledged_by: str | None = Field(default=None, max_length=60)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledgement: str | None = Field(default=None, max_length=1000)
