"""The capture gate: when a reading may become a recorded weight, and why not otherwise.

A weight may be captured only when it is stable, in range, in gross mode, in the configured unit, not an
expanded (x10) display, a whole number of units, and the scale has returned to zero since the previous
vehicle (OIML R76 / Canada SI/98-81 s.45 and s.65). As unattended weighbridge systems in China do, a yard may
also ask for the stable reading to have lasted a few seconds at the same weight (``stable_delay_s``, within
the stability band of +-3 e) before it is taken: a truck still rocking on its springs, or a driver stepping
off the deck, settles within that time. ``check_capture`` is the pure rule; ``LiveMonitor`` keeps the state
the rule needs (latest frame, staleness, return to zero, jumps, how long the reading has been steady) for one
scale connection, judged by an injected monotonic clock.
"""

from __future__ import annotations

import enum
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from inspector import messages
from inspector.errors import UserError
from inspector.messages import Language, Term
from inspector.weighing.frame import Frame, Mode, StabilityMethod

STALE_AFTER_S = 1.0
# The stability band of a steady reading, in divisions (as the software stability window and the jump check).
STEADY_BAND_DIVISIONS = 3


class Refusal(enum.StrEnum):
    """Why a reading cannot be captured (stable codes: tests, the CLI and the UI use them; their words are
    ``words.capture_refusal`` in the catalogue, see ``refusal_term``)."""

    NO_READING = "no-reading"
    STALE = "stale"
    INDICATOR_ERROR = "indicator-error"
    MOTION = "motion"
    STABILITY_UNKNOWN = "stability-unknown"
    OVERLOAD = "overload"
    UNDERLOAD = "underload"
    NOT_GROSS = "not-gross"
    UNIT = "unit-mismatch"
    EXPANDED = "expanded-display"
    NOT_WHOLE = "not-whole-units"
    NO_LOAD = "no-load"
    NO_RETURN_TO_ZERO = "no-return-to-zero"
    JUMP = "jump-while-stable"
    STEADY_TOO_SHORT = "stable-too-short"


def refusal_term(refusal: Refusal) -> Term:
    """A refusal as a message parameter, worded in the reader's language."""
    return Term("capture_refusal", refusal.value)


@dataclass(frozen=True)
class ScaleConfig:
    """What the capture rule needs to know of a scale: its unit, division (e) and capacity (Max), and how
    long a stable reading must have lasted before it is taken (``stable_delay_s``; 0: as soon as it is
    stable)."""

    unit: str = "kg"
    division: int = 10
    capacity: int = 80000
    scale_id: str = ""
    profile: str = ""
    stable_delay_s: float = 0

    @property
    def stable_delay_ns(self) -> int:
        return int(self.stable_delay_s * 1e9)

    @property
    def zero_band(self) -> int:
        """Readings within one division of zero count as "empty scale"."""
        return self.division

    @property
    def range_limit(self) -> int:
        """Above Max + 9 e an indicator must blank; treat anything above it as overload."""
        return self.capacity + 9 * self.division


def whole_units(frame: Frame) -> int | None:
    """The frame's weight as a whole number of its unit, or None if it has a fractional part."""
    if frame.decimals <= 0:
        return frame.weight
    factor = 10**frame.decimals
    if frame.weight % factor:
        return None
    whole: int = frame.weight // factor
    return whole


@dataclass(frozen=True)
class CaptureDecision:
    """Every reason the reading may not be captured (none: it may). ``wait_ns`` is how much longer a stable
    reading must stay as it is before the yard's stability delay has passed (0 when it has, or when the
    reading is not stable at all)."""

    frame: Frame | None
    reasons: tuple[Refusal, ...]
    wait_ns: int = 0

    @property
    def allowed(self) -> bool:
        return not self.reasons

    @property
    def wait_s(self) -> float:
        """``wait_ns`` in seconds, rounded up to a tenth (a countdown never says "0.0" while it refuses)."""
        return math.ceil(self.wait_ns / 1e8) / 10

    def describe(self, lang: Language = "en") -> str:
        """Every reason the reading may not be captured, in words (or that it may be)."""
        if not self.reasons:
            return messages.text("weighing.capture.allowed", lang) or "capturable"
        return messages.render([refusal_term(r) for r in self.reasons], lang)


def check_capture(frame: Frame | None, *, config: ScaleConfig, zero_seen: bool, stale: bool = False,
                  jump_seen: bool = False, steady_ns: int | None = None) -> CaptureDecision:
    """The capture rule, as a pure function: every reason the reading may not be captured, or none.

    ``steady_ns`` is how long the reading has been stable at this weight; None where nobody watched it over
    time (a stored frame judged again), and the stability delay is then not judged.
    """
    if frame is None:
        return CaptureDecision(None, (Refusal.NO_READING,))
    reasons: list[Refusal] = []
    if stale:
        reasons.append(Refusal.STALE)
    if frame.error is not None:
        reasons.append(Refusal.INDICATOR_ERROR)
    if frame.stable is None:
        if frame.in_range:  # an over-range indicator cannot say; "overload" is the reason that matters
            reasons.append(Refusal.STABILITY_UNKNOWN)
    elif not frame.stable:
        reasons.append(Refusal.MOTION)
    whole = whole_units(frame)
    if frame.overload or (whole is not None and whole > config.range_limit):
        reasons.append(Refusal.OVERLOAD)
    if frame.underload:
        reasons.append(Refusal.UNDERLOAD)
    if frame.mode is not Mode.GROSS:
        reasons.append(Refusal.NOT_GROSS)
    if frame.unit != config.unit:
        reasons.append(Refusal.UNIT)
    if frame.expanded:
        reasons.append(Refusal.EXPANDED)
    if whole is None:
        reasons.append(Refusal.NOT_WHOLE)
    elif whole <= config.zero_band and not (frame.overload or frame.underload):
        reasons.append(Refusal.NO_LOAD)
    if not zero_seen:
        reasons.append(Refusal.NO_RETURN_TO_ZERO)
    if jump_seen:
        reasons.append(Refusal.JUMP)
    wait_ns = 0
    if frame.stable and steady_ns is not None and steady_ns < config.stable_delay_ns:
        wait_ns = config.stable_delay_ns - max(0, steady_ns)
        reasons.append(Refusal.STEADY_TOO_SHORT)
    return CaptureDecision(frame, tuple(reasons), wait_ns)


def is_zero(frame: Frame, config: ScaleConfig) -> bool:
    """A stable, valid, in-range reading at (or within one division of) zero: the deck is empty."""
    if frame.stable is not True or frame.error is not None or not frame.in_range:
        return False
    if frame.center_zero:
        return True
    whole = whole_units(frame)
    return whole is not None and abs(whole) <= config.zero_band


@dataclass(frozen=True)
class CapturedWeight:
    """A reading the capture rule allowed: what the weighing service stores."""

    weight: int
    unit: str
    stability: StabilityMethod
    raw: bytes
    scale_id: str
    frame: Frame
    profile: str = ""

    @property
    def raw_hex(self) -> str:
        return self.raw.hex()


class CaptureRefusedError(UserError):
    """The live reading may not be captured now; ``reasons`` says why."""

    def __init__(self, decision: CaptureDecision) -> None:
        super().__init__("weighing.capture_refused", field="weight",
                         reasons=[refusal_term(r) for r in decision.reasons])
        self.reasons = decision.reasons


class LiveMonitor:
    """The live state of one scale: the latest frame, staleness, zero return, jumps and how long the
    reading has been steady; thread-safe.

    ``observe(frame)`` is called for every frame (from the reader thread); ``decision()`` and ``capture()``
    from anywhere. After the captured weight is stored, ``commit_capture()`` requires the scale to return to
    zero before the next capture. ``zero_seen`` starts False in the application (a vehicle already on the deck
    at start-up must drive off first) and True for a one-off command-line read.

    A steady run starts at the first stable, valid, in-range frame and lasts while every following frame is
    stable, in the same unit, mode and decimals, and within +-3 e of that first one, with no silence longer
    than the stale limit between them; its length is the monotonic clock now minus the first frame's arrival.
    """

    def __init__(self, config: ScaleConfig, *, monotonic_ns: Callable[[], int] = time.monotonic_ns,
                 stale_after_s: float = STALE_AFTER_S, zero_seen: bool = False) -> None:
        self.config = config
        self._clock = monotonic_ns
        self._stale_ns = int(stale_after_s * 1e9)
        self._lock = threading.Lock()
        self._latest: Frame | None = None
        self._zero_seen = zero_seen
        self._jump_seen = False
        self._steady_from: Frame | None = None  # the first frame of the current steady run

    def observe(self, frame: Frame) -> None:
        with self._lock:
            previous = self._latest
            self._latest = frame
            self._follow_steady_run(previous, frame)
            if is_zero(frame, self.config):
                self._zero_seen = True
                self._jump_seen = False
                return
            # A remote-control device changes the reading of a loaded deck without the motion a real load
            # change causes. (From an empty deck, a slow indicator may miss the motion of driving on.)
            if (previous is not None and previous.stable and frame.stable
                    and not is_zero(previous, self.config)
                    and previous.stability_method == frame.stability_method
                    and abs(frame.weight - previous.weight) > 3 * self.config.division * 10**frame.decimals
                    and previous.decimals == frame.decimals):
                self._jump_seen = True

    def _follow_steady_run(self, previous: Frame | None, frame: Frame) -> None:
        if frame.stable is not True or frame.error is not None or not frame.in_range:
            self._steady_from = None
            return
        first = self._steady_from
        band = STEADY_BAND_DIVISIONS * self.config.division * 10**frame.decimals
        if (first is None or previous is None
                or frame.received_ns - previous.received_ns >= self._stale_ns
                or (first.unit, first.mode, first.decimals) != (frame.unit, frame.mode, frame.decimals)
                or abs(frame.weight - first.weight) > band):
            self._steady_from = frame

    def steady_ns(self) -> int | None:
        """How long the reading has been steady (see the class docstring), or None when it is not."""
        with self._lock:
            return self._steady_ns()

    def _steady_ns(self) -> int | None:
        first = self._steady_from
        return None if first is None else max(0, self._clock() - first.received_ns)

    def latest(self) -> Frame | None:
        with self._lock:
            return self._latest

    def is_stale(self) -> bool:
        with self._lock:
            return self._is_stale()

    def _is_stale(self) -> bool:
        latest = self._latest
        return latest is None or self._clock() - latest.received_ns >= self._stale_ns

    @property
    def zero_seen(self) -> bool:
        with self._lock:
            return self._zero_seen

    def decision(self) -> CaptureDecision:
        with self._lock:
            return check_capture(self._latest, config=self.config, zero_seen=self._zero_seen,
                                 stale=self._latest is not None and self._is_stale(),
                                 jump_seen=self._jump_seen, steady_ns=self._steady_ns())

    def capture(self) -> CapturedWeight:
        """The current reading as a weight to store, or ``CaptureRefusedError`` naming every reason not."""
        decision = self.decision()
        frame = decision.frame
        if not decision.allowed or frame is None:
            raise CaptureRefusedError(decision)
        weight = whole_units(frame)
        assert weight is not None  # the rule refused fractional weights
        return CapturedWeight(
            weight=weight,
            unit=frame.unit,
            stability=frame.stability_method or StabilityMethod.INDICATOR,
            raw=frame.raw,
            scale_id=self.config.scale_id,
            frame=frame,
            profile=self.config.profile,
        )

    def commit_capture(self) -> None:
        """The captured weight is stored: the next vehicle needs the scale back at zero first."""
        with self._lock:
            self._zero_seen = False
