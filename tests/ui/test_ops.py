"""Ops: one worker thread, results on the GUI thread, errors sorted by type, clean shutdown."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import pytest

from inspector.errors import EnvironmentProblemError, PermissionDeniedError, UserError
from ui.ops import Ops


def test_results_arrive_on_the_gui_thread_from_one_worker(qtbot: Any, ops: Any) -> None:
    gui = threading.get_ident()
    workers: list[int] = []
    delivered: list[tuple[int, int]] = []

    def job(n: int) -> int:
        workers.append(threading.get_ident())
        return n * n

    for n in range(5):
        ops.run(lambda n=n: job(n), lambda result: delivered.append((result, threading.get_ident())))
    qtbot.waitUntil(lambda: len(delivered) == 5)
    assert [r for r, _ in delivered] == [0, 1, 4, 9, 16]  # in the order queued
    assert {t for _, t in delivered} == {gui}
    assert len(set(workers)) == 1 and workers[0] != gui
    assert ops.worker_thread_ident == workers[0]


def test_jobs_never_overlap(qtbot: Any, ops: Any) -> None:
    running = 0
    overlaps: list[int] = []
    done: list[int] = []
    lock = threading.Lock()
    release = threading.Event()

    def job(n: int) -> int:
        nonlocal running
        with lock:
            running += 1
            overlaps.append(running)
        if n == 0:
            release.wait(5)
        with lock:
            running -= 1
        return n

    for n in range(4):
        ops.run(lambda n=n: job(n), done.append)
    assert ops.pending == 4
    release.set()
    qtbot.waitUntil(lambda: len(done) == 4)
    assert max(overlaps) == 1
    assert ops.pending == 0


@pytest.mark.parametrize("error", [
    UserError("step.malformed_plate", field="plate", value="?"),
    EnvironmentProblemError("storage.disk_full", path="yard.db", detail="No space left on device"),
    PermissionDeniedError("role.denied", name="Viewer", user="viewer", action="approve this lot",
                          role="supervisor"),
])
def test_errors_a_person_can_fix_go_to_on_error(qtbot: Any, ops: Any, error: Exception) -> None:
    seen: list[BaseException] = []

    def fail() -> None:
        raise error

    ops.run(fail, lambda _r: pytest.fail("on_done must not run"), seen.append)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [error]
    assert ops.shown_errors == [] and ops.bugs == []


def test_without_on_error_they_are_shown_by_the_default_presenter(qtbot: Any, ops: Any) -> None:
    def fail() -> None:
        raise UserError("yard.supplier.not_found", field="supplier")

    ops.run(fail, lambda _r: None)
    qtbot.waitUntil(lambda: bool(ops.shown_errors))
    assert str(ops.shown_errors[0]) == "supplier: No such supplier. Search for the supplier or add it."


def test_any_other_exception_is_a_bug_for_the_crash_handler(qtbot: Any) -> None:
    bugs: list[BaseException] = []
    handled: list[BaseException] = []
    ops = Ops(show_error=handled.append, on_bug=bugs.append)
    try:
        ops.run(lambda: 1 // 0, lambda _r: None, handled.append)
        qtbot.waitUntil(lambda: bool(bugs))
    finally:
        ops.shutdown()
    assert isinstance(bugs[0], ZeroDivisionError)
    assert bugs[0].__traceback__ is not None  # the crash log gets the worker's traceback
    assert handled == []


def test_busy_count_is_signalled(qtbot: Any, ops: Any) -> None:
    counts: list[int] = []
    ops.busy_changed.connect(counts.append)
    done: list[object] = []
    ops.run(lambda: 1, done.append)
    qtbot.waitUntil(lambda: bool(done))
    assert counts == [1, 0]


def test_shutdown_finishes_queued_work_and_refuses_more(qtbot: Any) -> None:
    ops = Ops(on_bug=lambda exc: pytest.fail(f"bug: {exc!r}"))
    ran: list[int] = []
    gate = threading.Event()

    def job(n: int) -> None:
        gate.wait(5)
        ran.append(n)

    for n in range(3):
        ops.run(lambda n=n: job(n), lambda _r: None)
    gate.set()
    ops.shutdown()
    assert ran == [0, 1, 2]  # every queued write reached the database before the worker stopped
    assert ops.pending == 0
    with pytest.raises(RuntimeError):
        ops.run(lambda: None, lambda _r: None)
    ops.shutdown()  # a second shutdown is harmless


def test_results_for_a_deleted_owner_are_dropped_but_the_work_is_done(qtbot: Any, ops: Any) -> None:
    from PySide6.QtCore import QObject

    owner = QObject()
    ran: list[int] = []
    delivered: list[object] = []
    gate = threading.Event()

    def job() -> int:
        gate.wait(5)
        ran.append(1)
        return 1

    ops.run(job, delivered.append, owner=owner)
    ops.run(lambda: 2, delivered.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))
    gate.set()
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert ran == [1]
    assert delivered == [2]


def test_widgets_a_job_holds_are_freed_on_the_gui_thread(qtbot: Any, ops: Any) -> None:
    """A job's closure is often the last holder of a widget (a page rebuilt, a window closed meanwhile): it
    must die on the GUI thread, never on the worker (a native crash later, in the event loop)."""
    import weakref

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    died_on: list[str] = []
    delivered: list[int] = []
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # hand the GIL back and forth as often as possible: races show up
    try:
        for n in range(200):
            widget = QWidget()  # no parent: freeing the wrapper destroys the widget
            weakref.finalize(widget, lambda: died_on.append(threading.current_thread().name))
            ops.run(lambda w=widget, n=n: n, delivered.append)
            del widget
            # Deliver as soon as the worker signals, while it may still be finishing the job.
            deadline = time.monotonic() + 10
            while len(delivered) <= n and time.monotonic() < deadline:
                QCoreApplication.processEvents()
            assert len(delivered) > n, f"job {n} was not delivered"
    finally:
        sys.setswitchinterval(switch_interval)
    qtbot.waitUntil(lambda: len(died_on) == 200, timeout=20000)
    assert set(died_on) == {threading.main_thread().name}
