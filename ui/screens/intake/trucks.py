"""The trucks on site: every open load with its state, next step and waiting time; any of them resumed where
it stopped.

The trucks the weighbridge waits for come first (gross or tare), then the other intake steps, then the lab,
the longest waiting first within each. One tap on a row resumes that load at its next step in the wizard;
scanning a ticket or a plate into the search box and pressing Enter resumes that load, and so does Enter on
the selected row; Ctrl+N starts a new arrival; F5 refreshes. The list also reads itself again whenever loads
change (``Change.LOADS``: a step submitted in the wizard, a weighing, the lab, the command line), keeping the
selected truck selected. The waiting times move on once a minute from the clock, without reading again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.services import intake as intake_svc
from ui import words
from ui.models.trucks import LOAD_ID_ROLE, TrucksOnSiteModel
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.theme import FIT_ROWS, TOUCH_TARGET_PX

WAITING_TICK_MS = 60_000


class TrucksOnSiteWidget(ScreenWidget):
    """The list of open loads.

    Signals:
        resume_requested(int): resume this load (its id) at its next step.
        new_arrival_requested(): a new truck is at the gate.
        refreshed(int): the list was read again (number of loads).
    """

    shows = frozenset({Change.LOADS})
    resume_requested = Signal(int)
    new_arrival_requested = Signal()
    refreshed = Signal(int)

    def __init__(self, door: Door, parent: QWidget | None = None, *, clock: Clock | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self.model = TrucksOnSiteModel(self, clock=clock)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("trucksSearch")
        self.search_edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.search_edit.setClearButtonEnabled(True)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("trucksNewArrival")
        self.new_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.resume_button = QPushButton(self)
        self.resume_button.setObjectName("trucksResume")
        self.resume_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.status_label = QLabel(self)
        self.view = QTableView(self)
        self.view.setObjectName("trucksTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(TOUCH_TARGET_PX)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.horizontalHeader().setStretchLastSection(True)

        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.resume_button)
        bar.addWidget(self.new_button)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)

        self.minute_timer = QTimer(self)
        self.minute_timer.setInterval(WAITING_TICK_MS)
        self.minute_timer.timeout.connect(self.model.tick)
        self.minute_timer.start()

        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        # One tap opens the truck's step (gloves, a touch screen); Enter does on the keyboard (the filter).
        self.view.clicked.connect(self._on_view_clicked)
        self.view.installEventFilter(self)
        self.new_button.clicked.connect(self.new_arrival_requested)
        self.refresh_button.clicked.connect(self.refresh)
        self.resume_button.clicked.connect(self._on_resume_button_clicked)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_arrival_requested.emit)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        self.retranslate()
        self.refresh()

    def title(self) -> str:
        return self.tr("Trucks on site")

    def refresh(self) -> None:
        """Read the open loads again (F5, or loads changed)."""
        self._door.read(lambda s: intake_svc.trucks_on_site(s), self._on_door_rows_read, self._on_error,
                        owner=self)

    def _on_door_rows_read(self, rows: list[intake_svc.TruckOnSite]) -> None:
        selected = self.view.selectionModel().selectedRows()
        kept = int(selected[0].data(LOAD_ID_ROLE)) if selected else None
        self.model.set_rows(rows)
        self.view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.view.resizeColumnsToContents()
        row = self.model.row_of_load(kept) if kept is not None else -1
        if row >= 0:
            self.view.selectRow(row)
        self.status_label.setText(self.tr("%n truck(s) on site", "", len(rows)))
        self.refreshed.emit(len(rows))

    def _on_error(self, exc: InspectorError) -> None:
        self.status_label.setText(words.error(exc))

    def _on_search_edit_return_pressed(self) -> None:
        text = self.search_edit.text()
        row = self.model.row_matching(text)
        if row < 0:
            message = self.tr("No truck on site with ticket or plate %1.").replace("%1", text)
            self.status_label.setText(message)
            return
        self.search_edit.clear()
        self.view.selectRow(row)
        self.resume_requested.emit(int(self.model.index(row, 0).data(LOAD_ID_ROLE)))

    def _on_view_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.resume_requested.emit(int(index.data(LOAD_ID_ROLE)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_resume_button_clicked()
            return True
        return super().eventFilter(watched, event)

    def _on_resume_button_clicked(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.resume_requested.emit(int(rows[0].data(LOAD_ID_ROLE)))

    def retranslate(self) -> None:
        self.search_edit.setPlaceholderText(self.tr("Scan or type a ticket or plate, then Enter"))
        self.new_button.setText(self.tr("New arrival (Ctrl+N)"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.resume_button.setText(self.tr("Resume (Enter)"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
