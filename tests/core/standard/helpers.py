"""Loads for the standard's tests: a complete, clean load per category and stage, tweaked per test."""

from __future__ import annotations

from typing import Any

from inspector.standard import Classification, LoadInput, RuleSet, classify, parse_attributes
from inspector.standard.loader import shipped_dir

SHIPPED = shipped_dir() / "CN-RE2R-0.1.0.yaml"

INTAKE: dict[str, Any] = {"origin": "production", "generating_enterprise": "Ningbo Magnet Works"}
GATE: dict[str, Any] = {
    "dose_background_usv_h": "0.10",
    "dose_gross_usv_h": "0.15",
    "portal_alarm": False,
    "prohibited_items_found": False,
    "inclusions_pct": "1.0",
    "smoke_or_heat": False,
}
GATE_EXTRA: dict[str, dict[str, Any]] = {
    "NDFEB-SL": {"air_isolated_packaging": True},
    "NDFEB-PW": {"air_isolated_packaging": True},
    "NDFEB-EOL": {"magnet_liberated": True},
    "NIMH": {"damaged_cells": False},
}
INTAKE_EXTRA: dict[str, dict[str, Any]] = {
    "PHOSPHOR": {"hazardous_waste_code": "none"},
    "CATALYST": {"hazardous_waste_code": "none"},
}
LAB: dict[str, Any] = {
    "treo_pct": "60.0",
    "treo_basis": "oxide",
    "treo_moisture_basis": "dry",
    "moisture_pct": "5.0",
    "oil_pct": "2.0",
    "prnd_pct_of_treo": "24.0",
}
LAB_EXTRA: dict[str, dict[str, Any]] = {
    "SMCO": {"sm_pct": "32.0", "co_pct": "50.0"},
    "PYRO-SLAG": {"u_th_max_bq_g": "0.5"},
}


def raw_attributes(category: str, stage: str = "lab", **changes: Any) -> dict[str, Any]:
    """Every attribute a clean load of ``category`` has up to ``stage``, with ``changes`` applied
    (a change to None removes the attribute)."""
    attrs = {**INTAKE, **INTAKE_EXTRA.get(category, {})}
    if stage in ("gate", "lab"):
        attrs.update(GATE)
        attrs.update(GATE_EXTRA.get(category, {}))
    if stage == "lab":
        attrs.update(LAB)
        attrs.update(LAB_EXTRA.get(category, {}))
    for key, value in changes.items():
        if value is None:
            attrs.pop(key, None)
        else:
            attrs[key] = value
    return attrs


def run(
    rs: RuleSet, category: str, stage: str = "lab", *, permits: tuple[str, ...] = (), **changes: Any
) -> Classification:
    attrs = parse_attributes(rs, raw_attributes(category, stage, **changes))
    return classify(rs, LoadInput(category, stage, attrs, frozenset(permits)))


def finding(result: Classification, rule: str, attribute: str | None = None) -> Any:
    matches = [
        f for f in result.findings if f.rule == rule and (attribute is None or f.attribute == attribute)
    ]
    assert len(matches) == 1, f"expected one {rule} finding, got {matches}"
    return matches[0]


def failed_rules(result: Classification) -> list[str]:
    return [f.rule for f in result.findings if not f.passed]
