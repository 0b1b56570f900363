"""The weigh ticket (磅单): the driver's receipt for one load, drawn as a one-page PDF (ReportLab).

DOMAIN.md §10 item 7: the ticket is the driver's receipt, not a certificate. It shows the weights (gross,
tare, net, each with its time and source) and the provisional outcome at the scale, never a final grade, and
says so on the page. Chinese first, English second, like the certificate; the words are the catalogue's
(``[ticket.pdf]`` in ``tickets.toml``), so one text exists once in each language.

Three papers: A4 and A5 portrait, and an 80 mm thermal roll (one narrow column, the page as long as the
content). A reprint (copy 2 and later) says 副本 COPY n; a cancelled load prints with a large 已作废
CANCELLED across the page. The QR (``qr.make_ticket_qr_text``) is signed by the station's ticket seal; a
station without one prints the ticket all the same, without a QR, with a line saying it is not signed and
what the administrator should do.

``TicketData`` is light (no ReportLab): the QR and the verifier use it without loading the PDF machinery.
ReportLab is imported when a ticket is drawn. With ``invariant=True`` the bytes depend only on the data.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from inspector import messages
from inspector.canonical import canonical_json, jsonable, sha256_hex
from inspector.certificates.model import Bilingual
from inspector.clock import Stamp
from inspector.errors import UserError
from inspector.messages import formats, full_width, word
from inspector.states import WeightSource

Paper = Literal["a4", "a5", "80mm"]
PAPERS: tuple[Paper, ...] = ("a4", "a5", "80mm")
# Bump when the canonical content below changes: old hashes stay checkable by the old rules.
CONTENT_FORMAT = 1
_MM = 72 / 25.4
_CATALOGUE = "ticket.pdf"


@dataclass(frozen=True)
class TicketCategory:
    """A category as the rule set names it in both languages (the code alone when the rule set is gone)."""

    code: str
    name: Bilingual


@dataclass(frozen=True)
class TicketWeight:
    """One weight of record: the figure, when and how it was taken (None: not recorded, e.g. imported).

    ``source`` is a ``WeightSource`` value (``INDICATOR`` or ``MANUAL``, printed "MAN WT" with its reason);
    ``stored_tare_at`` says the tare is the vehicle's stored tare, weighed or set at that time.
    """

    weight: int
    at: Stamp | None = None
    source: str | None = None
    scale_id: str = ""
    manual_reason: str | None = None
    stored_tare_at: Stamp | None = None

    @property
    def manual(self) -> bool:
        return self.source == WeightSource.MANUAL.value


@dataclass(frozen=True)
class TicketData:
    """What one weigh ticket says. ``printed_at`` and ``printed_by`` are facts of one print, outside the
    content hash (as the copy number, which the renderer takes): every print of one state of the load
    carries the same hash and QR."""

    yard_name: Bilingual
    yard_uscc: str
    ticket_no: str
    plate: str
    driver: str
    supplier_name: str
    supplier_uscc: str
    declared: TicketCategory | None
    identified: TicketCategory | None
    unit: str
    gross: TicketWeight
    tare: TicketWeight | None
    net: int | None
    inspector: str
    outcome: str | None  # the provisional outcome at the scale (an ``Outcome`` value), None before judging
    cancelled: bool
    printed_at: Stamp
    printed_by: str

    def __post_init__(self) -> None:
        tare = self.tare.weight if self.tare is not None else None
        net_known = self.net is not None
        if (tare is None) == net_known or (tare is not None and self.net != self.gross.weight - tare):
            raise UserError("ticket.weights_inconsistent", field="net", gross=self.gross.weight,
                            tare="-" if tare is None else tare, net="-" if self.net is None else self.net)

    @property
    def complete(self) -> bool:
        """Weighed in and out: the net is known."""
        return self.net is not None

    @property
    def weighed_out_at(self) -> Stamp | None:
        """When the weighing that completed the ticket was taken (the tare's once weighed out, else the
        gross's)."""
        if self.tare is not None:
            return self.tare.at
        return self.gross.at

    def content(self) -> dict[str, Any]:
        """The canonical content (JSON-ready) that ``content_hash`` covers: everything but the print facts."""
        value = _plain(self)
        assert isinstance(value, dict)
        del value["printed_at"], value["printed_by"]
        value["format"] = CONTENT_FORMAT
        return value

    def content_hash(self) -> str:
        return sha256_hex(canonical_json(self.content()))


def _plain(value: Any) -> Any:
    if isinstance(value, Stamp):
        return {"utc": jsonable(value.utc), "offset_minutes": value.offset_minutes}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return jsonable(value)


def check_paper(paper: str, *, field: str = "paper") -> Paper:
    """``paper`` as one of ``PAPERS`` (``A4``, `` 80MM `` are accepted), else a ``UserError``."""
    text = (paper or "").strip().lower()
    for known in PAPERS:
        if text == known:
            return known
    raise UserError("ticket.paper_unknown", field=field, paper=paper, papers=list(PAPERS))


# --- drawing ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Sheet:
    """A paper's geometry and type sizes: width and height in points (height None: fitted to the content)."""

    width: float
    height: float | None
    margin: float
    base: float  # the body text's size in points
    qr: float
    narrow: bool


_SHEETS: dict[str, _Sheet] = {
    "a4": _Sheet(210 * _MM, 297 * _MM, 16 * _MM, 11.0, 40 * _MM, False),
    "a5": _Sheet(148 * _MM, 210 * _MM, 9 * _MM, 8.0, 32 * _MM, False),
    "80mm": _Sheet(80 * _MM, None, 4 * _MM, 8.0, 44 * _MM, True),
}
# Smaller type when a long text (a manual weight's reason, a long name) would spill onto a second sheet.
_SHRINK = (1.0, 0.88, 0.76, 0.64)
_RED = "#B00020"
_GREY = "#444444"
_RULE = "#555555"
_LABEL_FILL = "#F2F2F2"
_BANNER_FILL = "#FFF3CD"
_BANNER_EDGE = "#B8860B"


def render_ticket(data: TicketData, *, paper: str, copy: int, qr_text: str | None,
                  invariant: bool = False) -> bytes:
    """The ticket as one page of PDF. ``copy`` is 1 for the first print, n for the n-th (marked 副本 COPY n);
    ``qr_text`` is the sealed QR (``qr.make_ticket_qr_text``), None when the station has no seal."""
    sheet = _SHEETS[check_paper(paper)]
    if isinstance(copy, bool) or not isinstance(copy, int) or copy < 1:
        raise UserError("ticket.copy_invalid", field="copy", copy=copy)
    for scale in _SHRINK:
        pdf, pages = _build(data, sheet, copy=copy, qr_text=qr_text, invariant=invariant, scale=scale)
        if pages == 1:
            return pdf
    raise UserError("ticket.text_too_long", field="ticket", ticket=data.ticket_no)


def _words(key: str, **params: object) -> Bilingual:
    """A text of the ticket in Chinese and English (``ticket.pdf.<key>``)."""
    zh = messages.text(f"{_CATALOGUE}.{key}", "zh_CN", params)
    en = messages.text(f"{_CATALOGUE}.{key}", "en", params)
    if zh is None or en is None:
        raise messages.CatalogueError(f"{_CATALOGUE}.{key} has no words")
    return Bilingual(zh=zh, en=en)


def _term(kind: str, code: str) -> Bilingual:
    return Bilingual(zh=word(kind, code, "zh_CN"), en=word(kind, code, "en"))


def _build(data: TicketData, sheet: _Sheet, *, copy: int, qr_text: str | None, invariant: bool,
           scale: float) -> tuple[bytes, int]:
    from reportlab.lib import colors
    from reportlab.platypus import BaseDocTemplate, Frame, LayoutError, PageTemplate

    from inspector.certificates.render import register_font

    font = register_font()
    width = sheet.width - 2 * sheet.margin
    story = _Story(data, sheet, font, scale, copy=copy, qr_text=qr_text).flowables(width)
    height = sheet.height
    if height is None:  # a roll: as long as the content, measured by laying the story out once
        measured = sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)
        height = measured + 2 * sheet.margin + 3 * _MM
        story = _Story(data, sheet, font, scale, copy=copy, qr_text=qr_text).flowables(width)
    buffer = io.BytesIO()
    title = _words("title")
    doc = BaseDocTemplate(
        buffer,
        pagesize=(sheet.width, height),
        leftMargin=sheet.margin, rightMargin=sheet.margin, topMargin=sheet.margin, bottomMargin=sheet.margin,
        title=f"{title.en} {data.ticket_no}",
        author=f"{data.yard_name.en} / {data.yard_name.zh}",
        subject=f"{data.ticket_no} {data.plate}",
        creator="Yard Inspector",
        invariant=1 if invariant else 0,
        lang="zh-CN",
        initialFontName=font,  # else ReportLab starts every page in Helvetica, which is not embedded
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page_end(canvas: Any, document: Any) -> None:
        if data.cancelled:
            _draw_cancelled(canvas, document, font, colors)

    doc.addPageTemplates([PageTemplate(id="ticket", frames=[frame], onPageEnd=on_page_end)])
    try:
        doc.build(story)
    except LayoutError:
        return b"", 2  # one block taller than the page: try smaller type
    return buffer.getvalue(), doc.page


def _draw_cancelled(canvas: Any, doc: Any, font: str, colors: Any) -> None:
    """已作废 CANCELLED along the page's diagonal, over everything (so no fill hides it)."""
    mark = _words("cancelled")
    text = f"{mark.zh} {mark.en}"
    page_width, page_height = doc.pagesize
    diagonal = math.hypot(page_width, page_height)
    along = 100 * 0.75 * diagonal / canvas.stringWidth(text, font, 100)  # three quarters of the diagonal
    size = min(along, 0.45 * min(page_width, page_height))
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.7, 0.05, 0.1, alpha=0.3))
    canvas.setFont(font, size)
    canvas.translate(page_width / 2, page_height / 2)
    canvas.rotate(math.degrees(math.atan2(page_height, page_width)))
    canvas.drawCentredString(0, -size / 3, text)
    canvas.restoreState()


class _Story:
    """The flowables of one ticket on one paper."""

    def __init__(self, data: TicketData, sheet: _Sheet, font: str, scale: float, *, copy: int,
                 qr_text: str | None) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.data = data
        self.sheet = sheet
        self.font = font
        self.copy = copy
        self.qr_text = qr_text
        base = sheet.base * scale
        self.base = base

        def style(name: str, factor: float, alignment: int = 0, leading: float = 1.28) -> Any:
            return ParagraphStyle(name, fontName=font, fontSize=base * factor,
                                  leading=base * factor * leading, alignment=alignment)

        centre = 1 if sheet.narrow else 0
        self.yard_zh = style("yard_zh", 1.3, centre)
        self.yard_en = style("yard_en", 0.9, centre)
        self.small = style("small", 0.78)
        self.small_centre = style("small_centre", 0.78, 1)
        self.title = style("title", 2.0, 1, 1.15)
        self.title_en = style("title_en", 1.05, 1)
        self.number = style("number", 1.5, 1 if sheet.narrow else 2, 1.15)
        self.number_label = style("number_label", 0.8, 1 if sheet.narrow else 2)
        self.mark = style("mark", 1.5, 1, 1.2)
        self.banner = style("banner", 0.95, 1)
        self.label = style("label", 0.8, 0, 1.2)
        self.value = style("value", 1.0)
        self.weight = style("weight", 1.55, 2, 1.15)
        self.plate = style("plate", 1.55, 0, 1.15)
        self.detail = style("detail", 0.78)

    # -- small helpers ------------------------------------------------------------------------------------

    def _p(self, markup: str, style: Any) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(markup, style)

    def _both(self, text: Bilingual, *, sep: str = "<br/>") -> str:
        """Chinese, then English in grey (markup)."""
        return f"{escape(full_width(text.zh))}{sep}<font color='{_GREY}'>{escape(text.en)}</font>"

    def _label(self, key: str) -> Any:
        return self._p(self._both(_words(key)), self.label)

    def _table(self, rows: list[list[Any]], widths: list[float], commands: list[tuple[Any, ...]]) -> Any:
        from reportlab.platypus import Table, TableStyle

        table = Table(rows, colWidths=widths)
        # The cell font is set too: a table otherwise pulls in Helvetica, which is not embedded.
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font), *commands]))
        return table

    def _moment(self, at: Stamp | None) -> Bilingual:
        if at is None:
            return _words("not_recorded")
        return Bilingual(zh=formats.moment(at.utc, at.offset_minutes, "zh_CN", zone_shown=True),
                         en=formats.moment(at.utc, at.offset_minutes, "en", zone_shown=True))

    def _mass(self, value: int | None) -> str:
        return "—" if value is None else formats.mass(value, self.data.unit)

    # -- the story -----------------------------------------------------------------------------------------

    def flowables(self, width: float) -> list[Any]:
        from reportlab.platypus import Spacer

        gap = self.base * 0.7
        story: list[Any] = [*self._header(width), Spacer(1, gap)]
        story += self._marks(width)
        story += [self._details(width), Spacer(1, gap), self._weights(width), Spacer(1, gap),
                  self._people(width), Spacer(1, gap)]
        story.append(self._p(self._both(_words("receipt")), self.small))
        story += [Spacer(1, gap), self._seal(width)]
        return story

    def _header(self, width: float) -> list[Any]:
        from reportlab.lib import colors

        data = self.data
        yard = [self._p(escape(data.yard_name.zh), self.yard_zh)]
        if data.yard_name.en != data.yard_name.zh:
            yard.append(self._p(escape(data.yard_name.en), self.yard_en))
        if data.yard_uscc:
            uscc = _words("uscc")
            yard.append(self._p(f"{escape(uscc.zh)} / {escape(uscc.en)}: {escape(data.yard_uscc)}",
                                self.small_centre if self.sheet.narrow else self.small))
        title = _words("title")
        number = _words("ticket_no")
        titles = [self._p(escape(title.zh), self.title), self._p(escape(title.en), self.title_en)]
        number_cell = [self._p(f"{escape(number.zh)} / {escape(number.en)}", self.number_label),
                       self._p(escape(data.ticket_no), self.number)]
        rule = ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.HexColor(_RULE))
        pad = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
        if self.sheet.narrow:
            block = self._table([[yard], [titles], [number_cell]], [width],
                                [*pad, rule, ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
            return [block]
        header = self._table([[yard, number_cell]], [width * 0.64, width * 0.36],
                             [*pad, ("VALIGN", (0, 0), (-1, -1), "TOP"), rule,
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
        return [header, self._table([[titles]], [width], [*pad, ("TOPPADDING", (0, 0), (-1, -1), 4)])]

    def _marks(self, width: float) -> list[Any]:
        """副本 COPY n, 已作废 CANCELLED and the incomplete banner: what a reader must see first."""
        from reportlab.lib import colors
        from reportlab.platypus import Spacer

        out: list[Any] = []
        boxed = [("BOX", (0, 0), (-1, -1), 1.4, colors.HexColor(_RED)),
                 ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
        if self.copy >= 2:
            mark = _words("copy")
            text = f"<font color='{_RED}'>{escape(mark.zh)} {escape(mark.en)} {self.copy}</font>"
            out += [self._table([[self._p(text, self.mark)]], [width], boxed), Spacer(1, self.base * 0.5)]
        if self.data.cancelled:
            mark = _words("cancelled")
            line = _words("cancelled_line")
            text = (f"<font color='{_RED}'>{escape(mark.zh)} {escape(mark.en)}</font><br/>"
                    f"<font size='{self.base * 0.9:.1f}'>{self._both(line)}</font>")
            out += [self._table([[self._p(text, self.mark)]], [width], boxed), Spacer(1, self.base * 0.5)]
        if not self.data.complete:
            banner = self._p(self._both(_words("incomplete")), self.banner)
            out += [self._table([[banner]], [width], [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(_BANNER_FILL)),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(_BANNER_EDGE)),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]), Spacer(1, self.base * 0.5)]
        return out

    def _category(self, category: TicketCategory | None, missing: str) -> Any:
        if category is None:
            return self._p(self._both(_words(missing)), self.value)
        name = category.name
        return self._p(f"{escape(category.code)}<br/>{escape(full_width(name.zh))}<br/>"
                       f"<font color='{_GREY}'>{escape(name.en)}</font>", self.value)

    def _grid(self, rows: list[list[Any]], label_width: float, width: float) -> Any:
        from reportlab.lib import colors

        return self._table(rows, [label_width, width - label_width], [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor(_LABEL_FILL)),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ])

    def _label_width(self, width: float) -> float:
        return width * (0.3 if self.sheet.narrow else 0.24)

    def _details(self, width: float) -> Any:
        data = self.data
        supplier = escape(data.supplier_name)
        if data.supplier_uscc:
            uscc = _words("uscc")
            supplier += (f"<br/><font size='{self.base * 0.8:.1f}'>{escape(uscc.zh)} / {escape(uscc.en)}: "
                         f"{escape(data.supplier_uscc)}</font>")
        rows = [
            [self._label("plate"), self._p(escape(data.plate), self.plate)],
            [self._label("driver"), self._p(escape(data.driver) or "—", self.value)],
            [self._label("supplier"), self._p(supplier, self.value)],
            [self._label("declared"), self._category(data.declared, "not_declared")],
            [self._label("identified"), self._category(data.identified, "not_identified")],
        ]
        return self._grid(rows, self._label_width(width), width)

    def _source(self, weight: TicketWeight, *, tare: bool) -> str:
        """How a weight was taken (markup): indicator or MAN WT with its reason; a stored tare's date."""
        parts: list[str] = []
        if weight.source is None:
            parts.append(self._both(_words("not_recorded"), sep=" / "))
        else:
            source = _term("weight_source", weight.source)
            text = f"{escape(source.zh)} / {escape(source.en)}"
            if weight.scale_id and not weight.manual:
                scale = _words("scale")
                text += f" · {escape(scale.zh)} / {escape(scale.en)} {escape(weight.scale_id)}"
            parts.append(text)
            if weight.manual and weight.manual_reason:
                # The reason is printed once, as it was typed, after the label in both languages.
                reason = _words("reason")
                parts.append(f"{escape(reason.zh)} / {escape(reason.en)}: {escape(weight.manual_reason)}")
        if tare and weight.stored_tare_at is not None:
            at = weight.stored_tare_at
            stored = _words("stored_tare", date=formats.Day(at.utc, at.offset_minutes))
            parts.append(self._both(stored, sep=" / "))
        return "<br/>".join(parts)

    def _when_and_how(self, weight: TicketWeight, *, tare: bool) -> tuple[str, str]:
        """The time and source cells of a weight (markup); a weight recorded without its weighing says
        "not recorded" once."""
        if weight.at is None and weight.source is None and weight.stored_tare_at is None:
            return self._both(_words("not_recorded")), ""
        return self._both(self._moment(weight.at)), self._source(weight, tare=tare)

    def _weights(self, width: float) -> Any:
        data = self.data
        lines: list[tuple[str, int | None, str, str]] = []
        lines.append(("gross", data.gross.weight, *self._when_and_how(data.gross, tare=False)))
        if data.tare is None:
            lines.append(("tare", None, self._both(_words("not_weighed")), ""))
        else:
            lines.append(("tare", data.tare.weight, *self._when_and_how(data.tare, tare=True)))
        lines.append(("net", data.net, "", self._both(_words("net_rule"), sep=" / ") if data.complete else
                      self._both(_words("net_unknown"), sep=" / ")))
        if self.sheet.narrow:
            return self._weights_narrow(width, lines)
        return self._weights_wide(width, lines)

    def _weights_wide(self, width: float, lines: list[tuple[str, int | None, str, str]]) -> Any:
        from reportlab.lib import colors

        label_width = self._label_width(width)
        weight_width = width * 0.22
        time_width = width * 0.24
        rest = width - label_width - weight_width - time_width
        head = [self._p("", self.label), self._label("weight"), self._label("time"), self._label("source")]
        rows = [head]
        for key, value, time, source in lines:
            rows.append([self._label(key), self._p(self._mass(value), self.weight),
                         self._p(time, self.detail), self._p(source, self.detail)])
        net_row = len(rows) - 1
        return self._table(rows, [label_width, weight_width, time_width, rest], [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_LABEL_FILL)),
            ("BACKGROUND", (0, 1), (0, -1), colors.HexColor(_LABEL_FILL)),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("BOX", (0, net_row), (-1, net_row), 1.4, colors.HexColor(_RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ])

    def _weights_narrow(self, width: float, lines: list[tuple[str, int | None, str, str]]) -> Any:
        from reportlab.lib import colors

        label_width = self._label_width(width)
        rows: list[list[Any]] = []
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
        for key, value, time, source in lines:
            rows.append([self._label(key), self._p(self._mass(value), self.weight)])
            commands.append(("BACKGROUND", (0, len(rows) - 1), (0, len(rows) - 1),
                             colors.HexColor(_LABEL_FILL)))
            details = "<br/>".join(part for part in (time, source) if part)
            if details:
                rows.append([self._p(details, self.detail), ""])
                commands.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
        commands.append(("BOX", (0, len(rows) - 1), (-1, len(rows) - 1), 1.4, colors.HexColor(_RULE)))
        return self._table(rows, [label_width, width - label_width], commands)

    def _people(self, width: float) -> Any:
        data = self.data
        if data.outcome is None:
            outcome = self._both(_words("not_judged"))
        else:
            term = _term("outcome", data.outcome)
            outcome = (f"{escape(term.zh)} / {escape(term.en)}<br/>"
                       f"<font size='{self.base * 0.78:.1f}'>{self._both(_words('outcome_note'))}</font>")
        printed = self._moment(data.printed_at)
        rows = [
            [self._label("outcome"), self._p(outcome, self.value)],
            [self._label("inspector"), self._p(escape(data.inspector) or "—", self.value)],
            [self._label("printed"), self._p(f"{self._both(printed)}<br/>{escape(data.printed_by)}",
                                             self.value)],
        ]
        return self._grid(rows, self._label_width(width), width)

    def _seal(self, width: float) -> Any:
        from reportlab.lib import colors

        from inspector.certificates.render import QrFlowable

        pad = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
               ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if self.qr_text is None:
            unsigned = (f"{self._both(_words('unsigned'))}<br/>"
                        f"<font size='{self.base * 0.78:.1f}'>{self._both(_words('unsigned_hint'))}</font>")
            return self._table([[self._p(unsigned, self.banner)]], [width], [
                ("BOX", (0, 0), (-1, -1), 1.0, colors.HexColor(_RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ])
        digest = _words("content_hash")
        text = [
            self._p(self._both(_words("verify")), self.small),
            self._p(f"{escape(digest.zh)} / {escape(digest.en)}:<br/>{self.data.content_hash()}", self.small),
        ]
        size = self.sheet.qr
        code = QrFlowable(self.qr_text, size)
        if self.sheet.narrow:
            return self._table([[code], [text]], [width], [*pad, ("ALIGN", (0, 0), (-1, 0), "CENTER")])
        return self._table([[text, code]], [width - size - 4 * _MM, size + 4 * _MM],
                           [*pad, ("ALIGN", (1, 0), (1, 0), "RIGHT")])
