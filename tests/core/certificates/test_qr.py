"""The signed QR payload: it verifies offline, and any change to it does not."""

from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal

import pytest

from inspector.certificates.model import ChainHead, canonical_bytes
from inspector.certificates.qr import PAYLOAD_PROBLEM, PREFIX, make_qr_text, verify_qr
from inspector.certificates.sign import CertificateSigner
from inspector.messages import Term

from .conftest import Authority, make_ca, sample_data


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_qr_payload_verifies_with_the_yard_ca(supervisor: CertificateSigner, yard_ca: Authority) -> None:
    data = sample_data()
    text = make_qr_text(data, supervisor)
    assert text.startswith(PREFIX + ".") and len(text) < 400  # small enough to scan from paper
    result = verify_qr(text, trust=[yard_ca.cert], signers=[supervisor.certificate])
    assert result.valid, result.reason
    assert result.reason.code == "verify.qr.valid" and result.reason.params == {"signer": "Wang Fang"}
    assert result.reason.words("zh_CN") == "由 Wang Fang 签名。"
    assert (result.number, result.revision, result.lot_number) == ("2026-000123", 1, "LOT-2026-0042")
    assert (result.category_code, result.grade) == ("NDFEB-SL", "B")
    assert result.net_mass_kg == Decimal("24310.5")
    assert result.issue_date == date(2026, 3, 2)
    assert result.content_hash == data.content_hash()
    assert result.signer_name == "Wang Fang"
    assert result.signer_fingerprint == supervisor.fingerprint


def test_the_same_certificate_gives_the_same_qr(supervisor: CertificateSigner) -> None:
    # Deterministic ECDSA: a re-render or a reprint draws the same code.
    assert make_qr_text(sample_data(), supervisor) == make_qr_text(sample_data(copy=True), supervisor)


def test_the_signer_certificate_may_come_from_the_trust_file(supervisor: CertificateSigner,
                                                            yard_ca: Authority) -> None:
    text = make_qr_text(sample_data(), supervisor)
    assert verify_qr(text, trust=[yard_ca.cert, supervisor.certificate]).valid


def test_an_embedded_certificate_needs_only_the_yard_ca(supervisor: CertificateSigner,
                                                       yard_ca: Authority) -> None:
    text = make_qr_text(sample_data(), supervisor, embed_certificate=True)
    assert len(text.split(".")) == 4
    assert verify_qr(text, trust=[yard_ca.cert]).valid


def test_a_changed_payload_does_not_verify(supervisor: CertificateSigner, yard_ca: Authority) -> None:
    prefix, payload, signature = make_qr_text(sample_data(), supervisor).split(".")
    fields = json.loads(_unb64(payload))
    fields["m"] = "34310.5"  # ten tonnes more
    forged = ".".join([prefix, _b64(canonical_bytes(fields)), signature])
    result = verify_qr(forged, trust=[yard_ca.cert], signers=[supervisor.certificate])
    assert not result.valid
    assert result.reason.code == "verify.qr.signature_mismatch"
    assert result.reason.en == "The QR signature does not match its content (changed or forged)."
    assert result.reason.words("zh_CN") == "二维码签名与其内容不符（已被改动或伪造）。"
    assert result.net_mass_kg == Decimal("34310.5")  # what the forged code claims, shown with the verdict


@pytest.mark.parametrize("field", ["n", "r", "l", "c", "g", "m", "d", "h"])
def test_every_signed_field_is_covered(field: str, supervisor: CertificateSigner, yard_ca: Authority) -> None:
    other = sample_data(number="2026-000124", revision=2, lot_number="LOT-2026-0043", category_code="SMCO",
                        grade="A", issue_date=date(2026, 3, 3), net_mass_kg=Decimal("30000"),
                        chain_head=ChainHead(seq=4712, hash="4e" * 32))
    _, payload, signature = make_qr_text(sample_data(), supervisor).split(".")
    _, other_payload, _ = make_qr_text(other, supervisor).split(".")
    fields = json.loads(_unb64(payload))
    fields[field] = json.loads(_unb64(other_payload))[field]
    forged = ".".join([PREFIX, _b64(canonical_bytes(fields)), signature])
    assert not verify_qr(forged, trust=[yard_ca.cert], signers=[supervisor.certificate]).valid


def test_a_changed_signature_does_not_verify(supervisor: CertificateSigner, yard_ca: Authority) -> None:
    prefix, payload, signature = make_qr_text(sample_data(), supervisor).split(".")
    raw = bytearray(_unb64(signature))
    raw[10] ^= 0x01
    result = verify_qr(".".join([prefix, payload, _b64(bytes(raw))]), trust=[yard_ca.cert],
                       signers=[supervisor.certificate])
    assert not result.valid and result.reason.code == "verify.qr.signature_mismatch"


def test_a_key_outside_the_yard_ca_does_not_verify(outsider: CertificateSigner, yard_ca: Authority) -> None:
    text = make_qr_text(sample_data(), outsider, embed_certificate=True)
    assert verify_qr(text, trust=[outsider.chain[0]]).valid
    result = verify_qr(text, trust=[yard_ca.cert])
    assert not result.valid and result.reason.code == "verify.signer_untrusted"
    assert "is not trusted by the given yard CA" in result.reason.en
    assert not verify_qr(text, trust=[make_ca("Baotou Example Yard CA").cert]).valid


def test_an_embedded_certificate_must_be_the_one_the_payload_names(
    supervisor: CertificateSigner, outsider: CertificateSigner, yard_ca: Authority
) -> None:
    from cryptography.hazmat.primitives import serialization

    text = make_qr_text(sample_data(), supervisor)
    swapped = text + "." + _b64(outsider.certificate.public_bytes(serialization.Encoding.DER))
    result = verify_qr(swapped, trust=[yard_ca.cert])
    assert not result.valid and result.reason.code == "verify.qr.signer_not_found"


def test_an_unknown_signer_is_reported(supervisor: CertificateSigner, yard_ca: Authority) -> None:
    result = verify_qr(make_qr_text(sample_data(), supervisor), trust=[yard_ca.cert])
    assert not result.valid
    assert result.reason.code == "verify.qr.signer_not_found" and result.number == "2026-000123"
    assert result.reason.params == {"fingerprint": supervisor.fingerprint[:16] + "…"}
    assert result.reason.words("zh_CN") == (f"未找到签名人的证书（SHA-256 {supervisor.fingerprint[:16]}…）。"
                                            "请提供包含该证书的信任文件或数据目录。")


def test_no_trust_root_means_not_trusted(supervisor: CertificateSigner) -> None:
    result = verify_qr(make_qr_text(sample_data(), supervisor), trust=[], signers=[supervisor.certificate])
    assert not result.valid and result.reason.code == "verify.no_trust_root"


_FIELDS_WITH_A_FLOAT = {"c": "X", "d": "2026-03-02", "g": "B", "h": "a", "k": "b", "l": "L", "m": 1.5,
                        "n": "2026-000123", "r": 1}


@pytest.mark.parametrize(
    ("text", "code", "problem"),
    [
        ("", "verify.qr.not_ours", None),
        ("https://example.com/", "verify.qr.not_ours", None),
        ("YIC2.a.b", "verify.qr.not_ours", None),
        ("YIC1.a.b.c.d", "verify.qr.not_ours", None),
        ("YIC1.!!!.abc", "verify.qr.damaged", None),
        ("YIC1..abc", "verify.qr.damaged", None),
        (f"YIC1.{_b64(b'not json')}.AAAA", "verify.qr.payload_damaged", "not_json"),
        (f"YIC1.{_b64(b'[1, 2]')}.AAAA", "verify.qr.payload_damaged", "unexpected_fields"),
        (f"YIC1.{_b64(json.dumps({'n': 1}).encode())}.AAAA", "verify.qr.payload_damaged",
         "unexpected_fields"),
        # A number with a fraction cannot be written canonically: refused, not a crash.
        (f"YIC1.{_b64(json.dumps(_FIELDS_WITH_A_FLOAT, sort_keys=True, separators=(',', ':')).encode())}"
         ".AAAA", "verify.qr.payload_damaged", "not_canonical"),
    ],
)
def test_garbage_is_invalid_with_a_reason(text: str, code: str, problem: str | None,
                                          yard_ca: Authority) -> None:
    result = verify_qr(text, trust=[yard_ca.cert])
    assert not result.valid and result.reason.code == code
    if problem is not None:
        assert result.reason.params == {"problem": Term(PAYLOAD_PROBLEM, problem)}
    # Every reason has words in both languages (a missing catalogue entry raises here).
    assert result.reason.en and result.reason.words("zh_CN")


def test_the_reason_of_a_damaged_payload_is_worded_in_both_languages(yard_ca: Authority) -> None:
    result = verify_qr(f"YIC1.{_b64(b'not json')}.AAAA", trust=[yard_ca.cert])
    assert result.reason.en == "The QR payload is damaged (not JSON)."
    assert result.reason.words("zh_CN") == "二维码内容已损坏（不是 JSON）。"
    assert result.reason.to_json("zh_CN") == {
        "code": "verify.qr.payload_damaged", "params": {"problem": "not_json"},
        "english": "The QR payload is damaged (not JSON).", "message": "二维码内容已损坏（不是 JSON）。"}


def test_a_non_canonical_payload_is_refused(supervisor: CertificateSigner, yard_ca: Authority) -> None:
    _, payload, signature = make_qr_text(sample_data(), supervisor).split(".")
    spaced = json.dumps(json.loads(_unb64(payload)), sort_keys=True).encode()  # same fields, with spaces
    result = verify_qr(".".join([PREFIX, _b64(spaced), signature]), trust=[yard_ca.cert],
                       signers=[supervisor.certificate])
    assert not result.valid and result.reason.code == "verify.qr.payload_damaged"
    assert result.reason.params == {"problem": Term(PAYLOAD_PROBLEM, "not_canonical")}
