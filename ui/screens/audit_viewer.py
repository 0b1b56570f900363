"""The audit trail viewer: every event, newest first and fetched a page at a time, filtered by entity,
user, action and date; the selected event's old and new values side by side; export to CSV with the
chain head; and the full verification on demand. Also the signing holds a supervisor reviews."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.security import auditlog, clockguard, verify
from inspector.security.actor import Actor, Role
from inspector.storage.db import Store
from inspector.storage.models.audit import AuditEvent
from ui.ops import Ops

PAGE_SIZE = 200
CHANGED_BACKGROUND = QColor("#fff3c4")


class Column(IntEnum):
    SEQ = 0
    TIME = 1
    USER = 2
    ROLE = 3
    ACTION = 4
    ENTITY = 5
    ENTITY_ID = 6
    REASON = 7


def local_text(event: AuditEvent) -> str:
    """The event's time at the yard, with its UTC offset (e.g. 2026-03-02 16:30:00 +08:00)."""
    local = event.at.astimezone(UTC) + timedelta(minutes=event.offset_minutes)
    sign = "+" if event.offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(event.offset_minutes), 60)
    return f"{local:%Y-%m-%d %H:%M:%S} {sign}{hours:02d}:{minutes:02d}"


class AuditEventModel(QAbstractTableModel):
    """Audit events matching a filter, newest first, fetched ``page_size`` at a time as the view scrolls."""

    def __init__(self, store: Store, *, page_size: int = PAGE_SIZE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._events: list[AuditEvent] = []
        self._filter = auditlog.EventFilter()
        self._exhausted = False
        self.total = 0
        self.set_filter(auditlog.EventFilter())

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (self.tr("No."), self.tr("Time (yard)"), self.tr("User"), self.tr("Role"),
                   self.tr("Action"), self.tr("Record"), self.tr("Record id"), self.tr("Reason"))
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                Column.SEQ: str(event.seq),
                Column.TIME: local_text(event),
                Column.USER: event.actor,
                Column.ROLE: event.role,
                Column.ACTION: event.action,
                Column.ENTITY: event.entity,
                Column.ENTITY_ID: event.entity_id,
                Column.REASON: event.reason or "",
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.TIME:
            return event.at.isoformat(timespec="seconds")
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or self._exhausted:
            return
        with self._store.session() as session:
            page = auditlog.query_events(session, self._filter, offset=len(self._events),
                                         limit=self._page_size)
        if len(page) < self._page_size:
            self._exhausted = True
        if page:
            first = len(self._events)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._events.extend(page)
            self.endInsertRows()

    @property
    def filter(self) -> auditlog.EventFilter:
        return self._filter

    def set_filter(self, flt: auditlog.EventFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._events = []
        self._exhausted = False
        with self._store.session() as session:
            self.total = auditlog.count_events(session, flt)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        self.set_filter(self._filter)

    def event_at(self, row: int) -> AuditEvent:
        return self._events[row]


class AuditViewerWidget(QWidget):
    """Filters, the event table, the old/new comparison of the selected event, export and verification.

    Signals:
        exported(str): the CSV file written.
        verified(list): the problems found by a verification (empty when all is well).
    """

    exported = Signal(str)
    verified = Signal(list)

    def __init__(self, store: Store, ops: Ops, *, ask_save_path: Callable[[], Path | None] | None = None,
                 clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._offset_minutes = (clock or Clock()).now().offset_minutes
        self._ops = ops
        self._ask_save_path = ask_save_path or self._dialog_save_path
        self.setObjectName("auditViewer")
        self.model = AuditEventModel(store, parent=self)

        self.entity_combo = QComboBox(self)
        self.user_combo = QComboBox(self)
        self.action_combo = QComboBox(self)
        self.dates_box = QCheckBox(self)
        self.since_edit = QDateEdit(self)
        self.until_edit = QDateEdit(self)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
        self.count_label = QLabel(self)
        self.export_button = QPushButton(self)
        self.verify_button = QPushButton(self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("auditStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.view = QTableView(self)
        self.view.setObjectName("auditTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        # Times with their offset and dotted action names must be readable whole; the reason takes the rest.
        for column, width in ((Column.TIME, 230), (Column.ACTION, 230), (Column.ENTITY, 150),
                              (Column.ENTITY_ID, 110)):
            self.view.setColumnWidth(column, width)
        self.view.verticalHeader().setVisible(False)

        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_table = QTableWidget(0, 3, self)
        self.detail_table.setObjectName("auditDetail")
        self.detail_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail_table.verticalHeader().setVisible(False)

        filters = QHBoxLayout()
        self._filter_labels = [QLabel(self) for _ in range(3)]
        for label, combo in zip(self._filter_labels, (self.entity_combo, self.user_combo, self.action_combo),
                                strict=True):
            filters.addWidget(label)
            filters.addWidget(combo, 1)
        filters.addWidget(self.dates_box)
        filters.addWidget(self.since_edit)
        filters.addWidget(self.until_edit)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.verify_button)
        actions.addWidget(self.export_button)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_label)
        detail_layout.addWidget(self.detail_table)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(detail)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status_label)

        self.retranslate()
        self._fill_filter_lists()
        for combo in (self.entity_combo, self.user_combo, self.action_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.dates_box.toggled.connect(self._on_dates_box_toggled)
        self.since_edit.dateChanged.connect(self._on_filter_changed)
        self.until_edit.dateChanged.connect(self._on_filter_changed)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        self._update_count()

    # --- texts ---------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        for label, text in zip(self._filter_labels, (self.tr("Record"), self.tr("User"), self.tr("Action")),
                               strict=True):
            label.setText(text)
        self.dates_box.setText(self.tr("Dates"))
        self.export_button.setText(self.tr("Export CSV…"))
        self.verify_button.setText(self.tr("Verify the trail"))
        self.detail_table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Before"), self.tr("After")])
        for combo in (self.entity_combo, self.user_combo, self.action_combo):
            if combo.count():
                combo.setItemText(0, self.tr("All"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%1 of %2 event(s) shown")
                                 .replace("%1", str(self.model.rowCount()))
                                 .replace("%2", str(self.model.total)))

    # --- filters -------------------------------------------------------------------------------------------

    def _fill_filter_lists(self) -> None:
        with self._store.session() as session:
            values = {name: auditlog.distinct_values(session, name) for name in ("entity", "actor", "action")}
        for combo, name in ((self.entity_combo, "entity"), (self.user_combo, "actor"),
                            (self.action_combo, "action")):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("All"), None)
            for value in values[name]:
                combo.addItem(value, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def current_filter(self) -> auditlog.EventFilter:
        since = until = None
        if self.dates_box.isChecked():
            # The dates are days at the yard: local midnight is UTC midnight minus the offset.
            shift = timedelta(minutes=self._offset_minutes)
            since = datetime.combine(self.since_edit.date().toPython(), time.min, tzinfo=UTC) - shift
            until = datetime.combine(self.until_edit.date().toPython(), time.min, tzinfo=UTC) - shift
            until += timedelta(days=1)
        return auditlog.EventFilter(entity=self.entity_combo.currentData(),
                                    actor=self.user_combo.currentData(),
                                    action=self.action_combo.currentData(), since=since, until=until)

    def _on_dates_box_toggled(self, checked: bool) -> None:
        self.since_edit.setEnabled(checked)
        self.until_edit.setEnabled(checked)
        self._on_filter_changed()

    def _on_filter_changed(self, *_args: object) -> None:
        self.model.set_filter(self.current_filter())
        self._show_detail(None)
        self._update_count()

    def refresh(self) -> None:
        self._fill_filter_lists()
        self.model.reload()
        self._update_count()

    # --- detail --------------------------------------------------------------------------------------------

    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.event_at(current.row()) if current.isValid() else None)
        self._update_count()

    def _show_detail(self, event: AuditEvent | None) -> None:
        self.detail_table.setRowCount(0)
        if event is None:
            self.detail_label.clear()
            return
        self.detail_label.setText(self.tr("Event %1: %2 by %3 (%4). Reason: %5")
                                  .replace("%1", str(event.seq)).replace("%2", event.action)
                                  .replace("%3", event.actor).replace("%4", local_text(event))
                                  .replace("%5", event.reason or self.tr("none given")))
        old = event.old if isinstance(event.old, dict) else ({} if event.old is None else {"": event.old})
        new = event.new if isinstance(event.new, dict) else ({} if event.new is None else {"": event.new})
        keys = sorted(set(old) | set(new))
        self.detail_table.setRowCount(len(keys))
        bold = QFont()
        bold.setBold(True)
        for row, key in enumerate(keys):
            before = _value_text(old[key]) if key in old else ""
            after = _value_text(new[key]) if key in new else ""
            changed = bool(old) and before != after
            for column, text in enumerate((key, before, after)):
                item = QTableWidgetItem(text)
                if changed:
                    item.setBackground(QBrush(CHANGED_BACKGROUND))
                    item.setFont(bold)
                self.detail_table.setItem(row, column, item)

    def changed_fields(self) -> list[str]:
        """The fields highlighted as changed in the comparison (for tests and accessibility)."""
        return [self.detail_table.item(r, 0).text() for r in range(self.detail_table.rowCount())
                if self.detail_table.item(r, 0).font().bold()]

    # --- export and verify ---------------------------------------------------------------------------------

    def _dialog_save_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the audit trail"), "audit-trail.csv",
                                              self.tr("CSV files (*.csv)"))
        return Path(name) if name else None

    def _on_export_button_clicked(self) -> None:
        path = self._ask_save_path()
        if path is None:
            return
        flt, store = self.current_filter(), self._store

        def export() -> tuple[int, int | None, str | None]:
            with store.session() as session:
                return auditlog.export_csv(session, path, flt)

        def done(result: tuple[int, int | None, str | None]) -> None:
            count, seq, digest = result
            self.status_label.setStyleSheet("")
            self.status_label.setText(self.tr("%1 event(s) exported to %2. Chain head: event %3, hash %4.")
                                      .replace("%1", str(count)).replace("%2", str(path))
                                      .replace("%3", str(seq)).replace("%4", str(digest)))
            self.exported.emit(str(path))

        self._ops.run(export, done, self._on_job_error)

    def _on_verify_button_clicked(self) -> None:
        store = self._store
        self.verify_button.setEnabled(False)
        self._ops.run(lambda: verify.verify_all(store, store.data_dir), self._on_verify_done,
                      self._on_job_error)

    def _on_verify_done(self, problems: list[verify.Problem]) -> None:
        self.verify_button.setEnabled(True)
        if problems:
            self.status_label.setStyleSheet("color: #b00020; font-weight: bold;")
            shown = "\n".join(p.message for p in problems[:5])
            self.status_label.setText(self.tr("%1 problem(s) found:").replace("%1", str(len(problems)))
                                      + "\n" + shown)
        else:
            self.status_label.setStyleSheet("")
            self.status_label.setText(self.tr("The audit trail, the records and the checkpoints verify."))
        self.verified.emit(problems)

    def _on_job_error(self, exc: InspectorError) -> None:
        self.verify_button.setEnabled(True)
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(str(exc))


class SigningHoldsWidget(QWidget):
    """What blocks signing (the clock ran backwards, or the integrity check failed) and, for a supervisor,
    the acknowledgement after review, with a note that goes into the audit trail.

    Signals:
        acknowledged(int): the hold with this id was acknowledged.
    """

    acknowledged = Signal(int)

    def __init__(self, store: Store, ops: Ops, actor: Actor, *, clock: Clock | None = None,
                 ask_note: Callable[[], str | None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ops = ops
        self._actor = actor
        self._clock = clock or Clock()
        self._ask_note = ask_note or self._dialog_note
        self._ids: list[int] = []
        self.setObjectName("signingHolds")
        self.title_label = QLabel(self)
        self.holds_list = QListWidget(self)
        self.acknowledge_button = QPushButton(self)
        self.acknowledge_button.setVisible(actor.has(Role.SUPERVISOR))
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.holds_list)
        layout.addWidget(self.acknowledge_button)
        layout.addWidget(self.message_label)
        self.acknowledge_button.clicked.connect(self._on_acknowledge_button_clicked)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Signing is blocked until a supervisor reviews these:"))
        self.acknowledge_button.setText(self.tr("Acknowledge after review…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        store, clock = self._store, self._clock

        def read() -> list[tuple[int, str]]:
            with store.session() as session:
                clockguard.check_clock(session, clock=clock)
            with store.session() as session:
                return [(h.id or 0, clockguard.describe(h)) for h in clockguard.open_holds(session)]

        self._ops.run(read, self._on_read_done, self._on_job_error)

    def _on_read_done(self, holds: list[tuple[int, str]]) -> None:
        self._ids = [hold_id for hold_id, _text in holds]
        self.holds_list.clear()
        for _hold_id, text in holds:
            self.holds_list.addItem(text)
        if holds:
            self.holds_list.setCurrentRow(0)
        else:
            self.message_label.setText(self.tr("Nothing blocks signing."))
        self.acknowledge_button.setEnabled(bool(holds))

    def _dialog_note(self) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("Acknowledge"),
                                        self.tr("What did you check, and why may signing resume?"))
        return text if ok else None

    def _on_acknowledge_button_clicked(self) -> None:
        row = self.holds_list.currentRow()
        if not 0 <= row < len(self._ids):
            return
        note = self._ask_note()
        if note is None:
            return
        hold_id, actor, clock, store = self._ids[row], self._actor, self._clock, self._store

        def acknowledge() -> int:
            with store.session() as session:
                clockguard.acknowledge_hold(session, actor=actor, clock=clock, hold_id=hold_id, note=note)
            return hold_id

        self._ops.run(acknowledge, self._on_acknowledge_done, self._on_job_error)

    def _on_acknowledge_done(self, hold_id: int) -> None:
        self.message_label.setText(self.tr("Acknowledged."))
        self.acknowledged.emit(hold_id)
        self.refresh()

    def _on_job_error(self, exc: InspectorError) -> None:
        self.message_label.setText(str(exc))


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
