"""Signing and verifying certificate PDFs, including the tamper cases P6–P9 of the research checklist."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from inspector.certificates.issue import build_signed_certificate
from inspector.certificates.render import render_certificate
from inspector.certificates.sign import (
    INFO_NUMBER,
    SIGNATURE_FIELD,
    CertificateSigner,
    reason_text,
    sign_certificate,
    sign_pdf,
)
from inspector.certificates.verify import verify_pdf
from inspector.errors import UserError

from .conftest import Authority, issue_signer_cert, make_ca, sample_data


def _byte_range(pdf: bytes) -> list[int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match is not None
    return [int(g) for g in match.groups()]


def _flip(pdf: bytes, index: int, new: bytes) -> bytes:
    assert pdf[index:index + 1] != new
    return pdf[:index] + new + pdf[index + 1:]


def test_a_signed_certificate_verifies(signed_pdf: bytes, yard_ca: Authority) -> None:
    result = verify_pdf(signed_pdf, trust=[yard_ca.cert])
    assert result.valid, result.reason
    assert result.reason.code == "verify.pdf.valid" and result.reason.params == {"signer": "Wang Fang"}
    assert result.reason.en == ("Signed by Wang Fang, intact, covering the whole file, chained to the "
                                "yard CA.")
    assert result.reason.words("zh_CN") == \
        "由 Wang Fang 签名，文件完好，签名覆盖整个文件，可追溯至本堆场 CA。"
    assert result.number == "2026-000123"
    assert result.revision == 1
    assert result.content_hash == sample_data().content_hash()
    assert result.chain_head == "4711:" + "3f" * 32
    assert result.signer_subject is not None and "Wang Fang" in result.signer_subject


def test_the_signature_covers_the_whole_file(signed_pdf: bytes) -> None:
    start1, _, start2, len2 = _byte_range(signed_pdf)
    assert start1 == 0 and start2 + len2 == len(signed_pdf)


def test_p6_one_byte_flipped_in_the_signed_range_is_rejected(signed_pdf: bytes, yard_ca: Authority) -> None:
    index = signed_pdf.index(b"Certificate of Classification")  # the /Title, inside the first signed range
    assert index < _byte_range(signed_pdf)[1]
    tampered = _flip(signed_pdf, index, b"D")
    result = verify_pdf(tampered, trust=[yard_ca.cert])
    assert not result.valid
    assert result.reason.code == "verify.pdf.content_changed"
    assert "changed after signing" in result.reason.en


def _cms(pdf: bytes) -> tuple[int, bytes]:
    """(offset of the first hex digit of /Contents in the file, the DER bytes of the CMS signature)."""
    start1, len1, start2, _ = _byte_range(pdf)
    first = start1 + len1 + 1  # after the "<"
    return first, bytes.fromhex(pdf[first:start2 - 1].decode("ascii"))


def _parts_of_the_signature(pdf: bytes) -> dict[str, int]:
    """Byte offsets inside the CMS of the parts a tamperer might flip."""
    from asn1crypto import cms

    _, raw = _cms(pdf)
    signed = cms.ContentInfo.load(raw)["content"]
    signer_info = signed["signer_infos"][0]
    value = signer_info["signature"].dump()
    cert = signed["certificates"][0].chosen.dump()
    algorithms = signed["digest_algorithms"].dump()
    der_end = len(raw.rstrip(b"\0"))
    return {
        "signature value": raw.index(value) + len(value) - 5,
        "signed attributes": raw.index(signer_info["signed_attrs"].dump()) + 30,
        "signer certificate": raw.index(cert) + 100,
        "unsigned digest-algorithm list": raw.index(algorithms) + len(algorithms) - 1,
        "SignerInfo version": raw.index(signer_info.dump()) + 6,
        "zero padding after the signature": der_end + 10,
    }


@pytest.mark.parametrize("part", ["signature value", "signed attributes", "signer certificate",
                                  "unsigned digest-algorithm list", "SignerInfo version",
                                  "zero padding after the signature"])
def test_p6_one_byte_flipped_inside_the_signature_is_rejected(
    part: str, signed_pdf: bytes, yard_ca: Authority
) -> None:
    first, _ = _cms(signed_pdf)
    index = first + 2 * _parts_of_the_signature(signed_pdf)[part] + 1  # the low hex digit of that byte
    original = signed_pdf[index:index + 1]
    tampered = _flip(signed_pdf, index, b"0" if original != b"0" else b"1")
    result = verify_pdf(tampered, trust=[yard_ca.cert])
    assert not result.valid
    assert result.reason.code.startswith("verify.")
    assert result.reason.en and result.reason.words("zh_CN")


def test_p7_bytes_appended_after_eof_are_rejected(signed_pdf: bytes, yard_ca: Authority) -> None:
    result = verify_pdf(signed_pdf + b"\n% appended\n", trust=[yard_ca.cert])
    assert not result.valid
    assert result.reason.code == "verify.pdf.changed_after_signing"
    assert result.reason.words("zh_CN") == "该文件在签名后被改动：签名之后还有追加的字节或增量更新。"


def test_p7_an_incremental_update_is_rejected(signed_pdf: bytes, yard_ca: Authority) -> None:
    # The attack that matters: a later revision that renumbers the certificate.
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    info_ref = writer.trailer.raw_get("/Info")
    info_ref.get_object()[generic.NameObject(INFO_NUMBER)] = generic.pdf_string("2026-000999")
    writer.mark_update(info_ref)
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert updated.startswith(signed_pdf)
    result = verify_pdf(updated, trust=[yard_ca.cert])
    assert not result.valid
    assert result.reason.code == "verify.pdf.changed_after_signing"


def test_p8_a_signature_by_a_key_outside_the_yard_ca_is_rejected(
    outsider: CertificateSigner, yard_ca: Authority
) -> None:
    pdf = build_signed_certificate(sample_data(), outsider, invariant=True)
    assert verify_pdf(pdf, trust=[outsider.chain[0]]).valid  # valid for its own CA...
    result = verify_pdf(pdf, trust=[yard_ca.cert])  # ...but not for this yard's
    assert not result.valid
    assert result.reason.code in ("verify.pdf.untrusted", "verify.pdf.untrusted_because")
    assert "does not chain to the given yard CA" in result.reason.en


def test_an_expired_signer_certificate_is_rejected(yard_ca: Authority) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_signer_cert(yard_ca, "Wang Fang", key, not_after=datetime(2025, 1, 1, tzinfo=UTC))
    signer = CertificateSigner(key, cert, [yard_ca.cert])
    pdf = build_signed_certificate(sample_data(), signer, invariant=True)
    result = verify_pdf(pdf, trust=[yard_ca.cert])
    assert not result.valid


def test_p9_name_time_with_offset_meaning_and_reason(signed_pdf: bytes, yard_ca: Authority) -> None:
    data = sample_data()
    result = verify_pdf(signed_pdf, trust=[yard_ca.cert])
    assert result.signer_name == "Wang Fang"
    assert result.meaning == "Classification and grade approved / 批准分类与品级"
    assert result.meaning == reason_text(data.approved_by.meaning)
    assert result.signing_time == datetime(2026, 3, 2, 16, 30, tzinfo=timezone(timedelta(hours=8)))
    assert result.signing_time is not None and result.signing_time.utcoffset() == timedelta(hours=8)

    form = PdfReader(io.BytesIO(signed_pdf)).trailer["/Root"]["/AcroForm"]
    field = next(f.get_object() for f in form["/Fields"] if f.get_object()["/T"] == SIGNATURE_FIELD)
    signature = field["/V"].get_object()
    assert signature["/Reason"] == "Classification and grade approved / 批准分类与品级"
    assert signature["/Name"] == "Wang Fang"
    assert signature["/M"] == "D:20260302163000+08'00'"
    assert signature["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES baseline
    assert field["/Rect"] == [0, 0, 0, 0]  # invisible: the visible block is drawn by ReportLab

    text = PdfReader(io.BytesIO(signed_pdf)).pages[0].extract_text()
    for shown in ("Wang Fang", "2026-03-02T16:30:00+08:00", "Classification and grade approved",
                  "批准分类与品级", "Li Wei 李伟", "2026-03-02T13:15:00+08:00"):
        assert shown in text


@pytest.mark.parametrize(
    ("pdf", "code"),
    [
        (b"", "verify.pdf.not_pdf"),
        (b"hello, world", "verify.pdf.not_pdf"),
        (b"%PDF-1.7\n%%EOF\n", "verify.pdf.unreadable"),
    ],
)
def test_garbage_is_invalid_with_a_reason(pdf: bytes, code: str, yard_ca: Authority) -> None:
    result = verify_pdf(pdf, trust=[yard_ca.cert])
    assert not result.valid and result.reason.code == code
    assert result.reason.en and result.reason.words("zh_CN")


def test_an_unsigned_certificate_is_invalid(yard_ca: Authority) -> None:
    pdf = render_certificate(sample_data(), qr_text="YIC1.x.y", invariant=True)
    result = verify_pdf(pdf, trust=[yard_ca.cert])
    assert not result.valid and result.reason.code == "verify.pdf.unsigned"
    assert (result.reason.en, result.reason.words("zh_CN")) == ("The file carries no signature.",
                                                                "该文件没有签名。")


def test_a_signed_certificate_is_not_signed_again(signed_pdf: bytes, supervisor: CertificateSigner) -> None:
    with pytest.raises(UserError) as info:
        sign_pdf(signed_pdf, supervisor, reason="again", name="Wang Fang",
                 signing_time=datetime(2026, 3, 2, 17, 0, tzinfo=UTC))
    assert info.value.field == "pdf" and info.value.code == "certificate.pdf_unsignable"
    assert "filled already" in info.value.message
    assert info.value.words("zh_CN").startswith("无法对该 PDF 签名（")


def test_a_second_signature_is_refused(signed_pdf: bytes, supervisor: CertificateSigner,
                                       yard_ca: Authority) -> None:
    twice = _sign_in_field(signed_pdf, supervisor, "Second")
    result = verify_pdf(twice, trust=[yard_ca.cert])
    assert not result.valid and result.reason.code == "verify.pdf.many_signatures"
    assert result.reason.params == {"count": 2}
    assert result.reason.words("zh_CN") == "该文件带有 2 个签名；证书只能有一个签名。"


def _sign_in_field(pdf: bytes, signer: CertificateSigner, field_name: str) -> bytes:
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = io.BytesIO()
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES)
    signers.PdfSigner(meta, signer=signer.pyhanko_signer).sign_pdf(writer, output=out)
    return out.getvalue()


def test_without_a_ca_certificate_nothing_is_trusted(signed_pdf: bytes,
                                                     supervisor: CertificateSigner) -> None:
    assert verify_pdf(signed_pdf, trust=[]).reason.code == "verify.no_trust_root"
    # The signer's own (non-CA) certificate is no trust anchor.
    assert not verify_pdf(signed_pdf, trust=[supervisor.certificate]).valid


def test_a_file_signed_in_another_field_is_not_a_certificate(supervisor: CertificateSigner,
                                                              yard_ca: Authority) -> None:
    pdf = render_certificate(sample_data(), qr_text="YIC1.x.y", invariant=True)
    result = verify_pdf(_sign_in_field(pdf, supervisor, "Other"), trust=[yard_ca.cert])
    assert not result.valid and result.reason.code == "verify.pdf.wrong_field"
    assert result.reason.params == {"name": "Other"}


def test_signing_reuses_the_parsed_key(monkeypatch: pytest.MonkeyPatch, supervisor: CertificateSigner,
                                       yard_ca: Authority) -> None:
    from pyhanko.sign.signers import pdf_cms

    def no_reparse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the private key was parsed again for a signature")

    monkeypatch.setattr(pdf_cms.serialization, "load_der_private_key", no_reparse)
    pdf = render_certificate(sample_data(), qr_text="YIC1.x.y", invariant=True)
    assert verify_pdf(sign_certificate(pdf, sample_data(), supervisor), trust=[yard_ca.cert]).valid


def test_a_naive_signing_time_is_refused(supervisor: CertificateSigner) -> None:
    with pytest.raises(UserError) as info:
        sign_pdf(b"%PDF-1.7", supervisor, reason="r", name="n", signing_time=datetime(2026, 3, 2, 8, 30))
    assert (info.value.code, info.value.field) == ("certificate.signing_time_naive", "signing_time")


def test_signer_from_pkcs12_and_mismatched_key(yard_ca: Authority) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_signer_cert(yard_ca, "Zhao Min", key)
    blob = pkcs12.serialize_key_and_certificates(b"zhao", key, cert, [yard_ca.cert],
                                                 BestAvailableEncryption(b"correct horse"))
    signer = CertificateSigner.from_pkcs12(blob, b"correct horse")
    assert signer.printed_name == "Zhao Min"
    assert signer.chain[0] == yard_ca.cert
    with pytest.raises(UserError) as wrong:
        CertificateSigner.from_pkcs12(blob, b"wrong")
    assert (wrong.value.code, wrong.value.field) == ("certificate.key_passphrase_wrong", "passphrase")
    assert wrong.value.words("zh_CN") == "密钥口令错误，或密钥文件已损坏。"
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(UserError) as mismatch:
        CertificateSigner(other, cert)
    assert (mismatch.value.code, mismatch.value.field) == ("certificate.key_mismatch", "certificate")


def test_a_ca_from_another_yard_with_the_same_name_does_not_help(signed_pdf: bytes) -> None:
    lookalike = make_ca("Baotou Example Yard CA")
    assert not verify_pdf(signed_pdf, trust=[lookalike.cert]).valid
