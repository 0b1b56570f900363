"""The load register as a Qt table model: pages of loads fetched on demand, sorted and filtered by SQL.

Only the rows the view has scrolled to are in memory. Each page is one keyset query (``WHERE (key, id) >
(last key, last id) ORDER BY key, id LIMIT n``) on an indexed column, so page 500 costs what page 1 costs,
and a register of 100,000 loads opens as fast as one of 40 (bench/bench_register.py measures it).

An unfiltered page takes about 20 ms, but a rare search term makes SQLite read the whole table (200 ms over
100,000 loads), so the app gives the model its ``Ops``: pages are then read on the worker thread and inserted
when they arrive. Without ``ops`` (tests, benchmarks) pages are read at once on the calling thread.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from inspector.clock import Stamp
from inspector.errors import InspectorError, UserError
from inspector.states import LoadState
from inspector.storage.db import Store
from inspector.storage.models.core import Load, Supplier, Vehicle
from ui.ops import Ops

PAGE_SIZE = 200
LOAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_load = Load.__table__  # type: ignore[attr-defined]
_supplier = Supplier.__table__  # type: ignore[attr-defined]


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


# The columns the database can sort by an index, with the keys of their keyset (the last key is unique).
SORT_KEYS: dict[Column, tuple[str, ...]] = {
    Column.TICKET: ("ticket_year", "ticket_seq"),
    Column.ARRIVED: ("arrived_at", "id"),
    Column.STATE: ("state", "id"),
    Column.PLATE: ("plate", "id"),
}


def format_local(utc: datetime | None, offset_minutes: int | None) -> str:
    """``2026-03-02 16:30 +08:00``: the local time at the yard when it happened, with its offset."""
    if utc is None:
        return ""
    local = Stamp(utc=utc, offset_minutes=offset_minutes or 0).local()
    sign = "+" if (offset_minutes or 0) >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes or 0), 60)
    return f"{local:%Y-%m-%d %H:%M} {sign}{hours:02d}:{minutes:02d}"


def format_weight(value: int | None, unit: str) -> str:
    return "" if value is None else f"{value:,} {unit}"


@dataclass(frozen=True)
class LoadRow:
    """What the register shows of one load (and the keys its page query continues from)."""

    id: int
    ticket_no: str
    ticket_year: int
    ticket_seq: int
    arrived_at: datetime
    arrived_offset: int
    plate: str
    supplier: str
    declared_category: str
    assigned_category: str | None
    state: str
    net: int | None
    weight_unit: str
    manual_weight: bool
    outcome: str | None
    grade: str | None

    def key(self, names: Sequence[str]) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)


@dataclass(frozen=True)
class RegisterQuery:
    """The register's view of the loads: a text filter, a state filter and the sort order."""

    text: str = ""
    state: str | None = None
    sort_column: Column = Column.ARRIVED
    descending: bool = True


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def page_statement(query: RegisterQuery, after: tuple[Any, ...] | None, limit: int) -> sa.Select[Any]:
    """The SQL of one page: rows after ``after`` (the last row's sort key) in the query's order."""
    keys = SORT_KEYS[query.sort_column]
    key_columns = [_load.c[name] for name in keys]
    stmt = (
        sa.select(
            _load.c.id, _load.c.ticket_no, _load.c.ticket_year, _load.c.ticket_seq, _load.c.arrived_at,
            _load.c.arrived_offset, _load.c.plate, _supplier.c.name.label("supplier"),
            _load.c.declared_category, _load.c.assigned_category, _load.c.state, _load.c.net,
            _load.c.weight_unit, _load.c.manual_weight, _load.c.outcome, _load.c.grade,
        )
        .select_from(_load.join(_supplier, _supplier.c.id == _load.c.supplier_id))
        .limit(limit)
    )
    text = query.text.strip()
    if text:
        pattern = _like_pattern(text)
        stmt = stmt.where(sa.or_(
            _load.c.ticket_no.like(pattern, escape="\\"),
            _load.c.plate.like(pattern, escape="\\"),
            _supplier.c.name.like(pattern, escape="\\"),
            _load.c.declared_category.like(pattern, escape="\\"),
            _load.c.assigned_category.like(pattern, escape="\\"),
        ))
    if query.state:
        stmt = stmt.where(_load.c.state == query.state)
    if after is not None:
        bound = [sa.bindparam(None, value, type_=col.type)
                 for col, value in zip(key_columns, after, strict=True)]
        row_key, row_after = sa.tuple_(*key_columns), sa.tuple_(*bound)
        stmt = stmt.where(row_key < row_after if query.descending else row_key > row_after)
    order = [c.desc() if query.descending else c.asc() for c in key_columns]
    return stmt.order_by(*order)


def fetch_page(store: Store, query: RegisterQuery, after: tuple[Any, ...] | None,
               limit: int = PAGE_SIZE) -> list[LoadRow]:
    with store.engine.connect() as conn:
        result = conn.execute(page_statement(query, after, limit))
        return [LoadRow(**row._mapping) for row in result]


class LoadTexts(QObject):
    """The translated words for stored codes (load states, outcomes), shared by the register and details."""

    def state(self, code: str) -> str:
        labels = {
            LoadState.ARRIVED.value: self.tr("Arrived"),
            LoadState.WEIGHED_IN.value: self.tr("Weighed in"),
            LoadState.INSPECTED.value: self.tr("Inspected"),
            LoadState.WEIGHED_OUT.value: self.tr("Weighed out"),
            LoadState.AWAITING_LAB.value: self.tr("Awaiting lab"),
            LoadState.CLASSIFIED.value: self.tr("Classified"),
            LoadState.REJECTED.value: self.tr("Rejected"),
            LoadState.CANCELLED.value: self.tr("Cancelled"),
        }
        return labels.get(code, code)

    def outcome(self, code: str | None) -> str:
        if not code:
            return ""
        labels = {
            "ACCEPT": self.tr("Accept"),
            "REJECT": self.tr("Reject"),
            "HOLD": self.tr("Hold"),
            "INCOMPLETE": self.tr("Incomplete"),
        }
        return labels.get(code.upper(), code)

    def classification_status(self, code: str | None) -> str:
        if not code:
            return ""
        labels = {"provisional": self.tr("Provisional"), "final": self.tr("Final")}
        return labels.get(code, code)

    def manual_weight_flag(self) -> str:
        # The weighbridge-ticket convention for a weight typed by hand instead of read from the indicator.
        return self.tr("MAN WT")


class LoadRegisterModel(QAbstractTableModel):
    """Loads, one per row, fetched a page at a time as the view scrolls.

    Signals:
        query_changed(): the filter or sort changed and the rows were reset.
        page_loaded(): a page arrived (possibly empty: the end of the register).
        fetch_failed(InspectorError): a page could not be read (e.g. the database is locked); fetching
            stops until ``reload``.
    """

    query_changed = Signal()
    page_loaded = Signal()
    fetch_failed = Signal(object)

    def __init__(self, store: Store, *, page_size: int = PAGE_SIZE, ops: Ops | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ops = ops
        self._page_size = page_size
        # Bumped on every reset, so a page read for an older filter or sort is dropped when it arrives.
        self._generation = 0
        self._in_flight = False
        self._rows: list[LoadRow] = []
        self._exhausted = False
        self._fetching = False
        self._query = RegisterQuery()
        self._texts = LoadTexts(self)
        self.pages_fetched = 0

    # --- what the view asks -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers()[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole and Column(section) not in SORT_KEYS:
            return self.tr("This column cannot be sorted")
        return None

    def _headers(self) -> dict[Column, str]:
        return {
            Column.TICKET: self.tr("Ticket"),
            Column.ARRIVED: self.tr("Arrived"),
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
        if not (0 <= row < len(self._rows) and 0 <= column < len(Column)):
            return None
        load = self._rows[row]
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
            return format_local(load.arrived_at, load.arrived_offset)
        if column == Column.PLATE:
            return load.plate
        if column == Column.SUPPLIER:
            return load.supplier
        if column == Column.DECLARED:
            return load.declared_category
        if column == Column.ASSIGNED:
            return load.assigned_category or ""
        if column == Column.STATE:
            return self._texts.state(load.state)
        if column == Column.NET:
            weight = format_weight(load.net, load.weight_unit)
            return f"{weight} {self._texts.manual_weight_flag()}" if weight and load.manual_weight else weight
        outcome = self._texts.outcome(load.outcome)
        return f"{outcome} {load.grade}" if outcome and load.grade else outcome

    # --- lazy fetching ------------------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted and not self._fetching and not self._in_flight

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        # Whoever listens to the insert or reset signals (a view, the model tester) may ask for more rows
        # while rows are changing; that request waits for the change to finish.
        if parent.isValid() or self._exhausted or self._fetching or self._in_flight:
            return
        store, query, size = self._store, self._query, self._page_size
        after = self._rows[-1].key(SORT_KEYS[query.sort_column]) if self._rows else None
        if self._ops is None:
            self._insert_page(fetch_page(store, query, after, size))
            return
        generation = self._generation
        self._in_flight = True
        self._ops.run(lambda: fetch_page(store, query, after, size),
                      lambda page: self._on_ops_page_read(generation, page),
                      lambda exc: self._on_ops_page_failed(generation, exc), owner=self)

    def _on_ops_page_read(self, generation: int, page: list[LoadRow]) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._insert_page(page)

    def _on_ops_page_failed(self, generation: int, exc: InspectorError) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._exhausted = True  # a view would ask again at once; wait for the user's refresh instead
        self.fetch_failed.emit(exc)

    def _insert_page(self, page: list[LoadRow]) -> None:
        self._fetching = True
        try:
            self.pages_fetched += 1
            if len(page) < self._page_size:
                self._exhausted = True
            if page:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()
        finally:
            self._fetching = False
        self.page_loaded.emit()

    @property
    def fetching(self) -> bool:
        """A page is being read on the worker thread."""
        return self._in_flight

    # --- sorting, filtering, refreshing -------------------------------------------------------------------

    @property
    def has_more(self) -> bool:
        """More loads match than are fetched (also while a page is being inserted)."""
        return not self._exhausted

    @property
    def query(self) -> RegisterQuery:
        return self._query

    def is_sortable(self, column: int) -> bool:
        return column in SORT_KEYS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by an indexed column; the other columns keep the current order (the database cannot sort them
        without reading every load)."""
        if column not in SORT_KEYS:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self._set_query(RegisterQuery(self._query.text, self._query.state, Column(column), descending))

    def set_text_filter(self, text: str) -> None:
        """Show the loads whose ticket, plate, supplier or category contains ``text`` (any case)."""
        q = self._query
        self._set_query(RegisterQuery(text.strip(), q.state, q.sort_column, q.descending))

    def set_state_filter(self, state: str | None) -> None:
        """Show only the loads in ``state`` (None: every state)."""
        q = self._query
        self._set_query(RegisterQuery(q.text, state or None, q.sort_column, q.descending))

    def _set_query(self, query: RegisterQuery) -> None:
        if query == self._query:
            return
        self._query = query
        self.reload()
        self.query_changed.emit()

    def reload(self) -> None:
        """Drop the fetched rows (after a change in the database); the view fetches the first page again."""
        # No page is fetched from inside the reset's signals: listeners see an empty model, then fetch.
        self._fetching = True
        try:
            self.beginResetModel()
            self._generation += 1
            self._in_flight = False
            self._rows = []
            self._exhausted = False
            self.endResetModel()
        finally:
            self._fetching = False

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))

    def load_id(self, row: int) -> int:
        return self._rows[row].id


@dataclass(frozen=True)
class LoadDetails:
    """Every stored field of one load, with the names of its supplier and vehicle."""

    load: Load
    supplier_name: str
    supplier_uscc: str
    vehicle_kind: str | None
    # The rule set's names of the attribute keys, (zh, en), with the unit; empty when no rule set is usable.
    attribute_labels: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)


def fetch_load_details(store: Store, load_id: int) -> LoadDetails:
    with store.session() as session:
        load = session.get(Load, load_id)
        if load is None:
            raise UserError(f"Load {load_id} no longer exists.", field="load",
                            hint="Refresh the register (F5).")
        supplier = session.get(Supplier, load.supplier_id)
        vehicle = session.get(Vehicle, load.vehicle_id) if load.vehicle_id is not None else None
        return LoadDetails(
            load=load,
            supplier_name=supplier.name if supplier else "",
            supplier_uscc=supplier.uscc if supplier else "",
            vehicle_kind=vehicle.kind if vehicle else None,
            attribute_labels=_attribute_labels(session, store, load.attributes),
        )


def _attribute_labels(session: Any, store: Store, attributes: dict[str, Any]
                      ) -> dict[str, tuple[str, str, str | None]]:
    """Bilingual names of the attribute keys from the rule set in force (raw keys stay for unknown ones)."""
    from inspector.services.classification import ruleset_in_force

    try:
        ruleset = ruleset_in_force(session, data_dir=store.data_dir)
    except InspectorError:
        return {}
    labels = {}
    for key in attributes:
        try:
            name = ruleset.attribute_name(key)
        except KeyError:
            continue
        labels[key] = (name.zh, name.en, ruleset.attribute_unit(key))
    return labels
