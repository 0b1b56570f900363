"""Input checks: every bad value is refused with the field named and what is allowed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from inspector.errors import UserError
from inspector.standard import RuleSet, parse_attributes, parse_load
from tests.core.standard.helpers import raw_attributes


def load(**changes: Any) -> dict[str, Any]:
    return {"category": "NDFEB-SL", "stage": "lab", "attributes": raw_attributes("NDFEB-SL", **changes)}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"treo_pct": "abc"}, "attributes.treo_pct", "not a number"),
        ({"treo_pct": "1e2"}, "attributes.treo_pct", "not a number"),
        ({"treo_pct": "NaN"}, "attributes.treo_pct", "not a number"),
        ({"treo_pct": ""}, "attributes.treo_pct", "not a number"),
        ({"treo_pct": "1_0"}, "attributes.treo_pct", "not a number"),
        ({"treo_pct": "-0.1"}, "attributes.treo_pct", "cannot be negative"),
        ({"moisture_pct": "100.1"}, "attributes.moisture_pct", "cannot be over 100"),
        ({"dose_gross_usv_h": "-1"}, "attributes.dose_gross_usv_h", "too small"),
        ({"treo_pct": 25.0}, "attributes.treo_pct", "wrong type number"),
        ({"treo_pct": 25}, "attributes.treo_pct", "wrong type number"),
        ({"treo_pct": True}, "attributes.treo_pct", "wrong type boolean"),
        ({"portal_alarm": "false"}, "attributes.portal_alarm", "wrong type string"),
        ({"portal_alarm": 0}, "attributes.portal_alarm", "wrong type number"),
        ({"treo_basis": "metallic"}, "attributes.treo_basis", "choose one of"),
        ({"origin": 3}, "attributes.origin", "must be text"),
        ({"hazardous_waste_code": "HW4"}, "attributes.hazardous_waste_code", "allowed form"),
        ({"generating_enterprise": "  "}, "attributes.generating_enterprise", "is empty"),
        ({"generating_enterprise": "x" * 201}, "attributes.generating_enterprise", "at most 200"),
        ({"package_count": "two"}, "attributes.package_count", "whole number"),
        ({"package_count": [1]}, "attributes.package_count", "whole number"),
        ({"package_count": -1}, "attributes.package_count", "too small"),
        ({"moisture_pct": "60", "oil_pct": "40"}, "attributes.oil_pct", "below 100"),
        ({"treo_pctt": "25"}, "attributes.treo_pctt", "did you mean 'treo_pct'"),
        ({"colour": "red"}, "attributes.colour", "unknown attribute"),
    ],
)
def test_bad_attribute_values_name_the_field(
    rs: RuleSet, changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(UserError) as err:
        parse_load(rs, load(**changes))
    assert err.value.field == field
    assert words in err.value.message


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([], "load"),
        ({"category": "NDFEB-XX", "stage": "lab"}, "category"),
        ({"stage": "lab"}, "category"),
        ({"category": "NDFEB-SL", "stage": "scale"}, "stage"),
        ({"category": "NDFEB-SL", "stage": "lab", "attributes": []}, "attributes"),
        ({"category": "NDFEB-SL", "stage": "lab", "permit_codes": "HW49"}, "permit_codes"),
        ({"category": "NDFEB-SL", "stage": "lab", "permit_codes": ["HW49", "hw5"]}, "permit_codes[1]"),
        ({"category": "NDFEB-SL", "stage": "lab", "colour": "red"}, "colour"),
    ],
)
def test_bad_load_shape_names_the_field(rs: RuleSet, raw: Any, field: str) -> None:
    with pytest.raises(UserError) as err:
        parse_load(rs, raw)
    assert err.value.field == field


def test_values_are_typed(rs: RuleSet) -> None:
    parsed = parse_load(rs, {**load(treo_pct=" 25.50 ", package_count="3"), "permit_codes": ["HW49"]})
    assert parsed.attributes["treo_pct"] == Decimal("25.50")
    assert str(parsed.attributes["treo_pct"]) == "25.50"
    assert parsed.attributes["package_count"] == 3
    assert parsed.attributes["portal_alarm"] is False
    assert parsed.permit_codes == frozenset({"HW49"})


def test_null_means_not_measured(rs: RuleSet) -> None:
    assert "treo_pct" not in parse_attributes(rs, {"treo_pct": None})


def test_permit_codes_default_to_the_yards(rs: RuleSet) -> None:
    raw = {"category": "PHOSPHOR", "stage": "intake", "attributes": {}}
    assert parse_load(rs, raw, default_permit_codes=("HW29",)).permit_codes == frozenset({"HW29"})
    explicit = {**raw, "permit_codes": []}
    assert parse_load(rs, explicit, default_permit_codes=("HW29",)).permit_codes == frozenset()


def test_in_process_callers_may_pass_decimals_but_not_floats_or_other_objects(rs: RuleSet) -> None:
    from datetime import date

    assert parse_attributes(rs, {"treo_pct": Decimal("25.0")})["treo_pct"] == Decimal("25.0")
    with pytest.raises(UserError, match="cannot be over 100"):
        parse_attributes(rs, {"treo_pct": Decimal("101")})
    for value, name in (
        (Decimal("NaN"), "Decimal"),
        ([1], "list"),
        ({"v": 1}, "object"),
        (date(2026, 1, 1), "date"),
    ):
        with pytest.raises(UserError) as err:
            parse_attributes(rs, {"treo_pct": value})
        assert f"wrong type {name}" in err.value.message
