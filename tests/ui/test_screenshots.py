"""``yard-inspector screenshots``: PNG files of every main screen and every intake step, made offscreen.

One language only (the command draws both the same way; each language takes a few seconds): Chinese, the one
that needs the bundled font and the catalogs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage

from inspector.intake.steps import Step
from inspector.storage.db import Store
from ui import app as ui_app
from ui.screens.intake.wizard import ALERT_STYLE
from ui.screenshots import SCREENSHOT_ACTOR, WINDOW_SIZE, intake_file_names
from ui.widgets.live_weight import _STATE_STYLE

LANG = "zh_CN"
HOLD_AMBER = QColor(ALERT_STYLE["HOLD"].split("background:")[1].split(";")[0].strip()).rgb()
STABLE_GREEN = QColor(_STATE_STYLE["stable"].split("background-color:")[1].split(";")[0].strip()).rgb()

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def screen_keys(qtbot: Any, store: Store, ops: Any) -> list[str]:
    """The screens the main window has for the screenshot actor, asked of the window itself, so a screen
    added to ``build_main_window`` is expected without changing this test."""
    window = ui_app.build_main_window(store, SCREENSHOT_ACTOR, None, ops)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=15_000)
    return window.screen_keys()


def colours(image: QImage, step: int = 5) -> set[int]:
    return {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}


def test_every_screen_and_every_intake_step_is_drawn(
    qtbot: Any, store: Store, ops: Any, tmp_path: Path, run_app_process: Any
) -> None:
    keys = screen_keys(qtbot, store, ops)
    # The screens every role brings; more are welcome (they come from the window).
    every_role = {"trucks", "intake", "register", "lab", "audit", "scale", "holds", "users", "password"}
    assert every_role <= set(keys)

    out = tmp_path / "shots"
    done = run_app_process("screenshots", str(out), "--lang", LANG)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr

    window_shots = {f"{key}-{LANG}.png" for key in keys} | {f"register-high-contrast-{LANG}.png"} \
        | set(intake_file_names(LANG))
    expected = window_shots | {f"login-{LANG}.png", f"load-details-{LANG}.png"}
    assert {p.name for p in out.iterdir()} == expected
    assert sorted(Path(line).name for line in done.stdout.split()) == sorted(expected)
    steps = ("arrival", "gross", "gate", "identification", "sampling", "tare", "summary")
    assert intake_file_names(LANG)[: len(Step)] == [
        f"intake-{n}-{step}-{LANG}.png" for n, step in enumerate(steps, start=1)]

    for name in window_shots:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == WINDOW_SIZE, name
        # A real picture, not a blank canvas: text, fields, the navigation.
        assert len(colours(image, 7)) > 20, name
    for name in (f"login-{LANG}.png", f"load-details-{LANG}.png"):
        assert len(colours(QImage(str(out / name)), 3)) > 20, name

    # The HOLD finding shows in its amber banner at the gate; the clean walk's gate has none.
    assert HOLD_AMBER in colours(QImage(str(out / f"intake-gate-hold-{LANG}.png")))
    assert HOLD_AMBER not in colours(QImage(str(out / f"intake-3-gate-{LANG}.png")))
    # The weighing steps show the live weight as stable: the simulated indicator frames arrived.
    for name in (f"intake-2-gross-{LANG}.png", f"intake-6-tare-{LANG}.png"):
        assert STABLE_GREEN in colours(QImage(str(out / name))), name


def test_an_unknown_language_is_refused_by_the_command_line(tmp_path: Path, run_app_process: Any) -> None:
    done = run_app_process("screenshots", str(tmp_path), "--lang", "fr")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
    assert list(tmp_path.iterdir()) == []
