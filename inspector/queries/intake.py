"""The intake screens' read models: the step a load is opened at, the load the lab screen enters a report
for (and what storing it gave), the suppliers a search finds, a known vehicle's stored tare, the plates seen
lately and what a returning vehicle's previous load brings to its new arrival.

The trucks on site are ``inspector.services.intake.trucks_on_site`` (the intake service and its tests share
it); the open drafts are ``inspector.intake.drafts.open_drafts`` and the yard's cameras
``inspector.intake.camera.cameras``: each already returns frozen values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspector.clock import Clock, as_utc
from inspector.datadir import DataDir
from inspector.errors import ConflictError, UserError
from inspector.intake import drafts
from inspector.intake.steps import FieldSpec, Step, StepContext, StoredTare, lab_fields
from inspector.messages import Term
from inspector.services import classification as classification_svc
from inspector.services import corrections as corrections_svc
from inspector.services import intake as intake_svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.standard.findings import Finding, Severity
from inspector.standard.ruleset import RuleSet
from inspector.states import LoadState
from inspector.storage.models.core import Load, Supplier

# ---- the wizard -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedStep:
    """Where a load stands (or a new arrival), the context its checks need and what was typed before."""

    load_id: int | None
    ticket_no: str
    plate: str
    step: Step | None  # None: the intake steps are done
    context: StepContext
    draft: drafts.Draft | None
    summary: intake_svc.Summary | None
    # For a new arrival: the plates seen lately, newest first (one tap fills the plate).
    recent_plates: tuple[str, ...] = ()
    # The steps of an open load that were submitted and may be submitted again with a reason.
    done_steps: tuple[Step, ...] = ()
    # An earlier step opened to correct it (``corrections.reopen_step``): its values are the latest record's.
    correcting: bool = False
    values: Mapping[str, Any] | None = None


def step_to_open(session: Session, *, load_id: int | None, draft_key: str, clock: Clock,
                 data_dir: DataDir | None = None, draft: drafts.Draft | None = None) -> OpenedStep:
    """The step the load waits for (``load_id`` None: the arrival of a new truck) with its draft, the one
    given or else the one saved under ``draft_key``."""
    found = draft or drafts.get_draft(session, draft_key)
    context = intake_svc.step_context(session, load_id=load_id, clock=clock, data_dir=data_dir)
    if load_id is None:
        return OpenedStep(None, "", "", Step.ARRIVAL, context, found, None, recent_plates(session))
    load = session.get(Load, load_id)
    if load is None:
        raise UserError("intake.load_not_found", field="load", load_id=load_id)
    step = intake_svc.next_step_of(session, load_id)
    summary = None
    if step is Step.SUMMARY:
        summary = intake_svc.summarize(session, load_id=load_id, clock=clock, data_dir=data_dir)
    return OpenedStep(load_id, load.ticket_no, load.plate, step, context, found, summary,
                      done_steps=correctable_steps(session, load))


def correctable_steps(session: Session, load: Load) -> tuple[Step, ...]:
    """The steps of ``load`` that can be submitted again with a reason: those done, while it is open."""
    if load.state not in intake_svc.OPEN_STATES:
        return ()
    return tuple(s for s in Step if s is not Step.SUMMARY and corrections_svc.step_done(session, load, s))


def _form_values(recorded: Mapping[str, Any], load: Load, step: Step) -> dict[str, Any]:
    """What a step's form shows to correct it: what the load holds now for the fields the step recorded
    (a correction made since, in the load's details, shows), as the form's editors take them."""
    values = {k: v for k, v in recorded.items() if k not in ("attributes", "derived", "new_supplier_name",
                                                              "new_supplier_uscc")}
    current = load.attributes or {}
    for key, value in (recorded.get("attributes") or {}).items():
        values[key] = current.get(key, value)
    if step is Step.ARRIVAL:
        values.update(plate=load.plate, driver=load.driver, supplier_id=load.supplier_id,
                      declared_category=load.declared_category)
        if load.generating_enterprise:
            values["generating_enterprise"] = load.generating_enterprise
    plain = (bool, str, dict, list)
    return {k: v if isinstance(v, plain) or v is None else str(v) for k, v in values.items()}


def step_to_correct(session: Session, *, load_id: int, step: Step, clock: Clock,
                    data_dir: DataDir | None = None) -> OpenedStep:
    """An earlier step of an open load, to submit again with a reason: the load's context now and the
    values of the step's latest record (a weighing step opens empty: a correction weighs again)."""
    load = session.get(Load, load_id)
    if load is None:
        raise UserError("intake.load_not_found", field="load", load_id=load_id)
    if step not in correctable_steps(session, load):
        raise ConflictError("load.reopen_not_submitted", field="step", ticket=load.ticket_no,
                            step=Term("intake_step", step.value))
    context = intake_svc.step_context(session, load_id=load_id, clock=clock, data_dir=data_dir)
    record = corrections_svc.latest_step_record(session, load, step)
    values: dict[str, Any] = {}
    if record is not None and step not in (Step.GROSS, Step.TARE):
        values = _form_values(record.values or {}, load, step)
    return OpenedStep(load_id, load.ticket_no, load.plate, step, context, None, None,
                      done_steps=correctable_steps(session, load), correcting=True, values=values)


@dataclass(frozen=True)
class SupplierChoice:
    id: int
    name: str
    uscc: str


def supplier_choices(session: Session, *, text: str, limit: int = 20) -> list[SupplierChoice]:
    """The suppliers whose name or code contains ``text``, for the arrival form's search box."""
    return [SupplierChoice(s.id, s.name, s.uscc) for s in yard_svc.find_suppliers(session, text, limit=limit)
            if s.id is not None]


def vehicle_tare(session: Session, *, plate: str) -> StoredTare | None:
    """The stored tare of the vehicle with this plate (and until when it holds), if it has one."""
    found = weighing_svc.stored_tare_for_plate(session, plate=plate)
    if found is None:
        return None
    return StoredTare(int(found.weight), as_utc(found.expires_at) if found.expires_at else None, found.unit)


def supplier_choice(session: Session, *, supplier_id: int) -> SupplierChoice | None:
    """One supplier by its id (its name pre-fills the generating enterprise), None when there is none."""
    supplier = session.get(Supplier, supplier_id)
    if supplier is None or supplier.id is None:
        return None
    return SupplierChoice(supplier.id, supplier.name, supplier.uscc)


# ---- a truck at the gate --------------------------------------------------------------------------------

# How many plates the arrival form offers to fill with one tap.
RECENT_PLATES = 8


def _plate_key(plate: str) -> str:
    """A plate as stored (``yard.normalize_plate``'s form), whatever spaces and case it was typed with."""
    return "".join(plate.split()).upper()


def recent_plates(session: Session, *, limit: int = RECENT_PLATES) -> tuple[str, ...]:
    """The last ``limit`` distinct plates seen at this yard, the newest arrival first. A cancelled load is
    left out: it may have been cancelled for a mistyped plate."""
    newest = func.max(col(Load.arrived_at))
    query = (
        select(col(Load.plate))
        .where(col(Load.state) != LoadState.CANCELLED.value)
        .group_by(col(Load.plate))
        .order_by(newest.desc(), func.max(col(Load.id)).desc())
        .limit(limit)
    )
    return tuple(session.exec(query).all())


@dataclass(frozen=True)
class PreviousLoad:
    """A vehicle's previous load (its last one not cancelled): who drove it, for whom, and what was declared.

    ``attributes`` are its attribute values as stored (the arrival form takes the intake choices it asks
    for, such as the origin)."""

    ticket_no: str
    driver: str
    supplier: SupplierChoice | None
    declared_category: str
    attributes: Mapping[str, Any]


@dataclass(frozen=True)
class ArrivingVehicle:
    """What the yard knows of a plate at the gate: its stored tare and its previous load, if any."""

    plate: str
    stored_tare: StoredTare | None
    previous: PreviousLoad | None


def arriving_vehicle(session: Session, *, plate: str) -> ArrivingVehicle:
    """What a returning vehicle brings to its new arrival (``plate`` as typed; spaces and case do not
    matter)."""
    wanted = _plate_key(plate)
    last = session.exec(
        select(Load)
        .where(col(Load.plate) == wanted, col(Load.state) != LoadState.CANCELLED.value)
        .order_by(col(Load.arrived_at).desc(), col(Load.id).desc())
        .limit(1)
    ).first()
    previous = None
    if last is not None:
        previous = PreviousLoad(
            ticket_no=last.ticket_no, driver=last.driver,
            supplier=supplier_choice(session, supplier_id=last.supplier_id),
            declared_category=last.declared_category,
            attributes=MappingProxyType(dict(last.attributes or {})),
        )
    return ArrivingVehicle(wanted, vehicle_tare(session, plate=wanted), previous)


# ---- lab results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabLoad:
    """A load found by its ticket for the lab screen, with the values its category asks a lab for."""

    load_id: int
    ticket_no: str
    plate: str
    category: str
    state: str
    ruleset: RuleSet
    fields: tuple[FieldSpec, ...]
    # What the load holds (intake, gate, earlier reports) and the yard's permits: the lab's values are
    # judged with them as they are typed (``steps.lab_alerts``).
    attributes: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    permit_codes: frozenset[str] = frozenset()


def load_for_lab(session: Session, *, ticket: str, data_dir: DataDir | None = None) -> LabLoad:
    """The load with this ticket (spaces and case as a scanner or a hand may give them)."""
    wanted = "".join(ticket.split()).upper()
    load = session.exec(select(Load).where(Load.ticket_no == wanted)).first()
    if load is None or load.id is None:
        raise UserError("intake.ticket_not_found", field="ticket", ticket=wanted)
    ruleset = classification_svc.ruleset_in_force(session, data_dir=data_dir)
    category = load.assigned_category or load.declared_category
    return LabLoad(load.id, load.ticket_no, load.plate, category, load.state, ruleset,
                   lab_fields(ruleset, category or None), MappingProxyType(dict(load.attributes or {})),
                   frozenset(classification_svc.yard_permit_codes(session)))


@dataclass(frozen=True)
class StoredLabReport:
    """What storing a lab report gave: the report's number, the classification that followed and the
    load's state."""

    load_id: int
    report_number: str
    classification_seq: int
    outcome: str
    grade: str | None
    status: str
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    state: str


def stored_lab_report(result: intake_svc.LabResult) -> StoredLabReport:
    """The frozen view of ``enter_lab_results``' result, read in the transaction that stored it."""
    record = result.classification
    return StoredLabReport(
        load_id=record.load_id, report_number=result.report.report_number, classification_seq=record.seq,
        outcome=record.outcome, grade=record.grade, status=record.status,
        findings=tuple(_finding_of(item) for item in record.findings), missing=tuple(record.missing),
        state=result.state,
    )


def _finding_of(item: Mapping[str, Any]) -> Finding:
    """A finding as ``Finding.to_json`` stored it in a classification record."""
    params: Mapping[str, str] = item.get("params") or {}
    return Finding(item["rule"], item["clause"], item.get("attribute"), item.get("measured"),
                   item.get("limit"), Severity(item["severity"]), bool(item["passed"]), item["message"],
                   item.get("rounded"), dict(params))

