"""What an indicator said, as values: one ``Frame`` per valid message, one ``Reject`` per invalid one.

A Frame is the legally relevant reading: the weight as the indicator displayed it (an integer count of the
displayed digits, with ``decimals`` places), its unit, the mode (gross/net/tare), stability as the indicator
reported it (``None`` when the protocol has no flag), range and zero status, and the raw bytes it came from,
so a stored weighing can always be traced back to the exact message.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from decimal import Decimal


class Mode(enum.StrEnum):
    GROSS = "gross"
    NET = "net"
    TARE = "tare"


class StabilityMethod(enum.StrEnum):
    """Who decided that a reading was stable: the indicator's motion flag, or this program's window."""

    INDICATOR = "indicator"
    SOFTWARE = "software"


# Parity is not part of the data: 7E1 bytes read as 8N1 carry it in bit 7, so every profile masks it off.
PARITY_MASK_TABLE = bytes(b & 0x7F for b in range(256))


def mask_parity(data: bytes) -> bytes:
    return data.translate(PARITY_MASK_TABLE)


@dataclass(slots=True, eq=True)
class Frame:
    """One valid indicator message.

    ``weight`` is the displayed value as an integer of its digits, negative when the sign says so; the value
    is ``weight * 10**-decimals`` (``decimals`` is 0 for whole units, which is what trade weighing uses).
    ``stable`` is None when the protocol carries no motion flag; ``stability`` then stays None until the
    software window (``stability.SoftwareStability``) decides and marks it ``SOFTWARE``.
    ``error`` names a state in which the indicator itself says the weight is not valid (power-up not
    zeroed, zero/tare error, "invalid"); such a frame keeps the link alive but can never be captured.

    Not frozen, for speed (a frozen dataclass costs several microseconds a frame): the decoder finishes a
    frame in place (assumed unit, software stability, gross from the tare query) before handing it out;
    after that it is read-only by convention and is shared between threads as such.
    """

    weight: int
    unit: str
    mode: Mode
    stable: bool | None
    raw: bytes
    received_ns: int = 0
    decimals: int = 0
    overload: bool = False
    underload: bool = False
    center_zero: bool | None = None
    expanded: bool = False
    tare: int | None = None
    error: str | None = None
    stability: StabilityMethod | None = None

    @property
    def value(self) -> Decimal:
        """The weight exactly as displayed, e.g. ``Decimal("12340")`` or ``Decimal("20.00")``."""
        return Decimal(self.weight).scaleb(-self.decimals)

    @property
    def text(self) -> str:
        """The displayed weight as text (what the JSON and the screen show)."""
        return str(self.value)

    @property
    def stability_method(self) -> StabilityMethod | None:
        """Who decided ``stable``: the software window if it did, else the indicator's flag if it has one."""
        if self.stability is not None:
            return self.stability
        return StabilityMethod.INDICATOR if self.stable is not None else None

    @property
    def in_range(self) -> bool:
        return not (self.overload or self.underload)

    def with_stability(self, stable: bool, method: StabilityMethod) -> Frame:
        return replace(self, stable=stable, stability=method)


@dataclass(slots=True, frozen=True)
class Reject:
    """A message that could not be accepted; ``reason`` is a short code (``checksum``, ``truncated``, ...)."""

    reason: str
    raw: bytes = b""


def parse_number(text: str) -> tuple[int, int] | None:
    """``" -012.50"`` -> ``(-1250, 2)``: the digits as displayed (trailing zeros kept) and the decimal places.

    Returns None unless the text is an optional sign, ASCII digits, and at most one decimal point.
    """
    text = text.strip()
    if not text:
        return None
    negative = text[0] == "-"
    if text[0] in "+-":
        text = text[1:].lstrip()
    whole, _dot, frac = text.partition(".")
    if not (whole or frac) or (whole and not whole.isdigit()) or (frac and not frac.isdigit()):
        return None
    if not whole.isascii() or not frac.isascii():
        return None
    value = int((whole or "0") + frac)
    return (-value if negative else value), len(frac)


UNIT_NAMES = {"kg": "kg", "lb": "lb", "t": "t", "g": "g", "oz": "oz"}


def normal_unit(text: str) -> str:
    """An indicator's unit text in the spelling the records use (``KG`` -> ``kg``, ``lbs`` -> ``lb``)."""
    key = text.strip().lower()
    if key == "lbs":
        key = "lb"
    return UNIT_NAMES.get(key, key)
