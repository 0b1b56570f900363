"""SMA SCP-0499 (Scale Manufacturers Association; Cardinal, Fairbanks, Avery Weigh-Tronix, Sartorius ...).

Polled with ``<LF>W<CR>``; the reply is 20 bytes ``<LF><s><r><n><m><f><weight:10><unit:3><CR>``:
``s`` status (``Z`` centre of zero, ``O`` over, ``U`` under, ``E``/``I``/``T`` zero / initial-zero / tare
error with dashes for the weight, space for none), ``r`` range digit, ``n`` mode (``G``/``N``/``T``; lower
case ``g``/``n`` are high-resolution, i.e. an expanded display), ``m`` ``M`` in motion or space, ``f``
reserved. ``<LF>?<CR>`` answers a command the scale does not know.
"""

from __future__ import annotations

from inspector.weighing.frame import PARITY_MASK_TABLE, Frame, Mode, Reject, normal_unit, parse_number
from inspector.weighing.profiles.base import Indication, Profile, SerialDefaults, StartLengthSplitter

LF, CR = 0x0A, 0x0D
LENGTH = 20
_MODES = {71: (Mode.GROSS, False), 78: (Mode.NET, False), 84: (Mode.TARE, False),  # G N T
          103: (Mode.GROSS, True), 110: (Mode.NET, True)}  # g n (high resolution)
_ERRORS = {69: "zero-error", 73: "initial-zero-error", 84: "tare-error"}  # E I T


def parse(raw: bytes, received_ns: int = 0) -> Frame | Reject:
    if len(raw) != LENGTH:
        return Reject("truncated" if len(raw) < LENGTH else "length", raw)
    data = raw.translate(PARITY_MASK_TABLE)
    if data[0] != LF:
        return Reject("no-lf", raw)
    if data[19] != CR:
        if b"?" in data[:4]:
            return Reject("command-refused", raw)
        return Reject("no-cr", raw)
    status, range_digit, mode_char, motion = data[1], data[2], data[3], data[4]
    if not 0x30 <= range_digit <= 0x39:
        return Reject("syntax", raw)
    mode = _MODES.get(mode_char)
    if mode is None or motion not in (0x20, 0x4D):
        return Reject("syntax", raw)
    unit = normal_unit(data[16:19].decode("ascii"))
    error = _ERRORS.get(status)
    overload = status == 0x4F
    underload = status == 0x55
    if error is not None:
        return Frame(0, unit, mode[0], None, raw, received_ns, 0, False, False, None, mode[1], None, error)
    if status not in (0x20, 0x5A, 0x4F, 0x55):
        return Reject("status", raw)
    number = parse_number(data[6:16].decode("ascii"))
    if number is None:
        if not (overload or underload):
            return Reject("digits", raw)
        number = (0, 0)
    return Frame(
        number[0], unit, mode[0], motion == 0x20, raw, received_ns, number[1], overload, underload,
        status == 0x5A, mode[1],
    )


def encode(ind: Indication) -> bytes:
    if ind.overload:
        status = "O"
    elif ind.underload:
        status = "U"
    else:
        status = "Z" if ind.center_zero else " "
    mode = {Mode.GROSS: "G", Mode.NET: "N", Mode.TARE: "T"}[ind.mode]
    if ind.expanded and mode != "T":
        mode = mode.lower()
    digits = f"{abs(ind.weight):0{ind.decimals + 1}d}"
    if ind.decimals:
        digits = f"{digits[:-ind.decimals]}.{digits[-ind.decimals:]}"
    weight = ("-" if ind.weight < 0 else "") + digits
    text = f"\n{status}1{mode}{'M' if not ind.stable else ' '} {weight:>10}{ind.unit:<3}\r"
    return text.encode("ascii")


def answer(command: bytes, ind: Indication) -> bytes | None:
    cmd = command.strip().decode("ascii", "replace").upper()
    if cmd in ("W", "R", "S"):
        return encode(ind)
    if cmd == "Q":
        return encode(ind) if ind.stable else None
    if cmd in ("Z", "T"):
        return encode(ind)
    if cmd == "A":
        return b"\nSMA:2/1.0\r"
    if not cmd:
        return None
    return b"\n?\r"


SMA = Profile(
    name="sma",
    title="SMA SCP-0499 (polled W)",
    parse=parse,
    make_splitter=lambda: StartLengthSplitter(LF, LENGTH),
    encode=encode,
    polls=(b"\nW\r",),
    poll_interval_s=0.1,
    answer=answer,
    command_terminator=b"\r",
    serial=SerialDefaults(baudrate=9600, bytesize=8, parity="N", stopbits=1),
)
