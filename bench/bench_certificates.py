"""Benchmark: render + sign one certificate (issue 8 target: < 150 ms median on a 2-core machine).

Also reports the parts (QR payload, render, sign) and a verification, each as the median of repeated runs
in one warm process, with a throwaway EC P-256 yard CA and supervisor key made here.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench.common import machine, median_seconds
from inspector.certificates.issue import build_signed_certificate
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
from inspector.certificates.qr import make_qr_text
from inspector.certificates.render import render_certificate
from inspector.certificates.sign import CertificateSigner, sign_certificate
from inspector.certificates.verify import verify_pdf
from inspector.clock import Stamp

RUNS = 31
TARGET_MS = 150.0


def _cert(subject: str, issuer: str, public_key: ec.EllipticCurvePublicKey,
          signing_key: ec.EllipticCurvePrivateKey, *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False,
            decipher_only=False),
            critical=True)
        .sign(signing_key, hashes.SHA256())
    )


def make_signer() -> tuple[CertificateSigner, x509.Certificate]:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Bench Yard CA", "Bench Yard CA", ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert("Wang Fang", "Bench Yard CA", key.public_key(), ca_key, ca=False)
    return CertificateSigner(key, cert, [ca]), ca


def sample() -> CertificateData:
    at = Stamp(utc=datetime(2026, 3, 2, 8, 30, tzinfo=UTC), offset_minutes=480)
    return CertificateData(
        number="2026-000123", revision=1, issue_date=date(2026, 3, 2),
        issuer=Issuer(Bilingual("包头示例再生资源回收有限公司", "Baotou Example Recycling Co., Ltd."),
                      ("内蒙古危废经营许可证 1502-0042",)),
        supplier=Supplier("宁波示例磁材有限公司", "91330201MA2XXXXX3K"),
        lot_number="LOT-2026-0042", tickets=("T-2026-000311", "T-2026-000312"),
        category_code="NDFEB-SL", category_name=Bilingual("钕铁硼油泥/磨泥", "NdFeB grinding/oil sludge"),
        grade="B",
        rule_set=RuleSetRef(Bilingual("可回收利用稀土二次资源分类与综合利用国家标准", "National standard"),
                            "CN-RE2R", "0.1.0", "provisional"),
        net_mass_kg=Decimal("24310.5"), dry_mass_kg=Decimal("19448.4"), contained_reo_kg=Decimal("4084.2"),
        assay=(AssayLine("TREO", Decimal("21.0"), "%"), AssayLine("Nd2O3", Decimal("15.1"), "%")),
        assay_basis=Bilingual("干基氧化物", "dry oxide basis"), lab_name="Baotou RE Lab",
        lab_report_number="BTL-2026-03-0117",
        radiation_statement=Bilingual("未报警", "no alarm"),
        hazardous_waste_status=Bilingual("非危险废物", "not hazardous waste"),
        inspected_by=Signatory("Li Wei 李伟", Bilingual("检验员", "Inspector"), at,
                               Bilingual("已完成取样与识别", "Sampling and identification performed")),
        approved_by=Signatory("Wang Fang", Bilingual("主管", "Supervisor"), at,
                              Bilingual("批准分类与品级", "Classification and grade approved")),
        chain_head=ChainHead(4711, "3f" * 32),
    )


def main() -> int:
    signer, ca = make_signer()
    data = sample()
    qr_text = make_qr_text(data, signer)
    unsigned = render_certificate(data, qr_text=qr_text)
    signed = build_signed_certificate(data, signer)
    assert verify_pdf(signed, trust=[ca]).valid

    rows = [
        ("QR payload (sign + encode)",
         median_seconds(lambda: make_qr_text(data, signer), runs=RUNS, warmup=3)),
        ("render (ReportLab, embedded CJK subset, vector QR)",
         median_seconds(lambda: render_certificate(data, qr_text=qr_text), runs=RUNS, warmup=3)),
        ("sign (pyHanko PAdES B-B, EC P-256, cached key)",
         median_seconds(lambda: sign_certificate(unsigned, data, signer), runs=RUNS, warmup=3)),
        ("render + sign (QR, render, sign)",
         median_seconds(lambda: build_signed_certificate(data, signer), runs=RUNS, warmup=3)),
        ("verify (pyHanko + strict checks)", median_seconds(lambda: verify_pdf(signed, trust=[ca]), runs=RUNS,
                                                             warmup=3)),
    ]
    print(f"machine: {machine()}")
    print(f"signed certificate: {len(signed):,} bytes; median of {RUNS} runs each")
    for name, seconds in rows:
        print(f"  {name:<52} {seconds * 1000:7.1f} ms")
    total_ms = rows[3][1] * 1000
    verdict = "meets" if total_ms < TARGET_MS else "MISSES"
    print(f"render + sign: {total_ms:.1f} ms median, {verdict} the < {TARGET_MS:.0f} ms target")
    return 0 if total_ms < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
