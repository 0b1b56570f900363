"""Reading an indicator over a serial port in a plain Python thread (no Qt), frame by frame.

``ScaleReader`` opens the port with the configured settings, sends the profile's poll commands if it has
any, feeds the bytes to the profile's ``Decoder`` and hands every frame (and every change of staleness or
port trouble) to a callback as a ``ReaderEvent``; with no callback the events go to ``reader.events``, a
queue. "No valid frame for 1 s" makes the reading stale, judged by an injectable monotonic clock, so a
stale weight is never shown as live. A port that fails is reopened once a second until ``stop()``.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import serial

from inspector import messages
from inspector.errors import EnvironmentProblemError, InspectorError, UserError
from inspector.messages import Language, Term, formats, os_problem
from inspector.weighing.capture import (
    STALE_AFTER_S,
    CaptureDecision,
    CapturedWeight,
    LiveMonitor,
    ScaleConfig,
)
from inspector.weighing.frame import Frame
from inspector.weighing.profiles import Decoder, HealthSnapshot, Profile

PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}
BYTESIZES = {5: serial.FIVEBITS, 6: serial.SIXBITS, 7: serial.SEVENBITS, 8: serial.EIGHTBITS}
STOPBITS = {1: serial.STOPBITS_ONE, 2: serial.STOPBITS_TWO}
READ_TIMEOUT_S = 0.05
REOPEN_AFTER_S = 1.0
EVENT_QUEUE_SIZE = 1000


@dataclass(frozen=True)
class SerialSettings:
    """Where and how the indicator is connected. ``port`` is a device path or a pyserial URL (loop://)."""

    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1

    def validate(self) -> SerialSettings:
        if not self.port.strip():
            raise UserError("scale.port_missing", field="port")
        if self.baudrate not in serial.SerialBase.BAUDRATES or self.baudrate < 300:
            raise UserError("scale.baud_invalid", field="baud", baud=self.baudrate)
        if self.bytesize not in BYTESIZES:
            raise UserError("scale.bytesize_invalid", field="bytesize", bytesize=self.bytesize)
        if self.parity not in PARITIES:
            raise UserError("scale.parity_unknown", field="parity", parity=self.parity)
        if self.stopbits not in STOPBITS:
            raise UserError("scale.stopbits_invalid", field="stopbits", stopbits=self.stopbits)
        return self


def open_serial(settings: SerialSettings, *, timeout: float = READ_TIMEOUT_S) -> Any:
    """Open the port (a pyserial ``Serial``); a port that cannot be opened is a ``UserError`` on ``port``."""
    settings.validate()
    try:
        return serial.serial_for_url(
            settings.port,
            baudrate=settings.baudrate,
            bytesize=BYTESIZES[settings.bytesize],
            parity=PARITIES[settings.parity],
            stopbits=STOPBITS[settings.stopbits],
            timeout=timeout,
            write_timeout=1.0,
        )
    except (serial.SerialException, ValueError, OSError) as exc:
        raise UserError("scale.port_unopenable", field="port", port=settings.port,
                        detail=os_problem(exc)) from exc


def port_failed(port: str, exc: BaseException) -> EnvironmentProblemError:
    """A serial port that opened and then failed (unplugged, the adapter gone)."""
    return EnvironmentProblemError("scale.port_failed", port=port, detail=os_problem(exc))


@dataclass(frozen=True)
class ReaderEvent:
    """A new frame (``frame`` set), or a change of state: the reading went stale or the port failed.

    ``problem`` is the port's trouble, for a person (``problem.words(lang)``); ``error`` is its English text,
    for logs.
    """

    frame: Frame | None
    stale: bool
    health: HealthSnapshot
    error: str | None = None
    problem: InspectorError | None = None


SerialOpener = Callable[[SerialSettings], Any]


@dataclass
class _Shared:
    latest: Frame | None = None
    problem: InspectorError | None = None


class ScaleReader:
    """Reads one indicator in a background thread; see the module docstring."""

    def __init__(
        self,
        settings: SerialSettings,
        profile: Profile,
        *,
        division: int = 1,
        assumed_unit: str = "",
        on_event: Callable[[ReaderEvent], None] | None = None,
        monotonic_ns: Callable[[], int] = time.monotonic_ns,
        stale_after_s: float = STALE_AFTER_S,
        opener: SerialOpener = open_serial,
    ) -> None:
        self.settings = settings
        self.profile = profile
        self.decoder = Decoder(profile, division=division, assumed_unit=assumed_unit)
        self.events: queue.Queue[ReaderEvent] = queue.Queue(maxsize=EVENT_QUEUE_SIZE)
        self._on_event = on_event or self.enqueue
        self._clock = monotonic_ns
        self._stale_ns = int(stale_after_s * 1e9)
        self._opener = opener
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._shared = _Shared()

    def enqueue(self, event: ReaderEvent) -> None:
        """Into ``events``; when nobody empties it, the oldest event gives way (the newest matters)."""
        while True:
            try:
                self.events.put_nowait(event)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self.events.get_nowait()

    # -- state readable from any thread -------------------------------------------------------------

    def latest(self) -> Frame | None:
        """The latest frame, or None when there is none or it is stale (never show a stale weight as live)."""
        with self._lock:
            latest = self._shared.latest
        if latest is None or self._clock() - latest.received_ns >= self._stale_ns:
            return None
        return latest

    def is_stale(self) -> bool:
        return self.latest() is None

    def health(self) -> HealthSnapshot:
        return self.decoder.health.snapshot(self._clock())

    @property
    def error(self) -> str | None:
        """The port's trouble in English (logs), or None while it works."""
        problem = self.problem
        return problem.message if problem is not None else None

    @property
    def problem(self) -> InspectorError | None:
        """The port's trouble, to word for a person (``problem.words(lang)``), or None while it works."""
        with self._lock:
            return self._shared.problem

    # -- the thread ------------------------------------------------------------------------------

    def start(self) -> ScaleReader:
        if self._thread is not None:
            raise RuntimeError("this reader is already started")
        self._thread = threading.Thread(target=self._run, name=f"scale-reader-{self.settings.port}",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> ScaleReader:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _emit(self, frame: Frame | None, stale: bool, problem: InspectorError | None = None) -> None:
        self._on_event(ReaderEvent(frame, stale, self.decoder.health.snapshot(self._clock()),
                                   problem.message if problem is not None else None, problem))

    def _run(self) -> None:
        stale_reported = True
        while not self._stop.is_set():
            try:
                port = self._opener(self.settings)
            except UserError as exc:
                self._set_problem(exc)
                self._emit(None, True, exc)
                self._stop.wait(REOPEN_AFTER_S)
                continue
            self._set_problem(None)
            try:
                stale_reported = self._pump(port, stale_reported)
            except (serial.SerialException, OSError) as exc:
                problem = port_failed(self.settings.port, exc)
                self._set_problem(problem)
                stale_reported = True
                self._emit(None, True, problem)
                self._stop.wait(REOPEN_AFTER_S)
            finally:
                with contextlib.suppress(serial.SerialException, OSError):
                    port.close()

    def _set_problem(self, problem: InspectorError | None) -> None:
        with self._lock:
            self._shared.problem = problem

    def _pump(self, port: Any, stale_reported: bool) -> bool:
        polls = self.profile.polls
        poll_interval_ns = int(self.profile.poll_interval_s * 1e9)
        poll_index = 0
        next_poll = self._clock()
        feed = self.decoder.feed
        while not self._stop.is_set():
            now = self._clock()
            if polls and now >= next_poll:
                port.write(polls[poll_index % len(polls)])
                poll_index += 1
                next_poll = now + poll_interval_ns
            data = port.read(max(1, port.in_waiting))
            now = self._clock()
            if data:
                for frame in feed(data, now):
                    with self._lock:
                        self._shared.latest = frame
                    stale_reported = False
                    self._emit(frame, False)
            with self._lock:
                latest = self._shared.latest
            stale = latest is None or now - latest.received_ns >= self._stale_ns
            if stale and not stale_reported:
                stale_reported = True
                self._emit(None, True)
        return stale_reported


def reject_counts(reasons: dict[str, int], lang: Language = "en") -> str:
    """Rejected frames by reason, in words: ``checksum 3, truncated 1`` (``校验和错误 3、报文不完整 1``)."""
    return messages.list_separator(lang).join(
        f"{messages.word('frame_reject', reason, lang)} {formats.number(count)}"
        for reason, count in sorted(reasons.items())
    )


def stability_term(frame: Frame) -> Term:
    """Whether ``frame`` was stable, as a message parameter."""
    return Term("indicator_stability",
                "unknown" if frame.stable is None else "stable" if frame.stable else "motion")


@dataclass(frozen=True)
class ProbeReport:
    """What arrived on a port in a short test read (the settings screen's "Test connection").

    ``problem`` is why the port could not be read, for a person (``problem.words(lang)``); ``error`` is its
    English text, for logs.
    """

    seconds: float
    bytes_received: int
    frames: int
    rejected: int
    reasons: dict[str, int]
    last_frame: Frame | None
    error: str | None
    problem: InspectorError | None = None

    def summary(self, lang: Language = "en") -> str:
        """What the test found, in words, in ``lang``."""
        if self.problem is not None:
            return self.problem.words(lang)
        if self.error:
            return self.error
        if self.bytes_received == 0:
            return self._text("silent", lang, seconds=f"{self.seconds:g}")
        if self.frames == 0:
            return self._text("no_frame", lang, bytes=formats.number(self.bytes_received),
                              reasons=reject_counts(self.reasons, lang))
        frame = self.last_frame
        assert frame is not None
        return self._text("frames_rejected" if self.rejected else "frames", lang,
                          frames=formats.number(self.frames), weight=frame.text, unit=frame.unit,
                          mode=Term("indicator_mode", frame.mode.value), state=stability_term(frame),
                          rejected=formats.number(self.rejected))

    @staticmethod
    def _text(key: str, lang: Language, **params: object) -> str:
        found = messages.text(f"weighing.probe.{key}", lang, params)
        if found is None:
            raise messages.CatalogueError(f"weighing.probe.{key} has no words")
        return found


def probe_connection(settings: SerialSettings, profile: Profile, *, seconds: float = 2.0,
                     division: int = 1, assumed_unit: str = "", opener: SerialOpener = open_serial,
                     monotonic: Callable[[], float] = time.monotonic) -> ProbeReport:
    """Read for ``seconds`` (blocking: call it off the GUI thread) and report what arrived."""
    try:
        port = opener(settings)
    except UserError as exc:
        return ProbeReport(seconds, 0, 0, 0, {}, None, str(exc), exc)
    decoder = Decoder(profile, division=division, assumed_unit=assumed_unit)
    last: Frame | None = None
    problem: InspectorError | None = None
    try:
        deadline = monotonic() + seconds
        poll_index = 0
        next_poll = 0.0
        while (now := monotonic()) < deadline:
            if profile.polls and now >= next_poll:
                port.write(profile.polls[poll_index % len(profile.polls)])
                poll_index += 1
                next_poll = now + profile.poll_interval_s
            data = port.read(max(1, port.in_waiting))
            if data:
                frames = decoder.feed(data, time.monotonic_ns())
                if frames:
                    last = frames[-1]
    except (serial.SerialException, OSError) as exc:
        problem = port_failed(settings.port, exc)
    finally:
        port.close()
    health = decoder.health
    return ProbeReport(seconds, health.bytes_received, health.frames, health.rejected, dict(health.reasons),
                       last, problem.message if problem is not None else None, problem)


class LiveScale:
    """One scale, live: a ``ScaleReader`` whose frames feed a ``LiveMonitor``, then ``on_event``.

    The monitor is updated on the reader thread before the event is passed on, so by the time a screen
    shows a frame, ``capture()`` judges that same frame. Typical use by a screen::

        live = LiveScale(settings.serial(), get_profile(settings.profile), settings.config(),
                         on_event=bridge.post)
        live.start()
        captured = live.capture()          # CaptureRefusedError names every reason it may not
        ... store it with services.weighing.capture_weight(...), then:
        live.commit_capture()              # the next vehicle needs the scale back at zero first
    """

    def __init__(
        self,
        serial_settings: SerialSettings,
        profile: Profile,
        config: ScaleConfig,
        *,
        on_event: Callable[[ReaderEvent], None] | None = None,
        monotonic_ns: Callable[[], int] = time.monotonic_ns,
        zero_seen: bool = False,
        opener: SerialOpener = open_serial,
    ) -> None:
        self.monitor = LiveMonitor(config, monotonic_ns=monotonic_ns, zero_seen=zero_seen)
        self._forward = on_event
        self.reader = ScaleReader(serial_settings, profile, division=config.division,
                                  assumed_unit=config.unit, on_event=self._on_event,
                                  monotonic_ns=monotonic_ns, opener=opener)

    def _on_event(self, event: ReaderEvent) -> None:
        if event.frame is not None:
            self.monitor.observe(event.frame)
        if self._forward is not None:
            self._forward(event)
        else:
            self.reader.enqueue(event)

    def start(self) -> LiveScale:
        self.reader.start()
        return self

    def stop(self) -> None:
        self.reader.stop()

    def decision(self) -> CaptureDecision:
        return self.monitor.decision()

    def capture(self) -> CapturedWeight:
        return self.monitor.capture()

    def commit_capture(self) -> None:
        self.monitor.commit_capture()
