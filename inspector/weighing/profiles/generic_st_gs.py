"""The generic ``ST,GS,+0012340kg`` family sent continuously by many Asian indicators, one line each.

``S1,S2,<sign><weight><unit>`` then CR LF: S1 ``ST`` stable / ``US`` unstable / ``OL`` overload; S2 ``GS``
gross / ``NT`` net / ``TR`` tare; the weight carries its decimal point; the unit (``kg``/``lb``/``t``/``g``)
may be missing, and the fields may be separated by commas or spaces.
"""

from __future__ import annotations

import re

from inspector.weighing.frame import PARITY_MASK_TABLE, Frame, Mode, Reject
from inspector.weighing.profiles.base import Indication, LineSplitter, Profile, SerialDefaults

_STATES: dict[bytes, tuple[bool | None, bool]] = {b"ST": (True, False), b"US": (False, False),
                                                  b"OL": (None, True)}
_MODES = {b"GS": Mode.GROSS, b"NT": Mode.NET, b"TR": Mode.TARE}
_UNITS = {b"": "", b"kg": "kg", b"KG": "kg", b"lb": "lb", b"LB": "lb", b"lbs": "lb", b"t": "t", b"T": "t",
          b"g": "g", b"G": "g"}
# One regular expression for the whole line (much faster than character loops); \d is ASCII-only on bytes.
_LINE = re.compile(rb"(ST|US|OL)[, ](GS|NT|TR)[, ]?([+-]?) *(\d+(?:\.\d*)?|\.\d+) *([A-Za-z]{0,3}) *\r\n")
# An overload line may carry dashes or nothing where the weight would be.
_OVERLOAD = re.compile(rb"OL[, ](GS|NT|TR)[, ]?[+-]?[ \-^]*([A-Za-z]{0,3}) *\r\n")


def parse(raw: bytes, received_ns: int = 0) -> Frame | Reject:
    data = raw.translate(PARITY_MASK_TABLE)
    match = _LINE.fullmatch(data)
    if match is None:
        over = _OVERLOAD.fullmatch(data)
        if over is None or over.group(2) not in _UNITS:
            return Reject("syntax" if data.endswith(b"\r\n") else "no-crlf", raw)
        return Frame(0, _UNITS[over.group(2)], _MODES[over.group(1)], None, raw, received_ns, 0, True)
    state, mode, sign, number, unit = match.groups()
    unit_name = _UNITS.get(unit)
    if unit_name is None:
        return Reject("unit", raw)
    whole, _, fraction = number.partition(b".")
    weight = int(whole + fraction) if whole or fraction else 0
    if sign == b"-":
        weight = -weight
    stable, overload = _STATES[state]
    return Frame(weight, unit_name, _MODES[mode], stable, raw, received_ns, len(fraction), overload)


def encode(ind: Indication) -> bytes:
    state = "OL" if ind.overload else ("ST" if ind.stable else "US")
    mode = {Mode.GROSS: "GS", Mode.NET: "NT", Mode.TARE: "TR"}[ind.mode]
    digits = f"{abs(ind.weight):0{7 if not ind.decimals else 8}d}"
    if ind.decimals:
        digits = f"{digits[:-ind.decimals]}.{digits[-ind.decimals:]}"
    sign = "-" if ind.weight < 0 else "+"
    return f"{state},{mode},{sign}{digits}{ind.unit}\r\n".encode("ascii")


GENERIC_ST_GS = Profile(
    name="generic-st-gs",
    title='Generic "ST,GS,+0012340kg" stream',
    parse=parse,
    make_splitter=lambda: LineSplitter(max_length=40),
    encode=encode,
    serial=SerialDefaults(baudrate=9600, bytesize=8, parity="N", stopbits=1),
)
