"""The window's languages: compiling the shipped ``.ts`` files to ``.qm``, switching translators at run time.

The ``.qm`` files are build products (git-ignored); ``compile_translations`` rebuilds missing or stale ones
from the ``.ts`` sources with the ``lrelease`` tool bundled in the PySide6 wheel. The app calls it at start
(a no-op when the files are fresh) and the build scripts call it before packaging.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from inspector.resources import resources_dir

log = logging.getLogger("ui.i18n")

APP_CATALOG = "yard_inspector"
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "中文"}
DEFAULT_LANGUAGE = "en"


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def ts_path(lang: str) -> Path:
    return i18n_dir() / f"{APP_CATALOG}_{lang}.ts"


def qm_path(lang: str) -> Path:
    return i18n_dir() / f"{APP_CATALOG}_{lang}.qm"


def qt_tool(name: str) -> Path | None:
    """A Qt tool (``lrelease``, ``lupdate``) from the PySide6 wheel, else the ``pyside6-`` wrapper on PATH."""
    import PySide6

    suffix = ".exe" if sys.platform == "win32" else ""
    bundled = Path(PySide6.__file__).resolve().parent / f"{name}{suffix}"
    if bundled.is_file() and os.access(bundled, os.X_OK):
        return bundled
    found = shutil.which(f"pyside6-{name}")
    return Path(found) if found else None


def stale_catalogs(directory: Path | None = None) -> list[Path]:
    """The ``.ts`` files whose ``.qm`` is missing or older than the source."""
    directory = directory or i18n_dir()
    stale = []
    for ts in sorted(directory.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            stale.append(ts)
    return stale


def compile_translations(directory: Path | None = None, *, force: bool = False) -> list[Path]:
    """Compile missing or stale ``.qm`` files next to their ``.ts`` sources; returns the files written.

    Raises ``RuntimeError`` when a catalog needs compiling and ``lrelease`` is missing or fails; the app
    catches that and runs in English rather than refusing to start.
    """
    directory = directory or i18n_dir()
    todo = sorted(directory.glob("*.ts")) if force else stale_catalogs(directory)
    if not todo:
        return []
    tool = qt_tool("lrelease")
    if tool is None:
        raise RuntimeError("lrelease was not found (it ships in the PySide6 wheel); cannot compile "
                           + ", ".join(p.name for p in todo))
    written = []
    for ts in todo:
        qm = ts.with_suffix(".qm")
        result = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0 or not qm.exists():
            output = result.stderr.strip() or result.stdout.strip()
            raise RuntimeError(f"lrelease failed on {ts.name}: {output}")
        written.append(qm)
    return written


def system_language() -> str:
    """The supported language closest to the desktop's: Chinese for any zh locale, else English."""
    name = QLocale.system().name()
    return "zh_CN" if name.startswith("zh") else DEFAULT_LANGUAGE


class LanguageSwitcher:
    """Holds the installed translators and swaps them, so every widget retranslates (LanguageChange)."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translators: list[QTranslator] = []
        self.language = DEFAULT_LANGUAGE

    def set_language(self, lang: str) -> bool:
        """Switch to ``lang``; returns False (and stays in English) when its catalog cannot be loaded."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators.clear()
        self.language = DEFAULT_LANGUAGE
        QLocale.setDefault(QLocale(DEFAULT_LANGUAGE))
        if lang == DEFAULT_LANGUAGE:
            return True
        ours = QTranslator(self._app)
        if not ours.load(str(qm_path(lang))):
            log.warning("translation %s could not be loaded from %s; staying in English", lang, qm_path(lang))
            return False
        self._install(ours)
        # Qt's own strings (standard buttons, context menus) come from the Qt translations, when shipped.
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for catalog in ("qtbase", "qt"):
            qt_own = QTranslator(self._app)
            if qt_own.load(f"{catalog}_{lang}", qt_dir):
                self._install(qt_own)
                break
        self.language = lang
        QLocale.setDefault(QLocale(lang))
        return True

    def _install(self, translator: QTranslator) -> None:
        self._app.installTranslator(translator)
        self._translators.append(translator)
