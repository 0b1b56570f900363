"""A tare beyond the yard's tolerance: compared with the stored tare, else the plate's last weighed tare; the
finding shows at once and the step needs an answer, which is stored with the step."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select

from inspector.intake import steps as st
from inspector.intake.steps import LastTare, Step, StepContext, StepInvalidError, StoredTare
from inspector.services import intake as svc
from inspector.services import weighing as weighing_svc
from inspector.standard import RuleSet, default_ruleset
from inspector.standard.findings import Severity
from inspector.standard.wording import describe
from inspector.storage.models import AuditEvent
from inspector.storage.models.intake import IntakeStepRecord

from .conftest import INSPECTOR, SUPERVISOR, Yard, submit, walk_to

FRAME = {"frame_hex": "0102", "scale_id": "WB-1"}
STORED_AT = datetime(2026, 2, 20, 20, 0, tzinfo=UTC)  # 2026-02-21 at the yard (UTC+8)
LAST_AT = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return default_ruleset()


def ctx(rs: RuleSet, **kw: Any) -> StepContext:
    base: dict[str, Any] = {"gross": 32000, "tare_tolerance": 200, "now": datetime(2026, 3, 2, tzinfo=UTC)}
    return StepContext(rs, **{**base, **kw})


def stored(weight: int = 12000) -> StoredTare:
    return StoredTare(weight, datetime(2026, 9, 1, tzinfo=UTC), "kg", STORED_AT, 480)


def last(weight: int = 12000) -> LastTare:
    return LastTare(weight, "kg", LAST_AT, 480, "T2026-000007")


def tare(weight: str, **extra: Any) -> dict[str, Any]:
    return {"tare": weight, "source": "indicator", **FRAME, **extra}


def test_a_tare_beyond_the_tolerance_of_the_stored_tare_needs_an_answer(rs: RuleSet) -> None:
    check = st.check_step(Step.TARE, tare("12400"), ctx(rs, stored_tare=stored(), last_tare=last(12400)))
    [alert] = check.alerts
    finding = alert.finding
    assert (finding.rule, finding.severity, finding.passed, finding.message) == (
        st.TARE_DIFFERENCE_RULE, Severity.HOLD, False, "tare_differs_from_stored")
    assert (finding.measured, finding.limit, finding.clause) == ("12400", "200", "±200 kg")
    assert finding.params["difference"] == "+400 kg" and finding.params["reference"] == "12,000 kg"
    assert alert.step is Step.TARE and alert.actions == ()
    assert [(e.field, e.code) for e in check.errors] == [("tare_difference_reason", st.REQUIRED)]
    assert st.asks_tare_difference(check)
    # Worded by the core catalogue in either language, its date in the reader's way.
    assert describe(rs, finding, "zh") == (
        "皮重 12,400 kg 与该车辆存档皮重 12,000 kg（2026年02月21日 存档）相差 +400 kg，超过本场皮重允许偏差 "
        "200 kg。请先选择皮重差异原因再继续。")
    assert describe(rs, finding, "en").startswith(
        "The tare 12,400 kg differs by +400 kg from the vehicle's stored tare 12,000 kg "
        "(stored on 2026-02-21)")


def test_without_a_stored_tare_the_last_weighed_tare_of_the_plate_is_the_reference(rs: RuleSet) -> None:
    check = st.check_step(Step.TARE, tare("11700"), ctx(rs, last_tare=last()))
    [alert] = check.alerts
    assert alert.finding.message == "tare_differs_from_last"
    assert alert.finding.params["difference"] == "-300 kg"
    assert "车次 T2026-000007，2026年03月01日" in describe(rs, alert.finding, "zh")
    assert "on load T2026-000007 (2026-03-01)" in describe(rs, alert.finding, "en")


@pytest.mark.parametrize(("weight", "context"), [
    ("12200", {"stored_tare": stored()}),  # exactly the tolerance away: within it
    ("11800", {"last_tare": last()}),
    ("15000", {}),  # nothing to compare with
    ("15000", {"stored_tare": stored(), "tare_tolerance": None}),  # no tolerance known: not judged
    ("15000", {"last_tare": LastTare(12, "t", LAST_AT, 480, "T2026-000007")}),  # another unit
])
def test_no_finding_within_the_tolerance_or_without_a_reference(rs: RuleSet, weight: str,
                                                                 context: dict[str, Any]) -> None:
    check = st.check_step(Step.TARE, tare(weight, tare_difference_reason="other"), ctx(rs, **context))
    assert check.ok and check.alerts == () and not st.asks_tare_difference(check)
    # An answer to a question that is not asked is not kept, nor its missing note held against the step.
    assert "tare_difference_reason" not in check.values


def test_the_alert_shows_while_other_fields_are_still_empty_and_an_answer_clears_the_errors(rs: RuleSet
                                                                                          ) -> None:
    context = ctx(rs, stored_tare=stored())
    early = st.check_step(Step.TARE, {"tare": "13000"}, context)
    assert [a.finding.rule for a in early.alerts] == [st.TARE_DIFFERENCE_RULE]
    assert ("source", st.REQUIRED) in {(e.field, e.code) for e in early.errors}
    other = st.check_step(Step.TARE, tare("13000", tare_difference_reason="other"), context)
    assert [(e.field, e.code) for e in other.errors] == [("tare_difference_note", st.REQUIRED)]
    wrong = st.check_step(Step.TARE, tare("13000", tare_difference_reason="magic"), context)
    assert [(e.field, e.code) for e in wrong.errors] == [("tare_difference_reason", st.NOT_A_CHOICE)]
    answered = st.check_step(Step.TARE, tare("13000", tare_difference_reason="trailer_changed"), context)
    assert answered.ok and answered.values["tare_difference_reason"] == "trailer_changed"
    # Still a finding of the step, no longer asking for the reason.
    [alert] = answered.alerts
    assert alert.finding.message == "tare_differs_from_stored_explained"
    assert describe(rs, alert.finding, "zh").endswith("200 kg。所选差异原因随皮重称量一并记录。")
    noted = st.check_step(Step.TARE, tare("13000", tare_difference_reason="other",
                                          tare_difference_note=" 换了  篷布 "), context)
    assert noted.ok and noted.values["tare_difference_note"] == "换了 篷布"


def test_the_stored_tare_used_as_the_tare_raises_nothing(rs: RuleSet) -> None:
    context = ctx(rs, stored_tare=stored(), last_tare=last(9000))
    check = st.check_step(Step.TARE, {"source": "stored"}, context)
    assert check.ok and check.alerts == ()


def test_the_answer_fields_are_on_the_tare_step(rs: RuleSet) -> None:
    specs = {s.key: s for s in st.fields_for(Step.TARE, rs, None, {"tare_difference_reason": "other"})}
    assert specs["tare_difference_reason"].choices == st.TARE_DIFFERENCE_REASONS
    assert not specs["tare_difference_reason"].required and specs["tare_difference_note"].required


# -- through the intake service --------------------------------------------------------------------------


def _weigh_out(y: Yard, load_id: int, weight: str, **extra: Any) -> svc.StepResult:
    values = {"tare": weight, "source": "manual", "manual_reason": "indicator offline", **extra}
    return submit(y, Step.TARE, values, load_id)


def test_the_last_tare_of_the_plate_is_in_the_step_context_and_the_answer_is_stored(yard: Yard) -> None:
    first = walk_to(yard, Step.TARE)  # tare 12460 kg, typed by hand and confirmed
    second = walk_to(yard, Step.SAMPLING)
    with yard.store.session() as s:
        context = svc.step_context(s, load_id=second, clock=yard.clock)
    assert context.last_tare is not None and context.tare_tolerance == weighing_svc.DEFAULT_TARE_TOLERANCE
    assert (context.last_tare.weight, context.last_tare.ticket_no) == (12460, "T2026-000001")
    assert context.stored_tare is None
    with yard.store.session() as s:
        assert svc.step_context(s, load_id=first, clock=yard.clock).last_tare is None  # its own is left out
    with pytest.raises(StepInvalidError) as refused:
        _weigh_out(yard, second, "12800")
    assert [(e.field, e.code) for e in refused.value.errors] == [("tare_difference_reason", st.REQUIRED)]
    result = _weigh_out(yard, second, "12800", tare_difference_reason="fuel_and_items")
    assert [a.finding.message for a in result.alerts] == ["tare_differs_from_last_explained"]
    with yard.store.session() as s:
        record = s.exec(select(IntakeStepRecord).where(IntakeStepRecord.load_id == second,
                                                       IntakeStepRecord.step == "tare")).one()
        assert record.values["tare_difference_reason"] == "fuel_and_items"
        assert record.alerts[0]["rule"] == st.TARE_DIFFERENCE_RULE
        assert record.alerts[0]["params"]["ticket"] == "T2026-000001"
        event = s.exec(select(AuditEvent).where(AuditEvent.entity == "intake_step",
                                                AuditEvent.entity_id == str(record.id))).one()
        assert event.new is not None and event.new["values"]["tare_difference_reason"] == "fuel_and_items"


def test_the_stored_tare_comes_first_and_the_yard_sets_the_tolerance(yard: Yard) -> None:
    walk_to(yard, Step.TARE)  # last weighed tare 12460 kg
    load_id = walk_to(yard, Step.SAMPLING)
    with yard.store.session() as s:
        weighing_svc.set_stored_tare(s, actor=INSPECTOR, clock=yard.clock, subject_kind="vehicle",
                                     subject_ref="赣B12345", weight=13000, unit="kg",
                                     reason="weighed at the depot", confirmed_by=SUPERVISOR)
    with yard.store.session() as s:
        settings = weighing_svc.first_scale_settings(s)
        assert settings is not None
        weighing_svc.save_scale_settings(s, actor=SUPERVISOR, clock=yard.clock,
                                         settings=dataclasses.replace(settings, tare_tolerance=600))
    with yard.store.session() as s:
        context = svc.step_context(s, load_id=load_id, clock=yard.clock)
    assert context.tare_tolerance == 600 and context.stored_tare is not None
    # 12460 is 540 kg from the stored 13000: within 600; the last weighed tare (equal to it) is not asked.
    assert _weigh_out(yard, load_id, "12460").alerts == ()
