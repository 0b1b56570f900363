"""The load register as a Qt table model over ``inspector.queries.loads``: pages of loads read on the door's
worker as the view scrolls, sorted and filtered by the database; and the words and formats the register and
the load details share (local times with their offset, weights with their unit, state and outcome words).
"""

from __future__ import annotations

import enum
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from sqlmodel import Session

from inspector.queries.loads import PAGE_SIZE, LoadRow, RegisterQuery, RegisterSort, register_page
from ui import formats, words
from ui.models.paged import PagedTableModel
from ui.ops import Door

LOAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(enum.IntEnum):
    TICKET = 0
    ARRIVED = 1
    PLATE = 2
    SUPPLIER = 3
    DECLARED = 4
    ASSIGNED = 5
    STATE = 6
    NET = 7
    OUTCOME = 8


# The columns the database can sort by an index, and the order each stands for.
SORTABLE: dict[Column, RegisterSort] = {
    Column.TICKET: RegisterSort.TICKET,
    Column.ARRIVED: RegisterSort.ARRIVED,
    Column.STATE: RegisterSort.STATE,
    Column.PLATE: RegisterSort.PLATE,
}
COLUMN_OF_SORT: dict[RegisterSort, Column] = {sort: column for column, sort in SORTABLE.items()}


class LoadRegisterModel(PagedTableModel[LoadRow, RegisterQuery]):
    """Loads, one per row, read a page at a time (``inspector.queries.loads.register_page``) as the view
    scrolls; the signals are the pager's (``page_loaded``, ``fetch_failed``, ``query_changed``)."""

    def __init__(self, door: Door, *, page_size: int = PAGE_SIZE, parent: QObject | None = None) -> None:
        super().__init__(door, RegisterQuery(), page_size=page_size, parent=parent)

    # --- the pager's read model ---------------------------------------------------------------------------

    def read_page(self, session: Session, query: RegisterQuery, after: tuple[Any, ...] | None,
                  limit: int) -> list[LoadRow]:
        return register_page(session, query, after=after, limit=limit)

    def page_key(self, row: LoadRow, query: RegisterQuery) -> tuple[Any, ...]:
        return query.page_key(row)

    # --- what the view asks -------------------------------------------------------------------------------

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and Column(section) not in SORTABLE:
            return self.tr("This column cannot be sorted")
        return None

    def _headers(self) -> dict[Column, str]:
        return {
            Column.TICKET: self.tr("Ticket"),
            Column.ARRIVED: formats.with_zone(self.tr("Arrived")),
            Column.PLATE: self.tr("Plate"),
            Column.SUPPLIER: self.tr("Supplier"),
            Column.DECLARED: self.tr("Declared category"),
            Column.ASSIGNED: self.tr("Assigned category"),
            Column.STATE: self.tr("State"),
            Column.NET: self.tr("Net weight"),
            Column.OUTCOME: self.tr("Outcome / grade"),
        }

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.rows) and 0 <= column < len(Column)):
            return None
        load = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(load, Column(column))
        if role == LOAD_ID_ROLE:
            return load.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.NET:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NET and load.manual_weight:
            return self.tr("Weight entered by hand, not read from the scale indicator")
        return None

    def _display(self, load: LoadRow, column: Column) -> str:
        if column == Column.TICKET:
            return load.ticket_no
        if column == Column.ARRIVED:
            return formats.moment(load.arrived_at, load.arrived_offset)
        if column == Column.PLATE:
            return load.plate
        if column == Column.SUPPLIER:
            return load.supplier
        if column == Column.DECLARED:
            return words.category(load.declared_category)
        if column == Column.ASSIGNED:
            return words.category(load.assigned_category)
        if column == Column.STATE:
            return words.load_state(load.state)
        if column == Column.NET:
            weight = formats.mass(load.net, load.weight_unit)
            return f"{weight} {words.manual_weight_flag()}" if weight and load.manual_weight else weight
        outcome = words.outcome(load.outcome)
        return f"{outcome} {load.grade}" if outcome and load.grade else outcome

    # --- sorting, filtering -------------------------------------------------------------------------------

    @property
    def sort_column(self) -> Column:
        """The column the rows are sorted by."""
        return COLUMN_OF_SORT[self.query.sort]

    def is_sortable(self, column: int) -> bool:
        return column in SORTABLE

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by an indexed column; the other columns keep the current order (the database cannot sort them
        without reading every load)."""
        if column not in SORTABLE:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self.query, sort=SORTABLE[Column(column)], descending=descending))

    def set_text_filter(self, text: str) -> None:
        """Show the loads whose ticket, plate, supplier or category contains ``text`` (any case)."""
        self.set_query(replace(self.query, text=text.strip()))

    def set_state_filter(self, state: str | None) -> None:
        """Show only the loads in ``state`` (None: every state)."""
        self.set_query(replace(self.query, state=state or None))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(Column) - 1))

    def load_id(self, row: int) -> int:
        return self.row_at(row).id

    def row_of_load(self, load_id: int) -> int:
        """The row of the load among those fetched, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.id == load_id), -1)
