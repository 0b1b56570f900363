"""Drafts: what the inspector typed into a step and has not submitted, saved as it is typed.

One small row per load (key ``load:<id>``) or per arrival not yet submitted (key ``arrival:<token>``): the
step, the values as typed (JSON) and when they were saved. Each save is one upsert in its own short
transaction (the store runs SQLite with ``synchronous=FULL``), so after a crash or a power cut the app
reopens the load at the same step with what was typed. Drafts are scratch and not audited: the trail
records what was submitted, and the draft of a step is removed when that step is submitted.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.sqlite import insert
from sqlmodel import Session, col, select

from inspector.clock import Clock
from inspector.errors import UserError
from inspector.intake.steps import Step
from inspector.messages import formats
from inspector.storage.models.intake import IntakeDraft

# A draft holds what fits on one step's form; anything larger is not typing but a bug or an attack.
MAX_DRAFT_BYTES = 64_000
_ARRIVAL_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True, slots=True)
class Draft:
    key: str
    load_id: int | None
    step: Step
    values: Mapping[str, Any]
    user_id: str
    updated_at: datetime
    updated_offset: int


def load_draft_key(load_id: int) -> str:
    return f"load:{int(load_id)}"


def new_arrival_key() -> str:
    """A key for the draft of an arrival that has no load (and no ticket number) yet."""
    return f"arrival:{uuid.uuid4().hex}"


def _check_key(key: str, load_id: int | None) -> None:
    if load_id is not None:
        if key != load_draft_key(load_id):
            raise UserError("intake.draft_key_mismatch", field="draft", load_id=load_id,
                            key=load_draft_key(load_id))
        return
    prefix, _, token = key.partition(":")
    if prefix != "arrival" or not _ARRIVAL_TOKEN.match(token):
        raise UserError("intake.draft_arrival_key", field="draft")


def _check_values(values: Mapping[str, Any]) -> dict[str, Any]:
    try:
        text = json.dumps(values, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise UserError("intake.draft_not_json", field="draft") from exc
    if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise UserError("intake.draft_too_large", field="draft", maximum=formats.number(MAX_DRAFT_BYTES))
    result: dict[str, Any] = json.loads(text)
    return result


def save_draft(session: Session, *, clock: Clock, key: str, step: Step, values: Mapping[str, Any],
               load_id: int | None = None, user_id: str = "") -> None:
    """Insert or replace the draft ``key`` (one statement; the caller's session commits it)."""
    _check_key(key, load_id)
    stamp = clock.now()
    row = {
        "draft_key": key,
        "load_id": load_id,
        "step": Step(step).value,
        "values": _check_values(values),
        "user_id": user_id,
        "updated_at": stamp.utc,
        "updated_offset": stamp.offset_minutes,
    }
    statement = insert(IntakeDraft).values(**row)
    statement = statement.on_conflict_do_update(
        index_elements=[IntakeDraft.__table__.c.draft_key],  # type: ignore[attr-defined]
        set_={k: statement.excluded[k] for k in ("load_id", "step", "values", "user_id", "updated_at",
                                                  "updated_offset")},
    )
    session.execute(statement)


def _to_draft(row: IntakeDraft) -> Draft:
    return Draft(row.draft_key, row.load_id, Step(row.step), dict(row.values), row.user_id, row.updated_at,
                 row.updated_offset)


def get_draft(session: Session, key: str) -> Draft | None:
    row = session.exec(select(IntakeDraft).where(IntakeDraft.draft_key == key)).first()
    return _to_draft(row) if row is not None else None


def open_drafts(session: Session) -> Sequence[Draft]:
    """Every draft, newest first (what to offer to resume after a restart)."""
    rows = session.exec(select(IntakeDraft).order_by(col(IntakeDraft.updated_at).desc())).all()
    return [_to_draft(r) for r in rows]


def discard_draft(session: Session, key: str) -> None:
    session.execute(delete(IntakeDraft).where(col(IntakeDraft.draft_key) == key))
