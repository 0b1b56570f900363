"""Fixtures for the certificate tests: a throwaway yard CA, a supervisor's EC key, a sample certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from inspector.certificates.model import (
    AssayLine,
    Bilingual,
    CertificateData,
    ChainHead,
    Issuer,
    RuleSetRef,
    Signatory,
    Supplier,
)
from inspector.certificates.sign import CertificateSigner
from inspector.clock import Stamp

# Wide validity around the real date: pyHanko checks chains at the time of verification.
NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2046, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate


def _name(common_name: str, org: str = "Baotou Example Recycling Yard") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
    ])


def make_ca(common_name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, cert)


def issue_signer_cert(ca: Authority, common_name: str, key: ec.EllipticCurvePrivateKey, *,
                      not_after: datetime = NOT_AFTER) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                       critical=False)
        .sign(ca.key, hashes.SHA256())
    )


def make_signer(ca: Authority, common_name: str) -> CertificateSigner:
    key = ec.generate_private_key(ec.SECP256R1())
    return CertificateSigner(key, issue_signer_cert(ca, common_name, key), chain=[ca.cert])


@pytest.fixture(scope="session")
def yard_ca() -> Authority:
    return make_ca("Baotou Example Yard CA")


@pytest.fixture(scope="session")
def supervisor(yard_ca: Authority) -> CertificateSigner:
    return make_signer(yard_ca, "Wang Fang")


@pytest.fixture(scope="session")
def outsider() -> CertificateSigner:
    """A signer whose certificate comes from another CA with the same names (P8)."""
    return make_signer(make_ca("Baotou Example Yard CA"), "Wang Fang")


def sample_data(**changes: object) -> CertificateData:
    approved_at = Stamp(utc=datetime(2026, 3, 2, 8, 30, tzinfo=UTC), offset_minutes=480)
    inspected_at = Stamp(utc=approved_at.utc - timedelta(hours=3, minutes=15), offset_minutes=480)
    values: dict[str, object] = {
        "number": "2026-000123",
        "revision": 1,
        "issue_date": date(2026, 3, 2),
        "issuer": Issuer(
            legal_name=Bilingual(zh="包头示例再生资源回收有限公司", en="Baotou Example Recycling Co., Ltd."),
            permit_numbers=("内蒙古危废经营许可证 1502-0042", "再生资源回收备案 BT-2025-017"),
            address=Bilingual(zh="内蒙古包头市稀土高新区示例路 8 号",
                              en="8 Example Road, Rare-Earth Hi-Tech Zone, Baotou, Inner Mongolia"),
        ),
        "supplier": Supplier(name="宁波示例磁材有限公司 Ningbo Example Magnetics", uscc="91330201MA2H7K5Q36"),
        "lot_number": "LOT-2026-0042",
        "tickets": ("T-2026-000311", "T-2026-000312", "T-2026-000315"),
        "category_code": "NDFEB-SL",
        "category_name": Bilingual(zh="钕铁硼油泥/磨泥", en="NdFeB grinding/oil sludge"),
        "grade": "B",
        "rule_set": RuleSetRef(
            standard_reference=Bilingual(zh="可回收利用稀土二次资源分类与综合利用国家标准",
                                         en="National standard: recyclable rare-earth secondary resources"),
            rule_set_id="CN-RE2R", version="0.1.0", status="provisional",
        ),
        "net_mass_kg": Decimal("24310.5"),
        "dry_mass_kg": Decimal("19448.4"),
        "contained_reo_kg": Decimal("4084.2"),
        "assay": (
            AssayLine("TREO", Decimal("21.0"), "%"),
            AssayLine("Pr6O11+Nd2O3", Decimal("76.5"), "% of TREO"),
            AssayLine("H2O", Decimal("20.0"), "%"),
        ),
        "assay_basis": Bilingual(zh="干基氧化物", en="dry oxide basis"),
        "lab_name": "包头稀土研究院检测中心 / Baotou RE Research Institute Lab",
        "lab_report_number": "BTL-2026-03-0117",
        "radiation_statement": Bilingual(
            zh="门岗剂量率净值 0.02 µSv/h，未报警；U/Th 低于 1 Bq/g 豁免值。",
            en="Gate dose rate net 0.02 µSv/h, no alarm; U/Th below the 1 Bq/g exemption level.",
        ),
        "hazardous_waste_status": Bilingual(zh="非危险废物（无 HW 代码）",
                                            en="Not hazardous waste (no HW code)"),
        "inspected_by": Signatory(
            printed_name="Li Wei 李伟",
            role=Bilingual(zh="检验员", en="Inspector"),
            at=inspected_at,
            meaning=Bilingual(zh="已完成取样与识别", en="Sampling and identification performed"),
        ),
        "approved_by": Signatory(
            printed_name="Wang Fang",
            role=Bilingual(zh="主管", en="Supervisor"),
            at=approved_at,
            meaning=Bilingual(zh="批准分类与品级", en="Classification and grade approved"),
        ),
        "chain_head": ChainHead(seq=4711, hash="3f" * 32),
    }
    values.update(changes)
    return CertificateData(**values)  # type: ignore[arg-type]


@pytest.fixture
def data() -> CertificateData:
    return sample_data()


@pytest.fixture(scope="session")
def signed_pdf(supervisor: CertificateSigner) -> bytes:
    """One signed certificate for the whole session (signing is the slow part)."""
    from inspector.certificates.issue import build_signed_certificate

    return build_signed_certificate(sample_data(), supervisor, invariant=True)
