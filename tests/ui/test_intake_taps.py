"""The benchmark's whole intake for a returning vehicle and supplier (``bench/bench_intake_taps.py``), run
as a test at the intake screen's size in Chinese: what it counts is the same every run (taps, keystrokes,
input-method characters, scans), so the goals are asserted; the times it takes are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.bench_intake_taps import (
    GOAL,
    WALK_DRIVER,
    WALK_PLATE,
    WALK_SEALS,
    WALK_SUPPLIER,
    run_once,
    scale_house_look,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_a_returning_vehicle_takes_twenty_taps_ten_keys_and_no_input_method(qapp: Any,
                                                                             tmp_path: Path) -> None:
    with scale_house_look(qapp):
        result = run_once(tmp_path)
    counts = result.counts
    # Every tap, and every swipe a field out of view would need, on a 1366x768 screen.
    assert counts.taps + counts.swipes <= GOAL["taps"], counts
    assert counts.keystrokes <= GOAL["keystrokes"], counts
    assert counts.ime == GOAL["ime"] == 0, counts
    # The seals come from the barcode scanner, one scan each (its characters are not the inspector's keys).
    assert counts.scans == len(WALK_SEALS)
    assert counts.scanned == sum(len(code) + 1 for code in WALK_SEALS.values())
    # Every step opened after its Next, through to the done page.
    assert list(result.next_ms) == ["gross", "gate", "identification", "sampling", "tare", "summary", "done"]
    # And the load is stored as the taps said: the returning truck's driver and supplier, awaiting the lab.
    assert result.stored == {"plate": WALK_PLATE, "driver": WALK_DRIVER, "supplier": WALK_SUPPLIER,
                             "declared_category": "NDFEB-PS", "category": "NDFEB-PS", "state": "awaiting_lab"}
