"""Yard, suppliers, vehicles, arrivals: validation, audit and gapless ticket numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from inspector.clock import FixedClock
from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import yard as svc
from inspector.storage.db import Store
from inspector.storage.models import AuditEvent, Load

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
CLERK = Actor("chen.jing", "Chen Jing", frozenset({Role.CLERK}))
USCC = "91350100M000100Y43"


def _yard_and_supplier(store: Store, clock: FixedClock) -> int:
    with store.session() as s:
        svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司", hw_permit_codes=["hw49"])
        supplier = svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="供应商甲", uscc=USCC)
        assert supplier.id is not None
        return supplier.id


def test_ticket_numbers_are_gapless_per_local_year(store: Store) -> None:
    # 2026-12-31 23:30 at the yard (UTC+8) is still 2026 locally; 16:30 UTC is already 2027 there.
    clock = FixedClock(datetime(2026, 12, 31, 15, 30, tzinfo=UTC), offset_minutes=480)
    supplier_id = _yard_and_supplier(store, clock)
    tickets = []
    for _ in range(3):
        with store.session() as s:
            tickets.append(
                svc.register_arrival(
                    s, actor=INSPECTOR, clock=clock, plate="赣B 12345", supplier_id=supplier_id
                ).ticket_no
            )
    clock.advance(hours=1)
    with store.session() as s:
        tickets.append(
            svc.register_arrival(
                s, actor=INSPECTOR, clock=clock, plate="赣B12345", supplier_id=supplier_id
            ).ticket_no
        )
    assert tickets == ["T2026-000001", "T2026-000002", "T2026-000003", "T2027-000001"]


def test_a_failed_arrival_gives_its_number_back(store: Store, clock: FixedClock) -> None:
    supplier_id = _yard_and_supplier(store, clock)
    with pytest.raises(UserError), store.session() as s:
        svc.register_arrival(s, actor=INSPECTOR, clock=clock, plate="赣B12345", supplier_id=supplier_id)
        raise UserError("yard.supplier.not_found", field="supplier")  # any refusal after the number
    with store.session() as s:
        load = svc.register_arrival(
            s, actor=INSPECTOR, clock=clock, plate="赣B12345", supplier_id=supplier_id
        )
    assert load.ticket_no == "T2026-000001"


def test_arrival_is_audited_with_the_row_hash(store: Store, clock: FixedClock) -> None:
    supplier_id = _yard_and_supplier(store, clock)
    with store.session() as s:
        load = svc.register_arrival(
            s,
            actor=INSPECTOR,
            clock=clock,
            plate="浙B6Q215",
            supplier_id=supplier_id,
            driver=" 王强 ",
            declared_category="NDFEB-SL",
        )
    with store.session() as s:
        stored = s.exec(select(Load)).one()
        event = s.get(AuditEvent, stored.audit_seq)
    assert event is not None
    assert (event.action, event.actor, event.entity, event.entity_id) == (
        "load.arrive",
        "li.wei",
        "load",
        str(load.id),
    )
    assert event.new["driver"] == "王强"
    assert stored.arrived_at == clock.now().utc
    assert stored.arrived_offset == 480


def test_roles_are_checked_in_the_service(store: Store, clock: FixedClock) -> None:
    supplier_id = _yard_and_supplier(store, clock)
    with pytest.raises(PermissionDeniedError) as info, store.session() as s:
        svc.register_arrival(s, actor=CLERK, clock=clock, plate="浙B6Q215", supplier_id=supplier_id)
    refusal = info.value.to_json()
    assert refusal["code"] == "role.denied_any" and refusal["params"]["roles"] == ["inspector", "supervisor"]
    assert refusal["params"]["action"] == "register a truck's arrival"
    with pytest.raises(PermissionDeniedError), store.session() as s:
        svc.create_yard(s, actor=INSPECTOR, clock=clock, legal_name="x")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "", "uscc": USCC}, "name"),
        ({"name": "乙", "uscc": "123"}, "uscc"),
    ],
)
def test_bad_supplier_input_names_the_field(
    store: Store, clock: FixedClock, kwargs: dict[str, str], field: str
) -> None:
    with pytest.raises(UserError) as info, store.session() as s:
        svc.add_supplier(s, actor=INSPECTOR, clock=clock, **kwargs)
    assert info.value.field == field


def test_duplicates_are_refused(store: Store, clock: FixedClock) -> None:
    _yard_and_supplier(store, clock)
    with pytest.raises(ConflictError) as info, store.session() as s:
        svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="again", uscc=USCC.lower())
    assert info.value.code == "yard.supplier.exists"
    assert info.value.params == {"name": "供应商甲", "uscc": USCC}
    assert info.value.words("zh_CN") == (f"统一社会信用代码为 {USCC} 的供货单位已存在：供应商甲。"
                                         "请直接选择该供货单位。")
    with pytest.raises(ConflictError) as info, store.session() as s:
        svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="second yard")
    assert info.value.code == "yard.exists"
    with store.session() as s:
        svc.add_vehicle(s, actor=INSPECTOR, clock=clock, plate="赣b 3k721")
    with pytest.raises(ConflictError) as info, store.session() as s:
        svc.add_vehicle(s, actor=INSPECTOR, clock=clock, plate="赣B3K721")
    assert info.value.code == "yard.vehicle.exists" and info.value.params == {"plate": "赣B3K721"}


def test_an_arrival_from_an_unknown_supplier_is_refused(store: Store, clock: FixedClock) -> None:
    supplier_id = _yard_and_supplier(store, clock)
    with pytest.raises(UserError) as info, store.session() as s:
        svc.register_arrival(s, actor=INSPECTOR, clock=clock, plate="赣B12345", supplier_id=supplier_id + 1)
    assert (info.value.code, info.value.field) == ("yard.supplier.not_found", "supplier")
    assert info.value.words("zh_CN") == "没有该供货单位。请搜索该供货单位或新增。"


def test_a_yard_needs_its_legal_name(store: Store, clock: FixedClock) -> None:
    with pytest.raises(UserError) as info, store.session() as s:
        svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="  ")
    assert (info.value.code, info.value.field) == ("yard.legal_name_required", "legal_name")
    with store.session() as s:
        assert svc.get_yard(s) is None
        with pytest.raises(UserError) as missing:
            svc.require_yard(s)
    assert missing.value.code == "yard.missing"
    assert missing.value.words("zh_CN").startswith("此数据目录中还没有堆场。")


@pytest.mark.parametrize("plate", ["", "A", "赣B 12/345", "ABCDEFGHIJKLMN"])
def test_bad_plates_are_refused(plate: str) -> None:
    with pytest.raises(UserError) as info:
        svc.normalize_plate(plate)
    assert info.value.field == "plate" and info.value.code == "yard.vehicle.plate_invalid"
    assert info.value.params == {"value": plate.strip()}
    assert info.value.words("zh_CN").startswith(f"“{plate.strip()}”不是车牌号。")


def test_hazardous_waste_codes_are_validated() -> None:
    assert svc.normalize_hw_codes(["hw49", " HW50", "HW49"]) == ["HW49", "HW50"]
    with pytest.raises(UserError) as info:
        svc.normalize_hw_codes(["H49"])
    assert (info.value.code, info.value.field) == ("yard.hw_code_invalid", "hw_permit_codes")
    assert info.value.words("zh_CN") == "“H49”不是危险废物类别代码。代码为 HW 加两位数字，例如 HW49。"
    assert str(info.value) == ("hw_permit_codes: 'H49' is not a hazardous-waste category code. "
                               "Codes are HW followed by two digits, e.g. HW49.")


def test_supplier_search_finds_by_name_or_code(store: Store, clock: FixedClock) -> None:
    _yard_and_supplier(store, clock)
    with store.session() as s:
        assert [x.name for x in svc.find_suppliers(s, "供应商")] == ["供应商甲"]
        assert [x.name for x in svc.find_suppliers(s, "m000100")] == ["供应商甲"]
        assert svc.find_suppliers(s, "nothing") == []
