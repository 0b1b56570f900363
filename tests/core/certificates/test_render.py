"""Rendering: golden text, determinism, the provisional banner, COPY, embedded fonts, the vector QR."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspector.certificates.model import RuleSetRef
from inspector.certificates.qr import make_qr_text, verify_qr
from inspector.certificates.render import format_kg, formula_markup, provisional_banner, render_certificate
from inspector.certificates.sign import CertificateSigner

from .conftest import Authority, sample_data

GOLDEN = Path(__file__).parent / "golden" / "certificate-2026-000123-rev1.txt"
FIXED_QR = "YIC1.golden"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_golden_text_of_a_rendered_certificate() -> None:
    """The page text, as pypdf extracts it, equals the reviewed golden file.

    After an intended layout change, regenerate with YARD_UPDATE_GOLDEN=1 (the test then fails once, so a
    regenerated file is always looked at before it is committed).
    """
    text = _text(render_certificate(sample_data(), qr_text=FIXED_QR, invariant=True))
    if os.environ.get("YARD_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
        pytest.fail(f"golden file rewritten: {GOLDEN}; review it and run again without YARD_UPDATE_GOLDEN")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_rendering_is_deterministic_in_invariant_mode() -> None:
    first = render_certificate(sample_data(), qr_text=FIXED_QR, invariant=True)
    assert render_certificate(sample_data(), qr_text=FIXED_QR, invariant=True) == first
    assert render_certificate(sample_data(), qr_text="YIC1.other", invariant=True) != first


def test_one_a4_page() -> None:
    reader = PdfReader(io.BytesIO(render_certificate(sample_data(), qr_text=FIXED_QR, invariant=True)))
    assert len(reader.pages) == 1
    # A reissue names the revision it replaces: one row more, still one page.
    reissued = sample_data(revision=2, supersedes="2026-000123 rev 1")
    pdf = render_certificate(reissued, qr_text=FIXED_QR, invariant=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_everything_of_domain_section_8_is_printed() -> None:
    data = sample_data(supersedes="2026-000120 rev 1")
    text = _text(render_certificate(data, qr_text=FIXED_QR, invariant=True))
    for shown in (
        "2026-000123", "版本 / Revision: 1", "签发日期：2026年03月02日", "Issue date: 2026-03-02",
        "包头示例再生资源回收有限公司", "Baotou Example Recycling Co., Ltd.", "1502-0042", "BT-2025-017",
        "宁波示例磁材有限公司", "91330201MA2H7K5Q36",
        "LOT-2026-0042", "T-2026-000311", "T-2026-000315",
        "NDFEB-SL", "钕铁硼油泥/磨泥", "NdFeB grinding/oil sludge",
        "品级", "Grade",
        "可回收利用稀土二次资源分类与综合利用国家标准",
        "规则集 / Rule set: CN-RE2R 0.1.0（暂行 / provisional）",
        "24,310.5 kg", "19,448 kg", "4,084 kg",  # weighed as recorded; computed in whole kilograms
        "TREO 21.0 %", "BTL-2026-03-0117", "干基氧化物", "dry oxide basis",
        "U/Th below the 1 Bq/g exemption level", "门岗剂量率净值",
        "非危险废物", "Not hazardous waste",
        "Li Wei 李伟", "Wang Fang", "2026-03-02T16:30:00+08:00", "UTC 2026-03-02T08:30:00Z",
        "时间：2026年03月02日 16:30 北京时间 UTC+08:00",
        "Classification and grade approved", "Sampling and identification performed",
        "seq 4711", "3f" * 32, data.content_hash(),
        "2026-000120 rev 1 — 已作废 / voided",
    ):
        assert shown in text, shown


# An ASCII bracket, comma, colon or semicolon next to a Chinese character (the Chinese lines use （），：；).
_ASCII_IN_CHINESE = re.compile(r"[\u3400-\u9fff][(),:;]|[(),:;][\u3400-\u9fff]")


def test_the_chinese_lines_use_chinese_punctuation() -> None:
    data = sample_data(supersedes="2026-000120 rev 1", tickets=tuple(f"T-2026-{n:06d}" for n in range(1, 40)))
    text = _text(render_certificate(data, qr_text=FIXED_QR, invariant=True))
    assert _ASCII_IN_CHINESE.findall(text) == []
    for shown in ("暂行分类（规则集 CN-RE2R 0.1.0，暂行）", "磅单（续）", "NDFEB-SL：钕铁硼油泥/磨泥",
                  "批准人（电子签名）", "签名含义：批准分类与品级", "以 PAdES 电子签名签署，任何改动",
                  "核验；电子文件"):
        assert shown in text, shown


def test_the_provisional_banner_is_shown_in_both_languages_only_while_provisional() -> None:
    provisional = _text(render_certificate(sample_data(), qr_text=FIXED_QR, invariant=True))
    assert "Provisional classification (rule set CN-RE2R 0.1.0, provisional)" in provisional
    assert "暂行分类（规则集 CN-RE2R 0.1.0，暂行）" in provisional

    adopted_rules = RuleSetRef(standard_reference=sample_data().rule_set.standard_reference,
                               rule_set_id="CN-RE2R", version="1.0.0", status="adopted")
    adopted = sample_data(rule_set=adopted_rules)
    assert provisional_banner(adopted) is None
    text = _text(render_certificate(adopted, qr_text=FIXED_QR, invariant=True))
    assert "Provisional classification" not in text and "暂行分类" not in text
    assert "CN-RE2R 1.0.0（adopted）" in text  # a status the schema does not know: as stored
    official = sample_data(rule_set=RuleSetRef(standard_reference=adopted_rules.standard_reference,
                                               rule_set_id="CN-RE2R", version="1.0.0", status="official"))
    assert "CN-RE2R 1.0.0（正式 / official）" in _text(render_certificate(official, qr_text=FIXED_QR,
                                                                       invariant=True))


def test_a_reprint_says_copy_and_keeps_the_content_hash() -> None:
    original, reprint = sample_data(), sample_data(copy=True)
    assert reprint.content_hash() == original.content_hash()
    text = _text(render_certificate(reprint, qr_text=FIXED_QR, invariant=True))
    assert "副本 / COPY" in text
    assert "COPY" not in _text(render_certificate(original, qr_text=FIXED_QR, invariant=True))


def _fonts(pdf: bytes) -> list[dict[str, object]]:
    reader = PdfReader(io.BytesIO(pdf))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].get_object().values():
            fonts.append(font.get_object())
    return fonts


def test_only_the_embedded_cjk_font_is_used(signed_pdf: bytes) -> None:
    fonts = _fonts(signed_pdf)
    assert fonts
    for font in fonts:
        assert font["/Subtype"] == "/TrueType"
        assert "WenQuanYiMicroHei" in str(font["/BaseFont"])
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the TrueType program is embedded
        assert "/ToUnicode" in font  # so text can be searched and copied
    assert len(signed_pdf) < 120_000  # a subset, not the 5 MB collection


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) is not installed")
def test_pdffonts_reports_every_font_embedded(tmp_path: Path, signed_pdf: bytes) -> None:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(signed_pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row


def test_the_qr_is_drawn_as_vectors_not_an_image(signed_pdf: bytes) -> None:
    page = PdfReader(io.BytesIO(signed_pdf)).pages[0]
    assert "/XObject" not in page["/Resources"]
    assert not page.images


@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
                    reason="poppler-utils and zbar-tools are needed to scan the printed QR")
def test_the_printed_qr_scans_and_verifies(tmp_path: Path, supervisor: CertificateSigner,
                                           yard_ca: Authority) -> None:
    data = sample_data()
    qr_text = make_qr_text(data, supervisor)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_certificate(data, qr_text=qr_text, invariant=True))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")], check=True)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert scanned == qr_text
    result = verify_qr(scanned, trust=[yard_ca.cert], signers=[supervisor.certificate])
    assert result.valid and result.content_hash == data.content_hash()


def test_formula_markup_and_mass_formatting() -> None:
    assert formula_markup("Pr6O11+Nd2O3") == "Pr<sub>6</sub>O<sub>11</sub>+Nd<sub>2</sub>O<sub>3</sub>"
    assert formula_markup("TREO") == "TREO"
    assert formula_markup("<b>") == "&lt;b&gt;"
    assert format_kg(Decimal("24310.5")) == "24,310.5 kg"
    assert format_kg(Decimal("0.000")) == "0.000 kg"
    assert format_kg(Decimal("26100.00"), computed=True) == "26,100 kg"
    assert format_kg(Decimal("2017.86"), computed=True) == "2,018 kg"


def test_markup_in_data_is_printed_not_interpreted() -> None:
    data = sample_data(lot_number="LOT<1>&<b>x</b>")
    assert "LOT<1>&<b>x</b>" in _text(render_certificate(data, qr_text=FIXED_QR, invariant=True))


def test_many_tickets_flow_onto_a_second_page_with_the_footer() -> None:
    tickets = tuple(f"T-2026-{n:06d}" for n in range(1, 400))
    pdf = render_certificate(sample_data(tickets=tickets), qr_text=FIXED_QR, invariant=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number}" in page.extract_text()
    assert "T-2026-000001" in _text(pdf) and "T-2026-000399" in _text(pdf)


def test_a_text_too_long_for_a_page_is_a_user_error() -> None:
    from inspector.certificates.model import Bilingual
    from inspector.errors import UserError

    endless = Bilingual(zh="长" * 20000, en="long " * 8000)
    with pytest.raises(UserError) as info:
        render_certificate(sample_data(radiation_statement=endless), qr_text=FIXED_QR, invariant=True)
    assert (info.value.field, info.value.code) == ("certificate", "certificate.text_too_long")
    assert info.value.words("zh_CN") == ("证书中有一段文字过长，一页放不下。"
                                         "请缩短说明或名称；证书的每一项最多容纳几百个字符。")
