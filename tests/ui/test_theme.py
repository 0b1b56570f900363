"""The theme: large text and touch targets of at least 44 px; a high-contrast variant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton

from inspector.storage.db import Store
from ui import theme
from ui.app import READ_ONLY_VIEWER, build_main_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    saved = (qapp.styleSheet(), qapp.palette(), qapp.font(), qapp.style().name())
    theme.apply_theme(qapp, high_contrast=False, cjk_families=theme.load_bundled_fonts())
    yield qapp
    sheet, palette, font, style = saved
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyle(style)


def test_controls_are_touch_sized_and_text_is_large(qtbot: Any, themed: QApplication) -> None:
    assert themed.font().pointSize() >= 12
    for widget in (QPushButton("OK"), QLineEdit(), QComboBox()):
        qtbot.addWidget(widget)
        widget.ensurePolished()
        assert widget.sizeHint().height() >= theme.TOUCH_TARGET_PX, type(widget).__name__


def test_register_rows_and_navigation_items_are_touch_sized(qtbot: Any, themed: QApplication, store: Store,
                                                            ops: Any) -> None:
    window = build_main_window(store, READ_ONLY_VIEWER, None, ops)
    qtbot.addWidget(window)
    window.show()
    register = window.screen_widget("register")
    assert register.view.verticalHeader().defaultSectionSize() >= theme.TOUCH_TARGET_PX  # type: ignore[attr-defined]
    item_rect = window.navigation.visualItemRect(window.navigation.item(0))
    assert item_rect.height() >= theme.TOUCH_TARGET_PX


def test_high_contrast_is_white_on_black_and_switches_back(themed: QApplication) -> None:
    theme.apply_theme(themed, high_contrast=True)
    assert theme.is_high_contrast(themed)
    assert themed.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert themed.palette().color(QPalette.ColorRole.WindowText).name() == "#ffffff"
    theme.apply_theme(themed, high_contrast=False)
    assert not theme.is_high_contrast(themed)
    assert themed.palette().color(QPalette.ColorRole.Window).name() != "#000000"
