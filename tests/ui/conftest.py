"""GUI test fixtures: stores filled with suppliers and loads inserted directly (fast, no services)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from inspector.states import LoadState
from inspector.storage.db import Store
from inspector.storage.models.core import Load, Supplier

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
SUPPLIER_NAMES = ("赣州稀金磁材有限公司", "Ningbo Magnet Recycling Co.", "包头北方稀土回收有限公司")
CATEGORIES = ("NDFEB-PS", "NDFEB-SL", "SMCO", "POLISH", "NIMH")
STATES = tuple(s.value for s in LoadState)


def _uscc(i: int) -> str:
    return f"91360700MA35K8Q{i:02d}X"


def insert_loads(store: Store, count: int, *, first_seq: int = 1) -> None:
    """``count`` loads (and three suppliers, once) with varied plates, states and categories.

    Load i arrives i minutes after T0 with ticket seq i; every 7th has a hand-entered weight, every 5th an
    outcome and grade. Several loads share one plate, one state and one arrival minute, so sorting on a
    column with ties is exercised across page boundaries.
    """
    supplier_table = Supplier.__table__  # type: ignore[attr-defined]
    load_table = Load.__table__  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        select_ids = sa.select(supplier_table.c.id).order_by(supplier_table.c.id)
        supplier_ids = list(conn.execute(select_ids).scalars())
        if not supplier_ids:
            conn.execute(supplier_table.insert(), [
                {"name": name, "uscc": _uscc(i), "contact": "", "address": "", "created_at": T0,
                 "created_offset": 480}
                for i, name in enumerate(SUPPLIER_NAMES)
            ])
            supplier_ids = list(conn.execute(select_ids).scalars())
        rows = []
        for seq in range(first_seq, first_seq + count):
            manual = seq % 7 == 0
            rows.append({
                "ticket_no": f"T2026-{seq:06d}", "ticket_year": 2026, "ticket_seq": seq,
                "state": STATES[seq % len(STATES)],
                "plate": f"赣B{seq % 97:05d}",
                "driver": "", "supplier_id": supplier_ids[seq % len(supplier_ids)],
                "generating_enterprise": "",
                "declared_category": CATEGORIES[seq % len(CATEGORIES)],
                "assigned_category": CATEGORIES[seq % len(CATEGORIES)] if seq % 5 == 0 else None,
                # Pairs of loads share an arrival minute: ties in the sort key.
                "arrived_at": T0 + timedelta(minutes=seq // 2), "arrived_offset": 480,
                "weight_unit": "kg", "gross": 30000 + seq, "tare": 12000, "net": 18000 + seq,
                "manual_weight": manual, "attributes": {"origin": "production", "package_count": 4},
                "outcome": "ACCEPT" if seq % 5 == 0 else None, "grade": "B" if seq % 5 == 0 else None,
                "created_by": "test",
            })
        conn.execute(load_table.insert(), rows)


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread(qapp: object) -> Iterator[None]:
    """As in the app (``ui.garbage``): no cycle collection on a worker thread. What a test left behind is
    collected on the GUI thread after its widgets are closed, when it is due (as the app's timer would)."""
    from ui import garbage

    collector = garbage.collect_on_gui_thread(qapp)  # type: ignore[arg-type]
    yield
    collector.collect_due()


@pytest.fixture
def filled_store(store: Store) -> Store:
    insert_loads(store, 450)
    return store


@pytest.fixture
def ops(qtbot: object) -> Iterator[object]:
    from ui.ops import Ops

    shown: list[BaseException] = []
    bugs: list[BaseException] = []
    instance = Ops(show_error=shown.append, on_bug=bugs.append)
    instance.shown_errors = shown  # type: ignore[attr-defined]
    instance.bugs = bugs  # type: ignore[attr-defined]
    yield instance
    instance.shutdown()
    assert not bugs, f"unexpected errors in background jobs: {bugs!r}"


@pytest.fixture
def door(store: Store, ops: object) -> Iterator[object]:
    """The screens' door over ``store`` and the ``ops`` worker; it does not poll the audit trail (a test
    calls ``look_for_changes`` when it wants the command line's work noticed)."""
    from ui.ops import Door

    instance = Door(ops, store, watch_ms=None)  # type: ignore[arg-type]
    yield instance
    instance.stop_watching()


@pytest.fixture
def run_app_process() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m ui.entry ARGS`` in a child process (its own QApplication), offscreen."""

    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
        return subprocess.run([sys.executable, "-m", "ui.entry", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    return run
