"""The window's languages: loading the compiled ``.qm`` catalogs and switching translators at run time.

The ``.qm`` files are build products (git-ignored), made from the ``.ts`` sources by ``ui.i18n_compile`` when
the application is installed or built, never at start.
"""

from __future__ import annotations

import logging
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
