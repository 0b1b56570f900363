"""The yard itself, its suppliers and vehicles, and the arrival of a load (a new weighbridge ticket)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session, func, select

from inspector.clock import Clock
from inspector.errors import ConflictError, UserError
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_change, row_content
from inspector.states import LoadState
from inspector.storage.models.core import Load, Scale, Supplier, Vehicle, Yard
from inspector.storage.sequences import next_number
from inspector.uscc import normalize_uscc

TICKET_SERIES = "ticket"
HW_CODE = re.compile(r"^HW\d{2}$")
# Plates: letters (incl. Chinese province abbreviations), digits and a few separators; scanners may add
# spaces or a trailing newline, which are removed.
PLATE = re.compile(r"^[\w·\-]{2,12}$")


def get_yard(session: Session) -> Yard | None:
    return session.exec(select(Yard).order_by(Yard.id)).first()  # type: ignore[arg-type]


def require_yard(session: Session) -> Yard:
    yard = get_yard(session)
    if yard is None:
        raise UserError("yard.missing")
    return yard


def normalize_hw_codes(codes: Iterable[str], *, field: str = "hw_permit_codes") -> list[str]:
    out = []
    for raw in codes:
        code = raw.strip().upper()
        if not HW_CODE.match(code):
            raise UserError("yard.hw_code_invalid", field=field, value=raw.strip())
        out.append(code)
    return sorted(set(out))


def create_yard(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    legal_name: str,
    legal_name_en: str = "",
    uscc: str = "",
    address: str = "",
    permit_numbers: Iterable[str] = (),
    hw_permit_codes: Iterable[str] = (),
) -> Yard:
    require_role(actor, (Role.ADMIN,), action="set up the yard")
    if get_yard(session) is not None:
        raise ConflictError("yard.exists")
    if not legal_name.strip():
        raise UserError("yard.legal_name_required", field="legal_name")
    stamp = clock.now()
    yard = Yard(
        legal_name=legal_name.strip(),
        legal_name_en=legal_name_en.strip(),
        uscc=normalize_uscc(uscc, field="uscc") if uscc.strip() else "",
        address=address.strip(),
        permit_numbers=[p.strip() for p in permit_numbers if p.strip()],
        hw_permit_codes=normalize_hw_codes(hw_permit_codes),
        created_at=stamp.utc,
        created_offset=stamp.offset_minutes,
    )
    record_change(session, yard, actor=actor, action="yard.create", clock=clock)
    return yard


def add_scale(session: Session, *, actor: Actor, clock: Clock, scale_id: str, **settings: Any) -> Scale:
    require_role(actor, (Role.ADMIN,), action="add a weighbridge")
    if not scale_id.strip():
        raise UserError("yard.scale.id_required", field="scale_id")
    scale = Scale(scale_id=scale_id.strip(), **settings)
    record_change(session, scale, actor=actor, action="scale.create", clock=clock)
    return scale


def add_supplier(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    name: str,
    uscc: str,
    contact: str = "",
    address: str = "",
) -> Supplier:
    require_role(actor, (Role.INSPECTOR, Role.SUPERVISOR, Role.CLERK, Role.ADMIN), action="add a supplier")
    if not name.strip():
        raise UserError("yard.supplier.name_required", field="name")
    code = normalize_uscc(uscc)
    existing = session.exec(select(Supplier).where(Supplier.uscc == code)).first()
    if existing is not None:
        raise ConflictError("yard.supplier.exists", name=existing.name, uscc=code)
    stamp = clock.now()
    supplier = Supplier(
        name=name.strip(),
        uscc=code,
        contact=contact.strip(),
        address=address.strip(),
        created_at=stamp.utc,
        created_offset=stamp.offset_minutes,
    )
    record_change(session, supplier, actor=actor, action="supplier.create", clock=clock)
    return supplier


def find_suppliers(session: Session, text: str, *, limit: int = 20) -> list[Supplier]:
    """Suppliers whose name or code contains ``text`` (case-insensitive), for the search box."""
    pattern = f"%{text.strip()}%"
    query = (
        select(Supplier)
        .where((Supplier.name.ilike(pattern)) | (Supplier.uscc.ilike(pattern)))  # type: ignore[attr-defined]
        .order_by(Supplier.name)
        .limit(limit)
    )
    return list(session.exec(query))


def normalize_plate(text: str, *, field: str = "plate") -> str:
    plate = "".join(text.split()).upper()
    if not PLATE.match(plate):
        raise UserError("yard.vehicle.plate_invalid", field=field, value=text.strip())
    return plate


def add_vehicle(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    plate: str,
    kind: str = "truck",
    supplier_id: int | None = None,
    notes: str = "",
) -> Vehicle:
    require_role(actor, (Role.INSPECTOR, Role.SUPERVISOR, Role.CLERK, Role.ADMIN), action="add a vehicle")
    normalized = normalize_plate(plate)
    if session.exec(select(Vehicle).where(Vehicle.plate == normalized)).first() is not None:
        raise ConflictError("yard.vehicle.exists", plate=normalized)
    vehicle = Vehicle(plate=normalized, kind=kind, supplier_id=supplier_id, notes=notes)
    record_change(session, vehicle, actor=actor, action="vehicle.create", clock=clock)
    return vehicle


def register_arrival(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    plate: str,
    supplier_id: int,
    driver: str = "",
    declared_category: str = "",
    generating_enterprise: str = "",
    attributes: Mapping[str, Any] | None = None,
) -> Load:
    """Open a load for a truck at the gate: the next ticket number of the (local) year, state ARRIVED."""
    require_role(actor, (Role.INSPECTOR, Role.SUPERVISOR), action="register a truck's arrival")
    if session.get(Supplier, supplier_id) is None:
        raise UserError("yard.supplier.not_found", field="supplier")
    normalized = normalize_plate(plate)
    vehicle = session.exec(select(Vehicle).where(Vehicle.plate == normalized)).first()
    stamp = clock.now()
    year = stamp.local().year
    seq = next_number(session, series=TICKET_SERIES, year=year)
    load = Load(
        ticket_no=format_ticket(year, seq),
        ticket_year=year,
        ticket_seq=seq,
        state=LoadState.ARRIVED.value,
        vehicle_id=vehicle.id if vehicle else None,
        plate=normalized,
        driver=driver.strip(),
        supplier_id=supplier_id,
        generating_enterprise=generating_enterprise.strip(),
        declared_category=declared_category.strip(),
        arrived_at=stamp.utc,
        arrived_offset=stamp.offset_minutes,
        attributes=dict(attributes or {}),
        created_by=actor.user_id,
    )
    record_change(session, load, actor=actor, action="load.arrive", clock=clock)
    return load


def format_ticket(year: int, seq: int) -> str:
    return f"T{year}-{seq:06d}"


def set_load_state(
    session: Session, load: Load, state: LoadState, *, actor: Actor, clock: Clock, reason: str | None = None
) -> Load:
    old = row_content(load)
    load.state = state.value
    if state in (LoadState.WEIGHED_OUT, LoadState.REJECTED, LoadState.CANCELLED) and load.departed_at is None:
        stamp = clock.now()
        load.departed_at = stamp.utc
        load.departed_offset = stamp.offset_minutes
    record_change(
        session, load, actor=actor, action=f"load.{state.value}", clock=clock, old=old, reason=reason
    )
    return load


def count_loads(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Load)).one())
