"""Building lots: who and what may go in, gapless numbers, split and merge in whole scale divisions,
held-load decisions, and the audit trail of every change."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.messages import Term
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
    ("kwargs", "code", "words"),
    [
        ({"status": "provisional"}, "lot.load_not_final", "not final"),
        ({"outcome": "REJECT"}, "lot.load_outcome", "its outcome is Rejected"),
        ({"outcome": "HOLD"}, "lot.load_held", "has not released it"),
        ({"state": "awaiting_lab"}, "lot.load_not_classified", "it is Awaiting lab"),
    ],
)
def test_only_finally_classified_accepted_loads_join(yard: Yard, kwargs: dict[str, str], code: str,
                                                     words: str) -> None:
    with yard.store.session() as s:
        good = add_load(s, yard.clock).id or 0
        bad = add_load(s, yard.clock, **kwargs).id or 0
        ticket = svc.get_load(s, bad).ticket_no
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.create_lot(
            s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=[good, bad]
        )
    assert err.value.code == code and err.value.field == "loads" and err.value.params["ticket"] == ticket
    assert words in str(err.value) and ticket in str(err.value)


def test_why_a_load_may_not_join_reads_in_chinese(yard: Yard) -> None:
    with yard.store.session() as s:
        rejected = add_load(s, yard.clock, outcome="REJECT")
        waiting = add_load(s, yard.clock, state="awaiting_lab")
        tickets = rejected.ticket_no, waiting.ticket_no
        why_rejected = svc.ineligibility(rejected, None)
        why_waiting = svc.ineligibility(waiting, None)
        assert svc.ineligibility(add_load(s, yard.clock), None) is None
    assert why_rejected is not None and why_waiting is not None
    assert why_rejected.words("zh_CN") == (
        f"车次 {tickets[0]} 不能组批：其结论为“已拒收”。"
        "只有已最终分类且已接收的车次（或经主管放行的暂扣车次）才能组批。")
    assert why_waiting.words("zh_CN").startswith(f"车次 {tickets[1]} 不能组批：其状态为“待化验”")
    assert why_waiting.to_json("zh_CN")["params"] == {"ticket": tickets[1], "state": "awaiting_lab"}


def test_one_category_and_one_supplier(yard: Yard) -> None:
    with yard.store.session() as s:
        ps = add_load(s, yard.clock).id or 0
        bd = add_load(s, yard.clock, category="NDFEB-BD").id or 0
        other = add_load(s, yard.clock, supplier_id=2).id or 0
    for pair, code, words in (([ps, bd], "lot.load_category_differs", "one category"),
                              ([ps, other], "lot.load_supplier_differs", "one supplier")):
        with yard.store.session() as s, pytest.raises(UserError) as err:
            svc.create_lot(
                s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=pair
            )
        assert err.value.code == code and words in (err.value.hint or "")


def test_clerk_may_not_build_lots(yard: Yard) -> None:
    ids = add_loads(yard, 1)
    with yard.store.session() as s, pytest.raises(PermissionDeniedError) as err:
        svc.create_lot(s, actor=yard.actor("chen.jing"), clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
    assert err.value.params["action"] == Term("lot_permission", "create")
    assert "create lots" in str(err.value) and "新建批次" in err.value.words("zh_CN")


def test_a_load_is_never_over_allocated(yard: Yard) -> None:
    ids = add_loads(yard, 1, net=1_000)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        svc.create_lot(
            s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids, shares={ids[0]: 600}
        )
    with yard.store.session() as s, pytest.raises(ConflictError) as over:
        svc.create_lot(
            s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids, shares={ids[0]: 410}
        )
    assert over.value.code == "lot.share_over_free"
    assert (over.value.params["free"], over.value.params["share"]) == ("400 kg", "410 kg")
    with yard.store.session() as s:
        rest = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
        assert svc.members_of(s, rest)[0].share == 400
    with yard.store.session() as s, pytest.raises(ConflictError) as err:
        svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
    assert err.value.code == "lot.load_fully_allocated"


def test_split_moves_whole_scale_divisions_only(yard: Yard) -> None:
    ids = add_loads(yard, 2, net=20_460)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.split_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, move={ids[0]: 10_005})
    assert err.value.code == "lot.share_not_in_divisions" and err.value.field == "move"
    assert "10,005 kg" in str(err.value) and "(10 kg)" in str(err.value)
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.split_lot(
            s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, move={ids[0]: None, ids[1]: None}
        )
    assert err.value.code == "lot.split_leaves_nothing"
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
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.merge_lots(s, actor=inspector, clock=yard.clock, lot_nos=[a.lot_no, b.lot_no])
    assert err.value.code == "lot.merge_mismatch"
    assert err.value.params["what"] == Term("lot_property", "supplier")
    assert f"Lot {b.lot_no} has another supplier than lot {a.lot_no}." in str(err.value)
    assert err.value.words("zh_CN").startswith(f"批次 {b.lot_no} 的供货单位与批次 {a.lot_no} 不同。")


def test_held_load_release_needs_a_comment_then_may_join(yard: Yard) -> None:
    with yard.store.session() as s:
        held = add_load(s, yard.clock, outcome="HOLD", grade=None).id or 0
        assert [ld.load_id for ld in queries.held_loads(s)] == [held]
    supervisor = yard.actor("zhao.hui")
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.decide_held_load(
            s, actor=supervisor, clock=yard.clock, load_id=held, decision="release", comment=" "
        )
    assert err.value.field == "comment" and err.value.code == "lot.held_release_needs_comment"
    assert "至少 5 个字" in err.value.words("zh_CN")
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
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.create_lot(
            s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids, shares={ids[0]: 605}
        )
    assert err.value.code == "lot.share_not_in_divisions" and err.value.field == "share"
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
        with pytest.raises(UserError) as err:
            svc.create_lot(s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset,
                           load_ids=[held])
        assert err.value.code == "lot.load_held"


def test_the_loads_of_a_submitted_lot_are_locked_and_say_so_in_chinese(yard: Yard) -> None:
    from inspector.lots.locks import require_load_unlocked

    ids = add_loads(yard, 1)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
        require_load_unlocked(s, ids[0], action="weigh")  # a draft lot locks nothing
        svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
        lot_no = lot.lot_no
    with yard.store.session() as s, pytest.raises(ConflictError) as err:
        require_load_unlocked(s, ids[0], action="weigh")
    assert err.value.code == "lot.load_locked" and err.value.field == "load"
    assert err.value.params["action"] == Term("lot_locked_action", "weigh")
    assert err.value.message == (
        f"The load is in lot {lot_no}, which is Submitted: it cannot be weighed again now.")
    assert err.value.words("zh_CN") == (
        f"该车次在批次 {lot_no} 中，该批次状态为“已提交”：现在不能重新过磅。"
        f"请先将该车次从批次 {lot_no} 移出（须填写原因；这将使该批次的批准及任何证书作废），然后重试。")
    with yard.store.session() as s, pytest.raises(ConflictError) as err:
        require_load_unlocked(s, ids[0], action="classify")
    assert "重新分类" in err.value.words("zh_CN")


def test_stored_reasons_are_worded_for_the_reader_and_kept_as_stored(yard: Yard) -> None:
    from inspector.messages.reasons import reason_words

    ids = add_loads(yard, 2)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        a = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids[:1])
        b = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids[1:])
        svc.merge_lots(s, actor=inspector, clock=yard.clock, lot_nos=[a.lot_no, b.lot_no])
        lot_nos = a.lot_no, b.lot_no
    with yard.store.session() as s:
        (gone,) = [row for row in queries.lots_page(s, include_void=True) if row.lot_no == lot_nos[1]]
        assert gone.state_reason == f"merged into {lot_nos[0]}"  # the record keeps its English
        assert gone.state_reason_words("zh_CN") == f"已并入批次 {lot_nos[0]}"
        assert gone.state_reason_words("en") == f"Merged into lot {lot_nos[0]}"
        # Changing the void lot is refused, naming the reason in the reader's language.
        with pytest.raises(ConflictError) as err:
            svc.add_loads(s, actor=inspector, clock=yard.clock, lot_no=lot_nos[1], load_ids=ids[:1])
    assert err.value.code == "lot.void_unchangeable"
    assert err.value.words("zh_CN") == f"批次 {lot_nos[1]} 已作废（已并入批次 {lot_nos[0]}），不能再变更。"
    nested = f"certificate 2026-000001 voided: lot {lot_nos[0]} changed after certification: wrong supplier"
    assert reason_words(nested, "zh_CN") == (
        f"证书 2026-000001 已作废：批次 {lot_nos[0]} 出证后变更：wrong supplier")
    assert reason_words("a reason a person typed", "zh_CN") == "a reason a person typed"
    assert reason_words(None, "en") == ""
