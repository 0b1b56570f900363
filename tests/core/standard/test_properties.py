"""Properties of the engine over random loads (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.standard import Outcome, RuleSet, Severity, load_ruleset
from tests.core.standard.helpers import SHIPPED, raw_attributes, run

RS: RuleSet = load_ruleset(SHIPPED)
GRADED_ON_TREO = [c for c, spec in RS.categories.items() if spec.grading_attribute == "treo_pct_dry_oxide"]
RANK = {"A": 3, "B": 2, "C": 1, None: 0}

percent = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=3).map(str)
small = st.decimals(min_value=Decimal("0"), max_value=Decimal("2"), places=3).map(str)


@settings(deadline=None)  # a loaded build machine must not make timing a failure
@given(
    category=st.sampled_from(GRADED_ON_TREO),
    t1=percent,
    t2=percent,
    basis=st.sampled_from(["oxide", "metal"]),
    inclusions=st.sampled_from(["1.0", "3.0"]),
)
def test_a_higher_treo_never_gives_a_lower_grade(
    category: str, t1: str, t2: str, basis: str, inclusions: str
) -> None:
    low, high = sorted((t1, t2), key=Decimal)
    r_low = run(RS, category, treo_pct=low, treo_basis=basis, inclusions_pct=inclusions)
    r_high = run(RS, category, treo_pct=high, treo_basis=basis, inclusions_pct=inclusions)
    assert RANK[r_high.grade] >= RANK[r_low.grade]


gate_values = st.fixed_dictionaries(
    {
        "prohibited_items_found": st.booleans(),
        "portal_alarm": st.booleans(),
        "smoke_or_heat": st.booleans(),
        "dose_gross_usv_h": small,
        "inclusions_pct": st.decimals(min_value=Decimal("0"), max_value=Decimal("8"), places=2).map(str),
        "alpha_bq_cm2": st.none() | small,
        "air_isolated_packaging": st.booleans(),
        "hazardous_waste_code": st.sampled_from([None, "none", "HW49", "HW29"]),
        "treo_pct": st.none() | percent,
    }
)


@given(
    category=st.sampled_from(sorted(RS.categories)),
    stage=st.sampled_from(["intake", "gate", "lab"]),
    values=gate_values,
    permits=st.sets(st.sampled_from(["HW49", "HW29", "HW50"])),
)
@settings(max_examples=300, deadline=None)
def test_reject_beats_hold_beats_incomplete(
    category: str, stage: str, values: dict[str, Any], permits: set[str]
) -> None:
    r = run(RS, category, stage, permits=tuple(permits), **values)
    failed = {f.severity for f in r.findings if not f.passed}
    if Severity.REJECT in failed:
        assert r.outcome is Outcome.REJECT
    elif Severity.HOLD in failed:
        assert r.outcome is Outcome.HOLD
    elif r.missing:
        assert r.outcome is Outcome.INCOMPLETE
    else:
        assert r.outcome is Outcome.ACCEPT
    if values["prohibited_items_found"]:
        assert r.outcome is Outcome.REJECT
    if r.outcome is not Outcome.ACCEPT:
        assert r.grade is None


@settings(deadline=None)  # a loaded build machine must not make timing a failure
@given(category=st.sampled_from(sorted(RS.categories)), values=gate_values, seed=st.randoms())
def test_the_outcome_does_not_depend_on_attribute_order(
    category: str, values: dict[str, Any], seed: Any
) -> None:
    from inspector.standard import classify_input

    attrs = raw_attributes(category, "lab", **values)
    items = list(attrs.items())
    seed.shuffle(items)
    a = classify_input(RS, {"category": category, "stage": "lab", "attributes": attrs})
    b = classify_input(RS, {"category": category, "stage": "lab", "attributes": dict(items)})
    assert a.to_json() == b.to_json()
