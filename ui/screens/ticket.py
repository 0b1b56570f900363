"""The weigh ticket dialog: the next ticket of a load as it will print, three big paper buttons (A4, A5, 80 mm
roll; the choice is remembered as the station's paper), and big buttons to print it, save it as PDF or close.

Every print and every PDF goes through the ticket operations (counted in the audit trail: the first is the
original, later ones say 副本 COPY n); the preview counts nothing. The page is drawn and rasterised on the
worker; the dialog paints the ready image onto the printer, whose page is set to the ticket's own size (an
80 mm roll's page is as long as the ticket). Printers and file names are asked through injectable prompts,
so tests never open a modal dialog. The wizard's done page opens it with ``open_ticket``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSizeF, Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector.certificates.ticket import PAPERS
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import InspectorError
from inspector.security.actor import Actor
from ui import words
from ui.operations import tickets as ops
from ui.operations.tickets import TicketSheet
from ui.ops import Door
from ui.screens.certificates import paint_pages
from ui.theme import TOUCH_TARGET_PX
from ui.widgets import files

ChoosePrinter = Callable[[QWidget], QPrinter | None]
ChooseFile = Callable[[QWidget, str, str], Path | None]
ShowError = Callable[[InspectorError], None]
PREVIEW_WIDTH = 420


def default_printer(parent: QWidget) -> QPrinter | None:
    """The system's default printer, without a question (one tap at the scale); the print dialog when the
    computer has no default printer."""
    if not QPrinterInfo.defaultPrinter().isNull():
        return QPrinter(QPrinterInfo.defaultPrinter(), QPrinter.PrinterMode.HighResolution)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_pdf_file(parent: QWidget, title: str, suggested: str) -> Path | None:
    return files.choose_save_file(parent, title, start=suggested, filters="PDF (*.pdf)")


class TicketDialog(QDialog):
    """The ticket of one load: preview, paper, print, save as PDF, close.

    Signals:
        previewed(TicketSheet): the preview shows the next ticket.
        printed(TicketSheet): a ticket was counted and painted onto the printer.
        saved(TicketSheet): a ticket was counted and written as PDF (``sheet.saved_to``).
        paper_changed(str): the station's paper is now this one.
        failed(InspectorError): something could not be done (also shown in the dialog).
    """

    previewed = Signal(object)
    printed = Signal(object)
    saved = Signal(object)
    paper_changed = Signal(str)
    failed = Signal(object)

    def __init__(self, door: Door, *, actor: Actor, clock: Clock, data_dir: DataDir, load_id: int,
                 choose_printer: ChoosePrinter | None = None, choose_file: ChooseFile | None = None,
                 show_error: ShowError | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._door = door
        self._actor = actor
        self._clock = clock
        self._data_dir = data_dir
        self._load_id = load_id
        self._choose_printer = choose_printer or default_printer
        self._choose_file = choose_file or choose_pdf_file
        self._show_error = show_error
        self.sheet: TicketSheet | None = None
        self.paper: str | None = None  # None until the preview says which paper the station uses
        self.last_error: InspectorError | None = None
        self._done_text = ""  # what the last print or save did, said before what the next print will be
        self._busy = False
        self.setObjectName("ticketDialog")
        self.page_label = QLabel(self)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.page_label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setMinimumWidth(PREVIEW_WIDTH + 30)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.paper_label = QLabel(self)
        self.paper_group = QButtonGroup(self)
        self.paper_group.setExclusive(True)
        self.paper_buttons: dict[str, QPushButton] = {}
        for paper in PAPERS:
            button = QPushButton(self)
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH_TARGET_PX * 3 // 2)
            button.setMinimumWidth(120)
            button.clicked.connect(lambda _checked=False, p=paper: self._on_paper_button_clicked(p))
            self.paper_group.addButton(button)
            self.paper_buttons[paper] = button
        self.print_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.close_button = QPushButton(self)
        for button in (self.print_button, self.save_button, self.close_button):
            button.setMinimumHeight(TOUCH_TARGET_PX * 3 // 2)
            button.setMinimumWidth(140)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_ticket)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        self._init_layout()
        self.retranslate()
        self._set_busy(True)
        self.refresh()

    def _init_layout(self) -> None:
        papers = QHBoxLayout()
        papers.addWidget(self.paper_label)
        for button in self.paper_buttons.values():
            papers.addWidget(button)
        papers.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.print_button)
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(papers)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(actions)
        self.resize(PREVIEW_WIDTH + 220, 760)

    def retranslate(self) -> None:
        self.paper_label.setText(self.tr("Paper:"))
        for paper, button in self.paper_buttons.items():
            button.setText(words.word("ticket_paper", paper))
        self.print_button.setText(self.tr("Print"))
        self.save_button.setText(self.tr("Save as PDF…"))
        self.close_button.setText(self.tr("Close"))
        self._show_sheet_words()

    def _show_sheet_words(self) -> None:
        sheet = self.sheet
        if sheet is None:
            self.setWindowTitle(self.tr("Weigh ticket"))
            return
        self.setWindowTitle(self.tr("Weigh ticket %1").replace("%1", sheet.ticket_no))
        copy = (self.tr("The next print is the original.") if sheet.copy == 1 else
                self.tr("The next print is marked COPY %1.").replace("%1", str(sheet.copy)))
        parts = [self._done_text, copy]
        if not sheet.signed:
            parts.append(self.tr("Not signed: this station has no ticket-signing key; an administrator can "
                                 "create one."))
        self.status_label.setText(words.sentences(part for part in parts if part))

    # --- reading ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Draw the next ticket again (after a print, or on the paper chosen)."""
        ops.preview_ticket(self._door, owner=self, actor=self._actor, clock=self._clock,
                           data_dir=self._data_dir, load_id=self._load_id, paper=self.paper,
                           on_done=self._on_door_previewed, on_error=self._on_error)

    def _on_door_previewed(self, sheet: TicketSheet) -> None:
        self.sheet = sheet
        self.paper = sheet.paper
        self.paper_buttons[sheet.paper].setChecked(True)
        image = sheet.pages[0].image()
        pixmap = QPixmap.fromImage(image).scaledToWidth(PREVIEW_WIDTH,
                                                        Qt.TransformationMode.SmoothTransformation)
        self.page_label.setPixmap(pixmap)
        self._show_sheet_words()
        self._set_busy(False)
        self.previewed.emit(sheet)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.print_button, self.save_button):
            button.setEnabled(not busy and self.sheet is not None)
        for button in self.paper_buttons.values():
            button.setEnabled(not busy)

    def _on_error(self, exc: InspectorError) -> None:
        self.last_error = exc
        self._set_busy(False)
        self.status_label.setText(words.error(exc))
        if self._show_error is not None:
            self._show_error(exc)
        self.failed.emit(exc)

    # --- paper --------------------------------------------------------------------------------------------

    def _on_paper_button_clicked(self, paper: str) -> None:
        if self._busy or paper == self.paper:
            return
        self.choose_paper(paper)

    def choose_paper(self, paper: str) -> None:
        """Use ``paper`` for this and later tickets at this station (remembered, audited)."""
        self._set_busy(True)
        self.paper = paper
        ops.set_ticket_paper(self._door, owner=self, actor=self._actor, clock=self._clock, paper=paper,
                             on_done=self._on_door_paper_set, on_error=self._on_error)

    def _on_door_paper_set(self, paper: str) -> None:
        self.paper_changed.emit(paper)
        self.refresh()

    # --- print and save -----------------------------------------------------------------------------------

    def print_ticket(self) -> None:
        """Print the ticket (counted first, then painted onto the printer at the ticket's page size)."""
        if self._busy or self.sheet is None:
            return
        printer = self._choose_printer(self)
        if printer is None:
            return
        self._set_busy(True)
        ops.print_ticket(self._door, owner=self, actor=self._actor, clock=self._clock,
                         data_dir=self._data_dir, load_id=self._load_id, paper=self.paper,
                         on_done=lambda sheet: self._on_door_ticket_printed(printer, sheet),
                         on_error=self._on_error)

    def _on_door_ticket_printed(self, printer: QPrinter, sheet: TicketSheet) -> None:
        width, height = sheet.page_points()
        printer.setPageSize(QPageSize(QSizeF(width, height), QPageSize.Unit.Point, sheet.paper,
                                      QPageSize.SizeMatchPolicy.FuzzyMatch))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the ticket brings its own margins
        painter = QPainter()
        if not painter.begin(printer):
            # The print is counted: it was asked for and the ticket exists; saying so lets the user retry.
            self._on_error(InspectorError(self.tr("The printer could not be started.")))
            self.refresh()
            return
        try:
            paint_pages(painter, printer, [page.image() for page in sheet.pages], first=True)
        finally:
            painter.end()
        self._done_text = self.tr("Printed the ticket (copy %1).").replace("%1", str(sheet.copy))
        self.status_label.setText(self._done_text)
        self.printed.emit(sheet)
        self.refresh()

    def save_pdf(self) -> None:
        """Save the ticket as a PDF file the user names (counted like a print)."""
        if self._busy or self.sheet is None:
            return
        path = self._choose_file(self, self.tr("Save the weigh ticket as PDF"), f"{self.sheet.ticket_no}.pdf")
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self._set_busy(True)
        ops.save_ticket(self._door, owner=self, actor=self._actor, clock=self._clock,
                        data_dir=self._data_dir, load_id=self._load_id, path=path, paper=self.paper,
                        on_done=self._on_door_ticket_saved, on_error=self._on_error)

    def _on_door_ticket_saved(self, sheet: TicketSheet) -> None:
        self._done_text = (self.tr("Saved the ticket (copy %1) to %2.").replace("%1", str(sheet.copy))
                           .replace("%2", str(sheet.saved_to)))
        self.status_label.setText(self._done_text)
        self.saved.emit(sheet)
        self.refresh()


def open_ticket(parent: QWidget | None, *, door: Door, actor: Actor, clock: Clock, data_dir: DataDir,
                load_id: int, choose_printer: ChoosePrinter | None = None,
                choose_file: ChooseFile | None = None, show_error: ShowError | None = None) -> TicketDialog:
    """Open the ticket dialog of ``load_id`` (not modal: the scale house keeps working) and return it."""
    dialog = TicketDialog(door, actor=actor, clock=clock, data_dir=data_dir, load_id=load_id,
                          choose_printer=choose_printer, choose_file=choose_file, show_error=show_error,
                          parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
