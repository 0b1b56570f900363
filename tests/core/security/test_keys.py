"""P17: the signing key cannot be used without the signer's passphrase; keys are AES-256/PBKDF2 PKCS#12
files issued by the yard CA or imported, and every key operation is audited."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from sqlmodel import col, select

from inspector.canonical import certificate_fingerprint
from inspector.errors import ConflictError, EnvironmentProblemError, PermissionDeniedError, UserError
from inspector.security import checkpoints, keys, verify
from inspector.security.actor import Actor, Role
from inspector.storage.models.audit import AuditEvent
from tests.core.security.conftest import Yard

ADMIN = Actor("admin", "Administrator", frozenset({Role.ADMIN}))
ZHANG = Actor("zhang.min", "Zhang Min", frozenset({Role.SUPERVISOR}))
KEY_PASS = "demo-zhang.min-key"
# DER encodings of the algorithm identifiers a PBES2 / AES-256-CBC PKCS#12 must carry.
OID_PBES2 = bytes.fromhex("06092a864886f70d01050d")
OID_PBKDF2 = bytes.fromhex("06092a864886f70d01050c")
OID_AES256_CBC = bytes.fromhex("060960864801650304012a")


def _load(yard: Yard, passphrase: str, username: str = "zhang.min") -> keys.Signer:
    with yard.store.session() as s:
        return keys.load_signer(
            s, data_dir=yard.data_dir, username=username, passphrase=passphrase, clock=yard.clock
        )


def test_p17_the_key_cannot_be_used_without_the_right_passphrase(yard: Yard) -> None:
    with pytest.raises(UserError) as err:
        _load(yard, "")
    assert err.value.field == "passphrase" and err.value.code == "key.passphrase_required"
    assert err.value.words("zh_CN") == "须输入签名密钥的口令。"
    with pytest.raises(UserError) as err:
        _load(yard, "demo-zhang.min-kez")
    assert (err.value.code, err.value.field) == ("key.passphrase_wrong_or_damaged", "passphrase")
    assert err.value.message == "Wrong passphrase for the signing key (or the file is damaged)."
    signer = _load(yard, KEY_PASS)
    assert signer.username == "zhang.min"
    # Once unlocked and cached in this process, a wrong passphrase is still refused.
    with pytest.raises(UserError) as err:
        _load(yard, "not the passphrase")
    assert (err.value.code, err.value.field) == ("key.passphrase_wrong", "passphrase")
    assert err.value.words("zh_CN") == "签名密钥的口令错误。请重新输入口令，注意区分大小写。"
    assert _load(yard, KEY_PASS) is signer
    # Nothing in the data directory holds the passphrase.
    for path in yard.data_dir.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            name = path.name
            assert KEY_PASS.encode() not in data, name
            assert b"demo-yard-ca-passphrase" not in data, name


def test_p17_personal_keys_are_aes256_pbkdf2_pkcs12_files_readable_only_by_their_owner(yard: Yard) -> None:
    with yard.store.session() as s:
        row = keys.active_personal_key(s, "zhang.min")
    assert row is not None and row.key_type == "EC secp256r1" and row.origin == "yard-ca"
    path = yard.data_dir.keys / row.path
    blob = path.read_bytes()
    assert OID_PBES2 in blob and OID_PBKDF2 in blob and OID_AES256_CBC in blob
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(ValueError):
        pkcs12.load_pkcs12(blob, None)
    bundle = pkcs12.load_pkcs12(blob, KEY_PASS.encode())
    assert bundle.cert is not None
    cert = bundle.cert.certificate
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    with yard.store.session() as s:
        ca = keys.require_ca(s)
    assert keys.issued_by(cert, keys.load_pem_certificate(ca.certificate_pem))


def test_the_signer_signs_and_builds_a_pyhanko_signer(yard: Yard) -> None:
    signer = _load(yard, KEY_PASS)
    signature = signer.sign(b"chain head")
    assert keys.verify_signature(signer.certificate, signature, b"chain head")
    assert not keys.verify_signature(signer.certificate, signature, b"another head")
    hanko = signer.pyhanko_signer()
    assert hanko.signing_cert.subject.native["common_name"] == "张敏 Zhang Min"
    assert signer.pyhanko_signer() is hanko


def test_issuing_needs_the_ca_passphrase_and_an_administrator_and_renewal_supersedes(yard: Yard) -> None:
    with yard.store.session() as s, pytest.raises(UserError) as err:
        keys.issue_personal_key(
            s,
            actor=ADMIN,
            clock=yard.clock,
            data_dir=yard.data_dir,
            username="zhang.min",
            ca_passphrase="not the ca passphrase",
            key_passphrase="a new key passphrase",
        )
    assert err.value.code == "key.passphrase_wrong_or_damaged"
    assert err.value.words("zh_CN").startswith("本堆场证书颁发机构的口令错误（或文件已损坏）。")
    with yard.store.session() as s, pytest.raises(PermissionDeniedError) as denied:
        keys.issue_personal_key(
            s,
            actor=ZHANG,
            clock=yard.clock,
            data_dir=yard.data_dir,
            username="zhang.min",
            ca_passphrase="demo-yard-ca-passphrase",
            key_passphrase="a new key passphrase",
        )
    assert denied.value.code == "role.denied"
    assert denied.value.words("zh_CN").startswith("Zhang Min（zhang.min）无权签发签名密钥：需要管理员角色。")
    with yard.store.session() as s, pytest.raises(UserError) as err:
        keys.issue_personal_key(
            s,
            actor=ADMIN,
            clock=yard.clock,
            data_dir=yard.data_dir,
            username="li.wei",
            ca_passphrase="demo-yard-ca-passphrase",
            key_passphrase="a new key passphrase",
        )
    assert (err.value.code, err.value.field) == ("key.not_supervisor", "username")
    assert err.value.words("zh_CN") == "li.wei 不是主管；只有主管才能签名。请先授予其主管角色。"
    with yard.store.session() as s:
        old = keys.active_personal_key(s, "zhang.min")
        assert old is not None
        new = keys.issue_personal_key(
            s,
            actor=ADMIN,
            clock=yard.clock,
            data_dir=yard.data_dir,
            username="zhang.min",
            ca_passphrase="demo-yard-ca-passphrase",
            key_passphrase="a new key passphrase",
        )
    with yard.store.session() as s:
        statuses = {k.fingerprint: k.status for k in keys.personal_keys(s, "zhang.min")}
        actions = [
            e.action
            for e in s.exec(
                select(AuditEvent)
                .where(col(AuditEvent.entity) == "signing_key")
                .order_by(col(AuditEvent.seq))
            ).all()
        ]
    assert statuses == {old.fingerprint: "superseded", new.fingerprint: "active"}
    assert actions[-2:] == ["key.supersede", "key.renew"]
    assert _load(yard, "a new key passphrase").fingerprint == new.fingerprint


def test_a_revoked_key_cannot_sign_and_revocation_is_audited(yard: Yard) -> None:
    signer = _load(yard, KEY_PASS)
    with yard.store.session() as s, pytest.raises(UserError) as err:
        keys.revoke_key(s, actor=ADMIN, clock=yard.clock, fingerprint_hex=signer.fingerprint, reason=" ")
    assert (err.value.code, err.value.field) == ("key.revoke_reason_required", "reason")
    with yard.store.session() as s, pytest.raises(PermissionDeniedError) as denied:
        other = Actor("zhao.hui", "Zhao Hui", frozenset({Role.SUPERVISOR}))
        keys.revoke_key(s, actor=other, clock=yard.clock, fingerprint_hex=signer.fingerprint, reason="lost")
    assert denied.value.code == "key.revoke_denied" and denied.value.params["owner"] == "zhang.min"
    with yard.store.session() as s:
        keys.revoke_key(
            s, actor=ZHANG, clock=yard.clock, fingerprint_hex=signer.fingerprint, reason="laptop stolen"
        )
    with pytest.raises(EnvironmentProblemError) as gone:
        _load(yard, KEY_PASS)
    assert gone.value.code == "key.none_active"
    assert gone.value.words("zh_CN") == ("zhang.min 没有有效的签名密钥。"
                                         "管理员可用“yard-inspector keys issue”为其签发。")
    with yard.store.session() as s, pytest.raises(ConflictError) as again:
        keys.revoke_key(s, actor=ADMIN, clock=yard.clock, fingerprint_hex=signer.fingerprint, reason="again")
    assert again.value.code == "key.already_revoked"


def _external_pkcs12(passphrase: str) -> tuple[bytes, x509.Certificate]:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Licensed CA (test)")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Zhao Hui")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(77)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=730))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption

    blob = pkcs12.serialize_key_and_certificates(
        b"zhao", key, cert, [ca_cert], BestAvailableEncryption(passphrase.encode())
    )
    return blob, cert


def test_a_key_from_an_external_ca_is_imported_re_encrypted_and_signs_checkpoints(yard: Yard) -> None:
    blob, cert = _external_pkcs12("external passphrase")
    with yard.store.session() as s, pytest.raises(UserError) as err:
        keys.import_personal_key(
            s,
            actor=ADMIN,
            clock=yard.clock,
            data_dir=yard.data_dir,
            username="zhao.hui",
            pkcs12_data=blob,
            passphrase="not the passphrase",
        )
    assert err.value.code == "key.passphrase_wrong_or_damaged"
    assert err.value.message == "Wrong passphrase for the imported key file (or the file is damaged)."
    with yard.store.session() as s:
        row = keys.import_personal_key(
            s,
            actor=ADMIN,
            clock=yard.clock,
            data_dir=yard.data_dir,
            username="zhao.hui",
            pkcs12_data=blob,
            passphrase="external passphrase",
        )
    assert row.origin == "external" and row.fingerprint == certificate_fingerprint(cert)
    assert OID_AES256_CBC in (yard.data_dir.keys / row.path).read_bytes()
    with yard.store.session() as s:
        signer = keys.load_signer(
            s, data_dir=yard.data_dir, username="zhao.hui", passphrase="external passphrase", clock=yard.clock
        )
        assert len(signer.chain) == 1
        checkpoints.write_checkpoint(
            s,
            data_dir=yard.data_dir,
            signer=signer,
            clock=yard.clock,
            purpose="certificate",
            reference="RE-2026-0001",
        )
    assert verify.verify_all(yard.store, yard.data_dir) == []


def test_the_ca_is_created_once_with_its_own_passphrase(yard: Yard) -> None:
    with yard.store.session() as s, pytest.raises(ConflictError) as err:
        keys.create_yard_ca(
            s, actor=ADMIN, clock=yard.clock, data_dir=yard.data_dir, passphrase="another ca passphrase"
        )
    assert err.value.code == "ca.exists"
    with yard.store.session() as s:
        ca = keys.require_ca(s)
    cert = keys.load_pem_certificate(ca.certificate_pem)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (yard.data_dir.keys / keys.CA_CERT_FILE).read_text() == ca.certificate_pem
    assert OID_AES256_CBC in (yard.data_dir.keys / keys.CA_FILE).read_bytes()
