"""Submitting steps: audited transactions, states, progress, drafts, samples, photos, lab results."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlmodel import select

from inspector.datadir import DataDir
from inspector.errors import ConflictError, EnvironmentProblemError, PermissionDeniedError, UserError
from inspector.intake import drafts, steps
from inspector.intake.steps import Step, StepInvalidError
from inspector.security.audit import row_content, row_hash
from inspector.services import classification as classification_svc
from inspector.services import intake as svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.states import LoadState
from inspector.storage.models import AuditEvent, Load, Setting
from inspector.storage.models.intake import IntakeStepRecord, LoadPhoto, LoadSample
from inspector.weighing.capture import CapturedWeight, LiveMonitor, ScaleConfig
from inspector.weighing.profiles import Decoder, get_profile
from inspector.weighing.simulator import Simulator

from .conftest import (
    CLERK,
    GATE_OK,
    IDENTIFY_PS,
    INSPECTOR,
    SAMPLING_OK,
    SUPERVISOR,
    USCC,
    Yard,
    arrival_values,
    submit,
    walk_to,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_whole_load_walks_through_every_state(yard: Yard) -> None:
    states = []
    result = submit(yard, Step.ARRIVAL, arrival_values(yard.supplier_id))
    assert (result.ticket_no, result.state, result.next_step) == ("T2026-000001", "arrived", Step.GROSS)
    load_id = result.load_id
    for step, values in [
        (Step.GROSS, {"gross": "32480", "source": "manual", "manual_reason": "indicator offline"}),
        (Step.GATE, GATE_OK),
        (Step.IDENTIFICATION, {"answers": dict(IDENTIFY_PS)}),
        (Step.SAMPLING, SAMPLING_OK),
        (Step.TARE, {"tare": "12460", "source": "manual", "manual_reason": "indicator offline"}),
        (Step.SUMMARY, {"confirmed": True}),
    ]:
        result = submit(yard, step, values, load_id)
        states.append((step.value, result.state, result.next_step.value if result.next_step else None))
    assert states == [
        ("gross", "weighed_in", "gate"),
        ("gate", "weighed_in", "identification"),
        ("identification", "weighed_in", "sampling"),
        ("sampling", "inspected", "tare"),
        ("tare", "weighed_out", "summary"),
        ("summary", "awaiting_lab", None),
    ]
    assert result.classification is not None
    assert (
        result.classification.stage,
        result.classification.outcome,
        result.classification.grade,
        result.classification.status,
    ) == ("gate", "ACCEPT", None, "provisional")
    with yard.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        assert (load.gross, load.tare, load.net, load.manual_weight) == (32480, 12460, 20020, True)
        assert load.assigned_category == "NDFEB-PS" and load.departed_at is not None
        assert load.attributes["dose_gross_usv_h"] == "0.20"
        assert load.row_hash == row_hash(row_content(load))
        records = s.exec(select(IntakeStepRecord).where(IntakeStepRecord.load_id == load_id)).all()
        assert [r.step for r in records] == [s.value for s in Step]
        assert all(r.row_hash == row_hash(row_content(r)) for r in records)
        gate = next(r for r in records if r.step == "gate")
        assert gate.values["derived"] == {"dose_net_usv_h": "0.10"}
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()]
        assert (
            "intake.gate" in actions and "load.weighed_out" in actions and "classification.create" in actions
        )


def test_only_the_next_step_can_be_submitted(yard: Yard) -> None:
    load_id = walk_to(yard, Step.ARRIVAL)
    with pytest.raises(ConflictError, match="waits for the gross weighing step, not the gate") as info:
        submit(yard, Step.GATE, GATE_OK, load_id)
    assert (info.value.code, info.value.field) == ("intake.not_next_step", "step")
    assert info.value.words("zh_CN") == "此车次等待的是毛重过磅步骤，而不是门岗检查步骤。" \
        "请从在场车辆列表中重新打开该车次。"
    with pytest.raises(ConflictError) as again:
        submit(yard, Step.ARRIVAL, arrival_values(yard.supplier_id), load_id)
    assert again.value.code == "intake.arrived_already"
    with pytest.raises(UserError, match="only the arrival") as which:
        submit(yard, Step.GROSS, {"gross": "1", "source": "indicator"})
    assert which.value.code == "intake.load_required"


def test_an_invalid_step_changes_nothing(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GROSS)
    with yard.store.session() as s:
        events_before = len(s.exec(select(AuditEvent)).all())
    with pytest.raises(StepInvalidError) as info:
        submit(yard, Step.GATE, {**GATE_OK, "inclusions_pct": "120", "dose_gross_usv_h": "-1"}, load_id)
    assert {(e.field, e.code) for e in info.value.errors} == {
        ("inclusions_pct", "percentage_over_100"),
        ("dose_gross_usv_h", "below_minimum"),
    }
    assert info.value.field in {"inclusions_pct", "dose_gross_usv_h"}
    # the first error in words, its attribute named by the rule set, in the reader's language
    assert info.value.code == "intake.step_invalid_many" and info.value.params["count"] == 2
    assert str(info.value).startswith(f"{info.value.field}: The gate inspection step cannot be submitted "
                                      "(2 fields to correct): ")
    assert info.value.words("zh_CN").startswith("门岗检查步骤无法提交（有 2 个字段需要改正）：")
    assert info.value.words("zh_CN").endswith("请改正标出的字段后重新提交。")
    with yard.store.session() as s:
        assert len(s.exec(select(AuditEvent)).all()) == events_before
        assert svc.next_step_of(s, load_id) is Step.GATE


def test_tare_above_gross_cannot_be_submitted(yard: Yard) -> None:
    load_id = walk_to(yard, Step.SAMPLING)
    with pytest.raises(StepInvalidError) as info:
        submit(
            yard,
            Step.TARE,
            {"tare": "40000", "source": "manual", "manual_reason": "indicator offline"},
            load_id,
        )
    assert info.value.errors[0].code == "tare_above_gross"
    assert info.value.words("en") == "The tare weighing step cannot be submitted: The tare (40,000 kg) " \
        "cannot be above the gross weight (32,480 kg). Correct the marked field and submit the step again."
    assert info.value.words("zh_CN") == "皮重过磅步骤无法提交：皮重（40,000 kg）不能大于毛重（32,480 kg）。" \
        "请改正标出的字段后重新提交。"


def test_inspectors_submit_clerks_do_not(yard: Yard) -> None:
    with pytest.raises(PermissionDeniedError):
        submit(yard, Step.ARRIVAL, arrival_values(yard.supplier_id), actor=CLERK)


def test_a_new_supplier_is_added_with_the_arrival(yard: Yard) -> None:
    values = {
        **arrival_values(yard.supplier_id),
        "supplier_id": "",
        "new_supplier_name": "新供应商",
        "new_supplier_uscc": "91110000100000000X",
    }
    with pytest.raises(StepInvalidError) as info:
        submit(yard, Step.ARRIVAL, values)
    assert info.value.errors[0].code == "malformed_uscc"
    with pytest.raises(StepInvalidError) as dup:
        submit(yard, Step.ARRIVAL, {**values, "new_supplier_uscc": USCC})
    assert dup.value.errors[0].code == "supplier_exists"
    good = "91350211MA2Y8HKC0Y"
    from inspector.uscc import check_character

    good = good[:17] + check_character(good[:17])
    result = submit(yard, Step.ARRIVAL, {**values, "new_supplier_uscc": good})
    with yard.store.session() as s:
        load = s.get(Load, result.load_id)
        assert load is not None and load.supplier_id != yard.supplier_id


def test_a_reject_at_the_gate_goes_to_the_summary_and_closes_rejected(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GROSS)
    result = submit(yard, Step.GATE, {**GATE_OK, "prohibited_items_found": True}, load_id)
    assert [a.finding.rule for a in result.alerts] == ["G1"]
    assert result.next_step is Step.SUMMARY
    final = submit(yard, Step.SUMMARY, {"confirmed": True}, load_id)
    assert final.state == "rejected" and final.next_step is None
    assert final.classification is not None and final.classification.outcome == "REJECT"
    with yard.store.session() as s:
        assert all(t.load_id != load_id for t in svc.trucks_on_site(s))


def test_a_hold_at_the_gate_is_shown_and_the_load_goes_on(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GROSS)
    result = submit(yard, Step.GATE, {**GATE_OK, "dose_gross_usv_h": "0.40"}, load_id)
    assert [(a.finding.rule, a.finding.rounded) for a in result.alerts] == [("G2", "0.30")]
    assert result.next_step is Step.IDENTIFICATION
    with yard.store.session() as s:
        record = s.exec(select(IntakeStepRecord).where(IntakeStepRecord.step == "gate")).one()
        assert record.alerts[0]["actions"] == ["quarantine_bay", "call_supervisor"]


def test_trucks_on_site_lists_open_loads_with_their_next_step(yard: Yard) -> None:
    first = walk_to(yard, Step.GATE)
    second = walk_to(yard, Step.SUMMARY)
    third = walk_to(yard, Step.ARRIVAL)
    with yard.store.session() as s:
        drafts.save_draft(
            s,
            clock=yard.clock,
            key=drafts.load_draft_key(third),
            load_id=third,
            step=Step.GROSS,
            values={"gross": "1"},
        )
    with yard.store.session() as s:
        trucks = {t.load_id: t for t in svc.trucks_on_site(s)}
    assert (trucks[first].state, trucks[first].next_step) == ("weighed_in", "identification")
    assert (trucks[second].state, trucks[second].next_step) == ("awaiting_lab", svc.NEXT_LAB)
    assert (trucks[third].state, trucks[third].next_step, trucks[third].has_draft) == (
        "arrived",
        "gross",
        True,
    )
    assert trucks[first].supplier == "供应商甲" and trucks[first].plate == "赣B12345"
    assert trucks[second].category == "NDFEB-PS"
    # The scale's queue first: the truck waiting to be weighed, then the one at identification, then the lab.
    with yard.store.session() as s:
        assert [t.load_id for t in svc.trucks_on_site(s)] == [third, first, second]


def test_submitting_a_step_removes_its_draft(yard: Yard) -> None:
    key = drafts.new_arrival_key()
    with yard.store.session() as s:
        drafts.save_draft(s, clock=yard.clock, key=key, step=Step.ARRIVAL, values={"plate": "赣B1"})
    with yard.store.session() as s:
        result = svc.submit_step(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            step=Step.ARRIVAL,
            values=arrival_values(yard.supplier_id),
            draft_key=key,
        )
    with yard.store.session() as s:
        assert drafts.get_draft(s, key) is None
        drafts.save_draft(
            s,
            clock=yard.clock,
            key=drafts.load_draft_key(result.load_id),
            load_id=result.load_id,
            step=Step.GROSS,
            values={"gross": "99"},
        )
    submit(
        yard,
        Step.GROSS,
        {"gross": "30000", "source": "manual", "manual_reason": "indicator offline"},
        result.load_id,
    )
    with yard.store.session() as s:
        assert drafts.open_drafts(s) == []


def test_sampling_keeps_the_seals_and_the_retention_setting(yard: Yard) -> None:
    with yard.store.session() as s:
        s.add(Setting(key=svc.RETENTION_SETTING, value=8))
    load_id = walk_to(yard, Step.SAMPLING)
    with yard.store.session() as s:
        sample = s.exec(select(LoadSample).where(LoadSample.load_id == load_id)).one()
    assert (
        sample.plan,
        sample.increments,
        sample.seal_yard,
        sample.seal_supplier,
        sample.seal_arbitration,
    ) == ("SP-DEFAULT", 12, "Y-0001", "S-0001", "A-0001")
    assert sample.retain_until.date().isoformat() == "2026-11-02"
    assert svc.add_months(sample.taken_at.replace(month=8, day=31), 6).date().isoformat() == "2027-02-28"
    with yard.store.session() as s:
        assert svc.retention_months(s) == 8
        s.get(Setting, svc.RETENTION_SETTING).value = "junk"  # type: ignore[union-attr]
    with yard.store.session() as s:
        assert svc.retention_months(s) == svc.DEFAULT_RETENTION_MONTHS


def test_photos_are_stored_by_content_hash(yard: Yard, data_dir: DataDir, tmp_path: Path) -> None:
    load_id = walk_to(yard, Step.ARRIVAL)
    source = tmp_path / "truck.png"
    source.write_bytes(PNG)
    digest = hashlib.sha256(PNG).hexdigest()
    with yard.store.session() as s:
        photo = svc.add_photo(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            data_dir=data_dir,
            load_id=load_id,
            step=Step.GROSS,
            source=source,
        )
        again = svc.add_photo(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            data_dir=data_dir,
            load_id=load_id,
            step=Step.GROSS,
            source=source,
        )
    assert photo.sha256 == digest and again.id == photo.id
    stored = svc.photo_path(data_dir, digest, ".png")
    assert stored.read_bytes() == PNG and not list(data_dir.photos.glob(".incoming-*"))
    with yard.store.session() as s:
        assert [p.sha256 for p in svc.photos_of(s, load_id=load_id)] == [digest]
        with pytest.raises(StepInvalidError) as info:
            svc.submit_step(
                s,
                actor=INSPECTOR,
                clock=yard.clock,
                step=Step.GROSS,
                load_id=load_id,
                values={
                    "gross": "30000",
                    "source": "manual",
                    "manual_reason": "indicator offline",
                    "photos": ["ab" * 32],
                },
            )
        assert info.value.errors[0].code == steps.UNKNOWN_PHOTO
    result = submit(
        yard,
        Step.GROSS,
        {"gross": "30000", "source": "manual", "manual_reason": "indicator offline", "photos": [digest]},
        load_id,
    )
    assert result.state == "weighed_in"
    out = svc.copy_photo_out(data_dir, photo, tmp_path / "copy.png")
    assert out.read_bytes() == PNG
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")
    with yard.store.session() as s, pytest.raises(UserError, match="not a photo") as not_photo:
        svc.add_photo(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            data_dir=data_dir,
            load_id=load_id,
            step=Step.GATE,
            source=text,
        )
    assert not_photo.value.code == "intake.not_a_photo"
    assert not_photo.value.words("zh_CN") == "notes.txt 不是照片（应为 JPEG、PNG、WebP、BMP 或 TIFF 格式）。"
    stored.write_bytes(PNG + b"tampered")
    with pytest.raises(EnvironmentProblemError, match="no longer matches") as damaged:
        svc.copy_photo_out(data_dir, photo, tmp_path / "copy2.png")
    assert damaged.value.code == "intake.photo_damaged"


def test_lab_results_make_the_classification_final_and_keep_history(yard: Yard) -> None:
    load_id = walk_to(yard, Step.SUMMARY)
    with yard.store.session() as s:
        first = svc.enter_lab_results(
            s,
            actor=SUPERVISOR,
            clock=yard.clock,
            load_id=load_id,
            lab="赣州检测中心",
            report_number="R-2026-0042",
            method="GB/T 18114 ICP-OES",
            basis="oxide_dry",
            values={"treo_pct": "29.95", "prnd_pct_of_treo": "78"},
        )
    assert (first.classification.stage, first.classification.status, first.classification.grade) == (
        "lab",
        "final",
        "A",
    )
    assert first.state == "classified" and first.report.classification_seq == first.classification.seq
    yard.clock.advance(days=3)
    with yard.store.session() as s:
        second = svc.enter_lab_results(
            s,
            actor=SUPERVISOR,
            clock=yard.clock,
            load_id=load_id,
            lab="仲裁实验室",
            report_number="ARB-7",
            method="ICP-OES",
            basis="oxide_dry",
            values={"treo_pct": "29.85"},
        )
    assert second.classification.grade == "B" and second.report.seq == 2
    with yard.store.session() as s:
        history = classification_svc.classifications_of(s, load_id=load_id)
        assert [(r.stage, r.grade) for r in history] == [("gate", None), ("lab", "A"), ("lab", "B")]
        assert [r.report_number for r in svc.lab_reports_of(s, load_id=load_id)] == ["R-2026-0042", "ARB-7"]


def test_lab_results_are_checked_and_need_the_right_state_and_role(yard: Yard) -> None:
    early = walk_to(yard, Step.TARE)
    with yard.store.session() as s, pytest.raises(ConflictError) as too_early:
        svc.enter_lab_results(
            s,
            actor=SUPERVISOR,
            clock=yard.clock,
            load_id=early,
            lab="L",
            report_number="1",
            method="m",
            basis="oxide_dry",
            values={"treo_pct": "20"},
        )
    assert too_early.value.code == "intake.lab_too_early"
    assert too_early.value.words("zh_CN").startswith("车次 T2026-000001 的状态为“已过磅（出）”；")
    load_id = walk_to(yard, Step.SUMMARY)
    with yard.store.session() as s, pytest.raises(svc.LabInvalidError) as info:
        svc.enter_lab_results(
            s,
            actor=SUPERVISOR,
            clock=yard.clock,
            load_id=load_id,
            lab=" ",
            report_number="1",
            method="m",
            basis="oxide_dry",
            values={"treo_pct": "120"},
        )
    assert {(e.field, e.code) for e in info.value.errors} == {
        ("lab", "required"),
        ("treo_pct", "percentage_over_100"),
    }
    assert (info.value.code, info.value.field) == ("intake.lab_invalid_many", "lab")
    assert info.value.words("en") == "The lab report cannot be stored (2 values to correct): Laboratory is " \
        "required. Correct the marked values and enter the report again."
    assert info.value.words("zh_CN") == "化验报告无法保存（有 2 个数值需要改正）：化验室为必填项。" \
        "请改正标出的数值后重新录入。"
    with yard.store.session() as s, pytest.raises(PermissionDeniedError):
        svc.enter_lab_results(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            load_id=load_id,
            lab="L",
            report_number="1",
            method="m",
            basis="oxide_dry",
            values={"treo_pct": "20"},
        )


def test_a_partial_lab_report_leaves_the_load_awaiting_the_lab(yard: Yard) -> None:
    load_id = walk_to(yard, Step.SUMMARY)
    with yard.store.session() as s:
        result = svc.enter_lab_results(
            s,
            actor=SUPERVISOR,
            clock=yard.clock,
            load_id=load_id,
            lab="L",
            report_number="P-1",
            method="XRF",
            basis="oxide_dry",
            values={"treo_pct": "31.0"},
        )
    assert result.classification.status == "provisional" and result.state == "awaiting_lab"
    assert result.classification.missing == ["prnd_pct_of_treo"]


def test_summary_shows_findings_and_masses(yard: Yard) -> None:
    load_id = walk_to(yard, Step.TARE, gate={**GATE_OK, "inclusions_pct": "3.0"})
    with yard.store.session() as s:
        summary = svc.summarize(s, load_id=load_id, clock=yard.clock)
    assert (summary.gross, summary.tare, summary.net, summary.unit) == (32480, 12460, 20020, "kg")
    assert summary.outcome.value == "ACCEPT" and summary.dry_mass is None
    assert [f.rule for f in summary.failed] == ["G6"]
    assert summary.seals is not None and summary.seals.yard == "Y-0001"
    assert summary.ruleset.id == "CN-RE2R"


def test_preview_checks_without_writing(yard: Yard) -> None:
    load_id = walk_to(yard, Step.GROSS)
    with yard.store.session() as s:
        check = svc.preview_step(
            s,
            load_id=load_id,
            step=Step.GATE,
            clock=yard.clock,
            values={**GATE_OK, "smoke_or_heat": True, "photos": ["cd" * 32]},
        )
        assert [a.finding.rule for a in check.alerts] == ["G7"]
        assert [e.code for e in check.errors] == [steps.UNKNOWN_PHOTO]
        assert svc.next_step_of(s, load_id) is Step.GATE
        assert s.exec(select(LoadPhoto)).all() == []


NOW_NS = 5_000_000_000


def captured_from_simulator(weight: int) -> CapturedWeight:
    """A reading the capture rule allows: simulated indicator frames (zero, motion, stable) into a monitor."""
    monitor = LiveMonitor(
        ScaleConfig(unit="kg", division=10, capacity=80000, scale_id="WB-1"), monotonic_ns=lambda: NOW_NS
    )
    sim = Simulator(get_profile("generic-st-gs"), scenario="settle", weight=weight)
    decoder = Decoder(sim.profile, division=10)
    for index, t in enumerate((0.2, 0.5, 1.5, 2.5, 3.2, 3.4, 3.6)):
        for frame in decoder.feed(sim.frame_bytes(t, index), NOW_NS):
            monitor.observe(frame)
    return monitor.capture()


def test_weights_from_the_indicator_and_the_stored_tare_go_through_the_weighing_service(yard: Yard) -> None:
    load_id = walk_to(yard, Step.ARRIVAL)
    captured = captured_from_simulator(32480)
    frame = {"frame_hex": captured.raw_hex, "scale_id": captured.scale_id}
    with pytest.raises(StepInvalidError) as missing:
        submit(yard, Step.GROSS, {"gross": "32480", "source": "indicator", **frame}, load_id)
    assert missing.value.errors[0].code == steps.CAPTURE_REQUIRED
    with pytest.raises(StepInvalidError) as differs:
        submit(
            yard, Step.GROSS, {"gross": "32400", "source": "indicator", **frame}, load_id, captured=captured
        )
    assert differs.value.errors[0].code == steps.DIFFERS_FROM_CAPTURE
    submit(yard, Step.GROSS, {"gross": "32480", "source": "indicator", **frame}, load_id, captured=captured)
    for step, values in [
        (Step.GATE, GATE_OK),
        (Step.IDENTIFICATION, {"answers": dict(IDENTIFY_PS)}),
        (Step.SAMPLING, SAMPLING_OK),
    ]:
        submit(yard, step, values, load_id)
    with yard.store.session() as s:
        weighing_svc.set_stored_tare(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            subject_kind="vehicle",
            subject_ref="赣B12345",
            weight=12460,
            unit="kg",
            reason="weighed empty last week",
            confirmed_by=SUPERVISOR,
            valid_days=30,
        )
    yard.clock.advance(days=31)
    with pytest.raises(StepInvalidError) as expired:
        submit(yard, Step.TARE, {"source": "stored"}, load_id)
    assert expired.value.errors[0].code == "stored_tare_expired"
    yard.clock.advance(days=-2)
    result = submit(yard, Step.TARE, {"source": "stored"}, load_id)
    assert result.state == "weighed_out"
    with yard.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None and (load.gross, load.tare, load.net) == (32480, 12460, 20020)
        weighings = weighing_svc.list_weighings(s, load_id=load_id)
        assert [(w.kind, w.source, w.raw_frame_hex is not None) for w in weighings] == [
            ("gross", "INDICATOR", True),
            ("tare", "MANUAL", False),
        ]


def test_a_manual_weight_needs_a_supervisor_who_is_someone_else(yard: Yard) -> None:
    load_id = walk_to(yard, Step.ARRIVAL)
    values = {"gross": "30000", "source": "manual", "manual_reason": "indicator offline"}
    with pytest.raises(UserError, match="second person"):
        submit(yard, Step.GROSS, values, load_id, confirmed_by=None)
    with yard.store.session() as s:
        assert svc.next_step_of(s, load_id) is Step.GROSS


def test_loads_opened_outside_the_form_resume_at_the_step_their_state_calls_for(yard: Yard) -> None:
    with yard.store.session() as s:
        load = yard_svc.register_arrival(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            plate="赣B99999",
            supplier_id=yard.supplier_id,
            declared_category="SMCO",
        )
        weighed = yard_svc.register_arrival(
            s,
            actor=INSPECTOR,
            clock=yard.clock,
            plate="赣B88888",
            supplier_id=yard.supplier_id,
            declared_category="SMCO",
        )
        yard_svc.set_load_state(s, weighed, LoadState.WEIGHED_IN, actor=INSPECTOR, clock=yard.clock)
        ids = (load.id, weighed.id)
    with yard.store.session() as s:
        assert [svc.next_step_of(s, i) for i in ids if i is not None] == [Step.GROSS, Step.GATE]
        trucks = {t.load_id: t.next_step for t in svc.trucks_on_site(s)}
    assert [trucks[i] for i in ids if i is not None] == ["gross", "gate"]
