"""The load register's read models: pages of loads by key, sorted and filtered in SQL, every stored field
of one load for its details (with its corrections, read from the audit trail, and why it was cancelled),
and what the correction dialogs offer.

A page is one keyset query (``WHERE (key, id) < (last key, last id) ORDER BY key, id LIMIT n``) on an
indexed column, so page 500 costs what page 1 costs, and a register of 100,000 loads opens as fast as one
of 40 (bench/bench_register.py measures it). A rare search term makes SQLite read the whole table (about
200 ms over 100,000 loads), which is why the window reads pages on its worker.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector.datadir import DataDir
from inspector.errors import InspectorError, UserError
from inspector.intake.steps import FieldSpec
from inspector.services import corrections
from inspector.services.classification import ruleset_in_force
from inspector.standard.ruleset import RuleSet
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.core import Load, Supplier, Vehicle

PAGE_SIZE = 200

_load = Load.__table__  # type: ignore[attr-defined]
_supplier = Supplier.__table__  # type: ignore[attr-defined]


class RegisterSort(enum.StrEnum):
    """The orders the database can give by an index (any other column would need every load read)."""

    TICKET = "ticket"
    ARRIVED = "arrived"
    STATE = "state"
    PLATE = "plate"


# Each order's keyset: the columns a page continues after (the last one is unique, so the order is total).
SORT_KEYS: Mapping[RegisterSort, tuple[str, ...]] = {
    RegisterSort.TICKET: ("ticket_year", "ticket_seq"),
    RegisterSort.ARRIVED: ("arrived_at", "id"),
    RegisterSort.STATE: ("state", "id"),
    RegisterSort.PLATE: ("plate", "id"),
}


@dataclass(frozen=True)
class LoadRow:
    """What the register shows of one load (and the keys its page query continues from)."""

    id: int
    ticket_no: str
    ticket_year: int
    ticket_seq: int
    arrived_at: datetime
    arrived_offset: int
    plate: str
    supplier: str
    declared_category: str
    assigned_category: str | None
    state: str
    net: int | None
    weight_unit: str
    manual_weight: bool
    outcome: str | None
    grade: str | None

    def key(self, names: Sequence[str]) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)


@dataclass(frozen=True)
class RegisterQuery:
    """The register's view of the loads: a text filter, a state filter and the sort order."""

    text: str = ""
    state: str | None = None
    sort: RegisterSort = RegisterSort.ARRIVED
    descending: bool = True

    def page_key(self, row: LoadRow) -> tuple[Any, ...]:
        """The key the page after ``row`` continues from, in this query's order."""
        return row.key(SORT_KEYS[self.sort])


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def page_statement(query: RegisterQuery, after: tuple[Any, ...] | None, limit: int) -> sa.Select[Any]:
    """The SQL of one page: rows after ``after`` (the last row's sort key) in the query's order."""
    key_columns = [_load.c[name] for name in SORT_KEYS[query.sort]]
    stmt = (
        sa.select(
            _load.c.id, _load.c.ticket_no, _load.c.ticket_year, _load.c.ticket_seq, _load.c.arrived_at,
            _load.c.arrived_offset, _load.c.plate, _supplier.c.name.label("supplier"),
            _load.c.declared_category, _load.c.assigned_category, _load.c.state, _load.c.net,
            _load.c.weight_unit, _load.c.manual_weight, _load.c.outcome, _load.c.grade,
        )
        .select_from(_load.join(_supplier, _supplier.c.id == _load.c.supplier_id))
        .limit(limit)
    )
    text = query.text.strip()
    if text:
        pattern = _like_pattern(text)
        stmt = stmt.where(sa.or_(
            _load.c.ticket_no.like(pattern, escape="\\"),
            _load.c.plate.like(pattern, escape="\\"),
            _supplier.c.name.like(pattern, escape="\\"),
            _load.c.declared_category.like(pattern, escape="\\"),
            _load.c.assigned_category.like(pattern, escape="\\"),
        ))
    if query.state:
        stmt = stmt.where(_load.c.state == query.state)
    if after is not None:
        bound = [sa.bindparam(None, value, type_=column.type)
                 for column, value in zip(key_columns, after, strict=True)]
        row_key, row_after = sa.tuple_(*key_columns), sa.tuple_(*bound)
        stmt = stmt.where(row_key < row_after if query.descending else row_key > row_after)
    order = [c.desc() if query.descending else c.asc() for c in key_columns]
    return stmt.order_by(*order)


def register_page(session: Session, query: RegisterQuery, *, after: tuple[Any, ...] | None = None,
                  limit: int = PAGE_SIZE) -> list[LoadRow]:
    """Up to ``limit`` loads of ``query`` after the key ``after`` (None: from the first)."""
    result = session.connection().execute(page_statement(query, after, limit))
    return [LoadRow(**row._mapping) for row in result]


def iter_register(session: Session, query: RegisterQuery) -> Iterator[LoadRow]:
    """Every load of ``query``, page after page (the command line's list)."""
    after: tuple[Any, ...] | None = None
    while True:
        page = register_page(session, query, after=after)
        yield from page
        if len(page) < PAGE_SIZE:
            return
        after = query.page_key(page[-1])


def load_id_of_ticket(session: Session, ticket: str) -> int:
    """The id of the load with this ticket number (spaces and case as a scanner or a hand give them)."""
    wanted = "".join(ticket.split()).upper()
    found = session.exec(select(Load.id).where(Load.ticket_no == wanted)).first()
    if found is None:
        raise UserError("intake.ticket_not_found", field="ticket", ticket=wanted)
    return found


# ---- one load -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributeLabel:
    """The rule set's name of an attribute key in both languages, with its unit."""

    zh: str
    en: str
    unit: str | None


@dataclass(frozen=True)
class FieldChange:
    """One field an amendment changed: the load's column, or ``attributes.<key>``; values as stored, and
    for a supplier its names then and now."""

    field: str
    old: Any
    new: Any
    old_name: str | None = None
    new_name: str | None = None


@dataclass(frozen=True)
class Amendment:
    """A correction of the load as the audit trail keeps it: who, when, why, who confirmed, what changed."""

    seq: int
    action: str
    at: datetime
    offset_minutes: int
    actor: str
    reason: str
    confirmed_by: str | None
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Cancellation:
    """Why a load was cancelled, by whom, who confirmed it and the state it was in."""

    kind: str
    reason: str
    state_before: str
    cancelled_by: str
    confirmed_by: str | None
    at: datetime
    offset_minutes: int


@dataclass(frozen=True)
class LoadDetails:
    """Every stored field of one load, with the names of its supplier and vehicle, its corrections and
    (for a cancelled load) why it was cancelled."""

    id: int
    ticket_no: str
    ticket_year: int
    ticket_seq: int
    state: str
    created_by: str
    plate: str
    driver: str
    supplier_name: str
    supplier_uscc: str
    vehicle_kind: str | None
    generating_enterprise: str
    arrived_at: datetime
    arrived_offset: int
    departed_at: datetime | None
    departed_offset: int | None
    weight_unit: str
    gross: int | None
    tare: int | None
    net: int | None
    manual_weight: bool
    declared_category: str
    assigned_category: str | None
    outcome: str | None
    grade: str | None
    classification_status: str | None
    # Attribute values by key as gathered at intake, gate and lab (decimal strings, booleans, text).
    attributes: Mapping[str, Any]
    audit_seq: int | None
    row_hash: str | None
    # The rule set's names of the attribute keys; empty when no rule set is usable.
    attribute_labels: Mapping[str, AttributeLabel]
    # The live lots holding some of the load, its corrections (oldest first) and its cancellation.
    lots: tuple[str, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    cancellation: Cancellation | None = None
    # Why the load may not be amended or cancelled (None: it may be, by the roles that correct loads), and
    # whether a supervisor must confirm a correction.
    amend_refusal: InspectorError | None = None
    cancel_refusal: InspectorError | None = None
    needs_supervisor: bool = False


def load_details(session: Session, *, load_id: int, data_dir: DataDir | None = None) -> LoadDetails:
    """Everything stored about the load; a load that is gone (deleted meanwhile) is a ``UserError``."""
    load = session.get(Load, load_id)
    if load is None or load.id is None:
        raise UserError("yard.load_gone", field="load", load=load_id)
    supplier = session.get(Supplier, load.supplier_id)
    vehicle = session.get(Vehicle, load.vehicle_id) if load.vehicle_id is not None else None
    attributes = dict(load.attributes or {})
    lots = corrections.lots_of(session, load)
    return LoadDetails(
        id=load.id, ticket_no=load.ticket_no, ticket_year=load.ticket_year, ticket_seq=load.ticket_seq,
        state=load.state, created_by=load.created_by, plate=load.plate, driver=load.driver,
        supplier_name=supplier.name if supplier else "", supplier_uscc=supplier.uscc if supplier else "",
        vehicle_kind=vehicle.kind if vehicle else None, generating_enterprise=load.generating_enterprise,
        arrived_at=load.arrived_at, arrived_offset=load.arrived_offset, departed_at=load.departed_at,
        departed_offset=load.departed_offset, weight_unit=load.weight_unit, gross=load.gross, tare=load.tare,
        net=load.net, manual_weight=load.manual_weight, declared_category=load.declared_category,
        assigned_category=load.assigned_category, outcome=load.outcome, grade=load.grade,
        classification_status=load.classification_status, attributes=attributes,
        audit_seq=load.audit_seq, row_hash=load.row_hash,
        attribute_labels=_attribute_labels(session, data_dir, attributes),
        lots=lots, amendments=amendments_of(session, load.id), cancellation=cancellation_of(session, load.id),
        amend_refusal=corrections.amend_refusal(load), cancel_refusal=corrections.cancel_refusal(load, lots),
        needs_supervisor=corrections.needs_supervisor(load, lots),
    )


def _attribute_labels(session: Session, data_dir: DataDir | None,
                      attributes: Mapping[str, Any]) -> dict[str, AttributeLabel]:
    """Bilingual names of the attribute keys from the rule set in force (raw keys stay for unknown ones)."""
    try:
        ruleset = ruleset_in_force(session, data_dir=data_dir)
    except InspectorError:
        return {}
    labels = {}
    for key in attributes:
        try:
            name = ruleset.attribute_name(key)
        except KeyError:
            continue
        labels[key] = AttributeLabel(name.zh, name.en, ruleset.attribute_unit(key))
    return labels


# ---- corrections ----------------------------------------------------------------------------------------

# The load's events that correct it: amendments, and weights replaced (a weighing again, with its reason).
_CORRECTING_ACTIONS = (corrections.AMEND_ACTION, "load.gross", "load.tare")
# Columns an amendment changes along with another (the vehicle follows the plate).
_FOLLOWING = frozenset({"vehicle_id"})
_CONFIRMED = re.compile(r"(?P<text>.*) \(confirmed by (?P<user>[^()]+)\)", re.DOTALL)


def amendments_of(session: Session, load_id: int) -> tuple[Amendment, ...]:
    """The corrections of a load, oldest first, from the audit trail: each event's earlier and new content
    give what changed."""
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "load", AuditEvent.entity_id == str(load_id),
                                 col(AuditEvent.action).in_(_CORRECTING_ACTIONS))
        .order_by(col(AuditEvent.seq))
    ).all()
    found = []
    for event in events:
        if event.action != corrections.AMEND_ACTION and not event.reason:
            continue  # a first weighing, not a correction
        old = event.old if isinstance(event.old, dict) else {}
        new = event.new if isinstance(event.new, dict) else {}
        stored = event.reason or ""
        match = _CONFIRMED.fullmatch(stored)
        found.append(Amendment(
            seq=event.seq, action=event.action, at=event.at, offset_minutes=event.offset_minutes,
            actor=event.actor, reason=match.group("text") if match else stored,
            confirmed_by=match.group("user") if match else None, changes=_named(session, _changes(old, new)),
        ))
    return tuple(found)


def _named(session: Session, changes: tuple[FieldChange, ...]) -> tuple[FieldChange, ...]:
    """A supplier changed is named, not only numbered."""
    def name(supplier_id: Any) -> str | None:
        supplier = session.get(Supplier, supplier_id) if isinstance(supplier_id, int) else None
        return supplier.name if supplier is not None else None

    return tuple(FieldChange(c.field, c.old, c.new, name(c.old), name(c.new))
                 if c.field == "supplier_id" else c for c in changes)


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    changes = []
    for key in sorted(set(old) | set(new)):
        if key in _FOLLOWING or old.get(key) == new.get(key):
            continue
        if key == "attributes":
            before, after = old.get(key) or {}, new.get(key) or {}
            changes += [FieldChange(f"attributes.{k}", before.get(k), after.get(k))
                        for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
        else:
            changes.append(FieldChange(key, old.get(key), new.get(key)))
    return tuple(changes)


def cancellation_of(session: Session, load_id: int) -> Cancellation | None:
    row = corrections.cancellation_of(session, load_id)
    if row is None:
        return None
    return Cancellation(kind=row.kind, reason=row.reason, state_before=row.state_before,
                        cancelled_by=row.cancelled_by, confirmed_by=row.confirmed_by, at=row.cancelled_at,
                        offset_minutes=row.cancelled_offset)


@dataclass(frozen=True)
class AmendableValue:
    """A field the correction dialog offers: how its intake step checks it and what the load holds now."""

    key: str
    step: str
    spec: FieldSpec
    current: Any


@dataclass(frozen=True)
class AmendForm:
    """What the correction dialog offers for one load: its fields with their current values (those of the
    steps already submitted), whether a supervisor must confirm, and why nothing may be amended, if so."""

    load_id: int
    ticket_no: str
    state: str
    category: str | None
    supplier_name: str
    ruleset: RuleSet
    fields: tuple[AmendableValue, ...]
    lots: tuple[str, ...]
    needs_supervisor: bool
    refusal: InspectorError | None

    def field(self, key: str) -> AmendableValue:
        return next(f for f in self.fields if f.key == key)


def amend_form(session: Session, *, load_id: int, data_dir: DataDir | None = None) -> AmendForm:
    load = session.get(Load, load_id)
    if load is None or load.id is None:
        raise UserError("yard.load_gone", field="load", load=load_id)
    ruleset = ruleset_in_force(session, data_dir=data_dir)
    category = load.assigned_category or load.declared_category or None
    fields = tuple(
        AmendableValue(f.key, f.step.value, f.spec, corrections.current_value(session, load, f.key))
        for f in corrections.amendable_fields(ruleset, category, load.declared_category or None)
        if corrections.step_done(session, load, f.step)
    )
    supplier = session.get(Supplier, load.supplier_id)
    lots = corrections.lots_of(session, load)
    return AmendForm(load_id=load.id, ticket_no=load.ticket_no, state=load.state, category=category,
                     supplier_name=supplier.name if supplier else "", ruleset=ruleset, fields=fields,
                     lots=lots, needs_supervisor=corrections.needs_supervisor(load, lots),
                     refusal=corrections.amend_refusal(load))


@dataclass(frozen=True)
class CancelForm:
    """What the cancel dialog offers: the reasons to choose from, whether a supervisor must confirm, and why
    the load may not be cancelled, if so."""

    load_id: int
    ticket_no: str
    state: str
    kinds: tuple[str, ...]
    needs_supervisor: bool
    refusal: InspectorError | None


def cancel_form(session: Session, *, load_id: int) -> CancelForm:
    load = session.get(Load, load_id)
    if load is None or load.id is None:
        raise UserError("yard.load_gone", field="load", load=load_id)
    lots = corrections.lots_of(session, load)
    return CancelForm(load_id=load.id, ticket_no=load.ticket_no, state=load.state,
                      kinds=corrections.CANCEL_KINDS, needs_supervisor=corrections.weighed_out(load),
                      refusal=corrections.cancel_refusal(load, lots))
