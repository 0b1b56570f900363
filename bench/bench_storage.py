"""Benchmark: registering a load's arrival (ticket number, row, audit event, commit with synchronous=FULL)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import yard as svc
from inspector.storage.db import open_store


def main() -> None:
    inspector = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(DataDir(Path(tmp) / "yard"), backup=False)
        with store.session() as s:
            svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="bench")
            supplier = svc.add_supplier(s, actor=SYSTEM, clock=clock, name="s", uscc="91350100M000100Y43")
        samples = []
        for i in range(300):
            start = time.perf_counter()
            with store.session() as s:
                svc.register_arrival(
                    s,
                    actor=inspector,
                    clock=clock,
                    plate=f"赣B{i:05d}",
                    supplier_id=supplier.id or 0,
                    driver="王强",
                    declared_category="NDFEB-PS",
                )
            samples.append(time.perf_counter() - start)
        store.close()
    samples = samples[20:]  # the first writes warm caches
    print(f"machine: {machine()}")
    median_ms = statistics.median(samples) * 1000
    p95_ms = sorted(samples)[int(len(samples) * 0.95)] * 1000
    print(
        f"insert a load (audited, committed, synchronous=FULL): median {median_ms:.2f} ms, "
        f"p95 {p95_ms:.2f} ms over {len(samples)} loads"
    )


if __name__ == "__main__":
    main()
