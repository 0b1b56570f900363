"""The one door for background work: a single worker thread, results delivered on the GUI thread.

Every database write goes through ``Ops.run`` so there is exactly one writer (SQLite allows one; see
STACK.md trap 5), and the window never freezes on the database, a PDF or a signature. Errors are sorted by
type: ``UserError`` and ``EnvironmentProblemError`` (any ``InspectorError``) go to ``on_error``, or to a
default handler that shows them in words; anything else is a bug and goes to the crash handler
(``sys.excepthook``, which ``ui.app`` points at it).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from inspector.errors import InspectorError

ErrorPresenter = Callable[[InspectorError], None]
BugHandler = Callable[[BaseException], None]


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_done: Callable[[Any], None]
    on_error: Callable[[InspectorError], None] | None
    owner: QObject | None

    def owner_gone(self) -> bool:
        """The widget or model the result was for has been deleted (closed window): drop the result."""
        owners = [self.owner, getattr(self.on_done, "__self__", None),
                  getattr(self.on_error, "__self__", None)]
        return any(isinstance(o, QObject) and not shiboken6.isValid(o) for o in owners)


def report_bug(exc: BaseException) -> None:
    """Hand an unexpected exception to the installed crash handler."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


class Ops(QObject):
    """Runs ``fn()`` on one worker thread and calls ``on_done(result)`` / ``on_error(exc)`` on the GUI thread.

    The worker never holds the last reference to anything a job brought along: a job's function (often a
    closure over a widget), its result and its exception live in ``_jobs`` / ``_outcomes``, owned by the
    GUI thread, and the worker lets go of its own references before it signals. Otherwise a widget could be
    freed on the worker thread, which destroys it outside the GUI thread and crashes the event loop later.

    Signals:
        busy_changed(int): the number of jobs queued or running, after it changed.
    """

    busy_changed = Signal(int)
    # Emitted from the worker thread; the receiver lives on the GUI thread, so Qt queues the call there.
    _job_finished = Signal(int)

    def __init__(self, parent: QObject | None = None, *, show_error: ErrorPresenter | None = None,
                 on_bug: BugHandler = report_bug) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yard-ops")
        self._jobs: dict[int, _Job] = {}
        self._outcomes: dict[int, tuple[bool, object]] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._closed = False
        self._show_error = show_error
        self._on_bug = on_bug
        self._worker_ident: int | None = None
        self._job_finished.connect(self._on_worker_job_finished)

    @property
    def pending(self) -> int:
        return len(self._jobs)

    @property
    def worker_thread_ident(self) -> int | None:
        """The worker thread's identifier once it has run a job (tests check the single writer)."""
        return self._worker_ident

    def set_error_presenter(self, show_error: ErrorPresenter) -> None:
        self._show_error = show_error

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[InspectorError], None] | None = None, *, owner: QObject | None = None) -> int:
        """Queue ``fn`` behind the jobs already queued; returns the job's number.

        ``fn`` always runs (a queued write is never lost); the callbacks are skipped when ``owner`` (or the
        object of a bound-method callback) has been deleted meanwhile.
        """
        if self._closed:
            raise RuntimeError("Ops is shut down; no more background work can be queued")
        job_id = self._next_id
        self._next_id += 1
        with self._lock:
            self._jobs[job_id] = _Job(fn=fn, on_done=on_done, on_error=on_error, owner=owner)
        self._executor.submit(self._execute, job_id)
        self.busy_changed.emit(len(self._jobs))
        return job_id

    def _execute(self, job_id: int) -> None:
        self._worker_ident = threading.get_ident()
        with self._lock:
            fn = self._jobs[job_id].fn
        outcome: tuple[bool, object]
        try:
            outcome = (True, fn())
        except BaseException as exc:  # every failure travels back to the GUI thread
            outcome = (False, exc)
        del fn
        with self._lock:
            self._outcomes[job_id] = outcome
        del outcome  # from here on the GUI thread holds the only references
        self._job_finished.emit(job_id)

    @Slot(int)
    def _on_worker_job_finished(self, job_id: int) -> None:
        with self._lock:
            job = self._jobs.pop(job_id, None)
            ok, value = self._outcomes.pop(job_id, (False, None))
        if job is None or self._closed:
            return
        self.busy_changed.emit(len(self._jobs))
        if job.owner_gone():
            return
        if ok:
            job.on_done(value)
            return
        assert isinstance(value, BaseException)
        if isinstance(value, InspectorError):
            if job.on_error is not None:
                job.on_error(value)
            elif self._show_error is not None:
                self._show_error(value)
            else:
                self._on_bug(value)
            return
        self._on_bug(value)

    def shutdown(self) -> None:
        """Finish the running and queued jobs, then stop the worker; results not yet delivered are dropped."""
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=True)
        with self._lock:
            self._jobs.clear()
            self._outcomes.clear()
