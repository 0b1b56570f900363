"""The steps' checks: which field, what code; required-ness from the rule set; findings at their step."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from inspector.intake import steps as st
from inspector.intake.steps import Action, Step, StepContext, StoredTare
from inspector.standard import RuleSet, default_ruleset
from inspector.standard.findings import Severity

from .conftest import GATE_OK, IDENTIFY_PS, SAMPLING_OK, USCC


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return default_ruleset()


def codes(check: st.StepCheck) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in check.errors}


def arrival(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "plate": "赣B12345",
        "supplier_id": "1",
        "declared_category": "NDFEB-PS",
        "origin": "production",
        "generating_enterprise": "某磁材厂",
    }
    values.update(extra)
    return values


def test_the_seven_steps_in_order() -> None:
    assert [s.value for s in st.STEPS] == [
        "arrival",
        "gross",
        "gate",
        "identification",
        "sampling",
        "tare",
        "summary",
    ]
    assert st.next_step_after(Step.TARE) is Step.SUMMARY
    assert st.next_step_after(Step.SUMMARY) is None


def test_a_good_arrival_passes_and_is_cleaned(rs: RuleSet) -> None:
    check = st.check_step(Step.ARRIVAL, arrival(plate=" 赣b 12345 ", driver="  张  三 "), StepContext(rs))
    assert check.ok, check.errors
    assert check.values["plate"] == "赣B12345"
    assert check.values["driver"] == "张 三"
    assert check.values["supplier_id"] == 1
    assert check.attributes == {"origin": "production", "generating_enterprise": "某磁材厂"}


def test_required_at_arrival_follows_the_declared_category(rs: RuleSet) -> None:
    # Every NDFEB-* category needs the generating enterprise; SMCO does not; PHOSPHOR needs an HW code.
    ps = st.check_step(Step.ARRIVAL, arrival(generating_enterprise=""), StepContext(rs))
    assert ("generating_enterprise", st.REQUIRED) in codes(ps)
    smco = st.check_step(
        Step.ARRIVAL, arrival(declared_category="SMCO", generating_enterprise=""), StepContext(rs)
    )
    assert smco.ok
    phosphor = st.check_step(Step.ARRIVAL, arrival(declared_category="PHOSPHOR"), StepContext(rs))
    assert {("hazardous_waste_code", st.REQUIRED), ("hw_manifest_no", st.REQUIRED)} <= codes(phosphor)


def test_required_attributes_come_from_the_rule_set(rs: RuleSet) -> None:
    assert st.required_attributes(rs, "NDFEB-SL", "gate") == (
        "dose_background_usv_h",
        "dose_gross_usv_h",
        "portal_alarm",
        "prohibited_items_found",
        "inclusions_pct",
        "smoke_or_heat",
        "air_isolated_packaging",
    )
    assert "magnet_liberated" in st.required_attributes(rs, "NDFEB-EOL", "gate")
    assert st.required_attributes(rs, None, "intake") == ("origin",)
    gate_keys = {f.key for f in st.fields_for(Step.GATE, rs, "NIMH")}
    assert "damaged_cells" in gate_keys and "air_isolated_packaging" not in gate_keys


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("plate", "赣B 12345 !!", st.MALFORMED_PLATE),
        ("supplier_id", "abc", st.NOT_A_CHOICE),
        ("declared_category", "GOLD", st.UNKNOWN_CATEGORY),
        ("origin", "moon", st.NOT_A_CHOICE),
        ("hazardous_waste_code", "HW4", st.MALFORMED_HW_CODE),
        ("hazardous_waste_code", "XX49", st.MALFORMED_HW_CODE),
        ("hw_manifest_no", "12 34", st.MALFORMED_MANIFEST),
        ("package_count", "-3", st.BELOW_MINIMUM),
        ("package_count", "2.5", st.NOT_A_WHOLE_NUMBER),
        ("documents", ["passport"], st.UNKNOWN_DOCUMENT),
        ("driver", "x" * 101, st.TOO_LONG),
    ],
)
def test_arrival_field_errors_name_the_field_and_the_code(
    rs: RuleSet, field: str, value: Any, code: str
) -> None:
    check = st.check_step(Step.ARRIVAL, arrival(**{field: value}), StepContext(rs))
    assert (field, code) in codes(check)


def test_a_new_supplier_needs_a_valid_uscc(rs: RuleSet) -> None:
    values = arrival(supplier_id="", new_supplier_name="新供应商", new_supplier_uscc=USCC[:-1] + "0")
    check = st.check_step(Step.ARRIVAL, values, StepContext(rs))
    [error] = check.errors
    assert (error.field, error.code) == ("new_supplier_uscc", st.MALFORMED_USCC)
    assert error.params["problem"] == "uscc.check_character"
    field = st.field_name("new_supplier_uscc", rs)
    assert error.words("en", field=field) == "Not a valid unified social credit code: The check character " \
        "of this unified social credit code does not match (it ends in 0, the first 17 characters give 3). " \
        "A character was mistyped; compare it with the business licence."
    assert error.words("zh_CN", field=field) == "统一社会信用代码无效：此统一社会信用代码的校验码不符" \
        "（末位为 0，按前 17 位应为 3）。有字符输错了，请与营业执照核对。"
    good = st.check_step(Step.ARRIVAL, {**values, "new_supplier_uscc": USCC.lower()}, StepContext(rs))
    assert good.ok and good.values["new_supplier_uscc"] == USCC
    missing = st.check_step(Step.ARRIVAL, arrival(supplier_id=""), StepContext(rs))
    assert {("new_supplier_name", st.REQUIRED), ("new_supplier_uscc", st.REQUIRED)} <= codes(missing)


def test_a_declared_hw_code_without_permit_is_a_reject_at_arrival(rs: RuleSet) -> None:
    values = arrival(
        declared_category="PHOSPHOR", hazardous_waste_code="hw29", hw_manifest_no="20260302000123"
    )
    check = st.check_step(Step.ARRIVAL, values, StepContext(rs, permit_codes=frozenset({"HW49"})))
    assert check.ok and check.attributes["hazardous_waste_code"] == "HW29"
    [alert] = check.alerts
    assert alert.finding.rule == "G5" and alert.severity is Severity.REJECT
    assert alert.actions == (Action.REFUSE_UNLOADING, Action.CALL_SUPERVISOR)
    permitted = st.check_step(
        Step.ARRIVAL,
        {**values, "hazardous_waste_code": "HW49"},
        StepContext(rs, permit_codes=frozenset({"HW49"})),
    )
    assert permitted.alerts == ()


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"gross": "-10"}, "gross", st.NEGATIVE_WEIGHT),
        ({"gross": "12.5"}, "gross", st.NOT_A_WHOLE_NUMBER),
        ({"gross": ""}, "gross", st.REQUIRED),
        ({"gross": "90000"}, "gross", st.WEIGHT_OVER_CAPACITY),
        ({"gross": "100", "source": "manual"}, "manual_reason", st.REQUIRED),
        ({"gross": "100", "photos": ["not-a-hash"]}, "photos", st.MALFORMED_PHOTO),
    ],
)
def test_gross_errors(rs: RuleSet, values: dict[str, Any], field: str, code: str) -> None:
    check = st.check_step(Step.GROSS, {"source": "indicator", **values}, StepContext(rs, capacity=80000))
    assert (field, code) in codes(check)


def test_gate_percentages_and_negative_readings_are_refused(rs: RuleSet) -> None:
    ctx = StepContext(rs, category="NDFEB-PS")
    over = st.check_step(Step.GATE, {**GATE_OK, "inclusions_pct": "100.5"}, ctx)
    assert ("inclusions_pct", st.PERCENTAGE_OVER_100) in codes(over)
    negative = st.check_step(Step.GATE, {**GATE_OK, "inclusions_pct": "-1"}, ctx)
    assert ("inclusions_pct", st.NEGATIVE_PERCENTAGE) in codes(negative)
    dose = st.check_step(Step.GATE, {**GATE_OK, "dose_gross_usv_h": "-0.1"}, ctx)
    assert ("dose_gross_usv_h", st.BELOW_MINIMUM) in codes(dose)
    text = st.check_step(Step.GATE, {**GATE_OK, "dose_gross_usv_h": "0,2"}, ctx)
    assert ("dose_gross_usv_h", st.NOT_A_NUMBER) in codes(text)
    unanswered = st.check_step(Step.GATE, {**GATE_OK, "portal_alarm": None}, ctx)
    assert ("portal_alarm", st.REQUIRED) in codes(unanswered)


def test_the_net_dose_is_computed_and_judged_on_the_spot(rs: RuleSet) -> None:
    ctx = StepContext(rs, category="NDFEB-PS")
    ok = st.check_step(Step.GATE, GATE_OK, ctx)
    assert ok.ok and ok.alerts == () and ok.derived["dose_net_usv_h"] == "0.10"
    # 0.355 - 0.10 = 0.255 rounds (GB/T 8170) to 0.26 > 0.25: HOLD, quarantine and call the supervisor.
    high = st.check_step(Step.GATE, {**GATE_OK, "dose_gross_usv_h": "0.355"}, ctx)
    [alert] = high.alerts
    assert (alert.finding.rule, alert.finding.rounded, alert.severity) == ("G2", "0.26", Severity.HOLD)
    assert alert.actions == (Action.QUARANTINE_BAY, Action.CALL_SUPERVISOR)
    # 0.345 - 0.10 = 0.245 rounds to 0.24: within the limit.
    assert st.check_step(Step.GATE, {**GATE_OK, "dose_gross_usv_h": "0.345"}, ctx).alerts == ()


def test_a_dose_over_the_limit_holds_the_load_while_the_rest_of_the_gate_form_is_empty(rs: RuleSet) -> None:
    """A safety rule is judged as soon as its own inputs are valid: the HOLD must not wait for the other
    required fields (0.55 gross over 0.10 background, the portal alarm on, nothing else filled in)."""
    ctx = StepContext(rs, category="NDFEB-PS")
    early = st.check_step(Step.GATE, {"dose_background_usv_h": "0.10", "dose_gross_usv_h": "0.55",
                                      "portal_alarm": True}, ctx)
    assert ("prohibited_items_found", st.REQUIRED) in codes(early)  # still incomplete...
    assert ("handheld_usv_h", st.REQUIRED) in codes(early)
    held = {a.finding.rule: a.severity for a in early.alerts}  # ...and already held, with what to do
    assert held.get("G2") is Severity.HOLD
    # A value that is not valid yet judges nothing (no finding on a half-typed number).
    typing = st.check_step(Step.GATE, {"dose_background_usv_h": "0.10", "dose_gross_usv_h": "0,55"}, ctx)
    assert typing.alerts == ()


def test_a_portal_alarm_needs_the_hand_held_follow_up(rs: RuleSet) -> None:
    ctx = StepContext(rs, category="NDFEB-PS")
    check = st.check_step(Step.GATE, {**GATE_OK, "portal_alarm": True}, ctx)
    assert ("handheld_usv_h", st.REQUIRED) in codes(check)
    followed = st.check_step(Step.GATE, {**GATE_OK, "portal_alarm": True, "handheld_usv_h": "0.30"}, ctx)
    assert [a.finding.rule for a in followed.alerts] == ["G3"]


def test_gate_rejects_and_downgrades(rs: RuleSet) -> None:
    ctx = StepContext(rs, category="NDFEB-SL")
    check = st.check_step(
        Step.GATE,
        {**GATE_OK, "prohibited_items_found": True, "inclusions_pct": "3.0", "air_isolated_packaging": False},
        ctx,
    )
    by_rule = {a.finding.rule: a for a in check.alerts}
    assert set(by_rule) == {"G1", "G6", "C1"}
    assert by_rule["G6"].severity is Severity.DOWNGRADE and by_rule["G6"].actions == (Action.NOTE_DOWNGRADE,)
    assert st.worst(check.alerts) is Severity.REJECT


KNOWN = {**GATE_OK, "origin": "production", "generating_enterprise": "某磁材厂"}


def test_identification_gives_the_category_and_its_own_findings(rs: RuleSet) -> None:
    ctx = StepContext(rs, category="NDFEB-PS", attributes=KNOWN)
    done = st.check_step(Step.IDENTIFICATION, {"answers": dict(IDENTIFY_PS)}, ctx)
    assert done.ok and done.values["category"] == "NDFEB-PS" and done.category == "NDFEB-PS"
    assert done.attributes == {}
    partial = st.check_step(Step.IDENTIFICATION, {"answers": {"kind": "magnet"}}, ctx)
    [error] = partial.errors
    assert (error.code, error.params["question"]) == (st.IDENTIFICATION_INCOMPLETE, "magnet_type")
    wrong = st.check_step(Step.IDENTIFICATION, {"answers": {"kind": "gold"}}, ctx)
    assert wrong.errors[0].code == st.NOT_AN_ANSWER
    # Identified as sludge while the gate found no air isolation: C1 arises at identification.
    sludge = dict(IDENTIFY_PS, ndfeb_form="sludge")
    isolated = StepContext(rs, attributes={**KNOWN, "air_isolated_packaging": False})
    assert [
        a.finding.rule for a in st.check_step(Step.IDENTIFICATION, {"answers": sludge}, isolated).alerts
    ] == ["C1"]
    other = st.check_step(Step.IDENTIFICATION, {"answers": {"kind": "other"}}, ctx)
    assert [(a.finding.rule, a.severity) for a in other.alerts] == [("C4", Severity.HOLD)]


def test_identification_asks_what_the_identified_category_needs(rs: RuleSet) -> None:
    # Declared SMCO, so the gate never asked about air isolation; identified as sludge, it is asked now.
    ctx = StepContext(rs, category="SMCO", attributes={**GATE_OK, "origin": "production"})
    sludge = {"answers": dict(IDENTIFY_PS, ndfeb_form="sludge")}
    assert [f.key for f in st.fields_missing_for(rs, "NDFEB-SL", ctx.attributes)] == [
        "generating_enterprise",
        "air_isolated_packaging",
    ]
    asked = st.check_step(Step.IDENTIFICATION, sludge, ctx)
    assert codes(asked) == {("generating_enterprise", st.REQUIRED), ("air_isolated_packaging", st.REQUIRED)}
    answered = st.check_step(
        Step.IDENTIFICATION,
        {**sludge, "generating_enterprise": "某磁材厂", "air_isolated_packaging": False},
        ctx,
    )
    assert answered.ok and answered.attributes == {
        "generating_enterprise": "某磁材厂",
        "air_isolated_packaging": False,
    }
    assert [(a.finding.rule, a.severity) for a in answered.alerts] == [("C1", Severity.REJECT)]


def test_sampling_plan_increments_and_seals(rs: RuleSet) -> None:
    assert st.check_step(Step.SAMPLING, SAMPLING_OK, StepContext(rs)).ok
    few = st.check_step(Step.SAMPLING, {**SAMPLING_OK, "increments": "9"}, StepContext(rs))
    [error] = few.errors
    assert (error.field, error.code, error.params["minimum"]) == ("increments", st.TOO_FEW_INCREMENTS, "10")
    bad = st.check_step(
        Step.SAMPLING,
        {**SAMPLING_OK, "seal_supplier": "y-0001", "seal_arbitration": "A 1", "composite": False},
        StepContext(rs),
    )
    assert codes(bad) == {
        ("seal_supplier", st.DUPLICATE_SEAL),
        ("seal_arbitration", st.MALFORMED_SEAL),
        ("composite", st.COMPOSITE_REQUIRED),
    }


def test_tare_checks(rs: RuleSet) -> None:
    now = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    ctx = StepContext(rs, gross=30000, now=now)
    frame = {"frame_hex": "7702", "scale_id": "WB1"}
    assert st.check_step(Step.TARE, {"tare": "12000", "source": "indicator", **frame}, ctx).ok
    unframed = st.check_step(Step.TARE, {"tare": "12000", "source": "indicator"}, ctx)
    assert {("frame_hex", st.REQUIRED), ("scale_id", st.REQUIRED)} <= codes(unframed)
    bad_frame = st.check_step(
        Step.TARE, {"tare": "12000", "source": "indicator", **frame, "frame_hex": "zz"}, ctx
    )
    assert ("frame_hex", st.MALFORMED_FRAME) in codes(bad_frame)
    above = st.check_step(Step.TARE, {"tare": "30010", "source": "indicator", **frame}, ctx)
    [error] = above.errors
    assert (error.code, error.params) == (st.TARE_ABOVE_GROSS, {"tare": "30,010 kg", "gross": "30,000 kg"})
    assert ("tare", st.NEGATIVE_WEIGHT) in codes(
        st.check_step(Step.TARE, {"tare": "-5", "source": "indicator"}, ctx)
    )
    assert ("source", st.STORED_TARE_MISSING) in codes(st.check_step(Step.TARE, {"source": "stored"}, ctx))
    expired = StepContext(
        rs, gross=30000, now=now, stored_tare=StoredTare(12000, datetime(2026, 3, 1, tzinfo=UTC))
    )
    [gone] = st.check_step(Step.TARE, {"source": "stored"}, expired).errors
    assert (gone.field, gone.code) == ("source", st.STORED_TARE_EXPIRED)
    assert {k: str(v) for k, v in gone.params.items()} == {"expired": "2026-03-01 00:00"}
    at_the_yard = dataclasses.replace(expired, offset_minutes=480)
    [gone] = st.check_step(Step.TARE, {"source": "stored"}, at_the_yard).errors
    assert gone.words("zh_CN", field="") == "该车辆的存档皮重已于 2026年03月01日 08:00 过期。请空车过磅。"
    valid = StepContext(
        rs, gross=30000, now=now, stored_tare=StoredTare(12000, datetime(2026, 9, 1, tzinfo=UTC))
    )
    stored = st.check_step(Step.TARE, {"source": "stored"}, valid)
    assert stored.ok and stored.values["tare"] == 12000
    no_gross = st.check_step(Step.TARE, {"tare": "100", "source": "indicator"}, StepContext(rs))
    assert ("tare", st.NO_GROSS_YET) in codes(no_gross)


def test_summary_must_be_confirmed(rs: RuleSet) -> None:
    assert ("confirmed", st.NOT_CONFIRMED) in codes(
        st.check_step(Step.SUMMARY, {"confirmed": False}, StepContext(rs))
    )
    assert st.check_step(Step.SUMMARY, {"confirmed": True}, StepContext(rs)).ok


def test_lab_values(rs: RuleSet) -> None:
    errors, attributes = st.check_lab_values(
        rs, "NDFEB-PS", "metal_dry", {"treo_pct": "26.0", "prnd_pct_of_treo": "76.5"}
    )
    assert errors == ()
    assert attributes == {
        "treo_pct": "26.0",
        "prnd_pct_of_treo": "76.5",
        "treo_basis": "metal",
        "treo_moisture_basis": "dry",
    }
    errors, _ = st.check_lab_values(
        rs, "NDFEB-SL", "dry", {"treo_pct": "101", "moisture_pct": "60", "oil_pct": "45", "gold": "1"}
    )
    assert {(e.field, e.code) for e in errors} == {
        ("treo_pct", st.PERCENTAGE_OVER_100),
        ("basis", st.NOT_A_CHOICE),
        ("oil_pct", st.MOISTURE_OIL_OVER_100),
        ("gold", st.NOT_A_CHOICE),
    }


def test_step_invalid_error_names_the_first_field() -> None:
    error = st.StepInvalidError(
        Step.TARE, [st.FieldError("tare", st.TARE_ABOVE_GROSS, {"tare": "2 kg", "gross": "1 kg"})]
    )
    assert (error.code, error.field) == ("intake.step_invalid", "tare")
    assert error.message == "The tare weighing step cannot be submitted: The tare (2 kg) cannot be above " \
        "the gross weight (1 kg)."
    assert error.hint == "Correct the marked field and submit the step again."
    assert error.words("zh_CN") == "皮重过磅步骤无法提交：皮重（2 kg）不能大于毛重（1 kg）。" \
        "请改正标出的字段后重新提交。"
    assert error.to_json("zh_CN")["params"]["step"] == "tare"


def test_every_field_error_code_has_words_in_both_languages(rs: RuleSet) -> None:
    from inspector import messages

    # every code constant the module defines (its only upper-case text constants) has its words
    source = Path(st.__file__).read_text(encoding="utf-8")
    constants = set(re.findall(r'^[A-Z_0-9]+ = "([a-z_0-9]+)"$', source, re.MULTILINE))
    assert len(constants) == 37 and constants == set(st.ERROR_CODES)
    for code, key in st.ERROR_CODES.items():
        assert messages.known_error(key), code
        for lang in messages.LANGUAGES:
            words = st.FieldError("plate", code, {"value": "x"}).words(lang, field=st.field_name("plate"))
            assert words and "{field}" not in words
    required = st.FieldError("treo_pct", st.REQUIRED)
    assert required.words("zh_CN", field=st.field_name("treo_pct", rs)) == "稀土总量（TREO）为必填项。"
    assert required.words("en", field=st.field_name("plate")) == "Vehicle plate is required."
    # a code without words is shown as it is, not hidden
    assert st.FieldError("plate", "nonsense").words("en", field="Plate") == "Plate: nonsense"
