"""The one door for background work: a single worker thread, results delivered on the GUI thread.

``Door`` is what screens use: ``door.read(query)`` and ``door.write(operation, changes=...)`` run a function
of the session on the worker (one session per call, committed when it returns), hand the typed result or
typed error back on the GUI thread, and after a write announce ``changed(kinds)`` so every screen showing
those kinds refreshes itself. The door also watches the audit trail, so work done by the command line or
another station is announced the same way. ``Ops`` underneath is the worker itself.

Every database write goes through ``Ops.run`` so there is exactly one writer (SQLite allows one; see
STACK.md trap 5), and the window never freezes on the database, a PDF or a signature. Errors are sorted by
type: ``UserError`` and ``EnvironmentProblemError`` (any ``InspectorError``) go to ``on_error``, or to a
default handler that shows them in words; anything else is a bug and goes to the crash handler
(``sys.excepthook``, which ``ui.app`` points at it).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from inspector.changes import Change
from inspector.errors import InspectorError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.datadir import DataDir
    from inspector.storage.db import Store

T = TypeVar("T")

log = logging.getLogger(__name__)

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
        return _gone(self.owner, self.on_done, self.on_error)


def _gone(owner: QObject | None, *callbacks: Callable[..., Any] | None) -> bool:
    """``owner``, or the object of a bound-method callback, is a deleted Qt object."""
    owners = [owner, *(getattr(c, "__self__", None) for c in callbacks)]
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
    def closed(self) -> bool:
        return self._closed

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


# How often the door looks in the audit trail for changes made by other programs or stations, and how
# often while the database cannot be read.
WATCH_INTERVAL_MS = 2000
SLOW_WATCH_INTERVAL_MS = 30_000


class Door(QObject):
    """Runs operations of the session on the one worker and announces what they changed.

    Signals:
        changed(frozenset[Change]): kinds of data changed by an operation of this window, or by another
            program or station (seen in the audit trail). AUDIT comes with every write.
    """

    changed = Signal(object)

    def __init__(self, ops: Ops, store: Store, *, watch_ms: int | None = WATCH_INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._store = store
        # The audit trail's newest sequence number this door has announced; read and written on the worker.
        self._mark: int | None = None
        self._watch_ms = watch_ms or WATCH_INTERVAL_MS
        self._watch = QTimer(self)
        self._watch.timeout.connect(self.look_for_changes)
        if watch_ms is not None:
            self._watch.start(watch_ms)
            ops.run(self._take_mark, lambda _mark: None)

    @property
    def ops(self) -> Ops:
        return self._ops

    @property
    def store(self) -> Store:
        """For operations on the whole store (backup, the integrity check); screens do not use it."""
        return self._store

    @property
    def data_dir(self) -> DataDir:
        return self._store.data_dir

    def read(self, query: Callable[[Session], T], on_done: Callable[[T], None],
             on_error: Callable[[InspectorError], None] | None = None, *,
             owner: QObject | None = None) -> int:
        """Run ``query(session)`` on the worker in a session of its own; ``on_done(result)`` on the GUI
        thread."""

        def job() -> T:
            with self._store.session() as session:
                return query(session)

        return self._ops.run(job, on_done, on_error, owner=owner)

    def write(self, operation: Callable[[Session], T], on_done: Callable[[T], None] | None = None,
              on_error: Callable[[InspectorError], None] | None = None, *, changes: Iterable[Change],
              owner: QObject | None = None) -> int:
        """Run ``operation(session)`` on the worker and commit; ``on_done(result)`` on the GUI thread, then
        ``changed`` with ``changes`` (and whatever else the audit trail shows changed meanwhile).

        Nothing is announced when the operation fails: its transaction was rolled back."""
        declared = frozenset(changes) | {Change.AUDIT}

        def job() -> tuple[T, frozenset[Change]]:
            with self._store.session() as session:
                result = operation(session)
            return result, declared | self._changes_after(declared)

        # Owned by the door: when the window (and its door) is gone, nothing is delivered or announced.
        return self._ops.run(job, self._deliver(on_done, on_error, owner),
                             self._failed(on_done, on_error, owner), owner=self)

    def run(self, job: Callable[[], T], on_done: Callable[[T], None] | None = None,
            on_error: Callable[[InspectorError], None] | None = None, *, changes: Iterable[Change] = (),
            owner: QObject | None = None) -> int:
        """Run ``job()``, which opens what it needs itself (a whole-store check, a file, a signature), and
        announce ``changes`` when it returns (none for work that changes nothing stored)."""
        declared = frozenset(changes)

        def wrapped() -> tuple[T, frozenset[Change]]:
            result = job()
            return result, (declared | self._changes_after(declared)) if declared else frozenset()

        return self._ops.run(wrapped, self._deliver(on_done, on_error, owner),
                             self._failed(on_done, on_error, owner), owner=self)

    def announce(self, changes: Iterable[Change]) -> None:
        """Tell the screens that ``changes`` happened."""
        kinds = frozenset(changes)
        if kinds:
            self.changed.emit(kinds)

    @Slot()
    def look_for_changes(self) -> None:
        """Ask the audit trail what other programs or stations changed; announce it when anything did.

        Skipped while operations are queued: a write's own look, or the next tick, covers the same ground.
        A look that fails (the disk or the database is unusable) is logged, not shown: the operation that
        needs the database says so in words. The door then looks less often until a look succeeds."""
        if self._ops.pending == 0 and not self._ops.closed:
            self._ops.run(self._changes_since_mark, self._on_ops_looked, self._on_ops_look_failed, owner=self)

    def _on_ops_looked(self, changes: frozenset[Change]) -> None:
        if self._watch.isActive() and self._watch.interval() != self._watch_ms:
            log.info("the audit trail can be read again; looking for changes every %d ms", self._watch_ms)
            self._watch.setInterval(self._watch_ms)
        self.announce(changes)

    def _on_ops_look_failed(self, exc: InspectorError) -> None:
        if self._watch.interval() != SLOW_WATCH_INTERVAL_MS:
            log.warning("cannot look for other stations' changes: %s", exc)
            self._watch.setInterval(SLOW_WATCH_INTERVAL_MS)

    def stop_watching(self) -> None:
        self._watch.stop()

    def _deliver(self, on_done: Callable[[T], None] | None, on_error: Callable[[InspectorError], None] | None,
                 owner: QObject | None) -> Callable[[tuple[T, frozenset[Change]]], None]:
        def deliver(outcome: tuple[T, frozenset[Change]]) -> None:
            result, kinds = outcome
            # The screen that asked hears first, unless it was closed meanwhile; every screen hears what
            # changed, even when the one that asked is gone or its callback fails.
            try:
                if on_done is not None and not _gone(owner, on_done, on_error):
                    on_done(result)
            finally:
                self.announce(kinds)

        return deliver

    def _failed(self, on_done: Callable[[T], None] | None, on_error: Callable[[InspectorError], None] | None,
                owner: QObject | None) -> Callable[[InspectorError], None] | None:
        if on_error is None:
            return None  # the worker's presenter shows it in words

        def failed(exc: InspectorError) -> None:
            if not _gone(owner, on_done, on_error):
                on_error(exc)

        return failed

    # --- on the worker --------------------------------------------------------------------------------

    def _take_mark(self) -> int:
        from inspector.queries.changes import audit_mark

        if self._mark is None:
            with self._store.session() as session:
                self._mark = audit_mark(session)
        return self._mark

    def _changes_after(self, declared: frozenset[Change]) -> frozenset[Change]:
        """What else changed since the mark, after a committed write. The write stands whatever happens
        here: a failed look only costs the others' kinds, which the next look finds."""
        try:
            return self._changes_since_mark()
        except Exception:
            log.warning("cannot read the audit trail after a committed write", exc_info=True)
            return declared

    def _changes_since_mark(self) -> frozenset[Change]:
        from inspector.queries.changes import changes_since

        if self._mark is None:
            self._take_mark()
            return frozenset()
        assert self._mark is not None
        with self._store.session() as session:
            since = changes_since(session, self._mark)
        self._mark = since.mark
        return since.changes
