"""The one pager: a Qt table model whose rows are read a page at a time, by key, on the door's worker.

A subclass names its read model (``read_page(session, query, after, limit)`` from ``inspector.queries``)
and how a row continues the next page (``page_key``), and says what each column shows. Rows arrive when
the worker has read them; a page read for an older query (the filter or sort changed, or a refresh came)
is dropped when it arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Signal
from sqlmodel import Session

from inspector.errors import InspectorError
from ui.ops import Door

Row = TypeVar("Row")
Query = TypeVar("Query")

PAGE_SIZE = 200


class PagedTableModel(QAbstractTableModel, Generic[Row, Query]):
    """Signals:
        page_loaded(): a page arrived (possibly empty: the end of the list).
        fetch_failed(InspectorError): a page could not be read (e.g. the database is locked); fetching stops
            until ``reload``.
        query_changed(): the filter or sort changed and the rows were reset.
    """

    page_loaded = Signal()
    fetch_failed = Signal(object)
    query_changed = Signal()

    def __init__(self, door: Door, query: Query, *, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._door = door
        self._page_size = page_size
        # Bumped on every reset, so a page read for an older query is dropped when it arrives.
        self._generation = 0
        self._in_flight = False
        self._rows: list[Row] = []
        self._exhausted = False
        self._inserting = False
        self._query = query
        self.pages_fetched = 0

    # --- what every subclass defines (as methods): its read model, and where the next page starts -------

    # ``read_page(session, query, after, limit)``: up to ``limit`` rows of ``query`` after the key ``after``.
    read_page: Callable[[Session, Query, tuple[Any, ...] | None, int], Sequence[Row]]
    # ``page_key(row, query)``: the key the next page continues after (``row``'s sort key under ``query``).
    page_key: Callable[[Row, Query], tuple[Any, ...]]

    # --- rows ---------------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @property
    def rows(self) -> Sequence[Row]:
        return self._rows

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    @property
    def query(self) -> Query:
        return self._query

    @property
    def fetching(self) -> bool:
        """A page is being read on the worker thread."""
        return self._in_flight

    @property
    def has_more(self) -> bool:
        """More rows match than are fetched (also while a page is being inserted)."""
        return not self._exhausted

    # --- lazy fetching ------------------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted and not self._inserting and not self._in_flight

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        # Whoever listens to the insert or reset signals (a view, the model tester) may ask for more rows
        # while rows are changing; that request waits for the change to finish.
        if not self.canFetchMore(parent):
            return
        query, size = self._query, self._page_size
        after = self.page_key(self._rows[-1], query) if self._rows else None
        generation = self._generation
        self._in_flight = True
        read = self.read_page
        self._door.read(lambda session: list(read(session, query, after, size)),
                        lambda page: self._on_door_page_read(generation, page),
                        lambda exc: self._on_door_page_failed(generation, exc), owner=self)

    def fetch_first_page(self) -> None:
        """Start reading the first page now, before a view asks (it would when it next lays out)."""
        if not self._rows:
            self.fetchMore(QModelIndex())

    def _on_door_page_read(self, generation: int, page: list[Row]) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._inserting = True
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
            self._inserting = False
        self.page_loaded.emit()

    def _on_door_page_failed(self, generation: int, exc: InspectorError) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._exhausted = True  # a view would ask again at once; wait for the user's refresh instead
        self.fetch_failed.emit(exc)

    # --- query and refresh --------------------------------------------------------------------------------

    def set_query(self, query: Query) -> None:
        """Show the rows of ``query`` (a new filter or sort) from the first page."""
        if query == self._query:
            return
        self._query = query
        self.reload()
        self.query_changed.emit()

    def reload(self) -> None:
        """Drop the fetched rows (after a change in the database); the view fetches the first page again."""
        # No page is fetched from inside the reset's signals: listeners see an empty model, then fetch.
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
