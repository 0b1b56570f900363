"""Python's cycle collector runs on the GUI thread only.

The collector runs in whichever thread happens to allocate when a generation fills up. In this application
that is often the ``ops`` worker (SQLAlchemy makes many short-lived cycles there), and a collection there
frees widget wrappers from earlier screens and pages: a Qt object destroyed or touched outside the GUI
thread, and later a native crash inside the event loop, now and then. So automatic collection is switched
off for the life of the process and a timer on the GUI thread collects instead, generation by generation as
the counts pass Python's own thresholds. A full collection (the oldest generation, the one that can stall
the window on a large heap) runs at most once a minute.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_INTERVAL_MS = 250
FULL_COLLECTION_EVERY_S = 60.0

_installed: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    """Switches automatic collection off; ``collect_due`` (on its timer) does the work on this thread."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = CHECK_INTERVAL_MS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._monotonic = monotonic
        self._last_full = monotonic()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold; returns the objects found."""
        counts = gc.get_count()
        if counts[2] > self._thresholds[2] and self._monotonic() - self._last_full >= FULL_COLLECTION_EVERY_S:
            self._last_full = self._monotonic()
            return gc.collect(2)
        for generation in (1, 0):
            if counts[generation] > self._thresholds[generation]:
                return gc.collect(generation)
        return 0


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """Install the collector for ``app`` (once; later calls return the same one)."""
    global _installed
    if _installed is None or not shiboken6.isValid(_installed):
        _installed = GuiThreadCollector(app)
    return _installed
