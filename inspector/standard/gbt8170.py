"""Judging a value against a limit by the GB/T 8170 rounded-value method.

The computed value is rounded to the number of decimals the limit is *written* with (``"30.0"`` has one,
``"0.25"`` two, ``"5"`` none), by round-half-to-even on the exact decimal value ("四舍六入五成双"), and
the rounded value is compared with the limit. Limits must therefore be kept as written: a Decimal built
from the limit's text, never from a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

# Enough digits for any value the inputs allow (at most 12 integer and 12 fractional digits, times a
# factor, divided by a dry fraction); every operation traps instead of silently losing precision.
CONTEXT = Context(prec=50, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


def decimals_of(limit: Decimal) -> int:
    """How many decimals the limit is written with (``30.0`` -> 1, ``0.25`` -> 2, ``5`` -> 0)."""
    exponent = limit.as_tuple().exponent
    assert isinstance(exponent, int), "limits are finite decimals"
    return -exponent if exponent < 0 else 0


def quantum_of(limit: Decimal) -> Decimal:
    """``10^-n`` for a limit written with ``n`` decimals: the step a judged value is rounded to."""
    return Decimal(1).scaleb(-decimals_of(limit))


def round_half_even(value: Decimal, quantum: Decimal) -> Decimal:
    """``value`` rounded half-to-even to a multiple of ``quantum`` (a power of ten)."""
    return value.quantize(quantum, ROUND_HALF_EVEN, CONTEXT)


def round_to_limit(value: Decimal, limit: Decimal) -> Decimal:
    """``value`` rounded half-to-even to the precision ``limit`` is written with."""
    return value.quantize(quantum_of(limit), ROUND_HALF_EVEN, CONTEXT)


def exceeds(value: Decimal, limit: Decimal) -> bool:
    """True when the rounded value is above an upper limit (``value <= limit`` is failed)."""
    return round_to_limit(value, limit) > limit


def reaches(value: Decimal, minimum: Decimal) -> bool:
    """True when the rounded value meets a lower limit (``value >= minimum`` is passed)."""
    return round_to_limit(value, minimum) >= minimum
