"""``yard-inspector screenshots``: PNG files of every main screen, in both languages, made offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from ui.screenshots import SCREENSHOT_LANGUAGES, WINDOW_SIZE


def test_screenshots_of_every_screen_in_both_languages(tmp_path: Path, run_app_process: Any) -> None:
    out = tmp_path / "shots"
    done = run_app_process("screenshots", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    expected = {f"{name}-{lang}.png" for lang in SCREENSHOT_LANGUAGES
                for name in ("register", "load-details", "register-high-contrast")}
    assert {p.name for p in out.iterdir()} == expected
    assert {Path(line).name for line in done.stdout.split()} == expected
    for lang in SCREENSHOT_LANGUAGES:
        image = QImage(str(out / f"register-{lang}.png"))
        assert (image.width(), image.height()) == WINDOW_SIZE
        # A real picture, not a blank canvas: many distinct colours (text, grid, selection).
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20


def test_screenshots_in_one_language(tmp_path: Path, run_app_process: Any) -> None:
    done = run_app_process("screenshots", str(tmp_path), "--lang", "zh_CN")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "load-details-zh_CN.png", "register-high-contrast-zh_CN.png", "register-zh_CN.png"]


def test_an_unknown_language_is_refused_by_the_command_line(tmp_path: Path, run_app_process: Any) -> None:
    done = run_app_process("screenshots", str(tmp_path), "--lang", "fr")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
    assert list(tmp_path.iterdir()) == []
