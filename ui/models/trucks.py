"""The trucks on site as a Qt table model: open loads with their state, the step they wait for, and how long
they have waited for it.

The rows come from ``inspector.services.intake.trucks_on_site`` (one query, a few ms for 1,000 open loads),
read on the door's worker and handed to ``set_rows``; the model only words and shows them. The waiting times
are worked out from the rows' times and the clock: ``tick()`` (the screen calls it once a minute) moves them
on without reading the database again.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from inspector.clock import Clock
from inspector.services.intake import TruckOnSite
from ui import formats, words
from ui.screens.intake.texts import IntakeTexts

LOAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
NEXT_STEP_ROLE = Qt.ItemDataRole.UserRole + 3
WAITED_MINUTES_ROLE = Qt.ItemDataRole.UserRole + 4

_Index = QModelIndex | QPersistentModelIndex


class TruckColumn(enum.IntEnum):
    TICKET = 0
    PLATE = 1
    SUPPLIER = 2
    CATEGORY = 3
    STATE = 4
    NEXT_STEP = 5
    WAITING = 6
    ARRIVED = 7


def waited_minutes(since: datetime, now: datetime) -> int:
    """Whole minutes from ``since`` to ``now`` (none before it: a clock a little behind shows 0)."""
    return max(0, int((now - since).total_seconds() // 60))


class TrucksOnSiteModel(QAbstractTableModel):
    """Read-only table of the open loads; ``set_rows`` replaces them all (a reset, the list is small)."""

    def __init__(self, parent: QObject | None = None, *, clock: Clock | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TruckOnSite] = []
        self._texts = IntakeTexts(self)
        self._clock = clock or Clock()
        self._now = self._clock.now().utc

    def set_rows(self, rows: Sequence[TruckOnSite]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._now = self._clock.now().utc
        self.endResetModel()

    def tick(self) -> None:
        """Take the time again and show the waiting times it gives (the rows stay as read)."""
        self._now = self._clock.now().utc
        if self._rows:
            self.dataChanged.emit(self.index(0, TruckColumn.WAITING),
                                  self.index(len(self._rows) - 1, TruckColumn.WAITING),
                                  [Qt.ItemDataRole.DisplayRole, WAITED_MINUTES_ROLE])

    def waited(self, row: TruckOnSite) -> int:
        """Minutes the truck has waited since its last step, as of the last tick."""
        return waited_minutes(row.waiting_from, self._now)

    def rows(self) -> list[TruckOnSite]:
        return list(self._rows)

    def row_of_load(self, load_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.load_id == load_id), -1)

    def row_matching(self, text: str) -> int:
        """The row whose ticket or plate equals ``text`` (what a scanner reads), or -1."""
        wanted = "".join(text.split()).upper()
        for i, r in enumerate(self._rows):
            if wanted in (r.ticket_no.upper(), r.plate.upper()):
                return i
        return -1

    # ---- QAbstractTableModel ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TruckColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = TruckColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is TruckColumn.NEXT_STEP and row.has_draft:
            return self.tr("Typed input is saved for this step and will be restored.")
        if role == Qt.ItemDataRole.ToolTipRole and column is TruckColumn.WAITING:
            return self.tr("Waiting since %1").replace(
                "%1", formats.moment(row.waiting_from, row.waiting_offset if row.waiting_since else
                                     row.arrived_offset))
        if role == LOAD_ID_ROLE:
            return row.load_id
        if role == STATE_ROLE:
            return row.state
        if role == NEXT_STEP_ROLE:
            return row.next_step
        if role == WAITED_MINUTES_ROLE:
            return self.waited(row)
        return None

    def _display(self, row: TruckOnSite, column: TruckColumn) -> str:
        if column is TruckColumn.TICKET:
            return row.ticket_no
        if column is TruckColumn.PLATE:
            return row.plate
        if column is TruckColumn.SUPPLIER:
            return row.supplier
        if column is TruckColumn.CATEGORY:
            return words.category(row.category)
        if column is TruckColumn.STATE:
            return words.load_state(row.state)
        if column is TruckColumn.NEXT_STEP:
            text = self._texts.next_step(row.next_step)
            return f"{text} ✎" if row.has_draft else text
        if column is TruckColumn.WAITING:
            return self._waiting_text(self.waited(row))
        return formats.moment(row.arrived_at, row.arrived_offset)

    def _waiting_text(self, minutes: int) -> str:
        """``12 min``, ``1 h 05 min``, and for a truck forgotten on the list ``2 d 03 h``."""
        if minutes < 60:
            return self.tr("%1 min").replace("%1", str(minutes))
        hours, rest = divmod(minutes, 60)
        if hours < 24:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", f"{rest:02d}")
        days, hours = divmod(hours, 24)
        return self.tr("%1 d %2 h").replace("%1", str(days)).replace("%2", f"{hours:02d}")

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(TruckColumn):
            return None
        return {
            TruckColumn.TICKET: self.tr("Ticket"),
            TruckColumn.PLATE: self.tr("Plate"),
            TruckColumn.SUPPLIER: self.tr("Supplier"),
            TruckColumn.CATEGORY: self.tr("Category"),
            TruckColumn.STATE: self.tr("State"),
            TruckColumn.NEXT_STEP: self.tr("Next step"),
            TruckColumn.WAITING: self.tr("Waiting"),
            TruckColumn.ARRIVED: formats.with_zone(self.tr("Arrived")),
        }[TruckColumn(section)]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
