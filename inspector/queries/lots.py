"""Lots as the lots screen, the supervisors' approval queue and the ``lots`` commands show them.

- ``lots_page``: lots, newest first, with their mass balance and grade, a page at a time by key;
- ``lot_members``, ``eligible_loads``: the loads of a lot, and the loads that may join one;
- ``approval_queue_page`` and ``queue_summary``: submitted lots with every failed check per load (oldest
  first, by key), how many wait, and the held loads waiting for a supervisor;
- ``lot_detail``: everything about one lot, its approvals and whether the one in force still matches;
  ``opened_packet`` shows a packet opened on a laptop the same way (``LotVersion``).

Each returns frozen dataclasses with typed fields (Decimal masses shown as ``massbalance.display`` rounds
them); the rules (eligibility, balance, grade, the lot's rule set) stay in ``inspector.services.lots``.
The queue lets SQLite pick attributes and failed findings out of the stored JSON; that SQL lives only here.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, text, tuple_
from sqlmodel import Session, col

from inspector.canonical import jsonable
from inspector.datadir import DataDir
from inspector.errors import InspectorError, UserError
from inspector.lots import massbalance
from inspector.lots.massbalance import Balance, LoadShare, display
from inspector.lots.version import latest_decisions, latest_records
from inspector.messages import Language
from inspector.messages.reasons import reason_words
from inspector.services import classification
from inspector.services import lots as svc
from inspector.standard.ruleset import RuleSet
from inspector.states import LoadState, LotState
from inspector.storage.models.core import Load, Supplier
from inspector.storage.models.lots import Approval, Lot, LotLoad

LotKey = tuple[int, int]  # (lot_year, lot_seq): the order lots are numbered in


# --- pieces every view shares ----------------------------------------------------------------------------

@dataclass(frozen=True)
class LotBalance:
    """A lot's mass balance as shown: masses rounded to 2 decimals, TREO and the grading value to 3."""

    net: int
    dry: Decimal
    reo: Decimal
    treo_pct: Decimal | None
    grade: str | None
    missing_assay: tuple[str, ...] = ()
    grading_pct: Decimal | None = None

    @classmethod
    def of(cls, balance: Balance) -> LotBalance:
        return cls(net=balance.net, dry=display(balance.dry), reo=display(balance.reo),
                   treo_pct=None if balance.treo_pct is None else display(balance.treo_pct, places=3),
                   grade=balance.grade, missing_assay=balance.missing_assay,
                   grading_pct=None if balance.grading_pct is None
                   else display(balance.grading_pct, places=3))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LotBalance:
        """A balance as a packet carries it (``Balance.to_json``)."""
        return cls(net=int(data.get("net") or 0), dry=_decimal(data.get("dry")) or Decimal(0),
                   reo=_decimal(data.get("reo")) or Decimal(0), treo_pct=_decimal(data.get("treo_pct")),
                   grade=data.get("grade") or None,
                   missing_assay=tuple(str(t) for t in data.get("missing_assay") or ()),
                   grading_pct=_decimal(data.get("grading_pct")))

    def to_json(self) -> dict[str, Any]:
        """The same object ``Balance.to_json`` gives (the commands print it)."""
        return {"net": self.net, "dry": str(self.dry), "reo": str(self.reo),
                "treo_pct": None if self.treo_pct is None else str(self.treo_pct), "grade": self.grade,
                "missing_assay": list(self.missing_assay),
                "grading_pct": None if self.grading_pct is None else str(self.grading_pct)}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class FindingView:
    """One check of the standard engine as stored with a classification (``Finding.to_json``)."""

    rule: str
    clause: str
    message: str
    attribute: str | None = None
    measured: str | bool | None = None
    rounded: str | None = None
    limit: str | None = None
    severity: str = ""
    passed: bool = False
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FindingView:
        def text_or_none(key: str) -> str | None:
            value = data.get(key)
            return None if value is None else str(value)

        measured = data.get("measured")
        params = data.get("params")
        return cls(rule=str(data.get("rule") or ""), clause=str(data.get("clause") or ""),
                   message=str(data.get("message") or ""), attribute=text_or_none("attribute"),
                   measured=measured if measured is None or isinstance(measured, bool) else str(measured),
                   rounded=text_or_none("rounded"), limit=text_or_none("limit"),
                   severity=str(data.get("severity") or ""), passed=bool(data.get("passed", False)),
                   params=tuple((str(k), str(v)) for k, v in params.items())
                   if isinstance(params, Mapping) else ())

    @property
    def shown_value(self) -> str | bool | None:
        """The value judged: rounded as the rule rounds it, else as measured."""
        return self.rounded if self.rounded not in (None, "") else self.measured

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "clause": self.clause, "attribute": self.attribute,
                "measured": self.measured, "rounded": self.rounded, "limit": self.limit,
                "severity": self.severity, "passed": self.passed, "message": self.message,
                "params": dict(self.params)}


def failed_findings(findings: Any) -> tuple[FindingView, ...]:
    """Only the checks that failed (a classification record keeps the passed ones too)."""
    if not isinstance(findings, list):
        return ()
    return tuple(FindingView.from_json(f) for f in findings
                 if isinstance(f, Mapping) and not f.get("passed", False))


def _suppliers(session: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    stmt = select(col(Supplier.id), col(Supplier.name)).where(col(Supplier.id).in_(sorted(set(ids))))
    return {supplier_id: name for supplier_id, name in session.execute(stmt)}


def _keyset(after: LotKey | None, *, descending: bool) -> Any:
    key = tuple_(col(Lot.lot_year), col(Lot.lot_seq))
    if after is None:
        return None
    return key < tuple_(*after) if descending else key > tuple_(*after)


# --- the lots screen ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LotSummary:
    """One lot in the list: its state, what it holds and its balance under the lot's own rule set."""

    lot_no: str
    lot_year: int
    lot_seq: int
    state: str
    state_reason: str | None
    category: str
    supplier: str
    contract: str
    load_count: int
    net: int  # the sum of the shares, also when the balance cannot be computed
    balance: LotBalance | None
    # Why there is no balance (e.g. the rule set is not installed), to be worded: ``.words(lang)``.
    balance_problem: InspectorError | None = None

    @property
    def key(self) -> LotKey:
        return self.lot_year, self.lot_seq

    def state_reason_words(self, lang: Language) -> str:
        """The reason of the lot's state, in ``lang`` (stored in English; a person's own words as typed)."""
        return reason_words(self.state_reason, lang)


def lots_page(session: Session, *, after: LotKey | None = None, limit: int = 200, include_void: bool = False,
              data_dir: DataDir | None = None) -> list[LotSummary]:
    """Lots newest first, continuing after the lot numbered ``after``; void lots only when asked."""
    stmt = select(Lot)
    if not include_void:
        stmt = stmt.where(col(Lot.state) != LotState.VOID.value)
    if after is not None:
        stmt = stmt.where(_keyset(after, descending=True))
    lots = list(session.execute(stmt.order_by(col(Lot.lot_year).desc(), col(Lot.lot_seq).desc())
                                .limit(limit)).scalars())
    if not lots:
        return []
    rows_of: dict[int, list[tuple[LotLoad, Load]]] = {lot.id or 0: [] for lot in lots}
    member_stmt = (select(LotLoad, Load).join(Load, col(Load.id) == col(LotLoad.load_id))
                   .where(col(LotLoad.lot_id).in_(list(rows_of))).order_by(col(Load.ticket_no)))
    for member, load in session.execute(member_stmt):
        rows_of[member.lot_id].append((member, load))
    records = latest_records(session, sorted({ld.id or 0 for rows in rows_of.values() for _, ld in rows}))
    suppliers = _suppliers(session, [lot.supplier_id for lot in lots])
    result = []
    for lot in lots:
        rows = rows_of[lot.id or 0]
        balance: LotBalance | None = None
        problem = None
        try:
            ruleset = svc.ruleset_of_lot(lot, data_dir=data_dir)
            balance = LotBalance.of(svc.balance_of(ruleset, lot.category, rows, records))
        except InspectorError as exc:  # one lot that cannot be judged does not hide the others
            problem = exc
        result.append(LotSummary(
            lot_no=lot.lot_no, lot_year=lot.lot_year, lot_seq=lot.lot_seq, state=lot.state,
            state_reason=lot.state_reason, category=lot.category, supplier=suppliers.get(lot.supplier_id, ""),
            contract=lot.contract, load_count=len(rows), net=sum(m.share for m, _ in rows), balance=balance,
            balance_problem=problem))
    return result


@dataclass(frozen=True)
class LotMember:
    """A load (or a share of a split load) in a lot."""

    load_id: int
    ticket_no: str
    share: int
    net: int | None
    unit: str
    outcome: str | None
    grade: str | None


def lot_members(session: Session, *, lot_no: str) -> list[LotMember]:
    """The loads of a lot in ticket order."""
    lot = svc.get_lot(session, lot_no)
    stmt = (select(LotLoad, Load).join(Load, col(Load.id) == col(LotLoad.load_id))
            .where(col(LotLoad.lot_id) == lot.id).order_by(col(Load.ticket_no)))
    return [LotMember(load_id=ld.id or 0, ticket_no=ld.ticket_no, share=m.share, net=ld.net,
                      unit=ld.weight_unit, outcome=ld.outcome, grade=ld.grade)
            for m, ld in session.execute(stmt)]


@dataclass(frozen=True)
class EligibleLoad:
    """A load that may join a lot, with how much of its net is not yet in any lot."""

    load_id: int
    ticket_no: str
    category: str
    supplier_id: int
    supplier: str
    free: int
    unit: str
    outcome: str
    grade: str | None

    @property
    def group(self) -> tuple[str, int]:
        """Loads of one category and one supplier make a lot together."""
        return self.category, self.supplier_id


def eligible_loads(session: Session) -> list[EligibleLoad]:
    """Finally classified loads that may join a lot and still have net mass outside every live lot."""
    held = (select(col(LotLoad.load_id), func.sum(LotLoad.share).label("held"))
            .join(Lot, col(Lot.id) == col(LotLoad.lot_id))
            .where(col(Lot.state).in_([s.value for s in svc.LIVE_STATES]))
            .group_by(col(LotLoad.load_id)).subquery())
    in_lots = func.coalesce(held.c.held, 0)
    # Narrowed in SQL to loads with mass left whose outcome could qualify (so the classified loads of past
    # years are not read); ``ineligibility`` below decides.
    stmt = (select(Load, in_lots).outerjoin(held, held.c.load_id == col(Load.id))
            .where(col(Load.state) == LoadState.CLASSIFIED.value, col(Load.classification_status) == "final",
                   col(Load.outcome).in_(["ACCEPT", "HOLD"]), col(Load.net) > in_lots)
            .order_by(col(Load.ticket_no)))
    candidates = list(session.execute(stmt))
    decisions = latest_decisions(session, [ld.id or 0 for ld, _ in candidates])
    suppliers = _suppliers(session, [ld.supplier_id for ld, _ in candidates])
    result = []
    for ld, allocated in candidates:
        if svc.ineligibility(ld, decisions.get(ld.id or 0)) is not None:
            continue
        result.append(EligibleLoad(load_id=ld.id or 0, ticket_no=ld.ticket_no,
                                   category=ld.assigned_category or "", supplier_id=ld.supplier_id,
                                   supplier=suppliers.get(ld.supplier_id, ""), free=(ld.net or 0) - allocated,
                                   unit=ld.weight_unit, outcome=ld.outcome or "", grade=ld.grade))
    return result


# --- the approval queue -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HeldLoad:
    """A finally classified load on HOLD that waits for a supervisor to release or reject it."""

    load_id: int
    ticket_no: str
    category: str
    supplier: str
    net: int | None
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {"ticket_no": self.ticket_no, "load_id": self.load_id, "category": self.category or None}


def held_loads(session: Session) -> list[HeldLoad]:
    """Loads on HOLD without a supervisor's decision on their latest classification, in ticket order."""
    stmt = (select(Load).where(col(Load.outcome) == "HOLD", col(Load.state) == LoadState.CLASSIFIED.value)
            .order_by(col(Load.ticket_no)))
    loads = list(session.execute(stmt).scalars())
    decided = latest_decisions(session, [ld.id or 0 for ld in loads])
    waiting = [ld for ld in loads if (ld.id or 0) not in decided]
    suppliers = _suppliers(session, [ld.supplier_id for ld in waiting])
    return [HeldLoad(load_id=ld.id or 0, ticket_no=ld.ticket_no, category=ld.assigned_category or "",
                     supplier=suppliers.get(ld.supplier_id, ""), net=ld.net, unit=ld.weight_unit)
            for ld in waiting]


@dataclass(frozen=True)
class HeldLoadDetail:
    """A held load as the supervisor sees it before deciding: what it failed (measured against the limit,
    with the clause), its readings and its photos, judged as a lot's version would show it."""

    load_id: int
    category: str
    supplier: str
    ruleset_id: str
    ruleset_version: str
    load: LoadInLot
    photos: Mapping[str, bytes]  # the photos found in the data directory, by SHA-256

    @property
    def ticket_no(self) -> str:
        return self.load.ticket_no

    @property
    def findings(self) -> tuple[FindingView, ...]:
        return self.load.findings


def held_load_detail(session: Session, *, load_id: int, data_dir: DataDir | None = None) -> HeldLoadDetail:
    """One held load's findings, readings and photos (``svc.held_load_facts``): the failed findings are
    the ones a release or rejection answers."""
    load = svc.get_load(session, load_id)
    facts = svc.held_load_facts(session, load, data_dir=data_dir)
    ruleset = (facts.get("classification") or {}).get("ruleset") or {}
    photos: dict[str, bytes] = {}
    if data_dir is not None:
        for sha in facts.get("photos") or ():
            blob = svc.stored_photo_bytes(data_dir, str(sha))
            if blob is not None:
                photos[str(sha)] = blob
    return HeldLoadDetail(load_id=load.id or 0, category=load.assigned_category or "",
                          supplier=_suppliers(session, [load.supplier_id]).get(load.supplier_id, ""),
                          ruleset_id=str(ruleset.get("id") or ""),
                          ruleset_version=str(ruleset.get("version") or ""),
                          load=_load_in_lot(facts), photos=photos)


@dataclass(frozen=True)
class QueueSummary:
    """How many lots wait for a decision, and the held loads waiting for one."""

    waiting: int
    held: tuple[HeldLoad, ...]


def queue_summary(session: Session) -> QueueSummary:
    count = session.execute(select(func.count()).select_from(Lot)
                            .where(col(Lot.state) == LotState.SUBMITTED.value)).scalar_one()
    return QueueSummary(waiting=int(count), held=tuple(held_loads(session)))


@dataclass(frozen=True)
class QueueLoad:
    """A load of a submitted lot with every check it failed."""

    load_id: int
    ticket_no: str
    share: int
    net: int | None
    grade: str | None
    outcome: str | None
    findings: tuple[FindingView, ...]
    # Why a load without a classification record could not be judged, to be worded: ``.words(lang)``.
    judging_error: UserError | None = None

    def to_json(self) -> dict[str, Any]:
        return {"ticket_no": self.ticket_no, "share": self.share, "net": self.net, "grade": self.grade,
                "outcome": self.outcome,
                "findings": None if self.judging_error else [f.to_json() for f in self.findings]}


@dataclass(frozen=True)
class QueueEntry:
    """A submitted lot as the approval queue shows it."""

    lot_no: str
    lot_year: int
    lot_seq: int
    category: str
    supplier: str
    contract: str
    ruleset_id: str
    ruleset_version: str
    submitted_by: str | None
    submitted_at: datetime | None
    balance: LotBalance
    loads: tuple[QueueLoad, ...]

    @property
    def key(self) -> LotKey:
        return self.lot_year, self.lot_seq

    @property
    def ruleset(self) -> str:
        return f"{self.ruleset_id} {self.ruleset_version}"

    @property
    def finding_count(self) -> int:
        return sum(len(ld.findings) for ld in self.loads)

    def to_json(self) -> dict[str, Any]:
        return {"lot_no": self.lot_no, "category": self.category, "supplier": self.supplier,
                "contract": self.contract, "ruleset": self.ruleset, "submitted_by": self.submitted_by,
                "submitted_at": jsonable(self.submitted_at), "balance": self.balance.to_json(),
                "loads": [ld.to_json() for ld in self.loads]}


QUEUE_ATTRIBUTES = ("moisture_pct", "oil_pct", "treo_pct", "treo_basis", "treo_moisture_basis", "sm_pct")
# The latest classification record of every load of the lots asked for: its derived TREO and only its failed
# findings, filtered by SQLite's JSON functions (decoding every finding of every load in Python would take
# most of the time).
_QUEUE_RECORDS_SQL = text("""
SELECT c.load_id,
       json_extract(c.derived, '$.treo_pct_dry_oxide'),
       (SELECT json_group_array(json(f.value)) FROM json_each(c.findings) AS f
         WHERE json_extract(f.value, '$.passed') = 0)
  FROM classification AS c
  JOIN lot_load AS m ON m.load_id = c.load_id
 WHERE m.lot_id IN :lot_ids
   AND c.seq = (SELECT max(c2.seq) FROM classification AS c2 WHERE c2.load_id = c.load_id)
""").bindparams(bindparam("lot_ids", expanding=True))


def approval_queue_page(session: Session, *, after: LotKey | None = None, limit: int | None = 200,
                        data_dir: DataDir | None = None) -> list[QueueEntry]:
    """Submitted lots, oldest first after the lot numbered ``after`` (``limit`` None: all of them), with
    their mass balance, grade and every failed finding per load.

    Reads plain columns (no ORM object per load) and lets SQLite pick the attributes and failed findings
    out of the JSON, so 500 lots open quickly.
    """
    stmt = select(Lot).where(col(Lot.state) == LotState.SUBMITTED.value)
    if after is not None:
        stmt = stmt.where(_keyset(after, descending=False))
    stmt = stmt.order_by(col(Lot.lot_year), col(Lot.lot_seq))
    lots = list(session.execute(stmt if limit is None else stmt.limit(limit)).scalars())
    if not lots:
        return []
    by_lot: dict[int, list[Any]] = {lot.id or 0: [] for lot in lots}
    attrs = col(Load.attributes)
    member_stmt = (
        select(col(LotLoad.lot_id), col(LotLoad.share), col(Load.id), col(Load.ticket_no), col(Load.net),
               col(Load.grade), col(Load.outcome), col(Load.assigned_category),
               *(func.json_extract(attrs, f"$.{key}") for key in QUEUE_ATTRIBUTES))
        .join(Load, col(Load.id) == col(LotLoad.load_id))
        .where(col(LotLoad.lot_id).in_(list(by_lot)))
        .order_by(col(Load.ticket_no))
    )
    for row in session.execute(member_stmt):
        by_lot[row[0]].append(row)
    latest: dict[int, tuple[str | None, list[Any]]] = {}
    for load_id, treo_text, failed in session.execute(_QUEUE_RECORDS_SQL, {"lot_ids": list(by_lot)}):
        latest[load_id] = (None if treo_text is None else str(treo_text), json.loads(failed or "[]"))
    unrecorded = sorted({row[2] for rows in by_lot.values() for row in rows if row[2] not in latest})
    attributes_stmt = select(col(Load.id), col(Load.attributes)).where(col(Load.id).in_(unrecorded))
    full_attributes: dict[int, dict[str, Any]] = {}
    if unrecorded:
        full_attributes = {load_id: attributes for load_id, attributes in session.execute(attributes_stmt)}
    suppliers = _suppliers(session, [lot.supplier_id for lot in lots])
    permits = classification.yard_permit_codes(session)
    return [_queue_entry(lot, by_lot[lot.id or 0], svc.ruleset_of_lot(lot, data_dir=data_dir), latest,
                         full_attributes, permits, suppliers.get(lot.supplier_id, ""))
            for lot in lots]


def _queue_entry(lot: Lot, rows: Sequence[Any], ruleset: RuleSet,
                 latest: Mapping[int, tuple[str | None, list[Any]]],
                 full_attributes: Mapping[int, Mapping[str, Any]], permits: tuple[str, ...],
                 supplier: str) -> QueueEntry:
    bands, factor = svc.category_bands(ruleset, lot.category)
    grading = svc.graded_on(ruleset, lot.category)
    shares = []
    loads = []
    for row in rows:
        _lot_id, share, load_id, ticket, net, grade, outcome, category = row[:8]
        values = dict(zip(QUEUE_ATTRIBUTES, row[8:], strict=True))
        moisture, oil = massbalance.moisture_oil(values)
        record = latest.get(load_id)
        treo: Decimal | None
        if record is not None and record[0] not in (None, ""):
            treo = Decimal(str(record[0]))
        else:
            treo = massbalance.treo_dry_oxide(values, factor)
        shares.append(LoadShare(load_id=load_id, ticket_no=ticket, share=share, moisture_pct=moisture,
                                oil_pct=oil, treo_pct=treo,
                                grading_pct=massbalance.attribute_pct(values, grading) if grading else None))
        error = None
        if record is not None:
            findings = failed_findings(record[1])
        else:
            judged, error = svc.judged_attributes(ruleset, permits, category,
                                                  full_attributes.get(load_id, {}))
            findings = failed_findings(judged.get("findings"))
        loads.append(QueueLoad(load_id=load_id, ticket_no=ticket, share=share, net=net, grade=grade,
                               outcome=outcome, findings=findings, judging_error=error))
    balance = massbalance.balance(shares, bands, graded_on_treo=grading is None)
    return QueueEntry(lot_no=lot.lot_no, lot_year=lot.lot_year, lot_seq=lot.lot_seq, category=lot.category,
                      supplier=supplier, contract=lot.contract, ruleset_id=lot.ruleset_id,
                      ruleset_version=lot.ruleset_version, submitted_by=lot.submitted_by,
                      submitted_at=lot.submitted_at, balance=LotBalance.of(balance), loads=tuple(loads))


# --- one lot ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HeldRelease:
    """A supervisor's decision on a held load that let it into the lot."""

    decision: str
    decided_by: str
    comment: str


@dataclass(frozen=True)
class LoadInLot:
    """A load as the lot's version holds it: share, weights, failed checks, readings and photos."""

    ticket_no: str
    share: int
    net: int | None
    weight_unit: str
    outcome: str | None
    grade: str | None
    findings: tuple[FindingView, ...]
    # Why the load could not be judged, as the lot's signed version document holds it (English text: it is
    # part of what the version hash covers, so it is shown as it is).
    classification_error: str | None
    readings: tuple[tuple[str, str], ...]  # (attribute, value as stored), by attribute
    held_release: HeldRelease | None
    photos: tuple[str, ...]  # SHA-256 of each photo


@dataclass(frozen=True)
class LotVersion:
    """The version of a lot an approval signs: what it is, its balance, its loads and the version's hash."""

    lot_no: str
    category: str
    supplier: str
    contract: str
    ruleset_id: str
    ruleset_version: str
    version_hash: str
    balance: LotBalance
    loads: tuple[LoadInLot, ...]

    @property
    def ruleset(self) -> str:
        return f"{self.ruleset_id} {self.ruleset_version}"


def lot_version(document: Mapping[str, Any], balance: LotBalance, version_hash: str) -> LotVersion:
    """The typed view of a lot's version document (``inspector.lots.version.lot_document``)."""
    lot = document["lot"]
    supplier = lot.get("supplier") or {}
    ruleset = lot.get("ruleset") or {}
    return LotVersion(lot_no=str(lot["lot_no"]), category=str(lot["category"]),
                      supplier=str(supplier.get("name", "")), contract=str(lot.get("contract") or ""),
                      ruleset_id=str(ruleset.get("id", "")), ruleset_version=str(ruleset.get("version", "")),
                      version_hash=version_hash, balance=balance,
                      loads=tuple(_load_in_lot(load) for load in document.get("loads") or ()))


def _load_in_lot(load: Mapping[str, Any]) -> LoadInLot:
    classification_facts = load.get("classification") or {}
    attributes = load.get("attributes") or {}
    held = load.get("held_decision")
    error = classification_facts.get("error")
    return LoadInLot(
        ticket_no=str(load["ticket_no"]), share=int(load.get("share") or 0), net=load.get("net"),
        weight_unit=str(load.get("weight_unit") or "kg"), outcome=load.get("outcome"),
        grade=load.get("grade"),
        findings=failed_findings(classification_facts.get("findings")),
        classification_error=None if not error else str(error),
        readings=tuple((str(key), str(attributes[key])) for key in sorted(attributes)),
        held_release=None if not held else HeldRelease(decision=str(held.get("decision", "")),
                                                       decided_by=str(held.get("decided_by", "")),
                                                       comment=str(held.get("comment", ""))),
        photos=tuple(str(sha) for sha in load.get("photos") or ()))


@dataclass(frozen=True)
class ApprovalView:
    """A supervisor's signed decision on a lot, and whether its signature still verifies."""

    lot_no: str
    decision: str
    meaning: str
    printed_name: str
    user_id: str
    signed_at: datetime
    signed_offset: int
    channel: str
    version_hash: str
    voided: bool
    void_reason: str | None
    signature_valid: bool

    def void_reason_words(self, lang: Language) -> str:
        """Why the approval was voided, in ``lang`` ("" when it was not)."""
        return reason_words(self.void_reason, lang)

    def to_json(self) -> dict[str, Any]:
        return {"decision": self.decision, "meaning": self.meaning, "printed_name": self.printed_name,
                "user_id": self.user_id, "signed_at": jsonable(self.signed_at),
                "signed_offset": self.signed_offset, "channel": self.channel,
                "version_hash": self.version_hash, "voided": self.voided, "void_reason": self.void_reason,
                "signature_valid": self.signature_valid}


def approval_view(approval: Approval) -> ApprovalView:
    """What a stored approval (just signed or imported, or in a lot's history) shows."""
    return ApprovalView(lot_no=approval.lot_no, decision=approval.decision, meaning=approval.meaning,
                        printed_name=approval.printed_name, user_id=approval.user_id,
                        signed_at=approval.signed_at, signed_offset=approval.signed_offset,
                        channel=approval.channel, version_hash=approval.version_hash, voided=approval.voided,
                        void_reason=approval.void_reason, signature_valid=svc.verify_approval(approval))


@dataclass(frozen=True)
class LotDetail:
    """Everything about one lot: its version, state, approvals, and whether the approval in force still
    matches the lot as it is now."""

    version: LotVersion
    state: str
    state_reason: str | None
    approval_matches: bool | None  # None: no approval in force
    approvals: tuple[ApprovalView, ...]
    # The canonical version document the hash covers, as the ``lots show`` command prints it.
    document: Mapping[str, Any]

    @property
    def lot_no(self) -> str:
        return self.version.lot_no

    def state_reason_words(self, lang: Language) -> str:
        """The reason of the lot's state, in ``lang`` (stored in English; a person's own words as typed)."""
        return reason_words(self.state_reason, lang)

    def to_json(self) -> dict[str, Any]:
        return {"lot_no": self.lot_no, "state": self.state, "state_reason": self.state_reason,
                "version_hash": self.version.version_hash, "document": dict(self.document),
                "balance": self.version.balance.to_json(), "approval_matches": self.approval_matches,
                "approvals": [a.to_json() for a in self.approvals]}


def lot_detail(session: Session, *, lot_no: str, data_dir: DataDir | None = None,
               ruleset: RuleSet | None = None) -> LotDetail:
    """One lot judged under its own rule set (``ruleset`` when the caller holds it)."""
    lot = svc.get_lot(session, lot_no)
    ruleset = svc.ruleset_of_lot(lot, data_dir=data_dir, ruleset=ruleset)
    document, version_hash = svc.version_of(session, lot, ruleset)
    history = svc.approvals(session, lot)
    live = [a for a in history if not a.voided]
    return LotDetail(
        version=lot_version(document, LotBalance.of(svc.lot_balance(session, lot, ruleset)), version_hash),
        state=lot.state, state_reason=lot.state_reason,
        approval_matches=None if not live else live[-1].version_hash == version_hash,
        approvals=tuple(approval_view(a) for a in history), document=document)


# --- a packet opened on a laptop ----------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenedPacket:
    """An approval packet opened read-only, after its signature was checked against the yard CA."""

    path: Path
    data: bytes  # exactly what was checked and shown: the decision signs these bytes
    version: LotVersion
    exported_by: str
    exported_at: str
    photos: Mapping[str, bytes]  # the photos the packet carries, by SHA-256

    @property
    def lot_no(self) -> str:
        return self.version.lot_no


def opened_packet(path: Path, data: bytes, content: Mapping[str, Any]) -> OpenedPacket:
    """The typed view of a verified packet's content (``svc.open_packet_file``)."""
    carried = content.get("photos") or {}
    return OpenedPacket(
        path=path, data=data,
        version=lot_version(content["lot_document"], LotBalance.from_json(content.get("balance") or {}),
                            str(content["lot_version_hash"])),
        exported_by=str(content.get("exported_by", "")), exported_at=str(content.get("exported_at", "")),
        photos={str(sha): base64.b64decode(blob) for sha, blob in carried.items() if blob})
