"""Benchmark: what the cross-process write guard (inspector/storage/guard.py) costs per write.

Two figures, each the median of several runs (runs of the two kinds alternate, so a busy moment of the
machine falls on both):

- the guard alone: take and let go of it (flock through filelock, the holder file written), per write;
- a committed, audited write (a load's arrival, ``synchronous=FULL``) through ``Store.session()`` with the
  guard and its checkpoint policy, against the same write on an engine without the guard and with SQLite's
  automatic checkpoints (what the yard ran before issue 19). The difference is the guard's cost per write.

    .venv/bin/python bench/bench_writer_guard.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bench.common import machine
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import yard as svc
from inspector.storage.db import open_store
from inspector.storage.guard import WriterGuardedConnection, guard_for

RUNS = 7
WRITES = 250
WARM = 30
ACQUIRES = 2000


def guard_alone(folder: Path) -> float:
    guard = guard_for(folder / "yard.db")
    for _ in range(100):
        guard.acquire(5)
        guard.release()
    start = time.perf_counter()
    for _ in range(ACQUIRES):
        guard.acquire(5)
        guard.release()
    return (time.perf_counter() - start) / ACQUIRES


def _unguarded(dbapi_connection: Any, _record: Any) -> None:
    # As before the guard: no guard, SQLite checkpoints by itself every 1,000 pages.
    if isinstance(dbapi_connection, WriterGuardedConnection):
        dbapi_connection.guard = None
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=1000")


def writes(folder: Path, *, guarded: bool) -> float:
    inspector = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
    clock = Clock()
    store = open_store(DataDir(folder / ("guarded" if guarded else "bare")), backup=False)
    if not guarded:
        store.engine.dispose()
        event.listen(store.engine, "connect", _unguarded)
    with store.session() as s:
        svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="bench")
        supplier = svc.add_supplier(s, actor=SYSTEM, clock=clock, name="s", uscc="91350100M000100Y43")
    samples = []
    for i in range(WRITES + WARM):
        start = time.perf_counter()
        with store.session() as s:
            svc.register_arrival(s, actor=inspector, clock=clock, plate=f"赣B{i:05d}",
                                 supplier_id=supplier.id or 0, driver="王强", declared_category="NDFEB-PS")
        samples.append(time.perf_counter() - start)
    store.close()
    return statistics.median(samples[WARM:])


def main() -> None:
    alone: list[float] = []
    bare: list[float] = []
    guarded: list[float] = []
    for run in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "alone").mkdir()
            alone.append(guard_alone(folder / "alone"))
            if run % 2:
                guarded.append(writes(folder, guarded=True))
                bare.append(writes(folder, guarded=False))
            else:
                bare.append(writes(folder, guarded=False))
                guarded.append(writes(folder, guarded=True))
    print(f"machine: {machine()}")
    print(f"guard alone (take + let go, holder file written): median {statistics.median(alone) * 1e3:.3f} ms "
          f"over {RUNS} runs of {ACQUIRES}")
    b, g = statistics.median(bare), statistics.median(guarded)
    print(f"audited committed write, synchronous=FULL: without guard {b * 1e3:.2f} ms, with guard "
          f"{g * 1e3:.2f} ms: the guard costs {(g - b) * 1e3:.2f} ms per write (median of {RUNS} runs "
          f"of {WRITES} writes)")


if __name__ == "__main__":
    main()
