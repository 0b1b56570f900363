"""The trucks on site: what the scale needs next first, how long each truck has waited since its last step,
and no cancelled load among them."""

from __future__ import annotations

from inspector.intake.steps import Step
from inspector.services import intake as svc
from inspector.services import yard as yard_svc
from inspector.states import LoadState
from inspector.storage.models.core import Load

from .conftest import GATE_OK, IDENTIFY_PS, INSPECTOR, SAMPLING_OK, SUPERVISOR, Yard, submit, walk_to


def test_each_truck_waits_since_its_last_step(yard: Yard) -> None:
    arrived_at = yard.clock.now().utc
    waiting = walk_to(yard, Step.ARRIVAL)
    yard.clock.advance(minutes=5)
    weighed = walk_to(yard, Step.ARRIVAL)
    yard.clock.advance(minutes=7)
    weighed_at = yard.clock.now().utc
    walk_to(yard, Step.ARRIVAL)  # the third truck
    with yard.store.session() as s:
        svc.submit_step(s, actor=INSPECTOR, clock=yard.clock, step=Step.GROSS, load_id=weighed,
                        values={"gross": "32480", "source": "manual", "manual_reason": "indicator offline"},
                        confirmed_by=SUPERVISOR)
    with yard.store.session() as s:
        trucks = {t.load_id: t for t in svc.trucks_on_site(s)}
    assert trucks[waiting].waiting_from == arrived_at  # no step yet: since its arrival
    assert trucks[weighed].waiting_from == weighed_at  # since its gross weighing
    assert trucks[weighed].waiting_offset == 480 and trucks[weighed].next_step == "gate"


def test_the_scale_queue_comes_first_the_longest_waiting_first_within(yard: Yard) -> None:
    at_gate = walk_to(yard, Step.GROSS)  # waits for the gate
    earlier = walk_to(yard, Step.ARRIVAL)  # arrives first ...
    yard.clock.advance(minutes=1)
    later = walk_to(yard, Step.ARRIVAL)  # ... this one a minute after, and waits for the gross weighing
    yard.clock.advance(minutes=1)
    for step, values in ((Step.GROSS, {"gross": "32480", "source": "manual", "manual_reason": "offline"}),
                         (Step.GATE, GATE_OK), (Step.IDENTIFICATION, {"answers": dict(IDENTIFY_PS)}),
                         (Step.SAMPLING, SAMPLING_OK)):
        submit(yard, step, values, earlier)  # ... but is sampled now and waits for the tare since
    yard.clock.advance(minutes=1)
    with yard.store.session() as s:
        order = [(t.load_id, t.next_step) for t in svc.trucks_on_site(s)]
    assert order == [(later, "gross"), (earlier, "tare"), (at_gate, "gate")]


def test_cancelled_and_closed_loads_are_not_on_site(yard: Yard) -> None:
    kept = walk_to(yard, Step.GROSS)
    cancelled = walk_to(yard, Step.ARRIVAL)
    with yard.store.session() as s:
        load = s.get(Load, cancelled)
        assert load is not None
        yard_svc.set_load_state(s, load, LoadState.CANCELLED, actor=INSPECTOR, clock=yard.clock,
                                reason="entered by mistake")
    with yard.store.session() as s:
        assert [t.load_id for t in svc.trucks_on_site(s)] == [kept]
