"""Drawing a certificate as an A4 PDF (ReportLab): bilingual, with an embedded CJK font subset.

The PDF carries everything DOMAIN.md §8 lists, the provisional banner while the rule set is provisional, the
"signed by" block (pyHanko's own stamp cannot show Chinese, so the signature field itself is invisible),
the audit chain head, and the QR code drawn as one vector path from segno's matrix (ReportLab's QR widget
is several times slower). With ``invariant=True`` the bytes depend only on the data (tests, golden files).
ReportLab is heavy to import: callers import this module lazily, where they render.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from inspector.certificates.model import Bilingual, CertificateData, Signatory
from inspector.errors import EnvironmentProblemError, UserError
from inspector.messages import formats, full_width
from inspector.resources import resources_dir

FONT_NAME = "WQYMicroHei"
FONT_FILE = ("fonts", "wqy-microhei.ttc")
TITLE = Bilingual(zh="稀土二次资源分类证书",
                  en="Certificate of Classification: Rare-Earth Secondary Resources")
COPY_MARK = Bilingual(zh="副本", en="COPY")
# The rule set's status as printed (schema: provisional, official, superseded); another is printed as is.
RULESET_STATUS = {
    "provisional": Bilingual(zh="暂行", en="provisional"),
    "official": Bilingual(zh="正式", en="official"),
    "superseded": Bilingual(zh="已被取代", en="superseded"),
}
# The Chinese lines follow Chinese typography: full-width punctuation （），：；。、 around Chinese words,
# dates as 2026年03月02日; the English lines keep ASCII punctuation and ISO dates (2026-03-02).


def _font_file() -> Path:
    path = resources_dir().joinpath(*FONT_FILE)
    if not path.exists():  # an incomplete installation, said in words rather than a ReportLab traceback
        raise EnvironmentProblemError("install.file_missing", path=str(path))
    return path


_font_lock = threading.Lock()
_font_registered = False

# Colours kept printable in greyscale: the banner and the headings stay readable on a black-and-white copy.
_BANNER_FILL = "#FFF3CD"
_BANNER_EDGE = "#B8860B"
_RULE = "#555555"
_LABEL_FILL = "#F2F2F2"
_TICKETS_PER_ROW = 30
_QR_MASK = 2


def register_font() -> str:
    """Register WenQuanYi Micro Hei (TrueType outlines, so ReportLab embeds a subset) once per process."""
    global _font_registered
    with _font_lock:
        if not _font_registered:
            # subfontIndex 0 is "Micro Hei" (1 is the monospaced face) in the collection.
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(_font_file()), subfontIndex=0))
            _font_registered = True
    return FONT_NAME


def provisional_banner(data: CertificateData) -> Bilingual | None:
    """The banner DOMAIN.md §2 requires while the rule set in force is provisional, else None."""
    if not data.rule_set.provisional:
        return None
    label = data.rule_set.label
    return Bilingual(
        zh=f"暂行分类（规则集 {label}，暂行）",
        en=f"Provisional classification (rule set {label}, provisional)",
    )


def format_kg(value: Decimal, *, computed: bool = False) -> str:
    """``24310.5`` → ``24,310.5 kg``: a weighed mass as recorded, grouped for reading; a ``computed`` one (dry
    mass, contained REO) in whole kilograms like the weights beside it (its decimals stay in the record and
    the signed data, not on the page)."""
    return formats.mass(value, "kg", division=1 if computed else None)


def ruleset_status(status: str) -> Bilingual:
    """The rule set's status in both languages (an unknown status is printed as it is stored)."""
    return RULESET_STATUS.get(status) or Bilingual(zh=status, en=status)


def formula_markup(text: str) -> str:
    """Chemical formulas with subscript digits (``Nd2O3`` → ``Nd<sub>2</sub>O<sub>3</sub>``), escaped.

    The embedded font has no Unicode subscript glyphs, so subscripts are drawn with ReportLab markup.
    """
    return re.sub(r"(?<=[A-Za-z)])(\d+)", r"<sub>\1</sub>", escape(text))


def render_certificate(data: CertificateData, *, qr_text: str, invariant: bool = False) -> bytes:
    """The certificate as PDF bytes (unsigned). ``qr_text`` is the signed payload from ``qr.make_qr_text``."""

    font = register_font()
    styles = _Styles(font)
    buffer = io.BytesIO()
    margin = 14 * mm
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 8 * mm,
        title=f"{TITLE.en} {data.reference}",
        author=f"{data.issuer.legal_name.en} / {data.issuer.legal_name.zh}",
        subject=f"{data.category_code} {data.category_name.en}, lot {data.lot_number}, grade {data.grade}",
        creator="Yard Inspector",
        keywords=[data.number, f"rev {data.revision}", data.lot_number, data.category_code],
        invariant=1 if invariant else 0,
        lang="zh-CN",
        initialFontName=font,  # else ReportLab starts every page in Helvetica, which is not embedded
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canvas: Any, document: Any) -> None:
        _draw_page_furniture(canvas, document, data, font)

    def on_page_end(canvas: Any, document: Any) -> None:
        if data.copy:
            _draw_copy_watermark(canvas, document, font)

    doc.addPageTemplates([PageTemplate(id="certificate", frames=[frame], onPage=on_page,
                                       onPageEnd=on_page_end)])
    try:
        doc.build(_story(data, qr_text, styles, doc.width))
    except LayoutError as exc:
        raise UserError("certificate.text_too_long", field="certificate") from exc
    return buffer.getvalue()


class _Styles:
    def __init__(self, font: str) -> None:
        self.issuer_zh = ParagraphStyle("issuer_zh", fontName=font, fontSize=13, leading=16)
        self.issuer_en = ParagraphStyle("issuer_en", fontName=font, fontSize=9.5, leading=12)
        self.small = ParagraphStyle("small", fontName=font, fontSize=7.5, leading=9.5)
        self.title_zh = ParagraphStyle("title_zh", fontName=font, fontSize=17, leading=21, alignment=1)
        self.title_en = ParagraphStyle("title_en", fontName=font, fontSize=11, leading=14, alignment=1)
        self.number = ParagraphStyle("number", fontName=font, fontSize=10, leading=12, alignment=2)
        self.banner = ParagraphStyle("banner", fontName=font, fontSize=9.5, leading=12.5, alignment=1)
        self.label = ParagraphStyle("label", fontName=font, fontSize=8, leading=10)
        self.value = ParagraphStyle("value", fontName=font, fontSize=9, leading=11.5)
        self.value_big = ParagraphStyle("value_big", fontName=font, fontSize=12, leading=15)
        self.heading = ParagraphStyle("heading", fontName=font, fontSize=9.5, leading=12)
        self.sig = ParagraphStyle("sig", fontName=font, fontSize=8.5, leading=11)
        self.sig_name = ParagraphStyle("sig_name", fontName=font, fontSize=11.5, leading=15)


def _table_style(commands: list[tuple[Any, ...]]) -> Any:
    """A table style that also sets the cell font: a table otherwise pulls in Helvetica (not embedded)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), *commands])


def _p(text: str, style: Any) -> Any:

    return Paragraph(text, style)


def _both(text: Bilingual) -> str:
    """Chinese line, then English line (markup)."""
    return f"{escape(full_width(text.zh))}<br/>{escape(text.en)}"


def _label(zh: str, en: str, styles: _Styles) -> Any:
    return _p(f"{escape(zh)}<br/><font color='#444444'>{escape(en)}</font>", styles.label)


def _story(data: CertificateData, qr_text: str, styles: _Styles, width: float) -> list[Any]:

    story: list[Any] = []

    # Header: issuer on the left, number and date on the right.
    issuer = data.issuer
    # Permits are named in Chinese ("内蒙古危废经营许可证 1502-0042"): listed with the Chinese semicolon.
    permits = "；".join(issuer.permit_numbers) if issuer.permit_numbers else "—"
    issuer_cell = [
        _p(escape(issuer.legal_name.zh), styles.issuer_zh),
        _p(escape(issuer.legal_name.en), styles.issuer_en),
    ]
    if issuer.address is not None:
        issuer_cell.append(_p(_both(issuer.address), styles.small))
    issuer_cell.append(_p(f"许可证号 / Permit nos.: {escape(permits)}", styles.small))
    number_cell = [
        _p(f"证书编号 / Certificate no.<br/><font size='13'>{escape(data.number)}</font>", styles.number),
        _p(f"版本 / Revision: {data.revision}", styles.number),
        _p(f"签发日期：{formats.day(data.issue_date, 'zh_CN')}<br/>"
           f"Issue date: {formats.day(data.issue_date, 'en')}", styles.number),
    ]
    header = Table([[issuer_cell, number_cell]], colWidths=[width * 0.62, width * 0.38])
    header.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(_RULE)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    story += [header, Spacer(1, 4 * mm)]

    story.append(_p(escape(TITLE.zh), styles.title_zh))
    story.append(_p(escape(TITLE.en), styles.title_en))
    if data.copy:
        story.append(_p(f"<font color='#B00020'>{COPY_MARK.zh} / {COPY_MARK.en}</font>", styles.title_zh))
    story.append(Spacer(1, 3 * mm))

    banner = provisional_banner(data)
    if banner is not None:
        box = Table([[_p(_both(banner), styles.banner)]], colWidths=[width])
        box.setStyle(_table_style([
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(_BANNER_FILL)),
            ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(_BANNER_EDGE)),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]))
        story += [box, Spacer(1, 3 * mm)]

    story.append(_details_table(data, styles, width))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether([_signature_block(data, styles, width), Spacer(1, 3 * mm),
                               _verification_block(data, qr_text, styles, width)]))
    return story


def _details_table(data: CertificateData, styles: _Styles, width: float) -> Any:
    rs = data.rule_set
    status = ruleset_status(rs.status)
    status_text = status.zh if status.zh == status.en else f"{status.zh} / {status.en}"
    assay = " · ".join(
        f"{formula_markup(line.analyte)} {formats.number(line.value)} {escape(line.unit)}"
        for line in data.assay
    ) or "—"
    label_width = width * 0.22
    # A table row cannot split across pages: a long ticket list goes into several rows.
    step = _TICKETS_PER_ROW
    ticket_chunks = [data.tickets[i:i + step] for i in range(0, len(data.tickets), step)]
    rows: list[tuple[tuple[str, str], Any]] = [
        (("供货单位", "Supplier"), _p(f"{escape(data.supplier.name)}<br/>统一社会信用代码 / USCC: "
                                      f"{escape(data.supplier.uscc)}", styles.value)),
        (("批次与磅单", "Lot and tickets"), _p(f"{escape(data.lot_number)}<br/>"
                                              f"{escape(', '.join(ticket_chunks[0]))}", styles.value)),
        *[(("磅单（续）", "Tickets (cont.)"), _p(escape(", ".join(chunk)), styles.value))
          for chunk in ticket_chunks[1:]],
        (("类别", "Category"), _p(f"{escape(data.category_code)}：{escape(full_width(data.category_name.zh))}"
                                   f"<br/>{escape(data.category_name.en)}", styles.value)),
        (("品级", "Grade"), _p(escape(data.grade), styles.value_big)),
        (("标准依据", "Standard"), _p(f"{_both(rs.standard_reference)}<br/>规则集 / Rule set: "
                                      f"{escape(rs.label)}（{escape(status_text)}）",
                                      styles.value)),
        (("质量", "Mass"), _mass_table(data, styles, width - label_width)),
        (("化验结果", "Assay"), _p(f"{assay}<br/>{escape(data.assay_basis.zh)} / "
                                   f"{escape(data.assay_basis.en)} · 检测报告 / Lab report: "
                                   f"{escape(data.lab_report_number)}<br/>"
                                   f"检测机构 / Laboratory: {escape(data.lab_name)}", styles.value)),
        (("辐射", "Radiation"), _p(_both(data.radiation_statement), styles.value)),
        (("危险废物", "Hazardous waste"), _p(_both(data.hazardous_waste_status), styles.value)),
    ]
    if data.supersedes:
        rows.append((("替代", "Supersedes"),
                     _p(f"{escape(data.supersedes)} — 已作废 / voided", styles.value)))
    table = Table(
        [[_label(zh, en, styles), value] for (zh, en), value in rows],
        colWidths=[label_width, width - label_width],
    )
    table.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor(_LABEL_FILL)),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _mass_table(data: CertificateData, styles: _Styles, width: float) -> Any:
    """Net, dry and contained-REO masses side by side."""
    cells = [
        ("净重", "Net mass", data.net_mass_kg),
        ("干基质量", "Dry mass", data.dry_mass_kg),
        ("稀土氧化物含量", "Contained REO", data.contained_reo_kg),
    ]
    row = [[_label(zh, en, styles), _p(format_kg(value, computed=index > 0), styles.value_big)]
           for index, (zh, en, value) in enumerate(cells)]
    table = Table([row], colWidths=[width / 3] * 3)
    table.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _signatory_cell(heading: Bilingual, person: Signatory, styles: _Styles) -> list[Any]:
    stamp = person.at
    utc, offset = stamp.utc, stamp.offset_minutes
    return [
        _p(f"{escape(heading.zh)} / {escape(heading.en)}", styles.heading),
        _p(escape(person.printed_name), styles.sig_name),
        _p(f"{escape(person.role.zh)} / {escape(person.role.en)}", styles.sig),
        _p(f"时间：{formats.moment(utc, offset, 'zh_CN', zone_shown=True)}<br/>"
           f"Time: {stamp.iso_local()} (UTC&nbsp;{utc.strftime('%Y-%m-%dT%H:%M:%SZ')})", styles.sig),
        _p(f"签名含义：{escape(person.meaning.zh)}<br/>Meaning: {escape(person.meaning.en)}", styles.sig),
    ]


def _signature_block(data: CertificateData, styles: _Styles, width: float) -> Any:

    inspected = _signatory_cell(Bilingual(zh="检验人", en="Inspected by"), data.inspected_by, styles)
    approved = _signatory_cell(Bilingual(zh="批准人（电子签名）", en="Approved and digitally signed by"),
                               data.approved_by, styles)
    approved.append(_p(
        "本文件由批准人的个人密钥以 PAdES 电子签名签署，任何改动都会使签名失效。<br/>"
        "This file carries the approver's PAdES digital signature; any change invalidates it.",
        styles.small,
    ))
    table = Table([[inspected, approved]], colWidths=[width * 0.44, width * 0.56])
    table.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (0, 0), 0.6, colors.HexColor(_RULE)),
        ("BOX", (1, 0), (1, 0), 1.2, colors.HexColor(_RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _verification_block(data: CertificateData, qr_text: str, styles: _Styles, width: float) -> Any:
    qr_size = 36 * mm
    text = [
        _p("离线验证 / Offline verification", styles.heading),
        _p("扫描二维码并用 yard-inspector verify --qr 核验；"
           "电子文件用 yard-inspector verify FILE.pdf 核验。<br/>"
           "Scan the QR code and check it with yard-inspector verify --qr; "
           "check the electronic file with yard-inspector verify FILE.pdf.",
           styles.small),
        _p(f"内容摘要 / Content SHA-256:<br/>{data.content_hash()}",
           styles.small),
        _p(f"审计链头 / Audit chain head: seq {data.chain_head.seq}<br/>"
           f"{data.chain_head.hash}", styles.small),
    ]
    table = Table([[text, QrFlowable(qr_text, qr_size)]],
                  colWidths=[width - qr_size - 4 * mm, qr_size + 4 * mm])
    table.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
    ]))
    return table


def _draw_page_furniture(canvas: Any, doc: Any, data: CertificateData, font: str) -> None:
    """Footer on every page: issuer, certificate reference, page, audit chain head."""
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#333333"))
    canvas.setFont(font, 7)
    left, y = doc.leftMargin, 10 * mm
    canvas.drawString(left, y + 3.2 * mm,
                      f"{data.issuer.legal_name.zh} / {data.issuer.legal_name.en} · {data.reference}")
    head = data.chain_head
    canvas.drawString(left, y, f"审计链头 / Audit chain head: seq {head.seq} · {head.hash}")
    canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, y + 3.2 * mm,
                           f"第 {doc.page} 页 / Page {doc.page}")
    canvas.restoreState()


def _draw_copy_watermark(canvas: Any, doc: Any, font: str) -> None:
    """A translucent diagonal "COPY 副本" over the finished page of a reprint (over, so no fill hides it)."""
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.13))
    canvas.setFont(font, 96)
    canvas.translate(doc.pagesize[0] / 2, doc.pagesize[1] / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, -30, f"{COPY_MARK.en} {COPY_MARK.zh}")
    canvas.restoreState()


def qr_matrix(text: str) -> Sequence[Sequence[int]]:
    """The QR modules (1 = dark), error correction M, without the quiet zone.

    The mask is fixed: scoring all eight masks is most of segno's time (~15 of ~18 ms), and any mask gives
    a valid code; the scan test reads the printed code back with zbar.
    """
    code = segno.make_qr(text, error="m", boost_error=False, mask=_QR_MASK)
    return [list(row) for row in code.matrix]


class QrFlowable(Flowable):  # type: ignore[misc]
    """A QR code drawn as one filled path: one rectangle per horizontal run of dark modules."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.matrix = qr_matrix(text)
        self.size = size
        self.width = size
        self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        count = len(self.matrix)
        # Four modules of quiet zone on each side, inside the drawn square, as scanners need.
        module = self.size / (count + 8)
        offset = 4 * module
        path = canvas.beginPath()
        for r, row in enumerate(self.matrix):
            y = self.size - offset - (r + 1) * module
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    path.rect(offset + start * module, y, (c - start) * module, module)
                else:
                    c += 1
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
