"""The classification engine: pure functions from a checked load and a rule set to a classification.

Per DOMAIN.md §3-§6. A run at stage S needs every required attribute of the stages up to S. Each test of
each rule that applies to the category gives one finding when its attribute is known; limits are judged by
the GB/T 8170 rounded-value method. The outcome is REJECT if any REJECT finding failed, else HOLD if any
HOLD finding failed, else INCOMPLETE if a required attribute is missing, else ACCEPT. Grades are given at
the last stage (the lab) from the category's bands; each failed DOWNGRADE finding lowers the grade one step
and a grade lowered below the lowest band is a HOLD. The status is final only when the last stage is
complete. All arithmetic is Decimal with a wide, trapping context (``gbt8170.CONTEXT``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from inspector.standard.findings import (
    CHECK_PASSED,
    CONTENT_BELOW_RANGE,
    DOWNGRADED_BELOW_LOWEST,
    GRADE_ASSIGNED,
    WITHIN_LIMIT,
    Finding,
    Outcome,
    Severity,
    Status,
)
from inspector.standard.gbt8170 import CONTEXT, round_half_even
from inspector.standard.inputs import LoadInput, Value, check_category, check_stage, parse_load
from inspector.standard.ruleset import DOSE_NET, TREO_DRY_OXIDE, CategorySpec, RuleSet, RuleSetRef, TestSpec

_HUNDRED = Decimal(100)
_ONE = Decimal(1)
# Quotients that do not terminate are shown to this many decimals; judging uses the exact value.
SHOWN_DECIMALS = 10
_SHOWN_QUANTUM = Decimal(1).scaleb(-SHOWN_DECIMALS)


@dataclass(frozen=True, slots=True)
class Classification:
    """The result of judging one load at one stage under one rule set."""

    ruleset: RuleSetRef
    category: str
    stage: str
    outcome: Outcome
    grade: str | None
    status: Status
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    derived: Mapping[str, Decimal]

    def to_json(self) -> dict[str, Any]:
        """The ``classify`` command's output object (decimals as strings)."""
        return {
            "outcome": self.outcome.value,
            "grade": self.grade,
            "status": self.status.value,
            "category": self.category,
            "stage": self.stage,
            "findings": [f.to_json() for f in self.findings],
            "missing": list(self.missing),
            "derived": {k: show(v) for k, v in self.derived.items()},
            "ruleset": self.ruleset.to_json(),
        }

    @property
    def failed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.passed)


def show(value: Decimal) -> str:
    """A decimal as plain text (never exponent notation), a non-terminating quotient cut to 10 decimals."""
    text = format(value, "f")
    point = text.find(".")
    if point >= 0 and len(text) - point - 1 > SHOWN_DECIMALS:
        text = format(value.quantize(_SHOWN_QUANTUM, ROUND_HALF_EVEN, CONTEXT), "f")
    return text


# ---- derived values ------------------------------------------------------------------------------------

def dose_net(background: Decimal, gross: Decimal) -> Decimal:
    """Net dose rate: gross minus background (µSv/h); negative when the load reads below background."""
    return CONTEXT.subtract(gross, background)


def dry_fraction(moisture_pct: Decimal, oil_pct: Decimal | None = None) -> Decimal:
    """1 − (moisture + oil)/100: the dry share of the as-received mass."""
    wet = CONTEXT.add(moisture_pct, oil_pct if oil_pct is not None else Decimal(0))
    return CONTEXT.subtract(_ONE, CONTEXT.divide(wet, _HUNDRED))


def treo_dry_oxide(treo_pct: Decimal, *, basis: str, moisture_basis: str, oxide_factor: Decimal | None,
                   moisture_pct: Decimal | None, oil_pct: Decimal | None) -> Decimal | None:
    """TREO on dry oxide basis, or None when the conversion lacks a factor or the moisture."""
    value = treo_pct
    if basis == "metal":
        if oxide_factor is None:
            return None
        value = CONTEXT.multiply(value, oxide_factor)
    if moisture_basis == "as_received":
        if moisture_pct is None:
            return None
        value = CONTEXT.divide(value, dry_fraction(moisture_pct, oil_pct))
    return value


def dry_mass(net: int, moisture_pct: Decimal, oil_pct: Decimal | None = None) -> Decimal:
    """Dry payable mass in the net weight's unit: net × (1 − (moisture + oil)/100), exact."""
    return CONTEXT.multiply(Decimal(net), dry_fraction(moisture_pct, oil_pct))


def contained_reo(dry_mass_value: Decimal, treo_pct_dry_oxide: Decimal) -> Decimal:
    """Contained rare-earth oxides in the mass's unit: dry mass × TREO % (dry oxide basis)."""
    return CONTEXT.divide(CONTEXT.multiply(dry_mass_value, treo_pct_dry_oxide), _HUNDRED)


def derive(category: CategorySpec, attributes: Mapping[str, Value]) -> dict[str, Decimal]:
    """The derived values computable from the attributes (net dose, TREO on dry oxide basis)."""
    derived: dict[str, Decimal] = {}
    background = attributes.get("dose_background_usv_h")
    gross = attributes.get("dose_gross_usv_h")
    if isinstance(background, Decimal) and isinstance(gross, Decimal):
        derived[DOSE_NET] = dose_net(background, gross)
    treo = attributes.get("treo_pct")
    basis = attributes.get("treo_basis")
    moisture_basis = attributes.get("treo_moisture_basis")
    if isinstance(treo, Decimal) and isinstance(basis, str) and isinstance(moisture_basis, str):
        moisture = attributes.get("moisture_pct")
        oil = attributes.get("oil_pct")
        value = treo_dry_oxide(
            treo, basis=basis, moisture_basis=moisture_basis, oxide_factor=category.oxide_factor,
            moisture_pct=moisture if isinstance(moisture, Decimal) else None,
            oil_pct=oil if isinstance(oil, Decimal) else None,
        )
        if value is not None:
            derived[TREO_DRY_OXIDE] = value
    return derived


# ---- judging -------------------------------------------------------------------------------------------

def classify_input(ruleset: RuleSet, raw: object, *,
                   default_permit_codes: tuple[str, ...] = ()) -> Classification:
    """Check a raw load (as the ``classify`` command reads it) and classify it."""
    return classify(ruleset, parse_load(ruleset, raw, default_permit_codes=default_permit_codes))


def classify(ruleset: RuleSet, load: LoadInput) -> Classification:
    """Judge a checked load under the rule set (pure: same input, same classification)."""
    category = ruleset.categories.get(load.category)
    if category is None or load.stage not in ruleset.stages:
        # a LoadInput built by hand rather than by parse_load: refuse it in words, not with a KeyError
        check_category(ruleset, load.category)
        check_stage(ruleset, load.stage)
    assert category is not None
    attributes = load.attributes
    stage_index = ruleset.stages.index(load.stage)
    last_stage = stage_index == len(ruleset.stages) - 1
    derived = derive(category, attributes)

    missing = [key for key in category.required_upto[stage_index] if key not in attributes]
    if (category.grading_attribute == TREO_DRY_OXIDE and "treo_pct" in category.required_upto[stage_index]
            and attributes.get("treo_moisture_basis") == "as_received" and "moisture_pct" not in attributes
            and "moisture_pct" not in missing):
        # An as-received TREO cannot be put on dry basis without the moisture.
        missing.append("moisture_pct")

    findings: list[Finding] = []
    for test in category.tests:
        finding = _judge(test, attributes, derived, load.permit_codes)
        if finding is not None:
            findings.append(finding)

    grade: str | None = None
    if last_stage and category.grading_attribute is not None:
        grade = _grade(ruleset, category, attributes, derived, findings)

    failed = {f.severity for f in findings if not f.passed}
    if Severity.REJECT in failed:
        outcome = Outcome.REJECT
    elif Severity.HOLD in failed:
        outcome = Outcome.HOLD
    elif missing:
        outcome = Outcome.INCOMPLETE
    else:
        outcome = Outcome.ACCEPT
    return Classification(
        ruleset=ruleset.ref,
        category=load.category,
        stage=load.stage,
        outcome=outcome,
        grade=grade if outcome is Outcome.ACCEPT else None,
        status=Status.FINAL if last_stage and not missing else Status.PROVISIONAL,
        findings=tuple(findings),
        missing=tuple(missing),
        derived=derived,
    )


def _number(value: Value | None) -> Decimal | None:
    if value is None or isinstance(value, bool | str):
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def _judge(test: TestSpec, attributes: Mapping[str, Value], derived: Mapping[str, Decimal],
           permits: frozenset[str]) -> Finding | None:
    kind = test.kind
    if kind == "always":
        return Finding(test.rule, test.clause, None, None, None, test.severity, False, test.message)
    key = test.attribute
    assert key is not None
    value: Value | None = attributes[key] if key in attributes else derived.get(key)
    if value is None:
        return None
    if kind == "flag":
        failed = value is test.fail_if
        return Finding(test.rule, test.clause, key, bool(value), None, test.severity, not failed,
                       test.message if failed else CHECK_PASSED)
    if kind == "max":
        number = value if type(value) is Decimal else _number(value)
        assert number is not None, "the loader only allows numeric attributes in a max test"
        measured = show(number)
        # GB/T 8170: round half-even to each limit's written precision, then compare (highest limit first)
        for limit in test.limits:
            rounded = number.quantize(limit.quantum, ROUND_HALF_EVEN, CONTEXT)
            if rounded > limit.value:
                return Finding(test.rule, test.clause, key, measured, limit.text, limit.severity, False,
                               limit.message, format(rounded, "f"))
        last = test.limits[-1]
        return Finding(test.rule, test.clause, key, measured, last.text, last.severity, True, WITHIN_LIMIT,
                       format(rounded, "f"))
    # permit: a declared hazardous-waste code must be one the yard holds a permit for
    code = str(value)
    failed = code not in test.exempt and code not in permits
    return Finding(test.rule, test.clause, key, code, None, test.severity, not failed,
                   test.message if failed else CHECK_PASSED, params={"permits": ",".join(sorted(permits))})


def _grade(ruleset: RuleSet, category: CategorySpec, attributes: Mapping[str, Value],
           derived: Mapping[str, Decimal], findings: list[Finding]) -> str | None:
    key = category.grading_attribute
    assert key is not None
    number = _number(attributes[key] if key in attributes else derived.get(key))
    if number is None:
        return None
    rule = ruleset.definition.grading_rule
    measured = show(number)
    bands = category.bands
    for index, band in enumerate(bands):
        rounded = round_half_even(number, band.quantum)
        if rounded >= band.minimum:
            findings.append(Finding(rule.id, rule.clause, key, measured, band.text, rule.below_range_severity,
                                    True, GRADE_ASSIGNED, format(rounded, "f"), {"grade": band.grade}))
            steps = sum(1 for f in findings if f.severity is Severity.DOWNGRADE and not f.passed)
            if index + steps < len(bands):
                return bands[index + steps].grade
            findings.append(Finding(rule.id, rule.clause, key, measured, bands[-1].text,
                                    rule.below_range_severity, False, DOWNGRADED_BELOW_LOWEST,
                                    format(rounded, "f"),
                                    {"grade_before": band.grade, "downgrades": str(steps)}))
            return None
    lowest = bands[-1]
    findings.append(Finding(rule.id, rule.clause, key, measured, lowest.text, rule.below_range_severity,
                            False, CONTENT_BELOW_RANGE, format(round_half_even(number, lowest.quantum), "f")))
    return None
