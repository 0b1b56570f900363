"""MT-SICS (Mettler Toledo Standard Interface Command Set): polled ASCII lines ended by CR LF.

The reader sends ``SI`` (weight now, stable or not) and, in turn, ``TA`` (the tare in use). Replies:
``S S <weight> <unit>`` stable, ``S D ...`` dynamic (in motion), ``S +`` / ``S -`` over / under range,
``S I`` not executable, ``ES``/``ET``/``EL`` errors, ``TA A <tare> <unit>``. ``S`` and ``SI`` report the
*net* weight; a reading counts as gross only once the indicator has said its tare is zero, which is what the
adapter records (a TA reply is bookkeeping, not a live weight).
"""

from __future__ import annotations

from inspector.weighing.frame import PARITY_MASK_TABLE, Frame, Mode, Reject, normal_unit, parse_number
from inspector.weighing.profiles.base import Adapter, Indication, LineSplitter, Profile, SerialDefaults

_STATUS_STABLE = {"S": True, "D": False}


def parse(raw: bytes, received_ns: int = 0) -> Frame | Reject:
    data = raw.translate(PARITY_MASK_TABLE)
    if not data.endswith(b"\r\n"):
        return Reject("no-crlf", raw)
    parts = data[:-2].decode("ascii").split()
    if not parts:
        return Reject("empty", raw)
    head = parts[0]
    if head in ("ES", "ET", "EL"):
        return Reject(f"indicator-error-{head}", raw)
    if head == "TA":
        if len(parts) != 4 or parts[1] != "A":
            return Reject("syntax", raw)
        number = parse_number(parts[2])
        if number is None:
            return Reject("digits", raw)
        return Frame(number[0], normal_unit(parts[3]), Mode.TARE, True, raw, received_ns, number[1])
    if head != "S" or len(parts) < 2:
        return Reject("syntax", raw)
    status = parts[1]
    if status in ("+", "-") and len(parts) == 2:
        over = status == "+"
        return Frame(0, "", Mode.NET, False, raw, received_ns, 0, over, not over)
    if status == "I":
        return Reject("not-executable", raw)
    stable = _STATUS_STABLE.get(status)
    if stable is None or len(parts) != 4:
        return Reject("syntax", raw)
    number = parse_number(parts[2])
    if number is None:
        return Reject("digits", raw)
    return Frame(number[0], normal_unit(parts[3]), Mode.NET, stable, raw, received_ns, number[1])


def make_adapter(_division: int) -> Adapter:
    """Per connection: remember the last tare reply; a weight with a zero tare in force is the gross."""
    tare: list[Frame] = []

    def adapt(frame: Frame) -> Frame | None:
        if frame.mode is Mode.TARE:
            tare[:] = [frame]
            return None
        if tare:
            frame.tare = tare[0].weight
            if tare[0].weight == 0:
                frame.mode = Mode.GROSS
        return frame

    return adapt


def _line(text: str) -> bytes:
    return text.encode("ascii") + b"\r\n"


def _weight_text(ind: Indication) -> str:
    digits = f"{abs(ind.weight):0{ind.decimals + 1}d}"
    if ind.decimals:
        digits = f"{digits[:-ind.decimals]}.{digits[-ind.decimals:]}"
    return ("-" if ind.weight < 0 else "") + digits


def encode(ind: Indication) -> bytes:
    """The reply to ``SI``."""
    if ind.overload or ind.underload:
        return _line("S +" if ind.overload else "S -")
    return _line(f"S {'S' if ind.stable else 'D'} {_weight_text(ind):>10} {ind.unit}")


def answer(command: bytes, ind: Indication) -> bytes | None:
    cmd = command.strip().decode("ascii", "replace").upper()
    if cmd == "SI" or cmd == "SIR":
        return encode(ind)
    if cmd == "S":
        return encode(ind) if ind.stable or ind.overload or ind.underload else _line("S I")
    if cmd == "TA":
        return _line(f"TA A {ind.tare:>10} {ind.unit}")
    if cmd in ("Z", "ZI"):
        return _line("Z A")
    if cmd == "@":
        return _line('I4 A "0123456789"')
    if not cmd:
        return None
    return _line("ES")


MT_SICS = Profile(
    name="mt-sics",
    title="Mettler Toledo MT-SICS (polled S / SI)",
    parse=parse,
    make_splitter=lambda: LineSplitter(max_length=80),
    encode=encode,
    polls=(b"SI\r\n", b"SI\r\n", b"SI\r\n", b"TA\r\n"),
    poll_interval_s=0.1,
    answer=answer,
    command_terminator=b"\n",
    make_adapter=make_adapter,
    serial=SerialDefaults(baudrate=9600, bytesize=8, parity="N", stopbits=1),
)
