"""Reading the audit trail: filtered, paged queries for the viewer, and CSV export with the chain head."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from inspector.errors import EnvironmentProblemError
from inspector.security.audit import chain_head
from inspector.storage.models.audit import AuditEvent

CSV_COLUMNS = ("seq", "utc_time", "local_offset_minutes", "actor", "role", "action", "entity", "entity_id",
               "old", "new", "reason", "source", "prev_hash", "hash")


@dataclass(frozen=True)
class EventFilter:
    """What the viewer shows: each set field narrows the list (text fields match exactly)."""

    entity: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, stmt: SelectOfScalar[Any]) -> SelectOfScalar[Any]:
        if self.entity:
            stmt = stmt.where(col(AuditEvent.entity) == self.entity)
        if self.entity_id:
            stmt = stmt.where(col(AuditEvent.entity_id) == self.entity_id)
        if self.actor:
            stmt = stmt.where(col(AuditEvent.actor) == self.actor)
        if self.action:
            stmt = stmt.where(col(AuditEvent.action).startswith(self.action))
        if self.since is not None:
            stmt = stmt.where(col(AuditEvent.at) >= self.since)
        if self.until is not None:
            stmt = stmt.where(col(AuditEvent.at) < self.until)
        return stmt


def count_events(session: Session, flt: EventFilter | None = None) -> int:
    stmt = (flt or EventFilter()).apply(select(func.count()).select_from(AuditEvent))
    return int(session.exec(stmt).one())


def query_events(session: Session, flt: EventFilter | None = None, *, offset: int = 0,
                 limit: int = 200, newest_first: bool = True) -> list[AuditEvent]:
    order = col(AuditEvent.seq).desc() if newest_first else col(AuditEvent.seq)
    stmt = (flt or EventFilter()).apply(select(AuditEvent)).order_by(order).offset(offset).limit(limit)
    return list(session.exec(stmt).all())


def distinct_values(session: Session, column: str) -> list[str]:
    """The values of ``entity``, ``actor`` or ``action`` present in the trail (for the filter lists)."""
    attr = {"entity": AuditEvent.entity, "actor": AuditEvent.actor, "action": AuditEvent.action}[column]
    stmt = select(col(attr)).distinct().order_by(col(attr))
    return [str(v) for v in session.exec(stmt).all()]


def json_text(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def export_csv(
    session: Session, out: Path, flt: EventFilter | None = None
) -> tuple[int, int | None, str | None]:
    """Write the filtered events (oldest first) and the chain head to ``out``.

    Returns (events written, head sequence, head hash). The chain head lets a reader check the export
    against a certificate or a checkpoint made at the same time.
    """
    head = chain_head(session)
    written = 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            offset = 0
            while True:
                batch = query_events(session, flt, offset=offset, limit=1000, newest_first=False)
                if not batch:
                    break
                for e in batch:
                    writer.writerow([e.seq, e.at.isoformat(timespec="seconds"), e.offset_minutes, e.actor,
                                     e.role, e.action, e.entity, e.entity_id, json_text(e.old),
                                     json_text(e.new), e.reason or "", e.source, e.prev_hash, e.hash])
                    written += 1
                offset += len(batch)
            writer.writerow([])
            writer.writerow(["chain_head_seq", head.seq if head else "", "chain_head_hash",
                             head.hash if head else ""])
    except OSError as exc:
        raise EnvironmentProblemError("security.export_unwritable", path=str(out),
                                      detail=str(exc.strerror or exc)) from exc
    return written, (head.seq if head else None), (head.hash if head else None)
