"""Mettler Toledo standard continuous output (and the many "Toledo format" clones).

18 bytes: STX, status words A/B/C, 6 weight digits, 6 tare digits, CR, and an optional checksum byte that
makes the 7-bit sum of the frame zero. The checksum can itself be 0x0D, so frames are cut by STX and a fixed
length and never by CR. Leading zeros are sent as spaces. Status bit meanings differ between devices, so
they come from a ``ToledoStatusMap``; the standard map follows the WILDCAT manual:

- SWA bits 0-2: decimal point / dummy zeros; bit 5 always 1.
- SWB bit 0 net, 1 negative, 2 out of range, 3 motion, 4 kg (else lb), 5 always 1, 6 power-up not zeroed.
- SWC bit 0 grams, 3 print request, 4 expanded display (x10), 5 always 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from inspector.weighing.frame import PARITY_MASK_TABLE, Frame, Mode, Reject
from inspector.weighing.profiles.base import Indication, Parser, Profile, SerialDefaults, StartLengthSplitter

STX, CR = 0x02, 0x0D
# (word, bit): word 0 = SWA, 1 = SWB, 2 = SWC.
Bit = tuple[int, int]


@dataclass(frozen=True)
class ToledoStatusMap:
    """Where one device keeps each status flag. ``grams`` None: the device has no grams flag."""

    net: Bit = (1, 0)
    negative: Bit = (1, 1)
    out_of_range: Bit = (1, 2)
    motion: Bit = (1, 3)
    unit_kg: Bit = (1, 4)
    power_up: Bit | None = (1, 6)
    grams: Bit | None = (2, 0)
    print_request: Bit = (2, 3)
    expanded: Bit = (2, 4)


STANDARD_STATUS = ToledoStatusMap()
# A Chinese clone documents SWB bit 4 as a constant 1 and keeps kg/lb in SWC bit 0 instead.
CLONE_SWC_UNIT_STATUS = ToledoStatusMap(unit_kg=(2, 0), grams=None)

# SWA bits 0-2 as a number -> the power of ten the six digits are scaled by (dummy zeros are not sent).
_SCALE_BY_CODE = (2, 1, 0, -1, -2, -3, -4, -5)


def _flag(bit: Bit | None) -> tuple[int, int]:
    """(word index, mask) for a flag; a missing flag reads from word 0 with mask 0 (never set)."""
    if bit is None:
        return 0, 0
    return bit[0], 1 << bit[1]


def make_parser(*, checksum: bool, status: ToledoStatusMap = STANDARD_STATUS) -> Parser:
    length = 18 if checksum else 17
    net_w, net_m = _flag(status.net)
    neg_w, neg_m = _flag(status.negative)
    oor_w, oor_m = _flag(status.out_of_range)
    mot_w, mot_m = _flag(status.motion)
    kg_w, kg_m = _flag(status.unit_kg)
    pwr_w, pwr_m = _flag(status.power_up)
    g_w, g_m = _flag(status.grams)
    exp_w, exp_m = _flag(status.expanded)
    table = PARITY_MASK_TABLE

    def parse(raw: bytes, received_ns: int = 0) -> Frame | Reject:
        if len(raw) != length:
            return Reject("truncated" if len(raw) < length else "length", raw)
        data = raw.translate(table)
        if data[0] != STX:
            return Reject("no-stx", raw)
        if data[16] != CR:
            return Reject("no-cr", raw)
        if checksum and sum(data) & 0x7F:
            return Reject("checksum", raw)
        words = (data[1], data[2], data[3])
        if not (words[0] & words[1] & words[2] & 0x20):
            return Reject("status", raw)
        digits = data[4:10].lstrip(b" ")
        tare_digits = data[10:16].lstrip(b" ")
        if not digits.isdigit() or (tare_digits and not tare_digits.isdigit()):
            return Reject("digits", raw)
        weight = int(digits)
        tare = int(tare_digits) if tare_digits else 0
        scale = _SCALE_BY_CODE[words[0] & 0x07]
        decimals = 0
        if scale > 0:
            factor = 10**scale
            weight *= factor
            tare *= factor
        else:
            decimals = -scale
        negative = bool(words[neg_w] & neg_m)
        if negative:
            weight = -weight
        out_of_range = bool(words[oor_w] & oor_m)
        unit = "g" if words[g_w] & g_m else "kg" if words[kg_w] & kg_m else "lb"
        return Frame(
            weight,
            unit,
            Mode.NET if words[net_w] & net_m else Mode.GROSS,
            not (words[mot_w] & mot_m),
            raw,
            received_ns,
            decimals,
            out_of_range and not negative,
            out_of_range and negative,
            None,
            bool(words[exp_w] & exp_m),
            tare,
            "power-up-not-zeroed" if words[pwr_w] & pwr_m else None,
        )

    return parse


def checksum_byte(body: bytes) -> int:
    """The byte that makes the 7-bit sum of ``body`` plus itself zero (two's complement of the sum)."""
    return (-sum(body)) & 0x7F


def make_encoder(
    *, checksum: bool, status: ToledoStatusMap = STANDARD_STATUS
) -> Callable[[Indication], bytes]:
    def encode(ind: Indication) -> bytes:
        words = [0x20, 0x20, 0x20]
        words[0] |= (ind.decimals + 2) & 0x07 | 0x08  # decimal position; increment x1
        flags = (
            (status.net, ind.mode == Mode.NET),
            (status.negative, ind.weight < 0 or ind.underload),
            (status.out_of_range, ind.overload or ind.underload),
            (status.motion, not ind.stable),
            (status.unit_kg, ind.unit == "kg"),
            (status.grams, ind.unit == "g"),
            (status.expanded, ind.expanded),
        )
        for bit, on in flags:
            if bit is not None and on:
                words[bit[0]] |= 1 << bit[1]
        weight = min(abs(ind.weight), 999_999)
        body = bytes([STX, *words]) + f"{weight:>6}{min(ind.tare, 999_999):>6}".encode("ascii") + b"\r"
        return body + bytes([checksum_byte(body)]) if checksum else body

    return encode


def _profile(name: str, title: str, *, checksum: bool, status: ToledoStatusMap) -> Profile:
    encode = make_encoder(checksum=checksum, status=status)
    return Profile(
        name=name,
        title=title,
        parse=make_parser(checksum=checksum, status=status),
        make_splitter=lambda: StartLengthSplitter(STX, 18 if checksum else 17),
        encode=encode,
        serial=SerialDefaults(baudrate=9600, bytesize=7, parity="E", stopbits=1),
    )


TOLEDO_CONTINUOUS = _profile(
    "toledo-continuous", "Mettler Toledo continuous (checksum)", checksum=True, status=STANDARD_STATUS
)
TOLEDO_CONTINUOUS_NO_CHECKSUM = _profile(
    "toledo-continuous-nocs", "Toledo continuous, no checksum", checksum=False, status=STANDARD_STATUS
)
TOLEDO_CLONE_SWC_UNIT = _profile(
    "toledo-clone-swc-unit", "Toledo clone (kg/lb in SWC bit 0)", checksum=True, status=CLONE_SWC_UNIT_STATUS
)
