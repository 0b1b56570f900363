"""The load register's read models: keyset pages sorted and filtered in SQL, and one load's details."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from inspector.errors import UserError
from inspector.queries.loads import (
    SORT_KEYS,
    LoadRow,
    RegisterQuery,
    RegisterSort,
    load_details,
    page_statement,
    register_page,
)
from inspector.storage.db import Store
from inspector.storage.models.core import Load
from tests.ui.conftest import insert_loads

LOADS = 450


@pytest.fixture
def filled_store(store: Store) -> Store:
    insert_loads(store, LOADS)
    return store


def read_all(store: Store, query: RegisterQuery, page_size: int = 200) -> list[LoadRow]:
    """Every row of ``query``, a page at a time, each page continuing after the last row's key."""
    rows: list[LoadRow] = []
    while True:
        after = query.page_key(rows[-1]) if rows else None
        with store.session() as session:
            page = register_page(session, query, after=after, limit=page_size)
        rows.extend(page)
        if len(page) < page_size:
            return rows


def ids(rows: list[LoadRow]) -> list[int]:
    return [r.id for r in rows]


def test_default_order_is_newest_arrival_first_without_gaps_or_repeats(filled_store: Store) -> None:
    got = ids(read_all(filled_store, RegisterQuery(), page_size=40))
    assert len(got) == len(set(got)) == LOADS
    # Arrival minute ties (two loads per minute) are broken by id, also across the 40-row page boundary.
    assert got == sorted(range(1, LOADS + 1), key=lambda i: (i // 2, i), reverse=True)


@pytest.mark.parametrize("sort", list(RegisterSort))
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_an_indexed_column_is_total_and_complete(filled_store: Store, sort: RegisterSort,
                                                             descending: bool) -> None:
    got = ids(read_all(filled_store, RegisterQuery(sort=sort, descending=descending), page_size=37))
    assert len(got) == len(set(got)) == LOADS
    with filled_store.engine.connect() as conn:
        table = Load.__table__  # type: ignore[attr-defined]
        keys = [table.c[k] for k in SORT_KEYS[sort]]
        order = [k.desc() if descending else k.asc() for k in keys]
        expected = list(conn.execute(sa.select(table.c.id).order_by(*order)).scalars())
    assert got == expected


def test_every_page_query_walks_an_index_instead_of_sorting_the_table(filled_store: Store) -> None:
    """SQLite says 'USE TEMP B-TREE FOR ORDER BY' when it must read and sort every row: never here."""
    for sort in RegisterSort:
        for descending in (False, True):
            query = RegisterQuery(sort=sort, descending=descending)
            with filled_store.session() as session:
                first = register_page(session, query, limit=1)
            for after in (None, query.page_key(first[0])):
                stmt = page_statement(query, after, 200)
                compiled = stmt.compile(filled_store.engine, compile_kwargs={"literal_binds": True})
                with filled_store.engine.connect() as conn:
                    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
                    plan = " | ".join(str(r[-1]) for r in rows)
                assert "TEMP B-TREE" not in plan, (sort, descending, after, plan)


def test_text_filter_matches_ticket_plate_supplier_and_category_in_any_case(filled_store: Store) -> None:
    def matching(text: str) -> list[LoadRow]:
        return read_all(filled_store, RegisterQuery(text=text))

    assert sorted(r.ticket_no for r in matching("t2026-00012")) == [f"T2026-{n:06d}" for n in range(120, 130)]
    suppliers = matching("北方稀土")
    assert len(suppliers) == 150 and {r.supplier for r in suppliers} == {"包头北方稀土回收有限公司"}
    smco = matching("smco")
    assert len(smco) == 90 and {r.declared_category for r in smco} == {"SMCO"}
    assert {r.plate for r in matching("b00003")} == {"赣B00003"}


def test_filter_wildcards_are_taken_literally(filled_store: Store) -> None:
    for text in ("%", "_", "T2026_0"):
        assert read_all(filled_store, RegisterQuery(text=text)) == [], text


def test_state_filter_combines_with_the_text_filter(filled_store: Store) -> None:
    classified = read_all(filled_store, RegisterQuery(state="classified"))
    with filled_store.engine.connect() as conn:
        table = Load.__table__  # type: ignore[attr-defined]
        expected = conn.execute(sa.select(sa.func.count()).where(table.c.state == "classified")).scalar_one()
    assert len(classified) == expected > 0
    assert {r.state for r in classified} == {"classified"}
    both = read_all(filled_store, RegisterQuery(text="SMCO", state="classified"))
    assert 0 < len(both) < expected
    assert {(r.state, r.declared_category) for r in both} == {("classified", "SMCO")}


def test_a_row_carries_what_the_register_shows(filled_store: Store) -> None:
    rows = read_all(filled_store, RegisterQuery(sort=RegisterSort.TICKET, descending=False))
    row = rows[34]  # ticket 35: manual weight, outcome ACCEPT B
    assert (row.ticket_no, row.net, row.weight_unit, row.manual_weight) == ("T2026-000035", 18035, "kg", True)
    assert (row.outcome, row.grade, row.assigned_category) == ("ACCEPT", "B", "NDFEB-PS")
    assert row.arrived_offset == 480 and row.arrived_at.utcoffset() is not None


def test_load_details_carry_every_stored_field(filled_store: Store, data_dir: Any) -> None:
    with filled_store.engine.begin() as conn:
        table = Load.__table__  # type: ignore[attr-defined]
        conn.execute(sa.update(table).where(table.c.id == 35).values(classification_status="provisional"))
    with filled_store.session() as session:
        details = load_details(session, load_id=35, data_dir=data_dir)
        stored = session.get(Load, 35)
    assert stored is not None
    for name in Load.model_fields:
        if name in ("supplier_id", "vehicle_id"):
            continue  # shown by name and kind
        assert getattr(details, name) == getattr(stored, name), name
    assert (details.supplier_name, details.vehicle_kind) == ("包头北方稀土回收有限公司", None)
    assert details.supplier_uscc.startswith("91360700")
    assert details.attributes == {"origin": "production", "package_count": 4}
    # The rule set in force names the attributes it knows, in both languages.
    assert details.attribute_labels["origin"].en and details.attribute_labels["origin"].zh
    with pytest.raises(AttributeError):
        details.ticket_no = "changed"  # type: ignore[misc]


def test_a_vanished_load_is_said_in_words(store: Store) -> None:
    with store.session() as session, pytest.raises(UserError) as info:
        load_details(session, load_id=999)
    assert (info.value.code, info.value.field, info.value.params) == ("yard.load_gone", "load", {"load": 999})
    assert info.value.words("en") == "Load 999 no longer exists. Refresh the register (F5)."
    assert info.value.words("zh_CN") == "车次 999 已不存在。请刷新登记簿（F5）。"
