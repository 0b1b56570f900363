"""The pieces every profile shares: how a byte stream is cut into candidate messages, and link health.

Framing is never done on CR alone (a Toledo checksum byte may be 0x0D): a start byte plus a fixed length
(``StartLengthSplitter``), or whole lines for the line-oriented ASCII protocols (``LineSplitter``). When a
candidate is rejected the start-byte splitter resumes the search one byte after the rejected start byte,
so a start byte inside garbage costs one rejected candidate, never the real frame that follows.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from inspector import messages
from inspector.messages import Language
from inspector.weighing.frame import PARITY_MASK_TABLE, Frame, Mode, Reject

Parser = Callable[[bytes, int], "Frame | Reject"]
# A profile's per-connection post-processing: may complete a frame (software stability, gross/net from the
# tare query) or swallow it (None) when it is bookkeeping rather than a live weight.
Adapter = Callable[[Frame], "Frame | None"]


@dataclass(frozen=True)
class Indication:
    """What a simulated indicator displays; a profile's ``encode`` turns it into the bytes it would send."""

    weight: int
    unit: str = "kg"
    mode: Mode = Mode.GROSS
    stable: bool = True
    overload: bool = False
    underload: bool = False
    center_zero: bool = False
    expanded: bool = False
    tare: int = 0
    decimals: int = 0


@dataclass(frozen=True)
class SerialDefaults:
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1


@dataclass(frozen=True)
class Profile:
    """One indicator protocol: how to frame and parse it, how to poll it, how to simulate it.

    ``parse`` is pure. ``polls`` are the commands a reader sends in turn every ``poll_interval_s`` (empty
    for continuous output). ``answer(command, indication)`` is the simulator's reply to one command line.
    ``make_adapter(division)`` builds the per-connection step that finishes frames (None if not needed).
    """

    name: str
    title: str
    parse: Parser
    make_splitter: Callable[[], Splitter]
    encode: Callable[[Indication], bytes]
    motion_flag: bool = True
    polls: tuple[bytes, ...] = ()
    poll_interval_s: float = 0.1
    answer: Callable[[bytes, Indication], bytes | None] | None = None
    command_terminator: bytes = b"\n"
    make_adapter: Callable[[int], Adapter] | None = None
    serial: SerialDefaults = field(default_factory=SerialDefaults)

    def title_in(self, lang: Language) -> str:
        """The title for a person (``words.indicator_profile.<name>``); ``title`` is the English."""
        return messages.lookup(f"words.indicator_profile.{self.name}", lang) or self.title


class StartLengthSplitter:
    """Candidates of exactly ``length`` bytes beginning with ``start``; bytes before a start are garbage.

    The search runs over the parity-masked bytes (a 7E1 STX read as 8N1 may be 0x82); the candidate handed
    out is the raw bytes as received, which is what a weighing keeps as evidence.
    """

    __slots__ = ("_buf", "_masked", "_pos", "_skipped", "length", "start")

    def __init__(self, start: int, length: int) -> None:
        self.start = bytes([start])
        self.length = length
        self._buf = b""
        self._masked = b""
        self._pos = 0
        self._skipped = 0

    def feed(self, data: bytes) -> None:
        masked = data.translate(PARITY_MASK_TABLE)
        if self._pos:
            self._buf = self._buf[self._pos:] + data
            self._masked = self._masked[self._pos:] + masked
            self._pos = 0
        else:
            self._buf += data
            self._masked += masked

    def next_candidate(self) -> bytes | None:
        """The next candidate frame, or None until more bytes arrive. ``take_skipped`` tells the garbage."""
        masked = self._masked
        at = masked.find(self.start, self._pos)
        if at < 0:
            self._skipped += len(masked) - self._pos
            self._buf, self._masked, self._pos = b"", b"", 0
            return None
        if at > self._pos:
            self._skipped += at - self._pos
            self._pos = at
        end = at + self.length
        if end > len(masked):
            return None
        self._pos = end
        return self._buf[at:end]

    def reject_last(self) -> None:
        """The last candidate was wrong: look for the next start byte inside it."""
        self._pos -= self.length - 1

    def take_skipped(self) -> int:
        skipped, self._skipped = self._skipped, 0
        return skipped

    def pending(self) -> int:
        return len(self._buf) - self._pos


class LineSplitter:
    """Lines ended by LF (a CR before it is kept for the parser to check); an endless line is garbage.

    LF is found in the parity-masked bytes; the line handed out is the raw bytes as received.
    """

    __slots__ = ("_buf", "_masked", "_pos", "_skipped", "max_length")

    def __init__(self, max_length: int = 80) -> None:
        self.max_length = max_length
        self._buf = b""
        self._masked = b""
        self._pos = 0
        self._skipped = 0

    def feed(self, data: bytes) -> None:
        masked = data.translate(PARITY_MASK_TABLE)
        if self._pos:
            self._buf = self._buf[self._pos:] + data
            self._masked = self._masked[self._pos:] + masked
            self._pos = 0
        else:
            self._buf += data
            self._masked += masked

    def next_candidate(self) -> bytes | None:
        masked, pos = self._masked, self._pos
        while True:
            at = masked.find(b"\n", pos)
            if at < 0:
                if len(masked) - pos > self.max_length:
                    self._skipped += len(masked) - pos
                    self._buf, self._masked, self._pos = b"", b"", 0
                else:
                    self._pos = pos
                return None
            if at + 1 - pos > self.max_length:
                self._skipped += at + 1 - pos
                pos = at + 1
                continue
            self._pos = at + 1
            return self._buf[pos : at + 1]

    def reject_last(self) -> None:
        """A line is a line: a rejected one is simply dropped."""

    def take_skipped(self) -> int:
        skipped, self._skipped = self._skipped, 0
        return skipped

    def pending(self) -> int:
        return len(self._buf) - self._pos


Splitter = StartLengthSplitter | LineSplitter


class Decoder:
    """Bytes in, frames out, for one connection: splitter + parser + adapter, with link-health counts.

    ``assumed_unit`` is given to frames of protocols that carry no unit (XK3190-A9): the unit the scale is
    configured with, recorded in its settings.
    """

    def __init__(self, profile: Profile, *, division: int = 1, assumed_unit: str = "") -> None:
        self.profile = profile
        self.health = LinkHealth()
        self.assumed_unit = assumed_unit
        self._splitter = profile.make_splitter()
        self._adapter = profile.make_adapter(division) if profile.make_adapter is not None else None

    def feed(self, data: bytes, received_ns: int) -> list[Frame]:
        health = self.health
        health.bytes_received += len(data)
        splitter = self._splitter
        splitter.feed(data)
        parse = self.profile.parse
        adapter = self._adapter
        out: list[Frame] = []
        while (candidate := splitter.next_candidate()) is not None:
            result = parse(candidate, received_ns)
            if isinstance(result, Reject):
                splitter.reject_last()
                health.note_reject(result.reason, received_ns)
                continue
            if not result.unit and self.assumed_unit:
                result.unit = self.assumed_unit
            if adapter is not None:
                adapted = adapter(result)
                if adapted is None:
                    continue
                result = adapted
            out.append(result)
        skipped = splitter.take_skipped()
        if skipped:
            health.garbage_bytes += skipped
            health.note_reject("garbage", received_ns)
        if out:
            health.frames += len(out)
            health.last_frame_ns = received_ns
        return out

REJECT_WINDOW_NS = 60_000_000_000


@dataclass
class LinkHealth:
    """How well the serial link carries frames: counts of good and rejected frames, and why rejected.

    ``rejected_last_minute(now_ns)`` is the figure shown as link health; the totals go into diagnostics.
    """

    frames: int = 0
    rejected: int = 0
    garbage_bytes: int = 0
    bytes_received: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    last_frame_ns: int | None = None
    _recent: deque[int] = field(default_factory=lambda: deque(maxlen=10_000), repr=False)

    def note_reject(self, reason: str, now_ns: int) -> None:
        self.rejected += 1
        self.reasons[reason] += 1
        self._recent.append(now_ns)

    def rejected_last_minute(self, now_ns: int) -> int:
        recent = self._recent
        while recent and recent[0] <= now_ns - REJECT_WINDOW_NS:
            recent.popleft()
        return len(recent)

    def snapshot(self, now_ns: int) -> HealthSnapshot:
        return HealthSnapshot(
            frames=self.frames,
            rejected=self.rejected,
            rejected_last_minute=self.rejected_last_minute(now_ns),
            garbage_bytes=self.garbage_bytes,
            bytes_received=self.bytes_received,
            reasons=dict(self.reasons),
        )


@dataclass(frozen=True)
class HealthSnapshot:
    """Link health at one moment (immutable, safe to hand to another thread)."""

    frames: int
    rejected: int
    rejected_last_minute: int
    garbage_bytes: int
    bytes_received: int
    reasons: dict[str, int]

    @property
    def good(self) -> bool:
        return self.rejected_last_minute == 0


__all__ = [
    "PARITY_MASK_TABLE",
    "Adapter",
    "Decoder",
    "HealthSnapshot",
    "Indication",
    "LineSplitter",
    "LinkHealth",
    "Parser",
    "Profile",
    "SerialDefaults",
    "Splitter",
    "StartLengthSplitter",
]
