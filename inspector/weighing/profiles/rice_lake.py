"""Rice Lake "RLWS" stream (also Cardinal IQ355 format): 14 bytes, sent continuously.

``<STX><POL><weight:7><UNIT><G/N><S><CR><LF>``: POL space or ``-``; the weight right-justified with its
decimal point; UNIT ``L`` lb, ``K`` kg, ``T`` ton, ``G`` g, ``O`` oz; status space (valid), ``M`` motion,
``O`` over/under range, ``Z`` centre of zero, ``I`` invalid. An over-range weight may read ``^^^^^^^`` and an
under-range one ``]]]]]]]``.
"""

from __future__ import annotations

from inspector.weighing.frame import PARITY_MASK_TABLE, Frame, Mode, Reject, parse_number
from inspector.weighing.profiles.base import Indication, Profile, SerialDefaults, StartLengthSplitter

STX = 0x02
LENGTH = 14
_UNITS = {76: "lb", 75: "kg", 84: "t", 71: "g", 79: "oz"}  # L K T G O
_UNIT_LETTERS = {v: chr(k) for k, v in _UNITS.items()}
_MODES = {71: Mode.GROSS, 78: Mode.NET, 84: Mode.TARE}  # G N T
_OVER, _UNDER = b"^^^^^^^", b"]]]]]]]"


def parse(raw: bytes, received_ns: int = 0) -> Frame | Reject:
    if len(raw) != LENGTH:
        return Reject("truncated" if len(raw) < LENGTH else "length", raw)
    data = raw.translate(PARITY_MASK_TABLE)
    if data[0] != STX:
        return Reject("no-stx", raw)
    if data[12] != 0x0D or data[13] != 0x0A:
        return Reject("no-crlf", raw)
    polarity = data[1]
    if polarity not in (0x20, 0x2D, 0x2B):
        return Reject("syntax", raw)
    unit = _UNITS.get(data[9])
    mode = _MODES.get(data[10])
    status = data[11]
    if unit is None or mode is None:
        return Reject("syntax", raw)
    field = data[2:9]
    overload = underload = False
    if field == _OVER:
        weight, decimals, overload = 0, 0, True
    elif field == _UNDER:
        weight, decimals, underload = 0, 0, True
    else:
        number = parse_number(field.decode("ascii"))
        if number is None or field.strip()[:1] in (b"+", b"-"):
            return Reject("digits", raw)
        weight, decimals = number
        if polarity == 0x2D:
            weight = -weight
    error = None
    if status == 0x20 or status == 0x5A:
        stable: bool | None = True
    elif status == 0x4D:
        stable = False
    elif status == 0x4F:
        stable = None
        if not (overload or underload):
            overload, underload = weight >= 0, weight < 0
    elif status == 0x49:
        stable, error = None, "invalid"
    else:
        return Reject("status", raw)
    return Frame(
        weight, unit, mode, stable, raw, received_ns, decimals, overload, underload, status == 0x5A,
        False, None, error,
    )


def encode(ind: Indication) -> bytes:
    if ind.overload:
        field, status = "^^^^^^^", "O"
    elif ind.underload:
        field, status = "]]]]]]]", "O"
    else:
        digits = f"{abs(ind.weight):0{ind.decimals + 1}d}"
        if ind.decimals:
            digits = f"{digits[:-ind.decimals]}.{digits[-ind.decimals:]}"
        field = f"{digits:>7}"[-7:]
        status = "M" if not ind.stable else ("Z" if ind.center_zero else " ")
    polarity = "-" if ind.weight < 0 and not ind.overload else " "
    mode = {Mode.GROSS: "G", Mode.NET: "N", Mode.TARE: "T"}[ind.mode]
    unit = _UNIT_LETTERS.get(ind.unit, "K")
    return f"\x02{polarity}{field}{unit}{mode}{status}\r\n".encode("ascii")


RICE_LAKE = Profile(
    name="rice-lake",
    title="Rice Lake RLWS / Cardinal IQ355 stream",
    parse=parse,
    make_splitter=lambda: StartLengthSplitter(STX, LENGTH),
    encode=encode,
    serial=SerialDefaults(baudrate=9600, bytesize=8, parity="N", stopbits=1),
)
