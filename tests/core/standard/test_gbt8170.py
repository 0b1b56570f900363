"""GB/T 8170 rounded-value judging, against the standard's examples and an independent implementation."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.standard.gbt8170 import decimals_of, exceeds, reaches, round_to_limit


def reference_round(value: str, places: int) -> str:
    """GB/T 8170 §3.3 by hand on the digit string: below 5 drop, above 5 raise, exactly 5 followed only by
    zeros raise when the kept last digit is odd ("四舍六入五成双"); a negative value is rounded as its
    magnitude and given its sign back."""
    negative = value.startswith("-")
    digits = value.lstrip("-")
    whole, _, fraction = digits.partition(".")
    fraction = fraction.ljust(places + 1, "0")
    kept, first_dropped, rest = fraction[:places], fraction[places], fraction[places + 1 :]
    number = int(whole + kept)
    if first_dropped > "5" or (first_dropped == "5" and (rest.strip("0") or number % 2 == 1)):
        number += 1
    text = str(number).rjust(places + 1, "0")
    result = f"{text[:-places]}.{text[-places:]}" if places else text
    if negative and number != 0:
        result = "-" + result
    return result


def test_the_examples_of_domain_section_6() -> None:
    assert round_to_limit(Decimal("29.95"), Decimal("30.0")) == Decimal("30.0")
    assert round_to_limit(Decimal("29.85"), Decimal("30.0")) == Decimal("29.8")
    assert round_to_limit(Decimal("0.255"), Decimal("0.25")) == Decimal("0.26")
    assert round_to_limit(Decimal("0.245"), Decimal("0.25")) == Decimal("0.24")
    assert exceeds(Decimal("0.255"), Decimal("0.25"))
    assert not exceeds(Decimal("0.245"), Decimal("0.25"))
    assert reaches(Decimal("29.95"), Decimal("30.0"))
    assert not reaches(Decimal("29.85"), Decimal("30.0"))


def test_the_precision_is_the_limits_written_precision() -> None:
    assert decimals_of(Decimal("30.0")) == 1
    assert decimals_of(Decimal("30")) == 0
    assert decimals_of(Decimal("0.25")) == 2
    assert decimals_of(Decimal("3E+1")) == 0
    assert round_to_limit(Decimal("29.5"), Decimal("30")) == Decimal("30")
    assert round_to_limit(Decimal("28.5"), Decimal("30")) == Decimal("28")
    assert not reaches(Decimal("29.95"), Decimal("30.00"))  # 29.95 against 30.00 stays 29.95


def test_more_digits_after_a_five_always_round_up() -> None:
    assert round_to_limit(Decimal("0.2450001"), Decimal("0.25")) == Decimal("0.25")
    assert round_to_limit(Decimal("0.2449999"), Decimal("0.25")) == Decimal("0.24")


plain_decimals = st.builds(
    lambda whole, fraction, negative: ("-" if negative else "") + f"{whole}.{fraction}",
    st.integers(min_value=0, max_value=10**6),
    st.text(alphabet="0123456789", min_size=1, max_size=9),
    st.booleans(),
)


@settings(deadline=None)  # a loaded build machine must not make timing a failure
@given(value=plain_decimals, places=st.integers(min_value=0, max_value=6))
def test_rounding_agrees_with_an_independent_gbt8170_implementation(value: str, places: int) -> None:
    limit = Decimal(1).scaleb(-places) if places else Decimal(1)
    ours = round_to_limit(Decimal(value), limit)
    assert ours == Decimal(reference_round(value, places))
    assert decimals_of(limit) == places


@settings(deadline=None)  # a loaded build machine must not make timing a failure
@given(value=plain_decimals, limit=plain_decimals)
def test_exceeds_and_reaches_compare_the_rounded_value(value: str, limit: str) -> None:
    v, lim = Decimal(value), Decimal(limit)
    rounded = Decimal(reference_round(value, decimals_of(lim)))
    assert exceeds(v, lim) is (rounded > lim)
    assert reaches(v, lim) is (rounded >= lim)
