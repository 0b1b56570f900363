"""Field editors of the intake form, one per field kind of ``inspector.intake.steps``.

Each editor owns its input widget and an error label beneath it, gives its value in the form the core checks
(text as typed, ``True``/``False``/``None`` for a yes/no, a list for documents and photos) and takes a
draft's value back. Inputs are at least 44 px high (gloves and touch screens), and whatever can be answered
with a tap is: yes/no questions are a 是 / 否 pair, choices and categories are big buttons (an only choice
comes chosen), check boxes take a tap anywhere on their row, and the plate has a province grid and the
recent plates. An editor that a tap answers (``advances``) lets the wizard move the focus on to the next
field, so the next reading is typed without a tap first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.intake.steps import FieldKind, FieldSpec
from inspector.queries.intake import SupplierChoice
from inspector.standard.ruleset import RuleSet
from ui import words
from ui.screens.intake.texts import IntakeTexts
from ui.theme import TOUCH_TARGET_PX
from ui.widgets.category_grid import CategoryGridWidget
from ui.widgets.plate import PlateInputWidget
from ui.widgets.toggles import ChoiceButtons, RowCheckBox, YesNoButtons

ERROR_STYLE = "color: #c00000; font-weight: bold;"
# The banner of a finding, by severity (the intake steps and the lab results).
ALERT_STYLE = {"REJECT": "background: #c00000; color: white;", "HOLD": "background: #ffbf00; color: black;",
               "DOWNGRADE": "background: #ffe699; color: black;"}
_LINE_KINDS = frozenset({FieldKind.TEXT, FieldKind.USCC, FieldKind.HW_CODE,
                         FieldKind.MANIFEST, FieldKind.SEAL, FieldKind.DECIMAL, FieldKind.INTEGER,
                         FieldKind.WEIGHT})


class FieldEditor:
    """One field: its input widget(s) in ``widget``, the label, and the error label below."""

    # A tap gives the whole answer (a yes/no, a choice, a category): the focus may move on to the next field.
    advances: ClassVar[bool] = False

    def __init__(self, spec: FieldSpec, texts: IntakeTexts, ruleset: RuleSet, parent: QWidget,
                 on_change: Callable[[], None]) -> None:
        self.spec = spec
        self._texts = texts
        self._ruleset = ruleset
        self._on_change = on_change
        self._shown_error = ""
        self.label = QLabel(parent)
        self.error_label = QLabel(parent)
        self.error_label.setObjectName(f"error_{spec.key}")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.widget = self._build(parent)
        self._name()
        self.retranslate()

    @property
    def key(self) -> str:
        return self.spec.key

    def _name(self) -> None:
        """Give the input its object name, ``field_<key>`` (tests and the screenshots find it by it)."""
        self.widget.setObjectName(f"field_{self.spec.key}")

    def focus_widget(self) -> QWidget:
        """Where the focus goes when the field is reached (Enter in the field before, a tap answered)."""
        return self.widget

    def focus_widgets(self) -> list[QWidget]:
        """Every widget of the field that Tab stops at, in order."""
        return [self.focus_widget()]

    def takes_enter(self, widget: QWidget) -> bool:
        """Whether Enter in ``widget`` is the field's own (picking from a list) rather than "next field"."""
        return False

    def _build(self, parent: QWidget) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        name = self._texts.field(self.spec.key, self._ruleset)
        unit = words.aside(self.spec.unit) if self.spec.unit else ""
        star = " *" if self.spec.required else ""
        self.label.setText(f"{name}{unit}{star}")

    def show_error(self, text: str | None) -> None:
        # Only on a change: this runs on every keystroke for every field of the step.
        if (text or "") == self._shown_error:
            return
        self._shown_error = text or ""
        self.error_label.setText(self._shown_error)
        self.error_label.setVisible(bool(text))

    def show_error_again(self) -> None:
        """Hide the error label again when there is no error (showing a form row shows all of it)."""
        self.error_label.setVisible(bool(self._shown_error))


class LineFieldEditor(FieldEditor):
    """Text, codes, numbers and weights: a line edit (a scanner types into it and ends with Enter)."""

    widget: QLineEdit

    def _build(self, parent: QWidget) -> QWidget:
        edit = QLineEdit(parent)
        edit.setMinimumHeight(TOUCH_TARGET_PX)
        if self.spec.max_length:
            edit.setMaxLength(self.spec.max_length + 20)  # over-long input is shown as an error, not cut
        if self.spec.kind in (FieldKind.DECIMAL, FieldKind.INTEGER, FieldKind.WEIGHT):
            edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        edit.textEdited.connect(lambda _text: self._on_change())
        return edit

    def value(self) -> Any:
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))


class _ButtonsEditor(FieldEditor):
    """An editor whose widget is a set of big buttons of codes (choices, categories): the focus, the value
    and setting it are the widget's."""

    widget: ChoiceButtons | CategoryGridWidget
    advances = True

    def focus_widget(self) -> QWidget:
        return self.widget.focus_widget()

    def focus_widgets(self) -> list[QWidget]:
        return self.widget.focus_widgets()

    def value(self) -> Any:
        return self.widget.value()

    def set_value(self, value: Any) -> None:
        self.widget.set_value(None if value is None else str(value))


class ChoiceFieldEditor(_ButtonsEditor):
    """A choice among a few (the origin, a weight's source, the sampling plan): one big button per choice,
    none chosen at first; the only choice there is comes chosen."""

    widget: ChoiceButtons
    advances = True

    def _build(self, parent: QWidget) -> QWidget:
        columns = 3 if len(self.spec.choices) > 3 else 0
        buttons = ChoiceButtons(self.spec.choices, parent, columns=columns)
        if len(self.spec.choices) == 1:
            buttons.set_value(self.spec.choices[0])
        buttons.chosen.connect(lambda _choice: self._on_change())
        return buttons

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "widget"):
            self.widget.set_texts({c: self._texts.choice(self.spec.key, c, self._ruleset)
                                   for c in self.spec.choices})


class YesNoFieldEditor(FieldEditor):
    """A yes/no question: 是 and 否 side by side, neither chosen at first (not answered); Y and N answer it
    from the keyboard."""

    widget: YesNoButtons
    advances = True

    def _build(self, parent: QWidget) -> QWidget:
        buttons = YesNoButtons(parent)
        buttons.chosen.connect(lambda _choice: self._on_change())
        return buttons

    def focus_widget(self) -> QWidget:
        return self.widget.focus_widget()

    def focus_widgets(self) -> list[QWidget]:
        return self.widget.focus_widgets()

    def value(self) -> Any:
        return self.widget.bool_value()

    def set_value(self, value: Any) -> None:
        self.widget.set_bool_value(value if isinstance(value, bool) else None)

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "widget"):
            self.widget.set_texts({YesNoButtons.YES: self._texts.yes_no(True),
                                   YesNoButtons.NO: self._texts.yes_no(False)})


class CategoryFieldEditor(_ButtonsEditor):
    """The declared category: the rule set's categories as a grid of big buttons with their names, folded
    to the chosen one once chosen."""

    widget: CategoryGridWidget
    advances = True

    def _build(self, parent: QWidget) -> QWidget:
        grid = CategoryGridWidget(self.spec.choices, parent)
        grid.chosen.connect(lambda _choice: self._on_change())
        return grid

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "widget"):
            self.widget.set_names({code: words.category(code) for code in self.spec.choices},
                                  change=self._texts.change_category())


class PlateFieldEditor(FieldEditor):
    """The plate: typed or scanned into its line edit (``field_plate``), the province put in with a tap on
    the grid, or a recent plate filled with one tap."""

    widget: PlateInputWidget

    def _build(self, parent: QWidget) -> QWidget:
        plate = PlateInputWidget(parent)
        plate.edited.connect(self._on_change)
        return plate

    def _name(self) -> None:
        self.widget.setObjectName("plateBox")
        self.widget.edit.setObjectName(f"field_{self.spec.key}")

    def focus_widget(self) -> QWidget:
        return self.widget.edit

    def value(self) -> Any:
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        self.widget.set_text("" if value is None else str(value))

    def set_recent(self, plates: Sequence[str]) -> None:
        self.widget.set_recent(plates)

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "widget"):
            self.widget.set_texts(recent=self._texts.recent_plates(), province=self._texts.province_tip())
            self.widget.edit.setPlaceholderText(self._texts.plate_placeholder())


class ChecksFieldEditor(FieldEditor):
    """Documents received: one check box per kind."""

    def _build(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, RowCheckBox] = {}
        for i, choice in enumerate(self.spec.choices):
            check = RowCheckBox("", box)
            check.setObjectName(f"document_{choice}")
            check.checkStateChanged.connect(lambda _state: self._on_change())
            grid.addWidget(check, i // 2, i % 2)
            self.boxes[choice] = check
        return box

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))

    def focus_widgets(self) -> list[QWidget]:
        return list(self.boxes.values())

    def value(self) -> Any:
        return [c for c, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for choice, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(choice in chosen)
            box.blockSignals(False)

    def retranslate(self) -> None:
        super().retranslate()
        for choice, box in getattr(self, "boxes", {}).items():
            box.setText(self._texts.choice(self.spec.key, choice))


class PhotosFieldEditor(FieldEditor):
    """Photos of the load: a button that adds one (through the wizard) and the list of their hashes."""

    def __init__(self, spec: FieldSpec, texts: IntakeTexts, ruleset: RuleSet, parent: QWidget,
                 on_change: Callable[[], None], add_photo: Callable[[], None],
                 add_camera_photos: Callable[[], None] | None = None) -> None:
        self._hashes: list[str] = []
        self._add_photo = add_photo
        self._add_camera_photos = add_camera_photos
        super().__init__(spec, texts, ruleset, parent, on_change)

    def _build(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(box)
        self.add_button.setObjectName("addPhotoButton")
        self.add_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.add_button.clicked.connect(self._add_photo)
        self.camera_button: QPushButton | None = None
        if self._add_camera_photos is not None:
            self.camera_button = QPushButton(box)
            self.camera_button.setObjectName("cameraPhotoButton")
            self.camera_button.setMinimumHeight(TOUCH_TARGET_PX)
            self.camera_button.clicked.connect(self._add_camera_photos)
        self.list_label = QLabel(box)
        self.list_label.setObjectName("photoList")
        if self.camera_button is not None:
            layout.addWidget(self.camera_button)
        layout.addWidget(self.add_button)
        layout.addWidget(self.list_label)
        return box

    def focus_widget(self) -> QWidget:
        return self.add_button

    def add_hash(self, sha256: str) -> None:
        if sha256 not in self._hashes:
            self._hashes.append(sha256)
            self._show()
            self._on_change()

    def _show(self) -> None:
        self.list_label.setText("\n".join(f"SHA-256 {h[:16]}…" for h in self._hashes))

    def value(self) -> Any:
        return list(self._hashes)

    def set_value(self, value: Any) -> None:
        self._hashes = [h for h in (value or []) if isinstance(h, str)]
        self._show()

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "add_button"):
            self.add_button.setText(self._texts.add_photo_button())
        if getattr(self, "camera_button", None) is not None:
            assert self.camera_button is not None
            self.camera_button.setText(self._texts.camera_photo_button())


def make_editor(spec: FieldSpec, texts: IntakeTexts, ruleset: RuleSet, parent: QWidget,
                on_change: Callable[[], None], add_photo: Callable[[], None],
                add_camera_photos: Callable[[], None] | None = None) -> FieldEditor:
    if spec.kind is FieldKind.PLATE:
        return PlateFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind in _LINE_KINDS:
        return LineFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind is FieldKind.BOOL:
        return YesNoFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind is FieldKind.CATEGORY:
        return CategoryFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind is FieldKind.CHOICE:
        return ChoiceFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind is FieldKind.DOCUMENTS:
        return ChecksFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind is FieldKind.PHOTOS:
        return PhotosFieldEditor(spec, texts, ruleset, parent, on_change, add_photo, add_camera_photos)
    raise ValueError(f"no editor for {spec.kind}")


def editors_in_tab_order(editors: Sequence[FieldEditor]) -> list[QWidget]:
    """The focusable widgets of the editors, in the order the form shows them."""
    return [widget for editor in editors for widget in editor.focus_widgets()]


class SupplierFieldEditor(FieldEditor):
    """The supplier: an existing one or a new one, switched by two big buttons.

    For an existing supplier, the one chosen beside the switch, a search box (name or unified social credit
    code) and the suppliers it finds, one tap each (or the arrow keys and Enter); a single match is chosen at
    once. For a new supplier, nothing here:
    the wizard shows the new supplier's name and code fields instead (``mode()`` says which).
    ``search(text, on_found)`` runs the search in the background and calls ``on_found`` with the
    ``SupplierChoice`` values found, on the GUI thread.
    """

    EXISTING = "existing"
    NEW = "new"
    RESULT_ROWS = 5

    def __init__(self, spec: FieldSpec, texts: IntakeTexts, ruleset: RuleSet, parent: QWidget,
                 on_change: Callable[[], None],
                 search: Callable[[str, Callable[[Sequence[SupplierChoice]], None]], None]) -> None:
        self._search = search
        self._chosen: SupplierChoice | None = None
        self._found_count: int | None = None
        super().__init__(spec, texts, ruleset, parent, on_change)

    def _build(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.mode_buttons = ChoiceButtons((self.EXISTING, self.NEW), box)
        self.mode_buttons.setObjectName("supplierMode")
        self.mode_buttons.set_value(self.EXISTING)
        # The supplier chosen, beside the switch (one row less on a small screen).
        self.chosen_label = QLabel(box)
        self.chosen_label.setObjectName("supplierChosen")
        self.chosen_label.setWordWrap(True)
        bold = self.chosen_label.font()
        bold.setBold(True)
        self.chosen_label.setFont(bold)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.mode_buttons, 1)
        top.addWidget(self.chosen_label, 1)
        self.existing_box = QWidget(box)
        existing = QVBoxLayout(self.existing_box)
        existing.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit(self.existing_box)
        self.search_edit.setObjectName("supplierSearch")
        self.search_edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.found_label = QLabel(self.existing_box)
        self.found_label.setObjectName("supplierFound")
        self.found_label.hide()
        self.results = QListWidget(self.existing_box)
        self.results.setObjectName("supplierResults")
        self.results.setStyleSheet(f"QListWidget::item {{ min-height: {TOUCH_TARGET_PX}px; }}")
        self.results.hide()
        existing.addWidget(self.search_edit)
        existing.addWidget(self.found_label)
        existing.addWidget(self.results)
        layout.addLayout(top)
        layout.addWidget(self.existing_box)
        self.mode_buttons.chosen.connect(self._on_mode_buttons_chosen)
        self.search_edit.textEdited.connect(self._on_search_edit_text_edited)
        self.results.itemClicked.connect(self._on_results_item_activated)
        self.results.itemActivated.connect(self._on_results_item_activated)
        return box

    def focus_widget(self) -> QWidget:
        return self.search_edit if self.mode() == self.EXISTING else self.mode_buttons.focus_widget()

    def focus_widgets(self) -> list[QWidget]:
        return [*self.mode_buttons.focus_widgets(), self.search_edit, self.results]

    def takes_enter(self, widget: QWidget) -> bool:
        return widget is self.results  # Enter picks the supplier the arrow keys went to

    # ---- what is chosen ---------------------------------------------------------------------------------

    def mode(self) -> str:
        return self.mode_buttons.value() or self.EXISTING

    def set_mode(self, mode: str) -> None:
        self.mode_buttons.set_value(self.NEW if mode == self.NEW else self.EXISTING)
        self._show_mode()

    def chosen(self) -> SupplierChoice | None:
        return self._chosen if self.mode() == self.EXISTING else None

    def set_chosen(self, choice: SupplierChoice | None) -> None:
        """Show ``choice`` as the existing supplier (a draft's, a returning vehicle's); no change signal."""
        self._chosen = choice
        if choice is not None:
            self.set_mode(self.EXISTING)
        self._show_chosen()

    def value(self) -> Any:
        chosen = self.chosen()
        return "" if chosen is None else str(chosen.id)

    def label_text(self) -> str:
        chosen = self.chosen()
        return "" if chosen is None else f"{chosen.name}{words.aside(chosen.uscc)}"

    def set_value(self, value: Any, label: str = "") -> None:
        text = str(value or "").strip()
        self.set_chosen(SupplierChoice(int(text), label or text, "") if text.isdigit() else None)

    # ---- slots ------------------------------------------------------------------------------------------

    def _on_mode_buttons_chosen(self, _mode: str) -> None:
        self._show_mode()
        self._on_change()

    def _on_search_edit_text_edited(self, text: str) -> None:
        self._search(text, self._on_found)

    def _on_found(self, found: Sequence[SupplierChoice]) -> None:
        self.results.clear()
        for choice in found:
            item = QListWidgetItem(f"{choice.name}{words.aside(choice.uscc)}", self.results)
            item.setData(Qt.ItemDataRole.UserRole, choice)
        self._found_count = len(found) if self.search_edit.text().strip() else None
        rows = min(max(len(found), 1), self.RESULT_ROWS)
        self.results.setFixedHeight(rows * (TOUCH_TARGET_PX + 2) + 4)
        self.results.setVisible(bool(found))
        self._show_found()
        if len(found) == 1 and (self._chosen is None or self._chosen.id != found[0].id):
            self._choose(found[0])  # the only match is the one meant

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        choice = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(choice, SupplierChoice):
            self._choose(choice)

    def _choose(self, choice: SupplierChoice) -> None:
        self._chosen = choice
        self._show_chosen()
        self._on_change()

    # ---- showing ----------------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        existing = self.mode() == self.EXISTING
        if self.existing_box.isHidden() == existing:
            self.existing_box.setVisible(existing)
        if self.chosen_label.isHidden() == existing:
            self.chosen_label.setVisible(existing)

    def _show_chosen(self) -> None:
        self.chosen_label.setText(self._texts.supplier_chosen(self.label_text() if self._chosen else None))

    def _show_found(self) -> None:
        if self._found_count is None:
            self.found_label.hide()
            return
        self.found_label.setText(self._texts.pick_supplier(self._found_count))
        self.found_label.show()

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "mode_buttons"):
            return
        self.mode_buttons.set_texts({self.EXISTING: self._texts.supplier_mode(self.EXISTING),
                                     self.NEW: self._texts.supplier_mode(self.NEW)})
        self.search_edit.setPlaceholderText(self._texts.supplier_search_placeholder())
        self._show_chosen()
        self._show_found()
        self._show_mode()
