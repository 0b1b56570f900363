"""One unit of work per ``store.session()``: all or nothing, except a refusal that is itself on the record."""

from __future__ import annotations

import pytest

from inspector.clock import FixedClock
from inspector.errors import RecordedRefusalError, UserError
from inspector.queries.changes import audit_mark
from inspector.security.actor import SYSTEM
from inspector.security.audit import record_event
from inspector.storage.db import Store


def _write_then_raise(store: Store, clock: FixedClock, error: Exception) -> None:
    with pytest.raises(type(error)), store.session() as s:
        record_event(s, actor=SYSTEM, action="login.failed", entity="login_attempt", entity_id="x",
                     clock=clock)
        raise error


def test_an_error_rolls_back_everything_written_before_it(store: Store, clock: FixedClock) -> None:
    _write_then_raise(store, clock, UserError("yard.supplier.not_found", field="supplier"))
    with store.session() as s:
        assert audit_mark(s) == 0


def test_a_recorded_refusal_keeps_its_record_and_is_still_raised(store: Store, clock: FixedClock) -> None:
    _write_then_raise(store, clock, RecordedRefusalError("yard.supplier.not_found", field="supplier"))
    with store.session() as s:
        assert audit_mark(s) == 1


def test_two_writers_appending_the_same_link_one_is_refused_in_words(
    store: Store, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.errors import ConflictError
    from inspector.security import audit

    with store.session() as s:
        record_event(s, actor=SYSTEM, action="lot.create", entity="lot", entity_id="1", clock=clock)
    with store.session() as s:
        stale = audit.chain_head(s)  # what a second process read before the first one appended
    with store.session() as s:
        record_event(s, actor=SYSTEM, action="lot.submit", entity="lot", entity_id="1", clock=clock)
    monkeypatch.setattr(audit, "chain_head", lambda _session: stale)
    with pytest.raises(ConflictError) as info, store.session() as s:
        record_event(s, actor=SYSTEM, action="load.arrive", entity="load", entity_id="7", clock=clock)
    assert info.value.code == "audit.concurrent_write"
    assert "at the same moment" in info.value.words("en") and "同一时刻" in info.value.words("zh_CN")
    monkeypatch.undo()
    with store.session() as s:
        assert audit_mark(s) == 2  # the chain stayed one line; the refused write left nothing
