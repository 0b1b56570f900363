"""Trust material: reading CA and signer certificates from files and from a data directory's keys/."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inspector.canonical import certificate_fingerprint
from inspector.certificates.findings import Finding
from inspector.certificates.sign import CertificateSigner
from inspector.certificates.trust import (
    certificates_in_folder,
    chain_problem,
    is_ca,
    load_certificates,
    split_trust,
    yard_ca_path,
)
from inspector.datadir import DataDir
from inspector.errors import UserError

from .conftest import Authority


def test_pem_bundles_and_der_files_are_read(tmp_path: Path, yard_ca: Authority,
                                            supervisor: CertificateSigner) -> None:
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(yard_ca.cert.public_bytes(serialization.Encoding.PEM)
                       + supervisor.certificate.public_bytes(serialization.Encoding.PEM))
    der = tmp_path / "ca.cer"
    der.write_bytes(yard_ca.cert.public_bytes(serialization.Encoding.DER))
    assert load_certificates(bundle) == [yard_ca.cert, supervisor.certificate]
    assert load_certificates(der) == [yard_ca.cert]
    anchors, others = split_trust(load_certificates(bundle))
    assert anchors == [yard_ca.cert] and others == [supervisor.certificate]
    assert is_ca(yard_ca.cert) and not is_ca(supervisor.certificate)


def test_unreadable_trust_files_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError) as missing:
        load_certificates(tmp_path / "nope.pem")
    assert (missing.value.code, missing.value.field) == ("certificate.trust_file_missing", "--trust")
    assert missing.value.words("zh_CN") == (f"信任文件 {tmp_path / 'nope.pem'} 不存在。"
                                            "请提供用“yard-inspector ca export”导出的本堆场 CA 证书（PEM）。")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    with pytest.raises(UserError) as unreadable:
        load_certificates(junk)
    assert unreadable.value.code == "certificate.trust_file_invalid"


def test_the_keys_folder_yields_certificates_and_skips_keys(data_dir: DataDir, yard_ca: Authority,
                                                            supervisor: CertificateSigner) -> None:
    keys = data_dir.keys
    yard_ca_path(data_dir).write_bytes(yard_ca.cert.public_bytes(serialization.Encoding.PEM))
    (keys / "signers").mkdir()
    pem = serialization.Encoding.PEM
    (keys / "signers" / "wang.crt").write_bytes(supervisor.certificate.public_bytes(pem))
    (keys / "yard-ca-key.pem").write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret")))
    (keys / "wang.p12").write_bytes(b"\x30\x82 not read")
    found = certificates_in_folder(keys)
    expected = {certificate_fingerprint(yard_ca.cert), certificate_fingerprint(supervisor.certificate)}
    assert {certificate_fingerprint(c) for c in found} == expected
    assert len(found) == 2
    assert certificates_in_folder(data_dir.root / "absent") == []


def test_chain_problems_are_said_in_words(yard_ca: Authority, supervisor: CertificateSigner,
                                          outsider: CertificateSigner) -> None:
    assert chain_problem(supervisor.certificate, [yard_ca.cert]) is None
    assert chain_problem(supervisor.certificate, []) == Finding("verify.no_trust_root")
    assert Finding("verify.no_trust_root").words("zh_CN") == "未提供信任根：需要本堆场 CA 证书。"
    problem = chain_problem(outsider.certificate, [yard_ca.cert])
    assert problem is not None and problem.code == "verify.signer_untrusted"
    assert problem.en.startswith("The signer's certificate is not trusted by the given yard CA (")
    assert problem.words("zh_CN").startswith("签名人的证书不受所给本堆场 CA 信任（")
