"""The crash handler: a log file with the traceback, a dialog (or not), a non-zero exit; and problems the
user can fix are shown in words, never as a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from inspector.datadir import DataDir
from tests.ui.conftest import REPO
from ui.app import CRASH_EXIT_CODE, CrashHandler
from ui.ops import Ops


def _raise_and_handle(handler: CrashHandler) -> None:
    try:
        raise KeyError("lot 17 has no category")
    except KeyError:
        exc_type, exc, tb = sys.exc_info()
        assert exc_type is not None and exc is not None
        handler.handle(exc_type, exc, tb)


def test_a_crash_is_logged_shown_and_ends_the_app(tmp_path: Path, capsys: Any) -> None:
    prompts: list[tuple[str, Path | None]] = []
    exits: list[int] = []
    handler = CrashHandler(show_dialog=True, log_dir=tmp_path / "logs",
                           prompt=lambda details, path: prompts.append((details, path)),
                           quit_app=exits.append)
    _raise_and_handle(handler)
    assert exits == [CRASH_EXIT_CODE]
    assert handler.crashed
    [log] = list((tmp_path / "logs").glob("crash-*.log"))
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "lot 17 has no category" in text
    assert "_raise_and_handle" in text
    details, path = prompts[0]
    assert path == log and "KeyError" in details
    assert str(log) in capsys.readouterr().err


def test_without_the_dialog_it_only_logs_and_exits(tmp_path: Path, capsys: Any) -> None:
    exits: list[int] = []
    handler = CrashHandler(show_dialog=False, log_dir=tmp_path,
                           prompt=lambda *_a: pytest.fail("no dialog with --no-crash-dialog"),
                           quit_app=exits.append)
    _raise_and_handle(handler)
    assert exits == [CRASH_EXIT_CODE]
    assert len(list(tmp_path.glob("crash-*.log"))) == 1
    assert "crash log written to" in capsys.readouterr().err


def test_before_the_data_dir_is_known_the_report_goes_to_stderr(capsys: Any) -> None:
    handler = CrashHandler(show_dialog=False, quit_app=lambda _code: None)
    _raise_and_handle(handler)
    assert handler.last_log is None
    assert "lot 17 has no category" in capsys.readouterr().err


def test_install_points_the_hooks_at_the_handler_and_uninstall_restores_them(tmp_path: Path) -> None:
    import threading

    before, before_thread = sys.excepthook, threading.excepthook
    handler = CrashHandler(show_dialog=False, log_dir=tmp_path, quit_app=lambda _code: None)
    handler.install()
    try:
        assert sys.excepthook == handler.handle
        assert threading.excepthook != before_thread
    finally:
        handler.uninstall()
    assert sys.excepthook is before and threading.excepthook is before_thread


def test_a_bug_in_a_background_job_reaches_the_crash_handler(qtbot: Any, tmp_path: Path) -> None:
    exits: list[int] = []
    handler = CrashHandler(show_dialog=False, log_dir=tmp_path, quit_app=exits.append)
    handler.install()
    ops = Ops()
    try:
        ops.run(lambda: {}["missing-key"], lambda _r: None)
        qtbot.waitUntil(lambda: bool(exits))
    finally:
        ops.shutdown()
        handler.uninstall()
    [log] = list(tmp_path.glob("crash-*.log"))
    assert "missing-key" in log.read_text(encoding="utf-8")


def test_an_exception_in_a_slot_of_the_running_app_exits_non_zero_with_a_log(tmp_path: Path) -> None:
    """The real path: PySide6 hands a slot's exception to sys.excepthook; the event loop ends with 70."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QTimer
        from ui.app import CrashHandler, ensure_application
        app = ensure_application()
        handler = CrashHandler(show_dialog=False, log_dir=Path({str(tmp_path)!r}))
        handler.install()
        def boom():
            raise RuntimeError("scale frame parser exploded")
        QTimer.singleShot(0, boom)
        sys.exit(app.exec())
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == CRASH_EXIT_CODE, done.stderr
    [log] = list(tmp_path.glob("crash-*.log"))
    assert "scale frame parser exploded" in log.read_text(encoding="utf-8")


def test_a_damaged_database_is_refused_in_words_with_exit_1(tmp_path: Path, run_app_process: Any) -> None:
    data = DataDir(tmp_path / "yard").ensure()
    data.database.write_bytes(b"this is not a database, it is a shopping list" * 20)
    done = run_app_process("--no-crash-dialog", "--data-dir", str(data.root))
    assert done.returncode == 1
    assert "is not a Yard Inspector database" in done.stderr
    assert "Traceback" not in done.stderr
    assert data.database.read_bytes().startswith(b"this is not a database")  # left untouched
    assert "not a Yard Inspector database" in (data.logs / "yard-inspector.log").read_text(encoding="utf-8")


def test_an_unusable_data_dir_is_refused_in_words(tmp_path: Path, run_app_process: Any) -> None:
    # A file where the folder should be: refused the same way as root or not (unlike a read-only folder).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("occupied", encoding="utf-8")
    done = run_app_process("--no-crash-dialog", "--data-dir", str(blocker / "yard"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Cannot create the data directory" in done.stderr


def test_many_signal_emits_do_not_abort_the_process() -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to True on every emit and aborted after a few
    hundred; pyproject.toml excludes that release, and this holds the installed one to it."""
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QObject, Signal
        from ui.app import ensure_application
        ensure_application()
        class Pinger(QObject):
            ping = Signal(int)
        pinger = Pinger()
        seen = []
        pinger.ping.connect(seen.append)
        for i in range(60_000):
            pinger.ping.emit(i)
        print("emitted", len(seen))
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr  # with 6.12.0: -6, "Fatal Python error: bool_dealloc"
    assert "emitted 60000" in done.stdout


def test_a_crash_on_another_thread_is_logged_without_a_dialog(tmp_path: Path) -> None:
    import threading

    exits: list[int] = []
    handler = CrashHandler(show_dialog=True, log_dir=tmp_path,
                           prompt=lambda *_a: pytest.fail("no widgets off the GUI thread"),
                           quit_app=exits.append)
    handler.install()
    try:
        worker = threading.Thread(target=lambda: {}["serial port vanished"])
        worker.start()
        worker.join()
    finally:
        handler.uninstall()
    assert exits == [CRASH_EXIT_CODE]
    [log] = list(tmp_path.glob("crash-*.log"))
    assert "serial port vanished" in log.read_text(encoding="utf-8")
