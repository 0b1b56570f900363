"""Big tap targets for answers given with gloves on a touch screen.

- ``ChoiceButtons``: one checkable button per choice, at most one checked; none checked means "not answered".
  One tap answers (no drop-down to open first, no list to scroll), and the buttons take the keyboard too:
  Tab reaches each, Space presses it, and letter keys may pick a choice (Y and N for a yes/no question).
- ``YesNoButtons``: the 是 / 否 pair of a yes/no question, its value ``True``, ``False`` or ``None``.
- ``RowCheckBox``: a check box that takes a tap anywhere on its row, not only on its 13 px square.
- ``RowCheckDelegate``: the same for a table's check column: a tap anywhere on a row toggles the row's box.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui.theme import TOUCH_TARGET_PX

# A chosen answer must be told from the others at a glance, in sunlight too: filled, bold and framed.
CHOSEN_STYLE = """
QPushButton:checked {
    background-color: #1f5fa8; color: #ffffff; font-weight: bold; border: 2px solid #0b2e57;
    border-radius: 4px;
}
"""


class ChoiceButtons(QWidget):
    """One checkable button per choice, exclusive; none checked at first (not answered).

    ``columns`` buttons per row (0: all on one row). ``keys`` maps a key (``Qt.Key``) to the choice it picks
    while a button of the group has the focus.

    Signals:
        chosen(str): the user picked a choice (a tap, Space, or a key of ``keys``); ``set_value`` is silent.
    """

    chosen = Signal(str)

    def __init__(self, choices: Sequence[str], parent: QWidget | None = None, *, columns: int = 0,
                 height: int = TOUCH_TARGET_PX, keys: Mapping[int, str] | None = None) -> None:
        super().__init__(parent)
        self._choices = tuple(choices)
        self._keys = dict(keys or {})
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.setStyleSheet(CHOSEN_STYLE)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        per_row = columns if columns > 0 else max(len(self._choices), 1)
        for i, choice in enumerate(self._choices):
            button = QPushButton(self)
            button.setObjectName(f"choice_{choice}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setMinimumHeight(height)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setProperty("choice", choice)
            button.installEventFilter(self)
            self._group.addButton(button)
            layout.addWidget(button, i // per_row, i % per_row)
            self.buttons[choice] = button
        self._group.buttonClicked.connect(self._on_group_button_clicked)

    @property
    def choices(self) -> tuple[str, ...]:
        return self._choices

    def set_texts(self, texts: Mapping[str, str]) -> None:
        for choice, button in self.buttons.items():
            button.setText(texts.get(choice, choice))

    def value(self) -> str | None:
        checked = self._group.checkedButton()
        return None if checked is None else str(checked.property("choice"))

    def set_value(self, value: str | None) -> None:
        """Show ``value`` as chosen (None or an unknown value: nothing chosen); no ``chosen`` signal."""
        button = self.buttons.get(value) if value is not None else None
        if button is not None:
            button.setChecked(True)
            return
        # An exclusive group keeps one button checked: let go of it to show "not answered" again.
        self._group.setExclusive(False)
        for other in self.buttons.values():
            other.setChecked(False)
        self._group.setExclusive(True)

    def focus_widget(self) -> QWidget:
        """The chosen button, else the first: where the focus goes when the field is reached."""
        checked = self._group.checkedButton()
        if checked is not None:
            return checked
        return next(iter(self.buttons.values())) if self.buttons else self

    def focus_widgets(self) -> list[QWidget]:
        return list(self.buttons.values())

    def choose(self, choice: str) -> None:
        """Pick ``choice`` as the user would (the ``chosen`` signal follows)."""
        button = self.buttons.get(choice)
        if button is not None:
            button.click()

    def _on_group_button_clicked(self, button: QPushButton) -> None:
        self.chosen.emit(str(button.property("choice")))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        plain = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.modifiers() in plain and event.key() in self._keys:
            choice = self._keys[event.key()]
            self.buttons[choice].setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.choose(choice)
            return True
        return super().eventFilter(watched, event)


class YesNoButtons(ChoiceButtons):
    """The 是 / 否 pair of a yes/no question: ``bool_value()`` is True, False or None (not answered)."""

    YES = "yes"
    NO = "no"

    def __init__(self, parent: QWidget | None = None, *, height: int = TOUCH_TARGET_PX) -> None:
        super().__init__((self.YES, self.NO), parent, height=height,
                         keys={Qt.Key.Key_Y: self.YES, Qt.Key.Key_N: self.NO})

    def bool_value(self) -> bool | None:
        value = self.value()
        return None if value is None else value == self.YES

    def set_bool_value(self, value: bool | None) -> None:
        self.set_value(None if value is None else self.YES if value else self.NO)


class RowCheckBox(QCheckBox):
    """A check box as wide as its row and at least a touch target high, that toggles on a tap anywhere on it
    (a plain ``QCheckBox`` reacts only on its square and its words)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setMinimumHeight(TOUCH_TARGET_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("QCheckBox::indicator { width: 24px; height: 24px; }")

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)


class RowCheckDelegate(QStyledItemDelegate):
    """For a table with a check column: a tap (a mouse release) anywhere on a row toggles that row's box in
    ``column``. Space on the box's own cell still toggles it, as everywhere."""

    def __init__(self, column: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._column = column

    def editorEvent(self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        if event.type() in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick) \
                and isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton:
            cell = model.index(index.row(), self._column, index.parent())
            flags = model.flags(cell)
            if not (flags & Qt.ItemFlag.ItemIsUserCheckable and flags & Qt.ItemFlag.ItemIsEnabled):
                return super().editorEvent(event, model, option, index)
            if event.type() == QEvent.Type.MouseButtonRelease:
                shown = cell.data(Qt.ItemDataRole.CheckStateRole)
                checked = shown in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
                state = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
                model.setData(cell, state.value, Qt.ItemDataRole.CheckStateRole)
            # A double tap is two taps: the second release toggles again; the double click itself does not.
            return True
        return super().editorEvent(event, model, option, index)
