"""The engine against DOMAIN.md §3-§6: every rule, every boundary, stages, grades and outcomes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspector.standard import (
    LoadInput,
    Outcome,
    RuleSet,
    Severity,
    Status,
    classify,
    classify_input,
    contained_reo,
    dose_net,
    dry_mass,
    treo_dry_oxide,
)
from inspector.standard.engine import show
from tests.core.standard.helpers import failed_rules, finding, raw_attributes, run

CATEGORIES_AND_BANDS = [
    ("NDFEB-PS", "30.0", "25.0", "20.0"),
    ("NDFEB-SL", "25.0", "18.0", "10.0"),
    ("NDFEB-PW", "28.0", "22.0", "15.0"),
    ("NDFEB-RO", "26.0", "22.0", "18.0"),
    ("NDFEB-EOL", "28.0", "20.0", "5.0"),
    ("NDFEB-BD", "22.0", "15.0", "10.0"),
    ("POLISH", "50.0", "35.0", "20.0"),
    ("PHOSPHOR", "20.0", "10.0", "3.0"),
    ("NIMH", "8.0", "5.0", "2.0"),
    ("CATALYST", "5.0", "2.0", "1.0"),
    ("PYRO-SLAG", "40.0", "20.0", "5.0"),
]


# ---- a clean load ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", [c[0] for c in CATEGORIES_AND_BANDS] + ["SMCO"])
def test_a_clean_complete_load_is_accepted_final_with_grade_a(rs: RuleSet, category: str) -> None:
    result = run(rs, category)
    assert result.outcome is Outcome.ACCEPT
    assert result.grade == "A"
    assert result.status is Status.FINAL
    assert result.missing == ()
    assert failed_rules(result) == []


@pytest.mark.parametrize(("category", "a", "b", "c"), CATEGORIES_AND_BANDS)
def test_grade_bands_at_their_exact_minimums(rs: RuleSet, category: str, a: str, b: str, c: str) -> None:
    def grade(treo: str) -> tuple[Outcome, str | None]:
        r = run(rs, category, treo_pct=treo)
        return r.outcome, r.grade

    assert grade(a) == (Outcome.ACCEPT, "A")
    assert grade(b) == (Outcome.ACCEPT, "B")
    assert grade(c) == (Outcome.ACCEPT, "C")
    below = str(Decimal(c) - Decimal("0.1"))
    assert grade(below) == (Outcome.HOLD, None)
    just_below_a = str(Decimal(a) - Decimal("0.1"))
    assert grade(just_below_a) == (Outcome.ACCEPT, "B")


def test_grading_half_even_cases_of_domain_section_6(rs: RuleSet) -> None:
    # against 30.0: 29.95 -> 30.0 (A); 29.85 -> 29.8 (B)
    a = run(rs, "NDFEB-PS", treo_pct="29.95")
    assert (a.grade, finding(a, "GR").rounded) == ("A", "30.0")
    b = run(rs, "NDFEB-PS", treo_pct="29.85")
    assert (b.grade, finding(b, "GR").rounded, finding(b, "GR").limit) == ("B", "29.8", "25.0")
    # a digit after the 5 rounds up; short of the 5 rounds down
    assert run(rs, "NDFEB-PS", treo_pct="29.9501").grade == "A"
    assert run(rs, "NDFEB-PS", treo_pct="29.9499").grade == "B"


def test_below_the_lowest_band_holds_for_reclassification(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", treo_pct="19.94")
    assert r.outcome is Outcome.HOLD and r.grade is None
    f = finding(r, "GR")
    assert (f.passed, f.message, f.limit, f.rounded, f.severity) == (
        False,
        "content_below_range",
        "20.0",
        "19.9",
        Severity.HOLD,
    )
    assert run(rs, "NDFEB-PS", treo_pct="19.95").grade == "C"  # 19.95 -> 20.0 (half to even)


def test_smco_grades_on_samarium(rs: RuleSet) -> None:
    assert run(rs, "SMCO", sm_pct="30.0").grade == "A"
    assert run(rs, "SMCO", sm_pct="29.95").grade == "A"
    assert run(rs, "SMCO", sm_pct="23.0").grade == "B"
    assert run(rs, "SMCO", sm_pct="15.0").grade == "C"
    r = run(rs, "SMCO", sm_pct="14.9")
    assert r.outcome is Outcome.HOLD and finding(r, "GR").attribute == "sm_pct"


def test_other_is_never_graded_and_always_held(rs: RuleSet) -> None:
    for stage in ("intake", "gate", "lab"):
        r = run(rs, "OTHER", stage)
        assert r.outcome is Outcome.HOLD and r.grade is None
        f = finding(r, "C4")
        assert (f.passed, f.severity, f.message) == (False, Severity.HOLD, "supervisor_must_classify")
    assert not any(f.rule == "GR" for f in run(rs, "OTHER").findings)
    # a REJECT still wins over the HOLD
    assert run(rs, "OTHER", prohibited_items_found=True).outcome is Outcome.REJECT


# ---- global rules ----------------------------------------------------------------------------------------


def test_g1_prohibited_items_reject(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", prohibited_items_found=True)
    assert r.outcome is Outcome.REJECT and r.grade is None
    f = finding(r, "G1")
    assert (f.passed, f.severity, f.measured, f.message) == (
        False,
        Severity.REJECT,
        True,
        "prohibited_items_found",
    )
    assert finding(run(rs, "NDFEB-PS"), "G1").passed


@pytest.mark.parametrize(
    ("gross", "outcome", "rounded"),
    [
        ("0.35", Outcome.ACCEPT, "0.25"),  # net exactly at the limit
        ("0.345", Outcome.ACCEPT, "0.24"),  # net 0.245 -> 0.24 (half to even)
        ("0.355", Outcome.HOLD, "0.26"),  # net 0.255 -> 0.26 (half to even)
        ("0.3549", Outcome.ACCEPT, "0.25"),  # net 0.2549 -> 0.25
        ("0.36", Outcome.HOLD, "0.26"),
        ("0.05", Outcome.ACCEPT, "-0.05"),  # below background
    ],
)
def test_g2_net_dose(rs: RuleSet, gross: str, outcome: Outcome, rounded: str) -> None:
    r = run(rs, "NDFEB-PS", dose_background_usv_h="0.10", dose_gross_usv_h=gross)
    assert r.outcome is outcome
    f = finding(r, "G2")
    assert (f.attribute, f.rounded, f.limit) == ("dose_net_usv_h", rounded, "0.25")
    assert f.passed is (outcome is Outcome.ACCEPT)
    assert r.derived["dose_net_usv_h"] == Decimal(gross) - Decimal("0.10")


def test_g2_needs_both_readings(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", "gate", dose_gross_usv_h=None)
    assert "dose_net_usv_h" not in r.derived
    assert not any(f.rule == "G2" for f in r.findings)
    assert r.outcome is Outcome.INCOMPLETE and r.missing == ("dose_gross_usv_h",)


def test_g3_portal_alarm_holds(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", portal_alarm=True)
    assert r.outcome is Outcome.HOLD and failed_rules(r) == ["G3"]


@pytest.mark.parametrize(
    ("key", "value", "held"),
    [
        ("alpha_bq_cm2", "0.04", False),
        ("alpha_bq_cm2", "0.045", False),  # -> 0.04
        ("alpha_bq_cm2", "0.0451", True),
        ("alpha_bq_cm2", "0.05", True),
        ("beta_bq_cm2", "0.4", False),
        ("beta_bq_cm2", "0.45", False),  # -> 0.4
        ("beta_bq_cm2", "0.46", True),
        ("beta_bq_cm2", "0.55", True),  # -> 0.6
    ],
)
def test_g4_surface_contamination_when_measured(rs: RuleSet, key: str, value: str, held: bool) -> None:
    r = run(rs, "NDFEB-PS", **{key: value})
    assert r.outcome is (Outcome.HOLD if held else Outcome.ACCEPT)
    assert finding(r, "G4", key).passed is not held


def test_g4_is_not_judged_when_not_measured(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS")
    assert not any(f.rule == "G4" for f in r.findings)
    assert r.missing == ()


@pytest.mark.parametrize(
    ("code", "permits", "outcome"),
    [
        ("HW49", (), Outcome.REJECT),
        ("HW49", ("HW29",), Outcome.REJECT),
        ("HW49", ("HW29", "HW49"), Outcome.ACCEPT),
        ("none", (), Outcome.ACCEPT),
    ],
)
def test_g5_hazardous_waste_needs_the_yards_permit(
    rs: RuleSet, code: str, permits: tuple[str, ...], outcome: Outcome
) -> None:
    r = run(rs, "PHOSPHOR", permits=permits, hazardous_waste_code=code)
    assert r.outcome is outcome
    f = finding(r, "G5")
    assert f.measured == code and f.passed is (outcome is Outcome.ACCEPT)
    assert f.params["permits"] == ",".join(sorted(permits))


def test_g5_applies_to_every_category_when_a_code_is_declared(rs: RuleSet) -> None:
    assert run(rs, "NDFEB-PS", hazardous_waste_code="HW50").outcome is Outcome.REJECT
    assert not any(f.rule == "G5" for f in run(rs, "NDFEB-PS").findings)


@pytest.mark.parametrize(
    ("inclusions", "outcome", "grade", "severity", "passed"),
    [
        ("2.0", Outcome.ACCEPT, "A", Severity.DOWNGRADE, True),
        ("2.04", Outcome.ACCEPT, "A", Severity.DOWNGRADE, True),  # -> 2.0
        ("2.05", Outcome.ACCEPT, "A", Severity.DOWNGRADE, True),  # -> 2.0 (half to even)
        ("2.15", Outcome.ACCEPT, "B", Severity.DOWNGRADE, False),  # -> 2.2
        ("2.1", Outcome.ACCEPT, "B", Severity.DOWNGRADE, False),
        ("5.0", Outcome.ACCEPT, "B", Severity.DOWNGRADE, False),
        ("5.05", Outcome.ACCEPT, "B", Severity.DOWNGRADE, False),  # -> 5.0
        ("5.06", Outcome.REJECT, None, Severity.REJECT, False),
        ("5.1", Outcome.REJECT, None, Severity.REJECT, False),
    ],
)
def test_g6_inclusions(
    rs: RuleSet, inclusions: str, outcome: Outcome, grade: str | None, severity: Severity, passed: bool
) -> None:
    r = run(rs, "NDFEB-PS", inclusions_pct=inclusions)
    assert (r.outcome, r.grade) == (outcome, grade)
    f = finding(r, "G6")
    assert (f.severity, f.passed) == (severity, passed)
    assert f.limit == ("5.0" if severity is Severity.REJECT else "2.0")


def test_g6_downgrade_below_c_holds(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", treo_pct="20.0", inclusions_pct="3.0")
    assert r.outcome is Outcome.HOLD and r.grade is None
    messages = [f.message for f in r.findings if f.rule == "GR"]
    assert messages == ["grade_assigned", "downgraded_below_lowest_grade"]
    below = next(f for f in r.findings if f.message == "downgraded_below_lowest_grade")
    assert below.params == {"grade_before": "C", "downgrades": "1"}


def test_g6_downgrade_does_not_grade_before_the_lab(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", "gate", inclusions_pct="3.0")
    assert (r.outcome, r.grade, r.status) == (Outcome.ACCEPT, None, Status.PROVISIONAL)
    assert finding(r, "G6").passed is False


def test_g7_smoke_or_heat_holds(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", smoke_or_heat=True)
    assert r.outcome is Outcome.HOLD and failed_rules(r) == ["G7"]


# ---- category rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["NDFEB-SL", "NDFEB-PW"])
def test_c1_sludge_and_powder_must_be_air_isolated(rs: RuleSet, category: str) -> None:
    r = run(rs, category, air_isolated_packaging=False)
    assert r.outcome is Outcome.REJECT and failed_rules(r) == ["C1"]
    assert finding(run(rs, category), "C1").passed


def test_c1_does_not_apply_to_solid_scrap(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", air_isolated_packaging=False)
    assert r.outcome is Outcome.ACCEPT and not any(f.rule == "C1" for f in r.findings)


def test_c2_damaged_nimh_cells_hold(rs: RuleSet) -> None:
    assert run(rs, "NIMH", damaged_cells=True).outcome is Outcome.HOLD
    assert run(rs, "NDFEB-PS", damaged_cells=True).outcome is Outcome.ACCEPT


@pytest.mark.parametrize(
    ("u_th", "outcome"),
    [
        ("1.0", Outcome.ACCEPT),
        ("1.05", Outcome.ACCEPT),
        ("1.06", Outcome.REJECT),
        ("1.15", Outcome.REJECT),
        ("1.1", Outcome.REJECT),
    ],
)
def test_c3_pyro_slag_above_the_exemption_level_is_rejected(rs: RuleSet, u_th: str, outcome: Outcome) -> None:
    r = run(rs, "PYRO-SLAG", u_th_max_bq_g=u_th)
    assert r.outcome is outcome
    assert finding(r, "C3").limit == "1.0"


def test_c3_only_for_pyro_slag(rs: RuleSet) -> None:
    assert run(rs, "POLISH", u_th_max_bq_g="3.0").outcome is Outcome.ACCEPT


# ---- outcome precedence, stages, missing -----------------------------------------------------------------


def test_reject_beats_hold_beats_incomplete(rs: RuleSet) -> None:
    both = run(rs, "NDFEB-PS", portal_alarm=True, prohibited_items_found=True, treo_pct=None)
    assert both.outcome is Outcome.REJECT
    hold = run(rs, "NDFEB-PS", portal_alarm=True, treo_pct=None)
    assert hold.outcome is Outcome.HOLD and "treo_pct" in hold.missing
    incomplete = run(rs, "NDFEB-PS", treo_pct=None)
    assert incomplete.outcome is Outcome.INCOMPLETE and incomplete.grade is None


def test_gate_stage_without_findings_is_provisional_accept_without_grade(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-SL", "gate")
    assert (r.outcome, r.grade, r.status, r.missing) == (Outcome.ACCEPT, None, Status.PROVISIONAL, ())


def test_intake_stage_needs_origin_and_the_generating_enterprise_for_ndfeb(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", "intake", origin=None, generating_enterprise=None)
    assert r.outcome is Outcome.INCOMPLETE
    assert r.missing == ("origin", "generating_enterprise")
    assert run(rs, "POLISH", "intake", generating_enterprise=None).outcome is Outcome.ACCEPT


def test_a_stage_needs_every_earlier_stage(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-SL", "lab", origin=None, air_isolated_packaging=None)
    assert r.missing == ("origin", "air_isolated_packaging")
    assert r.status is Status.PROVISIONAL


@pytest.mark.parametrize(
    ("category", "extra"),
    [
        ("NDFEB-PS", ["generating_enterprise", "treo_pct", "prnd_pct_of_treo"]),
        (
            "NDFEB-SL",
            ["generating_enterprise", "air_isolated_packaging", "moisture_pct", "oil_pct", "treo_pct"],
        ),
        ("NDFEB-PW", ["generating_enterprise", "air_isolated_packaging", "treo_pct"]),
        ("NDFEB-RO", ["generating_enterprise", "treo_pct"]),
        ("NDFEB-EOL", ["generating_enterprise", "magnet_liberated", "treo_pct"]),
        ("NDFEB-BD", ["generating_enterprise", "treo_pct"]),
        ("SMCO", ["sm_pct", "co_pct"]),
        ("POLISH", ["moisture_pct", "treo_pct"]),
        ("PHOSPHOR", ["hazardous_waste_code", "treo_pct"]),
        ("NIMH", ["damaged_cells", "treo_pct"]),
        ("CATALYST", ["hazardous_waste_code", "treo_pct"]),
        ("PYRO-SLAG", ["u_th_max_bq_g", "treo_pct"]),
    ],
)
def test_required_attributes_per_category(rs: RuleSet, category: str, extra: list[str]) -> None:
    common = [
        "origin",
        "dose_background_usv_h",
        "dose_gross_usv_h",
        "portal_alarm",
        "prohibited_items_found",
        "inclusions_pct",
        "smoke_or_heat",
    ]
    companions = ["treo_basis", "treo_moisture_basis"] if "treo_pct" in extra else []
    r = classify(rs, LoadInput(category, "lab", {}, frozenset()))
    assert set(r.missing) == set(common + extra + companions)
    assert r.outcome is Outcome.INCOMPLETE
    for key in extra:
        assert key in run(rs, category, **{key: None}).missing


def test_optional_attributes_are_not_missing(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", moisture_pct=None, oil_pct=None, hg_mg_kg=None)
    assert r.outcome is Outcome.ACCEPT and r.missing == ()


def test_outcome_json_shape(rs: RuleSet) -> None:
    raw = {"category": "NDFEB-PS", "stage": "lab", "attributes": raw_attributes("NDFEB-PS")}
    out = classify_input(rs, raw).to_json()
    assert set(out) >= {"outcome", "grade", "status", "category", "findings", "missing", "derived", "ruleset"}
    assert out["ruleset"] == {
        "id": "CN-RE2R",
        "version": "0.1.0",
        "sha256": rs.sha256,
        "status": "provisional",
    }
    assert all(
        {"rule", "severity", "passed", "clause", "attribute", "measured", "limit", "message"} <= set(f)
        for f in out["findings"]
    )
    assert out["derived"] == {"dose_net_usv_h": "0.05", "treo_pct_dry_oxide": "60.0"}


# ---- basis conversion and derived values -----------------------------------------------------------------


def test_metal_basis_is_multiplied_by_the_category_factor(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", treo_pct="25.73", treo_basis="metal")  # 25.73 * 1.166 = 30.00118
    assert r.derived["treo_pct_dry_oxide"] == Decimal("30.00118")
    assert r.grade == "A"
    r = run(rs, "NDFEB-PS", treo_pct="25.68", treo_basis="metal")  # 29.94288 -> 29.9
    assert r.grade == "B"
    assert run(rs, "PHOSPHOR", treo_pct="10.0", treo_basis="metal").derived["treo_pct_dry_oxide"] == Decimal(
        "12.7000"
    )


def test_as_received_is_converted_to_dry_with_moisture_and_oil(rs: RuleSet) -> None:
    r = run(
        rs,
        "NDFEB-SL",
        treo_pct="16.25",
        treo_moisture_basis="as_received",
        moisture_pct="20.0",
        oil_pct="15.0",
    )
    assert r.derived["treo_pct_dry_oxide"] == Decimal("25")  # 16.25 / 0.65
    assert r.grade == "A"
    # oil taken as 0 when absent (POLISH does not require it)
    r = run(
        rs, "POLISH", treo_pct="40.0", treo_moisture_basis="as_received", moisture_pct="20.0", oil_pct=None
    )
    assert r.derived["treo_pct_dry_oxide"] == Decimal("50")
    assert r.grade == "A"


def test_as_received_without_moisture_cannot_be_graded(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", treo_moisture_basis="as_received", moisture_pct=None)
    assert "treo_pct_dry_oxide" not in r.derived
    assert r.missing == ("moisture_pct",)
    assert r.outcome is Outcome.INCOMPLETE and r.status is Status.PROVISIONAL


def test_non_terminating_quotients_are_judged_exactly_and_shown_to_ten_decimals(rs: RuleSet) -> None:
    r = run(
        rs, "NDFEB-SL", treo_pct="20.0", treo_moisture_basis="as_received", moisture_pct="25.0", oil_pct="5.0"
    )  # 20 / 0.7 = 28.571428...
    assert r.to_json()["derived"]["treo_pct_dry_oxide"] == "28.5714285714"
    assert finding(r, "GR").rounded == "28.6"


def test_metal_basis_without_a_factor_gives_no_dry_oxide_value(rs: RuleSet) -> None:
    r = run(rs, "SMCO", treo_pct="10.0", treo_basis="metal")
    assert "treo_pct_dry_oxide" not in r.derived
    assert r.outcome is Outcome.ACCEPT  # SMCO grades on sm_pct


def test_derived_helpers() -> None:
    assert dose_net(Decimal("0.10"), Decimal("0.355")) == Decimal("0.255")
    assert dry_mass(12340, Decimal("20.0"), Decimal("15.0")) == Decimal("8021.000")
    assert dry_mass(12340, Decimal("20.0")) == Decimal("9872.00")
    assert contained_reo(Decimal("8021"), Decimal("25.0")) == Decimal("2005.25")
    assert (
        treo_dry_oxide(
            Decimal("10"),
            basis="metal",
            moisture_basis="dry",
            oxide_factor=None,
            moisture_pct=None,
            oil_pct=None,
        )
        is None
    )
    assert (
        treo_dry_oxide(
            Decimal("10"),
            basis="oxide",
            moisture_basis="as_received",
            oxide_factor=None,
            moisture_pct=None,
            oil_pct=None,
        )
        is None
    )
    assert treo_dry_oxide(
        Decimal("10"),
        basis="metal",
        moisture_basis="as_received",
        oxide_factor=Decimal("1.166"),
        moisture_pct=Decimal("50"),
        oil_pct=None,
    ) == Decimal("23.32")


def test_show_never_uses_exponent_notation() -> None:
    assert show(Decimal("5E+1")) == "50"
    assert show(Decimal("0.00000001")) == "0.00000001"
    assert show(Decimal("1") / Decimal("3")) == "0.3333333333"


def test_integer_attributes_are_accepted(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", package_count=12)
    assert r.outcome is Outcome.ACCEPT
    assert run(rs, "NDFEB-PS", package_count="12").outcome is Outcome.ACCEPT


def test_findings_keep_rule_order_and_clauses(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-SL", alpha_bq_cm2="0.01", beta_bq_cm2="0.1", hazardous_waste_code="none")
    assert [f.rule for f in r.findings] == ["G1", "G2", "G3", "G4", "G4", "G5", "G6", "G7", "C1", "GR"]
    assert finding(r, "C1").clause == "§5 C1"


def test_the_failed_findings_and_the_rule_set_reference(rs: RuleSet) -> None:
    r = run(rs, "NDFEB-PS", portal_alarm=True, smoke_or_heat=True)
    assert [f.rule for f in r.failed] == ["G3", "G7"]
    assert r.ruleset.label == "CN-RE2R 0.1.0" == rs.label


def test_a_hand_built_load_with_an_unknown_category_or_stage_is_refused_in_words(rs: RuleSet) -> None:
    from inspector.errors import UserError

    with pytest.raises(UserError) as err:
        classify(rs, LoadInput("NDFEB-XX", "lab", {}))
    assert err.value.field == "category"
    with pytest.raises(UserError) as err:
        classify(rs, LoadInput("NDFEB-PS", "scale", {}))
    assert err.value.field == "stage"
