"""Input checks: every bad value is refused with the field named and what is allowed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from inspector import messages
from inspector.errors import UserError
from inspector.standard import RuleSet, parse_attributes, parse_load
from tests.core.standard.helpers import raw_attributes


def load(**changes: Any) -> dict[str, Any]:
    return {"category": "NDFEB-SL", "stage": "lab", "attributes": raw_attributes("NDFEB-SL", **changes)}


@pytest.mark.parametrize(
    ("changes", "field", "code", "words"),
    [
        ({"treo_pct": "abc"}, "attributes.treo_pct", "standard.not_a_number", "'abc' is not a number"),
        ({"treo_pct": "1e2"}, "attributes.treo_pct", "standard.not_a_number", "not a number"),
        ({"treo_pct": "NaN"}, "attributes.treo_pct", "standard.not_a_number", "not a number"),
        ({"treo_pct": ""}, "attributes.treo_pct", "standard.not_a_number", "not a number"),
        ({"treo_pct": "1_0"}, "attributes.treo_pct", "standard.not_a_number", "not a number"),
        ({"treo_pct": "-0.1"}, "attributes.treo_pct", "standard.percent_negative", "cannot be negative"),
        ({"moisture_pct": "100.1"}, "attributes.moisture_pct", "standard.percent_over_100",
         "cannot be over 100"),
        ({"dose_gross_usv_h": "-1"}, "attributes.dose_gross_usv_h", "standard.below_minimum",
         "-1 µSv/h is too small; the least allowed is 0 µSv/h"),
        ({"treo_pct": 25.0}, "attributes.treo_pct", "standard.decimal_wrong_type", "wrong type (a number)"),
        ({"treo_pct": 25}, "attributes.treo_pct", "standard.decimal_wrong_type", "wrong type (a number)"),
        ({"treo_pct": True}, "attributes.treo_pct", "standard.decimal_wrong_type", "wrong type (a boolean)"),
        ({"portal_alarm": "false"}, "attributes.portal_alarm", "standard.bool_wrong_type",
         "wrong type (a string)"),
        ({"portal_alarm": 0}, "attributes.portal_alarm", "standard.bool_wrong_type", "wrong type (a number)"),
        ({"treo_basis": "metallic"}, "attributes.treo_basis", "standard.choice_unknown",
         "choose one of oxide (Oxide basis), metal (Metal basis)"),
        ({"origin": 3}, "attributes.origin", "standard.text_wrong_type", "must be text"),
        ({"hazardous_waste_code": "HW4"}, "attributes.hazardous_waste_code", "standard.code_mismatch",
         "does not have the form Hazardous-waste code allows"),
        ({"generating_enterprise": "  "}, "attributes.generating_enterprise", "standard.text_empty",
         "is empty"),
        ({"generating_enterprise": "x" * 201}, "attributes.generating_enterprise", "standard.text_too_long",
         "at most 200"),
        ({"package_count": "two"}, "attributes.package_count", "standard.not_a_whole_number", "whole number"),
        ({"package_count": [1]}, "attributes.package_count", "standard.integer_wrong_type", "whole number"),
        ({"package_count": -1}, "attributes.package_count", "standard.below_minimum", "too small"),
        ({"moisture_pct": "60", "oil_pct": "40"}, "attributes.oil_pct", "standard.moisture_oil_over_100",
         "makes 100 %; together they must stay below 100 %"),
        ({"treo_pctt": "25"}, "attributes.treo_pctt", "standard.attribute_unknown_close",
         "did you mean treo_pct (Total rare-earth oxides (TREO))?"),
        ({"colour": "red"}, "attributes.colour", "standard.attribute_unknown", "This attribute is unknown"),
    ],
)
def test_bad_attribute_values_name_the_field(
    rs: RuleSet, changes: dict[str, Any], field: str, code: str, words: str
) -> None:
    with pytest.raises(UserError) as err:
        parse_load(rs, load(**changes))
    assert err.value.field == field
    assert err.value.code == code
    assert words in err.value.message
    # the attribute is named in words, in the reader's language
    key = field.removeprefix("attributes.")
    if key in rs.attributes and code != "standard.moisture_oil_over_100":
        assert rs.attribute_name(key).en in err.value.message
        assert messages.full_width(rs.attribute_name(key).zh) in err.value.words("zh_CN")


def test_a_bad_value_is_explained_in_chinese(rs: RuleSet) -> None:
    with pytest.raises(UserError) as err:
        parse_load(rs, load(moisture_pct="100.1"))
    assert err.value.words("zh_CN") == "水分 100.1 %：百分比不能超过 100，最大允许值为 100 %。"
    with pytest.raises(UserError) as err:
        parse_load(rs, load(treo_basis="metallic"))
    assert err.value.words("zh_CN") == "“metallic”不是TREO 计算基准的可选项；" \
        "请从 oxide（氧化物计）、metal（金属计） 中选择。"
    with pytest.raises(UserError) as err:
        parse_load(rs, {**load(), "category": "NDFEB-XX"})
    assert err.value.words("zh_CN").startswith("规则集 CN-RE2R 0.1.0 中没有类别 NDFEB-XX；已有的类别为 ")
    assert "NDFEB-SL（钕铁硼油泥/磨泥）、" in err.value.words("zh_CN")


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
        ([1], "a list"),
        ({"v": 1}, "an object"),
        (date(2026, 1, 1), "date"),
    ):
        with pytest.raises(UserError) as err:
            parse_attributes(rs, {"treo_pct": value})
        assert f"wrong type ({name})" in err.value.message
