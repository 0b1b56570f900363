"""Field editors of the intake form, one per field kind of ``inspector.intake.steps``.

Each editor owns its input widget and an error label beneath it, gives its value in the form the core checks
(text as typed, ``True``/``False``/``None`` for a yes/no, a list for documents and photos) and takes a
draft's value back. Inputs are at least 44 px high (gloves and touch screens).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.intake.steps import FieldKind, FieldSpec
from inspector.standard.ruleset import RuleSet
from ui import words
from ui.screens.intake.texts import IntakeTexts
from ui.theme import TOUCH_TARGET_PX

ERROR_STYLE = "color: #c00000; font-weight: bold;"
_LINE_KINDS = frozenset({FieldKind.TEXT, FieldKind.PLATE, FieldKind.USCC, FieldKind.HW_CODE,
                         FieldKind.MANIFEST, FieldKind.SEAL, FieldKind.DECIMAL, FieldKind.INTEGER,
                         FieldKind.WEIGHT})


class FieldEditor:
    """One field: its input widget(s) in ``widget``, the label, and the error label below."""

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
        self.widget.setObjectName(f"field_{spec.key}")
        self.retranslate()

    @property
    def key(self) -> str:
        return self.spec.key

    def focus_widget(self) -> QWidget:
        return self.widget

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


class ComboFieldEditor(FieldEditor):
    """Choices, categories and yes/no: a combo box whose first entry is "not chosen".

    Item data are strings only ("" for not chosen, "yes"/"no" for a yes/no), so ``findData`` compares
    like with like (``0 == False`` would otherwise match) and the values map one to one to the core's.
    """

    widget: QComboBox
    _BOOLS: ClassVar[dict[str, bool | None]] = {"": None, "no": False, "yes": True}

    def _build(self, parent: QWidget) -> QWidget:
        combo = QComboBox(parent)
        combo.setMinimumHeight(TOUCH_TARGET_PX)
        self._fill(combo)
        combo.activated.connect(lambda _index: self._on_change())
        return combo

    def _items(self) -> list[tuple[str, str]]:
        if self.spec.kind is FieldKind.BOOL:
            return [(self._texts.yes_no(None), ""), (self._texts.yes_no(False), "no"),
                    (self._texts.yes_no(True), "yes")]
        key = "declared_category" if self.spec.kind is FieldKind.CATEGORY else self.spec.key
        return [("", "")] + [(self._texts.choice(key, c, self._ruleset), c) for c in self.spec.choices]

    def _fill(self, combo: QComboBox) -> None:
        current = str(combo.currentData() or "") if combo.count() else ""
        combo.clear()
        for text, data in self._items():
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(current), 0))

    def _data_of(self, value: Any) -> str:
        if self.spec.kind is FieldKind.BOOL:
            return "" if value is None else ("yes" if value is True else "no" if value is False else "")
        return "" if value is None else str(value)

    def value(self) -> Any:
        data = str(self.widget.currentData() or "")
        if self.spec.kind is FieldKind.BOOL:
            return self._BOOLS.get(data)
        return data or None

    def set_value(self, value: Any) -> None:
        self.widget.setCurrentIndex(max(self.widget.findData(self._data_of(value)), 0))

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "widget"):
            self._fill(self.widget)


class ChecksFieldEditor(FieldEditor):
    """Documents received: one check box per kind."""

    def _build(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, choice in enumerate(self.spec.choices):
            check = QCheckBox(box)
            check.setObjectName(f"document_{choice}")
            check.setMinimumHeight(TOUCH_TARGET_PX)
            check.checkStateChanged.connect(lambda _state: self._on_change())
            grid.addWidget(check, i // 2, i % 2)
            self.boxes[choice] = check
        return box

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))

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
    if spec.kind in _LINE_KINDS:
        return LineFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind in (FieldKind.CHOICE, FieldKind.CATEGORY, FieldKind.BOOL):
        return ComboFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind is FieldKind.DOCUMENTS:
        return ChecksFieldEditor(spec, texts, ruleset, parent, on_change)
    if spec.kind is FieldKind.PHOTOS:
        return PhotosFieldEditor(spec, texts, ruleset, parent, on_change, add_photo, add_camera_photos)
    raise ValueError(f"no editor for {spec.kind}")


def editors_in_tab_order(editors: Sequence[FieldEditor]) -> list[QWidget]:
    """The focusable widgets of the editors, in the order the form shows them."""
    widgets: list[QWidget] = []
    for editor in editors:
        if isinstance(editor, ChecksFieldEditor):
            widgets.extend(editor.boxes.values())
        else:
            widgets.append(editor.focus_widget())
    return widgets


class SupplierFieldEditor(FieldEditor):
    """The supplier: a search box (name or code) and the matching suppliers to pick from.

    ``search(text, on_found)`` runs the search in the background and calls ``on_found`` with
    ``(id, label)`` pairs on the GUI thread.
    """

    def __init__(self, spec: FieldSpec, texts: IntakeTexts, ruleset: RuleSet, parent: QWidget,
                 on_change: Callable[[], None],
                 search: Callable[[str, Callable[[list[tuple[int, str]]], None]], None]) -> None:
        self._search = search
        super().__init__(spec, texts, ruleset, parent, on_change)

    def _build(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit(box)
        self.search_edit.setObjectName("supplierSearch")
        self.search_edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.results = QComboBox(box)
        self.results.setObjectName("supplierResults")
        self.results.setMinimumHeight(TOUCH_TARGET_PX)
        self.results.addItem("", "")
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        self.search_edit.textEdited.connect(self._on_search_edit_text_edited)
        self.results.activated.connect(lambda _index: self._on_change())
        return box

    def focus_widget(self) -> QWidget:
        return self.search_edit

    def _on_search_edit_text_edited(self, text: str) -> None:
        self._search(text, self._on_found)

    def _on_found(self, found: list[tuple[int, str]]) -> None:
        current = str(self.results.currentData() or "")
        self.results.clear()
        self.results.addItem(self._texts.pick_supplier(len(found)), "")
        for supplier_id, label in found:
            self.results.addItem(label, str(supplier_id))
        index = self.results.findData(current) if current else -1
        if index < 0 and len(found) == 1:
            index = 1
        self.results.setCurrentIndex(max(index, 0))
        self._on_change()

    def value(self) -> Any:
        return str(self.results.currentData() or "")

    def label_text(self) -> str:
        return self.results.currentText() if self.results.currentData() else ""

    def set_value(self, value: Any, label: str = "") -> None:
        self.results.clear()
        self.results.addItem("", "")
        if value:
            self.results.addItem(label or str(value), str(value))
            self.results.setCurrentIndex(1)
