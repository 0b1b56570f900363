"""Benchmark: the load register over 100,000 loads (first page, a deep page, sorting, filtering).

The loads are bulk-inserted into a temporary data directory. Each figure is the median of several runs of
the register's read model (``inspector.queries.loads.register_page``, what the window's worker runs for each
page) in a session of its own; the register never reads all loads.

Run: ``.venv/bin/python bench/bench_register.py [--loads N] [--runs N]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench.common import machine
from inspector.datadir import DataDir
from inspector.queries.loads import PAGE_SIZE, LoadRow, RegisterQuery, RegisterSort, register_page
from inspector.states import LoadState
from inspector.storage.db import Store, open_store
from inspector.storage.models.core import Load, Supplier

STATES = [s.value for s in LoadState]
CATEGORIES = ["NDFEB-PS", "NDFEB-SL", "NDFEB-PW", "SMCO", "POLISH", "PHOSPHOR", "NIMH", "CATALYST"]


def fill(store: Store, count: int) -> float:
    """Bulk-insert ``count`` loads over 30 suppliers; returns the seconds it took."""
    start = time.perf_counter()
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    with store.engine.begin() as conn:
        conn.execute(Supplier.__table__.insert(), [  # type: ignore[attr-defined]
            {"name": f"供货单位 {i:02d} 稀土回收有限公司", "uscc": f"9136070000000{i:04d}X", "contact": "",
             "address": "", "created_at": t0, "created_offset": 480} for i in range(30)])
        batch = []
        for seq in range(1, count + 1):
            batch.append({
                "ticket_no": f"T{2024 + seq // 40000}-{seq:06d}", "ticket_year": 2024 + seq // 40000,
                "ticket_seq": seq, "state": STATES[seq % len(STATES)], "plate": f"赣B{seq % 4999:05d}",
                "driver": "", "supplier_id": 1 + seq % 30, "generating_enterprise": "",
                "declared_category": CATEGORIES[seq % len(CATEGORIES)],
                "assigned_category": None, "arrived_at": t0 + timedelta(minutes=7 * seq),
                "arrived_offset": 480,
                "weight_unit": "kg", "net": 15000 + seq % 9000, "manual_weight": seq % 50 == 0,
                "attributes": {}, "created_by": "bench",
            })
            if len(batch) == 10_000:
                conn.execute(Load.__table__.insert(), batch)  # type: ignore[attr-defined]
                batch = []
        if batch:
            conn.execute(Load.__table__.insert(), batch)  # type: ignore[attr-defined]
    return time.perf_counter() - start


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm caches once
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def read_pages(store: Store, query: RegisterQuery, pages: int) -> list[LoadRow]:
    """``pages`` pages of ``query``, each continuing after the last row's key, as the pager reads them."""
    rows: list[LoadRow] = []
    for _ in range(pages):
        after = query.page_key(rows[-1]) if rows else None
        with store.session() as session:
            rows.extend(register_page(session, query, after=after, limit=PAGE_SIZE))
    return rows


def first_page(store: Store, *, sort: RegisterSort | None = None, text: str = "", state: str | None = None,
               pages: int = 1) -> Callable[[], int]:
    query = RegisterQuery(text=text, state=state, sort=sort or RegisterSort.ARRIVED, descending=sort is None)

    def run() -> int:
        return len(read_pages(store, query, pages))

    return run


def deep_page_ms(store: Store, runs: int) -> float:
    """The 51st page alone: keyset pagination makes it cost what the first one costs (no OFFSET scan)."""
    query = RegisterQuery()
    samples = []
    for _ in range(runs):
        rows = read_pages(store, query, 50)
        start = time.perf_counter()
        with store.session() as session:
            page = register_page(session, query, after=query.page_key(rows[-1]), limit=PAGE_SIZE)
        samples.append(time.perf_counter() - start)
        assert len(rows) + len(page) == 51 * PAGE_SIZE
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-register-") as root:
        store = open_store(DataDir(Path(root)), backup=False)
        try:
            seconds = fill(store, args.loads)
            with store.engine.connect() as conn:
                total = conn.execute(sa.text("SELECT count(*) FROM load")).scalar_one()
            print(f"machine: {machine()}")
            print(f"bulk insert of {total:,} loads: {seconds:.1f} s")
            cases = {
                "first page (200 rows, newest first)": first_page(store),
                "first page sorted by plate": first_page(store, sort=RegisterSort.PLATE),
                "first page sorted by ticket": first_page(store, sort=RegisterSort.TICKET),
                "first page, state filter 'classified'": first_page(store, state="classified"),
                "first page, text filter 'smco' (category)": first_page(store, text="smco"),
                "first page, text filter '赣B00042' (20 hits)": first_page(store, text="赣B00042"),
            }
            for name, action in cases.items():
                print(f"{name}: median {median_ms(action, args.runs):.1f} ms ({args.runs} runs)")
            print(f"page 51 after scrolling 50 pages (rows 10,001-10,200): median "
                  f"{deep_page_ms(store, args.runs):.1f} ms ({args.runs} runs)")
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
