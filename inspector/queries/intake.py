"""The intake screens' read models: the step a load is opened at, the load the lab screen enters a report
for (and what storing it gave), the suppliers a search finds and a known vehicle's stored tare.

The trucks on site are ``inspector.services.intake.trucks_on_site`` (the intake service and its tests share
it); the open drafts are ``inspector.intake.drafts.open_drafts`` and the yard's cameras
``inspector.intake.camera.cameras``: each already returns frozen values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from inspector.clock import Clock, as_utc
from inspector.datadir import DataDir
from inspector.errors import UserError
from inspector.intake import drafts
from inspector.intake.steps import FieldSpec, Step, StepContext, StoredTare, lab_fields
from inspector.services import classification as classification_svc
from inspector.services import intake as intake_svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.standard.findings import Finding, Severity
from inspector.standard.ruleset import RuleSet
from inspector.storage.models.core import Load

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


def step_to_open(session: Session, *, load_id: int | None, draft_key: str, clock: Clock,
                 data_dir: DataDir | None = None, draft: drafts.Draft | None = None) -> OpenedStep:
    """The step the load waits for (``load_id`` None: the arrival of a new truck) with its draft, the one
    given or else the one saved under ``draft_key``."""
    found = draft or drafts.get_draft(session, draft_key)
    context = intake_svc.step_context(session, load_id=load_id, clock=clock, data_dir=data_dir)
    if load_id is None:
        return OpenedStep(None, "", "", Step.ARRIVAL, context, found, None)
    load = session.get(Load, load_id)
    if load is None:
        raise UserError("intake.load_not_found", field="load", load_id=load_id)
    step = intake_svc.next_step_of(session, load_id)
    summary = None
    if step is Step.SUMMARY:
        summary = intake_svc.summarize(session, load_id=load_id, clock=clock, data_dir=data_dir)
    return OpenedStep(load_id, load.ticket_no, load.plate, step, context, found, summary)


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


def load_for_lab(session: Session, *, ticket: str, data_dir: DataDir | None = None) -> LabLoad:
    """The load with this ticket (spaces and case as a scanner or a hand may give them)."""
    wanted = "".join(ticket.split()).upper()
    load = session.exec(select(Load).where(Load.ticket_no == wanted)).first()
    if load is None or load.id is None:
        raise UserError("intake.ticket_not_found", field="ticket", ticket=wanted)
    ruleset = classification_svc.ruleset_in_force(session, data_dir=data_dir)
    category = load.assigned_category or load.declared_category
    return LabLoad(load.id, load.ticket_no, load.plate, category, load.state, ruleset,
                   lab_fields(ruleset, category or None))


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

