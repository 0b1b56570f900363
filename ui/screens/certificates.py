"""The certificate register screen: every certificate revision, newest first, fetched a page at a time as the
view scrolls; issue, void and reissue; print preview, printing and batch printing.

The register reads itself again when certificates change, here or anywhere else (another station, the
command line). Paper: every print goes through the print operation (counted and audited) on the worker,
which also says whether the sheet is the original (the signed file) or a COPY (rendered from the register
with the "COPY" mark, unsigned, carrying the original's signed QR). The pages are rasterised on the worker too
(one certificate ahead of the painting); the GUI thread only paints ready images onto the printer, a strip of
a page per event-loop turn, so a batch of a hundred keeps the window responsive and can be cancelled between
certificates. The preview counts nothing: its Print button goes through the same recorded path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.messages.reasons import reason_words
from inspector.queries.certificates import CertificateRow, RegisterQuery, lots_to_certify, register_page
from inspector.security.actor import Actor
from inspector.states import CertificateStatus
from ui import formats, words
from ui.models.paged import PagedTableModel
from ui.operations import certificates as ops
from ui.operations.certificates import PrintSheet
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.widgets.signature import SignatureDialog, SignatureInput

if TYPE_CHECKING:
    from sqlmodel import Session

PAGE_SIZE = 100
STRIPS_PER_PAGE = 8
NUMBER_ROLE = int(Qt.ItemDataRole.UserRole) + 1
REVISION_ROLE = int(Qt.ItemDataRole.UserRole) + 2
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 3

def query_for(text: str, status: str | None) -> RegisterQuery:
    """The register query of the search box: a number (digits and dashes), a lot (L…) or a supplier."""
    text = text.strip()
    if not text:
        return RegisterQuery(status=status)
    if all(ch.isdigit() or ch == "-" for ch in text):
        return RegisterQuery(number=text, status=status)
    if text[:1] in "Ll" and any(ch.isdigit() for ch in text):
        return RegisterQuery(lot_no=text.upper(), status=status)
    return RegisterQuery(supplier=text, status=status)


class CertificateRegisterModel(PagedTableModel[CertificateRow, RegisterQuery]):
    """Certificate revisions, one per row, newest number first, read a page at a time (by number and
    revision) as the view scrolls."""

    COLUMNS = ("number", "revision", "status", "lot", "supplier", "category", "net", "issued", "prints")

    def __init__(self, door: Door, *, page_size: int = PAGE_SIZE, parent: QObject | None = None) -> None:
        super().__init__(door, query_for("", None), page_size=page_size, parent=parent)

    def read_page(self, session: Session, query: RegisterQuery, after: tuple[Any, ...] | None,
                  limit: int) -> list[CertificateRow]:
        key = None if after is None else (str(after[0]), int(after[1]))
        return register_page(session, query, after=key, limit=limit)

    def page_key(self, row: CertificateRow, query: RegisterQuery) -> tuple[Any, ...]:
        return row.key

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (self.tr("Certificate"), self.tr("Rev."), self.tr("Status"), self.tr("Lot"),
                   self.tr("Supplier"), self.tr("Category / grade"), self.tr("Net mass"),
                   formats.with_zone(self.tr("Issued")),
                   self.tr("Prints"))
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == NUMBER_ROLE:
            return row.number
        if role == REVISION_ROLE:
            return row.revision
        if role == STATUS_ROLE:
            return row.status
        if role == Qt.ItemDataRole.ToolTipRole and column == "status" and row.void_reason:
            return self.tr("Voided: %1").replace("%1", reason_words(row.void_reason, words.language()))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("net", "prints", "revision"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: CertificateRow, column: str) -> str:
        if column == "number":
            return row.number
        if column == "revision":
            return str(row.revision)
        if column == "status":
            return words.certificate_status(row.status)
        if column == "lot":
            return row.lot_no
        if column == "supplier":
            return row.supplier_name
        if column == "category":
            return f"{words.category(row.category)} {row.grade}"
        if column == "net":
            return formats.mass(row.net_mass_kg)
        if column == "issued":
            return formats.moment(row.issued_at, row.issued_offset)
        return str(row.print_count)


class CertificatePreviewDialog(QDialog):
    """Shows the pages the next print would put on paper (original or COPY). Printing from here goes
    through the register's recorded print, so a preview never prints uncounted.

    Signals:
        print_requested(): the user asked to print what is shown.
    """

    print_requested = Signal()

    def __init__(self, sheet: PrintSheet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images = [p.image() for p in sheet.pages]
        kind = self.tr("COPY") if sheet.marked_copy else self.tr("original")
        title = self.tr("Print preview: %1 (%2)").replace("%1", sheet.reference).replace("%2", kind)
        self.setWindowTitle(title)
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(self._on_preview_paint_requested)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addLayout(bar)
        self.resize(800, 1000)

    def _on_preview_paint_requested(self, printer: QPrinter) -> None:
        painter = QPainter(printer)
        try:
            paint_pages(painter, printer, self._images, first=True)
        finally:
            painter.end()

    def _on_print_button_clicked(self) -> None:
        self.print_requested.emit()
        self.accept()


def paint_pages(painter: QPainter, printer: QPrinter, images: Sequence[QImage], *, first: bool) -> None:
    """Paint page images onto the printer, each scaled to the printable page, a new sheet per page."""
    for i, image in enumerate(images):
        if i > 0 or not first:
            printer.newPage()
        target = painter.viewport()
        size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.save()
        painter.setViewport(target.x(), target.y(), size.width(), size.height())
        painter.setWindow(image.rect())
        painter.drawImage(0, 0, image)
        painter.restore()


def paint_strip(painter: QPainter, image: QImage, top: int, height: int) -> None:
    """Paint rows ``top``..``top + height`` of a page image where they fall on the printable page."""
    target = painter.viewport()
    size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
    scale = size.height() / image.height()
    painter.drawImage(QRectF(target.x(), target.y() + top * scale, size.width(), height * scale), image,
                      QRectF(0, top, image.width(), height))


AskSignature = Callable[[str, Sequence[str]], SignatureInput | None]
AskReason = Callable[[str], str | None]
ChoosePrinter = Callable[[int], QPrinter | None]
ShowPreview = Callable[[PrintSheet], None]


class CertificateRegisterWidget(ScreenWidget):
    """The register table with its actions. Dialogs are injectable (tests never open a modal one).

    Signals:
        changed(): this screen issued, voided or reissued a certificate, or recorded prints.
        batch_finished(int, bool): a print batch ended: certificates printed, and whether it was cancelled.
    """

    shows = frozenset({Change.CERTIFICATES})
    changed = Signal()
    batch_finished = Signal(int, bool)

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 ask_signature: AskSignature | None = None, ask_reason: AskReason | None = None,
                 choose_printer: ChoosePrinter | None = None, show_preview: ShowPreview | None = None,
                 show_error: Callable[[InspectorError], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self._ask_signature = ask_signature or self._dialog_signature
        self._ask_reason = ask_reason or self._dialog_reason
        self._choose_printer = choose_printer or self._dialog_printer
        self._show_preview = show_preview or self._dialog_preview
        self._show_error = show_error
        self.last_error: InspectorError | None = None
        self.model = CertificateRegisterModel(door, parent=self)
        self.filter_edit = QLineEdit(self)
        self.status_combo = QComboBox(self)
        self.view = QTableView(self)
        self.view.setObjectName("certificateTable")
        self.issue_button = QPushButton(self)
        self.void_button = QPushButton(self)
        self.reissue_button = QPushButton(self)
        self.preview_button = QPushButton(self)
        self.print_button = QPushButton(self)
        self.count_label = QLabel(self)
        self.progress: QProgressDialog | None = None
        self._batch: list[tuple[str, int]] = []
        self._batch_done = 0
        self._batch_cancelled = False
        self._requested = 0
        self._in_flight = False
        self._sheets: deque[PrintSheet] = deque()
        self._strips: deque[tuple[int, QImage, int, int] | str] = deque()
        self._painter: QPainter | None = None
        self._printer: QPrinter | None = None
        # A change announced while a batch prints is read after it: rows do not move under the batch.
        self._refresh_after_batch = False
        # The rows selected before a refresh (number, revision), selected again when the first page is back.
        self._reselect: set[tuple[str, int]] = set()
        self._init_view()
        self._init_layout()
        self._connect_signals()
        self.retranslate()
        self.model.fetch_first_page()

    def _init_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Numbers, dates and codes are read whole; the supplier's name takes the remaining width.
        widths = {"number": 140, "revision": 60, "status": 90, "lot": 150, "category": 170, "net": 130,
                  "issued": 230, "prints": 70}
        for column, name in enumerate(self.model.COLUMNS):
            if name in widths:
                view.setColumnWidth(column, widths[name])
        header.setSectionResizeMode(self.model.COLUMNS.index("supplier"), QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.filter_edit.setClearButtonEnabled(True)

    def _init_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 3)
        bar.addWidget(self.status_combo, 1)
        actions = QHBoxLayout()
        for button in (self.issue_button, self.void_button, self.reissue_button, self.preview_button,
                       self.print_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

    def _connect_signals(self) -> None:
        self.filter_edit.returnPressed.connect(self._apply_filter)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_current_index_changed)
        self.issue_button.clicked.connect(self.issue)
        self.void_button.clicked.connect(self.void_selected)
        self.reissue_button.clicked.connect(self.reissue_selected)
        self.preview_button.clicked.connect(self.preview_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        self.model.modelReset.connect(self._update_count)
        self.model.fetch_failed.connect(self._on_error)

    def title(self) -> str:
        return self.tr("Certificates")

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Search certificate number, lot or supplier; Enter"))
        current = self.status_combo.currentIndex()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(self.tr("All"), None)
        for status in CertificateStatus:
            self.status_combo.addItem(words.certificate_status(status.value), status.value)
        self.status_combo.setCurrentIndex(max(current, 0))
        self.status_combo.blockSignals(False)
        self.issue_button.setText(self.tr("Issue…"))
        self.void_button.setText(self.tr("Void…"))
        self.reissue_button.setText(self.tr("Reissue…"))
        self.preview_button.setText(self.tr("Print preview"))
        self.print_button.setText(self.tr("Print selected…"))
        self._update_count()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self.model.has_more and shown:
            self.count_label.setText(self.tr("%1 certificate(s) shown; scroll down for more")
                                     .replace("%1", str(shown)))
        else:
            self.count_label.setText(self.tr("%1 certificate(s)").replace("%1", str(shown)))

    def _apply_filter(self) -> None:
        self._reselect = set()
        self.model.set_query(query_for(self.filter_edit.text(), self.status_combo.currentData()))
        self.model.fetch_first_page()

    def _on_status_combo_current_index_changed(self, _index: int) -> None:
        self._apply_filter()

    def refresh(self) -> None:
        """Read the register again (the first page), keeping the selected certificates selected."""
        if self.batch_running:
            self._refresh_after_batch = True
            return
        self._reselect = {row.key for row in self.selected_rows()}
        self.model.reload()
        self.model.fetch_first_page()

    def _on_model_page_loaded(self) -> None:
        self._update_count()
        wanted, self._reselect = self._reselect, set()
        if not wanted:
            return
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for number, row in enumerate(self.model.rows):
            if row.key in wanted:
                selection.select(self.model.index(number, 0), self.model.index(number, last))
        if not selection.isEmpty():
            flags = QItemSelectionModel.SelectionFlag
            self.view.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)

    # --- selection ----------------------------------------------------------------------------------------

    def selected_rows(self) -> list[CertificateRow]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows]

    def _single(self) -> CertificateRow | None:
        rows = self.selected_rows()
        if len(rows) != 1:
            self._on_error(InspectorError(self.tr("Select one certificate first.")))
            return None
        return rows[0]

    def _on_error(self, exc: InspectorError) -> None:
        self.last_error = exc
        if self._show_error is not None:
            self._show_error(exc)
        else:
            self.count_label.setText(words.error(exc))

    def _on_door_certificate_done(self, _reference: str) -> None:
        # The register reads itself again when the door announces the change.
        self.changed.emit()

    # --- issue, void, reissue -----------------------------------------------------------------------------

    def issue(self) -> None:
        """Ask for an approved lot and the approver's secrets, then issue its certificate on the worker."""
        self._door.read(lots_to_certify, self._on_door_lots_read, self._on_error, owner=self)

    def _on_door_lots_read(self, lots: Sequence[str]) -> None:
        if not lots:
            self._on_error(InspectorError(self.tr("No lot is approved and waiting for its certificate.")))
            return
        answer = self._ask_signature(self.tr("Issue a certificate"), lots)
        if answer is None or not answer.lot_no:
            return
        ops.issue_certificate(self._door, owner=self, actor=self._actor, clock=self._clock,
                              lot_no=answer.lot_no, password=answer.password, passphrase=answer.passphrase,
                              on_done=self._on_door_certificate_done, on_error=self._on_error)

    def void_selected(self) -> None:
        row = self._single()
        if row is None:
            return
        reason = self._ask_reason(self.tr("Why is %1 voided?").replace("%1", row.reference))
        if not reason:
            return
        ops.void_certificate(self._door, owner=self, actor=self._actor, clock=self._clock, number=row.number,
                             revision=row.revision, reason=reason, on_done=self._on_door_certificate_done,
                             on_error=self._on_error)

    def reissue_selected(self) -> None:
        row = self._single()
        if row is None:
            return
        answer = self._ask_signature(self.tr("Reissue %1").replace("%1", row.number), ())
        if answer is None:
            return
        ops.reissue_certificate(self._door, owner=self, actor=self._actor, clock=self._clock,
                                number=row.number, password=answer.password, passphrase=answer.passphrase,
                                on_done=self._on_door_certificate_done, on_error=self._on_error)

    # --- preview and printing -----------------------------------------------------------------------------

    def preview_selected(self) -> None:
        """Render what the next print of the selected certificate would be (nothing is counted)."""
        row = self._single()
        if row is None:
            return
        ops.preview_certificate(self._door, owner=self, number=row.number, revision=row.revision,
                                on_done=self._show_preview, on_error=self._on_error)

    def print_selected(self) -> None:
        """Print the selected certificates: one recorded print each, cancellable between certificates."""
        rows = [r for r in self.selected_rows() if r.status != "void"]
        if not rows:
            self._on_error(InspectorError(self.tr("Select one or more certificates in force to print.")))
            return
        if self.progress is not None:
            return  # a batch is running
        printer = self._choose_printer(len(rows))
        if printer is None:
            return
        self._printer = printer
        self._batch = [(r.number, r.revision) for r in rows]
        self._batch_done = 0
        self._requested = 0
        self._in_flight = False
        self._sheets.clear()
        self._strips.clear()
        self._batch_cancelled = False
        self.progress = QProgressDialog(self.tr("Printing certificates…"), self.tr("Cancel"), 0, len(rows),
                                        self)
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self._on_progress_canceled)
        self.progress.setValue(0)
        self._request_next()

    def _request_next(self) -> None:
        """Ask the worker for the next certificate (count it, render it, rasterise it), one at a time and at
        most one sheet ahead of the painting, so the worker prepares while the GUI paints."""
        if self._batch_cancelled or self._in_flight or self._requested >= len(self._batch) or self._sheets:
            return
        number, revision = self._batch[self._requested]
        self._requested += 1
        self._in_flight = True
        ops.print_certificate(self._door, owner=self, actor=self._actor, clock=self._clock, number=number,
                              revision=revision, on_done=self._on_door_sheet_ready,
                              on_error=self._on_door_sheet_failed)

    def _on_door_sheet_ready(self, sheet: PrintSheet) -> None:
        self._in_flight = False
        if self._printer is None:
            return
        self._sheets.append(sheet)
        if not self._strips:
            self._start_sheet()
        self._request_next()

    def _start_sheet(self) -> None:
        """Cut the next sheet's pages into strips, painted one per event-loop turn: compressing a whole page
        image into the print stream takes ~40 ms, a strip a few ms, so the window never waits long."""
        sheet = self._sheets.popleft()
        for page_index, page in enumerate(sheet.pages):
            image = page.image()
            step = -(-image.height() // STRIPS_PER_PAGE)
            for top in range(0, image.height(), step):
                self._strips.append((page_index, image, top, min(step, image.height() - top)))
        self._strips.append(sheet.reference)  # the end of this certificate
        QTimer.singleShot(0, self._paint_strip)

    def _paint_strip(self) -> None:
        printer = self._printer
        if printer is None or not self._strips:
            return
        item = self._strips.popleft()
        if isinstance(item, str):
            self._sheet_painted(item)
            return
        page_index, image, top, height = item
        if self._painter is None:
            self._painter = QPainter()
            if not self._painter.begin(printer):
                self._painter = None
                self._strips.clear()
                self._on_error(InspectorError(self.tr("The printer could not be started.")))
                self._batch_cancelled = True
                self._finish_if_idle()
                return
        elif top == 0 and (self._batch_done > 0 or page_index > 0):
            printer.newPage()
        paint_strip(self._painter, image, top, height)
        QTimer.singleShot(0, self._paint_strip)

    def _sheet_painted(self, reference: str) -> None:
        self._batch_done += 1
        if self.progress is not None:
            self.progress.setValue(self._batch_done)
            label = (self.tr("Printed %1 (%2 of %3)").replace("%1", reference)
                     .replace("%2", str(self._batch_done)).replace("%3", str(len(self._batch))))
            self.progress.setLabelText(label)
        if self._sheets:
            self._start_sheet()
        self._request_next()
        self._finish_if_idle()

    def _finish_if_idle(self) -> None:
        # Sheets already counted by the register are always printed, even after a cancel.
        if self._in_flight or self._sheets or self._strips:
            return
        if self._batch_cancelled or self._requested >= len(self._batch):
            self._finish_batch()

    def _on_door_sheet_failed(self, exc: InspectorError) -> None:
        self._in_flight = False
        self._on_error(exc)
        self._batch_cancelled = True
        self._finish_if_idle()

    def _on_progress_canceled(self) -> None:
        # The certificate being prepared on the worker is finished and printed (it is already counted);
        # the batch stops before the next one.
        self._batch_cancelled = True
        self._finish_if_idle()

    def _finish_batch(self) -> None:
        if self._painter is not None:
            self._painter.end()
            self._painter = None
        self._printer = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self._on_progress_canceled)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        done, cancelled = self._batch_done, self._batch_done < len(self._batch)
        self._batch = []
        if self._refresh_after_batch:
            self._refresh_after_batch = False
            self.refresh()
        self.batch_finished.emit(done, cancelled)
        if done:
            self.changed.emit()

    def cancel_batch(self) -> None:
        """Stop a running batch after the certificate in hand (as the progress dialog's Cancel does)."""
        if self.progress is not None:
            self._batch_cancelled = True
            self.progress.cancel()
            self._finish_if_idle()

    @property
    def batch_running(self) -> bool:
        return self.progress is not None

    # --- default dialogs (never used by tests) ------------------------------------------------------------

    def _dialog_signature(self, title: str, lots: Sequence[str]) -> SignatureInput | None:
        # In the dialog's own context, where these words were translated.
        password = QCoreApplication.translate("SignatureDialog", "Password of the approving supervisor")
        passphrase = QCoreApplication.translate("SignatureDialog", "Passphrase of their signing key")
        return SignatureDialog(title=title, lots=lots, password_label=password, passphrase_label=passphrase,
                               parent=self).ask()

    def _dialog_reason(self, title: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("Void a certificate"), title)
        return text if ok else None

    def _dialog_printer(self, count: int) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print %1 certificate(s)").replace("%1", str(count)))
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _dialog_preview(self, sheet: PrintSheet) -> None:
        dialog = CertificatePreviewDialog(sheet, self)
        dialog.print_requested.connect(self.print_selected)
        dialog.open()
