"""The live weight: large digits readable from a truck cab, the state in words and symbols, link health.

``ReaderBridge`` carries ``ReaderEvent``s from the reader thread (``inspector.weighing.reader``) to the GUI
thread: its ``post`` may be called from any thread and emits a signal that Qt queues to the receiver's
thread. ``LiveWeightWidget`` shows the latest frame; a frame older than the stale limit is never shown as
live (the digits blank and the widget says "no weight"). Stable, motion, stale and out-of-range are told by
text and a symbol as well as by colour. While a stable reading has not yet lasted the yard's stability delay
(the monitor's ``CaptureDecision.wait_s``), the widget counts down the seconds left ("steadying"), re-read
with the stale check five times a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from inspector.weighing.capture import STALE_AFTER_S, CaptureDecision, LiveMonitor, Refusal
from inspector.weighing.frame import Frame, Mode, StabilityMethod
from inspector.weighing.profiles import HealthSnapshot
from inspector.weighing.reader import ReaderEvent
from ui import words

DIGITS_POINT_SIZE = 72
STATUS_POINT_SIZE = 22
STALE_CHECK_MS = 200

# Background per state; the text and symbol carry the same meaning for those who cannot tell the colours.
_STATE_STYLE = {
    "stable": "background-color: #0b6623; color: #ffffff;",
    "steadying": "background-color: #1f5f8b; color: #ffffff;",
    "motion": "background-color: #b36b00; color: #ffffff;",
    "settling": "background-color: #6b5b00; color: #ffffff;",
    "over": "background-color: #a00000; color: #ffffff;",
    "under": "background-color: #a00000; color: #ffffff;",
    "error": "background-color: #a00000; color: #ffffff;",
    "stale": "background-color: #404040; color: #ffffff;",
}


class ReaderBridge(QObject):
    """Signals:
    event_arrived(object): a ``ReaderEvent``, delivered on the thread the receiver lives in.
    """

    event_arrived = Signal(object)

    def post(self, event: ReaderEvent) -> None:
        """Thread-safe: hand this to ``ScaleReader``/``LiveScale`` as ``on_event``."""
        self.event_arrived.emit(event)


class LiveWeightWidget(QWidget):
    """Signals:
    state_changed(str): the shown state: stable, steadying (stable, counting down the stability delay),
        motion, settling, over, under, error or stale.
    """

    state_changed = Signal(str)

    def __init__(self, *, bridge: ReaderBridge | None = None, monitor: LiveMonitor | None = None,
                 monotonic_ns: Callable[[], int] = time.monotonic_ns, stale_after_s: float = STALE_AFTER_S,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = monotonic_ns
        self._stale_ns = int(stale_after_s * 1e9)
        self._monitor = monitor
        self._frame: Frame | None = None
        self._health: HealthSnapshot | None = None
        self._error: str | None = None
        self._state = ""
        # What the weight on the deck is being weighed as: a tare is read in the indicator's gross mode, but
        # the inspector weighing the empty truck reads "TARE" on the panel.
        self._weighing_tare = False
        self.last_latency_ns: int | None = None  # arrival of the frame shown -> shown (for the benchmark)

        self.digits_label = QLabel(self)
        self.digits_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        digits_font = QFont("monospace")
        digits_font.setStyleHint(QFont.StyleHint.Monospace)
        digits_font.setPointSize(DIGITS_POINT_SIZE)
        digits_font.setBold(True)
        self.digits_label.setFont(digits_font)
        self.digits_label.setMinimumWidth(7 * DIGITS_POINT_SIZE)
        self.unit_label = QLabel(self)
        unit_font = QFont(digits_font)
        unit_font.setPointSize(DIGITS_POINT_SIZE // 2)
        self.unit_label.setFont(unit_font)
        self.mode_label = QLabel(self)
        mode_font = QFont(self.font())
        mode_font.setPointSize(STATUS_POINT_SIZE)
        mode_font.setBold(True)
        self.mode_label.setFont(mode_font)
        self.status_label = QLabel(self)
        self.status_label.setFont(mode_font)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setMargin(6)
        self.capture_label = QLabel(self)
        self.capture_label.setWordWrap(True)
        self.health_label = QLabel(self)
        self.health_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.mode_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addStretch(1)
        top.addWidget(self.digits_label, 0)
        top.addWidget(self.unit_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.capture_label)
        layout.addWidget(self.health_label)

        self._stale_timer = QTimer(self)
        self._stale_timer.setInterval(STALE_CHECK_MS)
        self._stale_timer.timeout.connect(self._on_stale_timer_timeout)
        self._stale_timer.start()
        if bridge is not None:
            bridge.event_arrived.connect(self._on_bridge_event_arrived)
        self._render()

    # -- input -------------------------------------------------------------------------------------------

    @Slot(object)
    def _on_bridge_event_arrived(self, event: ReaderEvent) -> None:
        self.show_event(event)

    def show_event(self, event: ReaderEvent) -> None:
        if event.frame is not None:
            self._frame = event.frame
        self._health = event.health
        self._error = words.error(event.problem) if event.problem is not None else event.error
        self._render()
        if event.frame is not None:
            self.last_latency_ns = self._clock() - event.frame.received_ns

    @Slot()
    def _on_stale_timer_timeout(self) -> None:
        self._render()

    # -- state -------------------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    def live_frame(self) -> Frame | None:
        """The frame on show, or None when there is none or it is stale."""
        frame = self._frame
        if frame is None or self._clock() - frame.received_ns >= self._stale_ns:
            return None
        return frame

    def _state_of(self, frame: Frame | None) -> str:
        if frame is None:
            return "stale"
        if frame.error is not None:
            return "error"
        if frame.overload:
            return "over"
        if frame.underload:
            return "under"
        if frame.stable is None:
            return "settling"
        return "stable" if frame.stable else "motion"

    @staticmethod
    def _steadying(decision: CaptureDecision | None) -> bool:
        return decision is not None and Refusal.STEADY_TOO_SHORT in decision.reasons

    def _status_text(self, state: str, frame: Frame | None, decision: CaptureDecision | None = None) -> str:
        if state == "steadying":
            assert decision is not None
            return self.tr("⏱ STEADYING: %1 s to go").replace("%1", f"{decision.wait_s:.1f}")
        if state == "stale":
            return self.tr("⌛ NO WEIGHT: the indicator is silent")
        assert frame is not None
        if state == "error":
            error = words.word("indicator_error", frame.error or "")
            return self.tr("⚠ INDICATOR ERROR: %1").replace("%1", error)
        if state == "over":
            return self.tr("▲ OVER RANGE")
        if state == "under":
            return self.tr("▼ UNDER ZERO RANGE")
        if state == "settling":
            return self.tr("… SETTLING")
        if state == "motion":
            return self.tr("≈ MOTION")
        text = self.tr("✔ STABLE")
        if frame.center_zero:
            text += self.tr("  →0← ZERO")
        if frame.stability_method is StabilityMethod.SOFTWARE:
            text += self.tr(" (judged by software)")
        return text

    def weigh_as_tare(self, tare: bool) -> None:
        """Say whether the truck on the deck is being weighed empty (the tare step) or loaded."""
        self._weighing_tare = tare
        self._render()

    def _mode_text(self, frame: Frame | None) -> str:
        if frame is None:
            return ""
        if frame.mode is Mode.GROSS and self._weighing_tare:
            return self.tr("TARE")
        names = {Mode.GROSS: self.tr("GROSS"), Mode.NET: self.tr("NET"), Mode.TARE: self.tr("TARE")}
        return names[frame.mode]

    def _capture_text(self, decision: CaptureDecision | None) -> str:
        if decision is None:
            return ""
        if decision.allowed:
            return self.tr("Ready to capture.")
        reasons = words.clauses(words.word("capture_refusal", r) for r in decision.reasons)
        return self.tr("Cannot capture: %1.").replace("%1", reasons)

    def _health_text(self) -> str:
        if self._error:
            return self.tr("Link: %1").replace("%1", self._error)
        health = self._health
        if health is None:
            return self.tr("Link: waiting for the indicator")
        if health.rejected_last_minute == 0:
            return self.tr("Link: good (%1 frames)").replace("%1", str(health.frames))
        return self.tr("Link: %1 bad frame(s) in the last minute").replace(
            "%1", str(health.rejected_last_minute))

    def _render(self) -> None:
        frame = self.live_frame()
        state = self._state_of(frame)
        if frame is None or state in ("over", "under", "error"):
            digits = {"over": "^^^^^^", "under": "vvvvvv"}.get(state, "------")
        else:
            digits = frame.text
        self.digits_label.setText(digits)
        self.unit_label.setText(frame.unit if frame is not None else "")
        self.mode_label.setText(self._mode_text(frame))
        decision = self._monitor.decision() if self._monitor is not None else None
        if state == "stable" and self._steadying(decision):
            state = "steadying"
        self.status_label.setText(self._status_text(state, frame, decision))
        self.status_label.setStyleSheet(_STATE_STYLE[state])
        self.digits_label.setAccessibleName(self.tr("Live weight"))
        self.capture_label.setText(self._capture_text(decision))
        self.health_label.setText(self._health_text())
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)
