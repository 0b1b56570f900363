"""The app starts, migrates and shows its main window; the command line stays free of Qt."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from inspector.clock import Clock
from inspector.security import users
from inspector.security.actor import SYSTEM
from inspector.storage.db import Store
from tests.ui.conftest import REPO
from ui.app import READ_ONLY_VIEWER, build_main_window, schema_revision
from ui.main_window import MainWindow, StatusInfo

# Showing a top-level window on the offscreen platform makes Qt say this; it is about the platform plugin.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")



def test_smoke_test_starts_migrates_shows_the_window_and_exits_0(run_app_process: Any) -> None:
    done = run_app_process("--smoke-test")
    assert done.returncode == 0, done.stderr
    assert "smoke test passed: main window shown" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_window_opens_on_an_existing_data_dir_and_backs_it_up_first(run_app_process: Any,
                                                                        store: Store) -> None:
    from tests.ui.conftest import insert_loads

    insert_loads(store, 10)
    with store.session() as session:
        users.create_user(session, actor=SYSTEM, clock=Clock(), username="li.wei", display_name="李伟",
                          roles=["inspector"], password="a long enough password", must_change_password=False)
    store.close()
    # --smoke-test always uses a fresh folder; this drives the real start on the yard's own folder instead.
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from ui import entry
        from ui.app import ensure_application
        ensure_application()
        log = Path({str(store.data_dir.logs / "yard-inspector.log")!r})
        signed = []
        def close_when_shown():
            modal = QApplication.activeModalWidget()
            if modal is not None and modal.objectName() == "loginDialog" and not signed:
                modal.username_edit.setText("li.wei")
                modal.password_edit.setText("a long enough password")
                modal.sign_in_button.click()
                signed.append(True)
            windows = [w for w in QApplication.topLevelWidgets()
                       if w.isVisible() and hasattr(w, "screen_widget")]
            shown = windows and "main window shown" in log.read_text(encoding="utf-8")
            register = windows[0].screen_widget("register") if shown else None
            if register is None or register.model.fetching or register.model.pages_fetched == 0:
                QTimer.singleShot(10, close_when_shown)
                return
            print("rows", register.model.rowCount())
            windows[0].close()
        QTimer.singleShot(0, close_when_shown)
        root = {str(store.data_dir.root)!r}
        sys.exit(entry.main(["--no-crash-dialog", "--lang", "zh_CN", "--data-dir", root]))
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "rows 10" in done.stdout
    assert list(store.data_dir.backups.glob("*")), "the database is backed up before the window opens"
    log = (store.data_dir.logs / "yard-inspector.log").read_text(encoding="utf-8")
    assert "main window shown" in log


def test_a_yard_without_users_says_what_to_do(run_app_process: Any, store: Store) -> None:
    store.close()
    done = run_app_process("--no-crash-dialog", "--data-dir", str(store.data_dir.root))
    assert done.returncode == 1
    assert "no users yet" in done.stderr and "yard-inspector init" in done.stderr
    assert "Traceback" not in done.stderr


def test_core_commands_through_the_console_script_do_not_load_qt() -> None:
    code = textwrap.dedent("""
        import sys
        from ui import entry
        from inspector import cli
        parser = cli.build_parser([entry.register_screenshots])
        args = parser.parse_args(["screenshots", "out", "--lang", "zh_CN"])
        assert args.lang == "zh_CN" and args.out_dir == "out"
        print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))))
    """)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == ""


def test_version_through_the_console_script(capsys: Any) -> None:
    from ui import entry

    assert entry.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("yard-inspector ")


def test_main_window_composes_screens_and_shows_the_station(qtbot: Any, store: Store, ops: Any) -> None:
    window = build_main_window(store, READ_ONLY_VIEWER, None, ops)
    qtbot.addWidget(window)
    assert window.screen_keys() == ["register", "verify"]  # a viewer reads the register and checks files
    assert window.current_screen_key() == "register"
    assert str(store.data_dir.root) in window.data_dir_label.text()
    assert schema_revision(store) in window.schema_label.text()
    assert schema_revision(store) != "—"
    assert "Viewer (read-only)" in window.actor_label.text()
    qtbot.waitUntil(lambda: "CN-RE2R" in window.rule_set_label.text())
    assert window.rule_set_label.text().startswith("Rule set: CN-RE2R ")
    assert not window.language_actions["zh_CN"].isEnabled()  # no switcher given: no switching


def test_a_rule_set_in_force_that_is_not_installed_is_said_in_the_status_bar(qtbot: Any, store: Store,
                                                                           ops: Any) -> None:
    from inspector.storage.models.core import Setting

    with store.session() as session:
        session.add(Setting(key="standard.in_force", value={"id": "CN-RE2R", "version": "9.9.9"}))
    window = build_main_window(store, READ_ONLY_VIEWER, None, ops)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.rule_set_label.text() == "Rule set: not usable")
    assert "9.9.9" in window.rule_set_label.toolTip() and "not installed" in window.rule_set_label.toolTip()


def test_screens_are_added_by_key_and_navigated(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel, QScrollArea

    window = MainWindow(actor=READ_ONLY_VIEWER, status=StatusInfo(data_dir="/yard", schema_revision="0001"))
    qtbot.addWidget(window)
    first, second = QLabel("one"), QLabel("two")
    window.add_screen("first", first, lambda: "First")
    window.add_screen("second", second, lambda: "Second")
    with qtbot.waitSignal(window.screen_changed) as changed:
        window.show_screen("second")
    assert changed.args == ["second"]
    shown = window.stack.currentWidget()
    assert isinstance(shown, QScrollArea) and shown.widget() is second  # every screen scrolls in its page
    assert window.navigation.item(1).text() == "Second"
    with pytest.raises(ValueError, match="already"):
        window.add_screen("first", QLabel("again"), lambda: "Again")


def test_high_contrast_toggle_is_signalled(qtbot: Any) -> None:
    window = MainWindow(actor=READ_ONLY_VIEWER, status=StatusInfo(data_dir="/yard", schema_revision="0001"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.high_contrast_toggled) as toggled:
        window.high_contrast_action.trigger()
    assert toggled.args == [True]
