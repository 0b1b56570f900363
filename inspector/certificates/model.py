"""What a certificate says (DOMAIN.md §8), as plain values, and the hash of that content.

The register, the QR payload and the signed PDF all refer to one certificate through ``content_hash()``:
SHA-256 over a canonical JSON of every field except the "COPY" flag (a reprint is the same certificate).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date
from decimal import Decimal
from typing import Any

from inspector.clock import Stamp
from inspector.errors import UserError
from inspector.messages import Term, formats

NUMBER_PATTERN = re.compile(r"^(\d{4})-(\d{6})$")
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")
PROVISIONAL = "provisional"
# Bump when the canonical form below changes: old hashes then stay checkable by the old rules.
CONTENT_FORMAT = 1
# The words of the three masses a certificate states (``words.certificate_mass.<field>``).
MASS_WORDS = "certificate_mass"


@dataclass(frozen=True)
class Bilingual:
    """One text in Chinese and English; a certificate prints both."""

    zh: str
    en: str

    def __post_init__(self) -> None:
        if not self.zh.strip() or not self.en.strip():
            raise UserError("certificate.text_missing", field="text", zh=self.zh, en=self.en)


@dataclass(frozen=True)
class Issuer:
    """The yard's legal entity and the permits it operates under."""

    legal_name: Bilingual
    permit_numbers: tuple[str, ...]
    address: Bilingual | None = None


@dataclass(frozen=True)
class Supplier:
    name: str
    uscc: str  # unified social credit code, 18 characters


@dataclass(frozen=True)
class RuleSetRef:
    """The standard the lot was judged under and the rule set (id, version, status) that encodes it."""

    standard_reference: Bilingual
    rule_set_id: str
    version: str
    status: str

    @property
    def provisional(self) -> bool:
        return self.status == PROVISIONAL

    @property
    def label(self) -> str:
        return f"{self.rule_set_id} {self.version}"


@dataclass(frozen=True)
class AssayLine:
    """One analyte of the lab summary, e.g. TREO 27.4 % (dry oxide basis)."""

    analyte: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class Signatory:
    """Who signed a step: printed name, role, when (UTC and local offset), what the signature means."""

    printed_name: str
    role: Bilingual
    at: Stamp
    meaning: Bilingual

    def __post_init__(self) -> None:
        if not self.printed_name.strip():
            raise UserError("certificate.signatory_name_missing", field="printed_name")
        if self.at.utc.tzinfo is None:
            raise UserError("certificate.signature_time_naive", field="at")


@dataclass(frozen=True)
class ChainHead:
    """The audit trail's head when the certificate was issued: printed so customers hold the chain state."""

    seq: int
    hash: str

    def __post_init__(self) -> None:
        if self.seq < 1 or not HASH_PATTERN.match(self.hash):
            raise UserError("certificate.chain_head_invalid", field="chain_head", seq=self.seq,
                            hash=self.hash)


@dataclass(frozen=True)
class CertificateData:
    """Everything one certificate revision holds. Never edited: a change is a void plus a new revision."""

    number: str
    revision: int
    issue_date: date
    issuer: Issuer
    supplier: Supplier
    lot_number: str
    tickets: tuple[str, ...]
    category_code: str
    category_name: Bilingual
    grade: str
    rule_set: RuleSetRef
    net_mass_kg: Decimal
    dry_mass_kg: Decimal
    contained_reo_kg: Decimal
    assay: tuple[AssayLine, ...]
    assay_basis: Bilingual
    lab_name: str
    lab_report_number: str
    radiation_statement: Bilingual
    hazardous_waste_status: Bilingual
    inspected_by: Signatory
    approved_by: Signatory
    chain_head: ChainHead
    supersedes: str | None = None  # "2026-000123 rev 1" when this revision replaces a voided one
    copy: bool = field(default=False)  # a reprint: prints "COPY", same content hash

    def __post_init__(self) -> None:
        if not NUMBER_PATTERN.match(self.number):
            raise UserError("certificate.number_invalid", field="number", number=self.number)
        if self.revision < 1:
            raise UserError("certificate.revision_invalid", field="revision", revision=self.revision)
        if not self.tickets:
            raise UserError("certificate.tickets_missing", field="tickets")
        for name in ("net_mass_kg", "dry_mass_kg", "contained_reo_kg"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise UserError("certificate.mass_invalid", field=name, mass=Term(MASS_WORDS, name),
                                value=str(value))
        if self.dry_mass_kg > self.net_mass_kg or self.contained_reo_kg > self.dry_mass_kg:
            raise UserError("certificate.masses_inconsistent", field="dry_mass_kg",
                            net=formats.mass(self.net_mass_kg), dry=formats.mass(self.dry_mass_kg),
                            reo=formats.mass(self.contained_reo_kg))

    @property
    def reference(self) -> str:
        """How people quote this certificate: ``2026-000123 rev 1``."""
        return f"{self.number} rev {self.revision}"

    def content(self) -> dict[str, Any]:
        """The canonical content (JSON-ready, one spelling per value) that ``content_hash`` covers."""
        value = _jsonable(self)
        assert isinstance(value, dict)
        del value["copy"]
        value["format"] = CONTENT_FORMAT
        return value

    def content_hash(self) -> str:
        return hashlib.sha256(canonical_bytes(self.content())).hexdigest()


def canonical_bytes(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same content always gives the same bytes."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Stamp):
        # The instant in UTC plus the offset: both are content (the offset is printed).
        utc = value.utc.astimezone(UTC).isoformat(timespec="microseconds")
        return {"utc": utc, "offset_minutes": value.offset_minutes}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value
