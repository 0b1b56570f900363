"""The yard's certificate authority and the supervisors' personal signing keys.

- The yard CA is created at ``init`` with its own passphrase; its key and certificate are in
  ``keys/yard-ca.p12`` and its certificate alone in ``keys/yard-ca.pem`` (what customers get).
- Each supervisor gets a personal EC P-256 key in a PKCS#12 file (PBES2: PBKDF2-SHA256 + AES-256-CBC, SHA-256
  MAC), issued by the yard CA or imported from an external CA. EC keys sign in a few milliseconds where RSA
  keys re-parsed by pyHanko take hundreds.
- Passphrases are never stored: signing always asks for one. ``load_signer`` keeps the decrypted key in this
  process only, and still demands the passphrase on every call.
- Each station that prints weigh tickets may hold a ticket-signing key (kind ``station``): EC P-256, issued
  by the yard CA, stored WITHOUT a passphrase (see ``create_station_ticket_key``).
- Creation, issue, import, renewal and revocation are audited (``SigningKey`` is a business row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlmodel import Session, col

from inspector.canonical import certificate_fingerprint
from inspector.clock import Clock, as_utc
from inspector.datadir import DataDir
from inspector.errors import ConflictError, EnvironmentProblemError, PermissionDeniedError, UserError
from inspector.files import write_atomically
from inspector.messages import Term, formats
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_change, row_content
from inspector.security.users import get_user
from inspector.storage.models.security import SigningKey

CA_FILE = "yard-ca.p12"
CA_CERT_FILE = "yard-ca.pem"
KDF_ROUNDS = 200_000
MIN_PASSPHRASE_LENGTH = 12
CA_VALID_DAYS = 20 * 365
PERSONAL_VALID_DAYS = 2 * 365
STATION_KIND = "station"
STATION_VALID_DAYS = 2 * 365
# Certificates start a little in the past so a PC clock a few minutes behind still accepts them.
BACKDATE = dt.timedelta(minutes=10)

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def check_passphrase_policy(passphrase: str, *, field: str = "passphrase") -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise UserError("key.passphrase_too_short", field=field, minimum=MIN_PASSPHRASE_LENGTH)


def certificate_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def load_pem_certificate(text: str | bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode("ascii") if isinstance(text, str) else text)


def _encryption(passphrase: str) -> serialization.KeySerializationEncryption:
    return (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase.encode("utf-8"))
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write a key file atomically, readable by this user only."""
    try:
        write_atomically(path, data, private=True)
    except OSError as exc:
        raise EnvironmentProblemError("key.file_unwritable", path=str(path),
                                      detail=str(exc.strerror or exc)) from exc


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblemError("key.file_unreadable", path=str(path),
                                      detail=str(exc.strerror or exc)) from exc


def _key_type(key: Any) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return f"EC {key.curve.name}"
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    return type(key).__name__


def _registry_row(cert: x509.Certificate, *, kind: str, username: str | None, origin: str, path: str,
                  key: Any) -> SigningKey:
    return SigningKey(
        kind=kind,
        username=username,
        subject=cert.subject.rfc4514_string()[:300],
        issuer=cert.issuer.rfc4514_string()[:300],
        origin=origin,
        serial=format(cert.serial_number, "x")[:64],
        fingerprint=certificate_fingerprint(cert),
        key_type=_key_type(key),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        path=path,
        certificate_pem=certificate_pem(cert),
        status="active",
    )


def active_ca(session: Session) -> SigningKey | None:
    stmt = select(SigningKey).where(col(SigningKey.kind) == "ca", col(SigningKey.status) == "active")
    row: SigningKey | None = session.execute(stmt.order_by(col(SigningKey.id).desc())).scalars().first()
    return row


def require_ca(session: Session) -> SigningKey:
    ca = active_ca(session)
    if ca is None:
        raise EnvironmentProblemError("ca.missing")
    return ca


def create_yard_ca(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, passphrase: str,
    common_name: str = "Yard Inspector yard CA", organisation: str = "",
) -> SigningKey:
    """Create the yard's own CA (EC P-256, 20 years) protected by ``passphrase``."""
    require_role(actor, [Role.ADMIN], action="create the yard's certificate authority")
    check_passphrase_policy(passphrase, field="ca_passphrase")
    if active_ca(session) is not None:
        raise ConflictError("ca.exists")
    now = clock.now().utc
    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name.strip() or "Yard Inspector yard CA")]
    if organisation.strip():
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.strip()[:64]))
    name = x509.Name(attrs)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=CA_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    blob = pkcs12.serialize_key_and_certificates(b"yard-ca", key, cert, None, _encryption(passphrase))
    _write_private(data_dir.keys / CA_FILE, blob)
    (data_dir.keys / CA_CERT_FILE).write_text(certificate_pem(cert), encoding="ascii")
    row = _registry_row(cert, kind="ca", username=None, origin="yard-ca", path=CA_FILE, key=key)
    record_change(session, row, actor=actor, action="key.ca_create", clock=clock)
    return row


def export_ca(session: Session, *, out: Path) -> Path:
    """Write the yard CA's certificate (PEM) for customers to trust the yard's signatures."""
    ca = require_ca(session)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(ca.certificate_pem, encoding="ascii")
    except OSError as exc:
        raise EnvironmentProblemError("security.export_unwritable", path=str(out),
                                      detail=str(exc.strerror or exc)) from exc
    return out


def _load_pkcs12(data: bytes, passphrase: str | None, *, what: str) -> pkcs12.PKCS12KeyAndCertificates:
    """Open a PKCS#12 file; ``what`` it is (``words.key_file``): ca, personal or imported."""
    if not passphrase:
        raise UserError("key.passphrase_required", field="passphrase", what=Term("key_file", what))
    try:
        bundle = pkcs12.load_pkcs12(data, passphrase.encode("utf-8"))
    except ValueError:
        raise UserError("key.passphrase_wrong_or_damaged", field="passphrase",
                        what=Term("key_file", what)) from None
    if bundle.key is None or bundle.cert is None:
        raise UserError("key.file_incomplete", field="file", what=Term("key_file", what))
    return bundle


def _load_ca(session: Session, data_dir: DataDir, passphrase: str) -> tuple[PrivateKey, x509.Certificate]:
    ca = require_ca(session)
    bundle = _load_pkcs12(_read(data_dir.keys / ca.path), passphrase, what="ca")
    key = bundle.key
    assert bundle.cert is not None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise EnvironmentProblemError("key.unsupported_type", what=Term("key_file", "ca"))
    cert = bundle.cert.certificate
    if certificate_fingerprint(cert) != ca.fingerprint:
        raise EnvironmentProblemError("key.file_mismatch", path=str(data_dir.keys / ca.path),
                                      what=Term("key_file", "ca"))
    return key, cert


def personal_keys(session: Session, username: str | None = None) -> list[SigningKey]:
    stmt = select(SigningKey).where(col(SigningKey.kind) == "personal")
    if username is not None:
        stmt = stmt.where(col(SigningKey.username) == username)
    return list(session.execute(stmt.order_by(col(SigningKey.id))).scalars().all())


def active_personal_key(session: Session, username: str) -> SigningKey | None:
    keys = [k for k in personal_keys(session, username) if k.status == "active"]
    return keys[-1] if keys else None


def _require_signer_user(session: Session, username: str) -> tuple[str, str]:
    user = get_user(session, username)
    if user is None or not user.active:
        raise UserError("user.not_active", field="username", username=username)
    if Role.SUPERVISOR.value not in user.roles:
        raise UserError("key.not_supervisor", field="username", username=user.username)
    return user.username, user.display_name


def _supersede(session: Session, *, actor: Actor, clock: Clock, username: str, reason: str) -> bool:
    had = False
    for old_key in personal_keys(session, username):
        if old_key.status == "active":
            had = True
            before = row_content(old_key)
            old_key.status = "superseded"
            old_key.status_reason = reason
            old_key.status_changed_at = clock.now().utc
            record_change(session, old_key, actor=actor, action="key.supersede", clock=clock, old=before,
                          reason=reason)
    return had


def _issue_ec_certificate(ca_key: PrivateKey, ca_cert: x509.Certificate,
                          subject: list[x509.NameAttribute[Any]], *, now: dt.datetime, valid_days: int,
                          non_repudiation: bool) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A new EC P-256 key and its end-entity certificate issued by the yard CA (in the CA's organisation,
    valid from a little before ``now`` for ``valid_days``, never past the CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = list(subject)
    org = ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    if org:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, str(org[0].value)))
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + dt.timedelta(days=valid_days), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=non_repudiation, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def issue_personal_key(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, username: str, ca_passphrase: str,
    key_passphrase: str, valid_days: int = PERSONAL_VALID_DAYS,
) -> SigningKey:
    """Issue (or renew) a supervisor's EC P-256 key, certified by the yard CA, in a PKCS#12 file.

    The CA passphrase is asked from the administrator, the key passphrase from the supervisor.
    """
    require_role(actor, [Role.ADMIN], action="issue signing keys")
    name, display = _require_signer_user(session, username)
    check_passphrase_policy(key_passphrase, field="key_passphrase")
    if key_passphrase == ca_passphrase:
        raise UserError("key.passphrase_same_as_ca", field="key_passphrase")
    if not 1 <= valid_days <= 5 * 365:
        raise UserError("key.validity_range", field="valid_days", days=valid_days)
    ca_key, ca_cert = _load_ca(session, data_dir, ca_passphrase)
    now = clock.now().utc
    # nonRepudiation (content_commitment): pyHanko's default policy rejects signers without it.
    key, cert = _issue_ec_certificate(
        ca_key, ca_cert, [x509.NameAttribute(NameOID.COMMON_NAME, display[:64]),
                          x509.NameAttribute(NameOID.USER_ID, name)],
        now=now, valid_days=valid_days, non_repudiation=True)
    file_name = f"{name}-{format(cert.serial_number, 'x')[:16]}.p12"
    blob = pkcs12.serialize_key_and_certificates(name.encode(), key, cert, [ca_cert],
                                                 _encryption(key_passphrase))
    _write_private(data_dir.keys / file_name, blob)
    renewed = _supersede(session, actor=actor, clock=clock, username=name, reason="replaced by a new key")
    row = _registry_row(cert, kind="personal", username=name, origin="yard-ca", path=file_name, key=key)
    record_change(session, row, actor=actor, action="key.renew" if renewed else "key.issue", clock=clock)
    return row


def import_personal_key(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, username: str, pkcs12_data: bytes,
    passphrase: str,
) -> SigningKey:
    """Register a supervisor's key issued by an external CA (a PKCS#12 file and its passphrase).

    The file is re-encrypted with AES-256/PBKDF2 under the same passphrase, whatever the original used.
    """
    require_role(actor, [Role.ADMIN], action="import signing keys")
    name, _display = _require_signer_user(session, username)
    check_passphrase_policy(passphrase, field="passphrase")
    bundle = _load_pkcs12(pkcs12_data, passphrase, what="imported")
    key = bundle.key
    assert bundle.cert is not None
    cert = bundle.cert.certificate
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise UserError("key.import_type", field="file")
    pub = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, pub) != cert.public_key().public_bytes(der, pub):
        raise UserError("key.import_mismatch", field="file")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        usable = usage.digital_signature and usage.content_commitment
    except x509.ExtensionNotFound:
        usable = False
    if not usable:
        raise UserError("key.import_usage", field="file")
    now = clock.now().utc
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise UserError("key.import_not_valid_now", field="file",
                        start=formats.Day(cert.not_valid_before_utc),
                        end=formats.Day(cert.not_valid_after_utc))
    if any(k.fingerprint == certificate_fingerprint(cert) for k in personal_keys(session)):
        raise ConflictError("key.already_registered", field="file", fingerprint=certificate_fingerprint(cert))
    chain = [c.certificate for c in bundle.additional_certs]
    file_name = f"{name}-{format(cert.serial_number, 'x')[:16]}.p12"
    blob = pkcs12.serialize_key_and_certificates(name.encode(), key, cert, chain or None,
                                                 _encryption(passphrase))
    _write_private(data_dir.keys / file_name, blob)
    _supersede(session, actor=actor, clock=clock, username=name, reason="replaced by an imported key")
    row = _registry_row(cert, kind="personal", username=name, origin="external", path=file_name, key=key)
    record_change(session, row, actor=actor, action="key.import", clock=clock)
    return row


def revoke_key(
    session: Session, *, actor: Actor, clock: Clock, fingerprint_hex: str, reason: str
) -> SigningKey:
    """Revoke a personal key (lost, stolen, person left): it can no longer sign. Administrators may revoke
    any key; a supervisor may revoke their own."""
    text = (reason or "").strip()
    if not text:
        raise UserError("key.revoke_reason_required", field="reason")
    stmt = select(SigningKey).where(col(SigningKey.fingerprint) == fingerprint_hex.lower())
    row: SigningKey | None = session.execute(stmt).scalars().first()
    if row is None or row.kind != "personal":
        raise UserError("key.not_found", field="fingerprint", fingerprint=fingerprint_hex)
    if not actor.has(Role.ADMIN) and not (actor.has(Role.SUPERVISOR) and actor.user_id == row.username):
        raise PermissionDeniedError("key.revoke_denied", name=actor.display_name, user=actor.user_id,
                                    owner=row.username or "")
    if row.status == "revoked":
        raise ConflictError("key.already_revoked", field="fingerprint", fingerprint=row.fingerprint)
    before = row_content(row)
    row.status = "revoked"
    row.status_reason = text
    row.status_changed_at = clock.now().utc
    record_change(session, row, actor=actor, action="key.revoke", clock=clock, old=before, reason=text)
    _signer_cache.pop(row.fingerprint, None)
    return row


@dataclass
class Signer:
    """A supervisor's unlocked key and certificate chain, for PDF signatures and checkpoints."""

    username: str
    private_key: PrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    fingerprint: str
    _pyhanko: Any = field(default=None, repr=False)

    def sign(self, data: bytes) -> bytes:
        """A detached signature over ``data`` (ECDSA or RSA PKCS#1 v1.5, SHA-256)."""
        if isinstance(self.private_key, ec.EllipticCurvePrivateKey):
            return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))
        return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def pyhanko_signer(self) -> Any:
        """A ``pyhanko.sign.signers.SimpleSigner`` over this key (built once, imported lazily)."""
        if self._pyhanko is None:
            from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
            from asn1crypto import x509 as asn1_x509
            from pyhanko.sign.signers import SimpleSigner
            from pyhanko_certvalidator.registry import SimpleCertificateStore

            der = serialization.Encoding.DER
            key_der = self.private_key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
            self._pyhanko = SimpleSigner(
                signing_cert=asn1_x509.Certificate.load(self.certificate.public_bytes(der)),
                signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
                cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                    [asn1_x509.Certificate.load(c.public_bytes(der)) for c in self.chain]
                ),
            )
        return self._pyhanko


# fingerprint -> (keyed digest of the passphrase, signer). The digest key is random per process, so the
# cache reveals nothing about the passphrase and still refuses a wrong one without re-decrypting.
_signer_cache: dict[str, tuple[bytes, Signer]] = {}
_cache_key = secrets.token_bytes(32)


def _passphrase_digest(passphrase: str) -> bytes:
    return hmac.new(_cache_key, passphrase.encode("utf-8"), hashlib.sha256).digest()


def clear_signer_cache() -> None:
    _signer_cache.clear()
    _station_cache.clear()


def load_signer(
    session: Session, *, data_dir: DataDir, username: str, passphrase: str, clock: Clock
) -> Signer:
    """Unlock ``username``'s active personal key with ``passphrase`` (the decrypted key is cached in this
    process; the passphrase is checked on every call)."""
    row = active_personal_key(session, username.strip().lower())
    if row is None:
        raise EnvironmentProblemError("key.none_active", username=username)
    stamp = clock.now()
    if not row.not_before <= stamp.utc <= row.not_after:
        raise EnvironmentProblemError("key.not_valid_now", username=username,
                                      start=formats.Day(row.not_before, stamp.offset_minutes),
                                      end=formats.Day(row.not_after, stamp.offset_minutes))
    if not passphrase:
        raise UserError("key.passphrase_required", field="passphrase", what=Term("key_file", "personal"))
    digest = _passphrase_digest(passphrase)
    cached = _signer_cache.get(row.fingerprint)
    if cached is not None:
        if not hmac.compare_digest(cached[0], digest):
            raise UserError("key.passphrase_wrong", field="passphrase", what=Term("key_file", "personal"))
        return cached[1]
    bundle = _load_pkcs12(_read(data_dir.keys / row.path), passphrase, what="personal")
    key = bundle.key
    assert bundle.cert is not None
    cert = bundle.cert.certificate
    if certificate_fingerprint(cert) != row.fingerprint:
        raise EnvironmentProblemError("key.file_mismatch", path=row.path, what=Term("key_file", "personal"))
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise EnvironmentProblemError("key.unsupported_type", what=Term("key_file", "personal"))
    chain = [c.certificate for c in bundle.additional_certs]
    signer = Signer(username=row.username or username, private_key=key, certificate=cert, chain=chain,
                    fingerprint=row.fingerprint)
    _signer_cache[row.fingerprint] = (digest, signer)
    return signer


# --- the station's ticket-signing key ------------------------------------------------------------------


def station_keys(session: Session) -> list[SigningKey]:
    """Every ticket-signing key the yard registered (all stations, every status), oldest first."""
    stmt = select(SigningKey).where(col(SigningKey.kind) == STATION_KIND)
    return list(session.execute(stmt.order_by(col(SigningKey.id))).scalars().all())


def station_certificates(session: Session) -> list[x509.Certificate]:
    """The certificates of every station's ticket-signing key: a ticket's QR names its signer by
    fingerprint only, and a ticket printed at another station is checked here too."""
    return [load_pem_certificate(k.certificate_pem) for k in station_keys(session)]


def active_station_key(session: Session, data_dir: DataDir) -> SigningKey | None:
    """This station's ticket-signing key in force: the newest active one whose key file is in this data
    directory (stations sharing one database each keep their own key file)."""
    for row in reversed(station_keys(session)):
        if row.status == "active" and (data_dir.keys / row.path).is_file():
            return row
    return None


def create_station_ticket_key(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, ca_passphrase: str,
    station_name: str = "", valid_days: int = STATION_VALID_DAYS,
) -> SigningKey:
    """Issue this station's ticket-signing key: EC P-256, certified by the yard CA ("ticket signing").

    A weigh ticket is printed for the driver at the scale, by whoever weighs, without asking anyone for a
    passphrase. So this key is an unattended seal, like a web server's TLS key: its PKCS#12 file in
    ``keys/`` has NO passphrase and is readable by the station's user only (0600). It seals weigh tickets
    and nothing else: it cannot sign certificates, approvals or checkpoints (those need a supervisor's
    personal key and passphrase). An administrator makes it once, with the CA passphrase; a new one
    supersedes this station's previous one (other stations' keys are left alone).
    """
    require_role(actor, [Role.ADMIN], action="issue signing keys")
    if not 1 <= valid_days <= 5 * 365:
        raise UserError("key.validity_range", field="valid_days", days=valid_days)
    ca_key, ca_cert = _load_ca(session, data_dir, ca_passphrase)
    now = clock.now().utc
    station = " ".join((station_name or socket.gethostname() or "station").split())
    # A seal of receipts: digital signatures only, no non-repudiation (no person stands behind it).
    key, cert = _issue_ec_certificate(
        ca_key, ca_cert, [x509.NameAttribute(NameOID.COMMON_NAME, f"Ticket seal {station}"[:64])],
        now=now, valid_days=valid_days, non_repudiation=False)
    file_name = f"station-ticket-{format(cert.serial_number, 'x')[:16]}.p12"
    blob = pkcs12.serialize_key_and_certificates(b"station-ticket", key, cert, [ca_cert],
                                                 serialization.NoEncryption())
    _write_private(data_dir.keys / file_name, blob)
    previous = active_station_key(session, data_dir)
    if previous is not None:
        before = row_content(previous)
        previous.status = "superseded"
        previous.status_reason = "replaced by a new ticket-signing key"
        previous.status_changed_at = now
        record_change(session, previous, actor=actor, action="key.supersede", clock=clock, old=before,
                      reason=previous.status_reason)
    row = _registry_row(cert, kind=STATION_KIND, username=None, origin="yard-ca", path=file_name, key=key)
    record_change(session, row, actor=actor, action="key.station_issue", clock=clock)
    return row


# fingerprint -> the station's unlocked seal (its file holds no secret, but parsing it costs time).
_station_cache: dict[str, Signer] = {}


def load_station_signer(session: Session, *, data_dir: DataDir, clock: Clock) -> Signer | None:
    """This station's ticket seal, ready to sign; None when the station has none in force (no key, not
    valid now, or its file unreadable): a ticket is then printed unsigned, never refused."""
    row = active_station_key(session, data_dir)
    if row is None:
        return None
    now = clock.now().utc
    if not as_utc(row.not_before) <= now <= as_utc(row.not_after):
        return None
    cached = _station_cache.get(row.fingerprint)
    if cached is not None:
        return cached
    try:
        key, cert, extra = pkcs12.load_key_and_certificates((data_dir.keys / row.path).read_bytes(), None)
    except (OSError, ValueError):
        return None
    if cert is None or certificate_fingerprint(cert) != row.fingerprint or \
            not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        return None
    signer = Signer(username="", private_key=key, certificate=cert, chain=list(extra),
                    fingerprint=row.fingerprint)
    _station_cache[row.fingerprint] = signer
    return signer


def verify_signature(cert: x509.Certificate, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` over ``data`` was made by ``cert``'s key."""
    public = cert.public_key()
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
