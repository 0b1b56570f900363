"""The intake screens' read models: the step a load opens at, the lab's load and its stored report, the
supplier search and a known vehicle's stored tare; all frozen values, no rows of the tables."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from inspector.clock import FixedClock
from inspector.errors import UserError
from inspector.intake import drafts
from inspector.intake.steps import Step
from inspector.queries.intake import (
    load_for_lab,
    step_to_open,
    stored_lab_report,
    supplier_choices,
    vehicle_tare,
)
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import intake as intake_svc
from inspector.services import weighing as weighing_svc
from inspector.services import yard as yard_svc
from inspector.standard.findings import Finding, Outcome, Severity
from inspector.storage.db import Store

INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("wang.fang", "Wang Fang", frozenset({Role.SUPERVISOR}))
USCC = "91350100M000100Y43"
TO_THE_SUMMARY: list[tuple[Step, dict[str, Any]]] = [
    (Step.GROSS, {"gross": "20000", "source": "manual", "manual_reason": "indicator broken"}),
    (Step.GATE, {"dose_background_usv_h": "0.1", "dose_gross_usv_h": "0.1", "portal_alarm": False,
                 "prohibited_items_found": False, "inclusions_pct": "0.5", "smoke_or_heat": False}),
    (Step.IDENTIFICATION, {"answers": {"kind": "magnet", "magnet_type": "smco"}}),
    (Step.SAMPLING, {"plan": "SP-DEFAULT", "increments": "10", "composite": True, "seal_yard": "Y-1001",
                     "seal_supplier": "S-1001", "seal_arbitration": "A-1001"}),
    (Step.TARE, {"tare": "8000", "source": "manual", "manual_reason": "indicator broken"}),
]


@pytest.fixture
def yard(store: Store, clock: FixedClock) -> Store:
    with store.session() as s:
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司",
                             hw_permit_codes=["HW49"])
        yard_svc.add_supplier(s, actor=INSPECTOR, clock=clock, name="赣州稀金磁材有限公司", uscc=USCC)
        yard_svc.add_scale(s, actor=SYSTEM, clock=clock, scale_id="WB-1", profile="generic-st-gs",
                           division=10, capacity=80000)
    return store


def arrive(store: Store, clock: FixedClock, steps: list[tuple[Step, dict[str, Any]]]) -> int:
    with store.session() as s:
        values = {"plate": "赣B12345", "supplier_id": "1", "declared_category": "SMCO",
                  "origin": "production"}
        load_id = intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=Step.ARRIVAL,
                                         values=values).load_id
    for step, values in steps:
        with store.session() as s:
            intake_svc.submit_step(s, actor=INSPECTOR, clock=clock, step=step, values=values, load_id=load_id,
                                   confirmed_by=SUPERVISOR)
    return load_id


def test_a_new_arrival_opens_at_the_arrival_with_its_draft(yard: Store, clock: FixedClock) -> None:
    key = drafts.new_arrival_key()
    with yard.session() as s:
        drafts.save_draft(s, clock=clock, key=key, step=Step.ARRIVAL, values={"plate": "赣B 1"}, load_id=None,
                          user_id="li.wei")
    with yard.session() as s:
        opened = step_to_open(s, load_id=None, draft_key=key, clock=clock)
    assert (opened.load_id, opened.step, opened.summary) == (None, Step.ARRIVAL, None)
    assert opened.draft is not None and opened.draft.values["plate"] == "赣B 1"
    assert opened.context.ruleset is not None


def test_a_load_opens_at_the_step_it_waits_for_and_the_summary_carries_its_seals(yard: Store,
                                                                                 clock: FixedClock) -> None:
    load_id = arrive(yard, clock, TO_THE_SUMMARY[:1])
    with yard.session() as s:
        opened = step_to_open(s, load_id=load_id, draft_key=drafts.load_draft_key(load_id), clock=clock)
    assert (opened.ticket_no, opened.plate, opened.step, opened.summary) == ("T2026-000001", "赣B12345",
                                                                            Step.GATE, None)
    assert opened.context.gross == 20000

    load_id = arrive(yard, clock, TO_THE_SUMMARY)
    with yard.session() as s:
        opened = step_to_open(s, load_id=load_id, draft_key=drafts.load_draft_key(load_id), clock=clock)
    summary = opened.summary
    assert opened.step is Step.SUMMARY and summary is not None
    assert summary.seals is not None and dataclasses.astuple(summary.seals) == ("Y-1001", "S-1001", "A-1001")
    assert (summary.category, summary.net, summary.unit, summary.manual_weight) == ("SMCO", 12000, "kg", True)
    assert summary.outcome is Outcome.ACCEPT
    assert all(isinstance(f, Finding) for f in summary.findings)


def test_opening_a_load_that_is_gone_is_said_in_words(yard: Store, clock: FixedClock) -> None:
    with yard.session() as s, pytest.raises(UserError, match="no load") as err:
        step_to_open(s, load_id=99, draft_key=drafts.load_draft_key(99), clock=clock)
    assert (err.value.code, err.value.words("zh_CN")) == ("intake.load_not_found", "没有编号为 99 的车次。")


def test_the_lab_finds_a_load_by_its_ticket_as_scanned(yard: Store, clock: FixedClock) -> None:
    load_id = arrive(yard, clock, TO_THE_SUMMARY)
    with yard.session() as s:
        found = load_for_lab(s, ticket=" t2026-000001 ")
    assert (found.load_id, found.ticket_no, found.category, found.state) == (load_id, "T2026-000001", "SMCO",
                                                                              "weighed_out")
    assert {f.key for f in found.fields} >= {"sm_pct", "co_pct"}
    with yard.session() as s, pytest.raises(UserError, match="no load with the ticket T2099-000001") as err:
        load_for_lab(s, ticket="T2099-000001")
    assert (err.value.code, err.value.field) == ("intake.ticket_not_found", "ticket")
    assert err.value.words("zh_CN") == "没有磅单号为 T2099-000001 的车次。请核对磅单或样品标签上的编号。"


def test_a_stored_lab_report_is_handed_back_as_frozen_values(yard: Store, clock: FixedClock) -> None:
    load_id = arrive(yard, clock, [*TO_THE_SUMMARY, (Step.SUMMARY, {"confirmed": True})])
    with yard.session() as s:
        stored = stored_lab_report(intake_svc.enter_lab_results(
            s, actor=SUPERVISOR, clock=clock, load_id=load_id, lab="赣州稀土检测中心", report_number="R-1",
            method="ICP-OES", basis="oxide_dry", values={"sm_pct": "31.2", "co_pct": "48"}))
    assert (stored.load_id, stored.report_number) == (load_id, "R-1")
    assert (stored.state, stored.status) == ("classified", "final")
    assert stored.outcome == "ACCEPT" and stored.grade == "A" and stored.classification_seq >= 2
    assert stored.findings and all(isinstance(f, Finding) for f in stored.findings)
    assert all(isinstance(f.severity, Severity) for f in stored.findings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        stored.state = "rejected"  # type: ignore[misc]


def test_the_supplier_search_and_a_known_vehicles_tare(yard: Store, clock: FixedClock) -> None:
    with yard.session() as s:
        found = supplier_choices(s, text="稀金")
        assert [(c.name, c.uscc) for c in found] == [("赣州稀金磁材有限公司", USCC)]
        assert supplier_choices(s, text="nothing") == []
        assert vehicle_tare(s, plate="赣B12345") is None
    with yard.session() as s:
        weighing_svc.set_stored_tare(s, actor=INSPECTOR, clock=clock, subject_kind="vehicle",
                                     subject_ref="赣B12345", weight=12460, unit="kg", reason="weighed empty",
                                     confirmed_by=SUPERVISOR, valid_days=30)
    with yard.session() as s:
        tare = vehicle_tare(s, plate="赣b12345")
    assert tare is not None and tare.weight == 12460
    assert tare.expires_at is not None and tare.expires_at.date().isoformat() == "2026-04-01"
