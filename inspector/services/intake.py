"""The intake workflow's use cases: submit each step, the trucks on site, sampling, photos and lab results.

Each submission is one transaction: the step's record (audited), the load's change (audited) and its state
(``arrived → weighed_in → inspected → weighed_out → awaiting_lab → classified``, or ``rejected``), the
load's progress (its next step) and the removal of the step's draft. Only the load's next step can be
submitted; a REJECT finding at any step sends the load straight to the summary, which records the
classification and closes it as rejected.

The checks themselves (fields, codes, findings) are the pure functions of ``inspector.intake.steps``; the
classification is the classification service's (``classify_load``), which keeps every earlier result.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.sqlite import insert
from sqlmodel import Session, col, select

from inspector.clock import Clock, as_utc
from inspector.datadir import DataDir
from inspector.errors import ConflictError, EnvironmentProblemError, UserError
from inspector.intake import drafts
from inspector.intake.stamp import PhotoStamp, stamp_image
from inspector.intake.steps import (
    CAPTURE_REQUIRED,
    DIFFERS_FROM_CAPTURE,
    NOT_A_CHOICE,
    REQUIRED,
    SAMPLING_PLANS,
    SUPPLIER_EXISTS,
    TOO_LONG,
    UNKNOWN_PHOTO,
    Alert,
    FieldError,
    LastTare,
    Step,
    StepCheck,
    StepContext,
    StepInvalidError,
    StoredTare,
    check_lab_values,
    check_step,
    judge_gate,
    next_step_after,
    worded,
)
from inspector.messages import Term, formats
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_change, row_content
from inspector.services import classification as classification_svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.standard.engine import dry_mass, show
from inspector.standard.findings import Finding, Outcome, Severity
from inspector.standard.ruleset import RuleSet
from inspector.states import LoadState
from inspector.storage.models.classification import ClassificationRecord
from inspector.storage.models.core import Load, Scale, Setting, Supplier
from inspector.storage.models.intake import (
    IntakeProgress,
    IntakeStepRecord,
    LabReport,
    LoadPhoto,
    LoadPhotoStamp,
    LoadSample,
)
from inspector.weighing.capture import CapturedWeight

INTAKE_ROLES = (Role.INSPECTOR, Role.SUPERVISOR)
# Lab results are entered by a clerk (or a lab user, when the security area defines that role).
LAB_ROLES = tuple(r for r in Role if r.value in {"clerk", "lab", "supervisor"})
RETENTION_SETTING = "sampling.retention_months"
DEFAULT_RETENTION_MONTHS = 6
OPEN_STATES: tuple[str, ...] = (
    LoadState.ARRIVED.value,
    LoadState.WEIGHED_IN.value,
    LoadState.INSPECTED.value,
    LoadState.WEIGHED_OUT.value,
    LoadState.AWAITING_LAB.value,
)
# What a load waits for once the intake steps are done.
NEXT_LAB = "lab_results"
PHOTO_MAX_BYTES = 30_000_000
# Image signatures: a file that is not a photo is refused rather than stored under a photo's name.
_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"BM", ".bmp"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
)
# The state a load reaches when a step is submitted (None: unchanged).
_STATE_AFTER: Mapping[Step, LoadState | None] = {
    Step.ARRIVAL: None,
    Step.GROSS: LoadState.WEIGHED_IN,
    Step.GATE: None,
    Step.IDENTIFICATION: None,
    Step.SAMPLING: LoadState.INSPECTED,
    Step.TARE: LoadState.WEIGHED_OUT,
    Step.SUMMARY: LoadState.AWAITING_LAB,
}


# ---- reading --------------------------------------------------------------------------------------------


def _load(session: Session, load_id: int) -> Load:
    load = session.get(Load, load_id)
    if load is None:
        raise UserError("intake.load_not_found", field="load", load_id=load_id)
    return load


# Where a load opened or advanced outside the intake form (the command line, the weighing screen) stands.
_NEXT_BY_STATE: Mapping[str, Step] = {
    LoadState.ARRIVED.value: Step.GROSS,
    LoadState.WEIGHED_IN.value: Step.GATE,
    LoadState.INSPECTED.value: Step.TARE,
    LoadState.WEIGHED_OUT.value: Step.SUMMARY,
}


def next_step_of(session: Session, load_id: int) -> Step | None:
    """The intake step the load waits for (None when the intake steps are done)."""
    progress = session.get(IntakeProgress, load_id)
    if progress is None:
        return _NEXT_BY_STATE.get(_load(session, load_id).state)
    return Step(progress.next_step) if progress.next_step else None


def stored_tare_of(session: Session, load: Load) -> StoredTare | None:
    """The vehicle's stored tare as the weighing area keeps it (weight and expiry), if any."""
    found = weighing_svc.stored_tare_for_plate(session, plate=load.plate)
    if found is None:
        return None
    return StoredTare(int(found.weight), as_utc(found.expires_at) if found.expires_at else None, found.unit,
                      as_utc(found.set_at), found.set_offset)


def last_tare_of(session: Session, load: Load) -> LastTare | None:
    """The last tare weighed for the load's plate on another load (what a tare is compared with when the
    vehicle has no stored tare), with that load's ticket."""
    found = weighing_svc.last_weighed_tare(session, plate=load.plate, before_load_id=load.id)
    if found is None:
        return None
    other = session.get(Load, found.load_id)
    return LastTare(int(found.weight), found.unit, as_utc(found.captured_at), found.captured_offset,
                    other.ticket_no if other is not None else "")


def step_context(session: Session, *, load_id: int | None, clock: Clock, ruleset: RuleSet | None = None,
                 data_dir: DataDir | None = None) -> StepContext:
    """What ``check_step`` needs for a load (or for a new arrival when ``load_id`` is None)."""
    rs = ruleset or classification_svc.ruleset_in_force(session, data_dir=data_dir)
    permits = frozenset(classification_svc.yard_permit_codes(session))
    scale = session.exec(select(Scale).order_by(col(Scale.id))).first()
    capacity = scale.capacity if scale is not None else None
    unit = scale.unit if scale is not None else "kg"
    stamp = clock.now()
    now = stamp.utc
    if load_id is None:
        return StepContext(ruleset=rs, permit_codes=permits, capacity=capacity, now=now, unit=unit,
                           offset_minutes=stamp.offset_minutes)
    load = _load(session, load_id)
    attributes = dict(load.attributes or {})
    if load.generating_enterprise and "generating_enterprise" not in attributes:
        attributes["generating_enterprise"] = load.generating_enterprise
    return StepContext(
        ruleset=rs,
        category=load.assigned_category or load.declared_category or None,
        permit_codes=permits,
        attributes=attributes,
        gross=load.gross,
        capacity=capacity,
        stored_tare=stored_tare_of(session, load),
        now=now,
        unit=load.weight_unit,
        offset_minutes=stamp.offset_minutes,
        last_tare=last_tare_of(session, load),
        tare_tolerance=weighing_svc.tare_tolerance(session),
    )


def preview_step(session: Session, *, load_id: int | None, step: Step, values: Mapping[str, Any],
                 clock: Clock, data_dir: DataDir | None = None) -> StepCheck:
    """Check a step's values without writing anything (the form's inline errors and on-the-spot findings)."""
    ctx = step_context(session, load_id=load_id, clock=clock, data_dir=data_dir)
    check = check_step(step, values, ctx)
    if load_id is not None:
        extra = _photo_errors(session, load_id, check)
        if extra:
            check = StepCheck(check.step, (*check.errors, *extra), check.values, check.attributes,
                              check.alerts, check.derived, check.category)
    return check


# ---- submitting a step ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    """What a submitted step did: the load, its state and next step, and the findings shown at the step."""

    load_id: int
    ticket_no: str
    state: str
    next_step: Step | None
    alerts: tuple[Alert, ...]
    derived: Mapping[str, str]
    classification: ClassificationRecord | None = None


def _alert_json(alert: Alert) -> dict[str, Any]:
    return {**alert.finding.to_json(), "actions": [a.value for a in alert.actions]}


def _has_reject(session: Session, load_id: int) -> bool:
    records = session.exec(select(IntakeStepRecord.alerts).where(IntakeStepRecord.load_id == load_id)).all()
    return any(a.get("severity") == Severity.REJECT.value for alerts in records for a in alerts)


def set_progress(session: Session, load_id: int, next_step: Step | None, clock: Clock) -> None:
    stamp = clock.now()
    row = {"load_id": load_id, "next_step": next_step.value if next_step else None,
           "updated_at": stamp.utc, "updated_offset": stamp.offset_minutes}
    statement = insert(IntakeProgress).values(**row)
    statement = statement.on_conflict_do_update(
        index_elements=[IntakeProgress.__table__.c.load_id],  # type: ignore[attr-defined]
        set_={k: statement.excluded[k] for k in ("next_step", "updated_at", "updated_offset")},
    )
    session.execute(statement)


def _photo_errors(session: Session, load_id: int, check: StepCheck) -> tuple[FieldError, ...]:
    hashes = check.values.get("photos") or []
    if not hashes:
        return ()
    known = set(session.exec(select(LoadPhoto.sha256).where(LoadPhoto.load_id == load_id)).all())
    return tuple(FieldError("photos", UNKNOWN_PHOTO, {"value": h}) for h in hashes if h not in known)


def _record_step(session: Session, load: Load, step: Step, check: StepCheck, *, actor: Actor,
                 clock: Clock) -> None:
    assert load.id is not None
    previous = session.exec(
        select(func.max(IntakeStepRecord.seq)).where(IntakeStepRecord.load_id == load.id,
                                                     IntakeStepRecord.step == step.value)
    ).one()
    stamp = clock.now()
    record = IntakeStepRecord(
        load_id=load.id, step=step.value, seq=(previous or 0) + 1,
        values={**check.values, **({"attributes": dict(check.attributes)} if check.attributes else {}),
                **({"derived": dict(check.derived)} if check.derived else {})},
        alerts=[_alert_json(a) for a in check.alerts],
        submitted_by=actor.user_id, submitted_at=stamp.utc, submitted_offset=stamp.offset_minutes,
    )
    record_change(session, record, actor=actor, action=f"intake.{step.value}", clock=clock)


def submit_step(session: Session, *, actor: Actor, clock: Clock, step: Step, values: Mapping[str, Any],
                load_id: int | None = None, draft_key: str | None = None, data_dir: DataDir | None = None,
                captured: CapturedWeight | None = None, confirmed_by: Actor | None = None) -> StepResult:
    """Check and store one step; the arrival opens the load (``load_id`` None), the others need it.

    The weighing steps weigh through the weighing service in the same transaction: ``captured`` is the
    reading the capture rule allowed (source ``indicator``), ``confirmed_by`` the supervisor who confirms a
    manual weight (source ``manual``); a ``stored`` tare is the vehicle's stored tare.

    Raises ``StepInvalidError`` (a ``UserError`` listing every field error) when the values cannot be
    submitted, ``ConflictError`` when the step is not the load's next one.
    """
    require_role(actor, INTAKE_ROLES, action="submit an intake step")
    step = Step(step)
    if step is Step.ARRIVAL:
        if load_id is not None:
            raise ConflictError("intake.arrived_already", field="step")
    else:
        if load_id is None:
            raise UserError("intake.load_required", field="load", step=Term("intake_step", step.value))
        expected = next_step_of(session, load_id)
        if expected is not step:
            raise ConflictError("intake.not_next_step", field="step",
                                expected=Term("intake_step", expected.value if expected else NEXT_LAB),
                                step=Term("intake_step", step.value))
    ctx = step_context(session, load_id=load_id, clock=clock, data_dir=data_dir)
    check = check_step(step, values, ctx)
    errors = list(check.errors)
    if load_id is not None:
        errors.extend(_photo_errors(session, load_id, check))
    if step is Step.ARRIVAL:
        errors.extend(_arrival_supplier_errors(session, check))
    if errors:
        raise StepInvalidError(step, errors, ruleset=ctx.ruleset)

    if step is Step.ARRIVAL:
        load = _open_load(session, check, actor=actor, clock=clock)
    else:
        assert load_id is not None
        load = _load(session, load_id)
    assert load.id is not None
    _record_step(session, load, step, check, actor=actor, clock=clock)

    record: ClassificationRecord | None = None
    if step is Step.SUMMARY:
        record = classification_svc.classify_load(session, actor=actor, clock=clock, load_id=load.id,
                                                  stage="gate", ruleset=ctx.ruleset, data_dir=data_dir)
    else:
        if step in (Step.GROSS, Step.TARE):
            weigh_step(session, load, step, check, actor=actor, clock=clock, captured=captured,
                   confirmed_by=confirmed_by)
        _apply_to_load(session, load, step, check, actor=actor, clock=clock)
        if step is Step.SAMPLING:
            add_sample(session, load, check, actor=actor, clock=clock)

    state = _STATE_AFTER[step]
    if record is not None and record.outcome == Outcome.REJECT.value:
        state = LoadState.REJECTED
    if state is not None and load.state != state.value:
        yard_svc.set_load_state(session, load, state, actor=actor, clock=clock)

    rejected = any(a.severity is Severity.REJECT for a in check.alerts) or _has_reject(session, load.id)
    following = next_step_after(step)
    if rejected and following is not None:
        following = Step.SUMMARY
    set_progress(session, load.id, following, clock)
    if draft_key is not None:
        drafts.discard_draft(session, draft_key)
    drafts.discard_draft(session, drafts.load_draft_key(load.id))
    return StepResult(load.id, load.ticket_no, load.state, following, check.alerts, check.derived, record)


def _arrival_supplier_errors(session: Session, check: StepCheck) -> list[FieldError]:
    supplier_id = check.values.get("supplier_id")
    if supplier_id is not None:
        if session.get(Supplier, supplier_id) is None:
            return [FieldError("supplier_id", NOT_A_CHOICE, {"value": str(supplier_id)})]
        return []
    code = check.values.get("new_supplier_uscc")
    if code is not None and session.exec(select(Supplier).where(Supplier.uscc == code)).first() is not None:
        return [FieldError("new_supplier_uscc", SUPPLIER_EXISTS, {"value": code})]
    return []


def _open_load(session: Session, check: StepCheck, *, actor: Actor, clock: Clock) -> Load:
    values = check.values
    supplier_id = values.get("supplier_id")
    if supplier_id is None:
        supplier = yard_svc.add_supplier(session, actor=actor, clock=clock, name=values["new_supplier_name"],
                                         uscc=values["new_supplier_uscc"])
        assert supplier.id is not None
        supplier_id = supplier.id
    attributes = dict(check.attributes)
    return yard_svc.register_arrival(
        session, actor=actor, clock=clock, plate=values["plate"], supplier_id=supplier_id,
        driver=values.get("driver", ""), declared_category=values["declared_category"],
        generating_enterprise=str(attributes.get("generating_enterprise", "")), attributes=attributes,
    )


def _apply_to_load(session: Session, load: Load, step: Step, check: StepCheck, *, actor: Actor,
                   clock: Clock) -> None:
    old = row_content(load)
    changed = False
    if check.attributes and step is not Step.ARRIVAL:
        load.attributes = {**(load.attributes or {}), **check.attributes}
        changed = True
    if step is Step.IDENTIFICATION:
        load.assigned_category = check.values["category"]
        changed = True
    if changed:
        record_change(session, load, actor=actor, action=f"load.intake.{step.value}", clock=clock, old=old)


def weigh_step(session: Session, load: Load, step: Step, check: StepCheck, *, actor: Actor, clock: Clock,
               captured: CapturedWeight | None, confirmed_by: Actor | None,
               replace_reason: str | None = None) -> None:
    """Record the step's weight with the weighing service (which keeps the weighing and sets the load's
    gross, tare and net); the intake only checks that the figure submitted is the one weighed.
    ``replace_reason`` weighs again (a correction): the new weighing replaces the earlier one, which stays."""
    assert load.id is not None
    kind = "gross" if step is Step.GROSS else "tare"
    values = check.values
    source = values["source"]
    if source == "indicator":
        if captured is None:
            raise StepInvalidError(step, [FieldError(kind, CAPTURE_REQUIRED)])
        if captured.weight != values.get(kind) or captured.raw_hex != values.get("frame_hex"):
            raise StepInvalidError(step, [FieldError(kind, DIFFERS_FROM_CAPTURE, {
                "value": formats.mass(str(values.get(kind)), load.weight_unit),
                "captured": formats.mass(captured.weight, load.weight_unit)})])
        weighing_svc.capture_weight(session, actor=actor, clock=clock, load_id=load.id, kind=kind,
                                    captured=captured, replace_reason=replace_reason)
    elif source == "manual":
        weighing_svc.record_manual_weight(session, actor=actor, clock=clock, load_id=load.id, kind=kind,
                                          weight=int(values[kind]), unit=load.weight_unit,
                                          reason=str(values.get("manual_reason", "")),
                                          confirmed_by=confirmed_by, replace_reason=replace_reason)
    else:
        weighing_svc.apply_stored_tare(session, actor=actor, clock=clock, load_id=load.id,
                                       subject_kind="vehicle", subject_ref=load.plate,
                                       replace_reason=replace_reason)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=min(moment.day, day))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def retention_months(session: Session) -> int:
    """How long the yard keeps its split of a sample (a setting; 6 months unless the yard chose another)."""
    setting = session.get(Setting, RETENTION_SETTING)
    value = setting.value if setting is not None else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_RETENTION_MONTHS


def add_sample(session: Session, load: Load, check: StepCheck, *, actor: Actor, clock: Clock) -> LoadSample:
    assert load.id is not None
    values = check.values
    plan = SAMPLING_PLANS[values["plan"]]
    stamp = clock.now()
    sample = LoadSample(
        load_id=load.id, plan=plan.code, increments=values["increments"], composite=values["composite"],
        seal_yard=values["seal_yard"], seal_supplier=values["seal_supplier"],
        seal_arbitration=values["seal_arbitration"],
        retain_until=add_months(stamp.utc, retention_months(session)),
        taken_by=actor.user_id, taken_at=stamp.utc, taken_offset=stamp.offset_minutes,
    )
    record_change(session, sample, actor=actor, action="sample.create", clock=clock)
    return sample


# ---- trucks on site -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TruckOnSite:
    """An open load as the trucks on site list it. ``waiting_since`` is when its last step was done (its
    arrival until a step is submitted): how long the truck has waited for its next one."""

    load_id: int
    ticket_no: str
    plate: str
    supplier: str
    state: str
    next_step: str | None
    category: str
    outcome: str | None
    arrived_at: datetime
    arrived_offset: int
    has_draft: bool
    waiting_since: datetime | None = None
    waiting_offset: int = 0

    @property
    def waiting_from(self) -> datetime:
        """When the wait began (UTC)."""
        return as_utc(self.waiting_since or self.arrived_at)


# What the scale house does next, first: a truck waiting to be weighed blocks the weighbridge's queue; one
# waiting for the lab can wait.
_NEXT_FIRST = {Step.GROSS.value: 0, Step.TARE.value: 0, NEXT_LAB: 2}


def trucks_on_site(session: Session, *, states: Sequence[str] = OPEN_STATES) -> list[TruckOnSite]:
    """Open loads with their state and what they wait for (one query): those waiting to be weighed first,
    then those in another intake step, then those waiting for the lab; the longest waiting first within.

    Cancelled, rejected and classified loads are not on site (``OPEN_STATES``)."""
    from inspector.storage.models.intake import IntakeDraft

    rows = session.execute(
        sa_select(
            col(Load.id), col(Load.ticket_no), col(Load.plate), col(Supplier.name), col(Load.state),
            col(IntakeProgress.next_step), col(Load.assigned_category), col(Load.declared_category),
            col(Load.outcome), col(Load.arrived_at), col(Load.arrived_offset), col(IntakeDraft.id),
            col(IntakeProgress.load_id), col(IntakeProgress.updated_at), col(IntakeProgress.updated_offset),
        )
        .join(Supplier, col(Supplier.id) == col(Load.supplier_id))
        .outerjoin(IntakeProgress, col(IntakeProgress.load_id) == col(Load.id))
        .outerjoin(IntakeDraft, col(IntakeDraft.load_id) == col(Load.id))
        .where(col(Load.state).in_(list(states)))
        .order_by(col(Load.arrived_at), col(Load.id))
    ).all()
    out = []
    for (load_id, ticket, plate, supplier, state, next_step, assigned, declared, outcome, arrived,
         offset, draft_id, progress_id, stepped_at, stepped_offset) in rows:
        if progress_id is None:
            known = _NEXT_BY_STATE.get(state)
            next_step = known.value if known is not None else None
        if next_step is None and state == LoadState.AWAITING_LAB.value:
            next_step = NEXT_LAB
        waited_from, waited_offset = (arrived, offset) if stepped_at is None else (stepped_at, stepped_offset)
        out.append(TruckOnSite(load_id, ticket, plate, supplier, state, next_step, assigned or declared,
                               outcome, arrived, offset, draft_id is not None, as_utc(waited_from),
                               waited_offset or 0))
    # Stable: arrival order stays among trucks that have waited as long.
    return sorted(out, key=lambda t: (_NEXT_FIRST.get(t.next_step or "", 1), t.waiting_from))


# ---- summary --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seals:
    """The three seals of a load's sample."""

    yard: str
    supplier: str
    arbitration: str


@dataclass(frozen=True)
class Summary:
    """The provisional classification at the scale with every finding, and the masses."""

    load_id: int
    ticket_no: str
    plate: str
    supplier: str
    category: str
    declared_category: str
    outcome: Outcome
    findings: tuple[Finding, ...]
    missing: tuple[str, ...]
    derived: Mapping[str, str]
    gross: int | None
    tare: int | None
    net: int | None
    dry_mass: str | None
    unit: str
    manual_weight: bool
    seals: Seals | None  # None: no sample taken
    ruleset: RuleSet

    @property
    def failed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.passed)


def summarize(session: Session, *, load_id: int, clock: Clock, data_dir: DataDir | None = None) -> Summary:
    """What the summary step shows: the gate-stage judgement under the load's category, net and dry mass."""
    ctx = step_context(session, load_id=load_id, clock=clock, data_dir=data_dir)
    load = _load(session, load_id)
    category = ctx.category
    if category is None:
        raise UserError("intake.no_category", field="category")
    outcome, findings, derived, missing = judge_gate(ctx.ruleset, category, ctx.attributes, ctx.permit_codes)
    supplier = session.get(Supplier, load.supplier_id)
    sample = session.exec(select(LoadSample).where(LoadSample.load_id == load_id)
                          .order_by(col(LoadSample.id).desc())).first()
    dry: str | None = None
    moisture = (load.attributes or {}).get("moisture_pct")
    if load.net is not None and isinstance(moisture, str):
        from decimal import Decimal

        oil = (load.attributes or {}).get("oil_pct")
        dry = show(dry_mass(load.net, Decimal(moisture), Decimal(oil) if isinstance(oil, str) else None))
    return Summary(
        load_id=load_id, ticket_no=load.ticket_no, plate=load.plate,
        supplier=supplier.name if supplier else "",
        category=category, declared_category=load.declared_category, outcome=outcome, findings=findings,
        missing=missing, derived=derived, gross=load.gross, tare=load.tare, net=load.net, dry_mass=dry,
        unit=load.weight_unit, manual_weight=load.manual_weight,
        seals=Seals(sample.seal_yard, sample.seal_supplier, sample.seal_arbitration) if sample else None,
        ruleset=ctx.ruleset,
    )


# ---- photos ---------------------------------------------------------------------------------------------


def photo_path(data_dir: DataDir, sha256: str, suffix: str) -> Path:
    """Where a photo is kept: ``photos/<first two hex digits>/<sha256><suffix>``."""
    return data_dir.photos / sha256[:2] / f"{sha256}{suffix}"


def _image_suffix(head: bytes) -> str | None:
    for signature, suffix in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return suffix
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return None


def add_photo(session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, load_id: int, step: Step,
              source: Path) -> LoadPhoto:
    """Copy a photo file into the data directory under its SHA-256 and record it on the load."""
    require_role(actor, INTAKE_ROLES, action="add a photo to a load")
    load = _load(session, load_id)
    try:
        size = source.stat().st_size
        with source.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError as exc:
        raise UserError("intake.photo_missing", field="photo", path=str(source)) from exc
    except OSError as exc:
        raise UserError("intake.photo_unreadable", field="photo", path=str(source), error=_os_error(exc)
                        ) from exc
    suffix = _image_suffix(head)
    if suffix is None:
        raise UserError("intake.not_a_photo", field="photo", name=source.name)
    if size > PHOTO_MAX_BYTES:
        raise UserError("intake.photo_too_large", field="photo", name=source.name, size=formats.number(size),
                        maximum=formats.number(PHOTO_MAX_BYTES))
    digest = _store_photo(data_dir, source, suffix)
    existing = session.exec(select(LoadPhoto).where(LoadPhoto.load_id == load_id,
                                                    LoadPhoto.sha256 == digest)).first()
    if existing is not None:
        return existing
    stamp = clock.now()
    photo = LoadPhoto(load_id=load_id, step=Step(step).value, sha256=digest, size=size, suffix=suffix,
                      original_name=source.name[:260], added_by=actor.user_id, added_at=stamp.utc,
                      added_offset=stamp.offset_minutes)
    assert load.id is not None
    record_change(session, photo, actor=actor, action="photo.add", clock=clock)
    return photo


def add_snapshot(session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, load_id: int, step: Step,
                 camera_name: str, image: bytes, weight: int | None = None) -> LoadPhoto:
    """Store a camera snapshot (fetched before the transaction, see inspector.intake.camera) as a photo.

    At a weighing step (gross or tare) the snapshot is also stamped: a copy with the ticket, plate, weight
    and local time written into its corner is stored beside the original (``LoadPhotoStamp``, each file
    under its own SHA-256). ``weight`` is the weight being captured; without it, the weight the step's
    draft holds from the indicator, else the load's recorded weight of that kind, else none.
    """
    step = Step(step)
    if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int) or weight < 0):
        raise UserError("weighing.weight_invalid", field="weight", value=str(weight))
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in camera_name)[:40] or "camera"
    suffix = _image_suffix(image[:16]) or ".jpg"
    data_dir.photos.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir.photos, prefix=".snapshot-") as folder:
        source = Path(folder) / f"camera-{safe}{suffix}"
        source.write_bytes(image)
        photo = add_photo(session, actor=actor, clock=clock, data_dir=data_dir, load_id=load_id, step=step,
                          source=source)
        if step in (Step.GROSS, Step.TARE):
            _stamp_photo(session, photo, image, folder=Path(folder), actor=actor, clock=clock,
                         data_dir=data_dir, weight=weight)
        return photo


def _weight_being_weighed(session: Session, load: Load, step: Step, weight: int | None) -> int | None:
    """The weight a photo at the weighing ``step`` shows: given, captured on the step's form (its draft
    holds it once the indicator gave it), or recorded on the load."""
    if weight is not None:
        return weight
    assert load.id is not None
    key = "gross" if step is Step.GROSS else "tare"
    draft = drafts.get_draft(session, drafts.load_draft_key(load.id))
    if draft is not None and draft.step is step and draft.values.get("source") == "indicator":
        text = str(draft.values.get(key, "")).strip()
        if text.isdigit():
            return int(text)
    return load.gross if step is Step.GROSS else load.tare


def _stamp_photo(session: Session, photo: LoadPhoto, image: bytes, *, folder: Path, actor: Actor,
                 clock: Clock, data_dir: DataDir, weight: int | None) -> LoadPhotoStamp | None:
    """Store the stamped copy of a capture photo (once per photo); None when the image cannot be drawn on
    (the original stays, unstamped)."""
    assert photo.id is not None
    existing = session.exec(select(LoadPhotoStamp).where(LoadPhotoStamp.photo_id == photo.id)).first()
    if existing is not None:
        return existing
    load = _load(session, photo.load_id)
    step = Step(photo.step)
    stamp = clock.now()
    lines = PhotoStamp(ticket_no=load.ticket_no, plate=load.plate,
                       kind="gross" if step is Step.GROSS else "tare",
                       weight=_weight_being_weighed(session, load, step, weight), unit=load.weight_unit,
                       at=stamp.utc, offset_minutes=stamp.offset_minutes).lines()
    stamped = stamp_image(image, lines)
    if stamped is None:
        return None
    source = folder / f"stamped{photo.suffix}"
    try:
        source.write_bytes(stamped)
    except OSError as exc:
        raise EnvironmentProblemError("intake.photo_not_stored", folder=str(data_dir.photos),
                                      error=_os_error(exc)) from exc
    digest = _store_photo(data_dir, source, photo.suffix)
    row = LoadPhotoStamp(photo_id=photo.id, load_id=photo.load_id, sha256=digest, size=len(stamped),
                         suffix=photo.suffix, text="\n".join(lines)[:300], stamped_at=stamp.utc,
                         stamped_offset=stamp.offset_minutes)
    record_change(session, row, actor=actor, action="photo.stamp", clock=clock)
    return row


def _store_photo(data_dir: DataDir, source: Path, suffix: str) -> str:
    """Hash while copying to a temporary file, then move it into place (a crash leaves no half photo)."""
    data_dir.photos.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with tempfile.NamedTemporaryFile(dir=data_dir.photos, prefix=".incoming-", delete=False) as tmp:
            tmp_path = Path(tmp.name)
            with source.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
                    tmp.write(chunk)
            tmp.flush()
            os.fsync(tmp.fileno())
        target = photo_path(data_dir, digest.hexdigest(), suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            tmp_path.unlink()
        else:
            os.replace(tmp_path, target)
    except OSError as exc:
        raise EnvironmentProblemError("intake.photo_not_stored", folder=str(data_dir.photos),
                                      error=_os_error(exc)) from exc
    return digest.hexdigest()


def _os_error(exc: OSError) -> str:
    """The system's name for what went wrong (``ENOSPC``, ``EACCES``): the same in either language."""
    return errno.errorcode.get(exc.errno or 0) or type(exc).__name__


def photos_of(session: Session, *, load_id: int) -> Sequence[LoadPhoto]:
    return session.exec(select(LoadPhoto).where(LoadPhoto.load_id == load_id)
                        .order_by(col(LoadPhoto.id))).all()


def stamp_of(session: Session, *, photo_id: int) -> LoadPhotoStamp | None:
    """The stamped copy of a capture photo, if it has one."""
    return session.exec(select(LoadPhotoStamp).where(LoadPhotoStamp.photo_id == photo_id)).first()


@dataclass(frozen=True)
class ShownPhoto:
    """The file a screen shows for a photo: the stamped copy of a capture photo, else the photo itself."""

    path: Path
    sha256: str
    stamped: bool


def _checked(path: Path, sha256: str) -> Path:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblemError("intake.photo_damaged", path=str(path)) from exc
    if hashlib.sha256(content).hexdigest() != sha256:
        raise EnvironmentProblemError("intake.photo_damaged", path=str(path))
    return path


def photo_to_show(session: Session, *, data_dir: DataDir, photo_id: int) -> ShownPhoto:
    """What to show for a photo (its stamped copy when it has one), its content checked against its hash."""
    photo = session.get(LoadPhoto, photo_id)
    if photo is None:
        raise UserError("intake.photo_unknown", field="photo", photo_id=photo_id)
    stamp = stamp_of(session, photo_id=photo_id)
    if stamp is not None:
        path = photo_path(data_dir, stamp.sha256, stamp.suffix)
        return ShownPhoto(_checked(path, stamp.sha256), stamp.sha256, True)
    path = photo_path(data_dir, photo.sha256, photo.suffix)
    return ShownPhoto(_checked(path, photo.sha256), photo.sha256, False)


def copy_photo_out(data_dir: DataDir, photo: LoadPhoto, target: Path) -> Path:
    """Copy a stored photo out (for a report or an export): the original bytes as they came from the camera
    or the file, never the stamped copy, checking its content still has its hash."""
    path = _checked(photo_path(data_dir, photo.sha256, photo.suffix), photo.sha256)
    shutil.copyfile(path, target)
    return target


# ---- lab results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabResult:
    report: LabReport
    classification: ClassificationRecord
    state: str


def enter_lab_results(session: Session, *, actor: Actor, clock: Clock, load_id: int, lab: str,
                      report_number: str, method: str, basis: str, values: Mapping[str, Any],
                      data_dir: DataDir | None = None) -> LabResult:
    """Store a lab report's assay values on the load and classify it at the lab stage.

    With every lab value the category needs, the classification is final and the load is classified (or
    rejected); a later report re-classifies, and every earlier classification is kept.
    """
    require_role(actor, LAB_ROLES, action="enter lab results")
    load = _load(session, load_id)
    if load.state not in (LoadState.AWAITING_LAB.value, LoadState.CLASSIFIED.value):
        raise ConflictError("intake.lab_too_early", field="load", ticket=load.ticket_no,
                            state=Term("load_state", load.state))
    errors: list[FieldError] = []
    texts = {"lab": lab, "report_number": report_number, "method": method}
    clean_text = {k: " ".join(v.split()) for k, v in texts.items()}
    errors.extend(FieldError(k, REQUIRED) for k, v in clean_text.items() if not v)
    errors.extend(FieldError(k, TOO_LONG, {"length": str(len(v)), "maximum": str(m)})
                  for (k, v), m in zip(clean_text.items(), (200, 60, 200), strict=True) if len(v) > m)
    ruleset = classification_svc.ruleset_in_force(session, data_dir=data_dir)
    category = load.assigned_category or load.declared_category or None
    value_errors, attributes = check_lab_values(ruleset, category, basis, values)
    errors.extend(value_errors)
    if errors:
        raise LabInvalidError(errors, ruleset=ruleset)

    old = row_content(load)
    load.attributes = {**(load.attributes or {}), **attributes}
    record_change(session, load, actor=actor, action="load.lab_values", clock=clock, old=old)
    previous = session.exec(select(func.max(LabReport.seq)).where(LabReport.load_id == load_id)).one()
    stamp = clock.now()
    report = LabReport(load_id=load_id, seq=(previous or 0) + 1, lab=clean_text["lab"],
                       report_number=clean_text["report_number"], method=clean_text["method"], basis=basis,
                       values=attributes, entered_by=actor.user_id, entered_at=stamp.utc,
                       entered_offset=stamp.offset_minutes)
    record_change(session, report, actor=actor, action="lab_report.create", clock=clock)
    record = classification_svc.classify_load(session, actor=actor, clock=clock, load_id=load_id, stage="lab",
                                              ruleset=ruleset, data_dir=data_dir)
    old_report = row_content(report)
    report.classification_seq = record.seq
    record_change(session, report, actor=actor, action="lab_report.classified", clock=clock, old=old_report)
    if record.outcome == Outcome.REJECT.value:
        yard_svc.set_load_state(session, load, LoadState.REJECTED, actor=actor, clock=clock,
                                reason=f"lab report {report.report_number}")
    elif record.status == "final" and load.state != LoadState.CLASSIFIED.value:
        yard_svc.set_load_state(session, load, LoadState.CLASSIFIED, actor=actor, clock=clock,
                                reason=f"lab report {report.report_number}")
    return LabResult(report, record, load.state)


class LabInvalidError(UserError):
    """A lab report that cannot be stored; ``errors`` lists every field error (codes for the UI)."""

    def __init__(self, errors: Sequence[FieldError], *, ruleset: RuleSet | None = None) -> None:
        self.errors = tuple(errors)
        first = self.errors[0]
        code = "intake.lab_invalid" if len(self.errors) == 1 else "intake.lab_invalid_many"
        super().__init__(code, field=first.field, problem=worded(first, ruleset), count=len(self.errors))


def lab_reports_of(session: Session, *, load_id: int) -> Sequence[LabReport]:
    return session.exec(select(LabReport).where(LabReport.load_id == load_id)
                        .order_by(col(LabReport.seq))).all()
