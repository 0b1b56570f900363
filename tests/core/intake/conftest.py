"""Fixtures of the intake tests: a yard with a supplier, actors, and a helper that walks a load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

import inspector.storage.models.intake  # noqa: F401  (registers the intake tables until the lead does)
from inspector.clock import FixedClock
from inspector.intake.steps import Step
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import intake as svc
from inspector.services import yard as yard_svc
from inspector.storage.db import Store

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))
CLERK = Actor("chen.jing", "Chen Jing", frozenset({Role.CLERK}))
USCC = "91350100M000100Y43"


@dataclass
class Yard:
    store: Store
    clock: FixedClock
    supplier_id: int


@pytest.fixture
def yard(store: Store, clock: FixedClock) -> Yard:
    with store.session() as s:
        yard_svc.create_yard(
            s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司", hw_permit_codes=["HW49"]
        )
        supplier = yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="供应商甲", uscc=USCC)
        # The weighbridge the simulated indicator stands for (weights are judged against it).
        yard_svc.add_scale(s, actor=SYSTEM, clock=clock, scale_id="WB-1", profile="generic-st-gs",
                           division=10,
                           capacity=80000)
        assert supplier.id is not None
        return Yard(store, clock, supplier.id)


def arrival_values(supplier_id: int, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "plate": "赣B 12345",
        "supplier_id": str(supplier_id),
        "driver": "张三",
        "declared_category": "NDFEB-PS",
        "origin": "production",
        "generating_enterprise": "某磁材厂",
        "documents": ["delivery_note"],
    }
    values.update(extra)
    return values


GATE_OK: Mapping[str, Any] = {
    "dose_background_usv_h": "0.10",
    "dose_gross_usv_h": "0.20",
    "portal_alarm": False,
    "prohibited_items_found": False,
    "inclusions_pct": "1.0",
    "smoke_or_heat": False,
}
SAMPLING_OK: Mapping[str, Any] = {
    "plan": "SP-DEFAULT",
    "increments": "12",
    "composite": True,
    "seal_yard": "Y-0001",
    "seal_supplier": "S-0001",
    "seal_arbitration": "A-0001",
}
IDENTIFY_PS: Mapping[str, str] = {
    "kind": "magnet",
    "magnet_type": "ndfeb_sintered",
    "ndfeb_source": "production",
    "ndfeb_form": "solid",
}


def submit(
    y: Yard,
    step: Step,
    values: Mapping[str, Any],
    load_id: int | None = None,
    actor: Actor = INSPECTOR,
    **extra: Any,
) -> svc.StepResult:
    """Submit a step; a manual weight is confirmed by the supervisor (the weighing area's four eyes)."""
    extra.setdefault("confirmed_by", SUPERVISOR)
    with y.store.session() as s:
        return svc.submit_step(
            s, actor=actor, clock=y.clock, step=step, values=values, load_id=load_id, **extra
        )


def walk_to(y: Yard, last: Step, *, gate: Mapping[str, Any] = GATE_OK) -> int:
    """Submit the steps of one NDFEB-PS load up to and including ``last``; returns the load id."""
    result = submit(y, Step.ARRIVAL, arrival_values(y.supplier_id))
    load_id = result.load_id
    plan: list[tuple[Step, Mapping[str, Any]]] = [
        (Step.GROSS, {"gross": "32480", "source": "manual", "manual_reason": "indicator offline"}),
        (Step.GATE, gate),
        (Step.IDENTIFICATION, {"answers": dict(IDENTIFY_PS)}),
        (Step.SAMPLING, SAMPLING_OK),
        (Step.TARE, {"tare": "12460", "source": "manual", "manual_reason": "indicator offline"}),
        (Step.SUMMARY, {"confirmed": True}),
    ]
    if last is Step.ARRIVAL:
        return load_id
    for step, values in plan:
        submit(y, step, values, load_id)
        if step is last:
            break
    return load_id
