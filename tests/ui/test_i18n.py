"""Translations: every string in ui/ is in the Chinese catalog and translated; catalogs compile; the window
switches language at run time."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication

from inspector.storage.db import Store
from tests.ui.conftest import REPO
from ui import i18n, i18n_compile
from ui.app import READ_ONLY_VIEWER, build_main_window

# Showing a top-level window on the offscreen platform makes Qt say this; it is about the platform plugin.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")



@pytest.fixture
def switcher(qapp: Any) -> Iterator[i18n.LanguageSwitcher]:
    languages = i18n.LanguageSwitcher(qapp)
    yield languages
    languages.set_language("en")


def _ui_sources() -> list[str]:
    return sorted(str(p.relative_to(REPO)) for p in (REPO / "ui").rglob("*.py"))


def test_every_string_in_ui_is_in_the_catalog_and_translated(tmp_path: Path) -> None:
    lupdate = i18n_compile.qt_tool("lupdate")
    assert lupdate is not None, "lupdate ships in the PySide6 wheel"
    catalog = tmp_path / "check_zh_CN.ts"
    shutil.copy(i18n.ts_path("zh_CN"), catalog)
    subprocess.run([str(lupdate), "-silent", "-no-obsolete", "-locations", "none", *_ui_sources(),
                    "-ts", str(catalog)], cwd=REPO, check=True, capture_output=True)
    messages = list(ET.parse(catalog).getroot().iter("message"))
    assert len(messages) > 50
    untranslated = [
        m.findtext("source") for m in messages
        if (t := m.find("translation")) is None or t.get("type") in ("unfinished", "vanished", "obsolete")
        or not "".join(t.itertext()).strip()
    ]
    assert untranslated == [], ("run pyside6-lupdate on ui/ into resources/i18n/yard_inspector_zh_CN.ts and "
                                f"translate: {untranslated}")


def _entries(path: Path) -> set[tuple[str, str, str]]:
    return {(context.findtext("name") or "", m.findtext("source") or "", m.findtext("comment") or "")
            for context in ET.parse(path).getroot().iter("context") for m in context.iter("message")}


def test_the_catalog_holds_nothing_unfinished_or_obsolete(tmp_path: Path) -> None:
    lupdate = i18n_compile.qt_tool("lupdate")
    assert lupdate is not None
    committed = i18n.ts_path("zh_CN")
    marked = [(m.findtext("source"), t.get("type")) for m in ET.parse(committed).getroot().iter("message")
              if (t := m.find("translation")) is not None and t.get("type")]
    assert marked == [], "entries marked unfinished, vanished or obsolete: run scripts/update-translations.py"
    fresh = tmp_path / "fresh_zh_CN.ts"
    shutil.copy(committed, fresh)
    subprocess.run([str(lupdate), "-silent", "-no-obsolete", "-locations", "none", *_ui_sources(),
                    "-ts", str(fresh)], cwd=REPO, check=True, capture_output=True)
    assert sorted(_entries(committed) - _entries(fresh)) == [], "entries no source uses any more"


def test_translations_keep_every_placeholder_and_accelerator() -> None:
    for message in ET.parse(i18n.ts_path("zh_CN")).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = "".join(message.find("translation").itertext())  # type: ignore[union-attr]
        placeholders = re.compile(r"%(?:\d|n)|\{\w+\}")
        assert sorted(placeholders.findall(source)) == sorted(placeholders.findall(translation)), source
        if re.search(r"&\w", source):
            assert re.search(r"&\w", translation), f"the menu accelerator of {source!r} is lost"


def test_chinese_translations_use_full_width_punctuation() -> None:
    """Inside Chinese text, punctuation is full-width (，。：；？（）); the menus' accelerators keep Qt's
    "(&F)" and a file filter keeps its "(*.pdf)", which are syntax, not prose."""
    ascii_beside_cjk = re.compile(r"[\u3400-\u9fff][,;:!?()]|[,;:!?()][\u3400-\u9fff]")
    bracket_by_placeholder = re.compile(r"[\u3400-\u9fff].*%\d\(|\)%\d.*[\u3400-\u9fff]")
    wrong = []
    for message in ET.parse(i18n.ts_path("zh_CN")).getroot().iter("message"):
        for form in (message.find("translation"), *message.iter("numerusform")):
            text = "".join(form.itertext()) if form is not None else ""
            text = re.sub(r"\(&\w\)|\(\*\.\w+\)", "", text)
            if ascii_beside_cjk.search(text) or bracket_by_placeholder.search(text):
                wrong.append(text)
    assert wrong == []


def test_stale_or_missing_catalogs_are_compiled(tmp_path: Path) -> None:
    ts = tmp_path / "yard_inspector_zh_CN.ts"
    shutil.copy(i18n.ts_path("zh_CN"), ts)
    assert i18n_compile.stale_catalogs(tmp_path) == [ts]
    assert i18n_compile.compile_translations(tmp_path) == [ts.with_suffix(".qm")]
    assert ts.with_suffix(".qm").stat().st_size > 1000
    assert i18n_compile.compile_translations(tmp_path) == []  # fresh: nothing to do
    qm_time = ts.with_suffix(".qm").stat().st_mtime
    import os

    os.utime(ts, (qm_time + 10, qm_time + 10))
    assert i18n_compile.compile_translations(tmp_path) == [ts.with_suffix(".qm")]


def test_a_broken_catalog_is_reported(tmp_path: Path) -> None:
    (tmp_path / "yard_inspector_xx.ts").write_text("<TS><context><message>", encoding="utf-8")
    with pytest.raises(RuntimeError, match="lrelease failed"):
        i18n_compile.compile_translations(tmp_path)


def test_switching_language_retranslates_at_run_time(qtbot: Any, switcher: i18n.LanguageSwitcher,
                                                     store: Store, ops: Any) -> None:
    window = build_main_window(store, READ_ONLY_VIEWER, switcher, ops)
    qtbot.addWidget(window)
    register = window.screen_widget("register")
    assert window.file_menu.title() == "&File"
    window.language_actions["zh_CN"].trigger()
    assert switcher.language == "zh_CN"
    # Qt posts LanguageChange to every widget; the window retranslates when the event arrives.
    qtbot.waitUntil(lambda: window.file_menu.title() == "文件(&F)")
    assert window.navigation.item(0).text() == "进场登记簿"
    assert register.model.headerData(0, _horizontal()) == "磅单号"  # type: ignore[attr-defined]
    assert register.state_combo.itemText(0) == "全部状态"  # type: ignore[attr-defined]
    assert "Language" in window.language_menu.title()  # the way back stays readable
    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File")
    assert window.navigation.item(0).text() == "Load register"


def test_set_language_refuses_unknown_and_survives_a_missing_catalog(
        switcher: i18n.LanguageSwitcher, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        switcher.set_language("fr")
    monkeypatch.setattr(i18n, "qm_path", lambda lang: tmp_path / f"missing_{lang}.qm")
    assert switcher.set_language("zh_CN") is False
    assert switcher.language == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    assert "staying in English" in caplog.text


def _horizontal() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
