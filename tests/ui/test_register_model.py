"""The load register model: a correct Qt model, lazy pages, database-side sorting and filtering."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QModelIndex, Qt

from inspector.storage.db import Store
from inspector.storage.models.core import Load
from tests.ui.conftest import insert_loads
from ui.models.loads import (
    LOAD_ID_ROLE,
    SORT_KEYS,
    Column,
    LoadRegisterModel,
    RegisterQuery,
    page_statement,
)

ROOT = QModelIndex()

# Showing a top-level window on the offscreen platform makes Qt say this; it is about the platform plugin.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")



def fetch_all(model: LoadRegisterModel) -> None:
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)


def column(model: LoadRegisterModel, col: Column) -> list[Any]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def ids(model: LoadRegisterModel) -> list[int]:
    return [model.index(r, 0).data(LOAD_ID_ROLE) for r in range(model.rowCount())]


def test_the_model_passes_qt_model_tester_while_paging(qtmodeltester: Any, filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store, page_size=100)
    qtmodeltester.check(model)
    fetch_all(model)
    qtmodeltester.check(model)
    model.sort(Column.PLATE, Qt.SortOrder.AscendingOrder)
    model.fetchMore(ROOT)
    model.set_text_filter("赣b000")
    qtmodeltester.check(model)


def test_pages_read_on_the_worker_arrive_in_order_and_stale_ones_are_dropped(
        qtbot: Any, qtmodeltester: Any, filled_store: Store, ops: Any) -> None:
    model = LoadRegisterModel(filled_store, page_size=100, ops=ops)
    model.fetchMore(ROOT)
    assert model.fetching and model.rowCount() == 0 and not model.canFetchMore(ROOT)
    qtbot.waitUntil(lambda: model.rowCount() == 100)
    qtmodeltester.check(model)
    model.fetchMore(ROOT)
    model.set_text_filter("smco")  # the page in flight belongs to the old filter: it must not be inserted
    model.fetchMore(ROOT)
    qtbot.waitUntil(lambda: not model.fetching and ops.pending == 0)
    assert set(column(model, Column.DECLARED)) == {"SMCO"}
    while model.canFetchMore(ROOT) or model.fetching:
        if not model.fetching:
            model.fetchMore(ROOT)
        qtbot.waitUntil(lambda: not model.fetching)
    assert model.rowCount() == 90
    assert len(set(ids(model))) == 90


def test_only_the_pages_scrolled_to_are_fetched(qtbot: Any, store: Store) -> None:
    insert_loads(store, 5000)
    model = LoadRegisterModel(store, page_size=200)
    assert model.rowCount() == 0 and model.canFetchMore(ROOT)
    model.fetchMore(ROOT)
    assert model.rowCount() == 200
    assert model.pages_fetched == 1
    model.fetchMore(ROOT)
    assert model.rowCount() == 400
    fetch_all(model)
    assert model.rowCount() == 5000
    assert not model.canFetchMore(ROOT)
    # 25 full pages, then one empty page that proves the end.
    assert model.pages_fetched == 26
    assert sorted(ids(model)) == list(range(1, 5001))


def test_a_shown_view_fetches_one_page_not_the_register(qtbot: Any, store: Store) -> None:
    from PySide6.QtWidgets import QTableView

    insert_loads(store, 5000)
    model = LoadRegisterModel(store, page_size=200)
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


def test_default_order_is_newest_arrival_first_without_gaps_or_repeats(filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store, page_size=40)
    fetch_all(model)
    got = ids(model)
    assert len(got) == len(set(got)) == 450
    # Arrival minute ties (two loads per minute) are broken by id, also across the 40-row page boundary.
    assert got == sorted(range(1, 451), key=lambda i: (i // 2, i), reverse=True)


@pytest.mark.parametrize("col", list(SORT_KEYS))
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorting_by_an_indexed_column_is_total_and_complete(filled_store: Store, col: Column,
                                                             order: Qt.SortOrder) -> None:
    model = LoadRegisterModel(filled_store, page_size=37)
    model.sort(col, order)
    fetch_all(model)
    got = ids(model)
    assert len(got) == len(set(got)) == 450
    with filled_store.engine.connect() as conn:
        table = Load.__table__  # type: ignore[attr-defined]
        keys = [table.c[k] for k in SORT_KEYS[col]]
        direction = (lambda c: c.desc()) if order == Qt.SortOrder.DescendingOrder else (lambda c: c.asc())
        expected = list(conn.execute(sa.select(table.c.id).order_by(*[direction(k) for k in keys])).scalars())
    assert got == expected


def test_sorting_by_a_column_without_index_keeps_the_order(filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store)
    model.fetchMore(ROOT)
    before = ids(model)
    model.sort(Column.SUPPLIER, Qt.SortOrder.AscendingOrder)
    assert ids(model) == before
    assert model.query.sort_column == Column.ARRIVED
    assert not model.is_sortable(Column.SUPPLIER) and model.is_sortable(Column.PLATE)


def test_every_page_query_walks_an_index_instead_of_sorting_the_table(filled_store: Store) -> None:
    """SQLite says 'USE TEMP B-TREE FOR ORDER BY' when it must read and sort every row: never here."""
    for col in SORT_KEYS:
        for descending in (False, True):
            query = RegisterQuery(sort_column=col, descending=descending)
            for after in (None, _first_key(filled_store, query)):
                stmt = page_statement(query, after, 200)
                compiled = stmt.compile(filled_store.engine, compile_kwargs={"literal_binds": True})
                with filled_store.engine.connect() as conn:
                    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
                    plan = " | ".join(str(r[-1]) for r in rows)
                assert "TEMP B-TREE" not in plan, (col, descending, after, plan)


def _first_key(store: Store, query: RegisterQuery) -> tuple[Any, ...]:
    model = LoadRegisterModel(store, page_size=1)
    order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
    model.sort(query.sort_column, order)
    model.fetchMore(ROOT)
    assert model.rowCount() == 1
    return model._rows[0].key(SORT_KEYS[query.sort_column])


def test_text_filter_matches_ticket_plate_supplier_and_category_in_any_case(filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store)
    model.set_text_filter("t2026-00012")
    fetch_all(model)
    assert sorted(column(model, Column.TICKET)) == [f"T2026-{n:06d}" for n in range(120, 130)]

    model.set_text_filter("北方稀土")
    fetch_all(model)
    assert model.rowCount() == 150 and set(column(model, Column.SUPPLIER)) == {"包头北方稀土回收有限公司"}

    model.set_text_filter("smco")
    fetch_all(model)
    assert model.rowCount() == 90 and set(column(model, Column.DECLARED)) == {"SMCO"}

    model.set_text_filter("b00003")
    fetch_all(model)
    assert set(column(model, Column.PLATE)) == {"赣B00003"}


def test_filter_wildcards_are_taken_literally(filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store)
    for text in ("%", "_", "T2026_0"):
        model.set_text_filter(text)
        fetch_all(model)
        assert model.rowCount() == 0, text


def test_state_filter_combines_with_the_text_filter(filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store)
    model.set_state_filter("classified")
    fetch_all(model)
    with filled_store.engine.connect() as conn:
        table = Load.__table__  # type: ignore[attr-defined]
        expected = conn.execute(sa.select(sa.func.count()).where(table.c.state == "classified")).scalar_one()
    assert model.rowCount() == expected > 0
    assert set(column(model, Column.STATE)) == {"Classified"}
    model.set_text_filter("SMCO")
    fetch_all(model)
    assert 0 < model.rowCount() < expected
    model.set_state_filter(None)
    model.set_text_filter("")
    fetch_all(model)
    assert model.rowCount() == 450


def test_cells_show_local_time_with_offset_weight_with_unit_and_the_manual_flag(filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store)
    model.sort(Column.TICKET, Qt.SortOrder.AscendingOrder)
    model.fetchMore(ROOT)
    row = 34  # ticket 35: arrives 17 minutes after T0 (08:17 at UTC+8), manual weight, outcome ACCEPT B
    assert model.index(row, Column.TICKET).data() == "T2026-000035"
    assert model.index(row, Column.ARRIVED).data() == "2026-03-02 08:17 +08:00"
    assert model.index(row, Column.NET).data() == "18,035 kg MAN WT"
    assert "by hand" in model.index(row, Column.NET).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, Column.OUTCOME).data() == "Accept B"
    assert model.index(row, Column.ASSIGNED).data() == "NDFEB-PS"
    assert model.index(0, Column.NET).data() == "18,001 kg"
    assert model.index(0, Column.NET).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(Column.NET, Qt.Orientation.Horizontal) == "Net weight"
    assert model.headerData(Column.SUPPLIER, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_reload_picks_up_new_loads(filled_store: Store) -> None:
    model = LoadRegisterModel(filled_store)
    fetch_all(model)
    insert_loads(filled_store, 3, first_seq=451)
    assert model.rowCount() == 450
    model.reload()
    fetch_all(model)
    assert model.rowCount() == 453
    assert model.index(0, Column.TICKET).data() == "T2026-000453"
