"""The weighbridge settings screen shows settings changed elsewhere, unless its form holds edits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QMainWindow

from inspector.clock import FixedClock
from inspector.security.actor import SYSTEM
from inspector.services.weighing import ScaleSettings, save_scale_settings
from inspector.storage.db import Store
from ui.app import _scale_settings_screen
from ui.ops import Door, Ops
from ui.screens.scale_settings import ScaleSettingsWidget

WB1 = ScaleSettings(scale_id="WB-1", name="North bridge", port="/dev/ttyUSB0")


def _store_elsewhere(store: Store, clock: FixedClock, settings: ScaleSettings) -> None:
    """As the command line does: its own session."""
    with store.session() as s:
        save_scale_settings(s, actor=SYSTEM, clock=clock, settings=settings)


def _screen(qtbot: Any, store: Store, door: Door, ops: Ops) -> ScaleSettingsWidget:
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = _scale_settings_screen(store, door, SYSTEM, window)
    assert isinstance(widget, ScaleSettingsWidget)
    door.look_for_changes()  # takes the mark
    qtbot.waitUntil(lambda: ops.pending == 0)
    return widget


def test_settings_changed_on_the_command_line_show_without_a_refresh(qtbot: Any, store: Store, door: Door,
                                                                     ops: Ops, clock: FixedClock) -> None:
    _store_elsewhere(store, clock, WB1)
    widget = _screen(qtbot, store, door, ops)
    assert widget.name_edit.text() == "North bridge"
    _store_elsewhere(store, clock, replace(WB1, name="North bridge (new deck)", division=20))
    door.look_for_changes()
    qtbot.waitUntil(lambda: widget.name_edit.text() == "North bridge (new deck)")
    assert widget.division_spin.value() == 20


def test_a_form_being_edited_is_not_overwritten(qtbot: Any, store: Store, door: Door, ops: Ops,
                                                clock: FixedClock) -> None:
    _store_elsewhere(store, clock, WB1)
    widget = _screen(qtbot, store, door, ops)
    widget.name_edit.setText("South bridge")  # typed, not saved
    _store_elsewhere(store, clock, replace(WB1, port="/dev/ttyUSB1"))
    door.look_for_changes()
    qtbot.waitUntil(lambda: ops.pending == 0)
    assert widget.name_edit.text() == "South bridge" and widget.port_combo.currentText() == "/dev/ttyUSB0"
