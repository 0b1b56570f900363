"""The load register screen: every load, newest first, searchable and filterable, details on Enter.

It reads again by itself when loads change (``Change.LOADS``), here or in another program, keeping the
selected load selected when it is still among the rows read."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector.changes import Change
from inspector.errors import InspectorError
from inspector.queries.loads import LoadDetails, load_details
from inspector.security.actor import Actor
from inspector.states import LoadState
from ui import words
from ui.models.loads import LOAD_ID_ROLE, Column, LoadRegisterModel
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.screens.load_details import LoadDetailsDialog
from ui.theme import FIT_ROWS, TOUCH_TARGET_PX

FILTER_DELAY_MS = 250
MAX_COLUMN_PX = 320


class LoadRegisterWidget(ScreenWidget):
    """Filter box, state filter and the lazily fetched table of loads.

    Signals:
        details_opened(int): a load's details were fetched and shown (its id).
    """

    shows = frozenset({Change.LOADS})
    details_opened = Signal(int)

    def __init__(self, door: Door, actor: Actor, *,
                 show_details: Callable[[LoadDetails], None] | None = None,
                 show_error: Callable[[InspectorError], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._show_details = show_details or self._open_details_dialog
        self._show_error = show_error
        self._dialogs: list[LoadDetailsDialog] = []
        # Pages are read on the worker: a rare search term scans the whole table (inspector.queries.loads).
        self.model = LoadRegisterModel(door, parent=self)
        self._fetch_error: InspectorError | None = None
        # The load selected when a refresh began, selected again when its row is read back.
        self._reselect: int | None = None
        self._columns_fitted = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("registerFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.state_combo = QComboBox(self)
        self.state_combo.setObjectName("registerStateFilter")
        self.refresh_button = QPushButton(self)
        self.count_label = QLabel(self)
        self.view = QTableView(self)
        self.view.setObjectName("registerTable")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)

        self._init_view()
        self._init_layout()
        self._connect_signals()
        self.retranslate()
        self._fetch_first_page()

    def _init_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(TOUCH_TARGET_PX)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(Column.ARRIVED, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)

    def _init_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 3)
        bar.addWidget(self.state_combo, 1)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.filter_edit.returnPressed.connect(self._apply_text_filter)
        self._filter_timer.timeout.connect(self._apply_text_filter)
        self.state_combo.currentIndexChanged.connect(self._on_state_combo_current_index_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.view.activated.connect(self._on_view_activated)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        self.model.page_loaded.connect(self._update_count)
        self.model.modelReset.connect(self._on_model_model_reset)
        self.model.fetch_failed.connect(self._on_model_fetch_failed)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.refresh)
        QShortcut(QKeySequence.StandardKey.Find, self, lambda: self.filter_edit.setFocus())

    # --- language -----------------------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Load register")

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(self.tr("Search ticket, plate, supplier or category"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the register again from the database (F5)"))
        current = self.state_combo.currentData()
        self.state_combo.blockSignals(True)
        self.state_combo.clear()
        self.state_combo.addItem(self.tr("All states"), None)
        for state in LoadState:
            self.state_combo.addItem(words.load_state(state.value), state.value)
        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(current)))
        self.state_combo.blockSignals(False)
        self.model.retranslate()
        self._update_count()
        if self.model.rowCount():
            self.fit_columns()

    # --- slots --------------------------------------------------------------------------------------------

    def _on_filter_edit_text_changed(self, _text: str) -> None:
        self._filter_timer.start()

    def _apply_text_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_text_filter(self.filter_edit.text())
        self._fetch_first_page()

    def _on_state_combo_current_index_changed(self, _index: int) -> None:
        self.model.set_state_filter(self.state_combo.currentData())
        self._fetch_first_page()

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.is_sortable(column):
            # Only indexed columns sort in the database; put the arrow back where the rows really are.
            header = self.view.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column, Qt.SortOrder.DescendingOrder
                                    if self.model.query.descending else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            return
        self.model.sort(column, order)
        self._fetch_first_page()

    def _on_view_activated(self, index: QModelIndex) -> None:
        load_id = index.data(LOAD_ID_ROLE)
        if load_id is not None:
            self.open_load(int(load_id))

    def _on_model_rows_inserted(self, _parent: QModelIndex, first: int, _last: int) -> None:
        # Once, to the first page: measuring every cell costs ~100 ms on the GUI thread, and columns that
        # jump on every refresh (which now comes by itself) would undo what the user dragged.
        if first == 0 and not self._columns_fitted:
            self._columns_fitted = True
            self.fit_columns()
        if first == 0 and self._reselect is not None:
            # Only the first page is looked at: reading on until the load shows up could read the register.
            row = self.model.row_of_load(self._reselect)
            self._reselect = None
            if row >= 0:
                self.view.selectRow(row)

    def fit_columns(self) -> None:
        """Size the columns to the first rows and the headers."""
        self.view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            if header.sectionSize(column) > MAX_COLUMN_PX:
                header.resizeSection(column, MAX_COLUMN_PX)

    def _on_model_model_reset(self) -> None:
        self._fetch_error = None
        self._reselect = None
        self._update_count()

    def _on_model_fetch_failed(self, exc: InspectorError) -> None:
        self._fetch_error = exc
        self._update_count()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self._fetch_error is not None:
            text = self.tr("The register could not be read: %1 Press F5 to try again.").replace(
                "%1", words.error(self._fetch_error))
        elif self.model.fetching and not shown:
            text = self.tr("Reading the register…")
        elif self.model.has_more and shown:
            text = self.tr("%n load(s) shown; scroll down for more", "", shown)
        else:
            text = self.tr("%n load(s)", "", shown)
        self.count_label.setText(text)

    # --- actions ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the register again from the first page (F5, or loads changed), keeping the selected load."""
        selected = self.view.selectionModel().selectedRows()
        reselect = int(selected[0].data(LOAD_ID_ROLE)) if selected else None
        self.model.reload()
        self._reselect = reselect  # after the reset, which forgets it (a new filter or sort selects nothing)
        self._fetch_first_page()

    def _fetch_first_page(self) -> None:
        # The view would fetch when it next lays out; asking now starts the read before the first paint.
        self.model.fetch_first_page()
        self._update_count()

    def open_load(self, load_id: int) -> None:
        """Read the load's stored fields on the worker, then show them."""
        data_dir = self._door.data_dir
        self._door.read(lambda s: load_details(s, load_id=load_id, data_dir=data_dir),
                        self._on_door_details_read, self._show_error, owner=self)

    def _on_door_details_read(self, details: LoadDetails) -> None:
        self._show_details(details)
        self.details_opened.emit(details.id)

    def _open_details_dialog(self, details: LoadDetails) -> None:
        dialog = LoadDetailsDialog(details, self, door=self._door, actor=self._actor)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result, d=dialog: self._dialogs.remove(d))
        self._dialogs.append(dialog)
        dialog.show()

    @property
    def open_dialogs(self) -> list[LoadDetailsDialog]:
        return list(self._dialogs)
