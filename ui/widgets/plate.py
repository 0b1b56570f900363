"""A vehicle's plate typed without the input method: the provinces' characters as a grid of buttons, and the
plates seen lately at the yard, each filled with one tap.

Chinese plates begin with the province's one-character abbreviation (赣, 粤, 京 …), which a keyboard types
only through an input method; the grid puts it in with a tap, and the letters and digits that follow are
typed (or scanned) into the line edit as before. The grid shows while the plate has no province at its start
and behind the province button beside the line edit otherwise; the recent plates show while the line edit is
empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.theme import TOUCH_TARGET_PX

# The provinces, municipalities and autonomous regions in the order a weighbridge keyboard usually has them.
PROVINCES = ("京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
             "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼")
PROVINCE_COLUMNS = 16
PROVINCE_BUTTON_PX = TOUCH_TARGET_PX


class PlateInputWidget(QWidget):
    """The plate's line edit (``edit``), the province grid and the recent plates.

    Signals:
        edited(): the user changed the plate: typed in it, tapped a province or a recent plate.
        recent_picked(str): a recent plate was tapped (after ``edited``).
    """

    edited = Signal()
    recent_picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.province_button = QPushButton(self)
        self.province_button.setObjectName("plateProvinceButton")
        self.province_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.province_button.setCheckable(True)
        self.province_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.province_box = QWidget(self)
        self.province_box.setObjectName("plateProvinces")
        grid = QGridLayout(self.province_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self.province_buttons: dict[str, QPushButton] = {}
        for i, province in enumerate(PROVINCES):
            button = QPushButton(province, self.province_box)
            button.setObjectName(f"province_{i}")
            button.setMinimumSize(PROVINCE_BUTTON_PX, PROVINCE_BUTTON_PX)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            # For the finger: a keyboard types the province through its input method instead.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("province", province)
            button.clicked.connect(self._on_province_button_clicked)
            grid.addWidget(button, i // PROVINCE_COLUMNS, i % PROVINCE_COLUMNS)
            self.province_buttons[province] = button

        self.recent_box = QWidget(self)
        self.recent_box.setObjectName("recentPlates")
        self._recent_layout = QHBoxLayout(self.recent_box)
        self._recent_layout.setContentsMargins(0, 0, 0, 0)
        self.recent_label = QLabel(self.recent_box)
        self._recent_layout.addWidget(self.recent_label)
        self._recent_layout.addStretch(1)
        self.recent_buttons: list[QPushButton] = []

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.edit, 1)
        top.addWidget(self.province_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.province_box)
        layout.addWidget(self.recent_box)

        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.province_button.toggled.connect(self._on_province_button_toggled)
        self._update_shown()

    # ---- the plate --------------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """Show ``text`` (a draft's plate); no ``edited`` signal."""
        self.edit.setText(text)
        self._update_shown()

    def province(self) -> str | None:
        first = self.edit.text().strip()[:1]
        return first if first in self.province_buttons else None

    def put_province(self, province: str) -> None:
        """Put ``province`` at the start of the plate (in place of the one there), as a tap does."""
        text = self.edit.text().strip()
        rest = text[1:] if text[:1] in self.province_buttons else text
        self.edit.setText(province + rest)
        self.province_button.setChecked(False)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit.end(False)
        self._update_shown()
        self.edited.emit()

    # ---- recent plates ----------------------------------------------------------------------------------

    def set_recent(self, plates: Sequence[str]) -> None:
        """Offer ``plates`` (newest first), each a button that fills the plate."""
        for button in self.recent_buttons:
            self._recent_layout.removeWidget(button)
            button.deleteLater()
        self.recent_buttons = []
        for i, plate in enumerate(plates):
            button = QPushButton(plate, self.recent_box)
            button.setObjectName(f"recentPlate_{i}")
            button.setMinimumHeight(TOUCH_TARGET_PX)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("plate", plate)
            button.clicked.connect(self._on_recent_button_clicked)
            self._recent_layout.insertWidget(1 + i, button)
            self.recent_buttons.append(button)
        self._update_shown()

    def recent(self) -> list[str]:
        return [button.text() for button in self.recent_buttons]

    def pick_recent(self, plate: str) -> None:
        """Fill the plate with ``plate``, as a tap on it does."""
        self.edit.setText(plate)
        self.province_button.setChecked(False)
        self._update_shown()
        self.edited.emit()
        self.recent_picked.emit(plate)

    # ---- words ------------------------------------------------------------------------------------------

    def set_texts(self, *, recent: str, province: str) -> None:
        """``recent``: the words before the recent plates; ``province``: the province button's tool tip."""
        self.recent_label.setText(recent)
        self.province_button.setToolTip(province)
        self._update_shown()

    # ---- slots ------------------------------------------------------------------------------------------

    def _on_edit_text_edited(self, _text: str) -> None:
        self._update_shown()
        self.edited.emit()

    def _on_province_button_clicked(self) -> None:
        sender = self.sender()
        if isinstance(sender, QPushButton):
            self.put_province(str(sender.property("province")))

    def _on_recent_button_clicked(self) -> None:
        sender = self.sender()
        if isinstance(sender, QPushButton):
            self.pick_recent(str(sender.property("plate")))

    def _on_province_button_toggled(self, _on: bool) -> None:
        self._update_shown()

    def _update_shown(self) -> None:
        province = self.province()
        # With a province in place, its button beside the line edit opens the grid to change it.
        if province is not None:
            self.province_button.setText(f"{province} ▾")
        if self.province_button.isHidden() == (province is not None):
            self.province_button.setVisible(province is not None)
        grid = province is None or self.province_button.isChecked()
        if self.province_box.isHidden() == grid:
            self.province_box.setVisible(grid)
        recent = not self.edit.text().strip() and bool(self.recent_buttons)
        if self.recent_box.isHidden() == recent:
            self.recent_box.setVisible(recent)
