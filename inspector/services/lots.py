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
from datetime import datetime, timedelta
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
    InspectorError,
    PermissionDeniedError,
    UserError,
)
from inspector.files import write_atomically
from inspector.lots import bundle, massbalance, packets
from inspector.lots.massbalance import Balance, Band, LoadShare
from inspector.lots.packets import PacketRefusedError
from inspector.lots.version import (
    document_hash,
    latest_decisions,
    latest_records,
    load_facts,
    load_photos,
    lot_document,
    members,
    record_facts,
)
from inspector.messages import Language, Term, formats, os_problem
from inspector.messages.reasons import StoredReason
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
        raise UserError("lot.not_found", field="lot", lot=lot_no.strip())
    return lot


def get_load(session: Session, load_id: int) -> Load:
    load = session.get(Load, load_id)
    if load is None:
        raise UserError("lot.load_id_unknown", field="loads", id=load_id)
    return load


def load_by_ticket(session: Session, ticket_no: str) -> Load:
    stmt = select(Load).where(col(Load.ticket_no) == ticket_no.strip().upper())
    load: Load | None = session.execute(stmt).scalars().first()
    if load is None:
        raise UserError("lot.ticket_unknown", field="loads", ticket=ticket_no.strip())
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


def lots_holding(session: Session, load_id: int) -> list[Lot]:
    """The live lots (not void) that hold some of the load's net, in lot order."""
    stmt = (
        select(Lot).join(LotLoad, col(LotLoad.lot_id) == col(Lot.id))
        .where(col(LotLoad.load_id) == load_id, col(Lot.state).in_([s.value for s in LIVE_STATES]))
        .order_by(col(Lot.lot_year), col(Lot.lot_seq))
    )
    return list(session.execute(stmt).scalars().unique())


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


def ineligibility(load: Load, decision: HeldLoadDecision | None) -> UserError | None:
    """Why a load may not join a lot (the error that says so, not raised), or None if it may."""
    ticket = load.ticket_no
    if load.state != LoadState.CLASSIFIED.value:
        return UserError("lot.load_not_classified", field="loads", ticket=ticket,
                         state=Term("load_state", load.state))
    if load.classification_status != "final":
        return UserError("lot.load_not_final", field="loads", ticket=ticket)
    if not load.assigned_category:
        return UserError("lot.load_without_category", field="loads", ticket=ticket)
    if load.net is None or load.net <= 0:
        return UserError("lot.load_without_net", field="loads", ticket=ticket)
    if load.outcome == "ACCEPT":
        return None
    if load.outcome == "HOLD":
        if decision is not None and decision.decision == "release":
            return None
        return UserError("lot.load_held", field="loads", ticket=ticket)
    return UserError("lot.load_outcome", field="loads", ticket=ticket,
                     outcome=Term("outcome", str(load.outcome or "").upper()))


def category_bands(ruleset: RuleSet, category: str) -> tuple[tuple[Band, ...], Decimal | None]:
    spec = ruleset.categories.get(category)
    if spec is None:
        raise UserError("lot.category_not_in_ruleset", field="category", ruleset=ruleset.label,
                        category=category)
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


def judged_attributes(ruleset: RuleSet, permit_codes: tuple[str, ...], category: str | None,
                      attributes: Mapping[str, Any]) -> tuple[dict[str, Any], UserError | None]:
    """The standard engine's findings (failed checks) and derived values for a load's stored attributes,
    and the error that kept the engine from judging them (for a person to read), if any."""
    known = {k: v for k, v in attributes.items() if k in ruleset.attributes}
    try:
        judged = engine.classify_input(
            ruleset, {"category": category, "stage": ruleset.stages[-1], "attributes": known},
            default_permit_codes=permit_codes,
        )
    except UserError as exc:
        # The lot's version document (signed by an approval) holds the error's English text, as it did
        # before errors had codes: the text is part of what the version hash covers.
        return {"findings": None, "error": str(exc)}, exc
    return {"findings": [f.to_json() for f in judged.findings if not f.passed],
            "derived": {k: engine.show(v) for k, v in judged.derived.items()}}, None


def judge_attributes(ruleset: RuleSet, permit_codes: tuple[str, ...], category: str | None,
                     attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The standard engine's findings (failed checks) and derived values for a load's stored attributes,
    as the lot's version document holds them."""
    return judged_attributes(ruleset, permit_codes, category, attributes)[0]


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
        raise UserError("lot.ruleset_mismatch", field="ruleset", lot=lot.lot_no,
                        lot_ruleset=f"{lot.ruleset_id} {lot.ruleset_version}", ruleset=ruleset.label)


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
        raise UserError("lot.no_loads", field="loads")
    decisions = latest_decisions(session, [ld.id or 0 for ld in loads])
    for ld in loads:
        why = ineligibility(ld, decisions.get(ld.id or 0))
        if why is not None:
            raise why
    category = category or loads[0].assigned_category or ""
    supplier_id = supplier_id if supplier_id is not None else loads[0].supplier_id
    for ld in loads:
        if ld.assigned_category != category:
            raise UserError("lot.load_category_differs", field="loads", ticket=ld.ticket_no,
                            load_category=ld.assigned_category or "", category=category)
        if ld.supplier_id != supplier_id:
            raise UserError("lot.load_supplier_differs", field="loads", ticket=ld.ticket_no)
    return category, supplier_id


def _add_member(session: Session, lot: Lot, load: Load, share: int | None, *, actor: Actor, clock: Clock,
                action: str, reason: str | None = None) -> LotLoad:
    assert lot.id is not None and load.id is not None and load.net is not None
    free = load.net - allocated(session, load.id)
    if share is None:
        share = free
    unit = load.weight_unit
    if share <= 0:
        raise ConflictError("lot.load_fully_allocated", field="loads", ticket=load.ticket_no)
    if share > free:
        raise ConflictError("lot.share_over_free", field="loads", ticket=load.ticket_no,
                            free=formats.mass(free, unit), share=formats.mass(share, unit))
    step = division(session, load.id)
    if share != free and share % step:
        # Only a part of a load is measured in divisions; the whole (rest of a) load is as weighed.
        raise UserError("lot.share_not_in_divisions", field="share", ticket=load.ticket_no,
                        share=formats.mass(share, unit), division=formats.mass(step, unit))
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
    require_role(actor, BUILDERS, action=Term("lot_permission", "create"))
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
        raise ConflictError("lot.void_unchangeable", field="lot", lot=lot.lot_no,
                            reason=StoredReason(lot.state_reason or ""))
    if state == LotState.DRAFT:
        return
    if state == LotState.SUBMITTED:
        _set_state(session, lot, LotState.DRAFT, actor=actor, clock=clock, action="lot.reopen",
                   reason=reason or "changed after submission")
        return
    text = (reason or "").strip()
    if not text:
        raise UserError("lot.change_needs_reason", field="reason", lot=lot.lot_no,
                        state=Term("lot_state", lot.state))
    if state == LotState.CERTIFIED:
        # The certificate states the lot as it was approved: it cannot stay in force for a changed lot.
        void_reason = f"lot {lot.lot_no} changed after certification: {text}"
        in_force = in_force_for_lot(session, lot.id or 0)
        if in_force:  # voiding a certificate is a supervisor's act, whoever asks for the change
            require_role(actor, (Role.SUPERVISOR,), action=Term("lot_permission", "void_certificates"))
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
    require_role(actor, BUILDERS, action=Term("lot_permission", "change"))
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
        load = session.get(Load, load_id)
        raise UserError("lot.load_not_in_lot", field="loads", lot=lot.lot_no,
                        ticket=load.ticket_no if load is not None else str(load_id))
    return member


def remove_loads(session: Session, *, actor: Actor, clock: Clock, lot_no: str, load_ids: Sequence[int],
                 reason: str | None = None) -> Lot:
    require_role(actor, BUILDERS, action=Term("lot_permission", "change"))
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
    require_role(actor, BUILDERS, action=Term("lot_permission", "split"))
    lot = get_lot(session, lot_no)
    if not move:
        raise UserError("lot.split_nothing", field="move")
    found = {load_id: _membership(session, lot, load_id) for load_id in move}
    plan: list[tuple[LotLoad, int]] = []
    for load_id, amount in move.items():
        member = found[load_id]
        load = get_load(session, load_id)
        unit = load.weight_unit
        step = division(session, load_id)
        qty = member.share if amount is None else amount
        if qty <= 0 or qty > member.share:
            raise UserError("lot.split_amount_out_of_range", field="move", ticket=load.ticket_no,
                            share=formats.mass(member.share, unit), amount=formats.mass(qty, unit))
        if qty != member.share and qty % step:
            raise UserError("lot.share_not_in_divisions", field="move", ticket=load.ticket_no,
                            share=formats.mass(qty, unit), division=formats.mass(step, unit))
        plan.append((member, qty))
    remaining = sum(m.share for m in members_of(session, lot)) - sum(q for _, q in plan)
    if remaining <= 0:
        raise UserError("lot.split_leaves_nothing", field="move")
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
    require_role(actor, BUILDERS, action=Term("lot_permission", "merge"))
    names = list(dict.fromkeys(n.strip().upper() for n in lot_nos))
    if len(names) < 2:
        raise UserError("lot.merge_needs_two", field="lots")
    target, *sources = [get_lot(session, n) for n in names]
    for src in sources:
        for attr, what in (("category", "category"), ("supplier_id", "supplier"), ("contract", "contract"),
                           ("ruleset_id", "ruleset"), ("ruleset_version", "ruleset_version")):
            if getattr(src, attr) != getattr(target, attr):
                raise UserError("lot.merge_mismatch", field="lots", lot=src.lot_no, target=target.lot_no,
                                what=Term("lot_property", what))
        if src.state == LotState.VOID.value:
            raise ConflictError("lot.merge_void", field="lots", lot=src.lot_no)
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
    require_role(actor, BUILDERS, action=Term("lot_permission", "submit"))
    lot = get_lot(session, lot_no)
    ruleset = ruleset_of_lot(lot, data_dir=data_dir, ruleset=ruleset)
    if lot.state != LotState.DRAFT.value:
        raise ConflictError("lot.submit_not_draft", field="lot", lot=lot.lot_no,
                            state=Term("lot_state", lot.state))
    rows = members(session, lot)
    _check_members(session, [ld for _, ld in rows], category=lot.category, supplier_id=lot.supplier_id)
    bal = lot_balance(session, lot, ruleset)
    if bal.missing_assay:
        raise UserError("lot.missing_assay", field="loads", tickets=list(bal.missing_assay))
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
    require_role(actor, (Role.SUPERVISOR,), action=Term("lot_permission", "void"))
    lot = get_lot(session, lot_no)
    text = (reason or "").strip()
    if not text:
        raise UserError("lot.void_needs_reason", field="reason")
    if lot.state == LotState.VOID.value:
        raise ConflictError("lot.already_void", field="lot", lot=lot.lot_no)
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

# The audit trail's entity for the finding(s) a decision on a held load answers: an event beside the
# decision's own (whose content is the decision row's), so rows stored before answers were asked keep the
# content their hashes were taken over and the lot's signed version stays as it was.
HELD_ANSWER_ENTITY = "held_load_answer"


def held_load_facts(session: Session, load: Load, *, data_dir: DataDir | None = None) -> dict[str, Any]:
    """A held load as a lot's version would hold it (its whole net as the share): weights, readings, its
    latest classification with its findings (judged by the standard engine under the rule set in force when
    it has no classification record) and the hashes of its photos."""
    load_id = load.id or 0
    record = latest_records(session, [load_id]).get(load_id)
    if record is not None:
        facts = record_facts(record)
    else:
        ruleset = classification.ruleset_in_force(session, data_dir=data_dir)
        facts = engine_facts(ruleset, classification.yard_permit_codes(session))(load)
    return load_facts(load, load.net or 0, classification=facts,
                      decision=latest_decisions(session, [load_id]).get(load_id),
                      photos=load_photos(session, [load_id]).get(load_id, []))


def failed_of(facts: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The checks a load failed, from its facts (``held_load_facts``): what a supervisor's decision on a
    held load answers."""
    findings = (facts.get("classification") or {}).get("findings")
    if not isinstance(findings, list):
        return []
    return [f for f in findings if isinstance(f, Mapping) and not f.get("passed", False)]


def _answered(failed: Sequence[Mapping[str, Any]], answers: Sequence[str] | None,
              ticket: str) -> list[dict[str, Any]]:
    """The failed findings a decision answers: those named in ``answers`` (by rule), by default the only
    one when there is one; every named rule must be one the load failed."""
    rules = list(dict.fromkeys(str(f.get("rule") or "") for f in failed))
    if answers is None:
        if len(rules) > 1:
            raise UserError("lot.held_answer_required", field="answers", ticket=ticket, rules=rules)
        chosen = rules
    else:
        chosen = list(dict.fromkeys(a.strip() for a in answers if a.strip()))
        for rule in chosen:
            if rule not in rules:
                raise UserError("lot.held_answer_unknown", field="answers", ticket=ticket, rule=rule,
                                rules=rules or ["—"])
        if rules and not chosen:
            raise UserError("lot.held_answer_required", field="answers", ticket=ticket, rules=rules)
    return [{"rule": str(f.get("rule") or ""), "clause": str(f.get("clause") or ""),
             "attribute": f.get("attribute"), "measured": f.get("measured"), "limit": f.get("limit"),
             "severity": str(f.get("severity") or "")}
            for f in failed if str(f.get("rule") or "") in chosen]


def decide_held_load(session: Session, *, actor: Actor, clock: Clock, load_id: int, decision: str,
                     comment: str, answers: Sequence[str] | None = None,
                     data_dir: DataDir | None = None) -> HeldLoadDecision:
    """A supervisor releases a held load (a comment is mandatory) into lots, or rejects it, saying which of
    its failed findings the decision answers (``answers``: their rules; by default the only one when there
    is one). The answered findings are recorded in the audit trail beside the decision."""
    require_role(actor, (Role.SUPERVISOR,), action=Term("lot_permission", "decide_held"))
    if actor.user_id == SYSTEM.user_id:
        raise PermissionDeniedError("lot.held_needs_named_supervisor")
    load = get_load(session, load_id)
    if load.outcome != "HOLD":
        raise ConflictError("lot.held_not_on_hold", field="load", ticket=load.ticket_no,
                            outcome=Term("outcome", str(load.outcome or "").upper()))
    if decision not in ("release", "reject"):
        raise UserError("lot.held_decision_unknown", field="decision", decision=decision)
    text = (comment or "").strip()
    if decision == "release":
        require_reason(text, field="comment", code="lot.held_release_needs_comment")
    answered = _answered(failed_of(held_load_facts(session, load, data_dir=data_dir)), answers,
                         load.ticket_no)
    if allocated(session, load_id):
        raise ConflictError("lot.held_in_lot", field="load", ticket=load.ticket_no)
    stamp = clock.now()
    record = latest_records(session, [load_id]).get(load_id)
    row = HeldLoadDecision(load_id=load_id, decision=decision, comment=text[:1000], decided_by=actor.user_id,
                           decided_at=stamp.utc, decided_offset=stamp.offset_minutes,
                           classification_seq=record.seq if record is not None else None)
    record_change(session, row, actor=actor, action=f"load.hold_{decision}", clock=clock, reason=text or None)
    record_event(session, actor=actor, action=f"load.hold_{decision}", entity=HELD_ANSWER_ENTITY,
                 entity_id=row.id or 0, clock=clock, reason=text or None,
                 new={"decision_id": row.id, "load_id": load_id, "ticket_no": load.ticket_no,
                      "decision": decision, "classification_seq": row.classification_seq,
                      "answers": answered})
    if decision == "reject":
        old = row_content(load)
        load.state = LoadState.REJECTED.value
        record_change(session, load, actor=actor, action="load.rejected", clock=clock, old=old,
                      reason=text or "held load rejected by a supervisor")
    return row


def held_answers(session: Session, decision_id: int) -> list[dict[str, Any]]:
    """The findings a stored decision on a held load answered (empty for a decision made before answers
    were recorded, or on a load that failed no check)."""
    stmt = (select(AuditEvent).where(col(AuditEvent.entity) == HELD_ANSWER_ENTITY,
                                     col(AuditEvent.entity_id) == str(decision_id))
            .order_by(col(AuditEvent.seq)))
    event = session.execute(stmt).scalars().first()
    new = event.new if event is not None and isinstance(event.new, dict) else {}
    answers = new.get("answers")
    return [dict(a) for a in answers if isinstance(a, Mapping)] if isinstance(answers, list) else []


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
    users.require_approver(approver, weighed_by=weighed_by, action=Term("lot_permission", decision))
    users.check_four_eyes(approver=approver, weighed_by=weighed_by,
                          manual_weights=manual_weights(session, lot))


def _require_decidable(lot: Lot) -> None:
    if lot.state == LotState.DRAFT.value:
        raise ConflictError("lot.decide_draft", field="lot", lot=lot.lot_no)
    if lot.state != LotState.SUBMITTED.value:
        raise ConflictError("lot.decide_not_submitted", field="lot", lot=lot.lot_no,
                            state=Term("lot_state", lot.state))


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
        raise result.refusal(field="password")
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
        raise ConflictError("lot.certify_not_approved", field="lot", lot=lot.lot_no,
                            state=Term("lot_state", lot.state))
    approval = current_approval(session, lot)
    if approval is None or approval.decision != "approve":
        raise ConflictError("lot.no_approval_in_force", field="lot", lot=lot.lot_no)
    if not verify_approval(approval):
        raise ConflictError("lot.approval_signature_mismatch", field="lot", lot=lot.lot_no)
    _doc, current = version_of(session, lot, ruleset)
    if current != approval.version_hash:
        raise ConflictError("lot.changed_since_approval", field="lot", lot=lot.lot_no)
    return approval


def mark_certified(
    session: Session, *, actor: Actor, clock: Clock, lot_no: str, ruleset: RuleSet
) -> Approval:
    """Record that a certificate was issued for an approved lot (called by the certificate service in the
    same transaction); returns the approval the certificate cites."""
    require_role(actor, (Role.CLERK, Role.SUPERVISOR), action=Term("lot_permission", "certify"))
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

def stored_photo_bytes(data_dir: DataDir, sha: str) -> bytes | None:
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
    require_role(actor, (Role.INSPECTOR, Role.SUPERVISOR, Role.CLERK),
                 action=Term("lot_permission", "export_packet"))
    lot = get_lot(session, lot_no)
    ruleset = ruleset_of_lot(lot, data_dir=data_dir, ruleset=ruleset)
    _require_decidable(lot)
    ca = keys.require_ca(session)
    if not keys.issued_by(signer.certificate, keys.load_pem_certificate(ca.certificate_pem)):
        raise UserError("packet.export_key_foreign", field="key")
    doc, _hash = version_of(session, lot, ruleset)
    bal = lot_balance(session, lot, ruleset)
    yard = session.execute(select(Yard)).scalars().first()
    supplier = session.get(Supplier, lot.supplier_id)
    head = chain_head(session)
    photos = {sha: stored_photo_bytes(data_dir, sha) for item in doc["loads"] for sha in item["photos"]}
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
                  meaning: str | None, lang: Language = "en",
                  valid_days: int | None = None) -> tuple[bytes, dict[str, Any]]:
    """On the supervisor's laptop (its own data directory): check the packet, sign the decision and note it
    in the laptop's own audit trail. Returns the decision file and the signed payload. ``meaning`` None
    gives the standard sentence for the decision, in ``lang`` (the language the supervisor reads).
    ``valid_days`` (a laptop's profile holds the yard's): a packet exported longer ago is refused."""
    if not signer.chain:
        raise UserError("packet.key_without_ca", field="key")
    content = packets.verify_packet(packet_data, ca=signer.chain[-1])["content"]
    if valid_days is not None:
        bundle.check_packet_age(content, now=clock.now(), valid_days=valid_days)
    lot_no = str(content["lot_document"]["lot"]["lot_no"])
    document = packets.decide(packet_data, signer=signer, decision=decision,
                              meaning=meaning or packets.default_meaning(decision, lot_no, lang),
                              stamp=clock.now())
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
    ca_row = keys.active_ca(session)
    if ca_row is None:
        raise PacketRefusedError("packet.decision_no_yard_ca", field="file")
    document, verified = packets.verify_decision(data, ca=keys.load_pem_certificate(ca_row.certificate_pem))
    payload = document["payload"]
    key_rows = [k for k in keys.personal_keys(session) if k.fingerprint == verified.fingerprint]
    if not key_rows:
        raise PacketRefusedError("packet.decision_key_unknown", field="file")
    key_row = key_rows[-1]
    if key_row.status == "revoked":
        raise PacketRefusedError("packet.decision_key_revoked", field="file",
                                 reason=key_row.status_reason or "")
    signed_at = packets.parse_time(payload["signed_at"], what="decision")
    changed = key_row.status_changed_at
    if key_row.status != "active" and (changed is None or signed_at >= changed):
        raise PacketRefusedError("packet.decision_key_inactive", field="file",
                                 status=Term("packet_key_status", key_row.status))
    if key_row.username != payload["user_id"]:
        raise PacketRefusedError("packet.decision_user_mismatch", field="file", named=payload["user_id"],
                                 signer=key_row.username or "")
    user = users.get_user(session, key_row.username or "")
    if user is None or not user.active:
        raise PacketRefusedError("packet.decision_signer_inactive", field="file",
                                 signer=key_row.username or "")
    signer_actor = users.actor_for(user)
    packet = session.execute(
        select(LotPacket).where(col(LotPacket.packet_id) == str(payload.get("packet_id") or ""))
    ).scalars().first()
    if packet is None:
        raise PacketRefusedError("packet.decision_packet_unknown", field="file")
    lot = session.get(Lot, packet.lot_id)
    assert lot is not None
    if payload["lot_no"] != lot.lot_no:
        raise PacketRefusedError("packet.decision_lot_mismatch", field="file", named=payload["lot_no"],
                                 lot=lot.lot_no)
    if (payload.get("packet_sha256") != packet.content_sha256
            or payload["lot_version_hash"] != packet.version_hash):
        raise PacketRefusedError("packet.decision_content_differs", field="file")
    if packet.status != "open":
        raise PacketRefusedError("packet.decision_already_imported", field="file",
                                 packet=packet.packet_id[:8])
    if signed_at < packet.exported_at:
        raise PacketRefusedError("packet.decision_before_export", field="file")
    valid_days = bundle.packet_valid_days(session)
    if signed_at > packet.exported_at + timedelta(days=valid_days):
        raise PacketRefusedError("laptop.decision_after_expiry", field="file", days=valid_days)
    try:
        require_four_eyes(session, lot, signer_actor, decision=payload["decision"])
    except PermissionDeniedError as exc:
        raise PacketRefusedError("packet.decision_signer_not_allowed", field="file",
                                 reason=exc) from None
    if lot.state != LotState.SUBMITTED.value:
        raise PacketRefusedError("packet.decision_lot_not_submitted", field="file", lot=lot.lot_no,
                                 state=Term("lot_state", lot.state))
    _doc, current = version_of(session, lot, ruleset_of_lot(lot, data_dir=data_dir))
    if current != payload["lot_version_hash"]:
        raise PacketRefusedError("packet.decision_lot_changed", field="file", lot=lot.lot_no)
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


@dataclass(frozen=True)
class DecisionPreview:
    """What importing one decision file would do, worked out by the checks the import makes
    (``check_decision``) without storing anything.

    ``refusal`` is the error the import would raise (None: it would record the decision). The lot number,
    decision, signer and version are read from the file: for a refused file they are what it claims
    (None where it cannot be read at all), ``verified`` says whether its signature was checked."""

    refusal: InspectorError | None
    verified: bool
    lot_no: str | None = None
    decision: str | None = None
    user_id: str | None = None
    printed_name: str | None = None
    signed_at: datetime | None = None
    offset_minutes: int = 0
    packet_id: str | None = None
    version_hash: str | None = None
    # Whether the lot is still at the version the decision was made on (None: not known).
    version_matches: bool | None = None

    @property
    def acceptable(self) -> bool:
        return self.refusal is None


def _claimed(data: bytes) -> dict[str, Any]:
    """The payload a decision file claims, unverified, as far as it can be read (for saying which lot a
    refused file is about)."""
    try:
        document = packets.parse_file(data, what="decision", fmt=packets.DECISION_FORMAT, body_key="payload")
    except InspectorError:
        return {}
    return dict(document["payload"])


def _text_or_none(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return value if isinstance(value, str) and value else None


def preview_decision(session: Session, *, data: bytes, data_dir: DataDir | None = None) -> DecisionPreview:
    """What ``import_decision`` would do with this decision file: record it, or refuse it and why. Writes
    nothing."""
    try:
        checked = check_decision(session, data=data, data_dir=data_dir)
    except InspectorError as exc:
        payload = _claimed(data)
        signed_at: datetime | None = None
        if isinstance(payload.get("signed_at"), str):
            try:
                signed_at = packets.parse_time(payload["signed_at"], what="decision")
            except InspectorError:
                signed_at = None
        offset = payload.get("offset_minutes")
        return DecisionPreview(
            refusal=exc, verified=False, lot_no=_text_or_none(payload, "lot_no"),
            decision=_text_or_none(payload, "decision"), user_id=_text_or_none(payload, "user_id"),
            printed_name=_text_or_none(payload, "printed_name"), signed_at=signed_at,
            offset_minutes=offset if isinstance(offset, int) and not isinstance(offset, bool) else 0,
            packet_id=_text_or_none(payload, "packet_id"),
            version_hash=_text_or_none(payload, "lot_version_hash"),
            version_matches=False if exc.code == "packet.decision_lot_changed" else None)
    payload = checked.document["payload"]
    return DecisionPreview(
        refusal=None, verified=True, lot_no=checked.lot.lot_no, decision=str(payload["decision"]),
        user_id=str(payload["user_id"]), printed_name=str(payload["printed_name"]),
        signed_at=packets.parse_time(payload["signed_at"], what="decision"),
        offset_minutes=int(payload["offset_minutes"]), packet_id=checked.packet.packet_id,
        version_hash=str(payload["lot_version_hash"]), version_matches=True)


def preview_decision_file(session: Session, *, path: Path,
                          data_dir: DataDir | None = None) -> DecisionPreview:
    """``preview_decision`` of the file at ``path``; a file that cannot be read is refused as the import
    refuses it."""
    try:
        data = read_file(path, field="file")
    except InspectorError as exc:
        return DecisionPreview(refusal=exc, verified=False)
    return preview_decision(session, data=data, data_dir=data_dir)


# --- the offline round trip through files ---------------------------------------------------------------

def read_file(path: Path, *, field: str) -> bytes:
    """A file the user named (a packet, a decision, a key), or a ``UserError`` saying why it cannot be
    read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError("lot.file_unreadable", field=field, path=str(path),
                        reason=os_problem(exc)) from None


def write_file(path: Path, data: bytes) -> None:
    """Write a file the user named whole or not at all, or say in words why it cannot be written."""
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise EnvironmentProblemError("lot.file_unwritable", path=str(path),
                                      reason=os_problem(exc)) from exc


def decision_files_in(folder: Path) -> list[Path]:
    """The files of a folder that may be decision files (``*.json``, not in sub-folders), by name; or a
    ``UserError`` saying why the folder cannot be read."""
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file()]
    except OSError as exc:
        raise UserError("lot.folder_unreadable", field="folder", path=str(folder),
                        reason=os_problem(exc)) from None
    return sorted(found, key=lambda p: p.name)


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
    meaning: str | None, out: Path, lang: Language = "en", valid_days: int | None = None,
) -> DecidedPacket:
    """On a supervisor's laptop: sign a decision on the packet (the bytes the supervisor opened and read,
    not the file as it may be now) with the key in ``key_file``, and write the decision file to ``out``.

    The file is written inside the caller's transaction: without the file, the laptop records no decision.
    """
    signer = packets.signer_from_pkcs12(read_file(key_file, field="key"), passphrase)
    data, payload = decide_packet(session, clock=clock, packet_data=packet_data, signer=signer,
                                  decision=decision, meaning=meaning, lang=lang, valid_days=valid_days)
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


def open_packet_file(path: Path, *, ca_path: Path, valid_days: int | None = None,
                     clock: Clock | None = None) -> tuple[bytes, dict[str, Any]]:
    """An approval packet's bytes and content, read from ``path`` and checked against the yard CA
    certificate at ``ca_path`` (on a laptop: the one kept beside the supervisor's key); with
    ``valid_days``, a packet exported longer ago than that is refused."""
    if not ca_path.exists():
        raise UserError("packet.ca_missing", field="ca", path=str(ca_path))
    ca_pem = read_file(ca_path, field="ca").decode("ascii", errors="replace")
    data = read_file(path, field="packet")
    try:
        content = read_packet(data, ca_pem=ca_pem)
    except ValueError:
        raise UserError("packet.ca_not_pem", field="ca", path=str(ca_path)) from None
    if valid_days is not None:
        bundle.check_packet_age(content, now=(clock or Clock()).now(), valid_days=valid_days)
    return data, content


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
