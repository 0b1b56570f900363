"""A held load explains itself: its failed findings (measured against the limit, with the clause), its
readings and its photos; a supervisor's release or rejection says which failed finding(s) it answers, and
that is recorded with the decision."""

from __future__ import annotations

import pytest

from inspector.errors import UserError
from inspector.queries import lots as queries
from inspector.security.actor import Actor
from inspector.security.audit import record_change, row_content
from inspector.security.verify import check_data_dir
from inspector.services import lots as svc
from tests.core.lots.conftest import Yard, add_load
from tests.core.lots.test_packets import PHOTO, add_photo


def held(yard: Yard, *, dose: str | None = None, inclusions: str = "1.0") -> int:
    """A held load failing G6 (inclusions above 2 %) and, with ``dose``, G2 (radiation above background)."""
    with yard.store.session() as s:
        load = add_load(s, yard.clock, outcome="HOLD", grade=None, inclusions=inclusions)
        if dose is not None:
            old = row_content(load)
            load.attributes = {**load.attributes, "dose_gross_usv_h": dose}
            record_change(s, load, actor=Actor("li.wei", "Li Wei"), action="load.lab", clock=yard.clock,
                          old=old)
        return load.id or 0


def decide(yard: Yard, load_id: int, decision: str = "release", answers: list[str] | None = None) -> int:
    with yard.store.session() as s:
        row = svc.decide_held_load(s, actor=yard.actor("zhao.hui"), clock=yard.clock, load_id=load_id,
                                   decision=decision, comment="Re-measured by the supervisor; fit for use.",
                                   answers=answers, data_dir=yard.data_dir)
        return row.id or 0


def test_the_detail_shows_findings_readings_and_photos(yard: Yard) -> None:
    load_id = held(yard, dose="0.50", inclusions="3.0")
    sha = add_photo(yard, load_id)
    with yard.store.session() as s:
        detail = queries.held_load_detail(s, load_id=load_id, data_dir=yard.data_dir)
    assert [(f.rule, f.clause, f.shown_value, f.limit) for f in detail.findings] == [
        ("G2", "§5 G2", "0.40", "0.25"), ("G6", "§5 G6", "3.0", "2.0")]
    assert ("inclusions_pct", "3.0") in detail.load.readings
    assert ("dose_gross_usv_h", "0.50") in detail.load.readings
    assert detail.load.photos == (sha,) and detail.photos == {sha: PHOTO}
    assert detail.supplier == "供应商 1" and detail.category == "NDFEB-PS"
    assert (detail.ruleset_id, detail.ruleset_version) == (yard.ruleset.id, yard.ruleset.version)


def test_the_only_failed_finding_is_answered_by_default_and_recorded(yard: Yard) -> None:
    load_id = held(yard, inclusions="3.0")
    decision_id = decide(yard, load_id)
    with yard.store.session() as s:
        [answer] = svc.held_answers(s, decision_id)
    assert (answer["rule"], answer["clause"], answer["measured"], answer["limit"]) == (
        "G6", "§5 G6", "3.0", "2.0")
    # Recorded beside the decision, not in it: the audit trail and every row still check out.
    assert check_data_dir(yard.data_dir).ok


def test_several_failed_findings_need_a_choice(yard: Yard) -> None:
    load_id = held(yard, dose="0.50", inclusions="3.0")
    with pytest.raises(UserError) as err:
        decide(yard, load_id)
    assert err.value.code == "lot.held_answer_required" and err.value.field == "answers"
    assert "G2、G6" in err.value.words("zh_CN")
    with pytest.raises(UserError) as err:
        decide(yard, load_id, answers=[])
    assert err.value.code == "lot.held_answer_required"
    with pytest.raises(UserError) as err:
        decide(yard, load_id, answers=["G9"])
    assert err.value.code == "lot.held_answer_unknown" and err.value.params["rule"] == "G9"
    with yard.store.session() as s:
        assert [h.load_id for h in queries.held_loads(s)] == [load_id]  # nothing was stored
    decision_id = decide(yard, load_id, "reject", answers=["G2"])
    with yard.store.session() as s:
        assert [a["rule"] for a in svc.held_answers(s, decision_id)] == ["G2"]
        assert svc.get_load(s, load_id).state == "rejected"


def test_a_load_that_failed_nothing_is_decided_without_an_answer(yard: Yard) -> None:
    load_id = held(yard)
    decision_id = decide(yard, load_id)
    with yard.store.session() as s:
        assert svc.held_answers(s, decision_id) == []
    with pytest.raises(UserError) as err:
        decide(yard, held(yard), answers=["G6"])
    assert err.value.code == "lot.held_answer_unknown"
