"""Verifying a signed certificate PDF, and the seam for checking it against the certificate register.

A file is accepted only if pyHanko's ``bottom_line`` holds (intact, valid, trusted, no disallowed change)
AND the signature covers the entire file (``bottom_line`` alone accepts bytes appended after ``%%EOF``;
``valid`` alone accepts a flipped byte in the signed range) AND the chain reaches the given trust roots.
Any exception while reading or validating counts as invalid, with the reason as a ``Finding`` (a code with
parameters, worded in the reader's language).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from asn1crypto import cms  # type: ignore[import-untyped]
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from inspector.certificates.findings import Finding
from inspector.certificates.sign import (
    INFO_CHAIN_HEAD,
    INFO_CONTENT_HASH,
    INFO_NUMBER,
    INFO_REVISION,
    SIGNATURE_FIELD,
)
from inspector.certificates.trust import split_trust, validation_context


@dataclass(frozen=True)
class VerificationResult:
    """What ``verify_pdf`` found. ``valid`` is the verdict; ``reason`` says why (``reason.words(lang)``)."""

    valid: bool
    reason: Finding
    signer_name: str | None = None  # /Name of the signature (the printed name)
    signer_subject: str | None = None  # the signing certificate's subject
    signing_time: datetime | None = None  # /M, with the offset it was written with
    meaning: str | None = None  # /Reason
    number: str | None = None
    revision: int | None = None
    content_hash: str | None = None
    chain_head: str | None = None


def verify_pdf(pdf: bytes, *, trust: Sequence[x509.Certificate],
               moment: datetime | None = None) -> VerificationResult:
    """Check a signed certificate PDF against ``trust`` (the yard CA). Never raises for a bad file."""
    anchors, others = split_trust(trust)
    if not anchors:
        return VerificationResult(False, Finding("verify.no_trust_root"))
    try:
        return _verify(pdf, anchors, others, moment)
    except Exception as exc:  # a damaged or hostile file: any error is a rejection, never a traceback
        return VerificationResult(False, Finding("verify.pdf.unreadable", detail=_describe(exc)))


def _verify(pdf: bytes, anchors: list[x509.Certificate], others: list[x509.Certificate],
            moment: datetime | None) -> VerificationResult:
    if not pdf.startswith(b"%PDF-"):
        return VerificationResult(False, Finding("verify.pdf.not_pdf"))
    reader = PdfFileReader(io.BytesIO(pdf), strict=True)
    signatures = list(reader.embedded_signatures)
    if not signatures:
        return VerificationResult(False, Finding("verify.pdf.unsigned"))
    if len(signatures) > 1:
        return VerificationResult(False, Finding("verify.pdf.many_signatures", count=len(signatures)))
    embedded = signatures[0]
    details = _details(reader, embedded.sig_object)
    if embedded.field_name != SIGNATURE_FIELD:
        return VerificationResult(False, Finding("verify.pdf.wrong_field", name=str(embedded.field_name)),
                                  **details)
    if not _container_is_strict(bytes(embedded.sig_object.raw_get("/Contents"))):
        return VerificationResult(False, Finding("verify.pdf.container_changed"), **details)
    status = validate_pdf_signature(embedded, validation_context(anchors, other_certs=others, moment=moment))
    details["signer_subject"] = status.signing_cert.subject.human_friendly
    if status.signer_reported_dt is not None:
        details["signing_time"] = status.signer_reported_dt
    problem = _problem(status)
    if problem is not None:
        return VerificationResult(False, problem, **details)
    if details.get("number") is None:
        return VerificationResult(False, Finding("verify.pdf.no_number"), **details)
    signer = details.get("signer_name") or details["signer_subject"]
    return VerificationResult(True, Finding("verify.pdf.valid", signer=signer), **details)


def _container_is_strict(raw: bytes) -> bool:
    """True if /Contents is exactly the CMS a yard signature has: strict DER, then only zero padding.

    /Contents lies outside the signed byte ranges, and CMS leaves a few structural bytes unsigned (the
    padding after the DER, the SignedData digest-algorithm list, the version numbers). Parsers ignore them, so
    without this check a flipped byte there would still verify.
    """
    end = _der_end(raw)
    if end is None or any(raw[end:]):
        return False
    try:
        info = cms.ContentInfo.load(raw[:end], strict=True)
        if info["content_type"].native != "signed_data":
            return False
        signed = info["content"]
        signer_infos = signed["signer_infos"]
        if len(signer_infos) != 1:
            return False
        if signed["version"].native != "v1" or signer_infos[0]["version"].native != "v1":
            return False
        digest = signer_infos[0]["digest_algorithm"]
        return bool([a.dump() for a in signed["digest_algorithms"]] == [digest.dump()])
    except (ValueError, TypeError, KeyError):
        return False


def _der_end(raw: bytes) -> int | None:
    """Where the DER SEQUENCE at the start of ``raw`` ends, or None if there is none."""
    if len(raw) < 2 or raw[0] != 0x30:
        return None
    first = raw[1]
    if first < 0x80:
        header, length = 2, first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or len(raw) < 2 + count:
            return None
        header, length = 2 + count, int.from_bytes(raw[2:2 + count], "big")
    end = header + length
    return end if end <= len(raw) else None


def _problem(status: Any) -> Finding | None:
    if not status.intact:
        return Finding("verify.pdf.content_changed")
    if not status.valid:
        return Finding("verify.pdf.signature_invalid")
    if not status.trusted:
        # pyHanko's AdES indication (NO_CERTIFICATE_CHAIN_FOUND, REVOKED ...): a technical code, shown as is.
        indic = getattr(status.trust_problem_indic, "name", None)
        if indic:
            return Finding("verify.pdf.untrusted_because", indication=str(indic))
        return Finding("verify.pdf.untrusted")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Finding("verify.pdf.changed_after_signing")
    if not status.bottom_line:
        return Finding("verify.pdf.change_not_allowed")
    return None


def _details(reader: PdfFileReader, sig_object: Any) -> dict[str, Any]:
    """The signature dictionary's /Name, /Reason, /M and the certificate's identifying info entries."""
    details: dict[str, Any] = {
        "signer_name": _text(sig_object.get("/Name")),
        "meaning": _text(sig_object.get("/Reason")),
    }
    try:
        info = reader.trailer_view["/Info"]
    except KeyError:
        info = {}
    details["number"] = _text(info.get(INFO_NUMBER))
    revision = _text(info.get(INFO_REVISION))
    details["revision"] = int(revision) if revision and revision.isdigit() else None
    details["content_hash"] = _text(info.get(INFO_CONTENT_HASH))
    details["chain_head"] = _text(info.get(INFO_CHAIN_HEAD))
    return details


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


# --- The register seam -------------------------------------------------------------------------------------


class RegisterStatus(Enum):
    """How a verified certificate stands against the yard's register."""

    ISSUED = "issued"  # in the register, not void, same content
    VOID = "void"  # in the register but voided: the file may still be intact, the certificate is not in force
    UNKNOWN = "unknown"  # no such number and revision in the register
    CONTENT_MISMATCH = "content_mismatch"  # the number exists but the content hash differs
    NOT_CHECKED = "not_checked"  # the file or QR itself failed, so the register was not consulted


@dataclass(frozen=True)
class RegisterEntry:
    """What the register knows about one certificate revision."""

    number: str
    revision: int
    content_hash: str
    void: bool
    void_reason: str | None = None


class Verified(Protocol):
    """What both a PDF and a QR verification report (``VerificationResult``, ``QrVerification``)."""

    @property
    def valid(self) -> bool: ...
    @property
    def number(self) -> str | None: ...
    @property
    def revision(self) -> int | None: ...
    @property
    def content_hash(self) -> str | None: ...


RegisterLookup = Callable[[str, int], RegisterEntry | None]


@dataclass(frozen=True)
class RegisterCheck:
    """The register's verdict; ``reason`` says why (``reason.words(lang)``)."""

    status: RegisterStatus
    reason: Finding

    @property
    def in_force(self) -> bool:
        return self.status is RegisterStatus.ISSUED


def check_against_register(result: Verified, lookup: RegisterLookup) -> RegisterCheck:
    """Compare a verified file or QR with the register (``lookup(number, revision)``)."""
    if not result.valid or result.number is None or result.revision is None or result.content_hash is None:
        return RegisterCheck(RegisterStatus.NOT_CHECKED, Finding("verify.register.not_checked"))
    which: dict[str, object] = {"number": result.number, "revision": result.revision}
    entry = lookup(result.number, result.revision)
    if entry is None:
        return RegisterCheck(RegisterStatus.UNKNOWN, Finding("verify.register.unknown", **which))
    if entry.content_hash != result.content_hash:
        return RegisterCheck(RegisterStatus.CONTENT_MISMATCH,
                             Finding("verify.register.content_mismatch", **which,
                                     registered=f"{entry.content_hash[:16]}…",
                                     presented=f"{result.content_hash[:16]}…"))
    if entry.void:
        if entry.void_reason:
            return RegisterCheck(RegisterStatus.VOID,
                                 Finding("verify.register.void_because", **which, reason=entry.void_reason))
        return RegisterCheck(RegisterStatus.VOID, Finding("verify.register.void", **which))
    return RegisterCheck(RegisterStatus.ISSUED, Finding("verify.register.in_force", **which))
