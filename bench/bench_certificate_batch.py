"""Benchmark: print 100 certificates in one batch from the register screen while the window stays responsive.

A yard with the demo accounts gets one real certificate (issued, signed), which is then registered 100 times
under numbers 2026-000002.. (content re-numbered and re-hashed, the same signed file under each name): the
batch prints register rows and files, so how they were made does not change what is measured. Each batch
prints the 100 to a PDF printer (150 dpi page images, high-resolution printer); the second and third
batches are COPY sheets rendered from the register (ReportLab) before rasterising.

Measured per batch: the wall time, and the longest gap between the ticks of a 5 ms timer on the GUI thread
(the worst stall a user would feel). Reported: the median of three batches.

``--freeze-gc`` runs ``gc.collect(); gc.freeze()`` before each batch, as an application can after start-up:
the longest stalls left are full (generation 2) garbage collections, which hold every thread.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from bench.common import machine
from inspector.security.audit import record_change
from inspector.services import certificates as svc
from inspector.storage.models.certificates import Certificate
from tests.core.certificates.register.conftest import (
    SUPERVISOR,
    RegisterYard,
    build_template,
    copied_yard,
    make_lot,
)
from ui.ops import Door, Ops
from ui.screens.certificates import CertificateRegisterWidget

COUNT = 100
BATCHES = 3


def fill_register(yard: RegisterYard) -> None:
    lot_no = make_lot(yard)
    with yard.store.session() as s:
        first = svc.issue_certificate(s, actor=yard.actor(SUPERVISOR), clock=yard.clock,
                                      data_dir=yard.data_dir, lot_no=lot_no, ruleset=yard.ruleset,
                                      **yard.secrets())
    data_dir = yard.data_dir
    original = data_dir.certificates / first.file_name
    with yard.store.session() as s:
        actor = yard.actor(SUPERVISOR)
        for seq in range(2, COUNT + 2):
            number = f"2026-{seq:06d}"
            data = replace(svc.data_from_content(first.content), number=number)
            file_name = svc.file_name_for(number, 1)
            shutil.copyfile(original, data_dir.certificates / file_name)
            row = Certificate(**{**first.model_dump(exclude={"id", "row_hash", "audit_seq"}),
                                 "number": number, "seq": seq, "content": data.content(),
                                 "content_sha256": data.content_hash(), "file_name": file_name})
            record_change(s, row, actor=actor, action="certificate.issue", clock=yard.clock)


def load_all_rows(widget: CertificateRegisterWidget) -> None:
    """Wait (in an event loop) until every register row is fetched, so the batch can select them all."""
    model, loop = widget.model, QEventLoop()

    def more() -> None:
        if model.has_more:
            model.fetchMore(model.index(-1, -1))
        elif not model.fetching:
            loop.quit()

    model.page_loaded.connect(more)
    QTimer.singleShot(0, more)
    loop.exec()
    model.page_loaded.disconnect(more)


def run_batch(widget: CertificateRegisterWidget, printers: list[QPrinter], out: Path) -> tuple[float, float]:
    """(wall seconds, longest GUI-thread stall in seconds) of printing every row of the register."""
    load_all_rows(widget)
    loop = QEventLoop()
    widget.view.selectAll()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printers[:] = [printer]
    gaps: list[float] = []
    clock = QElapsedTimer()
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e9
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    widget.batch_finished.connect(lambda *_: loop.quit())
    start = time.perf_counter()
    clock.start()
    timer.start()
    widget.print_selected()
    loop.exec()
    timer.stop()
    wall = time.perf_counter() - start
    widget.batch_finished.disconnect()
    return wall, max(gaps) if gaps else 0.0


def main() -> None:
    app = QApplication.instance() or QApplication([])
    root = Path(tempfile.mkdtemp(prefix="bench-certificate-batch-"))
    try:
        template = build_template(root / "template")
        with copied_yard(template, root / "yard") as yard:
            fill_register(yard)
            ops = Ops()
            printers: list[QPrinter] = []  # the one the next batch prints to (no dialog in a benchmark)
            door = Door(ops, yard.store, watch_ms=None)
            widget = CertificateRegisterWidget(door, yard.actor(SUPERVISOR), clock=yard.clock,
                                               choose_printer=lambda _count: printers[0])
            widget.resize(1100, 700)
            widget.show()
            results = []
            freeze = "--freeze-gc" in sys.argv
            for batch in range(BATCHES):
                if freeze:
                    gc.collect()
                    gc.freeze()
                wall, stall = run_batch(widget, printers, root / f"batch-{batch}.pdf")
                kind = "originals" if batch == 0 else "COPY sheets"
                print(f"batch {batch + 1} ({kind}): {COUNT + 1} certificates in {wall:.1f} s "
                      f"({wall / (COUNT + 1) * 1000:.0f} ms each), longest GUI stall {stall * 1000:.0f} ms")
                results.append((wall, stall))
            ops.shutdown()
            widget.close()
        print(f"median of {BATCHES}{' (gc frozen)' if freeze else ''}: "
              f"{statistics.median(w for w, _ in results):.1f} s per batch of {COUNT + 1}, longest GUI stall "
              f"{statistics.median(s for _, s in results) * 1000:.0f} ms")
        print(machine())
    finally:
        shutil.rmtree(root, ignore_errors=True)
        del app


if __name__ == "__main__":
    main()
