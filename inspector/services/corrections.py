"""Corrections and cancellations of loads, on the record.

Three use cases, each one transaction:

- ``amend_load``: change one field of a load (plate, driver, supplier, generating enterprise, declared
  category, an attribute gathered at intake or at the gate, or the identification answers, which give the
  assigned category) with a reason of at least five characters. The value is checked by the intake step
  that collects the field (``inspector.intake.steps.check_step``), so a plate, a code, a choice or a number
  is judged by the one rule the intake form uses. The amendment is the load's audited change
  (``load.amend``), whose event keeps the earlier content; the vehicle link follows the plate.
- ``cancel_load``: a truck turned away, a duplicate or a load entered by mistake. The load keeps its ticket
  number, its weighings and its events; its state becomes ``cancelled``, its intake progress ends and a
  ``LoadCancellation`` row says why. A cancelled load joins no lot and counts in no mass balance.
- ``reopen_step``: back to an earlier step of a load still open (not classified, rejected or cancelled).
  The step is submitted again, whole, with a reason: its new record is added beside the earlier ones (which
  stay), the fields it sets on the load change as one amendment, a weighing step weighs again through the
  weighing service (a new weighing that replaces the earlier one, never an edit of it) and a sampling step
  records a new sample. The step to do next does not move.

After the load is weighed out, classified or in a lot, a correction needs a supervisor's confirmation in
person (``confirmed_by``: a different user holding the supervisor role, whose sign-in the caller checked);
the stored reason then says who confirmed (``... (confirmed by zhang.min)``). A change to anything the
classification reads re-runs it at the stage of the load's latest classification (every earlier result is
kept). A load in a lot that was submitted, decided or certified reopens that lot through the lots service
(its approval, and a certificate, are voided with the reason); a change of supplier or category is refused
while the load is in a lot (a lot holds one supplier and one category: take the load out first).
Rejected and cancelled loads are closed: nothing of theirs is amended.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.intake import drafts
from inspector.intake.steps import (
    NOT_A_CHOICE,
    REQUIRED,
    STEP_STAGE,
    FieldError,
    FieldKind,
    FieldSpec,
    Step,
    StepCheck,
    StepInvalidError,
    check_step,
    fields_for,
    worded,
)
from inspector.messages import Term, word
from inspector.reasons import require_reason
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_change, row_content
from inspector.services import classification as classification_svc
from inspector.services import intake as intake_svc
from inspector.services import lots as lots_svc
from inspector.services import yard as yard_svc
from inspector.standard.findings import Outcome
from inspector.standard.identify import identify_sequence
from inspector.standard.ruleset import RuleSet
from inspector.standard.wording import Labelled
from inspector.states import LoadState
from inspector.storage.models.classification import ClassificationRecord
from inspector.storage.models.core import Load, Supplier, Vehicle
from inspector.storage.models.corrections import LoadCancellation
from inspector.storage.models.intake import IntakeStepRecord
from inspector.weighing.capture import CapturedWeight

CORRECTION_ROLES = (Role.INSPECTOR, Role.SUPERVISOR)
CANCEL_KINDS: tuple[str, ...] = ("turned_away", "duplicate", "entered_by_mistake")
AMEND_ACTION = "load.amend"
CANCEL_ACTION = "cancellation.create"
ANSWERS = "answers"
# Nothing of a rejected or cancelled load changes any more.
CLOSED_STATES: tuple[str, ...] = (LoadState.REJECTED.value, LoadState.CANCELLED.value)
# The truck has left the scale: from here on a correction needs a supervisor.
WEIGHED_OUT_STATES: tuple[str, ...] = (
    LoadState.WEIGHED_OUT.value, LoadState.AWAITING_LAB.value, LoadState.CLASSIFIED.value,
)
# The order a load's states come in, for "has this step been done" on loads opened outside the intake form.
_STATE_ORDER: tuple[str, ...] = (
    LoadState.ARRIVED.value, LoadState.WEIGHED_IN.value, LoadState.INSPECTED.value,
    *WEIGHED_OUT_STATES,
)
_STATE_AFTER_STEP: Mapping[Step, str] = {
    Step.ARRIVAL: LoadState.ARRIVED.value,
    Step.GROSS: LoadState.WEIGHED_IN.value,
    Step.GATE: LoadState.INSPECTED.value,
    Step.IDENTIFICATION: LoadState.INSPECTED.value,
    Step.SAMPLING: LoadState.INSPECTED.value,
    Step.TARE: LoadState.WEIGHED_OUT.value,
    Step.SUMMARY: LoadState.AWAITING_LAB.value,
}
# The load's own fields the arrival collects (besides the intake attributes).
_ARRIVAL_FIELDS: tuple[str, ...] = ("plate", "driver", "supplier_id", "declared_category")
# Fields that cannot be emptied (a load always has a plate, a supplier, a declared category, an answer).
_NOT_EMPTIED = frozenset({"plate", "supplier_id", "declared_category", ANSWERS})
# Load fields a lot's version does not hold (inspector.lots.version): changing them leaves approvals standing.
_OUTSIDE_LOT_VERSION = frozenset({"driver"})
# Changes a lot cannot follow: it holds one supplier and one category.
_LOT_IDENTITY = frozenset({"supplier_id", "assigned_category"})
_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0", "否"})


# ---- the fields that may be amended ---------------------------------------------------------------------


@dataclass(frozen=True)
class AmendableField:
    """A field an amendment may change, the intake step that collects it and how that step checks it."""

    key: str
    step: Step
    spec: FieldSpec


def amendable_fields(ruleset: RuleSet, category: str | None, declared: str | None = None
                     ) -> tuple[AmendableField, ...]:
    """The amendable fields of a load of ``category`` (its assigned, else declared category), in the order
    the intake form asks them; ``declared`` is the declared category the arrival's attributes depend on."""
    arrival = fields_for(Step.ARRIVAL, ruleset, declared or category, {"supplier_id": "1"})
    found = [AmendableField(s.key, Step.ARRIVAL, s) for s in arrival
             if s.key in _ARRIVAL_FIELDS or s.attribute]
    found += [AmendableField(s.key, Step.GATE, s) for s in fields_for(Step.GATE, ruleset, category)
              if s.attribute]
    found += [AmendableField(s.key, Step.IDENTIFICATION, s)
              for s in fields_for(Step.IDENTIFICATION, ruleset, category)]
    return tuple(found)


def field_of(ruleset: RuleSet, load: Load, key: str) -> AmendableField:
    """The amendable field ``key`` of this load, or a ``UserError`` on ``field`` listing what may be."""
    fields = amendable_fields(ruleset, _category(load), load.declared_category or None)
    found = next((f for f in fields if f.key == key), None)
    if found is None:
        raise UserError("load.amend_field_unknown", field="field", value=str(key),
                        fields=[f.key for f in fields])
    return found


def current_value(session: Session, load: Load, key: str) -> Any:
    """What the load holds now for an amendable field (JSON form; None when nothing was recorded)."""
    if key == ANSWERS:
        record = latest_step_record(session, load, Step.IDENTIFICATION)
        answers = record.values.get(ANSWERS) if record is not None else None
        return dict(answers) if isinstance(answers, dict) else None
    if key == "generating_enterprise":
        return load.generating_enterprise or (load.attributes or {}).get(key) or None
    if key in _ARRIVAL_FIELDS:
        value = getattr(load, key)
        return value if value not in ("", None) else None
    return (load.attributes or {}).get(key)


def parse_text_value(ruleset: RuleSet, field: AmendableField, text: str) -> Any:
    """A value typed on a command line, in the form the intake step's check takes: yes/no for a yes/no
    question, a JSON object or the answers in order (``magnet,ndfeb_sintered,...``) for the identification,
    the text itself for everything else (which the step's check judges)."""
    stripped = text.strip()
    if field.spec.kind is FieldKind.BOOL:
        lowered = stripped.lower()
        if lowered in _TRUE_WORDS:
            return True
        if lowered in _FALSE_WORDS:
            return False
        return stripped  # refused by the step's check, in its words
    if field.spec.kind is FieldKind.ANSWERS:
        if stripped.startswith("{"):
            try:
                parsed = json.loads(stripped)
            except ValueError:
                return stripped
            return parsed
        given = [part.strip() for part in stripped.split(",") if part.strip()]
        try:
            walked = identify_sequence(ruleset, given)
        except UserError:
            return stripped
        return {s.question: s.answer for s in walked.path}
    return text


def value_from_text(session: Session, *, load_id: int, key: str, text: str,
                    data_dir: DataDir | None = None) -> Any:
    """``parse_text_value`` for the load's field ``key``; a supplier may also be named by its unified social
    credit code. Raises ``UserError`` for an unknown field."""
    load = _load(session, load_id)
    ruleset = classification_svc.ruleset_in_force(session, data_dir=data_dir)
    field = field_of(ruleset, load, key)
    if key == "supplier_id" and not text.strip().isdigit():
        code = "".join(text.split()).upper()
        supplier = session.exec(select(Supplier).where(Supplier.uscc == code)).first()
        return str(supplier.id) if supplier is not None else text
    return parse_text_value(ruleset, field, text)


# ---- results --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmendResult:
    """What an amendment did: the field, its earlier and new value (JSON form), the load's state after it,
    the re-classification's outcome (when it ran) and the lots it reopened."""

    load_id: int
    ticket_no: str
    field: str
    old: Any
    new: Any
    state: str
    confirmed_by: str | None
    reclassified: bool
    outcome: str | None
    grade: str | None
    reopened_lots: tuple[str, ...] = ()


@dataclass(frozen=True)
class CancelResult:
    load_id: int
    ticket_no: str
    kind: str
    reason: str
    state: str
    state_before: str
    confirmed_by: str | None


@dataclass(frozen=True)
class ReopenResult:
    """What submitting an earlier step again did: the load fields it changed, whether it weighed again."""

    load_id: int
    ticket_no: str
    step: Step
    state: str
    changed: tuple[str, ...]
    reweighed: bool
    confirmed_by: str | None
    reclassified: bool
    outcome: str | None


class AmendInvalidError(UserError):
    """A value the field's intake step refuses; ``errors`` holds that step's field errors (codes)."""

    def __init__(self, key: str, errors: Sequence[FieldError], *, ruleset: RuleSet | None = None) -> None:
        self.errors = tuple(errors)
        super().__init__("load.amend_invalid", field=key, problem=worded(self.errors[0], ruleset))


# ---- what is allowed ------------------------------------------------------------------------------------


def _load(session: Session, load_id: int) -> Load:
    load = session.get(Load, load_id)
    if load is None or load.id is None:
        raise UserError("intake.load_not_found", field="load", load_id=load_id)
    return load


def _category(load: Load) -> str | None:
    return load.assigned_category or load.declared_category or None


def weighed_out(load: Load) -> bool:
    return load.state in WEIGHED_OUT_STATES


def lots_of(session: Session, load: Load) -> tuple[str, ...]:
    """The live lots holding the load, by number."""
    return tuple(lot.lot_no for lot in lots_svc.lots_holding(session, load.id or 0))


def needs_supervisor(load: Load, lots: Sequence[str]) -> bool:
    """Whether a correction of the load needs a supervisor's confirmation: weighed out, classified or in
    a lot."""
    return weighed_out(load) or load.outcome is not None or bool(lots)


def amend_refusal(load: Load) -> UserError | None:
    """Why no field of the load may be amended (not raised), or None."""
    if load.state in CLOSED_STATES:
        return ConflictError("load.amend_closed", field="load", ticket=load.ticket_no,
                             state=Term("load_state", load.state))
    return None


def cancel_refusal(load: Load, lots: Sequence[str]) -> UserError | None:
    """Why the load may not be cancelled (not raised), or None."""
    if load.state in CLOSED_STATES:
        return ConflictError("load.cancel_closed", field="load", ticket=load.ticket_no,
                             state=Term("load_state", load.state))
    if lots:
        return ConflictError("load.cancel_in_lot", field="load", ticket=load.ticket_no, lot=lots[0])
    return None


def _confirmer(actor: Actor, confirmed_by: Actor | None, *, needed: bool, code: str, ticket: str
               ) -> Actor | None:
    """The supervisor confirming in person: required when ``needed`` (else ``code``), and whenever given, a
    different user holding the supervisor role (the four-eyes rule of manual weights)."""
    if confirmed_by is None:
        if needed:
            raise PermissionDeniedError(code, field="confirmed_by", ticket=ticket)
        return None
    if confirmed_by.user_id == actor.user_id:
        raise PermissionDeniedError("load.confirmer_self", field="confirmed_by",
                                    name=confirmed_by.display_name, user=confirmed_by.user_id)
    if not confirmed_by.has(Role.SUPERVISOR):
        raise PermissionDeniedError("load.confirmer_not_supervisor", field="confirmed_by",
                                    name=confirmed_by.display_name, user=confirmed_by.user_id,
                                    role=Term("role", Role.SUPERVISOR.value))
    return confirmed_by


def _stored_reason(text: str, confirmer: Actor | None) -> str:
    """The reason as the record keeps it (``inspector.messages.reasons`` words the form)."""
    return text if confirmer is None else f"{text} (confirmed by {confirmer.user_id})"


def latest_step_record(session: Session, load: Load, step: Step) -> IntakeStepRecord | None:
    """The step's latest record (a step submitted again keeps the earlier ones)."""
    return session.exec(
        select(IntakeStepRecord)
        .where(IntakeStepRecord.load_id == load.id, IntakeStepRecord.step == step.value)
        .order_by(col(IntakeStepRecord.seq).desc())
    ).first()


def step_done(session: Session, load: Load, step: Step) -> bool:
    """Whether the step was submitted (or the load, opened outside the intake form, is past it)."""
    if latest_step_record(session, load, step) is not None:
        return True
    if load.state not in _STATE_ORDER:
        return False
    return _STATE_ORDER.index(load.state) >= _STATE_ORDER.index(_STATE_AFTER_STEP[step])


# ---- amending one field ---------------------------------------------------------------------------------


def amend_load(session: Session, *, actor: Actor, clock: Clock, load_id: int, changes: Mapping[str, object],
               reason: str, confirmed_by: Actor | None = None, data_dir: DataDir | None = None
               ) -> AmendResult:
    """Amend one field of a load: ``changes`` maps the field's key to its new value (one pair).

    Raises ``UserError`` naming the field (an unknown field, a value its intake step refuses, a value equal
    to the current one, a reason too short), ``ConflictError`` for a closed load or a supplier or category
    change of a load in a lot, ``PermissionDeniedError`` (``load.amend_needs_supervisor``) when a supervisor
    must confirm and none did. Nothing is stored on an error.
    """
    require_role(actor, CORRECTION_ROLES, action="amend a load")
    if len(changes) != 1:
        raise UserError("load.amend_one_field", field="field", count=len(changes))
    (key, value), = changes.items()
    load = _load(session, load_id)
    refusal = amend_refusal(load)
    if refusal is not None:
        raise refusal
    ruleset = classification_svc.ruleset_in_force(session, data_dir=data_dir)
    field = field_of(ruleset, load, key)
    text = require_reason(reason, field="reason")
    if not step_done(session, load, field.step):
        raise ConflictError("load.amend_step_pending", field=key, ticket=load.ticket_no,
                            step=Term("intake_step", field.step.value))
    check = _check_value(session, load, field, value, ruleset, clock=clock, data_dir=data_dir)
    old = current_value(session, load, key)
    new = _cleaned(check, field)
    if key == ANSWERS:
        category = check.values.get("category")
        if category == load.assigned_category:
            raise UserError("load.amend_unchanged", field=key, ticket=load.ticket_no)
        load_changes: dict[str, Any] = {"assigned_category": category}
    else:
        if new == old:
            raise UserError("load.amend_unchanged", field=key, ticket=load.ticket_no)
        load_changes = _as_load_changes(field, new)
    lots = lots_of(session, load)
    if lots and _touched(load_changes) & _LOT_IDENTITY:
        raise ConflictError("load.amend_in_lot", field=key, ticket=load.ticket_no, lot=lots[0])
    confirmer = _confirmer(actor, confirmed_by, needed=needs_supervisor(load, lots),
                           code="load.amend_needs_supervisor", ticket=load.ticket_no)
    stored = _stored_reason(text, confirmer)
    reopened, record = _amend(session, load, load_changes, lots=lots, actor=actor, clock=clock, stored=stored,
                              ruleset=ruleset, data_dir=data_dir)
    if key == ANSWERS:
        _record_again(session, load, Step.IDENTIFICATION, check, actor=actor, clock=clock, reason=stored)
    ran = record is not None
    return AmendResult(load.id or 0, load.ticket_no, key, old, new, load.state,
                       confirmer.user_id if confirmer else None, ran, load.outcome if ran else None,
                       load.grade if ran else None, reopened)


def _check_value(session: Session, load: Load, field: AmendableField, value: object, ruleset: RuleSet, *,
                 clock: Clock, data_dir: DataDir | None) -> StepCheck:
    """Check the value with the intake step that collects the field; only that field's errors count."""
    key = field.key
    values: dict[str, object] = {key: value}
    if field.step is Step.ARRIVAL and key != "declared_category":
        values["declared_category"] = load.declared_category  # the intake attributes it requires
    ctx = intake_svc.step_context(session, load_id=load.id, clock=clock, ruleset=ruleset, data_dir=data_dir)
    check = check_step(field.step, values, ctx)
    # The identification key names a wrong answer by its question ("identification.kind"): it is the
    # answers' error here.
    errors = [e if e.field == key else FieldError(key, e.code, e.params) for e in check.errors
              if e.field == key or (key == ANSWERS and e.field.startswith("identification."))]
    cleaned = _cleaned(check, field)
    if not errors and cleaned is None and key in _NOT_EMPTIED:
        errors.append(FieldError(key, REQUIRED))
    if not errors and key == "supplier_id" and session.get(Supplier, cleaned) is None:
        errors.append(FieldError(key, NOT_A_CHOICE, {"value": str(value)}))
    if errors:
        raise AmendInvalidError(key, errors, ruleset=ruleset)
    return check


def _cleaned(check: StepCheck, field: AmendableField) -> Any:
    return (check.attributes if field.spec.attribute else check.values).get(field.key)


def _as_load_changes(field: AmendableField, new: Any) -> dict[str, Any]:
    if field.spec.attribute:
        return {"attributes": {field.key: new}}
    if field.key == "driver":
        return {"driver": new or ""}
    return {field.key: new}


def _amend(session: Session, load: Load, changes: Mapping[str, Any], *, lots: Sequence[str], actor: Actor,
           clock: Clock, stored: str, ruleset: RuleSet, data_dir: DataDir | None
           ) -> tuple[tuple[str, ...], ClassificationRecord | None]:
    """Apply ``changes`` to the load as one audited amendment; reopen the lots that hold it and re-run the
    classification when the change touches what either depends on. Returns the reopened lots and the new
    classification record (None when it did not run)."""
    assert load.id is not None
    touched = _touched(changes)
    category_before = _category(load)
    reopened: tuple[str, ...] = ()
    if lots and touched - _OUTSIDE_LOT_VERSION:
        # Before the change: a load in a decided lot is locked against re-classification.
        reopened = tuple(lots_svc.void_approvals_for_load(session, actor=actor, clock=clock, load_id=load.id,
                                                          reason=f"{load.ticket_no}: {stored}"))
    old = row_content(load)
    for name, value in changes.items():
        if name == "attributes":
            attributes = dict(load.attributes or {})
            for attribute, new in value.items():
                if new is None:
                    attributes.pop(attribute, None)
                else:
                    attributes[attribute] = new
                if attribute == "generating_enterprise":
                    load.generating_enterprise = new or ""
            load.attributes = attributes
        else:
            setattr(load, name, value)
            if name == "plate":
                vehicle = session.exec(select(Vehicle).where(Vehicle.plate == value)).first()
                load.vehicle_id = vehicle.id if vehicle is not None else None
    record_change(session, load, actor=actor, action=AMEND_ACTION, clock=clock, old=old, reason=stored)
    record = None
    classified = classification_svc.latest_classification(session, load_id=load.id)
    if classified is not None and (_category(load) != category_before or "assigned_category" in touched
                                   or any(t.startswith("attributes.") for t in touched)):
        record = classification_svc.classify_load(session, actor=actor, clock=clock, load_id=load.id,
                                                  stage=classified.stage, ruleset=ruleset, data_dir=data_dir)
        _follow_classification(session, load, record, actor=actor, clock=clock, reason=stored)
    return reopened, record


def _touched(changes: Mapping[str, Any]) -> set[str]:
    """The load's fields a change sets (an attribute as ``attributes.<key>``)."""
    return (set(changes) - {"attributes"}) | {f"attributes.{k}" for k in changes.get("attributes", {})}


def _follow_classification(session: Session, load: Load, record: ClassificationRecord, *, actor: Actor,
                           clock: Clock, reason: str) -> None:
    """The load's state after a re-classification: rejected on a REJECT, classified when final, back to
    awaiting the lab when a final classification no longer is."""
    if record.outcome == Outcome.REJECT.value:
        target: LoadState | None = LoadState.REJECTED
    elif record.status == "final":
        target = LoadState.CLASSIFIED if load.state == LoadState.AWAITING_LAB.value else None
    else:
        target = LoadState.AWAITING_LAB if load.state == LoadState.CLASSIFIED.value else None
    if target is not None and load.state != target.value:
        yard_svc.set_load_state(session, load, target, actor=actor, clock=clock, reason=reason)


def _record_again(session: Session, load: Load, step: Step, check: StepCheck, *, actor: Actor, clock: Clock,
                  reason: str) -> IntakeStepRecord:
    """A new record of a step submitted again, beside the earlier ones (which stay as they were)."""
    previous = session.exec(
        select(func.max(IntakeStepRecord.seq)).where(IntakeStepRecord.load_id == load.id,
                                                     IntakeStepRecord.step == step.value)
    ).one()
    stamp = clock.now()
    record = IntakeStepRecord(
        load_id=load.id or 0, step=step.value, seq=(previous or 0) + 1, values=_record_values(check),
        alerts=[{**a.finding.to_json(), "actions": [x.value for x in a.actions]} for a in check.alerts],
        submitted_by=actor.user_id, submitted_at=stamp.utc, submitted_offset=stamp.offset_minutes,
    )
    record_change(session, record, actor=actor, action=f"intake.{step.value}", clock=clock, reason=reason)
    return record


def _record_values(check: StepCheck) -> dict[str, Any]:
    """A step's values as its record keeps them (the intake service's form)."""
    return {**check.values, **({"attributes": dict(check.attributes)} if check.attributes else {}),
            **({"derived": dict(check.derived)} if check.derived else {})}


# ---- cancelling -----------------------------------------------------------------------------------------


def cancel_load(session: Session, *, actor: Actor, clock: Clock, load_id: int, reason_kind: str, reason: str,
                confirmed_by: Actor | None = None) -> CancelResult:
    """Cancel a load (``reason_kind``: turned_away, duplicate or entered_by_mistake) with a reason.

    The load keeps its ticket number, weighings and events; after weigh-out a supervisor confirms. A load
    in a live lot is taken out of it first; a rejected or cancelled load is closed already.
    """
    require_role(actor, CORRECTION_ROLES, action="cancel a load")
    load = _load(session, load_id)
    assert load.id is not None
    if reason_kind not in CANCEL_KINDS:
        raise UserError("load.cancel_kind_unknown", field="reason_kind", value=str(reason_kind),
                        kinds=[Labelled(k, _KindName(k)) for k in CANCEL_KINDS])
    text = require_reason(reason, field="reason")
    lots = lots_of(session, load)
    refusal = cancel_refusal(load, lots)
    if refusal is not None:
        raise refusal
    confirmer = _confirmer(actor, confirmed_by, needed=weighed_out(load), code="load.cancel_needs_supervisor",
                           ticket=load.ticket_no)
    stored = _stored_reason(text, confirmer)
    state_before = load.state
    stamp = clock.now()
    yard_svc.set_load_state(session, load, LoadState.CANCELLED, actor=actor, clock=clock, reason=stored)
    row = LoadCancellation(load_id=load.id, kind=reason_kind, reason=text[:1000], state_before=state_before,
                           cancelled_by=actor.user_id, confirmed_by=confirmer.user_id if confirmer else None,
                           cancelled_at=stamp.utc, cancelled_offset=stamp.offset_minutes)
    record_change(session, row, actor=actor, action=CANCEL_ACTION, clock=clock, reason=stored)
    # Its intake is over: no next step, nothing left half-typed.
    intake_svc.set_progress(session, load.id, None, clock)
    drafts.discard_draft(session, drafts.load_draft_key(load.id))
    return CancelResult(load.id, load.ticket_no, reason_kind, row.reason, load.state, state_before,
                        row.confirmed_by)


@dataclass(frozen=True)
class _KindName:
    """A reason for cancelling in both languages (``words.cancel_kind``), named beside its key in an error:
    the command line takes the key, the window shows the words."""

    kind: str

    @property
    def zh(self) -> str:
        return word("cancel_kind", self.kind, "zh_CN")

    @property
    def en(self) -> str:
        return word("cancel_kind", self.kind, "en")


def cancellation_of(session: Session, load_id: int) -> LoadCancellation | None:
    return session.exec(select(LoadCancellation).where(LoadCancellation.load_id == load_id)).first()


# ---- back to an earlier step ----------------------------------------------------------------------------


def reopen_step(session: Session, *, actor: Actor, clock: Clock, load_id: int, step: Step | str,
                values: Mapping[str, Any], reason: str, confirmed_by: Actor | None = None,
                captured: CapturedWeight | None = None, data_dir: DataDir | None = None) -> ReopenResult:
    """Submit an earlier step of an open load again, whole, with a reason (see the module's docstring).

    Raises ``StepInvalidError`` when the values cannot be submitted, ``ConflictError`` for a closed load or
    a step not submitted yet, ``PermissionDeniedError`` when a supervisor must confirm and none did.
    """
    require_role(actor, CORRECTION_ROLES, action="amend a load")
    try:
        step = Step(step)
    except ValueError:
        raise UserError("load.reopen_step_unknown", field="step", value=str(step),
                        steps=[Term("intake_step", s.value) for s in Step if s is not Step.SUMMARY]) from None
    load = _load(session, load_id)
    assert load.id is not None
    text = require_reason(reason, field="reason")
    if load.state not in intake_svc.OPEN_STATES:
        raise ConflictError("load.reopen_closed", field="load", ticket=load.ticket_no,
                            state=Term("load_state", load.state))
    if step is Step.SUMMARY or not step_done(session, load, step):
        raise ConflictError("load.reopen_not_submitted", field="step", ticket=load.ticket_no,
                            step=Term("intake_step", step.value))
    ruleset = classification_svc.ruleset_in_force(session, data_dir=data_dir)
    check = intake_svc.preview_step(session, load_id=load.id, step=step, values=values, clock=clock,
                                    data_dir=data_dir)
    errors = list(check.errors)
    if step is Step.ARRIVAL:
        errors = _existing_supplier(session, check, errors)
    if errors:
        raise StepInvalidError(step, errors, ruleset=ruleset)
    changes = _step_changes(load, step, check, ruleset, values)
    weighing = step in (Step.GROSS, Step.TARE)
    previous = latest_step_record(session, load, step)
    if not changes and not weighing and previous is not None and previous.values == _record_values(check):
        raise UserError("load.amend_unchanged", field="step", ticket=load.ticket_no)
    code = "load.reweigh_needs_supervisor" if weighing else "load.amend_needs_supervisor"
    confirmer = _confirmer(actor, confirmed_by, needed=weighed_out(load), code=code, ticket=load.ticket_no)
    stored = _stored_reason(text, confirmer)
    _record_again(session, load, step, check, actor=actor, clock=clock, reason=stored)
    record = None
    if weighing:
        intake_svc.weigh_step(session, load, step, check, actor=actor, clock=clock, captured=captured,
                              confirmed_by=confirmed_by, replace_reason=stored)
    if step is Step.SAMPLING:
        intake_svc.add_sample(session, load, check, actor=actor, clock=clock)
    if changes:
        _reopened, record = _amend(session, load, changes, lots=(), actor=actor, clock=clock, stored=stored,
                                   ruleset=ruleset, data_dir=data_dir)
    elif weighing:
        classified = classification_svc.latest_classification(session, load_id=load.id)
        if classified is not None:  # the dry mass and contained REO follow the net
            record = classification_svc.classify_load(session, actor=actor, clock=clock, load_id=load.id,
                                                      stage=classified.stage, ruleset=ruleset,
                                                      data_dir=data_dir)
            _follow_classification(session, load, record, actor=actor, clock=clock, reason=stored)
    return ReopenResult(load.id, load.ticket_no, step, load.state, tuple(sorted(_touched(changes))), weighing,
                        confirmer.user_id if confirmer else None, record is not None,
                        load.outcome if record is not None else None)


def _existing_supplier(session: Session, check: StepCheck, errors: list[FieldError]) -> list[FieldError]:
    """An arrival submitted again names an existing supplier (a new one is added on the arrival form)."""
    supplier_id = check.values.get("supplier_id")
    if supplier_id is None:
        kept = [e for e in errors if not e.field.startswith("new_supplier_")]
        return [*kept, FieldError("supplier_id", REQUIRED)]
    if session.get(Supplier, supplier_id) is None:
        return [*errors, FieldError("supplier_id", NOT_A_CHOICE, {"value": str(supplier_id)})]
    return errors


def _step_changes(load: Load, step: Step, check: StepCheck, ruleset: RuleSet, values: Mapping[str, Any]
                  ) -> dict[str, Any]:
    """What the step, submitted again, changes on the load: its own fields and the attributes it asks."""
    changes: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    stored = load.attributes or {}
    if step is Step.ARRIVAL:
        for key in ("plate", "supplier_id", "declared_category"):
            if check.values.get(key) != getattr(load, key):
                changes[key] = check.values.get(key)
        if (check.values.get("driver") or "") != load.driver:
            changes["driver"] = check.values.get("driver") or ""
    if step in STEP_STAGE:
        category = check.category if step is Step.ARRIVAL else _category(load)
        asked = [s.key for s in fields_for(step, ruleset, category, values) if s.attribute]
        for key in asked:
            before = stored.get(key)
            if key == "generating_enterprise":
                before = load.generating_enterprise or before or None
            if check.attributes.get(key) != before:
                attributes[key] = check.attributes.get(key)
    if step is Step.IDENTIFICATION:
        if check.values.get("category") != load.assigned_category:
            changes["assigned_category"] = check.values.get("category")
        attributes.update({k: v for k, v in check.attributes.items() if stored.get(k) != v})
    if attributes:
        changes["attributes"] = attributes
    return changes

