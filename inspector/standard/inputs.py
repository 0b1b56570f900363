"""Checking a load's input before it is judged: every value typed, in range, and named when wrong.

Decimals arrive as strings (``"25.0"``; in-process callers may pass ``Decimal``), flags as JSON booleans,
choices and codes as strings. A value that cannot be used raises ``UserError`` naming the field
(``attributes.treo_pct``) and saying what is allowed.
``None`` means "not measured yet" and counts as absent.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from inspector.errors import UserError
from inspector.messages import Bilingual, Term, formats
from inspector.standard.ruleset import AttributeSpec, RuleSet
from inspector.standard.wording import Labelled, categories_named, choices_named, stages_named

Value = Decimal | bool | str | int

_DECIMAL = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?")
_INTEGER = re.compile(r"[0-9]{1,12}")
_PERMIT = re.compile(r"HW[0-9]{2}")
LOAD_KEYS = frozenset({"category", "stage", "permit_codes", "attributes"})
# Where the yard's own permit codes are named when one of them is malformed (they come from the yard's
# settings, not from the load).
YARD_PERMITS_FIELD = "yard.hw_permit_codes"


@dataclass(frozen=True, slots=True)
class LoadInput:
    """A load as the engine judges it: category, stage, typed attribute values and the yard's permits."""

    category: str
    stage: str
    attributes: Mapping[str, Value]
    permit_codes: frozenset[str] = field(default_factory=frozenset)


def parse_load(ruleset: RuleSet, raw: object, *, default_permit_codes: Iterable[str] = ()) -> LoadInput:
    """Check a load as the ``classify`` command receives it (a JSON object) and type its values."""
    if not isinstance(raw, dict):
        raise UserError("standard.load_not_object", field="load")
    unknown = sorted(str(k) for k in set(raw) - LOAD_KEYS)
    if unknown:
        raise UserError("standard.load_unknown_field", field=unknown[0], allowed=sorted(LOAD_KEYS))
    category = check_category(ruleset, raw.get("category"))
    stage = check_stage(ruleset, raw.get("stage"))
    if "permit_codes" in raw and raw["permit_codes"] is not None:
        permits = check_permit_codes(raw["permit_codes"])
    else:
        permits = check_permit_codes(list(default_permit_codes), field_name=YARD_PERMITS_FIELD)
    attributes = raw.get("attributes", {})
    if not isinstance(attributes, dict):
        raise UserError("standard.attributes_not_object", field="attributes")
    return LoadInput(category, stage, parse_attributes(ruleset, attributes), permits)


def check_category(ruleset: RuleSet, value: object) -> str:
    if not isinstance(value, str):
        raise UserError("standard.category_missing", field="category", known=categories_named(ruleset))
    if value not in ruleset.categories:
        raise UserError("standard.category_unknown", field="category", value=value, ruleset=ruleset.label,
                        known=categories_named(ruleset))
    return value


def check_stage(ruleset: RuleSet, value: object) -> str:
    if value is None:
        raise UserError("standard.stage_missing", field="stage", stages=stages_named(ruleset))
    if not isinstance(value, str) or value not in ruleset.stages:
        raise UserError("standard.stage_unknown", field="stage", value=str(value),
                        stages=stages_named(ruleset))
    return value


def check_permit_codes(value: object, *, field_name: str = "permit_codes") -> frozenset[str]:
    if not isinstance(value, list):
        raise UserError("standard.permit_codes_not_list", field=field_name)
    codes = set()
    for i, code in enumerate(value):
        if not isinstance(code, str) or not _PERMIT.fullmatch(code):
            raise UserError("standard.permit_code_malformed", field=f"{field_name}[{i}]", value=str(code))
        codes.add(code)
    return frozenset(codes)


def parse_attributes(ruleset: RuleSet, raw: Mapping[str, object], *, prefix: str = "attributes"
                     ) -> dict[str, Value]:
    """Type each attribute value; absent (``None``) values are left out."""
    specs = ruleset.attributes
    values: dict[str, Value] = {}
    decimal_text = _DECIMAL.fullmatch
    for key, value in raw.items():
        spec = specs.get(key)
        # Fast paths for the common cases (a plain decimal string, a JSON boolean); _parse_value handles
        # everything else and words every refusal.
        if spec is not None:
            if spec.type == "decimal" and type(value) is str and decimal_text(value):
                number = Decimal(value)
                if ((spec.minimum is not None and number < spec.minimum)
                        or (spec.maximum is not None and number > spec.maximum)):
                    _in_range(spec, number, f"{prefix}.{key}", ruleset.attribute_name(key))
                values[key] = number
                continue
            if spec.type == "bool" and type(value) is bool:
                values[key] = value
                continue
            if spec.type == "choice" and type(value) is str and value in spec.choices:
                values[key] = value
                continue
        if spec is None:
            close = difflib.get_close_matches(str(key), list(specs), n=1)
            if close:
                raise UserError("standard.attribute_unknown_close", field=f"{prefix}.{key}",
                                suggestion=Labelled(close[0], ruleset.attribute_name(close[0])),
                                ruleset=ruleset.label, count=len(specs))
            raise UserError("standard.attribute_unknown", field=f"{prefix}.{key}", ruleset=ruleset.label,
                            count=len(specs))
        if value is None:
            continue
        values[key] = _parse_value(ruleset, spec, value, f"{prefix}.{key}")
    moisture, oil = values.get("moisture_pct"), values.get("oil_pct")
    if isinstance(moisture, Decimal) and isinstance(oil, Decimal) and moisture + oil >= 100:
        raise UserError("standard.moisture_oil_over_100", field=f"{prefix}.oil_pct",
                        moisture_name=ruleset.attribute_name("moisture_pct"),
                        moisture=formats.number(moisture), oil_name=ruleset.attribute_name("oil_pct"),
                        oil=formats.number(oil),
                        total=formats.number(moisture + oil))
    return values


def _parse_value(ruleset: RuleSet, spec: AttributeSpec, value: object, name: str) -> Value:
    """Type a value the fast paths of ``parse_attributes`` did not take, or refuse it in words."""
    kind = spec.type
    attribute = ruleset.attribute_name(spec.key)
    if kind == "decimal":
        if isinstance(value, Decimal) and value.is_finite():
            # in-process callers (the intake form) may hand over Decimals; JSON brings strings
            return _in_range(spec, value, name, attribute)
        if isinstance(value, bool) or not isinstance(value, str):
            raise UserError("standard.decimal_wrong_type", field=name, attribute=attribute,
                            type=_json_type(value))
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            raise UserError("standard.not_a_number", field=name, attribute=attribute, value=value)
        return _in_range(spec, Decimal(text), name, attribute)
    if kind == "bool":
        # parse_attributes takes every JSON boolean itself; what reaches here is not one
        raise UserError("standard.bool_wrong_type", field=name, attribute=attribute, type=_json_type(value))
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise UserError("standard.integer_wrong_type", field=name, attribute=attribute,
                            type=_json_type(value))
        if isinstance(value, str):
            if not _INTEGER.fullmatch(value.strip()):
                raise UserError("standard.not_a_whole_number", field=name, attribute=attribute, value=value)
            value = int(value.strip())
        _in_range(spec, Decimal(value), name, attribute)
        return value
    if not isinstance(value, str):
        raise UserError("standard.text_wrong_type", field=name, attribute=attribute, type=_json_type(value))
    if kind == "choice":
        # parse_attributes takes every allowed choice itself; what reaches here is not one
        raise UserError("standard.choice_unknown", field=name, attribute=attribute, value=value,
                        choices=choices_named(ruleset, spec.key))
    if kind == "code":
        assert spec.pattern is not None
        if not spec.pattern.fullmatch(value):
            raise UserError("standard.code_mismatch", field=name, attribute=attribute, value=value,
                            pattern=spec.pattern.pattern)
        return value
    text = value.strip()
    if not text:
        raise UserError("standard.text_empty", field=name, attribute=attribute)
    if spec.max_length is not None and len(text) > spec.max_length:
        raise UserError("standard.text_too_long", field=name, attribute=attribute,
                        length=formats.number(len(text)), maximum=formats.number(spec.max_length))
    return text


def _in_range(spec: AttributeSpec, number: Decimal, name: str, attribute: Bilingual) -> Decimal:
    def amount(value: Decimal) -> str:
        return f"{formats.number(value)} {spec.unit}" if spec.unit else formats.number(value)

    if spec.minimum is not None and number < spec.minimum:
        code = ("standard.percent_negative" if spec.unit == "%" and spec.minimum == 0
                else "standard.below_minimum")
        raise UserError(code, field=name, attribute=attribute, value=amount(number),
                        minimum=amount(spec.minimum))
    if spec.maximum is not None and number > spec.maximum:
        code = ("standard.percent_over_100" if spec.unit == "%" and spec.maximum == 100
                else "standard.above_maximum")
        raise UserError(code, field=name, attribute=attribute, value=amount(number),
                        maximum=amount(spec.maximum))
    return number


def _json_type(value: object) -> Term:
    """The JSON type of a refused value, worded (``words.standard_value_type``); a Python object an
    in-process caller passed is named by its class."""
    if isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, int | float):
        kind = "number"
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, list):
        kind = "list"
    elif isinstance(value, dict):
        kind = "object"
    elif value is None:
        kind = "null"
    else:
        kind = type(value).__name__
    return Term("standard_value_type", kind)
