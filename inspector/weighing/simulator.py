"""A simulated weighbridge indicator served over a pseudo-terminal, for the demo and the tests.

``Simulator(profile, scenario=..., weight=...)`` opens a pty pair, and ``serve()`` writes the profile's
frames to it (continuous protocols, ``rate_hz`` a second) or answers the poll commands it reads (MT-SICS,
SMA). A reader opens ``device_path`` like any serial port. Scenarios:

- ``settle``: an empty, stable deck for 1 s, a truck driving on (motion) for 2 s, then a stable weight.
- ``ramp``: the weight climbs steadily from zero over 4 s, then holds still.
- ``motion``: the weight never settles (+-20 divisions).
- ``overload``: the indicator reports over range.
- ``silent``: the line carries nothing.
- ``garbage``: a stable weight with garbage bursts and truncated frames among the good ones.
- ``jump``: a stable weight that steps by 50 divisions every 3 s without any motion (a remote-control
  device spliced into the load-cell cable).

What is shown depends only on the time since the start, ``indication_at(t)``, so tests can check it
without a pty. When nobody reads the pty its buffer is flushed rather than letting writes block.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import random
import select
import termios
import threading
import time
import tty
from collections.abc import Callable

from inspector.errors import UserError
from inspector.messages import formats
from inspector.weighing.profiles import Indication, Profile

SCENARIOS = ("settle", "ramp", "motion", "overload", "silent", "garbage", "jump", "trucks")
# The "trucks" scenario: one truck every TRUCK_CYCLE_S seconds, alternately loaded (about the given weight)
# and empty (about a third of it), so a demo can weigh in, and weigh out, one truck after another.
TRUCK_CYCLE_S = 40.0
_PENDING_LIMIT = 2048


def with_even_parity(data: bytes) -> bytes:
    """The bytes as a 7E1 line carries them: bit 7 set where it makes the count of one bits even."""
    return bytes(b | 0x80 if bin(b & 0x7F).count("1") % 2 else b & 0x7F for b in data)


class Simulator:
    def __init__(self, profile: Profile, *, scenario: str = "settle", weight: int = 12340, unit: str = "kg",
                 division: int = 10, capacity: int = 80000, rate_hz: float = 10.0, parity_7e1: bool = False,
                 seed: int = 0, monotonic: Callable[[], float] = time.monotonic) -> None:
        if scenario not in SCENARIOS:
            raise UserError("scale.scenario_unknown", field="scenario", scenario=scenario, choices=SCENARIOS)
        if weight <= 0 or weight > capacity:
            raise UserError("scale.simulated_weight", field="weight", weight=formats.number(weight),
                            capacity=formats.number(capacity))
        self.profile = profile
        self.scenario = scenario
        self.weight = weight - weight % division
        self.unit = unit
        self.division = division
        self.capacity = capacity
        self.period = 1.0 / rate_hz
        self.parity_7e1 = parity_7e1
        self._random = random.Random(seed)
        self._clock = monotonic
        self._master: int | None = None
        self._slave: int | None = None
        self.device_path = ""
        self.link_path: str | None = None
        self.frames_sent = 0

    # -- what the indicator shows --------------------------------------------------------------------

    def _at(self, weight: float, *, stable: bool) -> Indication:
        rounded = round(weight / self.division) * self.division
        return Indication(weight=rounded, unit=self.unit, stable=stable, center_zero=stable and rounded == 0)

    def indication_at(self, t: float) -> Indication | None:
        """What the indicator shows ``t`` seconds after the start (None: it sends nothing)."""
        w = self.weight
        if self.scenario == "silent":
            return None
        if self.scenario == "settle":
            if t < 1.0:
                return self._at(0, stable=True)
            if t < 3.0:
                progress = (t - 1.0) / 2.0
                wobble = math.sin(t * 9.0) * 30 * self.division * (1 - progress)
                return self._at(w * min(1.0, progress * 1.6) + wobble, stable=False)
            return self._at(w, stable=True)
        if self.scenario == "ramp":
            if t < 4.0:
                return self._at(w * t / 4.0, stable=t < 0.1)
            return self._at(w, stable=True)
        if self.scenario == "motion":
            return self._at(w + math.sin(t * 4.4) * 20 * self.division, stable=False)
        if self.scenario == "overload":
            return Indication(weight=self.capacity + 20 * self.division, unit=self.unit, stable=True,
                              overload=True)
        if self.scenario == "trucks":
            return self._truck_at(t)
        if self.scenario == "jump":
            step = 50 * self.division if int(t // 3.0) % 2 else 0
            return self._at(w + step, stable=True)
        return self._at(w, stable=True)  # garbage: the good frames carry a stable weight

    def _truck_at(self, t: float) -> Indication:
        cycle, at = divmod(t, TRUCK_CYCLE_S)
        rng = random.Random(int(cycle) * 7919 + 1)
        share = rng.uniform(0.85, 1.15) if int(cycle) % 2 == 0 else rng.uniform(0.28, 0.38)
        target = min(self.weight * share, self.capacity * 0.95)
        if at < 4.0:  # deck empty
            return self._at(0, stable=True)
        if at < 9.0:  # driving on: rising and rocking
            progress = (at - 4.0) / 5.0
            wobble = math.sin(at * 7.0) * 25 * self.division * (1 - progress)
            return self._at(target * min(1.0, progress * 1.3) + wobble, stable=False)
        if at < 30.0:  # parked: stable
            return self._at(target, stable=True)
        if at < 34.0:  # driving off
            return self._at(target * (34.0 - at) / 4.0, stable=False)
        return self._at(0, stable=True)

    def frame_bytes(self, t: float, index: int) -> bytes:
        """The bytes a continuous indicator sends as its ``index``-th frame at time ``t``."""
        ind = self.indication_at(t)
        if ind is None:
            return b""
        data = self.profile.encode(ind)
        if self.scenario == "garbage":
            if index % 5 == 4:
                burst = bytes(self._random.randrange(256) for _ in range(self._random.randrange(8, 40)))
                data = burst + data
            elif index % 7 == 6:
                data = data[: len(data) // 2]
        return with_even_parity(data) if self.parity_7e1 else data

    def answer(self, command: bytes, t: float) -> bytes:
        """A polled indicator's reply to one command line."""
        ind = self.indication_at(t)
        if ind is None or self.profile.answer is None:
            return b""
        reply = self.profile.answer(command, ind) or b""
        if self.scenario == "garbage" and reply and self._random.randrange(4) == 0:
            reply = bytes(self._random.randrange(256) for _ in range(12)) + reply
        return with_even_parity(reply) if self.parity_7e1 else reply

    # -- the pseudo-terminal ---------------------------------------------------------------------------

    def open(self, link: str | None = None) -> str:
        """Create the pty pair; returns the device path a reader opens.

        ``link``: also make a symbolic link there to the device, a path that stays the same between runs
        (a configured port can name it); an existing link is replaced, any other file is refused.
        """
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no CR/LF translation: the bytes arrive as sent
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self.device_path = os.ttyname(slave)
        if link:
            if os.path.lexists(link) and not os.path.islink(link):
                self.close()
                raise UserError("scale.link_taken", field="link", path=link)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)
            os.symlink(self.device_path, link)
            self.link_path = link
        return self.device_path

    def close(self) -> None:
        if self.link_path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.link_path)
            self.link_path = None
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None

    def __enter__(self) -> Simulator:
        self.open()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _write(self, data: bytes) -> None:
        assert self._master is not None and self._slave is not None
        if not data:
            return
        try:
            pending = int.from_bytes(
                fcntl.ioctl(self._slave, termios.FIONREAD, b"\0\0\0\0"), "little"
            )
        except OSError:
            pending = 0
        if pending > _PENDING_LIMIT:
            # Nobody is reading: drop the backlog so a reader that opens later sees the present.
            termios.tcflush(self._slave, termios.TCIFLUSH)
        try:
            os.write(self._master, data)
        except BlockingIOError:
            termios.tcflush(self._slave, termios.TCIFLUSH)
        self.frames_sent += 1

    def serve(self, stop: threading.Event) -> None:
        """Serve until ``stop`` is set (blocking)."""
        if self._master is None:
            self.open()
        assert self._master is not None
        start = self._clock()
        next_frame = start
        index = 0
        commands = b""
        terminator = self.profile.command_terminator
        polled = bool(self.profile.polls)
        while not stop.is_set():
            now = self._clock()
            timeout = max(0.0, min(0.05, next_frame - now)) if not polled else 0.05
            readable, _, _ = select.select([self._master], [], [], timeout)
            now = self._clock()
            if readable:
                with contextlib.suppress(BlockingIOError, OSError):
                    commands += os.read(self._master, 1024)
                if polled:
                    while terminator in commands:
                        line, _, commands = commands.partition(terminator)
                        self._write(self.answer(line.strip(b"\r\n"), now - start))
                else:
                    commands = b""
                commands = commands[-256:]
            if not polled and now >= next_frame:
                self._write(self.frame_bytes(now - start, index))
                index += 1
                next_frame = max(next_frame + self.period, now - self.period)


__all__ = ["SCENARIOS", "Simulator", "with_even_parity"]
