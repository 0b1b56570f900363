"""Cycle collection happens on the GUI thread only, never on the ops worker (a native crash otherwise)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from ui import garbage


@pytest.fixture
def collections() -> Iterator[list[str]]:
    """The thread of every collection that happens while the test runs."""
    seen: list[str] = []

    def record(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(threading.current_thread().name)

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


def _widget_cycles(count: int) -> None:
    """Widgets only reachable through reference cycles, as closed pages and dialogs leave them."""
    for _ in range(count):
        page = QWidget()
        page.me = page  # type: ignore[attr-defined]
        QLabel("x", page)


def test_the_application_collects_on_its_own_thread(qapp: Any) -> None:
    collector = garbage.collect_on_gui_thread(qapp)
    assert garbage.collect_on_gui_thread(qapp) is collector
    assert not gc.isenabled()


def test_a_busy_worker_never_collects(qtbot: Any, ops: Any, collections: list[str]) -> None:
    _widget_cycles(50)

    def churn() -> int:
        # Far past every generation's threshold: with automatic collection on, this thread would collect.
        junk = []
        for i in range(50_000):
            node: dict[str, Any] = {"i": i}
            node["self"] = node
            junk.append(node)
        return len(junk)

    done: list[int] = []
    for _ in range(3):
        ops.run(churn, done.append)
    qtbot.waitUntil(lambda: len(done) == 3, timeout=20000)
    assert "yard-ops_0" not in collections
    assert all(name == threading.main_thread().name for name in collections)


def test_the_timer_collects_what_is_due_on_the_gui_thread(qtbot: Any, qapp: Any,
                                                        collections: list[str]) -> None:
    garbage.collect_on_gui_thread(qapp)
    gc.collect()
    collections.clear()
    _widget_cycles(800)  # past generation 0's threshold
    assert collections == []  # nothing collects on allocation any more
    qtbot.waitUntil(lambda: len(collections) > 0, timeout=5000)
    assert set(collections) == {threading.main_thread().name}
    assert gc.get_count()[0] <= gc.get_threshold()[0]


def test_a_full_collection_runs_at_most_once_a_minute(qapp: Any, collections: list[str]) -> None:
    generations: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    now = [1000.0]
    collector = garbage.GuiThreadCollector(monotonic=lambda: now[0])
    collector.timer.stop()
    gc.callbacks.append(record)
    try:
        for _ in range(gc.get_threshold()[2] + 1):
            gc.collect(1)  # each counts towards the oldest generation
        generations.clear()
        collector.collect_due()
        assert 2 not in generations  # due by count, but the last full collection was just now
        now[0] += garbage.FULL_COLLECTION_EVERY_S
        collector.collect_due()
        assert generations[-1] == 2 and gc.get_count()[2] == 0
    finally:
        gc.callbacks.remove(record)
        collector.deleteLater()
