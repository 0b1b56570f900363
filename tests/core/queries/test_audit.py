"""The audit trail's read models: events newest first, a page at a time by sequence number under the
viewer's filters, the values the filter lists offer, the time at the yard, and the CSV export."""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from inspector.errors import EnvironmentProblemError
from inspector.queries import audit as queries
from inspector.security.actor import Actor
from inspector.security.audit import record_event
from inspector.security.auditlog import EventFilter
from inspector.storage.models.audit import AuditEvent
from tests.core.security import conftest as security_conftest
from tests.core.security.conftest import Yard

# The secured demo yard of the security tests (copied per test).
secured_template = security_conftest.secured_template
yard = security_conftest.yard

LI = Actor("li.wei", "李伟 Li Wei")


def record(yard: Yard, count: int, *, actor: Actor = LI, entity: str = "supplier") -> None:
    with yard.store.session() as s:
        for i in range(count):
            record_event(s, actor=actor, action=f"{entity}.note", entity=entity, entity_id=str(i),
                         clock=yard.clock, reason=f"note {i}", new={"n": i})


def all_pages(yard: Yard, flt: EventFilter | None, size: int) -> list[list[int]]:
    found: list[list[int]] = []
    after: int | None = None
    with yard.store.session() as s:
        while True:
            page = queries.audit_page(s, flt, after=after, limit=size)
            found.append([row.seq for row in page])
            if len(page) < size:
                return found
            after = page[-1].seq


def test_the_trail_pages_by_sequence_number_newest_first(yard: Yard) -> None:
    record(yard, 5)
    with yard.store.session() as s:
        newest = s.exec(select(func.max(AuditEvent.seq))).one()
        total = s.exec(select(func.count()).select_from(AuditEvent)).one()
    seen = [seq for page in all_pages(yard, None, 4) for seq in page]
    assert seen == list(range(newest, newest - total, -1))
    # A filter holds on every page: li.wei's five notes, two at a time.
    assert all_pages(yard, EventFilter(actor="li.wei"), 2) == [
        [newest, newest - 1], [newest - 2, newest - 3], [newest - 4]]
    assert all_pages(yard, EventFilter(action="supplier."), 5) == [list(range(newest, newest - 5, -1)), []]
    since = yard.clock.now().utc + timedelta(minutes=1)
    assert all_pages(yard, EventFilter(since=since), 3) == [[]]


def test_an_event_is_a_plain_value_with_its_time_at_the_yard(yard: Yard) -> None:
    record(yard, 1)
    with yard.store.session() as s:
        [row] = queries.audit_page(s, EventFilter(actor="li.wei"), limit=1)
    assert dataclasses.is_dataclass(row) and row.new == {"n": 0} and row.reason == "note 0"
    assert (row.actor, row.action, row.entity, row.entity_id) == ("li.wei", "supplier.note", "supplier", "0")
    assert row.at.tzinfo is not None
    late = dataclasses.replace(row, at=datetime(2026, 3, 2, 20, 30, tzinfo=UTC), offset_minutes=480)
    assert late.yard_time == "2026-03-03 04:30:00 +08:00"
    west = dataclasses.replace(row, at=datetime(2026, 3, 2, 20, 30, tzinfo=UTC), offset_minutes=-150)
    assert west.yard_time == "2026-03-02 18:00:00 -02:30"


def test_the_filter_lists_offer_the_values_in_the_trail(yard: Yard) -> None:
    record(yard, 1, entity="lot")
    with yard.store.session() as s:
        values = queries.filter_values(s)
    assert "li.wei" in values.actors and "lot.note" in values.actions and "lot" in values.entities
    assert list(values.entities) == sorted(values.entities)


def test_the_export_writes_the_filtered_events_and_the_chain_head(yard: Yard, tmp_path: Path) -> None:
    record(yard, 3)
    out = tmp_path / "trail.csv"
    with yard.store.session() as s:
        export = queries.export_trail(s, path=out, flt=EventFilter(actor="li.wei"))
        newest = s.exec(select(func.max(AuditEvent.seq))).one()
    assert (export.path, export.count, export.head_seq) == (out, 3, newest)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert [r[3] for r in rows[1:4]] == ["li.wei"] * 3
    assert rows[-1] == ["chain_head_seq", str(newest), "chain_head_hash", export.head_hash]


def test_an_export_that_cannot_be_written_says_so_in_the_readers_language(yard: Yard, tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    out = blocker / "trail.csv"  # its folder is a file
    with yard.store.session() as s, pytest.raises(EnvironmentProblemError) as err:
        queries.export_trail(s, path=out)
    assert err.value.code == "security.export_unwritable" and err.value.params["path"] == str(out)
    assert err.value.words("zh_CN").startswith(f"无法写入 {out}：")
    assert err.value.words("zh_CN").endswith("。请选择一个有写入权限的文件夹。")
