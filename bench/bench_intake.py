"""Benchmark: the intake flow's next step and draft save (< 50 ms each), trucks on site with 1,000 open loads
(< 100 ms). Each figure is the median of several runs, each run one committed transaction (synchronous=FULL).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import inspector.storage.models.intake  # noqa: F401
from bench.common import machine
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.intake import drafts
from inspector.intake.steps import Step
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import intake as svc
from inspector.services import yard as yard_svc
from inspector.storage.db import Store, open_store

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))
GATE = {"dose_background_usv_h": "0.10", "dose_gross_usv_h": "0.20", "portal_alarm": False,
        "prohibited_items_found": False, "inclusions_pct": "1.0", "smoke_or_heat": False}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def arrive(store: Store, clock: Clock, supplier_id: int, i: int) -> int:
    with store.session() as s:
        return svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.ARRIVAL, values={
            "plate": f"赣B{i:05d}", "supplier_id": str(supplier_id), "declared_category": "NDFEB-PS",
            "origin": "production", "generating_enterprise": "某磁材厂"}).load_id


def main() -> None:
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(DataDir(Path(tmp) / "yard"), backup=False)
        with store.session() as s:
            yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="bench", hw_permit_codes=["HW49"])
            supplier = yard_svc.add_supplier(s, actor=SYSTEM, clock=clock, name="供应商",
                                             uscc="91350100M000100Y43")
        supplier_id = supplier.id or 0

        loads = [arrive(store, clock, supplier_id, i) for i in range(1000)]

        def gross(load_id: int) -> None:
            with store.session() as s:
                svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.GROSS, load_id=load_id,
                                values={"gross": "30000", "source": "manual", "manual_reason": "benchmark"},
                                confirmed_by=SUPERVISOR)

        def gate(load_id: int) -> None:
            with store.session() as s:
                svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.GATE, load_id=load_id, values=GATE)

        step_samples = []
        for load_id in loads[:60]:
            gross(load_id)
            step_samples.append(timed(lambda load_id=load_id: gate(load_id)))  # type: ignore[misc]

        draft_samples = []
        key = drafts.load_draft_key(loads[100])
        typed = ""
        for ch in "0.123456789" * 5:
            typed += ch

            def save(value: str = typed) -> None:
                with store.session() as s:
                    drafts.save_draft(s, clock=clock, key=key, load_id=loads[100], step=Step.GROSS,
                                      values={"gross": value, "source": "manual"})

            draft_samples.append(timed(save))

        def preview() -> None:
            with store.session() as s:
                svc.preview_step(s, load_id=loads[200], step=Step.GATE, values=GATE, clock=clock)

        preview_samples = [timed(preview) for _ in range(30)]

        def trucks() -> int:
            with store.session() as s:
                return len(svc.trucks_on_site(s))

        assert trucks() == 1000
        truck_samples = [timed(trucks) for _ in range(15)]
        page_samples, model_samples = ui_samples(store, clock, loads[300], trucks_rows=svc.trucks_on_site)
        store.close()

    ms = 1000
    print(f"machine: {machine()}")
    print(f"next step (gate submitted: checks, engine, audit, state, progress, commit): "
          f"median {statistics.median(step_samples) * ms:.1f} ms over {len(step_samples)}")
    print(f"draft save (upsert + commit): median {statistics.median(draft_samples) * ms:.1f} ms "
          f"over {len(draft_samples)}")
    print(f"step preview (inline check + findings, read only): median "
          f"{statistics.median(preview_samples) * ms:.1f} ms over {len(preview_samples)}")
    print(f"trucks on site, 1,000 open loads: median {statistics.median(truck_samples) * ms:.1f} ms "
          f"over {len(truck_samples)}")
    print(f"UI: gate step page built and checked: median {statistics.median(page_samples) * ms:.1f} ms "
          f"over {len(page_samples)}")
    print(f"UI: trucks model filled with 1,000 rows and all cells read: median "
          f"{statistics.median(model_samples) * ms:.1f} ms over {len(model_samples)}")


def ui_samples(store: Store, clock: Clock, load_id: int, *, trucks_rows: Callable[..., list[object]]
               ) -> tuple[list[float], list[float]]:
    """The Qt side of a step change (offscreen): the next page built and checked; the trucks table filled."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.models.trucks import TrucksOnSiteModel
    from ui.ops import Door, Ops
    from ui.screens.intake.wizard import IntakeWizardWidget

    app = QApplication.instance() or QApplication([])
    ops = Ops()
    wizard = IntakeWizardWidget(Door(ops, store, watch_ms=None), INSPECTOR, clock=clock)
    with store.session() as s:
        wizard._context = svc.step_context(s, load_id=load_id, clock=clock)
    wizard.load_id, wizard.step = load_id, Step.GATE
    page = [timed(lambda: wizard._build_page(GATE)) for _ in range(20)]
    with store.session() as s:
        rows = trucks_rows(s)
    model = TrucksOnSiteModel()

    def fill() -> None:
        model.set_rows(rows)  # type: ignore[arg-type]
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                model.index(r, c).data()

    filled = [timed(fill) for _ in range(5)]
    ops.shutdown()
    wizard.deleteLater()
    app.processEvents()
    return page, filled


if __name__ == "__main__":
    main()
