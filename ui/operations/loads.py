"""Operations of the load details and the correction dialogs: read a load's details and what its dialogs
offer, amend a field of a load, cancel a load, submit an earlier intake step again.

Changes go through ``inspector.services.corrections`` on the door and announce ``Change.LOADS``, with
``Change.LOTS`` as well when an amended load is in a lot (the amendment may reopen the lot).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.intake.steps import Step
from inspector.queries import loads as queries
from inspector.queries.intake import SupplierChoice, supplier_choices
from inspector.security.actor import Actor
from inspector.services import corrections
from inspector.weighing.capture import CapturedWeight
from ui.ops import Door

OnError = Callable[[InspectorError], None] | None


def _changes(in_lots: bool) -> tuple[Change, ...]:
    return (Change.LOADS, Change.LOTS) if in_lots else (Change.LOADS,)


def read_details(door: Door, *, owner: QObject | None, load_id: int,
                 on_done: Callable[[queries.LoadDetails], None], on_error: OnError = None) -> int:
    """Everything stored about the load, with its corrections and cancellation."""
    data_dir = door.data_dir
    return door.read(lambda s: queries.load_details(s, load_id=load_id, data_dir=data_dir), on_done, on_error,
                     owner=owner)


def read_amend_form(door: Door, *, owner: QObject | None, load_id: int,
                    on_done: Callable[[queries.AmendForm], None], on_error: OnError = None) -> int:
    """The fields the correction dialog offers for the load, with their current values."""
    data_dir = door.data_dir
    return door.read(lambda s: queries.amend_form(s, load_id=load_id, data_dir=data_dir), on_done, on_error,
                     owner=owner)


def read_cancel_form(door: Door, *, owner: QObject | None, load_id: int,
                     on_done: Callable[[queries.CancelForm], None], on_error: OnError = None) -> int:
    return door.read(lambda s: queries.cancel_form(s, load_id=load_id), on_done, on_error, owner=owner)


def find_suppliers(door: Door, *, owner: QObject | None, text: str,
                   on_done: Callable[[Sequence[SupplierChoice]], None], on_error: OnError = None) -> int:
    """The suppliers whose name or code contains ``text`` (the correction of a load's supplier)."""
    return door.read(lambda s: supplier_choices(s, text=text), on_done, on_error, owner=owner)


def amend_load(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, load_id: int, field: str,
               value: object, reason: str, confirmed_by: Actor | None, in_lots: bool,
               on_done: Callable[[corrections.AmendResult], None] | None = None,
               on_error: OnError = None) -> int:
    """Change one field of the load with a reason (``confirmed_by``: the supervisor, when one confirms)."""
    data_dir = door.data_dir
    return door.write(
        lambda s: corrections.amend_load(s, actor=actor, clock=clock, load_id=load_id, changes={field: value},
                                         reason=reason, confirmed_by=confirmed_by, data_dir=data_dir),
        on_done, on_error, changes=_changes(in_lots), owner=owner)


def cancel_load(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, load_id: int,
                reason_kind: str, reason: str, confirmed_by: Actor | None,
                on_done: Callable[[corrections.CancelResult], None] | None = None,
                on_error: OnError = None) -> int:
    """Cancel the load (turned away, a duplicate, entered by mistake) with a reason."""
    # A load in a lot is not cancelled (the service refuses it): no lot changes.
    return door.write(
        lambda s: corrections.cancel_load(s, actor=actor, clock=clock, load_id=load_id,
                                          reason_kind=reason_kind, reason=reason, confirmed_by=confirmed_by),
        on_done, on_error, changes=_changes(False), owner=owner)


def reopen_step(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, load_id: int, step: Step,
                values: Mapping[str, Any], reason: str, confirmed_by: Actor | None,
                captured: CapturedWeight | None,
                on_done: Callable[[corrections.ReopenResult], None] | None = None,
                on_error: OnError = None) -> int:
    """Submit an earlier step of an open load again with a reason (a lot holding it may reopen)."""
    data_dir = door.data_dir
    return door.write(
        lambda s: corrections.reopen_step(s, actor=actor, clock=clock, load_id=load_id, step=step,
                                          values=values, reason=reason, confirmed_by=confirmed_by,
                                          captured=captured, data_dir=data_dir),
        on_done, on_error, changes=_changes(True), owner=owner)
