"""The exact version of a lot as an approval signs it: a canonical document and its SHA-256.

The document holds what the approver judged: the lot's identity (number, category, supplier, contract,
rule set) and, per load, its share in the lot, its weights, attributes, classification and findings,
any supervisor's decision on a held load and the hashes of its photos. The classification is the latest
classification record of the load (with its findings); a load without one is judged by the caller.
The lot's state, who created it and when are not part of the version: submitting or approving does not
change what is approved.
Any other change (a load added, removed, split, re-weighed or re-classified) changes the hash, and an
approval bound to the old hash no longer holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from inspector.canonical import canonical_json, jsonable, sha256_hex
from inspector.storage.models.classification import ClassificationRecord
from inspector.storage.models.core import Load, Supplier
from inspector.storage.models.intake import LoadPhoto
from inspector.storage.models.lots import HeldLoadDecision, Lot, LotLoad

FORMAT = "yard-inspector-lot/1"

# The facts of a load without a classification record (rows written before the classification area
# kept records): the caller judges it with the standard engine.
FallbackFacts = Callable[[Load], dict[str, Any]]


def latest_decisions(session: Session, load_ids: Sequence[int]) -> dict[int, HeldLoadDecision]:
    """The latest supervisor decision per held load that still stands: one made on the load's latest
    classification (a re-classification brings new findings, on which nobody has decided yet)."""
    if not load_ids:
        return {}
    stmt = (select(HeldLoadDecision).where(col(HeldLoadDecision.load_id).in_(list(load_ids)))
            .order_by(col(HeldLoadDecision.id)))
    result: dict[int, HeldLoadDecision] = {}
    for row in session.execute(stmt).scalars():
        result[row.load_id] = row
    records = latest_records(session, list(result))
    return {load_id: row for load_id, row in result.items()
            if row.classification_seq == (records[load_id].seq if load_id in records else None)}


def latest_records(session: Session, load_ids: Sequence[int]) -> dict[int, ClassificationRecord]:
    """The latest classification record per load (one query)."""
    if not load_ids:
        return {}
    stmt = (select(ClassificationRecord).where(col(ClassificationRecord.load_id).in_(list(load_ids)))
            .order_by(col(ClassificationRecord.load_id), col(ClassificationRecord.seq)))
    result: dict[int, ClassificationRecord] = {}
    for row in session.execute(stmt).scalars():
        result[row.load_id] = row
    return result


def load_photos(session: Session, load_ids: Sequence[int]) -> dict[int, list[str]]:
    """The SHA-256 of every photo of each load, sorted."""
    if not load_ids:
        return {}
    stmt = (select(col(LoadPhoto.load_id), col(LoadPhoto.sha256))
            .where(col(LoadPhoto.load_id).in_(list(load_ids))))
    result: dict[int, set[str]] = {}
    for load_id, sha in session.execute(stmt):
        result.setdefault(load_id, set()).add(sha.lower())
    return {k: sorted(v) for k, v in result.items()}


def record_facts(record: ClassificationRecord) -> dict[str, Any]:
    return {
        "source": "record",
        "seq": record.seq,
        "stage": record.stage,
        "ruleset": {"id": record.ruleset_id, "version": record.ruleset_version,
                    "sha256": record.ruleset_sha256, "status": record.ruleset_status},
        "category": record.category,
        "outcome": record.outcome,
        "grade": record.grade,
        "status": record.status,
        "findings": record.findings,
        "missing": record.missing,
        "derived": record.derived,
        "classified_by": record.classified_by,
        "classified_at": jsonable(record.classified_at),
    }


def members(session: Session, lot: Lot) -> list[tuple[LotLoad, Load]]:
    """The lot's memberships with their loads, in ticket order."""
    stmt = (
        select(LotLoad, Load)
        .join(Load, col(Load.id) == col(LotLoad.load_id))
        .where(col(LotLoad.lot_id) == lot.id)
        .order_by(col(Load.ticket_no))
    )
    return [(m, ld) for m, ld in session.execute(stmt)]


def load_facts(load: Load, share: int, *, classification: dict[str, Any] | None,
               decision: HeldLoadDecision | None, photos: list[str]) -> dict[str, Any]:
    return {
        "load_id": load.id,
        "ticket_no": load.ticket_no,
        "share": share,
        "plate": load.plate,
        "supplier_id": load.supplier_id,
        "generating_enterprise": load.generating_enterprise,
        "declared_category": load.declared_category,
        "assigned_category": load.assigned_category,
        "arrived_at": jsonable(load.arrived_at),
        "arrived_offset": load.arrived_offset,
        "weight_unit": load.weight_unit,
        "gross": load.gross,
        "tare": load.tare,
        "net": load.net,
        "manual_weight": load.manual_weight,
        "attributes": jsonable(load.attributes),
        "outcome": load.outcome,
        "grade": load.grade,
        "classification_status": load.classification_status,
        "classification": classification,
        "held_decision": None if decision is None else {
            "decision": decision.decision,
            "comment": decision.comment,
            "decided_by": decision.decided_by,
            "decided_at": jsonable(decision.decided_at),
        },
        "photos": photos,
    }


def lot_document(session: Session, lot: Lot, *, fallback: FallbackFacts) -> dict[str, Any]:
    """The canonical content of the lot's current version."""
    rows = members(session, lot)
    ids = [ld.id for _, ld in rows if ld.id is not None]
    decisions = latest_decisions(session, ids)
    records = latest_records(session, ids)
    photos = load_photos(session, ids)
    supplier = session.get(Supplier, lot.supplier_id)
    return {
        "format": FORMAT,
        "lot": {
            "lot_no": lot.lot_no,
            "category": lot.category,
            "supplier": {
                "id": lot.supplier_id,
                "name": supplier.name if supplier else "",
                "uscc": supplier.uscc if supplier else "",
            },
            "contract": lot.contract,
            "ruleset": {"id": lot.ruleset_id, "version": lot.ruleset_version},
        },
        "loads": [
            load_facts(ld, m.share, decision=decisions.get(ld.id or 0), photos=photos.get(ld.id or 0, []),
                       classification=record_facts(records[ld.id or 0]) if (ld.id or 0) in records
                       else fallback(ld))
            for m, ld in rows
        ],
    }


def document_hash(document: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(document))
