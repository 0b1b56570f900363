"""What changed since a mark in the audit trail, in the kinds screens refresh on."""

from __future__ import annotations

from inspector.changes import Change, changes_of_entities
from inspector.clock import FixedClock
from inspector.queries.changes import audit_mark, changes_since
from inspector.security.actor import SYSTEM
from inspector.security.audit import record_event
from inspector.storage.db import Store


def test_entities_map_to_the_kinds_screens_show() -> None:
    assert changes_of_entities([]) == frozenset()
    assert changes_of_entities(["weighing"]) == {Change.LOADS, Change.AUDIT}
    assert changes_of_entities(["lot_load"]) == {Change.LOTS, Change.LOADS, Change.AUDIT}
    assert changes_of_entities(["certificate"]) == {Change.CERTIFICATES, Change.LOTS, Change.AUDIT}
    assert changes_of_entities(["user_account", "scale"]) == {Change.USERS, Change.SETTINGS, Change.AUDIT}
    assert changes_of_entities(["clock"]) == {Change.USERS, Change.AUDIT}  # it holds signing
    # An entity no screen shows is still an event in the audit trail.
    assert changes_of_entities(["camera_probe"]) == {Change.AUDIT}


def test_changes_since_a_mark_come_from_the_newer_events_only(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        record_event(s, actor=SYSTEM, action="setting.set", entity="setting", entity_id="x", clock=clock)
    with store.session() as s:
        mark = audit_mark(s)
        assert changes_since(s, mark).changes == frozenset()
    with store.session() as s:
        record_event(s, actor=SYSTEM, action="lot.create", entity="lot", entity_id="1", clock=clock)
        record_event(s, actor=SYSTEM, action="load.arrive", entity="load", entity_id="2", clock=clock)
    with store.session() as s:
        since = changes_since(s, mark)
    assert since.changes == {Change.LOTS, Change.LOADS, Change.AUDIT}
    assert since.mark == mark + 2
    with store.session() as s:
        assert changes_since(s, since.mark).changes == frozenset()
