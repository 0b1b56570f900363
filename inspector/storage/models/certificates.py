"""The certificate register: every revision of every certificate issued here, voided or in force.

A certificate is never edited: a correction voids the revision (with a reason) and a new revision with the
same number replaces it (``replaces_id``). The row keeps the canonical content the signed PDF and its QR
refer to (``content``, ``content_sha256``) and the signed QR text, so a paper copy can be rendered again
without the signer's key, and the register can say whether a presented file is the one it issued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from inspector.states import CertificateStatus
from inspector.storage.models import lots as _lots  # noqa: F401  (the lot and approval tables it names)
from inspector.storage.models.core import AuditedRow
from inspector.storage.types import JSONText, UTCDateTime


class Certificate(AuditedRow, table=True):
    """One revision of a certificate (``2026-000123 rev 2``)."""

    __table_args__ = (
        UniqueConstraint("number", "revision"),
        Index("ix_certificate_lot", "lot_id"),
        Index("ix_certificate_status", "status"),
        Index("ix_certificate_issued_at", "issued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=11)  # 2026-000123
    year: int
    seq: int
    revision: int = 1
    lot_id: int = Field(foreign_key="lot.id")
    lot_no: str = Field(max_length=16)
    supplier_id: int = Field(foreign_key="supplier.id", index=True)
    supplier_name: str = Field(max_length=200)
    category: str = Field(max_length=20)
    grade: str = Field(max_length=4)
    net_mass_kg: str = Field(max_length=30)  # decimal string, as printed
    approval_id: int = Field(foreign_key="approval.id")
    status: str = Field(default=CertificateStatus.ISSUED.value, max_length=8)
    void_reason: str | None = Field(default=None, max_length=1000)
    voided_by: str | None = Field(default=None, max_length=60)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_offset: int | None = None
    replaces_id: int | None = Field(default=None, foreign_key="certificate.id")
    content_sha256: str = Field(max_length=64)
    # The canonical content (CertificateData.content()) and the signed QR text of this revision.
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    qr_text: str = Field(sa_column=Column(Text, nullable=False))
    file_name: str = Field(max_length=120)  # under <data dir>/certificates
    file_sha256: str = Field(max_length=64)
    issued_by: str = Field(max_length=60)
    issued_at: datetime = Field(sa_type=UTCDateTime)
    issued_offset: int = 0
    signer_user: str = Field(max_length=60)
    signer_fingerprint: str = Field(max_length=64)
    print_count: int = 0

    @property
    def reference(self) -> str:
        return f"{self.number} rev {self.revision}"


class CertificatePrint(AuditedRow, table=True):
    """One print job of a certificate: who printed how many sheets, and whether they were marked COPY."""

    __tablename__ = "certificate_print"

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(foreign_key="certificate.id", index=True)
    copies: int = 1
    marked_copy: bool = True
    kind: str = Field(default="paper", max_length=10)  # paper, pdf
    printed_by: str = Field(max_length=60)
    printed_at: datetime = Field(sa_type=UTCDateTime)
    printed_offset: int = 0
