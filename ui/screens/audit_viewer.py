"""The audit trail viewer: every event, newest first and read a page at a time (by sequence number) on the
worker, filtered by entity, user, action and date; the selected event's old and new values side by side;
export to CSV with the chain head; and the full verification on demand. Also the signing holds a supervisor
reviews.

Both read themselves again when the door announces a change they show: the viewer on any new event (every
change leaves one, here, on another station or from the command line), the holds on account changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
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

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.messages.reasons import reason_words
from inspector.queries.audit import AuditRow, FilterValues, TrailExport, audit_page, filter_values
from inspector.queries.users import SigningHolds, signing_holds
from inspector.security import verify
from inspector.security.actor import Actor, Role
from inspector.security.auditlog import EventFilter
from ui import formats, words
from ui.models.paged import PagedTableModel
from ui.operations import audit as audit_ops
from ui.operations import users as user_ops
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.widgets import files

if TYPE_CHECKING:
    from sqlmodel import Session

# The viewer's table shows about ten events at 768 px; each event read costs its JSON (~0.2 ms), so a page
# of 100 keeps the first page's read well under 50 ms on a trail of any length.
PAGE_SIZE = 100
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


class AuditEventModel(PagedTableModel[AuditRow, EventFilter]):
    """Audit events matching a filter, newest first, read ``page_size`` at a time as the view scrolls."""

    def __init__(self, door: Door, *, page_size: int = PAGE_SIZE, parent: QObject | None = None) -> None:
        super().__init__(door, EventFilter(), page_size=page_size, parent=parent)

    def read_page(self, session: Session, query: EventFilter, after: tuple[Any, ...] | None,
                  limit: int) -> list[AuditRow]:
        return audit_page(session, query, after=None if after is None else int(after[0]), limit=limit)

    def page_key(self, row: AuditRow, query: EventFilter) -> tuple[Any, ...]:
        return (row.seq,)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (self.tr("No."), formats.with_zone(self.tr("Time")), self.tr("User"), self.tr("Role"),
                   self.tr("Action"), self.tr("Record"), self.tr("Record id"), self.tr("Reason"))
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        event = self.rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                Column.SEQ: str(event.seq),
                Column.TIME: formats.moment(event.at, event.offset_minutes, seconds=True),
                Column.USER: event.actor,
                Column.ROLE: words.role(event.role),
                Column.ACTION: words.word("audit_action", event.action),
                Column.ENTITY: words.word("record_type", event.entity),
                Column.ENTITY_ID: event.entity_id,
                Column.REASON: reason_words(event.reason, words.language()),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.ACTION, Column.ENTITY, Column.ROLE):
            return {Column.ACTION: event.action, Column.ENTITY: event.entity, Column.ROLE: event.role}[column]
        return None

    def row_of_seq(self, seq: int) -> int | None:
        """The row showing event ``seq``, when it is fetched."""
        return next((number for number, row in enumerate(self.rows) if row.seq == seq), None)


class AuditViewerWidget(ScreenWidget):
    """Filters, the event table, the old/new comparison of the selected event, export and verification.

    Signals:
        exported(str): the CSV file written.
        verified(list): the problems found by a verification (empty when all is well).
    """

    shows = frozenset({Change.AUDIT})
    exported = Signal(str)
    verified = Signal(list)

    def __init__(self, door: Door, *, ask_save_path: Callable[[], Path | None] | None = None,
                 clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._offset_minutes = (clock or Clock()).now().offset_minutes
        self._ask_save_path = ask_save_path or self._dialog_save_path
        # The event selected before a refresh, selected again when the first page is back.
        self._reselect: int | None = None
        self.setObjectName("auditViewer")
        self.model = AuditEventModel(door, parent=self)

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
        for combo in (self.entity_combo, self.user_combo, self.action_combo):
            combo.addItem(self.tr("All"), None)
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.dates_box.toggled.connect(self._on_dates_box_toggled)
        self.since_edit.dateChanged.connect(self._on_filter_changed)
        self.until_edit.dateChanged.connect(self._on_filter_changed)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        self.model.modelReset.connect(self._update_count)
        self.model.fetch_failed.connect(self._on_job_error)
        self._update_count()
        self._read_filter_values()
        self.model.fetch_first_page()

    # --- texts ---------------------------------------------------------------------------------------------

    def title(self) -> str:
        return QCoreApplication.translate("Screens", "Audit trail")

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
        self._update_count()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self.model.has_more and shown:
            self.count_label.setText(self.tr("%1 event(s) shown; scroll down for more")
                                     .replace("%1", str(shown)))
        else:
            self.count_label.setText(self.tr("%1 event(s)").replace("%1", str(shown)))

    # --- reading -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the trail again (the first page) and the filter lists, keeping the selected event."""
        current = self.view.currentIndex()
        self._reselect = self.model.row_at(current.row()).seq if current.isValid() else None
        self.model.reload()
        self.model.fetch_first_page()
        # After the page (one worker, first come first served): the lists scan the trail's indexes.
        self._read_filter_values()

    def _read_filter_values(self) -> None:
        self._door.read(filter_values, self._on_door_filter_values_read, self._on_job_error, owner=self)

    def _on_model_page_loaded(self) -> None:
        self._update_count()
        seq, self._reselect = self._reselect, None
        row = None if seq is None else self.model.row_of_seq(seq)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    # --- filters -------------------------------------------------------------------------------------------

    def _on_door_filter_values_read(self, values: FilterValues) -> None:
        for combo, found, kind in ((self.entity_combo, values.entities, "record_type"),
                                   (self.user_combo, values.actors, None),
                                   (self.action_combo, values.actions, "audit_action")):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("All"), None)
            for value in found:
                combo.addItem(words.word(kind, value) if kind else value, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def current_filter(self) -> EventFilter:
        since = until = None
        if self.dates_box.isChecked():
            # The dates are days at the yard: local midnight is UTC midnight minus the offset.
            shift = timedelta(minutes=self._offset_minutes)
            since = datetime.combine(self.since_edit.date().toPython(), time.min, tzinfo=UTC) - shift
            until = datetime.combine(self.until_edit.date().toPython(), time.min, tzinfo=UTC) - shift
            until += timedelta(days=1)
        return EventFilter(entity=self.entity_combo.currentData(), actor=self.user_combo.currentData(),
                           action=self.action_combo.currentData(), since=since, until=until)

    def _on_dates_box_toggled(self, checked: bool) -> None:
        self.since_edit.setEnabled(checked)
        self.until_edit.setEnabled(checked)
        self._on_filter_changed()

    def _on_filter_changed(self, *_args: object) -> None:
        self._reselect = None
        self.model.set_query(self.current_filter())
        self.model.fetch_first_page()
        self._show_detail(None)
        self._update_count()

    # --- detail --------------------------------------------------------------------------------------------

    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.row_at(current.row()) if current.isValid() else None)

    def _show_detail(self, event: AuditRow | None) -> None:
        self.detail_table.setRowCount(0)
        if event is None:
            self.detail_label.clear()
            return
        self.detail_label.setText(self.tr("Event %1: %2 by %3 (%4). Reason: %5")
                                  .replace("%1", str(event.seq)).replace("%2", event.action)
                                  .replace("%3", event.actor).replace("%4", event.yard_time)
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
        return files.choose_save_file(self, self.tr("Export the audit trail"), start="audit-trail.csv",
                                      filters=self.tr("CSV files (*.csv)"))

    def _on_export_button_clicked(self) -> None:
        path = self._ask_save_path()
        if path is None:
            return
        audit_ops.export_audit_trail(self._door, owner=self, path=path, flt=self.current_filter(),
                                     on_done=self._on_door_exported, on_error=self._on_job_error)

    def _on_door_exported(self, export: TrailExport) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("%1 event(s) exported to %2. Chain head: event %3, hash %4.")
                                  .replace("%1", str(export.count)).replace("%2", str(export.path))
                                  .replace("%3", str(export.head_seq)).replace("%4", str(export.head_hash)))
        self.exported.emit(str(export.path))

    def _on_verify_button_clicked(self) -> None:
        self.verify_button.setEnabled(False)
        audit_ops.verify_records(self._door, owner=self, on_done=self._on_verify_done,
                                 on_error=self._on_job_error)

    def _on_verify_done(self, problems: list[verify.Problem]) -> None:
        self.verify_button.setEnabled(True)
        if problems:
            self.status_label.setStyleSheet("color: #b00020; font-weight: bold;")
            shown = "\n".join(p.words(words.language()) for p in problems[:5])
            self.status_label.setText(self.tr("%1 problem(s) found:").replace("%1", str(len(problems)))
                                      + "\n" + shown)
        else:
            self.status_label.setStyleSheet("")
            self.status_label.setText(self.tr("The audit trail, the records and the checkpoints verify."))
        self.verified.emit(problems)

    def _on_job_error(self, exc: InspectorError) -> None:
        self.verify_button.setEnabled(True)
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(words.error(exc))


class SigningHoldsWidget(ScreenWidget):
    """What blocks signing (the clock ran backwards, or the integrity check failed) and, for a supervisor,
    the acknowledgement after review, with a note that goes into the audit trail.

    A clock found earlier than the audit trail when the holds are read is recorded first (an event and a
    hold), as at the start of the application.

    Signals:
        acknowledged(int): the hold with this id was acknowledged.
    """

    # Holds are account matters: a hold recorded under the audit entities "clock" or "database" is USERS
    # too (inspector/changes.py).
    shows = frozenset({Change.USERS})
    acknowledged = Signal(int)

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 ask_note: Callable[[], str | None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self._ask_note = ask_note or self._dialog_note
        self._ids: list[int] = []
        self._recording = False  # the backwards clock is being recorded
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

    def title(self) -> str:
        return QCoreApplication.translate("Screens", "Signing holds")

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Signing is blocked until a supervisor reviews these:"))
        self.acknowledge_button.setText(self.tr("Acknowledge after review…"))

    def refresh(self) -> None:
        clock = self._clock
        self._door.read(lambda s: signing_holds(s, clock=clock), self._on_door_read, self._on_job_error,
                        owner=self)

    def _on_door_read(self, found: SigningHolds) -> None:
        if found.clock_behind and not self._recording:
            # Recorded as a change of its own: its announcement reads the holds again.
            self._recording = True
            user_ops.record_backwards_clock(self._door, owner=self, clock=self._clock,
                                            on_done=self._on_door_clock_recorded, on_error=self._on_job_error)
        row = self.holds_list.currentRow()
        selected = self._ids[row] if 0 <= row < len(self._ids) else None
        self._ids = [hold.id for hold in found.holds]
        self.holds_list.clear()
        for hold in found.holds:
            self.holds_list.addItem(hold.words(words.language()))
        if found.holds:
            self.holds_list.setCurrentRow(self._ids.index(selected) if selected in self._ids else 0)
        else:
            self.message_label.setText(self.tr("Nothing blocks signing."))
        self.acknowledge_button.setEnabled(bool(found.holds))

    def _on_door_clock_recorded(self, _recorded: bool) -> None:
        self._recording = False

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
        user_ops.acknowledge_signing_hold(self._door, owner=self, actor=self._actor, clock=self._clock,
                                          hold_id=self._ids[row], note=note,
                                          on_done=self._on_acknowledge_done, on_error=self._on_job_error)

    def _on_acknowledge_done(self, hold_id: int) -> None:
        self.message_label.setText(self.tr("Acknowledged."))
        self.acknowledged.emit(hold_id)

    def _on_job_error(self, exc: InspectorError) -> None:
        self._recording = False
        self.message_label.setText(words.error(exc))


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
