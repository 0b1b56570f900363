"""The certificate register screen: every certificate revision, newest first, fetched as the view scrolls;
issue, void and reissue; print preview, printing and batch printing.

Paper: every print goes through ``services.certificates.record_print`` (counted and audited) on the worker,
which also says whether the sheet is the original (the signed file) or a COPY (rendered from the register
with the "COPY" mark, unsigned, carrying the original's signed QR). The pages are rasterised with pypdfium2
on the worker too (one certificate ahead of the painting); the GUI thread only paints ready images onto the
printer, a strip of a page per event-loop turn, so a batch of a hundred keeps the window responsive and can
be cancelled between certificates. The preview counts nothing: its Print button goes through the same
recorded path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
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
    QDialogButtonBox,
    QFormLayout,
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

from inspector.clock import Clock, Stamp, as_utc
from inspector.errors import InspectorError
from inspector.security.actor import Actor
from inspector.storage.db import Store

PAGE_SIZE = 100
PRINT_DPI = 150
STRIPS_PER_PAGE = 8
NUMBER_ROLE = int(Qt.ItemDataRole.UserRole) + 1
REVISION_ROLE = int(Qt.ItemDataRole.UserRole) + 2
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 3


@dataclass(frozen=True)
class CertificateRow:
    """One register row as plain values (read on the worker thread)."""

    number: str
    revision: int
    status: str
    lot_no: str
    supplier: str
    category: str
    grade: str
    net_mass_kg: str
    issued_at: datetime
    issued_offset: int
    print_count: int
    void_reason: str | None

    @property
    def reference(self) -> str:
        return f"{self.number} rev {self.revision}"


@dataclass(frozen=True)
class PageImage:
    """A rasterised PDF page: RGB888 bytes, made on the worker, turned into a QImage on the GUI thread."""

    width: int
    height: int
    stride: int
    data: bytes

    def image(self) -> QImage:
        return QImage(self.data, self.width, self.height, self.stride, QImage.Format.Format_RGB888).copy()


@dataclass(frozen=True)
class PrintSheet:
    """What the worker hands the GUI for one certificate: its pages and whether they carry COPY."""

    reference: str
    marked_copy: bool
    pages: tuple[PageImage, ...]


@dataclass(frozen=True)
class SignatureInput:
    """What the approving supervisor types to sign: password and key passphrase (and the lot, to issue)."""

    password: str
    passphrase: str
    lot_no: str = ""


def rasterise(pdf: bytes, dpi: int = PRINT_DPI) -> tuple[PageImage, ...]:
    """Every page of ``pdf`` as an RGB image (call on the worker: pdfium is used from one thread only)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            pages.append(PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)))
            page.close()
        return tuple(pages)
    finally:
        document.close()


def fetch_page(store: Store, query: Any, offset: int, limit: int) -> list[CertificateRow]:
    from inspector.services import certificates as svc

    with store.session() as session:
        rows = svc.search_certificates(session, query, offset=offset, limit=limit)
        return [CertificateRow(r.number, r.revision, r.status, r.lot_no, r.supplier_name, r.category, r.grade,
                               r.net_mass_kg, as_utc(r.issued_at), r.issued_offset, r.print_count,
                               r.void_reason) for r in rows]


def query_for(text: str, status: str | None) -> Any:
    """The register query of the search box: a number (digits and dashes), a lot (L…) or a supplier."""
    from inspector.services.certificates import RegisterQuery

    text = text.strip()
    if not text:
        return RegisterQuery(status=status)
    if all(ch.isdigit() or ch == "-" for ch in text):
        return RegisterQuery(number=text, status=status)
    if text[:1] in "Ll" and any(ch.isdigit() for ch in text):
        return RegisterQuery(lot_no=text.upper(), status=status)
    return RegisterQuery(supplier=text, status=status)


class CertificateRegisterModel(QAbstractTableModel):
    """Certificate revisions, one per row, fetched a page at a time as the view scrolls.

    Signals:
        page_loaded(): a page arrived (possibly empty: the end of the register).
        fetch_failed(InspectorError): a page could not be read; fetching stops until ``reload``.
    """

    page_loaded = Signal()
    fetch_failed = Signal(object)

    COLUMNS = ("number", "revision", "status", "lot", "supplier", "category", "net", "issued", "prints")

    def __init__(self, store: Store, ops: Any, *, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ops = ops
        self._page_size = page_size
        self._rows: list[CertificateRow] = []
        self._generation = 0
        self._in_flight = False
        self._inserting = False
        self._exhausted = False
        self._query = query_for("", None)
        self.pages_fetched = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (self.tr("Certificate"), self.tr("Rev."), self.tr("Status"), self.tr("Lot"),
                   self.tr("Supplier"), self.tr("Category / grade"), self.tr("Net mass"), self.tr("Issued"),
                   self.tr("Prints"))
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
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
            return self.tr("Voided: %1").replace("%1", row.void_reason)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("net", "prints", "revision"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: CertificateRow, column: str) -> str:
        if column == "number":
            return row.number
        if column == "revision":
            return str(row.revision)
        if column == "status":
            return self.tr("VOID") if row.status == "void" else self.tr("Issued")
        if column == "lot":
            return row.lot_no
        if column == "supplier":
            return row.supplier
        if column == "category":
            return f"{row.category} {row.grade}"
        if column == "net":
            return f"{row.net_mass_kg} kg"
        if column == "issued":
            return Stamp(row.issued_at, row.issued_offset).local().strftime("%Y-%m-%d %H:%M")
        return str(row.print_count)

    def row_at(self, index: int) -> CertificateRow:
        return self._rows[index]

    # --- lazy fetching ------------------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and not (self._exhausted or self._in_flight or self._inserting)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        store, query, offset, size = self._store, self._query, len(self._rows), self._page_size
        generation = self._generation
        self._in_flight = True
        self._ops.run(lambda: fetch_page(store, query, offset, size),
                      lambda page: self._on_ops_page_read(generation, page),
                      lambda exc: self._on_ops_page_failed(generation, exc), owner=self)

    def _on_ops_page_read(self, generation: int, page: list[CertificateRow]) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._inserting = True
        try:
            self.pages_fetched += 1
            self._exhausted = len(page) < self._page_size
            if page:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()
        finally:
            self._inserting = False
        self.page_loaded.emit()

    def _on_ops_page_failed(self, generation: int, exc: InspectorError) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._exhausted = True
        self.fetch_failed.emit(exc)

    @property
    def fetching(self) -> bool:
        return self._in_flight

    @property
    def has_more(self) -> bool:
        return not self._exhausted

    def set_query(self, query: Any) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Drop the fetched rows and fetch the first page again (after a change in the register)."""
        self._inserting = True
        try:
            self.beginResetModel()
            self._generation += 1
            self._in_flight = False
            self._rows = []
            self._exhausted = False
            self.endResetModel()
        finally:
            self._inserting = False
        self.fetchMore(QModelIndex())


class SignatureDialog(QDialog):
    """Asks the approving supervisor's password and key passphrase (and, to issue, the lot)."""

    def __init__(self, title: str, *, lots: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.lot_combo = QComboBox(self)
        for lot in lots:
            self.lot_combo.addItem(lot)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        if lots:
            form.addRow(self.tr("Approved lot"), self.lot_combo)
        form.addRow(self.tr("Password of the approving supervisor"), self.password_edit)
        form.addRow(self.tr("Passphrase of their signing key"), self.passphrase_edit)
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Ok | standard.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> SignatureInput:
        return SignatureInput(self.password_edit.text(), self.passphrase_edit.text(),
                              self.lot_combo.currentText())


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


class CertificateRegisterWidget(QWidget):
    """The register table with its actions. Dialogs are injectable (tests never open a modal one).

    Signals:
        changed(): a certificate was issued, voided or reissued, or prints were recorded.
        batch_finished(int, bool): a print batch ended: certificates printed, and whether it was cancelled.
    """

    changed = Signal()
    batch_finished = Signal(int, bool)

    def __init__(self, store: Store, ops: Any, actor: Actor, *, clock: Clock | None = None,
                 ask_signature: AskSignature | None = None, ask_reason: AskReason | None = None,
                 choose_printer: ChoosePrinter | None = None, show_preview: ShowPreview | None = None,
                 show_error: Callable[[InspectorError], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ops = ops
        self._actor = actor
        self._clock = clock or Clock()
        self._ask_signature = ask_signature or self._dialog_signature
        self._ask_reason = ask_reason or self._dialog_reason
        self._choose_printer = choose_printer or self._dialog_printer
        self._show_preview = show_preview or self._dialog_preview
        self._show_error = show_error
        self.last_error: InspectorError | None = None
        self.model = CertificateRegisterModel(store, ops, parent=self)
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
        self._init_view()
        self._init_layout()
        self._connect_signals()
        self._retranslate()
        self.model.reload()

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
        self.model.page_loaded.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self.model.fetch_failed.connect(self._on_error)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def title(self) -> str:
        return self.tr("Certificates")

    def _retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Search certificate number, lot or supplier; Enter"))
        current = self.status_combo.currentIndex()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(self.tr("All"), None)
        self.status_combo.addItem(self.tr("In force"), "issued")
        self.status_combo.addItem(self.tr("Void"), "void")
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
        self.model.set_query(query_for(self.filter_edit.text(), self.status_combo.currentData()))

    def _on_status_combo_current_index_changed(self, _index: int) -> None:
        self._apply_filter()

    def refresh(self) -> None:
        self.model.reload()

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
            self.count_label.setText(str(exc))

    def _after_change(self, _result: Any) -> None:
        self.model.reload()
        self.changed.emit()

    # --- issue, void, reissue -----------------------------------------------------------------------------

    def issue(self) -> None:
        """Ask for an approved lot and the approver's secrets, then issue its certificate on the worker."""
        store = self._store

        def approved_lots() -> list[str]:
            from inspector.services import lots as lot_services

            with store.session() as session:
                return [lot.lot_no for lot in lot_services.list_lots(session, states=["approved"])]

        self._ops.run(approved_lots, self._on_ops_lots_listed, self._on_error, owner=self)

    def _on_ops_lots_listed(self, lots: list[str]) -> None:
        if not lots:
            self._on_error(InspectorError(self.tr("No lot is approved and waiting for its certificate.")))
            return
        answer = self._ask_signature(self.tr("Issue a certificate"), lots)
        if answer is None or not answer.lot_no:
            return
        store, actor, clock = self._store, self._actor, self._clock

        def job() -> str:
            from inspector.services import certificates as svc

            with store.session() as session:
                row = svc.issue_certificate(session, actor=actor, clock=clock, data_dir=store.data_dir,
                                            lot_no=answer.lot_no, password=answer.password,
                                            passphrase=answer.passphrase)
                return row.reference

        self._ops.run(job, self._after_change, self._on_error, owner=self)

    def void_selected(self) -> None:
        row = self._single()
        if row is None:
            return
        reason = self._ask_reason(self.tr("Why is %1 voided?").replace("%1", row.reference))
        if not reason:
            return
        store, actor, clock = self._store, self._actor, self._clock

        def job() -> str:
            from inspector.services import certificates as svc

            with store.session() as session:
                return svc.void_certificate(session, actor=actor, clock=clock, number=row.number,
                                            revision=row.revision, reason=reason).reference

        self._ops.run(job, self._after_change, self._on_error, owner=self)

    def reissue_selected(self) -> None:
        row = self._single()
        if row is None:
            return
        answer = self._ask_signature(self.tr("Reissue %1").replace("%1", row.number), ())
        if answer is None:
            return
        store, actor, clock = self._store, self._actor, self._clock

        def job() -> str:
            from inspector.services import certificates as svc

            with store.session() as session:
                return svc.reissue_certificate(session, actor=actor, clock=clock, data_dir=store.data_dir,
                                               number=row.number, password=answer.password,
                                               passphrase=answer.passphrase).reference

        self._ops.run(job, self._after_change, self._on_error, owner=self)

    # --- preview and printing -----------------------------------------------------------------------------

    def preview_selected(self) -> None:
        """Render what the next print of the selected certificate would be (nothing is counted)."""
        row = self._single()
        if row is None:
            return
        store = self._store

        def job() -> PrintSheet:
            from inspector.services import certificates as svc

            with store.session() as session:
                stored = svc.get_certificate(session, row.number, row.revision)
            marked = stored.print_count > 0
            pdf = svc.print_document(store.data_dir, stored, marked_copy=marked)
            return PrintSheet(stored.reference, marked, rasterise(pdf))

        self._ops.run(job, self._show_preview, self._on_error, owner=self)

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
        store, actor, clock = self._store, self._actor, self._clock

        def job() -> PrintSheet:
            from inspector.services import certificates as svc

            # Render first (as the register will decide: a later print is a COPY), so a certificate that
            # cannot be drawn is not counted as printed.
            with store.session() as session:
                stored = svc.get_certificate(session, number, revision)
            expected = stored.print_count > 0
            pdf = svc.print_document(store.data_dir, stored, marked_copy=expected)
            with store.session() as session:
                marked = svc.record_print(session, actor=actor, clock=clock, number=number,
                                          revision=revision).marked_copy
            if marked != expected:
                pdf = svc.print_document(store.data_dir, stored, marked_copy=marked)
            return PrintSheet(stored.reference, marked, rasterise(pdf))

        self._ops.run(job, self._on_ops_sheet_ready, self._on_ops_sheet_failed, owner=self)

    def _on_ops_sheet_ready(self, sheet: PrintSheet) -> None:
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

    def _on_ops_sheet_failed(self, exc: InspectorError) -> None:
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
        self.model.reload()
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
        dialog = SignatureDialog(title, lots=lots, parent=self)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None

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
