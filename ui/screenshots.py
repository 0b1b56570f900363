"""``yard-inspector screenshots OUT_DIR``: every main screen, filled with the demo yard, as PNG files.

Renders offscreen (no display needed) in English and Chinese, from a fresh demo yard in a temporary data
directory, so the README's pictures are produced by a command and stay true to the app.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError

SCREENSHOT_LANGUAGES = ("en", "zh_CN")
WINDOW_SIZE = (1600, 900)
SETTLE_TIMEOUT_MS = 10_000

if TYPE_CHECKING:
    from ui.ops import Ops


def render_screenshots(out_dir: Path, languages: Sequence[str] = SCREENSHOT_LANGUAGES) -> list[Path]:
    """Write ``<screen>-<lang>.png`` for every screen, the load details and the high-contrast register."""
    for lang in languages:
        if lang not in SCREENSHOT_LANGUAGES:
            raise UserError(f"No translation for {lang!r}.", field="lang",
                            hint=f"Choose one of: {', '.join(SCREENSHOT_LANGUAGES)}.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Cannot create {out_dir}: {exc.strerror or exc}.", field="OUT_DIR",
                        hint="Choose a folder you can write to.") from exc
    # Before the first QApplication: offscreen unless the caller chose a platform (e.g. xcb under Xvfb).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="yard-inspector-shots-") as root:
        return _render_all(out_dir, languages, DataDir(Path(root)))


def _render_all(out_dir: Path, languages: Sequence[str], data_dir: DataDir) -> list[Path]:
    from PySide6.QtCore import QItemSelectionModel, qInstallMessageHandler

    from inspector.services.demo import build_demo_yard
    from inspector.storage.db import open_store
    from ui import app as ui_app
    from ui import i18n, theme
    from ui.models.loads import LoadDetails, fetch_load_details
    from ui.ops import Ops
    from ui.screens.load_details import LoadDetailsDialog
    from ui.screens.register import LoadRegisterWidget

    application = ui_app.ensure_application()
    previous_handler = qInstallMessageHandler(ui_app.qt_message_handler)
    try:
        i18n.compile_translations()
    except RuntimeError as exc:
        raise UserError(f"The translations could not be compiled: {exc}", field="lang",
                        hint="Reinstall PySide6 (it ships the lrelease tool).") from exc
    store = open_store(data_dir.ensure(), backup=False)
    ops = Ops()
    written: list[Path] = []
    try:
        build_demo_yard(store)
        languages_switcher = i18n.LanguageSwitcher(application)
        cjk = theme.load_bundled_fonts()
        for lang in languages:
            languages_switcher.set_language(lang)
            theme.apply_theme(application, high_contrast=False, cjk_families=cjk)
            window = ui_app.build_main_window(store, ui_app.READ_ONLY_VIEWER, languages_switcher, ops)
            window.resize(*WINDOW_SIZE)
            window.show()
            try:
                for key in window.screen_keys():
                    window.show_screen(key)
                    _settle(ops)
                    written.append(_save(window.grab(), out_dir / f"{key}-{lang}.png"))
                register = window.screen_widget("register")
                assert isinstance(register, LoadRegisterWidget)
                view = register.view
                if register.model.rowCount() > 0:
                    view.selectionModel().select(
                        register.model.index(0, 0),
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows)
                # The details of the most finished load: the one with the most fields filled in.
                detail_id = _most_complete_load(register)
                details: LoadDetails = fetch_load_details(store, detail_id)
                dialog = LoadDetailsDialog(details, window)
                dialog.resize(860, 1150)
                dialog.show()
                _settle(ops)
                written.append(_save(dialog.grab(), out_dir / f"load-details-{lang}.png"))
                dialog.close()
                theme.apply_theme(application, high_contrast=True)
                window.show_screen("register")
                _settle(ops)
                written.append(_save(window.grab(), out_dir / f"register-high-contrast-{lang}.png"))
                theme.apply_theme(application, high_contrast=False)
            finally:
                window.close()
                window.deleteLater()
                _settle(ops)
        languages_switcher.set_language("en")
    finally:
        ops.shutdown()
        store.close()
        qInstallMessageHandler(previous_handler)
    return written


def _most_complete_load(register: object) -> int:
    from ui.models.loads import Column
    from ui.screens.register import LoadRegisterWidget

    assert isinstance(register, LoadRegisterWidget)
    model = register.model
    for row in range(model.rowCount()):
        if model.index(row, Column.OUTCOME).data() or model.index(row, Column.ASSIGNED).data():
            return model.load_id(row)
    return model.load_id(0)


def _settle(ops: Ops) -> None:
    """Let the background reads finish and layouts and paints happen before grabbing."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

    for _ in range(50):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        if ops.pending == 0:
            return
        loop = QEventLoop()
        ops.busy_changed.connect(loop.quit)
        QTimer.singleShot(SETTLE_TIMEOUT_MS, loop.quit)
        loop.exec()
        ops.busy_changed.disconnect(loop.quit)
    raise EnvironmentProblemError("The screens did not finish reading the demo yard.",
                                  hint="Check the log; the database may be locked by another program.")


def _save(pixmap: object, path: Path) -> Path:
    from PySide6.QtGui import QPixmap

    assert isinstance(pixmap, QPixmap)
    if not pixmap.save(str(path), "PNG"):
        raise UserError(f"Could not write {path}.", field="OUT_DIR",
                        hint="Check the folder's free space and permissions.")
    return path
