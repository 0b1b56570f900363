"""Corrections and cancellations of loads: amendments checked as the intake step checks them, audited with
the earlier value, confirmed by a supervisor after weigh-out, re-classifying and reopening lots; cancelled
loads that keep their ticket and stay out of lots and balances; and going back to an earlier step."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import DatabaseError
from sqlmodel import col, select

from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.intake.steps import Step, StepInvalidError
from inspector.queries import loads as load_queries
from inspector.queries import lots as lot_queries
from inspector.security.actor import Actor, Role
from inspector.security.audit import row_content, row_hash
from inspector.services import classification as classification_svc
from inspector.services import corrections as svc
from inspector.services import intake as intake_svc
from inspector.services import lots as lots_svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.storage.models import AuditEvent, Load, Vehicle
from inspector.storage.models.corrections import LoadCancellation
from inspector.storage.models.intake import IntakeStepRecord, LoadSample
from inspector.storage.models.weighing import Weighing

from .conftest import (
    CLERK,
    GATE_OK,
    IDENTIFY_PS,
    INSPECTOR,
    SAMPLING_OK,
    SUPERVISOR,
    Yard,
    arrival_values,
    submit,
    walk_to,
)

OTHER_USCC = "91110000100006485K"
REASON = "typed wrong at the gate"
# A second supervisor, for a supervisor's own corrections (four eyes).
ZHAO = Actor("zhao.hui", "Zhao Hui", frozenset({Role.SUPERVISOR}))


def amend(y: Yard, load_id: int, field: str, value: object, *, reason: str = REASON,
          actor: Any = INSPECTOR, confirmed_by: Any = None) -> svc.AmendResult:
    with y.store.session() as s:
        return svc.amend_load(s, actor=actor, clock=y.clock, load_id=load_id, changes={field: value},
                              reason=reason, confirmed_by=confirmed_by)


def cancel(y: Yard, load_id: int, kind: str = "turned_away", *, reason: str = "driver refused the check",
           actor: Any = INSPECTOR, confirmed_by: Any = None) -> svc.CancelResult:
    with y.store.session() as s:
        return svc.cancel_load(s, actor=actor, clock=y.clock, load_id=load_id, reason_kind=kind,
                               reason=reason, confirmed_by=confirmed_by)


def load_of(y: Yard, load_id: int) -> Load:
    with y.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        return load


def events(y: Yard, action: str | None = None) -> list[AuditEvent]:
    with y.store.session() as s:
        stmt = select(AuditEvent).order_by(col(AuditEvent.seq))
        if action is not None:
            stmt = stmt.where(AuditEvent.action == action)
        return list(s.exec(stmt).all())


def classified(y: Yard, *, treo: str = "29.95") -> int:
    """A load walked through every step and finally classified NDFEB-PS grade A by a lab report."""
    load_id = walk_to(y, Step.SUMMARY)
    with y.store.session() as s:
        intake_svc.enter_lab_results(s, actor=SUPERVISOR, clock=y.clock, load_id=load_id, lab="赣州检测中心",
                                     report_number="R-1", method="GB/T 18114", basis="oxide_dry",
                                     values={"treo_pct": treo, "prnd_pct_of_treo": "78"})
    return load_id


def test_each_kind_of_field_is_amended_and_the_trail_keeps_the_earlier_value(yard: Yard) -> None:
    with yard.store.session() as s:
        other = yard_svc.add_supplier(s, actor=INSPECTOR, clock=yard.clock, name="供应商乙", uscc=OTHER_USCC)
        yard_svc.add_vehicle(s, actor=INSPECTOR, clock=yard.clock, plate="赣B54321")
    load_id = walk_to(yard, Step.IDENTIFICATION)
    assert load_of(yard, load_id).state == "weighed_in"  # not weighed out: no supervisor needed

    plate = amend(yard, load_id, "plate", " 赣b 54321 ")
    assert (plate.old, plate.new, plate.confirmed_by) == ("赣B12345", "赣B54321", None)
    assert not plate.reclassified
    load = load_of(yard, load_id)
    with yard.store.session() as s:
        vehicle = s.exec(select(Vehicle).where(Vehicle.plate == "赣B54321")).one()
    assert load.plate == "赣B54321" and load.vehicle_id == vehicle.id  # the vehicle follows the plate
    assert amend(yard, load_id, "driver", "李四").new == "李四"
    assert amend(yard, load_id, "driver", "").new is None and load_of(yard, load_id).driver == ""
    assert amend(yard, load_id, "supplier_id", str(other.id)).new == other.id
    enterprise = amend(yard, load_id, "generating_enterprise", "  某  磁材二厂 ")
    assert (enterprise.old, enterprise.new) == ("某磁材厂", "某 磁材二厂")
    load = load_of(yard, load_id)
    assert load.generating_enterprise == load.attributes["generating_enterprise"] == "某 磁材二厂"
    assert amend(yard, load_id, "declared_category", "NDFEB-PW").new == "NDFEB-PW"
    assert amend(yard, load_id, "origin", "end_of_life").new == "end_of_life"
    assert amend(yard, load_id, "package_count", "4").new == 4
    assert amend(yard, load_id, "inclusions_pct", "1.5").new == "1.5"
    assert amend(yard, load_id, "alpha_bq_cm2", "0.01").old is None
    assert amend(yard, load_id, "alpha_bq_cm2", "").new is None  # a reading measured by mistake, removed
    assert "alpha_bq_cm2" not in load_of(yard, load_id).attributes
    assert amend(yard, load_id, "smoke_or_heat", True).new is True
    # The answers give the assigned category; the step's record is kept beside the earlier one.
    answers = {**IDENTIFY_PS, "ndfeb_form": "roasted"}
    category = amend(yard, load_id, "answers", answers)
    assert (category.old, category.new) == (dict(IDENTIFY_PS), answers)
    assert load_of(yard, load_id).assigned_category == "NDFEB-RO"

    amended = events(yard, "load.amend")
    assert len(amended) == 13  # one audited event per amendment
    first = amended[0]
    assert (first.entity, first.entity_id, first.actor) == ("load", str(load_id), "li.wei")
    assert first.reason == REASON
    assert first.old["plate"] == "赣B12345" and first.new["plate"] == "赣B54321"
    assert amended[3].old["supplier_id"] == yard.supplier_id and amended[3].new["supplier_id"] == other.id
    with yard.store.session() as s:
        history = load_queries.amendments_of(s, load_id)
    supplier_change = history[3].changes[0]
    assert (supplier_change.field, supplier_change.old_name, supplier_change.new_name) == (
        "supplier_id", "供应商甲", "供应商乙")
    assert [c.field for c in history[0].changes] == ["plate"]  # the vehicle link follows, unlisted
    with yard.store.session() as s:
        records = s.exec(select(IntakeStepRecord).where(IntakeStepRecord.load_id == load_id,
                                                        IntakeStepRecord.step == "identification")
                         .order_by(col(IntakeStepRecord.seq))).all()
        assert [(r.seq, r.values["category"]) for r in records] == [(1, "NDFEB-PS"), (2, "NDFEB-RO")]
        stored = s.get(Load, load_id)
        assert stored is not None and stored.row_hash == row_hash(row_content(stored))
    assert load_of(yard, load_id).state == "weighed_in"  # an amendment moves no state here


@pytest.mark.parametrize(("field", "value", "code"), [
    ("plate", "赣B 12!45", "malformed_plate"),
    ("plate", "", "required"),
    ("supplier_id", "999", "not_a_choice"),
    ("supplier_id", "acme", "not_a_choice"),
    ("declared_category", "NDFEB-XX", "unknown_category"),
    ("origin", "space", "not_a_choice"),
    ("generating_enterprise", "", "required"),  # NDFEB-PS requires it
    ("hazardous_waste_code", "HW4", "malformed_hw_code"),
    ("package_count", "2.5", "not_a_whole_number"),
    ("inclusions_pct", "120", "percentage_over_100"),
    ("dose_gross_usv_h", "-1", "below_minimum"),
    ("portal_alarm", "maybe", "not_a_choice"),
    ("driver", "张" * 101, "too_long"),
    ("answers", {"kind": "unobtainium"}, "not_an_answer"),
    ("answers", {"kind": "magnet"}, "identification_incomplete"),
])
def test_a_value_is_refused_as_the_intake_step_refuses_it(yard: Yard, field: str, value: object,
                                                          code: str) -> None:
    load_id = walk_to(yard, Step.IDENTIFICATION)
    before = load_of(yard, load_id)
    count = len(events(yard))
    with pytest.raises(svc.AmendInvalidError) as info:
        amend(yard, load_id, field, value)
    assert (info.value.code, info.value.field) == ("load.amend_invalid", field)
    assert [e.code for e in info.value.errors] == [code]
    assert info.value.words("en").startswith("The new value cannot be taken: ")
    assert info.value.words("zh_CN").startswith("新值无法采用：")
    assert len(events(yard)) == count and load_of(yard, load_id).row_hash == before.row_hash


def test_the_words_of_a_refused_value_are_the_intake_forms(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GATE)
    with pytest.raises(svc.AmendInvalidError) as info:
        amend(yard, load_id, "inclusions_pct", "120")
    assert info.value.words("en") == "The new value cannot be taken: A percentage cannot be over 100 (120 %)."
    assert info.value.words("zh_CN") == "新值无法采用：百分比不能超过 100（120 %）。"


def test_a_bad_amendment_is_refused_with_the_field_named_and_nothing_stored(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GATE)
    before = load_of(yard, load_id)
    count = len(events(yard))

    with pytest.raises(UserError) as short:
        amend(yard, load_id, "driver", "王五", reason="  typo ")
    assert (short.value.code, short.value.field) == ("reason.too_short", "reason")
    assert short.value.params["minimum"] == 5
    with pytest.raises(UserError) as unknown:
        amend(yard, load_id, "net", "1")
    assert (unknown.value.code, unknown.value.field) == ("load.amend_field_unknown", "field")
    assert "plate" in unknown.value.params["fields"] and "answers" in unknown.value.params["fields"]
    assert "Amend one of: plate, supplier_id, driver, declared_category, origin" in unknown.value.words("en")
    with pytest.raises(UserError) as same:
        amend(yard, load_id, "plate", "赣b12345")
    assert (same.value.code, same.value.field) == ("load.amend_unchanged", "plate")
    assert same.value.words("en") == ("Nothing to change: load T2026-000001 already holds this value. "
                                      "Enter the corrected value.")
    assert same.value.words("zh_CN") == "无需更正：车次 T2026-000001 已是此值。请输入更正后的值。"
    with pytest.raises(UserError) as same_category:
        amend(yard, load_id, "answers", dict(IDENTIFY_PS))  # identification not submitted yet
    assert same_category.value.code == "load.amend_step_pending"
    with yard.store.session() as s, pytest.raises(UserError) as two:
        svc.amend_load(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id,
                       changes={"driver": "王五", "plate": "赣B1"}, reason=REASON)
    assert two.value.code == "load.amend_one_field"
    with pytest.raises(PermissionDeniedError) as clerk:
        amend(yard, load_id, "driver", "王五", actor=CLERK)
    assert clerk.value.code == "role.denied_any"
    with yard.store.session() as s, pytest.raises(UserError) as missing:
        svc.amend_load(s, actor=INSPECTOR, clock=yard.clock, load_id=999, changes={"driver": "x"},
                       reason=REASON)
    assert missing.value.code == "intake.load_not_found"
    assert len(events(yard)) == count and load_of(yard, load_id).row_hash == before.row_hash


def test_answers_leading_to_the_same_category_change_nothing(yard: Yard) -> None:
    load_id = walk_to(yard, Step.IDENTIFICATION)
    count = len(events(yard))
    with pytest.raises(UserError) as same:
        amend(yard, load_id, "answers", {**IDENTIFY_PS, "unused": "x"})
    assert same.value.code == "load.amend_unchanged"
    assert len(events(yard)) == count


def test_after_weigh_out_a_different_supervisor_confirms_in_person(yard: Yard) -> None:
    load_id = walk_to(yard, Step.TARE)
    assert load_of(yard, load_id).state == "weighed_out"
    count = len(events(yard))
    with pytest.raises(PermissionDeniedError) as needed:
        amend(yard, load_id, "driver", "李四")
    assert (needed.value.code, needed.value.field) == ("load.amend_needs_supervisor", "confirmed_by")
    assert needed.value.words("zh_CN") == ("车次 T2026-000001 已回皮、已分类或已编入批次，更正需要主管确认。"
                                           "请主管当面确认。")
    with pytest.raises(PermissionDeniedError) as own:
        amend(yard, load_id, "driver", "李四", actor=SUPERVISOR, confirmed_by=SUPERVISOR)
    assert own.value.code == "load.confirmer_self"
    with pytest.raises(PermissionDeniedError) as clerk:
        amend(yard, load_id, "driver", "李四", confirmed_by=CLERK)
    assert clerk.value.code == "load.confirmer_not_supervisor"
    assert clerk.value.words("en") == ("Chen Jing (chen.jing) may not confirm a correction: it needs the "
                                       "role Supervisor. Ask a supervisor to confirm it.")
    assert len(events(yard)) == count

    done = amend(yard, load_id, "driver", "李四", confirmed_by=SUPERVISOR)
    assert done.confirmed_by == "wang.fang" and done.state == "weighed_out"
    event = events(yard, "load.amend")[-1]
    assert event.reason == f"{REASON} (confirmed by wang.fang)"
    assert event.old["driver"] == "张三" and event.new["driver"] == "李四"
    # A supervisor's own correction is confirmed by another supervisor.
    own_correction = amend(yard, load_id, "driver", "王五", actor=SUPERVISOR, confirmed_by=ZHAO)
    assert own_correction.confirmed_by == "zhao.hui"


def test_a_changed_classification_input_runs_the_classification_again(yard: Yard) -> None:
    load_id = classified(yard)
    load = load_of(yard, load_id)
    assert (load.state, load.outcome, load.grade) == ("classified", "ACCEPT", "A")
    # Plate and driver are not classification inputs: nothing runs again.
    assert not amend(yard, load_id, "driver", "李四", confirmed_by=SUPERVISOR).reclassified

    downgraded = amend(yard, load_id, "inclusions_pct", "3.0", confirmed_by=SUPERVISOR)
    assert (downgraded.reclassified, downgraded.outcome, downgraded.grade) == (True, "ACCEPT", "B")
    with yard.store.session() as s:
        history = classification_svc.classifications_of(s, load_id=load_id)
    assert [(r.stage, r.grade) for r in history] == [("gate", None), ("lab", "A"), ("lab", "B")]
    assert history[-1].attributes["inclusions_pct"] == "3.0"
    assert load_of(yard, load_id).state == "classified"

    rejected = amend(yard, load_id, "prohibited_items_found", True, confirmed_by=SUPERVISOR)
    assert (rejected.outcome, rejected.state) == ("REJECT", "rejected")
    with pytest.raises(ConflictError) as closed:
        amend(yard, load_id, "driver", "王五", confirmed_by=SUPERVISOR)
    assert (closed.value.code, closed.value.field) == ("load.amend_closed", "load")
    assert closed.value.words("en") == "Load T2026-000001 is Rejected: nothing of it can be amended."


def test_a_new_category_runs_the_classification_again_at_its_stage(yard: Yard) -> None:
    load_id = classified(yard)
    # Identified as bonded NdFeB instead: its own bands (A from 22.0) judge the same assay.
    bonded = amend(yard, load_id, "answers", {"kind": "magnet", "magnet_type": "ndfeb_bonded"},
                   confirmed_by=SUPERVISOR)
    assert (bonded.reclassified, bonded.outcome, bonded.grade) == (True, "ACCEPT", "A")
    load = load_of(yard, load_id)
    assert (load.assigned_category, load.state) == ("NDFEB-BD", "classified")
    with yard.store.session() as s:
        latest = classification_svc.latest_classification(s, load_id=load_id)
    assert latest is not None and (latest.category, latest.stage) == ("NDFEB-BD", "lab")


def test_an_amendment_of_a_load_in_a_submitted_lot_reopens_the_lot(yard: Yard) -> None:
    load_id = classified(yard)
    with yard.store.session() as s:
        lot = lots_svc.create_lot(s, actor=INSPECTOR, clock=yard.clock, load_ids=[load_id])
        lots_svc.submit_lot(s, actor=INSPECTOR, clock=yard.clock, lot_no=lot.lot_no)
        lot_no = lot.lot_no
    # A lot holds one supplier: the supplier of a load in it is not changed underneath it.
    with yard.store.session() as s:
        other = yard_svc.add_supplier(s, actor=INSPECTOR, clock=yard.clock, name="供应商乙", uscc=OTHER_USCC)
    with pytest.raises(ConflictError) as in_lot:
        amend(yard, load_id, "supplier_id", str(other.id), confirmed_by=SUPERVISOR)
    assert (in_lot.value.code, in_lot.value.field, in_lot.value.params["lot"]) == (
        "load.amend_in_lot", "supplier_id", lot_no)
    # A driver's name is not what the lot's approval covers: the lot stays as it is.
    assert amend(yard, load_id, "driver", "李四", confirmed_by=SUPERVISOR).reopened_lots == ()
    with yard.store.session() as s:
        assert lots_svc.get_lot(s, lot_no).state == "submitted"

    result = amend(yard, load_id, "inclusions_pct", "3.0", confirmed_by=SUPERVISOR)
    assert result.reopened_lots == (lot_no,) and result.grade == "B"
    with yard.store.session() as s:
        reopened = lots_svc.get_lot(s, lot_no)
        assert reopened.state == "draft"
        assert reopened.state_reason == f"T2026-000001: {REASON} (confirmed by wang.fang)"
    assert [e.action for e in events(yard)][-4:] == [
        "lot.reopen", "load.amend", "classification.create", "load.classify"]


def test_a_cancelled_load_keeps_its_ticket_and_the_series_has_no_gap(yard: Yard) -> None:
    first = walk_to(yard, Step.ARRIVAL)
    second = submit(yard, Step.ARRIVAL, arrival_values(yard.supplier_id, plate="赣B 22222")).load_id
    result = cancel(yard, second, "duplicate", reason="registered twice at the gate")
    assert (result.ticket_no, result.state, result.state_before, result.kind) == (
        "T2026-000002", "cancelled", "arrived", "duplicate")
    assert [e.action for e in events(yard)][-2:] == ["load.cancelled", "cancellation.create"]
    third = submit(yard, Step.ARRIVAL, arrival_values(yard.supplier_id, plate="赣B 33333"))
    assert third.ticket_no == "T2026-000003"  # the cancelled number is neither reused nor skipped
    with yard.store.session() as s:
        load = s.get(Load, second)
        assert load is not None and (load.ticket_no, load.state) == ("T2026-000002", "cancelled")
        assert load.departed_at is not None
        assert intake_svc.next_step_of(s, second) is None  # its intake has ended
        on_site = [t.ticket_no for t in intake_svc.trucks_on_site(s)]
        assert on_site == ["T2026-000001", "T2026-000003"]
        row = s.exec(select(LoadCancellation).where(LoadCancellation.load_id == second)).one()
        assert (row.kind, row.reason, row.cancelled_by, row.confirmed_by) == (
            "duplicate", "registered twice at the gate", "li.wei", None)
        assert row.row_hash == row_hash(row_content(row))
    assert events(yard, "load.cancelled")[-1].reason == "registered twice at the gate"
    assert first != second


def test_a_cancellation_is_checked_and_confirmed_after_weigh_out(yard: Yard) -> None:
    load_id = walk_to(yard, Step.TARE)
    count = len(events(yard))
    with pytest.raises(UserError) as kind:
        cancel(yard, load_id, "bored", confirmed_by=SUPERVISOR)
    assert (kind.value.code, kind.value.field) == ("load.cancel_kind_unknown", "reason_kind")
    assert kind.value.words("en") == ("“bored” is not a reason for cancelling a load. Choose one of: "
                                      "turned_away (Turned away), duplicate (Duplicate), entered_by_mistake "
                                      "(Entered by mistake).")
    assert kind.value.words("zh_CN") == ("“bored”不是作废车次的原因。请从以下选择：turned_away（拒收退回）、"
                                         "duplicate（重复登记）、entered_by_mistake（误登记）。")
    with pytest.raises(UserError) as short:
        cancel(yard, load_id, reason="no", confirmed_by=SUPERVISOR)
    assert (short.value.code, short.value.field) == ("reason.too_short", "reason")
    with pytest.raises(PermissionDeniedError) as needed:
        cancel(yard, load_id)
    assert (needed.value.code, needed.value.field) == ("load.cancel_needs_supervisor", "confirmed_by")
    assert len(events(yard)) == count and load_of(yard, load_id).state == "weighed_out"

    done = cancel(yard, load_id, "entered_by_mistake", reason="test truck, not a delivery",
                  confirmed_by=SUPERVISOR)
    assert (done.state, done.confirmed_by) == ("cancelled", "wang.fang")
    with yard.store.session() as s:  # its weighings stay
        weighings = s.exec(select(Weighing).where(Weighing.load_id == load_id)).all()
    assert [w.kind for w in weighings] == ["gross", "tare"]
    assert load_of(yard, load_id).net == 20020
    with pytest.raises(ConflictError) as again:
        cancel(yard, load_id, confirmed_by=SUPERVISOR)
    assert again.value.code == "load.cancel_closed"
    with pytest.raises(ConflictError) as amended:
        amend(yard, load_id, "driver", "李四", confirmed_by=SUPERVISOR)
    assert amended.value.code == "load.amend_closed"
    # A cancellation is never changed.
    with yard.store.engine.begin() as conn, pytest.raises(DatabaseError, match="cannot be changed"):
        conn.exec_driver_sql("UPDATE load_cancellation SET reason = 'nothing happened'")
    with yard.store.engine.begin() as conn, pytest.raises(DatabaseError, match="cannot be undone"):
        conn.exec_driver_sql("DELETE FROM load_cancellation")


def test_a_cancelled_load_enters_no_lot_and_counts_in_no_mass_balance(yard: Yard) -> None:
    kept = classified(yard)
    gone = classified(yard, treo="28.0")
    cancel(yard, gone, "duplicate", reason="weighed twice by mistake", confirmed_by=SUPERVISOR)
    with yard.store.session() as s:
        eligible = [e.ticket_no for e in lot_queries.eligible_loads(s)]
        assert eligible == ["T2026-000001"]
    with yard.store.session() as s, pytest.raises(UserError) as refused:
        lots_svc.create_lot(s, actor=INSPECTOR, clock=yard.clock, load_ids=[kept, gone])
    assert (refused.value.code, refused.value.params["ticket"]) == ("lot.load_not_classified", "T2026-000002")
    with yard.store.session() as s:
        lot = lots_svc.create_lot(s, actor=INSPECTOR, clock=yard.clock, load_ids=[kept])
        balance = lots_svc.lot_balance(s, lot, classification_svc.ruleset_in_force(s))
        with pytest.raises(UserError):
            lots_svc.add_loads(s, actor=INSPECTOR, clock=yard.clock, lot_no=lot.lot_no, load_ids=[gone])
    assert balance.net == load_of(yard, kept).net == 20020 and balance.missing_assay == ()


def test_a_load_in_a_lot_is_taken_out_before_it_is_cancelled(yard: Yard) -> None:
    load_id = classified(yard)
    with yard.store.session() as s:
        lot_no = lots_svc.create_lot(s, actor=INSPECTOR, clock=yard.clock, load_ids=[load_id]).lot_no
    with pytest.raises(ConflictError) as in_lot:
        cancel(yard, load_id, confirmed_by=SUPERVISOR)
    assert (in_lot.value.code, in_lot.value.params["lot"]) == ("load.cancel_in_lot", lot_no)
    with yard.store.session() as s:
        lots_svc.remove_loads(s, actor=INSPECTOR, clock=yard.clock, lot_no=lot_no, load_ids=[load_id])
    assert cancel(yard, load_id, confirmed_by=SUPERVISOR).state == "cancelled"


def test_the_details_show_the_corrections_and_the_cancellation(yard: Yard) -> None:
    load_id = walk_to(yard, Step.TARE)
    amend(yard, load_id, "driver", "李四", confirmed_by=SUPERVISOR)
    amend(yard, load_id, "inclusions_pct", "1.5", confirmed_by=SUPERVISOR)
    cancel(yard, load_id, "turned_away", reason="supplier took the load back", confirmed_by=SUPERVISOR)
    with yard.store.session() as s:
        details = load_queries.load_details(s, load_id=load_id)
    assert [(a.actor, a.reason, a.confirmed_by) for a in details.amendments] == [
        ("li.wei", REASON, "wang.fang"), ("li.wei", REASON, "wang.fang")]
    assert [(c.field, c.old, c.new) for a in details.amendments for c in a.changes] == [
        ("driver", "张三", "李四"), ("attributes.inclusions_pct", "1.0", "1.5")]
    assert details.cancellation is not None
    cancelled = details.cancellation
    assert (cancelled.kind, cancelled.reason, cancelled.state_before, cancelled.confirmed_by) == (
        "turned_away", "supplier took the load back", "weighed_out", "wang.fang")
    assert details.amend_refusal is not None and details.cancel_refusal is not None


def test_the_amend_form_offers_the_fields_of_the_steps_submitted_with_their_values(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GROSS)
    with yard.store.session() as s:
        form = load_queries.amend_form(s, load_id=load_id)
    keys = [f.key for f in form.fields]
    assert keys[:4] == ["plate", "supplier_id", "driver", "declared_category"]
    assert "origin" in keys and "inclusions_pct" not in keys and "answers" not in keys  # gate not yet done
    assert form.field("plate").current == "赣B12345" and form.field("supplier_id").current == yard.supplier_id
    assert (form.needs_supervisor, form.refusal, form.supplier_name) == (False, None, "供应商甲")
    load_id = walk_to(yard, Step.TARE)
    with yard.store.session() as s:
        form = load_queries.amend_form(s, load_id=load_id)
        cancel_form = load_queries.cancel_form(s, load_id=load_id)
    assert form.field("answers").current == dict(IDENTIFY_PS) and form.needs_supervisor
    assert cancel_form.kinds == ("turned_away", "duplicate", "entered_by_mistake")
    assert cancel_form.needs_supervisor


# ---- back to an earlier step ----------------------------------------------------------------------------


def test_an_earlier_step_submitted_again_keeps_its_first_record(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GATE)
    with yard.store.session() as s:
        result = svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step=Step.ARRIVAL,
                                 values=arrival_values(yard.supplier_id, plate="赣B 99999", driver="李四"),
                                 reason="plate and driver were mixed up")
    assert (result.changed, result.reweighed, result.confirmed_by) == (("driver", "plate"), False, None)
    with yard.store.session() as s:
        records = s.exec(select(IntakeStepRecord).where(IntakeStepRecord.load_id == load_id,
                                                        IntakeStepRecord.step == "arrival")
                         .order_by(col(IntakeStepRecord.seq))).all()
        assert [r.values["plate"] for r in records] == ["赣B12345", "赣B99999"]
        assert intake_svc.next_step_of(s, load_id) is Step.IDENTIFICATION  # the next step does not move
    amended = events(yard, "load.amend")
    assert len(amended) == 1 and amended[0].old["plate"] == "赣B12345" and amended[0].new["driver"] == "李四"
    assert events(yard, "intake.arrival")[-1].reason == "plate and driver were mixed up"

    gate = {**GATE_OK, "inclusions_pct": "2.0"}
    with yard.store.session() as s:
        again = svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step="gate",
                                values=gate, reason="inclusions were estimated again")
    assert again.changed == ("attributes.inclusions_pct",)
    with yard.store.session() as s, pytest.raises(UserError) as same:
        svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step="gate", values=gate,
                        reason="inclusions were estimated again")
    assert same.value.code == "load.amend_unchanged"
    with yard.store.session() as s, pytest.raises(StepInvalidError) as invalid:
        svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step="gate",
                        values={**gate, "inclusions_pct": "120"}, reason="inclusions were estimated again")
    assert invalid.value.errors[0].code == "percentage_over_100"
    with yard.store.session() as s, pytest.raises(ConflictError) as pending:
        svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step="sampling",
                        values=SAMPLING_OK, reason="seal numbers swapped")
    assert pending.value.code == "load.reopen_not_submitted"
    with yard.store.session() as s, pytest.raises(UserError) as unknown:
        svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step="lunch", values={},
                        reason="seal numbers swapped")
    assert (unknown.value.code, unknown.value.field) == ("load.reopen_step_unknown", "step")


def test_a_weighing_step_again_is_a_new_weighing_confirmed_after_weigh_out(yard: Yard) -> None:
    load_id = walk_to(yard, Step.TARE)
    tare = {"tare": "12400", "source": "manual", "manual_reason": "indicator offline"}
    with yard.store.session() as s, pytest.raises(PermissionDeniedError) as needed:
        svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step=Step.TARE, values=tare,
                        reason="the trailer was still coupled")
    assert needed.value.code == "load.reweigh_needs_supervisor"
    with yard.store.session() as s:
        result = svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step=Step.TARE,
                                 values=tare, reason="the trailer was still coupled", confirmed_by=SUPERVISOR)
    assert result.reweighed and result.confirmed_by == "wang.fang"
    with yard.store.session() as s:
        tares = weighing_svc.list_weighings(s, load_id=load_id)
        tares = [w for w in tares if w.kind == "tare"]
    assert [w.weight for w in tares] == [12460, 12400] and tares[1].replaces_id == tares[0].id
    load = load_of(yard, load_id)
    assert (load.tare, load.net) == (12400, 20080)

    with yard.store.session() as s:
        svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step=Step.SAMPLING,
                        values={**SAMPLING_OK, "seal_yard": "Y-0002"}, reason="seal numbers swapped",
                        confirmed_by=SUPERVISOR)
        samples = s.exec(select(LoadSample).where(LoadSample.load_id == load_id)
                         .order_by(col(LoadSample.id))).all()
    assert [x.seal_yard for x in samples] == ["Y-0001", "Y-0002"]


def test_a_closed_load_has_no_step_to_go_back_to(yard: Yard) -> None:
    load_id = classified(yard)
    with yard.store.session() as s, pytest.raises(ConflictError) as closed:
        svc.reopen_step(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, step=Step.ARRIVAL,
                        values=arrival_values(yard.supplier_id, driver="李四"), reason="driver mixed up",
                        confirmed_by=SUPERVISOR)
    assert (closed.value.code, closed.value.field) == ("load.reopen_closed", "load")
    assert closed.value.words("en") == ("Load T2026-000001 is Classified: its intake steps are closed. Amend "
                                        "a field of the load instead.")


def test_a_cancelled_load_is_not_weighed_or_classified_again(yard: Yard) -> None:
    """Its weighings and classifications stay as they were: the services refuse to add to them."""
    load_id = walk_to(yard, Step.GATE)
    cancel(yard, load_id)
    before = events(yard)
    with yard.store.session() as s, pytest.raises(ConflictError) as weighed:
        weighing_svc.record_manual_weight(s, actor=INSPECTOR, clock=yard.clock, load_id=load_id, kind="tare",
                                          weight=12000, unit="kg", reason="indicator link down",
                                          confirmed_by=SUPERVISOR)
    assert weighed.value.code == "load.cancelled" and weighed.value.field == "load"
    with yard.store.session() as s, pytest.raises(ConflictError) as classified_again:
        classification_svc.classify_load(s, actor=SUPERVISOR, clock=yard.clock, load_id=load_id, stage="gate")
    assert classified_again.value.code == "load.cancelled"
    assert "已作废" in classified_again.value.words("zh_CN")
    assert events(yard) == before
