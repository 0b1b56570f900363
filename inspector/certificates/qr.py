"""The QR payload that lets a paper copy be checked offline.

Text form (QR byte mode)::

    YIC1.<base64url(payload)>.<base64url(signature)>[.<base64url(signer certificate DER)>]

``payload`` is canonical JSON (sorted keys, no spaces, UTF-8) of the certificate number ``n``, revision
``r``, lot ``l``, category ``c``, grade ``g``, net mass in kg ``m`` (decimal string), issue date ``d``, the
SHA-256 of the certificate's content ``h`` and the SHA-256 fingerprint of the signer's certificate ``k``
(both base64url). The signature is the approving supervisor's, over ``b"YIC1." + payload``: raw r‖s for EC
keys (deterministic, so a re-render gives the same QR), PKCS#1 v1.5 / SHA-256 for RSA keys.

By default the QR names the signer by fingerprint only, which keeps the code small enough to scan from a
print; the verifier finds that certificate in the trust file or the data directory's ``keys/`` folder.
With ``embed_certificate=True`` the certificate travels in the QR and only the yard CA is needed.

A weigh ticket's QR has the same form with the prefix ``YIT1`` (``make_ticket_qr_text``): its payload is
the ticket number, plate, weights and weigh-out time, the hash of the ticket's content and the fingerprint
of the station's ticket seal, which signs it. ``verify_any_qr`` tells the two apart by the prefix.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from inspector.canonical import certificate_fingerprint
from inspector.certificates.findings import Finding
from inspector.certificates.model import NUMBER_PATTERN, CertificateData, canonical_bytes
from inspector.certificates.sign import CertificateSigner
from inspector.certificates.ticket import TicketData
from inspector.certificates.trust import chain_problem, split_trust
from inspector.messages import Term

PREFIX = "YIC1"
_Verified = TypeVar("_Verified", "QrVerification", "TicketQrVerification")
# The words of what is wrong in a damaged payload: ``words.qr_payload_problem.<code>`` in the catalogue.
PAYLOAD_PROBLEM = "qr_payload_problem"
_FIELDS = ("c", "d", "g", "h", "k", "l", "m", "n", "r")


@dataclass(frozen=True)
class QrVerification:
    """The outcome of checking a QR text; the fields are filled whenever the payload could be read."""

    valid: bool
    reason: Finding
    number: str | None = None
    revision: int | None = None
    lot_number: str | None = None
    category_code: str | None = None
    grade: str | None = None
    net_mass_kg: Decimal | None = None
    issue_date: date | None = None
    content_hash: str | None = None
    signer_name: str | None = None
    signer_fingerprint: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or any(ch not in _B64_ALPHABET for ch in text):
        raise ValueError("not_base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def qr_payload(data: CertificateData, signer_fingerprint: str) -> dict[str, Any]:
    """The signed fields of the QR (JSON-ready)."""
    return {
        "n": data.number,
        "r": data.revision,
        "l": data.lot_number,
        "c": data.category_code,
        "g": data.grade,
        "m": str(data.net_mass_kg),
        "d": data.issue_date.isoformat(),
        "h": _b64(bytes.fromhex(data.content_hash())),
        "k": _b64(bytes.fromhex(signer_fingerprint)),
    }


def make_qr_text(data: CertificateData, signer: CertificateSigner, *, embed_certificate: bool = False) -> str:
    """The signed QR text for ``data``, signed by the approving supervisor's key."""
    payload = canonical_bytes(qr_payload(data, signer.fingerprint))
    signature = signer.sign_payload(PREFIX.encode("ascii") + b"." + payload)
    parts = [PREFIX, _b64(payload), _b64(signature)]
    if embed_certificate:
        parts.append(_b64(signer.certificate.public_bytes(serialization.Encoding.DER)))
    return ".".join(parts)


def verify_qr(text: str, *, trust: list[x509.Certificate], signers: list[x509.Certificate] | None = None,
              moment: datetime | None = None) -> QrVerification:
    """Check a scanned QR text offline: well formed, signed by a certificate that chains to ``trust``.

    ``trust`` holds the yard CA (CA certificates anchor chains; other certificates in it are candidate
    signers); ``signers`` are further candidate signer certificates (e.g. from a data directory).
    Never raises for bad input: every problem is an invalid result with the reason (a ``Finding``).
    """
    return _verify(text, PREFIX, Finding("verify.qr.not_ours", prefix=PREFIX), _read_payload, QrVerification,
                   "verify.qr.valid", trust=trust, signers=signers, moment=moment)


def _verify(text: str, prefix: str, not_ours: Finding, read_payload: Callable[[bytes], dict[str, Any]],
            make: Callable[..., _Verified], valid_code: str, *, trust: list[x509.Certificate],
            signers: list[x509.Certificate] | None, moment: datetime | None) -> _Verified:
    """The checks a certificate's and a ticket's QR share: ``prefix.payload.signature[.certificate]``,
    a payload ``read_payload`` can read, signed by a certificate that chains to ``trust``."""
    parts = text.strip().split(".")
    if len(parts) not in (3, 4) or parts[0] != prefix:
        return make(False, not_ours)
    try:
        payload_bytes = _unb64(parts[1])
        signature = _unb64(parts[2])
        embedded = _unb64(parts[3]) if len(parts) == 4 else None
    except (ValueError, binascii.Error):
        return make(False, Finding("verify.qr.damaged"))
    try:
        fields = read_payload(payload_bytes)
    except ValueError as exc:
        damage = Term(PAYLOAD_PROBLEM, str(exc))
        return make(False, Finding("verify.qr.payload_damaged", problem=damage))
    problem, signer_name = _check_signer(prefix, payload_bytes, signature, embedded,
                                         fields["signer_fingerprint"], trust=trust, signers=signers,
                                         moment=moment)
    if signer_name is not None:
        fields["signer_name"] = signer_name
    if problem is not None:
        return make(False, problem, **fields)
    return make(True, Finding(valid_code, signer=signer_name), **fields)


def _check_signer(prefix: str, payload_bytes: bytes, signature: bytes, embedded: bytes | None, wanted: str, *,
                  trust: list[x509.Certificate], signers: list[x509.Certificate] | None,
                  moment: datetime | None) -> tuple[Finding | None, str | None]:
    """(what is wrong or None, the signer's name once found): the signer named by fingerprint ``wanted``
    is found among the candidates, signed ``prefix.payload`` and chains to a trust anchor."""
    anchors, others = split_trust(trust)
    candidates = list(others) + list(signers or [])
    if embedded is not None:
        try:
            candidates.insert(0, x509.load_der_x509_certificate(embedded))
        except ValueError:
            return Finding("verify.qr.embedded_certificate_damaged"), None
    cert = next((c for c in candidates if certificate_fingerprint(c) == wanted), None)
    if cert is None:
        return Finding("verify.qr.signer_not_found", fingerprint=f"{wanted[:16]}…"), None
    signer_name = _common_name(cert)
    if not _signature_ok(cert, prefix.encode("ascii") + b"." + payload_bytes, signature):
        return Finding("verify.qr.signature_mismatch"), signer_name
    untrusted = chain_problem(cert, anchors, intermediates=others, moment=moment)
    if untrusted is not None:
        return untrusted, signer_name
    return None, signer_name


def _read_payload(raw: bytes) -> dict[str, Any]:
    """The payload's fields; else a ``ValueError`` whose text is the problem's code
    (``words.qr_payload_problem.<code>``)."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not_json") from exc
    if not isinstance(value, dict) or sorted(value) != sorted(_FIELDS):
        raise ValueError("unexpected_fields")
    try:
        canonical = canonical_bytes(value)
    except (TypeError, ValueError) as exc:  # a number with a fraction: never in a payload this yard signs
        raise ValueError("not_canonical") from exc
    if canonical != raw:
        raise ValueError("not_canonical")
    number, revision = value["n"], value["r"]
    if not isinstance(number, str) or not NUMBER_PATTERN.match(number):
        raise ValueError("bad_number")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        raise ValueError("bad_revision")
    text_fields = ("l", "c", "g", "m", "d", "h", "k")
    if not all(isinstance(value[k], str) for k in text_fields):
        raise ValueError("wrong_type")
    try:
        mass = Decimal(value["m"])
        issued = date.fromisoformat(value["d"])
        content_hash = _unb64(value["h"]).hex()
        signer_fp = _unb64(value["k"]).hex()
    except (InvalidOperation, ValueError, binascii.Error) as exc:
        raise ValueError("unreadable_field") from exc
    if len(content_hash) != 64 or len(signer_fp) != 64:
        raise ValueError("hash_length")
    return {
        "number": number,
        "revision": revision,
        "lot_number": value["l"],
        "category_code": value["c"],
        "grade": value["g"],
        "net_mass_kg": mass,
        "issue_date": issued,
        "content_hash": content_hash,
        "signer_fingerprint": signer_fp,
    }


def _signature_ok(cert: x509.Certificate, message: bytes, signature: bytes) -> bool:
    key = cert.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
            return True
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
            return True
    except InvalidSignature:
        return False
    return False


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()



# --- the weigh ticket's QR --------------------------------------------------------------------------------

TICKET_PREFIX = "YIT1"
_TICKET_FIELDS = ("g", "h", "k", "n", "o", "p", "t", "u", "w", "x")
_TICKET_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,19}$")


@dataclass(frozen=True)
class TicketQrVerification:
    """The outcome of checking a weigh ticket's QR; the fields are filled whenever the payload was read.

    ``weighed_out_at`` keeps the offset it was printed with (the yard's local time)."""

    valid: bool
    reason: Finding
    ticket_no: str | None = None
    plate: str | None = None
    gross: int | None = None
    tare: int | None = None
    net: int | None = None
    unit: str | None = None
    weighed_out_at: datetime | None = None
    cancelled: bool | None = None
    content_hash: str | None = None
    signer_name: str | None = None
    signer_fingerprint: str | None = None


def ticket_qr_payload(data: TicketData, signer_fingerprint: str) -> dict[str, Any]:
    """The signed fields of a ticket's QR (JSON-ready): ticket ``n``, plate ``p``, gross ``g``, tare ``t``
    and net ``w`` in whole units ``u`` (tare and net null before weigh-out), weigh-out time ``o`` (local ISO
    8601 with its offset, null when not recorded), cancelled ``x``, the SHA-256 of the ticket's content
    ``h`` and the fingerprint of the station's seal ``k`` (both base64url)."""
    at = data.weighed_out_at
    return {
        "n": data.ticket_no,
        "p": data.plate,
        "g": data.gross.weight,
        "t": data.tare.weight if data.tare is not None else None,
        "w": data.net,
        "u": data.unit,
        "o": at.iso_local() if at is not None else None,
        "x": data.cancelled,
        "h": _b64(bytes.fromhex(data.content_hash())),
        "k": _b64(bytes.fromhex(signer_fingerprint)),
    }


def make_ticket_qr_text(data: TicketData, signer: CertificateSigner) -> str:
    """``YIT1.<payload>.<signature>``: the ticket's QR, sealed by the station's ticket-signing key (raw r‖s,
    deterministic, so every print of one ticket carries the same code)."""
    payload = canonical_bytes(ticket_qr_payload(data, signer.fingerprint))
    signature = signer.sign_payload(TICKET_PREFIX.encode("ascii") + b"." + payload)
    return ".".join([TICKET_PREFIX, _b64(payload), _b64(signature)])


def verify_ticket_qr(text: str, *, trust: list[x509.Certificate],
                     signers: list[x509.Certificate] | None = None,
                     moment: datetime | None = None) -> TicketQrVerification:
    """Check a scanned weigh ticket's QR offline, as ``verify_qr`` checks a certificate's: well formed,
    sealed by a certificate that chains to ``trust`` (``signers``: the stations' ticket certificates)."""
    return _verify(text, TICKET_PREFIX, Finding("verify.qr.not_a_ticket", prefix=TICKET_PREFIX),
                   _read_ticket_payload, TicketQrVerification, "verify.qr.ticket_valid", trust=trust,
                   signers=signers, moment=moment)


def verify_any_qr(text: str, *, trust: list[x509.Certificate], signers: list[x509.Certificate] | None = None,
                  moment: datetime | None = None) -> QrVerification | TicketQrVerification:
    """The one entry point for a scanned code: a certificate's (``YIC1.``) or a weigh ticket's
    (``YIT1.``), told apart by the prefix."""
    prefix = text.strip().split(".", 1)[0]
    if prefix == TICKET_PREFIX:
        return verify_ticket_qr(text, trust=trust, signers=signers, moment=moment)
    if prefix == PREFIX:
        return verify_qr(text, trust=trust, signers=signers, moment=moment)
    return QrVerification(False, Finding("verify.qr.not_ours_any", certificate=PREFIX, ticket=TICKET_PREFIX))


def _weight(value: Any, *, optional: bool) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("bad_weight")
    return value


def _read_ticket_payload(raw: bytes) -> dict[str, Any]:
    """A ticket payload's fields; else a ``ValueError`` whose text is the problem's code."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not_json") from exc
    if not isinstance(value, dict) or sorted(value) != sorted(_TICKET_FIELDS):
        raise ValueError("unexpected_fields")
    try:
        canonical = canonical_bytes(value)
    except (TypeError, ValueError) as exc:
        raise ValueError("not_canonical") from exc
    if canonical != raw:
        raise ValueError("not_canonical")
    if not all(isinstance(value[k], str) for k in ("n", "p", "u", "h", "k")) or \
            not isinstance(value["x"], bool) or not isinstance(value["o"], str | None):
        raise ValueError("wrong_type")
    if not _TICKET_NUMBER.match(value["n"]):
        raise ValueError("bad_ticket_number")
    gross = _weight(value["g"], optional=False)
    tare = _weight(value["t"], optional=True)
    net = _weight(value["w"], optional=True)
    assert gross is not None
    if (tare is None) != (net is None) or (tare is not None and net != gross - tare):
        raise ValueError("weights_inconsistent")
    try:
        at = datetime.fromisoformat(value["o"]) if value["o"] is not None else None
        content_hash = _unb64(value["h"]).hex()
        signer_fp = _unb64(value["k"]).hex()
    except (ValueError, binascii.Error) as exc:
        raise ValueError("unreadable_field") from exc
    if at is not None and at.tzinfo is None:
        raise ValueError("unreadable_field")
    if len(content_hash) != 64 or len(signer_fp) != 64:
        raise ValueError("hash_length")
    return {
        "ticket_no": value["n"],
        "plate": value["p"],
        "gross": gross,
        "tare": tare,
        "net": net,
        "unit": value["u"],
        "weighed_out_at": at,
        "cancelled": value["x"],
        "content_hash": content_hash,
        "signer_fingerprint": signer_fp,
    }
