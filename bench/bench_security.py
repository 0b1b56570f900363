"""Benchmark: the cost an audit event adds to a write (< 5 ms per audited write) and the full verification
over 100,000 audit events (< 10 s on a 2-core machine).

Audited write: the same load inserted in its own committed transaction (synchronous=FULL) with and without
``record_change``; the figure is the difference of the medians, in a fresh yard and in one that already
holds 100,000 events. Verification: ``verify_all`` (quick_check + chain + row hashes + checkpoints) over
100,000 events written for 20,000 loads (one create and four edits each), median of 3 runs.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine
from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.security import verify
from inspector.security.actor import Actor, Role
from inspector.security.audit import (
    canonical_json,
    chain_head,
    jsonable,
    record_change,
    row_content,
    row_hash,
    sha256_hex,
)
from inspector.storage.db import Store, open_store
from inspector.storage.models.core import Load, Supplier

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
START = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
LOADS = 20_000
EDITS_PER_LOAD = 4
WRITES = 300
STATES = ("weighed_in", "inspected", "weighed_out", "classified")


def new_store(root: Path) -> Store:
    return open_store(DataDir(root).ensure(), backup=False)


def add_supplier(store: Store, clock: FixedClock) -> int:
    with store.session() as s:
        supplier = Supplier(name="赣州稀金磁材有限公司", uscc="91360700MA35K8QX1X",
                            created_at=clock.now().utc)
        record_change(s, supplier, actor=INSPECTOR, action="supplier.create", clock=clock)
        assert supplier.id is not None
        return supplier.id


def make_load(seq: int, supplier_id: int, at: datetime) -> Load:
    return Load(ticket_no=f"B2026-{seq:07d}", ticket_year=2026, ticket_seq=seq, plate=f"赣B{seq % 99999:05d}",
                supplier_id=supplier_id, arrived_at=at, gross=30_000 + seq % 5000, tare=12_000,
                net=18_000 + seq % 5000, attributes={"origin": "production", "package_count": 4},
                created_by=INSPECTOR.user_id)


@dataclass
class WriteCost:
    plain_ms: float
    audited_ms: float
    plain_work_ms: float
    audited_work_ms: float

    def line(self) -> str:
        return (f"committed write: plain {self.plain_ms:.2f} ms, audited {self.audited_ms:.2f} ms "
                f"(added {self.audited_ms - self.plain_ms:.2f} ms); work before the commit: plain "
                f"{self.plain_work_ms:.2f} ms, audited {self.audited_work_ms:.2f} ms "
                f"(added {self.audited_work_ms - self.plain_work_ms:.2f} ms); medians of {WRITES} each")


def write_cost(store: Store, clock: FixedClock, supplier_id: int, first: int) -> WriteCost:
    """A committed plain insert against the same insert with ``record_change``, interleaved so both see
    the same disk (fsync times drift during a run). The work before the commit (flushes, the head query,
    hashing) is timed too: it does not depend on the disk."""
    samples: dict[bool, list[float]] = {False: [], True: []}
    work: dict[bool, list[float]] = {False: [], True: []}
    for i in range(first, first + 2 * WRITES):
        clock.advance(seconds=1)
        audited = bool(i % 2)
        load = make_load(i, supplier_id, clock.now().utc)
        start = time.perf_counter()
        with store.session() as s:
            if audited:
                record_change(s, load, actor=INSPECTOR, action="load.create", clock=clock)
            else:
                s.add(load)
                s.flush()
            work[audited].append(time.perf_counter() - start)
        samples[audited].append(time.perf_counter() - start)
    # Plain rows carry no audit record, and 'check' rightly reports them: remove them again.
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM load WHERE row_hash IS NULL")
    ms = [statistics.median(x) * 1000 for x in (samples[False], samples[True], work[False], work[True])]
    return WriteCost(*ms)


def _json(value: object) -> str:
    # What JSONText stores.
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def fill_trail(store: Store, clock: FixedClock, supplier_id: int) -> int:
    """100,000 events exactly as the services write them (same payloads and hashes), inserted in bulk."""
    with store.session() as s:
        head = chain_head(s)
        assert head is not None
        seq, prev = head.seq, head.hash
    template = row_content(make_load(1, supplier_id, START))
    columns = list(template)
    events: list[tuple[object, ...]] = []
    loads: list[tuple[object, ...]] = []
    at = clock.now().utc
    for n in range(1, LOADS + 1):
        content = {**template, "id": n, "ticket_no": f"B2026-{n:07d}", "ticket_seq": n,
                   "plate": f"赣B{n % 99999:05d}", "arrived_at": jsonable(at), "gross": 30_000 + n % 5000,
                   "net": 18_000 + n % 5000}
        old = None
        for step in range(EDITS_PER_LOAD + 1):
            at += timedelta(seconds=1)
            if step:
                old = content
                content = {**content, "state": STATES[step - 1],
                           "attributes": {**content["attributes"], "step": step}}
            seq += 1
            payload = {"seq": seq, "at": jsonable(at), "offset_minutes": 480, "actor": INSPECTOR.user_id,
                       "role": "inspector", "action": "load.create" if step == 0 else "load.edit",
                       "entity": "load", "entity_id": str(n), "old": old, "new": content,
                       "reason": None if step == 0 else "next step", "source": "app", "prev_hash": prev}
            prev = sha256_hex(canonical_json(payload))
            events.append((seq, payload["at"], 480, payload["actor"], "inspector", payload["action"], "load",
                           str(n), None if old is None else _json(old), _json(content), payload["reason"],
                           "app", payload["prev_hash"], prev))
        values = [_json(content[c]) if c == "attributes" else content[c] for c in columns]
        loads.append((*values, row_hash(content), seq))
    names = ", ".join(columns)
    marks = ", ".join("?" * (len(columns) + 2))
    con = sqlite3.connect(store.data_dir.database)
    with con:
        con.executemany("INSERT INTO audit_event (seq, at, offset_minutes, actor, role, action, entity, "
                        "entity_id, old, new, reason, source, prev_hash, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
        con.executemany(f"INSERT INTO load ({names}, row_hash, audit_seq) VALUES ({marks})", loads)
    con.close()
    clock.advance(days=30)
    return seq


def main() -> None:
    print(f"Machine: {machine()}, {datetime.now(UTC):%Y-%m-%d}")
    with tempfile.TemporaryDirectory() as tmp:
        # Committed times move in steps of this VM's flush time, so the fresh-yard run is repeated.
        for run in range(3):
            clock = FixedClock(START)
            store = new_store(Path(tmp) / f"fresh-{run}")
            supplier_id = add_supplier(store, clock)
            print(f"Fresh yard, run {run + 1}: {write_cost(store, clock, supplier_id, 1).line()}")
            store.close()

        clock = FixedClock(START)
        store = new_store(Path(tmp) / "big")
        supplier_id = add_supplier(store, clock)
        start = time.perf_counter()
        last = fill_trail(store, clock, supplier_id)
        print(f"Built {last:,} audit events for {LOADS:,} loads in {time.perf_counter() - start:.1f} s")
        print(f"Yard with {last:,} events: {write_cost(store, clock, supplier_id, LOADS + 1).line()}")
        data_dir = store.data_dir
        samples = []
        for _ in range(3):
            begin = time.perf_counter()
            problems = verify.verify_all(store, data_dir)
            samples.append(time.perf_counter() - begin)
            # The bench writes its loads in bulk, outside the ticket counter; every other check must be clean.
            assert [p for p in problems if p.kind != "series"] == [], problems[:3]
        with store.session() as s:
            total = chain_head(s)
        assert total is not None
        print(f"verify_all over {total.seq:,} audit events and {LOADS + WRITES + 1:,} business rows: "
              f"median {statistics.median(samples):.2f} s of 3 runs (min {min(samples):.2f}, "
              f"max {max(samples):.2f})")
        store.close()


if __name__ == "__main__":
    main()
