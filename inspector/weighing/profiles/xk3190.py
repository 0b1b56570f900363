"""Yaohua XK3190-A9 continuous output (``tF=0``), very common on Chinese truck scales.

12 bytes: STX, sign, 6 weight digits (high to low), the number of decimal places, the XOR of bytes 2-9 as
two upper-case hex characters, ETX. Example: +20.00 is ``02 2B 30 30 32 30 30 30 32 31 42 03``.

The frame carries no motion flag and no unit. Stability is decided in software (``SoftwareStability``:
at least 0.4 s within +-3 divisions) and recorded as such; the unit is the one the scale is configured with.
"""

from __future__ import annotations

from functools import reduce
from operator import xor

from inspector.weighing.frame import PARITY_MASK_TABLE, Frame, Mode, Reject
from inspector.weighing.profiles.base import Adapter, Indication, Profile, SerialDefaults, StartLengthSplitter
from inspector.weighing.stability import SoftwareStability

STX, ETX = 0x02, 0x03
LENGTH = 12
_HEX = b"0123456789ABCDEF"


def parse(raw: bytes, received_ns: int = 0) -> Frame | Reject:
    if len(raw) != LENGTH:
        return Reject("truncated" if len(raw) < LENGTH else "length", raw)
    data = raw.translate(PARITY_MASK_TABLE)
    if data[0] != STX:
        return Reject("no-stx", raw)
    if data[11] != ETX:
        return Reject("no-etx", raw)
    sign, digits, places = data[1], data[2:8], data[8]
    if sign not in (0x2B, 0x2D) or not digits.isdigit() or not 0x30 <= places <= 0x34:
        return Reject("syntax", raw)
    high, low = _HEX.find(data[9]), _HEX.find(data[10])
    if high < 0 or low < 0 or (high << 4 | low) != reduce(xor, data[1:9]):
        return Reject("checksum", raw)
    weight = int(digits)
    if sign == 0x2D:
        weight = -weight
    return Frame(weight, "", Mode.GROSS, None, raw, received_ns, places - 0x30)


def encode(ind: Indication) -> bytes:
    sign = "-" if ind.weight < 0 else "+"
    body = f"{sign}{min(abs(ind.weight), 999_999):06d}{ind.decimals}".encode("ascii")
    check = reduce(xor, body)
    return b"\x02" + body + f"{check:02X}".encode("ascii") + b"\x03"


def make_adapter(division: int) -> Adapter:
    return SoftwareStability(division=division).apply


XK3190_A9 = Profile(
    name="xk3190-a9",
    title="Yaohua XK3190-A9 continuous (tF=0, no motion flag)",
    parse=parse,
    make_splitter=lambda: StartLengthSplitter(STX, LENGTH),
    encode=encode,
    motion_flag=False,
    make_adapter=make_adapter,
    serial=SerialDefaults(baudrate=9600, bytesize=8, parity="N", stopbits=1),
)
