"""What the arrival form starts from: the plates seen lately (newest first, each once, cancelled loads left
out), a returning vehicle's previous load (driver, supplier, declared category and attributes) with its
stored tare, and a supplier by its id; all frozen values."""

from __future__ import annotations

import dataclasses

import pytest

from inspector.clock import FixedClock
from inspector.intake.steps import Step
from inspector.queries.intake import (
    RECENT_PLATES,
    ArrivingVehicle,
    arriving_vehicle,
    recent_plates,
    supplier_choice,
)
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import intake as intake_svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.states import LoadState
from inspector.storage.db import Store
from inspector.storage.models.core import Load

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))
USCC_A = "91350100M000100Y43"
USCC_B = "91360700MA35K8QX1D"


@pytest.fixture
def yard(store: Store, clock: FixedClock) -> Store:
    with store.session() as s:
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司",
                             hw_permit_codes=["HW49"])
        yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="赣州稀金磁材有限公司", uscc=USCC_A)
        yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="宁波东钕永磁科技有限公司", uscc=USCC_B)
    return store


def arrive(store: Store, clock: FixedClock, plate: str, *, supplier: int = 1, driver: str = "",
           category: str = "SMCO", origin: str = "production") -> int:
    clock.advance(minutes=10)
    enterprise = "赣州某磁材厂" if category.startswith("NDFEB") else ""
    with store.session() as s:
        return intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.ARRIVAL, values={
            "plate": plate, "supplier_id": str(supplier), "driver": driver, "declared_category": category,
            "origin": origin, "generating_enterprise": enterprise}).load_id


def test_the_plates_seen_lately_newest_first_each_once(yard: Store, clock: FixedClock) -> None:
    with yard.session() as s:
        assert recent_plates(s) == ()
    for plate in ("赣B11111", "赣B22222", "赣b 11111", "浙B33333"):
        arrive(yard, clock, plate)
    with yard.session() as s:
        assert recent_plates(s) == ("浙B33333", "赣B11111", "赣B22222")
        assert recent_plates(s, limit=2) == ("浙B33333", "赣B11111")


def test_only_the_last_few_plates_are_offered(yard: Store, clock: FixedClock) -> None:
    plates = [f"赣B{n:05d}" for n in range(RECENT_PLATES + 3)]
    for plate in plates:
        arrive(yard, clock, plate)
    with yard.session() as s:
        assert recent_plates(s) == tuple(reversed(plates))[:RECENT_PLATES]


def test_a_cancelled_loads_plate_is_not_offered(yard: Store, clock: FixedClock) -> None:
    arrive(yard, clock, "赣B11111")
    mistyped = arrive(yard, clock, "赣B1111")
    with yard.session() as s:
        load = s.get(Load, mistyped)
        assert load is not None
        yard_svc.set_load_state(s, load, LoadState.CANCELLED, actor=SUPERVISOR, clock=clock,
                                reason="plate mistyped")
    with yard.session() as s:
        assert recent_plates(s) == ("赣B11111",)
        assert arriving_vehicle(s, plate="赣B1111").previous is None


def test_a_returning_vehicle_brings_its_last_driver_supplier_and_declaration(yard: Store,
                                                                           clock: FixedClock) -> None:
    arrive(yard, clock, "赣B12345", supplier=1, driver="张三", category="SMCO", origin="production")
    arrive(yard, clock, "赣B12345", supplier=2, driver="王强", category="NDFEB-PS", origin="end_of_life")
    arrive(yard, clock, "浙B99999", supplier=1, driver="李四")
    with yard.session() as s:
        found = arriving_vehicle(s, plate=" 赣b 12345 ")
    assert isinstance(found, ArrivingVehicle) and found.plate == "赣B12345"
    previous = found.previous
    assert previous is not None and previous.ticket_no == "T2026-000002"
    assert (previous.driver, previous.declared_category) == ("王强", "NDFEB-PS")
    assert previous.supplier is not None
    assert (previous.supplier.id, previous.supplier.name, previous.supplier.uscc) == (
        2, "宁波东钕永磁科技有限公司", USCC_B)
    assert previous.attributes["origin"] == "end_of_life"
    assert found.stored_tare is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        previous.driver = "someone else"  # type: ignore[misc]
    with pytest.raises(TypeError):
        previous.attributes["origin"] = "import"  # type: ignore[index]


def test_a_new_vehicle_brings_nothing_but_a_known_one_its_stored_tare(yard: Store, clock: FixedClock) -> None:
    with yard.session() as s:
        assert arriving_vehicle(s, plate="赣B54321") == ArrivingVehicle("赣B54321", None, None)
        weighing_svc.set_stored_tare(s, actor=INSPECTOR, clock=clock, subject_kind="vehicle",
                                     subject_ref="赣B54321", weight=12460, unit="kg", reason="weighed empty",
                                     confirmed_by=SUPERVISOR, valid_days=30)
    with yard.session() as s:
        found = arriving_vehicle(s, plate="赣B 54321")
    assert found.previous is None
    assert found.stored_tare is not None and found.stored_tare.weight == 12460


def test_a_supplier_by_its_id(yard: Store) -> None:
    with yard.session() as s:
        found = supplier_choice(s, supplier_id=1)
        assert found is not None and (found.name, found.uscc) == ("赣州稀金磁材有限公司", USCC_A)
        assert supplier_choice(s, supplier_id=99) is None
