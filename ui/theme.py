"""The look of the window: readable at arm's length with gloves on, and a high-contrast variant for sunlight.

Fusion style on every platform (the same widgets in screenshots, on Windows and on Linux), a base font of
13 pt, and touch targets (buttons, inputs, tabs, table rows, navigation items) at least 44 px high.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from inspector.resources import resources_dir

log = logging.getLogger("ui.theme")

BASE_POINT_SIZE = 13
TOUCH_TARGET_PX = 44
# Tables fit their columns to this many rows around the visible ones, not to every row fetched: measuring
# every cell of a 200-row page costs 100-300 ms on the GUI thread.
FIT_ROWS = 20
CJK_FONT_FILE = "wqy-microhei.ttc"

_STYLE_SHEET = f"""
QPushButton, QToolButton, QComboBox, QLineEdit, QSpinBox, QDoubleSpinBox, QDateTimeEdit {{
    min-height: {TOUCH_TARGET_PX - 10}px;
    padding: 4px 10px;
}}
QTabBar::tab {{ min-height: {TOUCH_TARGET_PX - 8}px; padding: 4px 16px; }}
QListView#screenNavigation::item {{ min-height: {TOUCH_TARGET_PX}px; padding: 4px 12px; }}
QHeaderView::section {{ padding: 6px; font-weight: bold; }}
QMenuBar::item {{ padding: 8px 12px; }}
QMenu::item {{ padding: 10px 28px 10px 20px; }}
"""

_HIGH_CONTRAST_EXTRA = """
QWidget { color: #ffffff; background-color: #000000; }
QLineEdit, QComboBox, QTableView, QListView, QTextEdit, QPlainTextEdit {
    border: 2px solid #ffffff; background-color: #000000; color: #ffffff;
}
QTableView { gridline-color: #ffffff; }
QHeaderView::section { background-color: #000000; color: #ffff00; border: 1px solid #ffffff; }
QPushButton, QToolButton { border: 2px solid #ffff00; color: #ffff00; }
QPushButton:focus, QLineEdit:focus, QComboBox:focus, QTableView:focus { border: 3px solid #00ffff; }
QMenuBar::item:selected, QMenu::item:selected { background-color: #ffff00; color: #000000; }
"""


def load_bundled_fonts(fonts_dir: Path | None = None) -> list[str]:
    """Register the shipped CJK font so Chinese renders on machines without one; silently skip if absent."""
    path = (fonts_dir or resources_dir() / "fonts") / CJK_FONT_FILE
    if not path.is_file():
        return []
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("the bundled font %s could not be loaded; using the system fonts", path)
        return []
    return list(QFontDatabase.applicationFontFamilies(font_id))


def base_font(cjk_families: list[str]) -> QFont:
    font = QFont(QApplication.font())
    families = [f for f in font.families() if f] or [font.family()]
    # The CJK family goes after the desktop's own font: Latin text keeps its usual face, Han characters
    # missing from it come from the CJK font instead of boxes.
    font.setFamilies(families + [f for f in cjk_families if f not in families])
    font.setPointSize(BASE_POINT_SIZE)
    return font


def palette(high_contrast: bool) -> QPalette:
    style = QStyleFactory.create("Fusion")
    pal = style.standardPalette() if style is not None else QPalette()
    if not high_contrast:
        return pal
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase,
                 QPalette.ColorRole.Button, QPalette.ColorRole.ToolTipBase):
        pal.setColor(role, black)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.ToolTipText, QPalette.ColorRole.BrightText):
        pal.setColor(role, white)
    pal.setColor(QPalette.ColorRole.Highlight, yellow)
    pal.setColor(QPalette.ColorRole.HighlightedText, black)
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#c0c0c0"))
    return pal


def apply_theme(app: QApplication, *, high_contrast: bool = False,
                cjk_families: list[str] | None = None) -> None:
    """Style the whole application; safe to call again to toggle high contrast at run time."""
    app.setStyle("Fusion")
    if cjk_families is not None:
        app.setFont(base_font(cjk_families))
    app.setPalette(palette(high_contrast))
    app.setStyleSheet(_STYLE_SHEET + (_HIGH_CONTRAST_EXTRA if high_contrast else ""))
    app.setProperty("highContrast", high_contrast)


def is_high_contrast(app: QApplication) -> bool:
    return bool(app.property("highContrast"))
