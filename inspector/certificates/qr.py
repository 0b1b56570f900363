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
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from inspector.canonical import certificate_fingerprint
from inspector.certificates.findings import Finding
from inspector.certificates.model import NUMBER_PATTERN, CertificateData, canonical_bytes
from inspector.certificates.sign import CertificateSigner
from inspector.certificates.trust import chain_problem, split_trust
from inspector.messages import Term

PREFIX = "YIC1"
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
    parts = text.strip().split(".")
    if len(parts) not in (3, 4) or parts[0] != PREFIX:
        return QrVerification(False, Finding("verify.qr.not_ours", prefix=PREFIX))
    try:
        payload_bytes = _unb64(parts[1])
        signature = _unb64(parts[2])
        embedded = _unb64(parts[3]) if len(parts) == 4 else None
    except (ValueError, binascii.Error):
        return QrVerification(False, Finding("verify.qr.damaged"))
    try:
        fields = _read_payload(payload_bytes)
    except ValueError as exc:
        damage = Term(PAYLOAD_PROBLEM, str(exc))
        return QrVerification(False, Finding("verify.qr.payload_damaged", problem=damage))

    anchors, others = split_trust(trust)
    wanted = fields["signer_fingerprint"]
    candidates = list(others) + list(signers or [])
    if embedded is not None:
        try:
            candidates.insert(0, x509.load_der_x509_certificate(embedded))
        except ValueError:
            return QrVerification(False, Finding("verify.qr.embedded_certificate_damaged"), **fields)
    cert = next((c for c in candidates if certificate_fingerprint(c) == wanted), None)
    if cert is None:
        return QrVerification(False, Finding("verify.qr.signer_not_found", fingerprint=f"{wanted[:16]}…"),
                              **fields)
    signer_name = _common_name(cert)
    fields["signer_name"] = signer_name
    if not _signature_ok(cert, PREFIX.encode("ascii") + b"." + payload_bytes, signature):
        return QrVerification(False, Finding("verify.qr.signature_mismatch"), **fields)
    untrusted = chain_problem(cert, anchors, intermediates=others, moment=moment)
    if untrusted is not None:
        return QrVerification(False, untrusted, **fields)
    return QrVerification(True, Finding("verify.qr.valid", signer=signer_name), **fields)


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

