"""The categories of the rule set as a grid of big buttons, each with its code and its name: one tap declares
a load's category (a drop-down of a dozen rows needs two and a scroll).

Once a category is chosen the grid folds into one row, the chosen category and a "change" button, so the
rest of the arrival form fits the screen; "change" (or a tap on the chosen category) opens the grid again.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.theme import TOUCH_TARGET_PX
from ui.widgets.toggles import CHOSEN_STYLE, ChoiceButtons

CATEGORY_COLUMNS = 3
# Two lines of text (the code, then the name) with room around them.
CATEGORY_BUTTON_PX = TOUCH_TARGET_PX + 16
# A button's text does not wrap by itself: a long name (in English) is broken over lines this wide, so three
# buttons fit a row of the form.
NAME_LINE_CHARS = 26


class CategoryGridWidget(QWidget):
    """One checkable button per category code (``grid``, ``CATEGORY_COLUMNS`` to a row), none chosen at
    first; folded to the chosen one once chosen.

    Signals:
        chosen(str): the user picked a category (a tap, or Space on its button); ``set_value`` is silent.
    """

    chosen = Signal(str)

    def __init__(self, codes: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._open = False
        self._names: dict[str, str] = {}
        self.grid = ChoiceButtons(codes, self, columns=CATEGORY_COLUMNS, height=CATEGORY_BUTTON_PX)
        self.folded = QWidget(self)
        self.folded.setStyleSheet(CHOSEN_STYLE)
        self.chosen_button = QPushButton(self.folded)
        self.chosen_button.setObjectName("categoryChosen")
        self.chosen_button.setCheckable(True)
        self.chosen_button.setChecked(True)
        self.chosen_button.setAutoDefault(False)
        self.chosen_button.setMinimumHeight(CATEGORY_BUTTON_PX)
        self.chosen_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.change_button = QPushButton(self.folded)
        self.change_button.setObjectName("categoryChange")
        self.change_button.setAutoDefault(False)
        self.change_button.setMinimumHeight(CATEGORY_BUTTON_PX)
        row = QHBoxLayout(self.folded)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.chosen_button, 2)
        row.addWidget(self.change_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.folded)
        layout.addWidget(self.grid)
        self.grid.chosen.connect(self._on_grid_chosen)
        self.chosen_button.clicked.connect(self.unfold)
        self.change_button.clicked.connect(self.unfold)
        self._show()

    @property
    def choices(self) -> tuple[str, ...]:
        return self.grid.choices

    def value(self) -> str | None:
        return self.grid.value()

    def set_value(self, value: str | None) -> None:
        """Show ``value`` as chosen (folded), or nothing chosen (the grid); no ``chosen`` signal."""
        self.grid.set_value(value)
        self._open = False
        self._show()

    def unfold(self) -> None:
        """Show every category again, to choose another."""
        self._open = True
        self._show()
        self.grid.focus_widget().setFocus()

    def is_folded(self) -> bool:
        return not self.folded.isHidden()

    def focus_widget(self) -> QWidget:
        return self.change_button if self.is_folded() else self.grid.focus_widget()

    def focus_widgets(self) -> list[QWidget]:
        return [self.change_button, *self.grid.focus_widgets()]

    def set_names(self, names: Mapping[str, str], *, change: str) -> None:
        """Show each code with its name below it (the code alone where there is no name); ``change`` is the
        words of the button that opens the grid again."""
        self._names = dict(names)
        texts = {}
        for code in self.choices:
            name = names.get(code)
            lines = textwrap.wrap(name, NAME_LINE_CHARS) if name else []
            texts[code] = "\n".join([code, *lines])
        self.grid.set_texts(texts)
        self.change_button.setText(change)
        self._show()

    def _on_grid_chosen(self, code: str) -> None:
        self._open = False
        self._show()
        self.chosen.emit(code)

    def _show(self) -> None:
        value = self.value()
        folded = value is not None and not self._open
        if value is not None:
            name = self._names.get(value)
            self.chosen_button.setText(f"{value}\n{name}" if name else value)
        if self.folded.isHidden() == folded:
            self.folded.setVisible(folded)
        if self.grid.isHidden() != folded:
            self.grid.setVisible(not folded)
