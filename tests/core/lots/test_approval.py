"""Signing a lot's approval on the yard PC: four-eyes (P14), re-authentication, the signature bound to the
exact lot version, and a change after approval voiding it."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from inspector.errors import ConflictError, PermissionDeniedError, RecordedRefusalError, UserError
from inspector.messages import Term
from inspector.queries import lots as queries
from inspector.security.actor import Actor
from inspector.security.audit import record_change, row_content
from inspector.security.checkpoints import checkpoints_dir
from inspector.services import lots as svc
from inspector.states import LotState
from inspector.storage.models.core import Load
from inspector.storage.models.lots import Approval
from inspector.storage.models.security import LoginAttempt
from tests.core.lots.conftest import PASSPHRASES, PASSWORDS, Yard, add_load, add_loads

MEANING = "Approval of the lot after review of every finding."


def submitted_lot(yard: Yard, load_ids: list[int]) -> str:
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=load_ids)
        svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
        return lot.lot_no


def sign(
    yard: Yard,
    username: str,
    lot_no: str,
    *,
    decision: str = "approve",
    password: str | None = None,
    passphrase: str | None = None,
) -> Approval:
    with yard.store.session() as s:
        return svc.sign_decision(
            s,
            actor=yard.actor(username),
            clock=yard.clock,
            data_dir=yard.data_dir,
            ruleset=yard.ruleset,
            lot_no=lot_no,
            decision=decision,
            meaning=MEANING,
            password=PASSWORDS[username] if password is None else password,
            passphrase=PASSPHRASES.get(username, "no key for this user")
            if passphrase is None
            else passphrase,
        )


def lot_state(yard: Yard, lot_no: str) -> str:
    with yard.store.session() as s:
        return svc.get_lot(s, lot_no).state


def test_supervisor_who_arrived_a_load_may_not_approve_it(yard: Yard) -> None:
    ids = add_loads(yard, 1)
    with yard.store.session() as s:
        ids.append(add_load(s, yard.clock, created_by="zhang.min").id or 0)
    lot_no = submitted_lot(yard, ids)
    with pytest.raises(PermissionDeniedError) as err:
        sign(yard, "zhang.min", lot_no)
    assert err.value.code == "four_eyes.own_weighings"
    assert err.value.params["action"] == Term("lot_permission", "approve")
    assert "approve this lot" in str(err.value) and "批准此批次" in err.value.words("zh_CN")
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value
    sign(yard, "zhao.hui", lot_no)
    assert lot_state(yard, lot_no) == LotState.APPROVED.value


def test_supervisor_who_recorded_a_weight_may_not_approve(yard: Yard) -> None:
    ids = add_loads(yard, 2)
    with yard.store.session() as s:
        load = s.get(Load, ids[1])
        assert load is not None
        old = row_content(load)
        load.tare = 12_000
        load.net = (load.gross or 0) - 12_000
        record_change(
            s, load, actor=Actor("zhao.hui", "Zhao Hui"), action="load.weigh_out", clock=yard.clock, old=old
        )
        # A change that does not touch the weights (e.g. a classification) is not a weighing.
        old = row_content(load)
        load.grade = "A"
        record_change(
            s, load, actor=Actor("zhang.min", "Zhang Min"), action="load.classify", clock=yard.clock, old=old
        )
    lot_no = submitted_lot(yard, ids)
    with yard.store.session() as s:
        assert svc.weighers(s, svc.get_lot(s, lot_no)) == {"li.wei", "zhao.hui"}
    with pytest.raises(PermissionDeniedError):
        sign(yard, "zhao.hui", lot_no)
    sign(yard, "zhang.min", lot_no)


@pytest.mark.parametrize("username", ["admin", "li.wei", "chen.jing"])
def test_admin_inspector_and_clerk_may_not_approve(yard: Yard, username: str) -> None:
    lot_no = submitted_lot(yard, add_loads(yard, 1))
    with pytest.raises(PermissionDeniedError):
        sign(yard, username, lot_no)
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value


def test_wrong_password_is_refused_and_the_attempt_is_kept(yard: Yard) -> None:
    lot_no = submitted_lot(yard, add_loads(yard, 1))
    with pytest.raises(UserError) as err:
        sign(yard, "zhao.hui", lot_no, password="not-the-password")
    assert err.value.field == "password" and isinstance(err.value, RecordedRefusalError)
    with yard.store.session() as s:
        attempts = (
            s.execute(select(LoginAttempt).where(col(LoginAttempt.username) == "zhao.hui")).scalars().all()
        )
        assert [(a.outcome, a.purpose) for a in attempts] == [("wrong_password", "signature")]
        assert svc.get_lot(s, lot_no).state == LotState.SUBMITTED.value
        assert s.execute(select(Approval)).scalars().all() == []


def test_wrong_key_passphrase_is_refused(yard: Yard) -> None:
    lot_no = submitted_lot(yard, add_loads(yard, 1))
    with pytest.raises(UserError) as err:
        sign(yard, "zhao.hui", lot_no, passphrase="wrong passphrase here")
    assert err.value.field == "passphrase"
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value


def test_a_draft_lot_is_not_approved(yard: Yard) -> None:
    with yard.store.session() as s:
        lot = svc.create_lot(
            s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=add_loads(yard, 1)
        )
    with pytest.raises(ConflictError) as err:
        sign(yard, "zhao.hui", lot.lot_no)
    assert err.value.code == "lot.decide_draft" and err.value.field == "lot"
    assert err.value.words("zh_CN") == (f"批次 {lot.lot_no} 仍是草稿；只有已提交的批次才能批准或驳回。"
                                        "请先提交该批次。")


def test_approval_signs_the_exact_version_and_writes_a_checkpoint(yard: Yard) -> None:
    lot_no = submitted_lot(yard, add_loads(yard, 2))
    approval = sign(yard, "zhao.hui", lot_no)
    with yard.store.session() as s:
        lot = svc.get_lot(s, lot_no)
        _doc, version_hash = svc.version_of(s, lot, yard.ruleset)
        assert approval.version_hash == version_hash
        assert svc.verify_approval(approval)
        assert approval.printed_name == "赵辉 Zhao Hui" and approval.meaning == MEANING
        assert approval.signed_offset == 480 and approval.payload["signed_local"].endswith("+08:00")
        detail = queries.lot_detail(s, lot_no=lot_no, ruleset=yard.ruleset)
        assert detail.approval_matches is True and detail.approvals[0].signature_valid is True
    files = list(checkpoints_dir(yard.data_dir).glob("*.json"))
    assert len(files) == 1 and "lot-approve" in files[0].name
    # A stored approval whose payload was edited no longer verifies.
    approval.payload = {**approval.payload, "decision": "reject"}
    assert not svc.verify_approval(approval)


def test_a_change_after_approval_needs_a_reason_and_voids_the_approval(yard: Yard) -> None:
    ids = add_loads(yard, 3)
    lot_no = submitted_lot(yard, ids[:2])
    sign(yard, "zhao.hui", lot_no)
    inspector = yard.actor("li.wei")
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.add_loads(s, actor=inspector, clock=yard.clock, lot_no=lot_no, load_ids=[ids[2]])
    assert err.value.field == "reason" and err.value.code == "lot.change_needs_reason"
    assert err.value.params["state"] == Term("lot_state", "approved")
    with yard.store.session() as s, pytest.raises(UserError):
        svc.split_lot(s, actor=inspector, clock=yard.clock, lot_no=lot_no, move={ids[0]: None})
    assert lot_state(yard, lot_no) == LotState.APPROVED.value
    with yard.store.session() as s:
        svc.add_loads(
            s,
            actor=inspector,
            clock=yard.clock,
            lot_no=lot_no,
            load_ids=[ids[2]],
            reason="third truck of the same delivery",
        )
    with yard.store.session() as s:
        lot = svc.get_lot(s, lot_no)
        assert lot.state == LotState.DRAFT.value
        assert svc.current_approval(s, lot) is None
        (voided,) = svc.approvals(s, lot)
        assert voided.voided and "third truck" in (voided.void_reason or "")
        assert voided.voided_by == "li.wei"
        # Stored in English as ever; worded for the reader when shown.
        assert voided.void_reason == "lot changed after approved: third truck of the same delivery"
        view = queries.lot_detail(s, lot_no=lot_no, ruleset=yard.ruleset)
        assert view.approvals[0].void_reason_words("zh_CN") == (
            "批次在批准后变更：third truck of the same delivery")
        assert view.state_reason_words("zh_CN") == "批准后变更：third truck of the same delivery"
        assert view.state_reason_words("en") == "Changed after approval: third truck of the same delivery"


def test_a_load_changed_elsewhere_no_longer_matches_and_voids(yard: Yard) -> None:
    ids = add_loads(yard, 2)
    lot_no = submitted_lot(yard, ids)
    sign(yard, "zhao.hui", lot_no)
    with yard.store.session() as s:
        load = s.get(Load, ids[0])
        assert load is not None
        old = row_content(load)
        load.attributes = {**load.attributes, "treo_pct": "27.5"}
        record_change(
            s, load, actor=Actor("wang.lei", "Wang Lei"), action="load.lab", clock=yard.clock, old=old
        )
        assert queries.lot_detail(s, lot_no=lot_no, ruleset=yard.ruleset).approval_matches is False
        assert svc.void_approvals_for_load(
            s,
            actor=Actor("wang.lei", "Wang Lei"),
            clock=yard.clock,
            load_id=ids[0],
            reason="lab result corrected",
        ) == [lot_no]
    with yard.store.session() as s:
        lot = svc.get_lot(s, lot_no)
        assert lot.state == LotState.DRAFT.value and svc.current_approval(s, lot) is None


def test_certifying_needs_the_approval_in_force_on_the_current_version(yard: Yard) -> None:
    ids = add_loads(yard, 2)
    lot_no = submitted_lot(yard, ids)
    clerk = yard.actor("chen.jing")
    with yard.store.session() as s, pytest.raises(ConflictError) as refused:
        svc.mark_certified(s, actor=clerk, clock=yard.clock, lot_no=lot_no, ruleset=yard.ruleset)
    assert refused.value.code == "lot.certify_not_approved"
    approval = sign(yard, "zhao.hui", lot_no)
    with yard.store.session() as s:
        cited = svc.mark_certified(s, actor=clerk, clock=yard.clock, lot_no=lot_no, ruleset=yard.ruleset)
        assert cited.id == approval.id and svc.get_lot(s, lot_no).state == LotState.CERTIFIED.value
    with yard.store.session() as s:
        svc.remove_loads(
            s,
            actor=yard.actor("li.wei"),
            clock=yard.clock,
            lot_no=lot_no,
            load_ids=ids[1:],
            reason="second load sold separately",
        )
    with yard.store.session() as s, pytest.raises(ConflictError) as refused:
        svc.mark_certified(s, actor=clerk, clock=yard.clock, lot_no=lot_no, ruleset=yard.ruleset)
    assert refused.value.code == "lot.certify_not_approved"
    with yard.store.session() as s:
        (voided,) = svc.approvals(s, svc.get_lot(s, lot_no))
        assert voided.voided and "after certified" in (voided.void_reason or "")


def _weighing(
    yard: Yard,
    load_id: int,
    *,
    by: str,
    source: str = "INDICATOR",
    confirmed_by: str | None = None,
    scale_id: str = "WB1",
) -> None:
    from inspector.storage.models.weighing import Weighing

    with yard.store.session() as s:
        row = Weighing(
            load_id=load_id,
            kind="gross",
            weight=32_480,
            unit="kg",
            scale_id=scale_id,
            source=source,
            manual_reason="indicator down" if source == "MANUAL" else None,
            confirmed_by=confirmed_by,
            captured_at=yard.clock.now().utc,
            captured_by=by,
        )
        record_change(s, row, actor=Actor(by, by), action="weighing.capture", clock=yard.clock)


def test_supervisor_who_captured_a_weighing_may_not_approve(yard: Yard) -> None:
    ids = add_loads(yard, 2)
    _weighing(yard, ids[1], by="zhao.hui")
    lot_no = submitted_lot(yard, ids)
    with pytest.raises(PermissionDeniedError) as err:
        sign(yard, "zhao.hui", lot_no)
    assert err.value.code == "four_eyes.own_weighings"
    sign(yard, "zhang.min", lot_no)


def test_an_unconfirmed_manual_weight_blocks_approval(yard: Yard) -> None:
    ids = add_loads(yard, 2)
    _weighing(yard, ids[0], by="li.wei", source="MANUAL")
    _weighing(yard, ids[1], by="wang.lei", source="MANUAL", confirmed_by="zhang.min")
    lot_no = submitted_lot(yard, ids)
    with pytest.raises(PermissionDeniedError) as err:
        sign(yard, "zhao.hui", lot_no)
    assert err.value.code == "four_eyes.manual_weight_unconfirmed"
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value


def test_a_split_is_in_divisions_of_the_scale_that_weighed_the_load(yard: Yard) -> None:
    from inspector.services import yard as yard_services

    with yard.store.session() as s:
        yard_services.add_scale(s, actor=yard.actor("admin"), clock=yard.clock, scale_id="WB2", division=20)
    ids = add_loads(yard, 2, net=20_460)
    _weighing(yard, ids[0], by="li.wei", scale_id="WB2")
    with yard.store.session() as s:
        assert (svc.division(s, ids[0]), svc.division(s, ids[1])) == (20, 10)
        lot = svc.create_lot(
            s, actor=yard.actor("li.wei"), clock=yard.clock, ruleset=yard.ruleset, load_ids=ids
        )
    with yard.store.session() as s, pytest.raises(UserError) as err:
        svc.split_lot(
            s, actor=yard.actor("li.wei"), clock=yard.clock, lot_no=lot.lot_no, move={ids[0]: 10_010}
        )
    assert err.value.code == "lot.share_not_in_divisions" and err.value.params["division"] == "20 kg"
    assert err.value.words("zh_CN").startswith(
        "车次 T2026-000001 的 10,010 kg 不是地磅分度值（20 kg）的整数倍。")
    with yard.store.session() as s:
        svc.split_lot(
            s, actor=yard.actor("li.wei"), clock=yard.clock, lot_no=lot.lot_no, move={ids[0]: 10_020}
        )
