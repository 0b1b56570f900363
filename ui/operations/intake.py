"""Operations of the intake screens: the wizard's drafts, steps and photos, and the lab's reports, and the
reads the wizard starts from (the step to open, a plate at the gate, the supplier search).

Each write runs the intake service through the door and announces ``Change.LOADS``, so the trucks on site,
the register and the lab screen read again whoever made the change. Each read runs its read model
(``inspector.queries.intake``) on the door's worker and hands its frozen values back on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from inspector.changes import Change
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import InspectorError
from inspector.intake import drafts
from inspector.intake.camera import Camera, fetch_snapshot
from inspector.intake.steps import Step
from inspector.queries.intake import (
    ArrivingVehicle,
    OpenedStep,
    StoredLabReport,
    SupplierChoice,
    arriving_vehicle,
    step_to_correct,
    step_to_open,
    stored_lab_report,
    supplier_choices,
)
from inspector.security.actor import Actor
from inspector.services import intake as intake_svc
from inspector.weighing.capture import CapturedWeight
from ui.ops import Door

if TYPE_CHECKING:
    from sqlmodel import Session

OnError = Callable[[InspectorError], None] | None


# ---- reads ----------------------------------------------------------------------------------------------


def open_step(door: Door, *, owner: QObject | None, load_id: int | None, draft_key: str, clock: Clock,
              draft: drafts.Draft | None, on_done: Callable[[OpenedStep], None],
              on_error: OnError = None) -> int:
    """The step a load waits for (``load_id`` None: a new truck's arrival, with the plates seen lately),
    its context and its draft."""
    data_dir = door.data_dir
    return door.read(lambda s: step_to_open(s, load_id=load_id, draft_key=draft_key, clock=clock,
                                            data_dir=data_dir, draft=draft), on_done, on_error, owner=owner)


def open_correction(door: Door, *, owner: QObject | None, load_id: int, step: Step, clock: Clock,
                    on_done: Callable[[OpenedStep], None], on_error: OnError = None) -> int:
    """An earlier step of an open load with the values of its latest record, to correct it."""
    data_dir = door.data_dir
    return door.read(lambda s: step_to_correct(s, load_id=load_id, step=step, clock=clock, data_dir=data_dir),
                     on_done, on_error, owner=owner)


def read_arriving_vehicle(door: Door, *, owner: QObject | None, plate: str,
                          on_done: Callable[[ArrivingVehicle], None], on_error: OnError = None) -> int:
    """What the yard knows of a plate at the gate: its stored tare and its previous load."""
    return door.read(lambda s: arriving_vehicle(s, plate=plate), on_done, on_error, owner=owner)


def search_suppliers(door: Door, *, owner: QObject | None, text: str,
                     on_done: Callable[[list[SupplierChoice]], None], on_error: OnError = None) -> int:
    """The suppliers whose name or unified social credit code contains ``text``."""
    return door.read(lambda s: supplier_choices(s, text=text), on_done, on_error, owner=owner)


# ---- writes ---------------------------------------------------------------------------------------------


def save_draft(door: Door, *, owner: QObject | None, clock: Clock, key: str, step: Step,
               values: Mapping[str, Any], load_id: int | None, user_id: str,
               on_done: Callable[[str], None] | None = None, on_error: OnError = None) -> int:
    """Keep what is typed on a step's form, so a crash or another station finds it; done with the key."""
    def save(session: Session) -> str:
        drafts.save_draft(session, clock=clock, key=key, step=step, values=values, load_id=load_id,
                          user_id=user_id)
        return key

    return door.write(save, on_done, on_error, changes=[Change.LOADS], owner=owner)


@dataclass(frozen=True)
class SubmittedStep:
    """A stored step and the step the load waits for next (None once the intake steps are done)."""

    result: intake_svc.StepResult
    opened: OpenedStep | None


def submit_step(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, step: Step,
                values: Mapping[str, Any], load_id: int | None, draft_key: str, data_dir: DataDir,
                captured: CapturedWeight | None = None, confirmed_by: Actor | None = None,
                on_done: Callable[[SubmittedStep], None] | None = None,
                on_error: OnError = None) -> int:
    """Store a step of the load's intake (a new load for the arrival), remove its draft, and read the step
    that follows in the same job: the next page shows without waiting behind the reads that the change
    starts elsewhere (the trucks on site, the register)."""
    def submit(session: Session) -> SubmittedStep:
        result = intake_svc.submit_step(session, actor=actor, clock=clock, step=step, values=values,
                                        load_id=load_id, draft_key=draft_key, data_dir=data_dir,
                                        captured=captured, confirmed_by=confirmed_by)
        opened = None
        if result.next_step is not None:
            opened = step_to_open(session, load_id=result.load_id, clock=clock, data_dir=data_dir,
                                  draft_key=drafts.load_draft_key(result.load_id))
        return SubmittedStep(result, opened)

    return door.write(submit, on_done, on_error, changes=[Change.LOADS], owner=owner)


def add_photo(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, data_dir: DataDir,
              load_id: int, step: Step, source: Path, on_done: Callable[[str], None] | None = None,
              on_error: OnError = None) -> int:
    """Copy a photo file into the data directory and record it on the load; done with its SHA-256."""
    return door.write(
        lambda s: intake_svc.add_photo(s, actor=actor, clock=clock, data_dir=data_dir, load_id=load_id,
                                       step=step, source=source).sha256,
        on_done, on_error, changes=[Change.LOADS], owner=owner)


def add_camera_photo(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, data_dir: DataDir,
                     load_id: int, step: Step, camera: Camera, on_done: Callable[[str], None] | None = None,
                     on_error: OnError = None) -> int:
    """Take a snapshot from the camera and record it on the load; done with its SHA-256."""
    # The snapshot is fetched (over the network, up to its timeout) before the service touches the
    # session: the session starts its transaction at the first statement, so none is held while waiting.
    return door.write(
        lambda s: intake_svc.add_snapshot(s, actor=actor, clock=clock, data_dir=data_dir, load_id=load_id,
                                          step=step, camera_name=camera.name,
                                          image=fetch_snapshot(camera)).sha256,
        on_done, on_error, changes=[Change.LOADS], owner=owner)


def enter_lab_results(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, load_id: int,
                      lab: str, report_number: str, method: str, basis: str, values: Mapping[str, Any],
                      data_dir: DataDir | None,
                      on_done: Callable[[StoredLabReport], None] | None = None,
                      on_error: OnError = None) -> int:
    """Store a lab report on the load and classify it at the lab stage."""
    return door.write(
        lambda s: stored_lab_report(intake_svc.enter_lab_results(
            s, actor=actor, clock=clock, load_id=load_id, lab=lab, report_number=report_number, method=method,
            basis=basis, values=values, data_dir=data_dir)),
        on_done, on_error, changes=[Change.LOADS], owner=owner)
