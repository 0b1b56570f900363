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
from inspector.standard.ruleset import AttributeSpec, RuleSet

Value = Decimal | bool | str | int

_DECIMAL = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?")
_INTEGER = re.compile(r"[0-9]{1,12}")
_PERMIT = re.compile(r"HW[0-9]{2}")
LOAD_KEYS = frozenset({"category", "stage", "permit_codes", "attributes"})


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
        raise UserError("the load must be a JSON object with category, stage and attributes", field="load")
    unknown = sorted(set(raw) - LOAD_KEYS)
    if unknown:
        raise UserError(f"unknown field; a load has {sorted(LOAD_KEYS)}", field=str(unknown[0]))
    category = check_category(ruleset, raw.get("category"))
    stage = check_stage(ruleset, raw.get("stage"))
    if "permit_codes" in raw and raw["permit_codes"] is not None:
        permits = check_permit_codes(raw["permit_codes"])
    else:
        permits = check_permit_codes(list(default_permit_codes), field_name="yard permit codes")
    attributes = raw.get("attributes", {})
    if not isinstance(attributes, dict):
        raise UserError("must be a JSON object of attribute values", field="attributes")
    return LoadInput(category, stage, parse_attributes(ruleset, attributes), permits)


def check_category(ruleset: RuleSet, value: object) -> str:
    if not isinstance(value, str):
        raise UserError(f"a category code is required, one of {sorted(ruleset.categories)}", field="category")
    if value not in ruleset.categories:
        known = ", ".join(ruleset.categories)
        raise UserError(f"unknown category {value!r} in {ruleset.label}; known: {known}", field="category")
    return value


def check_stage(ruleset: RuleSet, value: object) -> str:
    if not isinstance(value, str) or value not in ruleset.stages:
        raise UserError(f"the stage must be one of {list(ruleset.stages)}, not {value!r}", field="stage")
    return value


def check_permit_codes(value: object, *, field_name: str = "permit_codes") -> frozenset[str]:
    if not isinstance(value, list):
        raise UserError('must be a list of hazardous-waste codes such as ["HW49"]', field=field_name)
    codes = set()
    for i, code in enumerate(value):
        if not isinstance(code, str) or not _PERMIT.fullmatch(code):
            raise UserError(f"{code!r} is not a hazardous-waste code (HW and two digits, e.g. HW49)",
                            field=f"{field_name}[{i}]")
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
                    _in_range(spec, number, f"{prefix}.{key}")
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
            did_you_mean = f" (did you mean {close[0]!r}?)" if close else ""
            raise UserError(f"unknown attribute{did_you_mean}; the rule set {ruleset.label} defines "
                            f"{len(specs)} attributes", field=f"{prefix}.{key}",
                            hint="List them with 'yard-inspector standards show'.")
        if value is None:
            continue
        values[key] = _parse_value(spec, value, f"{prefix}.{key}")
    moisture, oil = values.get("moisture_pct"), values.get("oil_pct")
    if isinstance(moisture, Decimal) and isinstance(oil, Decimal) and moisture + oil >= 100:
        raise UserError(f"moisture_pct + oil_pct is {moisture + oil}; together they must stay below 100",
                        field=f"{prefix}.oil_pct")
    return values


def _parse_value(spec: AttributeSpec, value: object, name: str) -> Value:
    """Type a value the fast paths of ``parse_attributes`` did not take, or refuse it in words."""
    kind = spec.type
    if kind == "decimal":
        if isinstance(value, Decimal) and value.is_finite():
            # in-process callers (the intake form) may hand over Decimals; JSON brings strings
            return _in_range(spec, value, name)
        if isinstance(value, bool) or not isinstance(value, str):
            raise UserError(f'wrong type {_json_type(value)}: write a decimal as a string, e.g. "25.0"',
                            field=name)
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            raise UserError(f"{value!r} is not a number (plain decimal digits, e.g. \"25.0\")", field=name)
        return _in_range(spec, Decimal(text), name)
    if kind == "bool":
        # parse_attributes takes every JSON boolean itself; what reaches here is not one
        raise UserError(f"wrong type {_json_type(value)}: must be true or false", field=name)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise UserError(f"wrong type {_json_type(value)}: must be a whole number", field=name)
        if isinstance(value, str):
            if not _INTEGER.fullmatch(value.strip()):
                raise UserError(f"{value!r} is not a whole number", field=name)
            value = int(value.strip())
        _in_range(spec, Decimal(value), name)
        return value
    if not isinstance(value, str):
        raise UserError(f"wrong type {_json_type(value)}: must be text", field=name)
    if kind == "choice":
        # parse_attributes takes every allowed choice itself; what reaches here is not one
        raise UserError(f"{value!r} is not allowed; choose one of {list(spec.choices)}", field=name)
    if kind == "code":
        assert spec.pattern is not None
        if not spec.pattern.fullmatch(value):
            raise UserError(f"{value!r} does not match the allowed form {spec.pattern.pattern}", field=name)
        return value
    text = value.strip()
    if not text:
        raise UserError("is empty; leave it out (or null) when it is not known", field=name)
    if spec.max_length is not None and len(text) > spec.max_length:
        raise UserError(f"is {len(text)} characters long; at most {spec.max_length} are allowed", field=name)
    return text


def _in_range(spec: AttributeSpec, number: Decimal, name: str) -> Decimal:
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.minimum is not None and number < spec.minimum:
        what = "a percentage cannot be negative" if spec.unit == "%" and spec.minimum == 0 else "too small"
        raise UserError(f"{number}{unit}: {what}; the least allowed is {spec.minimum}{unit}", field=name)
    if spec.maximum is not None and number > spec.maximum:
        what = "a percentage cannot be over 100" if spec.unit == "%" and spec.maximum == 100 else "too large"
        raise UserError(f"{number}{unit}: {what}; the most allowed is {spec.maximum}{unit}", field=name)
    return number


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
