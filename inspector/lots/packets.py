"""Signed lot documents: the offline approval packet, the supervisor's decision file, and their checks.

Both files are JSON: ``{"format", <content or payload>, "signature", "certificate", "chain"}``, the
signature (ECDSA P-256 or RSA PKCS#1 v1.5, SHA-256, as the key is) made over the canonical JSON of the
content. A packet is signed on the yard PC with a key issued by the yard CA; a decision with the deciding
supervisor's personal key. Verification never trusts a certificate carried in the file by itself: the
signer's certificate must be issued by the yard CA the verifier already holds.

These functions are pure (no database): the services decide which CA, user and lot version to check
against. Every refusal is a ``PacketRefusedError`` saying what was wrong.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from cryptography import x509
from cryptography.x509.oid import NameOID

from inspector.canonical import canonical_json, certificate_fingerprint, jsonable
from inspector.clock import Stamp
from inspector.errors import UserError
from inspector.lots.version import document_hash
from inspector.messages import Language, Term, formats, text
from inspector.reasons import require_reason
from inspector.security.keys import Signer, certificate_pem, issued_by, verify_signature

PACKET_FORMAT = "yard-inspector-approval-packet/1"
DECISION_FORMAT = "yard-inspector-lot-decision/1"
DECISIONS = ("approve", "reject")
MAX_FILE_BYTES = 200_000_000
MAX_MEANING_CHARACTERS = 500
# Which of the two files a refusal is about (worded as ``words.lot_file.<what>``).
FileKind = Literal["packet", "decision"]


class PacketRefusedError(UserError):
    """A packet or decision file that must not be used: altered, foreign, stale or unauthorised."""


def signed_bytes(content: Mapping[str, Any]) -> bytes:
    return canonical_json(content).encode("utf-8")


def content_sha256(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(signed_bytes(content)).hexdigest()


def seal(kind_key: str, fmt: str, content: dict[str, Any], signer: Signer) -> dict[str, Any]:
    return {
        "format": fmt,
        kind_key: content,
        "signature": base64.b64encode(signer.sign(signed_bytes(content))).decode("ascii"),
        "certificate": certificate_pem(signer.certificate),
        "chain": [certificate_pem(c) for c in signer.chain],
    }


def dumps(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def file_kind(what: FileKind) -> Term:
    """The words for a packet or a decision file, as an error's parameter."""
    return Term("lot_file", what)


def parse_file(data: bytes, *, what: FileKind, fmt: str, body_key: str) -> dict[str, Any]:
    """The document in ``data`` if it is well-formed JSON of the expected format (not yet verified)."""
    kind = file_kind(what)
    if len(data) > MAX_FILE_BYTES:
        raise PacketRefusedError("packet.too_large", field="file", what=kind,
                                 limit=formats.number(MAX_FILE_BYTES // 1_000_000))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PacketRefusedError("packet.not_json", field="file", what=kind) from None
    if not isinstance(document, dict) or document.get("format") != fmt:
        raise PacketRefusedError("packet.wrong_format", field="file", what=kind, format=fmt)
    if not isinstance(document.get(body_key), dict):
        raise PacketRefusedError("packet.no_content", field="file", what=kind)
    for key in ("signature", "certificate"):
        if not isinstance(document.get(key), str):
            raise PacketRefusedError("packet.unsigned", field="file", what=kind, key=key)
    chain = document.get("chain", [])
    if not isinstance(chain, list) or not all(isinstance(c, str) for c in chain):
        raise PacketRefusedError("packet.chain_damaged", field="file", what=kind)
    return document


@dataclass(frozen=True)
class VerifiedSignature:
    certificate: x509.Certificate
    fingerprint: str


def verify_sealed(document: Mapping[str, Any], *, body_key: str, what: FileKind, ca: x509.Certificate,
                  at: datetime) -> VerifiedSignature:
    """Check the signature over the body and that the signer's certificate is issued by ``ca`` and was
    valid at ``at``."""
    kind = file_kind(what)
    try:
        cert = x509.load_pem_x509_certificate(str(document["certificate"]).encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise PacketRefusedError("packet.certificate_damaged", field="file", what=kind) from None
    try:
        signature = base64.b64decode(str(document["signature"]), validate=True)
    except (binascii.Error, ValueError):
        raise PacketRefusedError("packet.signature_damaged", field="file", what=kind) from None
    if not verify_signature(cert, signature, signed_bytes(document[body_key])):
        raise PacketRefusedError("packet.signature_invalid", field="file", what=kind)
    if not issued_by(cert, ca):
        raise PacketRefusedError("packet.signer_foreign", field="file", what=kind,
                                 signer=cert.subject.rfc4514_string())
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        offset = at.utcoffset()
        minutes = 0 if offset is None else int(offset.total_seconds() // 60)
        raise PacketRefusedError("packet.certificate_not_valid_then", field="file", what=kind,
                                 at=formats.Moment(at, minutes, seconds=True, zone_shown=True))
    return VerifiedSignature(certificate=cert, fingerprint=certificate_fingerprint(cert))


def parse_time(value: Any, *, what: FileKind) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise PacketRefusedError("packet.time_invalid", field="file", what=file_kind(what)) from None
    if parsed.tzinfo is None:
        raise PacketRefusedError("packet.time_without_zone", field="file", what=file_kind(what))
    return parsed


# --- the packet ------------------------------------------------------------------------------------------

def build_packet(
    *, packet_id: str, lot_doc: dict[str, Any], balance: dict[str, Any], yard: dict[str, Any],
    ruleset: dict[str, Any], chain_head: dict[str, Any], stamp: Stamp, exported_by: str,
    photos: Mapping[str, bytes | None], signer: Signer,
) -> dict[str, Any]:
    """A signed approval packet for one lot version (photos embedded when their files are present)."""
    content = {
        "packet_id": packet_id,
        "lot_version_hash": document_hash(lot_doc),
        "lot_document": lot_doc,
        "balance": balance,
        "yard": yard,
        "ruleset": ruleset,
        "chain_head": chain_head,
        "exported_at": jsonable(stamp.utc),
        "exported_offset": stamp.offset_minutes,
        "exported_by": exported_by,
        "photos": {
            sha: None if blob is None else base64.b64encode(blob).decode("ascii")
            for sha, blob in sorted(photos.items())
        },
    }
    return seal("content", PACKET_FORMAT, content, signer)


def verify_packet(data: bytes, *, ca: x509.Certificate) -> dict[str, Any]:
    """The packet document if its signature, signer, version hash and photos check out."""
    document = parse_file(data, what="packet", fmt=PACKET_FORMAT, body_key="content")
    content = document["content"]
    exported_at = parse_time(content.get("exported_at"), what="packet")
    verify_sealed(document, body_key="content", what="packet", ca=ca, at=exported_at)
    lot_doc = content.get("lot_document")
    if not isinstance(lot_doc, dict) or document_hash(lot_doc) != content.get("lot_version_hash"):
        raise PacketRefusedError("packet.version_hash_mismatch", field="file")
    photos = content.get("photos")
    if not isinstance(photos, dict):
        raise PacketRefusedError("packet.photos_damaged", field="file")
    for sha, blob in photos.items():
        if blob is None:
            continue
        try:
            raw = base64.b64decode(str(blob), validate=True)
        except (binascii.Error, ValueError):
            raise PacketRefusedError("packet.photo_damaged", field="file", photo=f"{sha[:12]}…") from None
        if hashlib.sha256(raw).hexdigest() != sha:
            raise PacketRefusedError("packet.photo_hash_mismatch", field="file", photo=f"{sha[:12]}…")
    return document


# --- the decision ----------------------------------------------------------------------------------------

def signer_identity(cert: x509.Certificate) -> tuple[str | None, str]:
    """The user id (the certificate's UID) and printed name (its CN) a yard-issued certificate names."""
    uid = cert.subject.get_attributes_for_oid(NameOID.USER_ID)
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return (str(uid[0].value) if uid else None), (str(cn[0].value) if cn else "")


def default_meaning(decision: str, lot_no: str, lang: Language = "en") -> str:
    """The standard sentence a supervisor signs when they write none, in the language they read: what
    they sign is what they were shown. (What is signed is stored as it was written.)"""
    key = "lot_meaning.approve" if decision == "approve" else "lot_meaning.reject"
    words = text(key, lang, {"lot": lot_no})
    assert words is not None, key  # the catalogue test checks both keys in both languages
    return words


def check_decision_words(decision: str, meaning: str) -> str:
    if decision not in DECISIONS:
        raise UserError("lot.decision_unknown", field="decision", decision=decision)
    words = require_reason(meaning, field="meaning", code="lot.meaning_required")
    if len(words) > MAX_MEANING_CHARACTERS:
        raise UserError("lot.meaning_too_long", field="meaning", limit=MAX_MEANING_CHARACTERS,
                        count=len(words))
    return words


def decision_payload(
    *, lot_no: str, version_hash: str, decision: str, meaning: str, printed_name: str, user_id: str,
    stamp: Stamp, key_fingerprint: str, packet_id: str | None, packet_sha256: str | None,
    chain_head: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """What a supervisor's signature covers (the same on the yard PC and in a decision file)."""
    return {
        "kind": "lot-decision",
        "lot_no": lot_no,
        "lot_version_hash": version_hash,
        "decision": decision,
        "meaning": meaning,
        "printed_name": printed_name,
        "user_id": user_id,
        "signed_at": jsonable(stamp.utc),
        "offset_minutes": stamp.offset_minutes,
        "signed_local": stamp.iso_local(),
        "key_fingerprint": key_fingerprint,
        "packet_id": packet_id,
        "packet_sha256": packet_sha256,
        "chain_head": None if chain_head is None else dict(chain_head),
    }


def sign_payload(payload: dict[str, Any], signer: Signer) -> dict[str, Any]:
    return seal("payload", DECISION_FORMAT, payload, signer)


def decide(packet_data: bytes, *, signer: Signer, decision: str, meaning: str, stamp: Stamp,
           printed_name: str | None = None) -> dict[str, Any]:
    """On the supervisor's laptop: check the packet against the yard CA in the supervisor's own key file,
    then sign the decision on the exact lot version it carries."""
    words = check_decision_words(decision, meaning)
    if not signer.chain:
        raise UserError("packet.key_without_ca", field="key")
    ca = signer.chain[-1]
    document = verify_packet(packet_data, ca=ca)
    content = document["content"]
    uid, cn = signer_identity(signer.certificate)
    payload = decision_payload(
        lot_no=str(content["lot_document"]["lot"]["lot_no"]),
        version_hash=str(content["lot_version_hash"]),
        decision=decision,
        meaning=words,
        printed_name=(printed_name or cn or signer.username).strip(),
        user_id=uid or signer.username,
        stamp=stamp,
        key_fingerprint=signer.fingerprint,
        packet_id=str(content["packet_id"]),
        packet_sha256=content_sha256(content),
        chain_head=content.get("chain_head"),
    )
    return sign_payload(payload, signer)


REQUIRED_DECISION_FIELDS: Mapping[str, type] = {
    "kind": str, "lot_no": str, "lot_version_hash": str, "decision": str, "meaning": str,
    "printed_name": str, "user_id": str, "signed_at": str, "offset_minutes": int, "key_fingerprint": str,
}


def verify_decision(data: bytes, *, ca: x509.Certificate) -> tuple[dict[str, Any], VerifiedSignature]:
    """The decision document and its signer if the file is intact and signed by a yard-issued key."""
    document = parse_file(data, what="decision", fmt=DECISION_FORMAT, body_key="payload")
    payload = document["payload"]
    for key, typ in REQUIRED_DECISION_FIELDS.items():
        if not isinstance(payload.get(key), typ) or isinstance(payload.get(key), bool):
            raise PacketRefusedError("packet.decision_damaged", field="file", key=key)
    if payload["kind"] != "lot-decision" or payload["decision"] not in DECISIONS:
        raise PacketRefusedError("packet.decision_not_a_decision", field="file")
    signed_at = parse_time(payload["signed_at"], what="decision")
    verified = verify_sealed(document, body_key="payload", what="decision", ca=ca, at=signed_at)
    if verified.fingerprint != payload["key_fingerprint"]:
        raise PacketRefusedError("packet.decision_key_mismatch", field="file")
    return document, verified


def signer_from_pkcs12(data: bytes, passphrase: str) -> Signer:
    """A supervisor's signer from their PKCS#12 key file (on a laptop that keeps no key registry)."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not passphrase:
        raise UserError("packet.passphrase_required", field="passphrase")
    try:
        bundle = pkcs12.load_pkcs12(data, passphrase.encode("utf-8"))
    except ValueError:
        raise UserError("packet.passphrase_wrong", field="passphrase") from None
    key = bundle.key
    if bundle.cert is None or not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise UserError("packet.key_unusable", field="key")
    cert = bundle.cert.certificate
    uid, _cn = signer_identity(cert)
    return Signer(username=uid or "", private_key=key, certificate=cert,
                  chain=[c.certificate for c in bundle.additional_certs],
                  fingerprint=certificate_fingerprint(cert))
