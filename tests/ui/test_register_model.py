"""The load register model: a correct Qt model over the register's read model, lazy pages read on the
door's worker, sorting only by indexed columns, and the words and formats of its cells.

The SQL itself (order, filters, keyset pages, index use) is tested without Qt in
tests/core/queries/test_loads.py."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from inspector.queries.loads import RegisterSort
from inspector.storage.db import Store
from tests.ui.conftest import insert_loads
from ui.models.loads import LOAD_ID_ROLE, SORTABLE, Column, LoadRegisterModel
from ui.ops import Door

ROOT = QModelIndex()

# Showing a top-level window on the offscreen platform makes Qt say this; it is about the platform plugin.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def fetch_page(qtbot: Any, model: LoadRegisterModel) -> None:
    """Ask for the next page and wait until it has been read and inserted."""
    with qtbot.waitSignal(model.page_loaded):
        model.fetchMore(ROOT)


def fetch_all(qtbot: Any, model: LoadRegisterModel) -> None:
    while model.canFetchMore(ROOT) or model.fetching:
        if model.fetching:
            qtbot.waitUntil(lambda: not model.fetching)
        else:
            fetch_page(qtbot, model)


def column(model: LoadRegisterModel, col: Column) -> list[Any]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def ids(model: LoadRegisterModel) -> list[int]:
    return [model.index(r, 0).data(LOAD_ID_ROLE) for r in range(model.rowCount())]


def test_the_model_passes_qt_model_tester_while_paging(qtbot: Any, qtmodeltester: Any, filled_store: Store,
                                                       door: Door) -> None:
    model = LoadRegisterModel(door, page_size=100)
    qtmodeltester.check(model)
    fetch_all(qtbot, model)
    qtmodeltester.check(model)
    model.sort(Column.PLATE, Qt.SortOrder.AscendingOrder)
    fetch_page(qtbot, model)
    model.set_text_filter("赣b000")
    fetch_page(qtbot, model)
    qtmodeltester.check(model)


def test_pages_read_on_the_worker_arrive_in_order_and_stale_ones_are_dropped(
        qtbot: Any, qtmodeltester: Any, filled_store: Store, door: Door, ops: Any) -> None:
    model = LoadRegisterModel(door, page_size=100)
    model.fetchMore(ROOT)
    assert model.fetching and model.rowCount() == 0 and not model.canFetchMore(ROOT)
    qtbot.waitUntil(lambda: model.rowCount() == 100)
    qtmodeltester.check(model)
    model.fetchMore(ROOT)
    model.set_text_filter("smco")  # the page in flight belongs to the old filter: it must not be inserted
    model.fetchMore(ROOT)
    qtbot.waitUntil(lambda: not model.fetching and ops.pending == 0)
    assert set(column(model, Column.DECLARED)) == {"SmCo magnet scrap"}
    fetch_all(qtbot, model)
    assert model.rowCount() == 90
    assert len(set(ids(model))) == 90


def test_only_the_pages_scrolled_to_are_fetched(qtbot: Any, store: Store, door: Door) -> None:
    insert_loads(store, 5000)
    model = LoadRegisterModel(door, page_size=200)
    assert model.rowCount() == 0 and model.canFetchMore(ROOT)
    fetch_page(qtbot, model)
    assert model.rowCount() == 200
    assert model.pages_fetched == 1
    fetch_page(qtbot, model)
    assert model.rowCount() == 400
    fetch_all(qtbot, model)
    assert model.rowCount() == 5000
    assert not model.canFetchMore(ROOT)
    # 25 full pages, then one empty page that proves the end.
    assert model.pages_fetched == 26
    assert sorted(ids(model)) == list(range(1, 5001))


def test_a_shown_view_fetches_one_page_not_the_register(qtbot: Any, store: Store, door: Door) -> None:
    from PySide6.QtWidgets import QTableView

    insert_loads(store, 5000)
    model = LoadRegisterModel(door, page_size=200)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 600)
    view.show()
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    assert model.rowCount() == 200
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() >= 400)
    assert model.rowCount() < 5000


def test_clicking_sorts_by_the_indexed_columns_only(qtbot: Any, filled_store: Store, door: Door) -> None:
    model = LoadRegisterModel(door)
    fetch_page(qtbot, model)
    before = ids(model)
    model.sort(Column.SUPPLIER, Qt.SortOrder.AscendingOrder)
    assert ids(model) == before
    assert model.sort_column == Column.ARRIVED and model.query.sort is RegisterSort.ARRIVED
    assert not model.is_sortable(Column.SUPPLIER) and model.is_sortable(Column.PLATE)
    assert set(SORTABLE.values()) == set(RegisterSort)
    model.sort(Column.TICKET, Qt.SortOrder.AscendingOrder)
    assert model.query.sort is RegisterSort.TICKET and not model.query.descending
    fetch_page(qtbot, model)
    assert model.index(0, Column.TICKET).data() == "T2026-000001"


def test_cells_show_local_time_with_offset_weight_with_unit_and_the_manual_flag(
        qtbot: Any, filled_store: Store, door: Door, monkeypatch: Any) -> None:
    from ui import formats

    monkeypatch.setattr(formats, "yard_offset", lambda: 480)  # the yard's zone: named once, in the header
    model = LoadRegisterModel(door)
    model.sort(Column.TICKET, Qt.SortOrder.AscendingOrder)
    fetch_page(qtbot, model)
    row = 34  # ticket 35: arrives 17 minutes after T0 (08:17 at UTC+8), manual weight, outcome ACCEPT B
    assert model.index(row, Column.TICKET).data() == "T2026-000035"
    assert model.index(row, Column.ARRIVED).data() == "2026-03-02 08:17"
    assert model.headerData(Column.ARRIVED, Qt.Orientation.Horizontal) == "Arrived (UTC+08:00)"
    monkeypatch.setattr(formats, "yard_offset", lambda: 0)  # a time of another zone names its own
    assert model.index(row, Column.ARRIVED).data() == "2026-03-02 08:17 UTC+08:00"
    assert model.index(row, Column.NET).data() == "18,035 kg MAN WT"
    assert "by hand" in model.index(row, Column.NET).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, Column.OUTCOME).data() == "Accepted B"
    assert model.index(row, Column.ASSIGNED).data() == "NdFeB production scrap, solid"
    assert model.index(row, Column.STATE).data() == "Weighed out"
    assert model.index(0, Column.NET).data() == "18,001 kg"
    assert model.index(0, Column.NET).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(Column.NET, Qt.Orientation.Horizontal) == "Net weight"
    assert model.headerData(Column.SUPPLIER, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_the_filters_reach_the_read_model(qtbot: Any, filled_store: Store, door: Door) -> None:
    model = LoadRegisterModel(door)
    model.set_state_filter("rejected")
    model.set_text_filter("  smco ")
    assert model.query.state == "rejected" and model.query.text == "smco"
    fetch_all(qtbot, model)
    assert model.rowCount() > 0
    assert set(column(model, Column.STATE)) == {"Rejected"}
    assert set(column(model, Column.DECLARED)) == {"SmCo magnet scrap"}
    model.set_state_filter(None)
    model.set_text_filter("")
    fetch_all(qtbot, model)
    assert model.rowCount() == 450


def test_reload_picks_up_new_loads(qtbot: Any, filled_store: Store, door: Door) -> None:
    model = LoadRegisterModel(door)
    fetch_all(qtbot, model)
    insert_loads(filled_store, 3, first_seq=451)
    assert model.rowCount() == 450
    model.reload()
    fetch_all(qtbot, model)
    assert model.rowCount() == 453
    assert model.index(0, Column.TICKET).data() == "T2026-000453"
