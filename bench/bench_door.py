"""Benchmark: screens behind the door. How long a screen takes to show its data, on the worker, and the
longest the GUI thread stalls meanwhile (goal: under 50 ms each).

- the load register's first page over 100,000 loads (opened, and after a change made elsewhere);
- the audit viewer's first page over 100,000 events;
- the approval queue with 500 submitted lots (opened, and after a lot changed elsewhere).

"After a change elsewhere" is the command line's path: a write in its own session, then the door's look
in the audit trail (what its 2 s timer does), the announcement, and the screen's read. Each figure is the
median of several runs on the offscreen platform; the stall is the longest gap between ticks of a 1 ms
timer on the GUI thread during the run, minus the tick.

Run: ``.venv/bin/python bench/bench_door.py [--loads N] [--events N] [--lots N] [--runs N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, SignalInstance

from bench.bench_register import fill
from bench.common import machine
from inspector.changes import Change
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.security.actor import SYSTEM
from inspector.security.audit import record_event
from inspector.storage.db import Store, open_store
from inspector.storage.models.audit import AuditEvent
from ui import garbage
from ui.app import ensure_application
from ui.ops import Door, Ops

TICK_MS = 1
WINDOW = (1366, 768)


class StallMeter(QObject):
    """The longest gap between ticks of a precise 1 ms timer on the GUI thread: how long it was blocked."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest_ms = 0.0

    def start(self) -> None:
        self.longest_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return self.longest_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000 - TICK_MS)
        self._last = now


def timed(start: Callable[[], object], done: SignalInstance, *, before: Callable[[], object] | None = None,
          timeout_ms: int = 30_000) -> tuple[float, float]:
    """(ms from ``start()`` until ``done`` is emitted, the longest GUI stall meanwhile in ms); ``before``
    runs first, outside the measure."""
    if before is not None:
        before()
    loop = QEventLoop()
    finished: list[float] = []

    def on_done(*_args: object) -> None:
        if not finished:
            finished.append(time.perf_counter())
            loop.quit()

    done.connect(on_done)
    meter = StallMeter()
    QTimer.singleShot(timeout_ms, loop.quit)
    meter.start()
    began = time.perf_counter()
    start()
    if not finished:
        loop.exec()
    stall = meter.stop()
    done.disconnect(on_done)
    if not finished:
        raise RuntimeError("the screen did not finish within the timeout")
    return (finished[0] - began) * 1000, stall


def settle(ops: Ops) -> None:
    """Let the reads a screen started finish (the door looks for others' changes only when idle)."""
    loop = QEventLoop()
    while ops.pending:
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def report(name: str, samples: list[tuple[float, float]]) -> None:
    times = [t for t, _ in samples]
    stalls = [s for _, s in samples]
    print(f"{name}: median {statistics.median(times):.1f} ms, longest GUI stall median "
          f"{statistics.median(stalls):.1f} ms (max {max(stalls):.1f}) ({len(samples)} runs)")


def fill_events(store: Store, count: int) -> None:
    """``count`` audit events, bulk-inserted (the viewer only reads them; the chain is not verified here)."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    entities = ("load", "weighing", "lot", "certificate", "user_account")
    with store.engine.begin() as conn:
        for start in range(0, count, 10_000):
            conn.execute(table.insert(), [
                {"seq": seq, "at": t0 + timedelta(seconds=seq), "offset_minutes": 480,
                 "actor": f"user{seq % 7}", "role": "inspector", "action": f"{entities[seq % 5]}.update",
                 "entity": entities[seq % 5], "entity_id": str(seq), "old": None, "new": {"n": seq},
                 "reason": None, "source": "app", "prev_hash": f"{seq - 1:064x}", "hash": f"{seq:064x}"}
                for seq in range(start + 1, min(start + 10_000, count) + 1)])


def change_elsewhere(store: Store, entity: str) -> None:
    """What the command line does: its own session, an audited change."""
    with store.session() as session:
        record_event(session, actor=SYSTEM, action=f"{entity}.bench", entity=entity, entity_id="1",
                     clock=Clock())


def bench_register_and_audit(args: argparse.Namespace) -> None:
    from ui.screens.audit_viewer import AuditViewerWidget
    from ui.screens.register import LoadRegisterWidget

    with tempfile.TemporaryDirectory(prefix="bench-door-") as root:
        store = open_store(DataDir(Path(root)).ensure(), backup=False)
        ops = Ops()
        door = Door(ops, store, watch_ms=None)
        try:
            fill(store, args.loads)
            fill_events(store, args.events)
            register = LoadRegisterWidget(door, SYSTEM)
            register.resize(*WINDOW)
            register.show()
            timed(lambda: None, register.model.page_loaded)  # the first page the widget asked for itself
            report(f"register over {args.loads:,} loads: first page on refresh",
                   [timed(register.refresh, register.model.page_loaded, before=lambda: settle(ops))
                    for _ in range(args.runs)])
            settle(ops)
            door.look_for_changes()  # takes the mark
            settle(ops)

            def load_changed_elsewhere() -> None:
                settle(ops)
                change_elsewhere(store, "load")

            report("register: a load changed by another program: found, announced, page read again",
                   [timed(door.look_for_changes, register.model.page_loaded, before=load_changed_elsewhere)
                    for _ in range(args.runs)])
            report("register: a load changed through the door (write, commit, announce, read again)",
                   [timed(lambda: door.write(lambda s: record_event(
                       s, actor=SYSTEM, action="load.bench", entity="load", entity_id="1", clock=Clock()),
                       changes=[Change.LOADS]), register.model.page_loaded, before=lambda: settle(ops))
                    for _ in range(args.runs)])
            register.close()

            audit = AuditViewerWidget(door)
            audit.resize(*WINDOW)
            audit.show()
            timed(lambda: None, audit.model.page_loaded)
            report(f"audit viewer over {args.events:,} events: first page on refresh",
                   [timed(audit.refresh, audit.model.page_loaded, before=lambda: settle(ops))
                    for _ in range(args.runs)])
            audit.close()
        finally:
            door.stop_watching()
            ops.shutdown()
            store.close()


def bench_queue(args: argparse.Namespace) -> None:
    from bench.bench_lots import build_queue
    from ui.screens.approvals import ApprovalQueueWidget

    with tempfile.TemporaryDirectory(prefix="bench-door-queue-") as root:
        store, _build = build_queue(DataDir(Path(root)).ensure(), lots=args.lots, singles=0)
        ops = Ops()
        door = Door(ops, store, watch_ms=None)
        try:
            actor = SYSTEM
            queue = ApprovalQueueWidget(door, actor)
            queue.resize(*WINDOW)
            queue.show()
            timed(lambda: None, queue.queue_model.page_loaded)
            report(f"approval queue with {args.lots} lots: first page on refresh",
                   [timed(queue.refresh, queue.queue_model.page_loaded, before=lambda: settle(ops))
                    for _ in range(args.runs)])
            settle(ops)
            door.look_for_changes()  # takes the mark
            settle(ops)

            def lot_changed_elsewhere() -> None:
                settle(ops)
                change_elsewhere(store, "lot")

            report("approval queue: a lot changed by another program: found, announced, read again",
                   [timed(door.look_for_changes, queue.queue_model.page_loaded, before=lot_changed_elsewhere)
                    for _ in range(args.runs)])
            queue.close()
        finally:
            door.stop_watching()
            ops.shutdown()
            store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--lots", type=int, default=500)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    # As in the window: the cycle collector runs on the GUI thread, on a timer (ui/garbage.py).
    garbage.collect_on_gui_thread(ensure_application())
    print(f"machine: {machine()}")
    bench_register_and_audit(args)
    bench_queue(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
