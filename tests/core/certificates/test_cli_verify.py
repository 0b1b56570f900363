"""``yard-inspector verify``: a PDF or a QR text, trust from --trust or the data directory; exit 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from inspector.certificates.qr import make_qr_text
from inspector.certificates.sign import CertificateSigner
from inspector.cli import main
from inspector.datadir import DataDir

from .conftest import Authority, sample_data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _pem(path: Path, *certs: x509.Certificate) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


@pytest.fixture
def files(tmp_path: Path, signed_pdf: bytes, yard_ca: Authority) -> dict[str, Path]:
    pdf = tmp_path / "2026-000123-r1.pdf"
    pdf.write_bytes(signed_pdf)
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(signed_pdf + b"\n% appended\n")
    return {"pdf": pdf, "tampered": tampered, "ca": _pem(tmp_path / "yard-ca.pem", yard_ca.cert)}


def test_a_valid_pdf_exits_0(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    code, out, _ = run(capsys, "verify", str(files["pdf"]), "--trust", str(files["ca"]), "--lang", "en")
    assert code == 0
    assert out == ("VALID: certificate 2026-000123 rev 1, signed by Wang Fang at 2026-03-02 16:30:00 "
                   "UTC+08:00, meaning: Classification and grade approved / 批准分类与品级. "
                   "Signed by Wang Fang, intact, covering the whole file, chained to the yard CA.\n")


def test_the_verdict_in_chinese(capsys: pytest.CaptureFixture[str], files: dict[str, Path],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(capsys, "verify", str(files["pdf"]), "--trust", str(files["ca"]), "--lang", "zh_CN")
    assert code == 0
    assert out == ("有效：证书 2026-000123（第 1 版），由 Wang Fang 于 2026年03月02日 16:30:00 "
                   "北京时间 UTC+08:00 签名，"
                   "签名含义：Classification and grade approved / 批准分类与品级。"
                   "由 Wang Fang 签名，文件完好，签名覆盖整个文件，可追溯至本堆场 CA。\n")
    # The locale decides when --lang is not given.
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    code, out, _ = run(capsys, "verify", str(files["tampered"]), "--trust", str(files["ca"]))
    assert code == 1
    assert out.startswith("无效：该文件在签名后被改动：签名之后还有追加的字节或增量更新。"
                          "其所载内容：证书 2026-000123")


def test_a_usage_error_is_said_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "verify", "--lang", "zh_CN")
    assert code == 2 and out == ""
    assert err == ("yard-inspector：错误（FILE.pdf）：请指定一个 PDF 文件或 --qr TEXT，"
                   "二者必选其一，且不能同时指定。"
                   "例如：yard-inspector verify certificate.pdf --trust yard-ca.pem。\n")


def test_a_changed_pdf_exits_1_with_the_reason(capsys: pytest.CaptureFixture[str],
                                               files: dict[str, Path]) -> None:
    code, out, _ = run(capsys, "verify", str(files["tampered"]), "--trust", str(files["ca"]), "--lang", "en")
    assert code == 1
    assert out.startswith("INVALID: The file was changed after signing: bytes or an incremental update "
                          "follow the signature. It claims: certificate 2026-000123 rev 1, signed by "
                          "Wang Fang")


def test_json_output(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    code, out, _ = run(capsys, "verify", str(files["pdf"]), "--trust", str(files["ca"]), "--json",
                       "--lang", "zh_CN")
    assert code == 0
    result = json.loads(out)
    assert result["valid"] is True and result["number"] == "2026-000123"
    assert result["signing_time"] == "2026-03-02T16:30:00+08:00"
    assert result["content_hash"] == sample_data().content_hash()
    # Stable English code and words, and the message in the user's language.
    assert (result["code"], result["params"]) == ("verify.pdf.valid", {"signer": "Wang Fang"})
    assert result["reason"] == "Signed by Wang Fang, intact, covering the whole file, chained to the yard CA."
    assert result["message"] == "由 Wang Fang 签名，文件完好，签名覆盖整个文件，可追溯至本堆场 CA。"
    code, out, _ = run(capsys, "verify", str(files["tampered"]), "--trust", str(files["ca"]), "--json")
    assert code == 1 and json.loads(out)["code"] == "verify.pdf.changed_after_signing"


def test_the_data_directory_supplies_the_yard_ca(capsys: pytest.CaptureFixture[str], files: dict[str, Path],
                                                 data_dir: DataDir, yard_ca: Authority) -> None:
    _pem(data_dir.keys / "yard-ca.pem", yard_ca.cert)
    code, out, _ = run(capsys, "verify", str(files["pdf"]), "--data-dir", str(data_dir.root))
    assert code == 0, out


def test_trust_overrides_the_data_directory(capsys: pytest.CaptureFixture[str], files: dict[str, Path],
                                            data_dir: DataDir, outsider: CertificateSigner) -> None:
    other_ca = _pem(data_dir.root / "other-ca.pem", outsider.chain[0])
    _pem(data_dir.keys / "yard-ca.pem", outsider.chain[0])
    code, out, _ = run(capsys, "verify", str(files["pdf"]), "--data-dir", str(data_dir.root))
    assert code == 1 and "does not chain to the given yard CA" in out
    code, _, _ = run(capsys, "verify", str(files["pdf"]), "--data-dir", str(data_dir.root),
                     "--trust", str(files["ca"]))
    assert code == 0
    code, _, _ = run(capsys, "verify", str(files["pdf"]), "--trust", str(other_ca))
    assert code == 1


def test_qr_text_with_the_signer_certificate_in_the_data_directory(
    capsys: pytest.CaptureFixture[str], data_dir: DataDir, supervisor: CertificateSigner, yard_ca: Authority
) -> None:
    _pem(data_dir.keys / "yard-ca.pem", yard_ca.cert)
    text = make_qr_text(sample_data(), supervisor)
    code, out, _ = run(capsys, "verify", "--qr", text, "--data-dir", str(data_dir.root))
    assert code == 1 and "was not found" in out  # the supervisor's certificate is not stored yet
    (data_dir.keys / "supervisors").mkdir()
    _pem(data_dir.keys / "supervisors" / "wang-fang.pem", supervisor.certificate)
    code, out, _ = run(capsys, "verify", "--qr", text, "--data-dir", str(data_dir.root))
    assert code == 0, out
    assert out == ("VALID: certificate 2026-000123 rev 1, lot LOT-2026-0042, NDFEB-SL grade B, "
                   "net 24,310.5 kg, issued 2026-03-02. Signed by Wang Fang.\n")
    code, out, _ = run(capsys, "verify", "--qr", text, "--data-dir", str(data_dir.root), "--lang", "zh_CN")
    assert out == ("有效：证书 2026-000123（第 1 版），批次 LOT-2026-0042，类别 NDFEB-SL，品级 B，"
                   "净重 24,310.5 kg，签发日期 2026年03月02日。由 Wang Fang 签名。\n")


def test_a_changed_qr_text_exits_1(capsys: pytest.CaptureFixture[str], files: dict[str, Path],
                                   supervisor: CertificateSigner) -> None:
    text = make_qr_text(sample_data(), supervisor, embed_certificate=True)
    prefix, payload, signature, cert = text.split(".")
    changed = ".".join([prefix, payload, signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"), cert])
    code, out, _ = run(capsys, "verify", "--qr", changed, "--trust", str(files["ca"]))
    assert code == 1 and out.startswith("INVALID:")
    code, _, _ = run(capsys, "verify", "--qr", text, "--trust", str(files["ca"]))
    assert code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["verify"],
        ["verify", "a.pdf", "--qr", "YIC1.a.b"],
        ["verify", "missing.pdf", "--trust", "{ca}"],
        ["verify", "{pdf}", "--trust", "missing-ca.pem"],
        ["verify", "{pdf}", "--trust", "{pdf}"],
        ["verify", "{pdf}", "--data-dir", "{empty}"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str], files: dict[str, Path],
                             tmp_path: Path) -> None:
    values = {"ca": str(files["ca"]), "pdf": str(files["pdf"]), "empty": str(tmp_path / "no-yard")}
    code, out, err = run(capsys, *[a.format(**values) for a in argv])
    assert code == 2
    assert out == "" and err.startswith("yard-inspector: error:")
    assert "Traceback" not in err


def test_a_file_that_is_not_a_pdf_exits_1(capsys: pytest.CaptureFixture[str], files: dict[str, Path],
                                          tmp_path: Path) -> None:
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a pdf")
    code, out, _ = run(capsys, "verify", str(junk), "--trust", str(files["ca"]))
    assert code == 1 and out == "INVALID: The file is not a PDF.\n"
