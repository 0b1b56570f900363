"""Lots: creation from finally classified loads, membership changes, split and merge, submission,
supervisors' signed approvals (on the yard PC or through an offline packet), and held-load decisions.

Rules kept here, not in the screens:
- a lot holds finally classified, accepted (or released) loads of one category and one supplier/contract;
- a load's net mass is shared between lots in whole scale divisions and never over-allocated, so split and
  merge neither create nor lose a kilogram;
- an approval signs the SHA-256 of the exact lot version (``inspector.lots.version``); any change to an
  approved, rejected or certified lot voids its approval with a reason and returns it to draft;
- four-eyes: whoever arrived or weighed a load of the lot may not approve it; an administrator may not.
Every mutation writes its audit events in the caller's transaction.

A lot is judged under the rule set it was made under for as long as it lives: the services look it up
themselves (``ruleset_of_lot``) unless the caller already holds it. What the screens and commands show
(the lots with their balance, the approval queue, a lot's detail) is read in ``inspector.queries.lots``.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from math import gcd
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from inspector.certificates.register import in_force_for_lot, void_row
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import (
    ConflictError,
    EnvironmentProblemError,
    PermissionDeniedError,
    RecordedRefusalError,
    UserError,
)
from inspector.files import write_atomically
from inspector.lots import massbalance, packets
from inspector.lots.massbalance import Balance, Band, LoadShare
from inspector.lots.version import (
    document_hash,
    latest_decisions,
    latest_records,
    lot_document,
    members,
)
from inspector.reasons import require_reason
from inspector.security import checkpoints, clockguard, keys, users
from inspector.security.actor import SYSTEM, Actor, Role, require_role
from inspector.security.audit import chain_head, record_change, record_event, row_content
from inspector.services import classification
from inspector.standard import engine
from inspector.standard.ruleset import TREO_DRY_OXIDE, RuleSet
from inspector.states import LoadState, LotState, WeightSource
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.classification import ClassificationRecord
from inspector.storage.models.core import Load, Scale, Supplier, Yard
from inspector.storage.models.lots import Approval, HeldLoadDecision, Lot, LotLoad, LotPacket
from inspector.storage.models.weighing import Weighing
from inspector.storage.sequences import next_number

LOT_SERIES = "lot"
# States in which a lot still holds its loads' mass (a void lot has given it back).
LIVE_STATES = (LotState.DRAFT, LotState.SUBMITTED, LotState.APPROVED, LotState.REJECTED, LotState.CERTIFIED)
LOCKED_STATES = (LotState.APPROVED, LotState.REJECTED, LotState.CERTIFIED)
BUILDERS = (Role.INSPECTOR, Role.SUPERVISOR)
WEIGHT_FIELDS = ("gross", "tare", "net")


def format_lot(year: int, seq: int) -> str:
    return f"L{year}-{seq:05d}"


# --- reading ---------------------------------------------------------------------------------------------

def get_lot(session: Session, lot_no: str) -> Lot:
    stmt = select(Lot).where(col(Lot.lot_no) == lot_no.strip().upper())
    lot: Lot | None = session.execute(stmt).scalars().first()
    if lot is None:
        raise UserError(f"There is no lot {lot_no}.", field="lot",
                        hint="'yard-inspector lots list' shows them.")
    return lot


def get_load(session: Session, load_id: int) -> Load:
    load = session.get(Load, load_id)
    if load is None:
        raise UserError(f"There is no load with id {load_id}.", field="loads")
    return load


def load_by_ticket(session: Session, ticket_no: str) -> Load:
    stmt = select(Load).where(col(Load.ticket_no) == ticket_no.strip().upper())
    load: Load | None = session.execute(stmt).scalars().first()
    if load is None:
        raise UserError(f"There is no load with ticket {ticket_no}.", field="loads")
    return load


def allocated(session: Session, load_id: int, *, exclude_lot: int | None = None) -> int:
    """How much of a load's net is held by live lots (optionally not counting one lot)."""
    stmt = (
        select(func.coalesce(func.sum(LotLoad.share), 0))
        .join(Lot, col(Lot.id) == col(LotLoad.lot_id))
        .where(col(LotLoad.load_id) == load_id, col(Lot.state).in_([s.value for s in LIVE_STATES]))
    )
    if exclude_lot is not None:
        stmt = stmt.where(col(LotLoad.lot_id) != exclude_lot)
    return int(session.execute(stmt).scalar_one())


def division(session: Session, load_id: int | None = None) -> int:
    """The scale division a split of a load is made in: that of the scale(s) the load was weighed on;
    for a load without weighings, that of the yard's scales (their common divisor when there are several),
    or 1 without a configured scale."""
    scales = select(col(Scale.division))
    if load_id is not None:
        used = list(session.execute(select(col(Weighing.scale_id)).where(col(Weighing.load_id) == load_id))
                    .scalars())
        if used:
            scales = scales.where(col(Scale.scale_id).in_(used))
    result = 0
    for d in session.execute(scales).scalars():
        if d:
            result = gcd(result, int(d))
    return result or 1


def ineligibility(load: Load, decision: HeldLoadDecision | None) -> str | None:
    """Why a load may not join a lot, or None if it may."""
    if load.state != LoadState.CLASSIFIED.value:
        return f"its state is {load.state} (it must be classified)"
    if load.classification_status != "final":
        return "its classification is not final (the lab results are missing)"
    if not load.assigned_category:
        return "it has no assigned category"
    if load.net is None or load.net <= 0:
        return "it has no net weight"
    if load.outcome == "ACCEPT":
        return None
    if load.outcome == "HOLD":
        if decision is not None and decision.decision == "release":
            return None
        return "it is on HOLD and a supervisor has not released it"
    return f"its outcome is {load.outcome}"


def category_bands(ruleset: RuleSet, category: str) -> tuple[tuple[Band, ...], Decimal | None]:
    spec = ruleset.categories.get(category)
    if spec is None:
        raise UserError(f"The rule set {ruleset.label} has no category {category}.", field="category")
    return tuple(Band(b.grade, Decimal(b.text)) for b in spec.bands), spec.oxide_factor


def load_treo(load: Load, record: ClassificationRecord | None,
              oxide_factor: Decimal | None) -> Decimal | None:
    """A load's TREO on dry oxide basis: the latest classification's derived value, else computed from the
    load's lab attributes by the standard engine's conversion."""
    if record is not None and record.derived.get(TREO_DRY_OXIDE) not in (None, ""):
        return Decimal(str(record.derived[TREO_DRY_OXIDE]))
    return massbalance.treo_dry_oxide(load.attributes, oxide_factor)


def graded_on(ruleset: RuleSet, category: str) -> str | None:
    """The attribute a category's grade is judged on when it is not TREO (SmCo: ``sm_pct``), else None."""
    spec = ruleset.categories.get(category)
    attribute = spec.grading_attribute if spec is not None else None
    return None if attribute in (None, TREO_DRY_OXIDE) else attribute


def shares_of(rows: Iterable[tuple[LotLoad, Load]], oxide_factor: Decimal | None,
              records: Mapping[int, ClassificationRecord], grading: str | None = None) -> list[LoadShare]:
    result = []
    for m, ld in rows:
        moisture, oil = massbalance.moisture_oil(ld.attributes)
        result.append(LoadShare(load_id=ld.id or 0, ticket_no=ld.ticket_no, share=m.share,
                                moisture_pct=moisture, oil_pct=oil,
                                treo_pct=load_treo(ld, records.get(ld.id or 0), oxide_factor),
                                grading_pct=massbalance.attribute_pct(ld.attributes, grading) if grading
                                else None))
    return result


def balance_of(ruleset: RuleSet, category: str, rows: Iterable[tuple[LotLoad, Load]],
               records: Mapping[int, ClassificationRecord]) -> Balance:
    """The mass balance and grade of these memberships of a lot of ``category`` under ``ruleset``."""
    bands, factor = category_bands(ruleset, category)
    grading = graded_on(ruleset, category)
    return massbalance.balance(shares_of(rows, factor, records, grading), bands,
                               graded_on_treo=grading is None)


def lot_balance(session: Session, lot: Lot, ruleset: RuleSet) -> Balance:
    rows = members(session, lot)
    return balance_of(ruleset, lot.category, rows, latest_records(session, [ld.id or 0 for _, ld in rows]))


def judge_attributes(ruleset: RuleSet, permit_codes: tuple[str, ...], category: str | None,
                     attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The standard engine's findings (failed checks) and derived values for a load's stored attributes."""
    known = {k: v for k, v in attributes.items() if k in ruleset.attributes}
    try:
        judged = engine.classify_input(
            ruleset, {"category": category, "stage": ruleset.stages[-1], "attributes": known},
            default_permit_codes=permit_codes,
        )
    except UserError as exc:
        return {"findings": None, "error": str(exc)}
    return {"findings": [f.to_json() for f in judged.findings if not f.passed],
            "derived": {k: engine.show(v) for k, v in judged.derived.items()}}


def engine_facts(ruleset: RuleSet, permit_codes: tuple[str, ...]) -> Callable[[Load], dict[str, Any]]:
    """The classification facts of a load that has no classification record: the outcome stored on the
    load and the findings of the standard engine under the lot's rule set at the last stage."""

    def facts(load: Load) -> dict[str, Any]:
        return {
            "source": "engine",
            "ruleset": {"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256},
            "outcome": load.outcome,
            "grade": load.grade,
            "status": load.classification_status,
            **judge_attributes(ruleset, permit_codes, load.assigned_category, load.attributes),
        }

    return facts


def version_of(session: Session, lot: Lot, ruleset: RuleSet) -> tuple[dict[str, Any], str]:
    """The lot's current version document and its hash."""
    doc = lot_document(session, lot,
                       fallback=engine_facts(ruleset, classification.yard_permit_codes(session)))
    return doc, document_hash(doc)


def approvals(session: Session, lot: Lot) -> list[Approval]:
    stmt = select(Approval).where(col(Approval.lot_id) == lot.id).order_by(col(Approval.id))
    return list(session.execute(stmt).scalars())


def current_approval(session: Session, lot: Lot) -> Approval | None:
    """The approval in force (not voided), if any."""
    live = [a for a in approvals(session, lot) if not a.voided]
    return live[-1] if live else None


def check_ruleset(lot: Lot, ruleset: RuleSet) -> None:
    if (lot.ruleset_id, lot.ruleset_version) != (ruleset.id, ruleset.version):
        raise UserError(f"Lot {lot.lot_no} is judged under {lot.ruleset_id} {lot.ruleset_version}, "
                        f"not {ruleset.label}.", field="ruleset")


def ruleset_of_lot(lot: Lot, *, data_dir: DataDir | None = None, ruleset: RuleSet | None = None) -> RuleSet:
    """The rule set the lot is judged under: ``ruleset`` when the caller holds it (checked to be the lot's),
    else the installed one with the lot's id and version."""
    if ruleset is None:
        return classification.ruleset_judged_under(lot.ruleset_id, lot.ruleset_version, data_dir=data_dir)
    check_ruleset(lot, ruleset)
    return ruleset


# --- building lots ---------------------------------------------------------------------------------------

def _check_members(session: Session, loads: Sequence[Load], *, category: str | None = None,
                   supplier_id: int | None = None) -> tuple[str, int]:
    if not loads:
        raise UserError("A lot needs at least one load.", field="loads")
    decisions = latest_decisions(session, [ld.id or 0 for ld in loads])
    for ld in loads:
        why = ineligibility(ld, decisions.get(ld.id or 0))
        if why:
            raise UserError(f"Load {ld.ticket_no} cannot join a lot: {why}.", field="loads",
                            hint="Only finally classified, accepted loads (or held loads a supervisor "
                            "released) go into lots.")
    category = category or loads[0].assigned_category or ""
    supplier_id = supplier_id if supplier_id is not None else loads[0].supplier_id
    for ld in loads:
        if ld.assigned_category != category:
            raise UserError(f"Load {ld.ticket_no} is {ld.assigned_category}, the lot is {category}.",
                            field="loads", hint="A lot holds loads of one category.")
        if ld.supplier_id != supplier_id:
            raise UserError(f"Load {ld.ticket_no} comes from another supplier than the lot's.", field="loads",
                            hint="A lot holds loads of one supplier (or one contract).")
    return category, supplier_id


def _add_member(session: Session, lot: Lot, load: Load, share: int | None, *, actor: Actor, clock: Clock,
                action: str, reason: str | None = None) -> LotLoad:
    assert lot.id is not None and load.id is not None and load.net is not None
    free = load.net - allocated(session, load.id)
    if share is None:
        share = free
    if share <= 0:
        raise ConflictError(f"Load {load.ticket_no} is already wholly in other lots.", field="loads")
    if share > free:
        raise ConflictError(f"Only {free} {load.weight_unit} of load {load.ticket_no} is not yet in a lot; "
                            f"{share} was asked.", field="loads")
    step = division(session, load.id)
    if share != free and share % step:
        # Only a part of a load is measured in divisions; the whole (rest of a) load is as weighed.
        raise UserError(f"{share} {load.weight_unit} is not a whole number of scale divisions ({step}).",
                        field="share")
    existing: LotLoad | None = session.execute(
        select(LotLoad).where(col(LotLoad.lot_id) == lot.id, col(LotLoad.load_id) == load.id)
    ).scalars().first()
    stamp = clock.now()
    if existing is not None:
        old = row_content(existing)
        existing.share += share
        record_change(session, existing, actor=actor, action=action, clock=clock, old=old, reason=reason)
        return existing
    member = LotLoad(lot_id=lot.id, load_id=load.id, share=share, added_by=actor.user_id,
                     added_at=stamp.utc, added_offset=stamp.offset_minutes)
    record_change(session, member, actor=actor, action=action, clock=clock, reason=reason)
    return member


def _remove_member(session: Session, member: LotLoad, *, actor: Actor, clock: Clock, action: str,
                   reason: str | None, amount: int | None = None) -> None:
    """Take ``amount`` (default: all) of a membership's share out of its lot."""
    old = row_content(member)
    if amount is None or amount >= member.share:
        session.delete(member)
        session.flush()
        # The ".delete" suffix tells the integrity check that the row is gone on purpose.
        record_event(session, actor=actor, action=f"{action}.delete", entity="lot_load",
                     entity_id=member.id or 0, clock=clock, old=old, new=None, reason=reason)
        return
    member.share -= amount
    record_change(session, member, actor=actor, action=action, clock=clock, old=old, reason=reason)


def create_lot(
    session: Session, *, actor: Actor, clock: Clock, load_ids: Sequence[int], ruleset: RuleSet | None = None,
    data_dir: DataDir | None = None, shares: Mapping[int, int] | None = None, contract: str = "",
    note: str = "",
) -> Lot:
    """A draft lot of the given loads (each with its unallocated net, or the share asked in ``shares``),
    judged under ``ruleset``, by default the rule set in force."""
    require_role(actor, BUILDERS, action="create lots")
    loads = [get_load(session, i) for i in dict.fromkeys(load_ids)]
    category, supplier_id = _check_members(session, loads)
    if ruleset is None:
        ruleset = classification.ruleset_in_force(session, data_dir=data_dir)
    category_bands(ruleset, category)
    stamp = clock.now()
    year = stamp.local().year
    seq = next_number(session, series=LOT_SERIES, year=year)
    lot = Lot(lot_no=format_lot(year, seq), lot_year=year, lot_seq=seq, category=category,
              supplier_id=supplier_id, contract=contract.strip()[:60], ruleset_id=ruleset.id,
              ruleset_version=ruleset.version, note=note.strip()[:1000], created_by=actor.user_id,
              created_at=stamp.utc, created_offset=stamp.offset_minutes)
    record_change(session, lot, actor=actor, action="lot.create", clock=clock)
    for ld in loads:
        _add_member(session, lot, ld, (shares or {}).get(ld.id or 0), actor=actor, clock=clock,
                    action="lot.add_load")
    return lot


def _set_state(session: Session, lot: Lot, state: LotState, *, actor: Actor, clock: Clock, action: str,
               reason: str | None = None) -> None:
    old = row_content(lot)
    lot.state = state.value
    lot.state_reason = reason
    record_change(session, lot, actor=actor, action=action, clock=clock, old=old, reason=reason)


def _void_approvals(session: Session, lot: Lot, *, actor: Actor, clock: Clock, reason: str) -> int:
    count = 0
    stamp = clock.now()
    for a in approvals(session, lot):
        if a.voided:
            continue
        old = row_content(a)
        a.voided = True
        a.void_reason = reason
        a.voided_by = actor.user_id
        a.voided_at = stamp.utc
        a.voided_offset = stamp.offset_minutes
        record_change(session, a, actor=actor, action="approval.void", clock=clock, old=old, reason=reason)
        count += 1
    return count


def _open_for_change(session: Session, lot: Lot, *, actor: Actor, clock: Clock, reason: str | None) -> None:
    """Make a lot changeable: a submitted lot goes back to draft; a decided or certified lot needs a reason,
    and its approval (and the certificate of a certified lot) is voided."""
    state = LotState(lot.state)
    if state == LotState.VOID:
        raise ConflictError(f"Lot {lot.lot_no} is void ({lot.state_reason}); it cannot change.", field="lot")
    if state == LotState.DRAFT:
        return
    if state == LotState.SUBMITTED:
        _set_state(session, lot, LotState.DRAFT, actor=actor, clock=clock, action="lot.reopen",
                   reason=reason or "changed after submission")
        return
    text = (reason or "").strip()
    if not text:
        raise UserError(f"Lot {lot.lot_no} is {lot.state}; changing it voids its approval and needs a "
                        "reason.",
                        field="reason", hint="Say why the lot must change after the supervisor's decision.")
    if state == LotState.CERTIFIED:
        # The certificate states the lot as it was approved: it cannot stay in force for a changed lot.
        void_reason = f"lot {lot.lot_no} changed after certification: {text}"
        in_force = in_force_for_lot(session, lot.id or 0)
        if in_force:  # voiding a certificate is a supervisor's act, whoever asks for the change
            require_role(actor, (Role.SUPERVISOR,), action="void certificates")
        for row in in_force:
            void_row(session, row, actor=actor, clock=clock, reason=void_reason)
        if in_force:
            mark_uncertified(session, lot, actor=actor, clock=clock, certificate=in_force[-1].reference,
                             reason=void_reason)
    _void_approvals(session, lot, actor=actor, clock=clock, reason=f"lot changed after {state.value}: {text}")
    _set_state(session, lot, LotState.DRAFT, actor=actor, clock=clock, action="lot.reopen",
               reason=f"changed after {state.value}: {text}")


def add_loads(session: Session, *, actor: Actor, clock: Clock, lot_no: str, load_ids: Sequence[int],
              shares: Mapping[int, int] | None = None, reason: str | None = None) -> Lot:
    require_role(actor, BUILDERS, action="change lots")
    lot = get_lot(session, lot_no)
    loads = [get_load(session, i) for i in dict.fromkeys(load_ids)]
    _check_members(session, loads, category=lot.category, supplier_id=lot.supplier_id)
    _open_for_change(session, lot, actor=actor, clock=clock, reason=reason)
    for ld in loads:
        _add_member(session, lot, ld, (shares or {}).get(ld.id or 0), actor=actor, clock=clock,
                    action="lot.add_load", reason=reason)
    return lot


def _membership(session: Session, lot: Lot, load_id: int) -> LotLoad:
    member: LotLoad | None = session.execute(
        select(LotLoad).where(col(LotLoad.lot_id) == lot.id, col(LotLoad.load_id) == load_id)
    ).scalars().first()
    if member is None:
        raise UserError(f"Load {load_id} is not in lot {lot.lot_no}.", field="loads")
    return member


def remove_loads(session: Session, *, actor: Actor, clock: Clock, lot_no: str, load_ids: Sequence[int],
                 reason: str | None = None) -> Lot:
    require_role(actor, BUILDERS, action="change lots")
    lot = get_lot(session, lot_no)
    found = [_membership(session, lot, i) for i in dict.fromkeys(load_ids)]
    _open_for_change(session, lot, actor=actor, clock=clock, reason=reason)
    for member in found:
        _remove_member(session, member, actor=actor, clock=clock, action="lot.remove_load", reason=reason)
    return lot


def split_lot(session: Session, *, actor: Actor, clock: Clock, lot_no: str, move: Mapping[int, int | None],
              reason: str | None = None, note: str = "") -> Lot:
    """Move loads (value None: the whole share) or part of a load's share (in whole scale divisions) into
    a new draft lot of the same category, supplier and rule set; the source keeps the rest."""
    require_role(actor, BUILDERS, action="split lots")
    lot = get_lot(session, lot_no)
    if not move:
        raise UserError("Say which loads (or how much of a load) go to the new lot.", field="move")
    found = {load_id: _membership(session, lot, load_id) for load_id in move}
    plan: list[tuple[LotLoad, int]] = []
    for load_id, amount in move.items():
        member = found[load_id]
        step = division(session, load_id)
        qty = member.share if amount is None else amount
        if qty <= 0 or qty > member.share:
            raise UserError(f"Load {load_id}: move between 1 and {member.share}, not {qty}.", field="move")
        if qty != member.share and qty % step:
            raise UserError(f"Load {load_id}: {qty} is not a whole number of scale divisions ({step}).",
                            field="move")
        plan.append((member, qty))
    remaining = sum(m.share for m in members_of(session, lot)) - sum(q for _, q in plan)
    if remaining <= 0:
        raise UserError("A split must leave something in the original lot.", field="move",
                        hint="To move everything, change the lot itself instead.")
    _open_for_change(session, lot, actor=actor, clock=clock, reason=reason)
    stamp = clock.now()
    year = stamp.local().year
    seq = next_number(session, series=LOT_SERIES, year=year)
    new = Lot(lot_no=format_lot(year, seq), lot_year=year, lot_seq=seq, category=lot.category,
              supplier_id=lot.supplier_id, contract=lot.contract, ruleset_id=lot.ruleset_id,
              ruleset_version=lot.ruleset_version, split_from_id=lot.id, note=note.strip()[:1000],
              created_by=actor.user_id, created_at=stamp.utc, created_offset=stamp.offset_minutes)
    record_change(session, new, actor=actor, action="lot.split", clock=clock,
                  reason=reason or f"split from {lot.lot_no}")
    assert new.id is not None
    for member, qty in plan:
        load_id = member.load_id
        _remove_member(session, member, actor=actor, clock=clock, action="lot.split_out",
                       reason=f"to {new.lot_no}", amount=qty)
        record_change(session, LotLoad(lot_id=new.id, load_id=load_id, share=qty, added_by=actor.user_id,
                                       added_at=stamp.utc, added_offset=stamp.offset_minutes),
                      actor=actor, action="lot.split_in", clock=clock, reason=f"from {lot.lot_no}")
    return new


def members_of(session: Session, lot: Lot) -> list[LotLoad]:
    stmt = select(LotLoad).where(col(LotLoad.lot_id) == lot.id).order_by(col(LotLoad.id))
    return list(session.execute(stmt).scalars())


def merge_lots(session: Session, *, actor: Actor, clock: Clock, lot_nos: Sequence[str],
               reason: str | None = None) -> Lot:
    """Move every load of the other lots into the first one; the others become void ("merged into")."""
    require_role(actor, BUILDERS, action="merge lots")
    names = list(dict.fromkeys(n.strip().upper() for n in lot_nos))
    if len(names) < 2:
        raise UserError("Name at least two lots to merge.", field="lots")
    target, *sources = [get_lot(session, n) for n in names]
    for src in sources:
        for attr, what in (("category", "category"), ("supplier_id", "supplier"), ("contract", "contract"),
                           ("ruleset_id", "rule set"), ("ruleset_version", "rule set version")):
            if getattr(src, attr) != getattr(target, attr):
                raise UserError(f"Lot {src.lot_no} has another {what} than {target.lot_no}.", field="lots",
                                hint="Only lots of one category, supplier, contract and rule set merge.")
        if src.state == LotState.VOID.value:
            raise ConflictError(f"Lot {src.lot_no} is void.", field="lots")
    for lot in (target, *sources):
        _open_for_change(session, lot, actor=actor, clock=clock, reason=reason)
    assert target.id is not None
    for src in sources:
        for member in members_of(session, src):
            _remove_member(session, member, actor=actor, clock=clock, action="lot.merge_out",
                           reason=f"into {target.lot_no}")
            existing = session.execute(
                select(LotLoad).where(col(LotLoad.lot_id) == target.id,
                                      col(LotLoad.load_id) == member.load_id)
            ).scalars().first()
            if existing is not None:
                old = row_content(existing)
                existing.share += member.share
                record_change(session, existing, actor=actor, action="lot.merge_in", clock=clock, old=old,
                              reason=f"from {src.lot_no}")
            else:
                stamp = clock.now()
                record_change(session, LotLoad(lot_id=target.id, load_id=member.load_id, share=member.share,
                                               added_by=actor.user_id, added_at=stamp.utc,
                                               added_offset=stamp.offset_minutes),
                              actor=actor, action="lot.merge_in", clock=clock, reason=f"from {src.lot_no}")
        old = row_content(src)
        src.state = LotState.VOID.value
        src.state_reason = f"merged into {target.lot_no}"
        src.merged_into_id = target.id
        record_change(session, src, actor=actor, action="lot.merge", clock=clock, old=old,
                      reason=src.state_reason)
    return target


def submit_lot(session: Session, *, actor: Actor, clock: Clock, lot_no: str, ruleset: RuleSet | None = None,
               data_dir: DataDir | None = None) -> Lot:
    """Put a draft lot in the supervisors' approval queue, after checking its loads again."""
    require_role(actor, BUILDERS, action="submit lots")
    lot = get_lot(session, lot_no)
    ruleset = ruleset_of_lot(lot, data_dir=data_dir, ruleset=ruleset)
    if lot.state != LotState.DRAFT.value:
        raise ConflictError(f"Lot {lot.lot_no} is {lot.state}; only a draft lot is submitted.", field="lot")
    rows = members(session, lot)
    _check_members(session, [ld for _, ld in rows], category=lot.category, supplier_id=lot.supplier_id)
    bal = lot_balance(session, lot, ruleset)
    if bal.missing_assay:
        raise UserError(f"Loads {', '.join(bal.missing_assay)} have no usable TREO; the lot's grade cannot "
                        "be computed.", field="loads")
    old = row_content(lot)
    stamp = clock.now()
    lot.state = LotState.SUBMITTED.value
    lot.state_reason = None
    lot.submitted_by = actor.user_id
    lot.submitted_at = stamp.utc
    lot.submitted_offset = stamp.offset_minutes
    record_change(session, lot, actor=actor, action="lot.submit", clock=clock, old=old)
    return lot


def void_lot(session: Session, *, actor: Actor, clock: Clock, lot_no: str, reason: str) -> Lot:
    """Dissolve a lot: its loads' mass is free again for other lots. Voids any approval."""
    require_role(actor, (Role.SUPERVISOR,), action="void lots")
    lot = get_lot(session, lot_no)
    text = (reason or "").strip()
    if not text:
        raise UserError("A reason is required to void a lot.", field="reason")
    if lot.state == LotState.VOID.value:
        raise ConflictError(f"Lot {lot.lot_no} is already void.", field="lot")
    _void_approvals(session, lot, actor=actor, clock=clock, reason=f"lot voided: {text}")
    _set_state(session, lot, LotState.VOID, actor=actor, clock=clock, action="lot.void", reason=text)
    return lot


def void_approvals_for_load(
    session: Session, *, actor: Actor, clock: Clock, load_id: int, reason: str
) -> list[str]:
    """For services that change a load (re-weighing, re-classification): every decided lot holding it
    loses its approval and returns to draft. Returns the lot numbers affected."""
    stmt = (select(Lot).join(LotLoad, col(LotLoad.lot_id) == col(Lot.id))
            .where(col(LotLoad.load_id) == load_id,
                   col(Lot.state).in_([s.value for s in (LotState.SUBMITTED, *LOCKED_STATES)])))
    affected = []
    for lot in session.execute(stmt).scalars().unique():
        _open_for_change(session, lot, actor=actor, clock=clock, reason=reason)
        affected.append(lot.lot_no)
    return affected


# --- held loads ------------------------------------------------------------------------------------------

def decide_held_load(session: Session, *, actor: Actor, clock: Clock, load_id: int, decision: str,
                     comment: str) -> HeldLoadDecision:
    """A supervisor releases a held load (a comment is mandatory) into lots, or rejects it."""
    require_role(actor, (Role.SUPERVISOR,), action="decide on held loads")
    if actor.user_id == SYSTEM.user_id:
        raise PermissionDeniedError("A named supervisor must decide on a held load.")
    load = get_load(session, load_id)
    if load.outcome != "HOLD":
        raise ConflictError(f"Load {load.ticket_no} is not on HOLD (its outcome is {load.outcome}).",
                            field="load")
    if decision not in ("release", "reject"):
        raise UserError(f"'{decision}' is not a decision.", field="decision", hint="Use release or reject.")
    text = (comment or "").strip()
    if decision == "release":
        require_reason(text, field="comment",
                       message="Releasing a held load needs a comment saying why it may be used.")
    if allocated(session, load_id):
        raise ConflictError(f"Load {load.ticket_no} is in a lot; remove it first.", field="load")
    stamp = clock.now()
    record = latest_records(session, [load_id]).get(load_id)
    row = HeldLoadDecision(load_id=load_id, decision=decision, comment=text[:1000], decided_by=actor.user_id,
                           decided_at=stamp.utc, decided_offset=stamp.offset_minutes,
                           classification_seq=record.seq if record is not None else None)
    record_change(session, row, actor=actor, action=f"load.hold_{decision}", clock=clock, reason=text or None)
    if decision == "reject":
        old = row_content(load)
        load.state = LoadState.REJECTED.value
        record_change(session, load, actor=actor, action="load.rejected", clock=clock, old=old,
                      reason=text or "held load rejected by a supervisor")
    return row


# --- approval --------------------------------------------------------------------------------------------

def weighers(session: Session, lot: Lot) -> set[str]:
    """Everyone who arrived a load of the lot or recorded one of its weights (four-eyes)."""
    rows = members(session, lot)
    ids = [ld.id or 0 for _, ld in rows]
    people = {ld.created_by for _, ld in rows if ld.created_by}
    on_loads = select(AuditEvent).where(col(AuditEvent.entity) == "load",
                                        col(AuditEvent.entity_id).in_([str(i) for i in ids]))
    for ev in session.execute(on_loads).scalars():
        new = ev.new if isinstance(ev.new, dict) else {}
        old = ev.old if isinstance(ev.old, dict) else {}
        if old and all(old.get(k) == new.get(k) for k in WEIGHT_FIELDS):
            continue  # a change that did not touch the weights (classification, state)
        people.add(ev.actor)
    # Whoever captured a weighing of these loads, and whoever wrote a weighing row (its audit event).
    people.update(session.execute(select(col(Weighing.captured_by)).where(col(Weighing.load_id).in_(ids)))
                  .scalars())
    on_weighings = select(col(AuditEvent.actor)).where(
        col(AuditEvent.entity) == "weighing",
        func.json_extract(col(AuditEvent.new), "$.load_id").in_(ids),
    )
    people.update(session.execute(on_weighings).scalars())
    people.discard(SYSTEM.user_id)
    return people


def manual_weights(session: Session, lot: Lot) -> list[tuple[str, str | None]]:
    """(entered by, confirmed by) of every manual weight of the lot's loads, for the four-eyes check."""
    ids = [ld.id or 0 for _, ld in members(session, lot)]
    stmt = select(col(Weighing.captured_by), col(Weighing.confirmed_by)).where(
        col(Weighing.load_id).in_(ids), col(Weighing.source) == WeightSource.MANUAL.value
    )
    return [(entered, confirmed) for entered, confirmed in session.execute(stmt)]


def require_four_eyes(session: Session, lot: Lot, approver: Actor, *, decision: str) -> None:
    """An approval or rejection needs a named supervisor, not an administrator, who neither arrived nor
    weighed any of the lot's loads; and every manual weight in the lot confirmed by a second person."""
    weighed_by = weighers(session, lot)
    users.require_approver(approver, weighed_by=weighed_by, action=f"{decision} this lot")
    users.check_four_eyes(approver=approver, weighed_by=weighed_by,
                          manual_weights=manual_weights(session, lot))


def _require_decidable(lot: Lot) -> None:
    if lot.state != LotState.SUBMITTED.value:
        raise ConflictError(f"Lot {lot.lot_no} is {lot.state}; only a submitted lot is approved or rejected.",
                            field="lot", hint="Submit the lot first." if lot.state == "draft" else None)


def _record_approval(session: Session, lot: Lot, *, actor: Actor, clock: Clock, document: Mapping[str, Any],
                     verified_cert_pem: str, channel: str) -> Approval:
    payload = document["payload"]
    approval = Approval(
        lot_id=lot.id or 0, lot_no=lot.lot_no, version_hash=payload["lot_version_hash"],
        decision=payload["decision"], meaning=payload["meaning"], printed_name=payload["printed_name"][:100],
        user_id=payload["user_id"], signed_at=packets.parse_time(payload["signed_at"], what="decision"),
        signed_offset=payload["offset_minutes"], payload=dict(payload), signature=document["signature"],
        certificate_pem=verified_cert_pem, chain_pem="".join(document.get("chain", [])),
        key_fingerprint=payload["key_fingerprint"], channel=channel, packet_id=payload.get("packet_id"),
    )
    record_change(session, approval, actor=actor, action=f"lot.{payload['decision']}", clock=clock,
                  reason=payload["meaning"], source=channel)
    state = LotState.APPROVED if payload["decision"] == "approve" else LotState.REJECTED
    _set_state(session, lot, state, actor=actor, clock=clock, action=f"lot.{state.value}",
               reason=payload["meaning"])
    return approval


def sign_decision(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, lot_no: str, decision: str,
    meaning: str, password: str, passphrase: str, ruleset: RuleSet | None = None,
) -> Approval:
    """The signed-in supervisor approves or rejects a submitted lot on the yard PC.

    The password is asked again (a failed attempt is kept on the record, so it counts towards the lock:
    ``RecordedRefusalError``); the key passphrase unlocks the personal key that signs the lot's version hash.
    Approving also writes a signed checkpoint of the audit chain.
    """
    text = packets.check_decision_words(decision, meaning)
    result = users.authenticate(session, username=actor.user_id, password=password, clock=clock,
                                purpose="signature")
    if not result.ok or result.actor is None:
        raise RecordedRefusalError(result.message, field="password")
    signer_actor = result.actor
    lot = get_lot(session, lot_no)
    ruleset = ruleset_of_lot(lot, data_dir=data_dir, ruleset=ruleset)
    _require_decidable(lot)
    require_four_eyes(session, lot, signer_actor, decision=decision)
    clockguard.require_signing_allowed(session, clock=clock)
    signer = keys.load_signer(session, data_dir=data_dir, username=signer_actor.user_id,
                              passphrase=passphrase, clock=clock)
    _doc, version_hash = version_of(session, lot, ruleset)
    head = chain_head(session)
    payload = packets.decision_payload(
        lot_no=lot.lot_no, version_hash=version_hash, decision=decision, meaning=text,
        printed_name=signer_actor.display_name, user_id=signer_actor.user_id, stamp=clock.now(),
        key_fingerprint=signer.fingerprint, packet_id=None, packet_sha256=None,
        chain_head=None if head is None else {"seq": head.seq, "hash": head.hash},
    )
    document = packets.sign_payload(payload, signer)
    approval = _record_approval(session, lot, actor=signer_actor, clock=clock, document=document,
                                verified_cert_pem=keys.certificate_pem(signer.certificate), channel="yard")
    checkpoints.write_checkpoint(session, data_dir=data_dir, signer=signer, clock=clock,
                                 purpose=f"lot-{decision}", reference=lot.lot_no)
    return approval


def approval_for_certificate(session: Session, *, lot_no: str, ruleset: RuleSet) -> Approval:
    """The approval a certificate for the lot may cite: in force, an approval (not a rejection), with a
    valid signature, on the lot as it is now."""
    lot = get_lot(session, lot_no)
    check_ruleset(lot, ruleset)
    if lot.state not in (LotState.APPROVED.value, LotState.CERTIFIED.value):
        raise ConflictError(f"Lot {lot.lot_no} is {lot.state}; only an approved lot is certified.",
                            field="lot")
    approval = current_approval(session, lot)
    if approval is None or approval.decision != "approve":
        raise ConflictError(f"Lot {lot.lot_no} has no approval in force.", field="lot")
    if not verify_approval(approval):
        raise ConflictError(f"The approval of lot {lot.lot_no} does not match its signature.", field="lot",
                            hint="Run 'yard-inspector check': the approval record was altered.")
    _doc, current = version_of(session, lot, ruleset)
    if current != approval.version_hash:
        raise ConflictError(f"Lot {lot.lot_no} changed after it was approved; it needs a new approval.",
                            field="lot")
    return approval


def mark_certified(
    session: Session, *, actor: Actor, clock: Clock, lot_no: str, ruleset: RuleSet
) -> Approval:
    """Record that a certificate was issued for an approved lot (called by the certificate service in the
    same transaction); returns the approval the certificate cites."""
    require_role(actor, (Role.CLERK, Role.SUPERVISOR), action="certify lots")
    approval = approval_for_certificate(session, lot_no=lot_no, ruleset=ruleset)
    lot = get_lot(session, lot_no)
    if lot.state != LotState.CERTIFIED.value:
        _set_state(session, lot, LotState.CERTIFIED, actor=actor, clock=clock, action="lot.certify")
    return approval


def mark_uncertified(session: Session, lot: Lot, *, actor: Actor, clock: Clock, certificate: str,
                     reason: str) -> None:
    """A certified lot whose last certificate in force was voided is approved again, and may be certified
    anew (called by the certificate service in the same transaction)."""
    if lot.state != LotState.CERTIFIED.value:
        return
    old = row_content(lot)
    lot.state = LotState.APPROVED.value
    lot.state_reason = f"certificate {certificate} voided: {reason}"[:1000]
    record_change(session, lot, actor=actor, action="lot.certificate_void", clock=clock, old=old,
                  reason=reason)


# --- offline packets -------------------------------------------------------------------------------------

def _photo_bytes(data_dir: DataDir, sha: str) -> bytes | None:
    """A photo's bytes from the data directory's photos folder (named by their SHA-256), if present and
    intact."""
    folder = data_dir.photos
    if not folder.is_dir():
        return None
    for path in sorted(folder.rglob(f"{sha}*")):
        try:
            blob = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(blob).hexdigest() == sha:
            return blob
    return None


def export_packet(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, lot_no: str, signer: keys.Signer,
    ruleset: RuleSet | None = None,
) -> tuple[bytes, LotPacket]:
    """The signed approval packet of a submitted lot (one file), recorded so its decision can come back."""
    require_role(actor, (Role.INSPECTOR, Role.SUPERVISOR, Role.CLERK), action="export approval packets")
    lot = get_lot(session, lot_no)
    ruleset = ruleset_of_lot(lot, data_dir=data_dir, ruleset=ruleset)
    _require_decidable(lot)
    ca = keys.require_ca(session)
    if not keys.issued_by(signer.certificate, keys.load_pem_certificate(ca.certificate_pem)):
        raise UserError("The packet must be signed with a key issued by this yard's CA.", field="key")
    doc, _hash = version_of(session, lot, ruleset)
    bal = lot_balance(session, lot, ruleset)
    yard = session.execute(select(Yard)).scalars().first()
    supplier = session.get(Supplier, lot.supplier_id)
    head = chain_head(session)
    photos = {sha: _photo_bytes(data_dir, sha) for item in doc["loads"] for sha in item["photos"]}
    packet_id = uuid.uuid4().hex
    stamp = clock.now()
    document = packets.build_packet(
        packet_id=packet_id, lot_doc=doc, balance=bal.to_json(),
        yard={"legal_name": yard.legal_name if yard else "", "uscc": yard.uscc if yard else "",
              "supplier": supplier.name if supplier else ""},
        ruleset={"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256,
                 "status": ruleset.status},
        chain_head={"seq": head.seq if head else 0, "hash": head.hash if head else ""},
        stamp=stamp, exported_by=actor.user_id, photos=photos, signer=signer,
    )
    content = document["content"]
    row = LotPacket(packet_id=packet_id, lot_id=lot.id or 0, version_hash=content["lot_version_hash"],
                    content_sha256=packets.content_sha256(content), chain_seq=content["chain_head"]["seq"],
                    chain_hash=content["chain_head"]["hash"], exported_by=actor.user_id,
                    exported_at=stamp.utc, exported_offset=stamp.offset_minutes)
    record_change(session, row, actor=actor, action="lot.export_packet", clock=clock)
    return packets.dumps(document), row


def decide_packet(session: Session, *, clock: Clock, packet_data: bytes, signer: keys.Signer, decision: str,
                  meaning: str | None) -> tuple[bytes, dict[str, Any]]:
    """On the supervisor's laptop (its own data directory): check the packet, sign the decision and note it
    in the laptop's own audit trail. Returns the decision file and the signed payload. ``meaning`` None
    gives the standard sentence for the decision."""
    if not signer.chain:
        raise UserError("The key file holds no yard CA certificate to check the packet against.", field="key")
    content = packets.verify_packet(packet_data, ca=signer.chain[-1])["content"]
    lot_no = str(content["lot_document"]["lot"]["lot_no"])
    document = packets.decide(packet_data, signer=signer, decision=decision,
                              meaning=meaning or packets.default_meaning(decision, lot_no), stamp=clock.now())
    payload = document["payload"]
    actor = Actor(user_id=payload["user_id"], display_name=payload["printed_name"],
                  roles=frozenset({Role.SUPERVISOR}))
    record_event(session, actor=actor, action=f"lot.decide_offline.{decision}", entity="lot_packet",
                 entity_id=str(payload["packet_id"]), clock=clock, new=payload, reason=payload["meaning"],
                 source="packet")
    return packets.dumps(document), payload


def read_packet(data: bytes, *, ca_pem: str) -> dict[str, Any]:
    """A packet's content, verified against the yard CA (for showing it read-only on the laptop)."""
    return dict(packets.verify_packet(data, ca=keys.load_pem_certificate(ca_pem))["content"])


@dataclass(frozen=True)
class ImportCheck:
    lot: Lot
    packet: LotPacket
    actor: Actor
    document: dict[str, Any]
    certificate_pem: str


def check_decision(session: Session, *, data: bytes, data_dir: DataDir | None = None) -> ImportCheck:
    """Every check an imported decision must pass; raises a ``PacketRefusedError`` naming the first that
    fails. Writes nothing."""
    refuse = packets.PacketRefusedError
    ca_row = keys.active_ca(session)
    if ca_row is None:
        raise refuse("This yard has no certificate authority to check the decision against.", field="file")
    document, verified = packets.verify_decision(data, ca=keys.load_pem_certificate(ca_row.certificate_pem))
    payload = document["payload"]
    key_rows = [k for k in keys.personal_keys(session) if k.fingerprint == verified.fingerprint]
    if not key_rows:
        raise refuse("The decision was signed with a key this yard has not registered.", field="file")
    key_row = key_rows[-1]
    if key_row.status == "revoked":
        raise refuse(f"The decision was signed with a revoked key ({key_row.status_reason}).", field="file")
    signed_at = packets.parse_time(payload["signed_at"], what="decision file")
    changed = key_row.status_changed_at
    if key_row.status != "active" and (changed is None or signed_at >= changed):
        raise refuse(f"The decision was signed with a key that was already {key_row.status}.", field="file")
    if key_row.username != payload["user_id"]:
        raise refuse(f"The decision names {payload['user_id']} but was signed with {key_row.username}'s key.",
                     field="file")
    user = users.get_user(session, key_row.username or "")
    if user is None or not user.active:
        raise refuse(f"The signer {key_row.username} is not an active user of this yard.", field="file")
    signer_actor = users.actor_for(user)
    packet = session.execute(
        select(LotPacket).where(col(LotPacket.packet_id) == str(payload.get("packet_id") or ""))
    ).scalars().first()
    if packet is None:
        raise refuse("The decision is not for a packet exported from this yard.", field="file")
    lot = session.get(Lot, packet.lot_id)
    assert lot is not None
    if payload["lot_no"] != lot.lot_no:
        raise refuse(f"The decision names lot {payload['lot_no']}, the packet was for {lot.lot_no}.",
                     field="file")
    if (payload.get("packet_sha256") != packet.content_sha256
            or payload["lot_version_hash"] != packet.version_hash):
        raise refuse("The decision was made on a packet whose content differs from the one exported.",
                     field="file")
    if packet.status != "open":
        raise refuse(f"A decision on packet {packet.packet_id[:8]} was already imported.", field="file")
    if signed_at < packet.exported_at:
        raise refuse("The decision is dated before its packet was exported.", field="file")
    try:
        require_four_eyes(session, lot, signer_actor, decision=payload["decision"])
    except PermissionDeniedError as exc:
        raise refuse(f"The signer may not decide on this lot: {exc.message}", field="file") from None
    if lot.state != LotState.SUBMITTED.value:
        raise refuse(f"Lot {lot.lot_no} is {lot.state} now, no longer waiting for a decision.", field="file")
    _doc, current = version_of(session, lot, ruleset_of_lot(lot, data_dir=data_dir))
    if current != payload["lot_version_hash"]:
        raise refuse(f"Lot {lot.lot_no} changed after the packet was exported; the decision is for an older "
                     "version.", field="file", hint="Export a new packet and ask for a new decision.")
    return ImportCheck(lot=lot, packet=packet, actor=signer_actor, document=document,
                       certificate_pem=keys.certificate_pem(verified.certificate))


def import_decision(session: Session, *, clock: Clock, data: bytes,
                    data_dir: DataDir | None = None) -> Approval:
    """Record a supervisor's signed decision brought back from a laptop, once every check has passed."""
    checked = check_decision(session, data=data, data_dir=data_dir)
    approval = _record_approval(session, checked.lot, actor=checked.actor, clock=clock,
                                document=checked.document, verified_cert_pem=checked.certificate_pem,
                                channel="packet")
    old = row_content(checked.packet)
    checked.packet.status = "decided"
    checked.packet.approval_id = approval.id
    record_change(session, checked.packet, actor=checked.actor, action="lot.packet_decided", clock=clock,
                  old=old, source="packet")
    return approval


# --- the offline round trip through files ---------------------------------------------------------------

def read_file(path: Path, *, field: str) -> bytes:
    """A file the user named (a packet, a decision, a key), or a ``UserError`` saying why it cannot be
    read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.", field=field) from None


def write_file(path: Path, data: bytes) -> None:
    """Write a file the user named whole or not at all, or say in words why it cannot be written."""
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise EnvironmentProblemError(f"Cannot write {path}: {exc.strerror or exc}.",
                                      hint="Choose another folder.") from exc


@dataclass(frozen=True)
class ExportedPacket:
    lot_no: str
    packet_id: str
    version_hash: str
    path: Path


def export_packet_file(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, lot_no: str, passphrase: str,
    path: Path, ruleset: RuleSet | None = None,
) -> ExportedPacket:
    """Sign the approval packet of a submitted lot with the actor's personal key and write it to ``path``.

    The file is written inside the caller's transaction: when it cannot be written, no packet is recorded.
    """
    signer = keys.load_signer(session, data_dir=data_dir, username=actor.user_id, passphrase=passphrase,
                              clock=clock)
    data, row = export_packet(session, actor=actor, clock=clock, data_dir=data_dir, lot_no=lot_no,
                              signer=signer, ruleset=ruleset)
    write_file(path, data)
    return ExportedPacket(lot_no=get_lot(session, lot_no).lot_no, packet_id=row.packet_id,
                          version_hash=row.version_hash, path=path)


@dataclass(frozen=True)
class DecidedPacket:
    """A decision signed on a laptop and written to its file, to carry back to the yard PC."""

    lot_no: str
    decision: str
    meaning: str
    printed_name: str
    signed_at: datetime
    offset_minutes: int
    version_hash: str
    path: Path


def decide_packet_file(
    session: Session, *, clock: Clock, packet_data: bytes, key_file: Path, passphrase: str, decision: str,
    meaning: str | None, out: Path,
) -> DecidedPacket:
    """On a supervisor's laptop: sign a decision on the packet (the bytes the supervisor opened and read,
    not the file as it may be now) with the key in ``key_file``, and write the decision file to ``out``.

    The file is written inside the caller's transaction: without the file, the laptop records no decision.
    """
    signer = packets.signer_from_pkcs12(read_file(key_file, field="key"), passphrase)
    data, payload = decide_packet(session, clock=clock, packet_data=packet_data, signer=signer,
                                  decision=decision, meaning=meaning)
    write_file(out, data)
    return DecidedPacket(lot_no=str(payload["lot_no"]), decision=decision, meaning=str(payload["meaning"]),
                         printed_name=str(payload["printed_name"]),
                         signed_at=packets.parse_time(payload["signed_at"], what="decision"),
                         offset_minutes=int(payload["offset_minutes"]),
                         version_hash=str(payload["lot_version_hash"]), path=out)


def import_decision_file(session: Session, *, clock: Clock, path: Path,
                         data_dir: DataDir | None = None) -> Approval:
    """Check and record the decision file at ``path`` (see ``import_decision``)."""
    return import_decision(session, clock=clock, data=read_file(path, field="file"), data_dir=data_dir)


def open_packet_file(path: Path, *, ca_path: Path) -> tuple[bytes, dict[str, Any]]:
    """An approval packet's bytes and content, read from ``path`` and checked against the yard CA
    certificate at ``ca_path`` (on a laptop: the one kept beside the supervisor's key)."""
    if not ca_path.exists():
        raise UserError(f"There is no yard CA certificate at {ca_path}, so the packet cannot be checked.",
                        field="ca", hint="Copy the yard's yard-ca.pem there.")
    ca_pem = read_file(ca_path, field="ca").decode("ascii", errors="replace")
    data = read_file(path, field="packet")
    try:
        return data, read_packet(data, ca_pem=ca_pem)
    except ValueError:
        raise UserError(f"{ca_path} is not a PEM certificate.", field="ca") from None


def verify_approval(approval: Approval) -> bool:
    """Whether a stored approval's signature still matches its stored payload and certificate."""
    cert = keys.load_pem_certificate(approval.certificate_pem)
    try:
        signature = base64.b64decode(approval.signature, validate=True)
    except ValueError:
        return False
    return keys.verify_signature(cert, signature, packets.signed_bytes(approval.payload))


# --- lots as a list --------------------------------------------------------------------------------------

def list_lots(session: Session, *, states: Sequence[str] | None = None) -> list[Lot]:
    stmt = select(Lot)
    if states:
        stmt = stmt.where(col(Lot.state).in_(list(states)))
    return list(session.execute(stmt.order_by(col(Lot.lot_year), col(Lot.lot_seq))).scalars())
