"""Stability decided in software, for indicators that send no motion flag (XK3190-A9 continuous output).

Legal-for-trade rule (OIML R76 family; Canada SI/98-81 s.45 and the older 0.4 s requirement): a truck scale
may only store a weight while the indication stays within +-3 verification intervals (e) for at least 0.4 s.
``SoftwareStability`` marks a frame stable when every frame received in the last ``window_s`` (and at least
``min_frames`` of them) lies within ``band_divisions`` divisions of it, and records the decision as
``StabilityMethod.SOFTWARE``. A gap longer than ``max_gap_s`` between frames breaks the run: a silent line
proves nothing about the load.
"""

from __future__ import annotations

from collections import deque

from inspector.weighing.frame import Frame, StabilityMethod


class SoftwareStability:
    """Per connection. ``apply(frame)`` sets ``frame.stable`` and ``frame.stability`` in place."""

    def __init__(self, *, division: int, window_s: float = 0.4, band_divisions: int = 3,
                 min_frames: int = 3, max_gap_s: float = 1.0) -> None:
        if division <= 0:
            raise ValueError("division must be a positive number of scale units")
        self.band = band_divisions * division
        self.window_ns = int(window_s * 1e9)
        self.min_frames = min_frames
        self.max_gap_ns = int(max_gap_s * 1e9)
        # Bounded: at any real indicator rate (<= 100 frames/s) this covers several windows.
        self._history: deque[tuple[int, int]] = deque(maxlen=256)

    def apply(self, frame: Frame) -> Frame:
        frame.stable = self.observe(frame.weight, frame.received_ns, in_range=frame.in_range)
        frame.stability = StabilityMethod.SOFTWARE
        return frame

    def observe(self, weight: int, now_ns: int, *, in_range: bool = True) -> bool:
        history = self._history
        if history and now_ns - history[-1][0] > self.max_gap_ns:
            history.clear()
        history.append((now_ns, weight))
        # Keep one frame at or beyond the window's start, so the run can be seen to span the whole window.
        horizon = now_ns - self.window_ns
        while len(history) > 1 and history[1][0] <= horizon:
            history.popleft()
        if not in_range or now_ns - history[0][0] < self.window_ns:
            return False
        band, window, need = self.band, self.window_ns, self.min_frames
        for count, (at, value) in enumerate(reversed(history), start=1):
            if abs(value - weight) > band:
                return False
            if count >= need and now_ns - at >= window:
                return True
        return False

    def reset(self) -> None:
        self._history.clear()
