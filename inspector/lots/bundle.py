"""The supervisor's bundle and the laptop it sets up: offline approval without copying key files by hand.

On the yard PC a supervisor exports their *bundle*: one JSON file holding their PKCS#12 key file (as it
is, protected by their key passphrase), the yard CA's certificate, who they are (user id, printed name,
role), the yard's name and how many days an approval packet stays valid. The content is signed with the
supervisor's own key (``inspector.lots.packets.seal``), so a changed bundle is refused: set-up opens the key
with the passphrase, checks its certificate was issued by the CA in the bundle and the signature over the
content.

``setup_laptop`` turns a bundle into a laptop data directory: ``keys/<user>-<serial>.p12``,
``keys/yard-ca.pem`` and ``laptop.json`` (the profile, which marks the folder as a laptop). No yard database
and no other users; the laptop's own small database of what it signed is made when it first signs.

File names are FAT32-safe and the files name no absolute path, so the folder and the bundle survive a copy
through any USB stick and open on any OS.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from inspector.canonical import certificate_fingerprint, jsonable
from inspector.clock import Clock, Stamp
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError
from inspector.files import write_atomically
from inspector.lots import packets
from inspector.lots.packets import PacketRefusedError
from inspector.messages import Term, formats, os_problem
from inspector.security import keys
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_event
from inspector.storage.models.core import Setting, Yard

BUNDLE_FORMAT = "yard-inspector-supervisor-bundle/1"
PROFILE_FORMAT = "yard-inspector-laptop/1"
MAX_BUNDLE_BYTES = 1_000_000
PACKET_VALID_SETTING = "lots.packet_valid_days"
DEFAULT_PACKET_VALID_DAYS = 14
PACKET_VALID_RANGE = (1, 365)
# What FAT32 (and Windows) refuse in a file name, besides control characters.
_FAT_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_NAME_BYTES = 255


class BundleRefusedError(UserError):
    """A supervisor bundle that must not be used: damaged, altered, or not a supervisor's."""


# --- the yard's packet validity ----------------------------------------------------------------------------

def packet_valid_days(session: Session) -> int:
    """How many days after its export an approval packet may still be decided (the yard's setting)."""
    row = session.get(Setting, PACKET_VALID_SETTING)
    value = None if row is None else row.value
    if isinstance(value, int) and not isinstance(value, bool) and \
            PACKET_VALID_RANGE[0] <= value <= PACKET_VALID_RANGE[1]:
        return value
    return DEFAULT_PACKET_VALID_DAYS


def set_packet_valid_days(session: Session, *, actor: Actor, clock: Clock, days: int) -> None:
    """An administrator sets how long approval packets stay valid (audited)."""
    require_role(actor, [Role.ADMIN], action=Term("laptop_permission", "packet_valid_days"))
    low, high = PACKET_VALID_RANGE
    if not low <= days <= high:
        raise UserError("laptop.packet_days_range", field="days", days=days, minimum=low, maximum=high)
    old = packet_valid_days(session)
    row = session.get(Setting, PACKET_VALID_SETTING) or Setting(key=PACKET_VALID_SETTING)
    row.value = days
    session.add(row)
    record_event(session, actor=actor, action="setting.change", entity="setting",
                 entity_id=PACKET_VALID_SETTING, clock=clock, old={"value": old}, new={"value": days})


def packet_expires_at(content: Mapping[str, Any], valid_days: int) -> datetime:
    exported = packets.parse_time(content.get("exported_at"), what="packet")
    return exported + timedelta(days=valid_days)


def check_packet_age(content: Mapping[str, Any], *, now: Stamp, valid_days: int) -> None:
    """Refuse a packet exported more than ``valid_days`` before ``now``: the lot may have changed since,
    and the yard wants decisions on what it holds now."""
    expires = packet_expires_at(content, valid_days)
    if now.utc > expires:
        offset = content.get("exported_offset")
        minutes = offset if isinstance(offset, int) and not isinstance(offset, bool) else now.offset_minutes
        exported = packets.parse_time(content.get("exported_at"), what="packet")
        raise PacketRefusedError("laptop.packet_expired", field="file",
                                 exported=formats.Moment(exported, minutes),
                                 expired=formats.Moment(expires, minutes), days=valid_days)


# --- names that survive a FAT32 stick ----------------------------------------------------------------------

def fat_safe_name(name: str, *, fallback: str = "file") -> str:
    """``name`` as a file name any OS and FAT32 accept: no ``<>:"/\\|?*`` or control characters, no trailing
    dot or space, at most 255 bytes in UTF-8 (the suffix kept)."""
    cleaned = _FAT_FORBIDDEN.sub("_", name).strip().rstrip(". ")
    if not cleaned or cleaned in (".", ".."):
        cleaned = fallback
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or len(suffix.encode("utf-8")) > 16:
        stem, suffix = cleaned, ""
    tail = f".{suffix}" if suffix else ""
    while len((stem + tail).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip(". ") or fallback) + tail


# --- the bundle ---------------------------------------------------------------------------------------------

def export_supervisor_bundle(session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir,
                             passphrase: str, out: Path) -> Path:
    """A supervisor writes their OWN bundle to ``out`` (the passphrase must open their key: a wrong one is
    said at once). Audited; the file is written inside the caller's transaction."""
    require_role(actor, [Role.SUPERVISOR], action=Term("laptop_permission", "export_bundle"))
    row = keys.active_personal_key(session, actor.user_id)
    if row is None:
        raise EnvironmentProblemError("key.none_active", username=actor.user_id)
    signer = keys.load_signer(session, data_dir=data_dir, username=actor.user_id, passphrase=passphrase,
                              clock=clock)
    ca = keys.load_pem_certificate(keys.require_ca(session).certificate_pem)
    if not keys.issued_by(signer.certificate, ca):
        raise UserError("packet.export_key_foreign", field="key")
    try:
        key_blob = (data_dir.keys / row.path).read_bytes()
    except OSError as exc:
        raise EnvironmentProblemError("key.file_unreadable", path=row.path,
                                      detail=str(exc.strerror or exc)) from exc
    yard = session.execute(select(Yard)).scalars().first()
    stamp = clock.now()
    content = {
        "user_id": actor.user_id,
        "printed_name": actor.display_name,
        "role": Role.SUPERVISOR.value,
        "yard": {"legal_name": yard.legal_name if yard else "", "uscc": yard.uscc if yard else ""},
        "packet_valid_days": packet_valid_days(session),
        "key_file": base64.b64encode(key_blob).decode("ascii"),
        "key_fingerprint": row.fingerprint,
        "ca_certificate": keys.certificate_pem(ca),
        "exported_at": jsonable(stamp.utc),
        "exported_offset": stamp.offset_minutes,
    }
    document = packets.seal("content", BUNDLE_FORMAT, content, signer)
    record_event(session, actor=actor, action="key.export_bundle", entity="signing_key",
                 entity_id=row.fingerprint, clock=clock,
                 new={"user_id": actor.user_id, "file": out.name,
                      "packet_valid_days": content["packet_valid_days"]})
    try:
        write_atomically(out, packets.dumps(document), private=True)
    except OSError as exc:
        raise EnvironmentProblemError("lot.file_unwritable", path=str(out), reason=os_problem(exc)) from exc
    return out


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle whose key opened with the passphrase and whose signature and CA check out."""

    user_id: str
    printed_name: str
    role: str
    yard_name: str
    yard_uscc: str
    packet_valid_days: int
    key_file: bytes
    ca_pem: str
    signer: keys.Signer


_TEXT_FIELDS = ("user_id", "printed_name", "role", "key_file", "ca_certificate", "exported_at")


def read_bundle(data: bytes, *, passphrase: str) -> VerifiedBundle:
    """The bundle in ``data`` once every check has passed; a ``BundleRefusedError`` (or the passphrase's
    ``UserError``) saying what is wrong otherwise."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleRefusedError("laptop.bundle_not_a_bundle", field="file")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleRefusedError("laptop.bundle_not_a_bundle", field="file") from None
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        raise BundleRefusedError("laptop.bundle_not_a_bundle", field="file")
    content = document.get("content")
    if not isinstance(content, dict) or not isinstance(document.get("signature"), str) \
            or not isinstance(document.get("certificate"), str):
        raise BundleRefusedError("laptop.bundle_damaged", field="file")
    days = content.get("packet_valid_days")
    yard = content.get("yard")
    if any(not isinstance(content.get(k), str) for k in _TEXT_FIELDS) or not isinstance(yard, dict) \
            or not isinstance(days, int) or isinstance(days, bool) \
            or not PACKET_VALID_RANGE[0] <= days <= PACKET_VALID_RANGE[1]:
        raise BundleRefusedError("laptop.bundle_damaged", field="file")
    try:
        key_file = base64.b64decode(content["key_file"], validate=True)
        ca = keys.load_pem_certificate(content["ca_certificate"])
        signature = base64.b64decode(document["signature"], validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise BundleRefusedError("laptop.bundle_damaged", field="file") from None
    signer = packets.signer_from_pkcs12(key_file, passphrase)
    if not keys.issued_by(signer.certificate, ca) or \
            certificate_fingerprint(ca) not in {certificate_fingerprint(c) for c in signer.chain}:
        raise BundleRefusedError("laptop.bundle_foreign_key", field="file")
    if document["certificate"].strip() != keys.certificate_pem(signer.certificate).strip() or \
            not keys.verify_signature(signer.certificate, signature, packets.signed_bytes(content)):
        raise BundleRefusedError("laptop.bundle_altered", field="file")
    uid, _cn = packets.signer_identity(signer.certificate)
    if uid != content["user_id"] or content.get("key_fingerprint") != signer.fingerprint:
        raise BundleRefusedError("laptop.bundle_altered", field="file")
    if content["role"] != Role.SUPERVISOR.value:
        raise BundleRefusedError("laptop.bundle_not_supervisor", field="file", user=content["user_id"])
    return VerifiedBundle(user_id=content["user_id"], printed_name=content["printed_name"],
                          role=content["role"], yard_name=str(yard.get("legal_name") or ""),
                          yard_uscc=str(yard.get("uscc") or ""), packet_valid_days=days, key_file=key_file,
                          ca_pem=content["ca_certificate"], signer=signer)


# --- the laptop ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LaptopProfile:
    """Who this laptop signs for, for which yard, and how long the yard's packets stay valid."""

    user_id: str
    printed_name: str
    role: str
    yard_name: str
    yard_uscc: str
    packet_valid_days: int
    key_file: str  # the key file's name in the keys folder (never a path)
    format: str = PROFILE_FORMAT

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "user_id": self.user_id, "printed_name": self.printed_name,
                "role": self.role, "yard": {"legal_name": self.yard_name, "uscc": self.yard_uscc},
                "packet_valid_days": self.packet_valid_days, "key_file": self.key_file}

    @classmethod
    def from_json(cls, data: Any) -> LaptopProfile:
        if not isinstance(data, dict) or data.get("format") != PROFILE_FORMAT:
            raise ValueError("not a laptop profile")
        yard = data.get("yard")
        days = data.get("packet_valid_days")
        texts = [data.get(k) for k in ("user_id", "printed_name", "role", "key_file")]
        if not all(isinstance(t, str) for t in texts) or not isinstance(yard, dict) \
                or not isinstance(days, int) or isinstance(days, bool):
            raise ValueError("not a laptop profile")
        return cls(user_id=data["user_id"], printed_name=data["printed_name"], role=data["role"],
                   yard_name=str(yard.get("legal_name") or ""), yard_uscc=str(yard.get("uscc") or ""),
                   packet_valid_days=days, key_file=data["key_file"])


def laptop_profile(data_dir: DataDir) -> LaptopProfile | None:
    """The laptop's profile, or None when ``data_dir`` is not a laptop."""
    path = data_dir.laptop_profile
    if not path.is_file():
        return None
    try:
        return LaptopProfile.from_json(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise EnvironmentProblemError("laptop.profile_unreadable", path=str(path),
                                      reason=os_problem(exc)) from exc
    except ValueError:
        raise EnvironmentProblemError("laptop.profile_damaged", path=str(path)) from None


def laptop_key_file(data_dir: DataDir, profile: LaptopProfile) -> Path:
    return data_dir.keys / profile.key_file


def setup_laptop(bundle_bytes: bytes, *, passphrase: str, data_dir: DataDir) -> LaptopProfile:
    """Make ``data_dir`` a supervisor's laptop from their bundle; refuses a folder holding a yard or a laptop
    already set up. Nothing is written unless every check passed."""
    bundle = read_bundle(bundle_bytes, passphrase=passphrase)
    if data_dir.is_laptop:
        raise UserError("laptop.already_set_up", field="data_dir", path=str(data_dir.root))
    if data_dir.database.exists():
        raise UserError("laptop.directory_holds_yard", field="data_dir", path=str(data_dir.root))
    data_dir.ensure()
    serial = format(bundle.signer.certificate.serial_number, "x")[:16]
    key_name = fat_safe_name(f"{bundle.user_id}-{serial}.p12", fallback=f"supervisor-{serial}.p12")
    profile = LaptopProfile(user_id=bundle.user_id, printed_name=bundle.printed_name, role=bundle.role,
                            yard_name=bundle.yard_name, yard_uscc=bundle.yard_uscc,
                            packet_valid_days=bundle.packet_valid_days, key_file=key_name)
    text = json.dumps(profile.to_json(), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    try:
        write_atomically(data_dir.keys / key_name, bundle.key_file, private=True)
        write_atomically(data_dir.keys / keys.CA_CERT_FILE, bundle.ca_pem.encode("ascii"))
        # The profile last: it marks the folder as a laptop only once the keys are in place.
        write_atomically(data_dir.laptop_profile, text.encode("utf-8"))
    except OSError as exc:
        raise EnvironmentProblemError("laptop.setup_unwritable", path=str(data_dir.root),
                                      reason=os_problem(exc)) from exc
    return profile
