"""Building lots: who and what may go in, gapless numbers, split and merge in whole scale divisions,
held-load decisions, and the audit trail of every change."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.queries import lots as queries
from inspector.services import lots as svc
from inspector.states import LotState
from inspector.storage.models.audit import AuditEvent
from tests.core.lots.conftest import Yard, add_load, add_loads


def test_create_lot_numbers_gaplessly_and_audits(yard: Yard) -> None:
    ids = add_loads(yard, 3)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        a = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids[:2])
        b = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids[2:])
        assert (a.lot_no, b.lot_no) == ("L2026-00001", "L2026-00002")
        assert a.state == LotState.DRAFT.value and a.category == "NDFEB-PS"
        stmt = select(AuditEvent).where(col(AuditEvent.entity).in_(["lot", "lot_load"]))
        actions = [e.action for e in s.execute(stmt).scalars()]
        assert actions.count("lot.create") == 2 and actions.count("lot.add_load") == 3
        assert a.row_hash is not None and a.audit_seq is not None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"status": "provisional"}, "not final"),
        ({"outcome": "REJECT"}, "outcome is REJECT"),
        ({"outcome": "HOLD"}, "HOLD"),
        ({"state": "awaiting_lab"}, "awaiting_lab"),
    ],
)
def test_only_finally_classified_accepted_loads_join(yard: Yard, kwargs: dict[str, str], words: str) -> None:
    with yard.store.session() as s:
        good = add_load(s, yard.clock).id or 0
        bad = add_load(s, yard.clock, **kwargs).id or 0
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.create_lot(
            s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=[good, bad]
        )
    assert err.value.field == "loads" and words in str(err.value)


def test_one_category_and_one_supplier(yard: Yard) -> None:
    with yard.store.session() as s:
        ps = add_load(s, yard.clock).id or 0
        bd = add_load(s, yard.clock, category="NDFEB-BD").id or 0
        other = add_load(s, yard.clock, supplier_id=2).id or 0
    for pair, words in (([ps, bd], "one category"), ([ps, other], "one supplier")):
        with yard.store.session() as s, pytest.raises(UserError) as err:
            svc.create_lot(
                s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=pair
            )
        assert words in (err.value.hint or "")


def test_clerk_may_not_build_lots(yard: Yard) -> None:
    ids = add_loads(yard, 1)
    with yard.store.session() as s, pytest.raises(PermissionDeniedError):
        svc.create_lot(s, actor=yard.actor("chen.jing"), clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)


def test_a_load_is_never_over_allocated(yard: Yard) -> None:
    ids = add_loads(yard, 1, net=1_000)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        svc.create_lot(
            s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids, shares={ids[0]: 600}
        )
    with yard.store.session() as s, pytest.raises(ConflictError):
        svc.create_lot(
            s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids, shares={ids[0]: 410}
        )
    with yard.store.session() as s:
        rest = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
        assert svc.members_of(s, rest)[0].share == 400
    with yard.store.session() as s, pytest.raises(ConflictError, match="wholly in other lots"):
        svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)


def test_split_moves_whole_scale_divisions_only(yard: Yard) -> None:
    ids = add_loads(yard, 2, net=20_460)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
    with yard.store.session() as s, pytest.raises(UserError, match="whole number of scale divisions"):
        svc.split_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, move={ids[0]: 10_005})
    with yard.store.session() as s, pytest.raises(UserError, match="leave something"):
        svc.split_lot(
            s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, move={ids[0]: None, ids[1]: None}
        )
    with yard.store.session() as s:
        new = svc.split_lot(
            s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, move={ids[0]: 10_000, ids[1]: None}
        )
        assert new.split_from_id == lot.id
        assert {m.load_id: m.share for m in svc.members_of(s, lot)} == {ids[0]: 10_460}
        assert {m.load_id: m.share for m in svc.members_of(s, new)} == {ids[0]: 10_000, ids[1]: 20_460}
    with yard.store.session() as s:
        merged = svc.merge_lots(s, actor=inspector, clock=yard.clock, lot_nos=[lot.lot_no, new.lot_no])
        assert {m.load_id: m.share for m in svc.members_of(s, merged)} == {ids[0]: 20_460, ids[1]: 20_460}
        gone = svc.get_lot(s, new.lot_no)
        assert gone.state == LotState.VOID.value and gone.merged_into_id == lot.id
        assert gone.state_reason == f"merged into {lot.lot_no}"


def test_merge_refuses_lots_of_another_supplier(yard: Yard) -> None:
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        one = add_load(s, yard.clock).id or 0
        two = add_load(s, yard.clock, supplier_id=2).id or 0
        a = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=[one])
        b = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=[two])
    with yard.store.session() as s, pytest.raises(UserError, match="another supplier"):
        svc.merge_lots(s, actor=inspector, clock=yard.clock, lot_nos=[a.lot_no, b.lot_no])


def test_held_load_release_needs_a_comment_then_may_join(yard: Yard) -> None:
    with yard.store.session() as s:
        held = add_load(s, yard.clock, outcome="HOLD", grade=None).id or 0
        assert [ld.load_id for ld in queries.held_loads(s)] == [held]
    supervisor = yard.actor("zhao.hui")
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.decide_held_load(
            s, actor=supervisor, clock=yard.clock, load_id=held, decision="release", comment=" "
        )
    assert err.value.field == "comment"
    with yard.store.session() as s, pytest.raises(PermissionDeniedError):
        svc.decide_held_load(
            s,
            actor=yard.actor("li.wei"),
            clock=yard.clock,
            load_id=held,
            decision="release",
            comment="dose re-measured, background",
        )
    with yard.store.session() as s:
        svc.decide_held_load(
            s,
            actor=supervisor,
            clock=yard.clock,
            load_id=held,
            decision="release",
            comment="Dose re-measured 0.11 µSv/h: the alarm was a passing truck.",
        )
        assert queries.held_loads(s) == []
        lot = svc.create_lot(
            s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=[held]
        )
        doc, _ = svc.version_of(s, lot, yard.ruleset)
        assert doc["loads"][0]["held_decision"]["decision"] == "release"


def test_rejecting_a_held_load_rejects_the_load(yard: Yard) -> None:
    with yard.store.session() as s:
        held = add_load(s, yard.clock, outcome="HOLD", grade=None).id or 0
    with yard.store.session() as s:
        svc.decide_held_load(
            s, actor=yard.actor("zhao.hui"), clock=yard.clock, load_id=held, decision="reject", comment=""
        )
    with yard.store.session() as s:
        assert svc.get_load(s, held).state == "rejected"
        with pytest.raises(UserError):
            svc.create_lot(
                s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=[held]
            )


def test_a_whole_load_joins_as_weighed_but_parts_are_whole_divisions(yard: Yard) -> None:
    ids = add_loads(yard, 1, net=20_465)  # e.g. weighed on another scale: not a multiple of 10 kg
    inspector = yard.actor("li.wei")
    with yard.store.session() as s, pytest.raises(UserError, match="scale divisions"):
        svc.create_lot(
            s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids, shares={ids[0]: 605}
        )
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
        assert svc.members_of(s, lot)[0].share == 20_465


def test_a_release_covers_only_the_classification_it_was_given_on(yard: Yard) -> None:
    from inspector.storage.models.classification import ClassificationRecord

    supervisor = yard.actor("zhao.hui")
    with yard.store.session() as s:
        held = add_load(s, yard.clock, outcome="HOLD", grade=None).id or 0
        svc.decide_held_load(s, actor=supervisor, clock=yard.clock, load_id=held, decision="release",
                             comment="Inclusions re-estimated by the supervisor at 1.5 %.")
        assert queries.held_loads(s) == []
    # A new lab result: the load is judged again and is on HOLD for another reason.
    with yard.store.session() as s:
        stamp = yard.clock.now()
        s.add(ClassificationRecord(
            load_id=held, seq=1, stage="lab", ruleset_id=yard.ruleset.id,
            ruleset_version=yard.ruleset.version,
            ruleset_sha256=yard.ruleset.sha256, ruleset_status=yard.ruleset.status, category="NDFEB-PS",
            outcome="HOLD", grade=None, status="final", findings=[], missing=[], derived={}, attributes={},
            permit_codes=[], classified_by="chen.jing", classified_at=stamp.utc,
            classified_offset=stamp.offset_minutes,
        ))
    with yard.store.session() as s:
        assert [ld.load_id for ld in queries.held_loads(s)] == [held], "the earlier release no longer stands"
        with pytest.raises(UserError, match="not released"):
            svc.create_lot(s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset,
                           load_ids=[held])
