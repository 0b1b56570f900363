"""``yard-inspector screenshots``: PNG files of every main screen and every intake step, made offscreen.

One language only (the command draws both the same way; each language takes a few seconds): Chinese, the one
that needs the bundled font and the catalogs.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage

from inspector import messages
from inspector.intake.steps import Step
from inspector.standard import default_ruleset
from inspector.storage.db import Store
from ui import app as ui_app
from ui import i18n
from ui.screens.intake.editors import ALERT_STYLE
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
    done = run_app_process("screenshots", str(out), "--lang", LANG, "--texts")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr

    window_shots = {f"{key}-{LANG}.png" for key in keys} | {f"register-high-contrast-{LANG}.png"} \
        | set(intake_file_names(LANG))
    dialogs = {f"login-{LANG}.png", f"load-details-{LANG}.png", f"ticket-{LANG}.png"}
    expected = window_shots | dialogs
    files = expected | {f"texts-{LANG}.json"}
    assert {p.name for p in out.iterdir()} == files
    assert sorted(Path(line).name for line in done.stdout.split()) == sorted(files)
    steps = ("arrival", "gross", "gate", "identification", "sampling", "tare", "summary")
    assert intake_file_names(LANG)[: len(Step)] == [
        f"intake-{n}-{step}-{LANG}.png" for n, step in enumerate(steps, start=1)]

    for name in window_shots:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == WINDOW_SIZE, name
        # A real picture, not a blank canvas: text, fields, the navigation.
        assert len(colours(image, 7)) > 20, name
    for name in dialogs:
        assert len(colours(QImage(str(out / name)), 3)) > 20, name

    # The HOLD finding shows in its amber banner at the gate; the clean walk's gate has none.
    assert HOLD_AMBER in colours(QImage(str(out / f"intake-gate-hold-{LANG}.png")))
    assert HOLD_AMBER not in colours(QImage(str(out / f"intake-3-gate-{LANG}.png")))
    # The weighing steps show the live weight as stable: the simulated indicator frames arrived.
    for name in (f"intake-2-gross-{LANG}.png", f"intake-6-tare-{LANG}.png"):
        assert STABLE_GREEN in colours(QImage(str(out / name))), name

    # Every text on every picture is Chinese where Chinese words exist for it.
    shown = json.loads((out / f"texts-{LANG}.json").read_text(encoding="utf-8"))
    texts, names = shown["pictures"], set(shown["account_ids"])
    assert set(texts) == expected and "zhang.min" in names
    assert sum(len(t) for t in texts.values()) > 500
    english = english_with_chinese_words()
    untranslated = sorted({(picture, segment) for picture, shown in texts.items() for text in shown
                           for segment in untranslated_segments(text, english) if segment not in names})
    assert untranslated == []


CJK = re.compile("[\u3400-\u9fff]")
LATIN_WORD = re.compile("[A-Za-z]{2}")


def _template(text: str, placeholder: str) -> re.Pattern[str]:
    """A catalogue text as a pattern: its placeholders match anything."""
    parts = re.split(placeholder, text)
    return re.compile(r".+?".join(re.escape(" ".join(p.split())) for p in parts), re.S)


def english_with_chinese_words() -> tuple[list[re.Pattern[str]], set[str]]:
    """By rule, what must not be shown in English to a Chinese reader: every text of the window's catalogue
    and of the core's catalogues whose Chinese differs from its English (a name such as "Yard Inspector" is
    the same in both), and every stored code that has words (a role, an audit action, a category)."""
    patterns: list[re.Pattern[str]] = []
    codes: set[str] = set()
    for message in ET.parse(i18n.ts_path(LANG)).getroot().iter("message"):
        source = (message.findtext("source") or "").replace("&", "")
        translation = "".join(message.find("translation").itertext())  # type: ignore[union-attr]
        if LATIN_WORD.search(source) and source.strip() != translation.strip():
            patterns.append(_template(source, r"%\d|%n"))
    english, chinese = messages.catalogue("en"), messages.catalogue(LANG)
    for key, words in english.items():
        if LATIN_WORD.search(words) and words.strip() != chinese[key].strip():
            patterns.append(_template(words, r"\{\w+\}"))
            if key.startswith("words."):
                codes.add(key.split(".", 2)[2])
    codes |= {c.code for c in default_ruleset().definition.categories}
    return patterns, codes


def untranslated_segments(text: str, english: tuple[list[re.Pattern[str]], set[str]]) -> list[str]:
    """The parts of a shown text (split at line breaks, colons and separators) that are Latin-only and are
    English words of a catalogue, or a code that has words. Numbers, units, ticket and lot numbers, names,
    plates and other codes without words are not in any catalogue, so they pass by rule."""
    patterns, codes = english
    found = []
    for segment in re.split(r"[\n：:·|/]\s*|\s{2,}", text):
        segment = segment.strip(" ()（）,，.。")
        if not segment or CJK.search(segment) or not LATIN_WORD.search(segment):
            continue
        if segment in codes or any(p.fullmatch(segment) for p in patterns):
            found.append(segment)
    return found


def test_an_unknown_language_is_refused_by_the_command_line(tmp_path: Path, run_app_process: Any) -> None:
    done = run_app_process("screenshots", str(tmp_path), "--lang", "fr")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
    assert list(tmp_path.iterdir()) == []
