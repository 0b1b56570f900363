"""The correction dialogs of a load: amend one field (``AmendDialog``) and cancel the load (``CancelDialog``).

Each dialog collects what the person gives, has a supervisor confirm in person when one must (through the
``confirm_supervisor`` it is given: by default the sign-in of a second person, as for a weight typed by
hand), runs the operation through the door and stays open, with the refusal in words, until the operation
succeeds or the person closes it. Screens open them through the prompts they are given (``AmendPrompt``,
``CancelPrompt``), so a test never waits on a modal dialog. The services check everything again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.intake.steps import FieldKind, FieldSpec
from inspector.queries.intake import SupplierChoice
from inspector.queries.loads import AmendableValue, AmendForm, CancelForm
from inspector.reasons import MIN_REASON_LENGTH, long_enough
from inspector.security.actor import Actor
from inspector.services.corrections import AmendInvalidError, AmendResult, CancelResult
from inspector.standard.identify import identify
from inspector.standard.ruleset import RuleSet
from inspector.standard.schema import Question
from ui import words
from ui.operations import loads as operations
from ui.ops import Door
from ui.screens.intake.editors import ERROR_STYLE, SupplierFieldEditor, make_editor
from ui.screens.intake.texts import IntakeTexts
from ui.theme import TOUCH_TARGET_PX

# (parent, what is confirmed) -> the supervisor who confirmed in person, or None when nobody did.
SupervisorConfirm = Callable[[QWidget, str], Actor | None]
# (parent, the form read for the load) -> what was stored, or None when the dialog was closed.
AmendPrompt = Callable[[QWidget, AmendForm], AmendResult | None]
CancelPrompt = Callable[[QWidget, CancelForm], CancelResult | None]

NOTE_STYLE = "color: #7a4b00; font-weight: bold;"
RADIO_STYLE = "QRadioButton::indicator { width: 24px; height: 24px; }"


def confirm_in_person(door: Door) -> SupervisorConfirm:
    """A supervisor types their user id and password here (a sign-in as a second person, audited)."""

    def confirm(parent: QWidget, reason: str) -> Actor | None:
        from ui.screens.login import SecondPersonDialog

        dialog = SecondPersonDialog(door, reason=reason, parent=parent)
        return dialog.confirmer if dialog.exec() else None

    return confirm


def amend_prompt(door: Door, actor: Actor, *, clock: Clock | None = None,
                 confirm_supervisor: SupervisorConfirm | None = None) -> AmendPrompt:
    """The correction dialog, shown modally."""

    def ask(parent: QWidget, form: AmendForm) -> AmendResult | None:
        return AmendDialog(door, actor, form, clock=clock, confirm_supervisor=confirm_supervisor,
                           parent=parent).ask()

    return ask


def cancel_prompt(door: Door, actor: Actor, *, clock: Clock | None = None,
                  confirm_supervisor: SupervisorConfirm | None = None) -> CancelPrompt:
    """The cancel dialog, shown modally."""

    def ask(parent: QWidget, form: CancelForm) -> CancelResult | None:
        return CancelDialog(door, actor, form, clock=clock, confirm_supervisor=confirm_supervisor,
                            parent=parent).ask()

    return ask


class _Editor(Protocol):
    """What the dialog asks of a field's editor (the intake form's editors, and the answers' below)."""

    widget: QWidget
    error_label: QLabel

    def value(self) -> Any: ...

    def set_value(self, value: Any) -> None: ...

    def show_error(self, text: str | None) -> None: ...


class AnswersEditor:
    """The identification, question after question: a drop-down per question on the way, the next one
    unanswered; changing an answer drops those that no longer lie on the way (as the intake form does)."""

    def __init__(self, spec: FieldSpec, ruleset: RuleSet, parent: QWidget,
                 on_change: Callable[[], None]) -> None:
        self.spec = spec
        self._ruleset = ruleset
        self._on_change = on_change
        self._answers: dict[str, str] = {}
        self.widget = QWidget(parent)
        self.widget.setObjectName("field_answers")
        self._layout = QVBoxLayout(self.widget)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.error_label = QLabel(parent)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.combos: dict[str, QComboBox] = {}
        self.category_label = QLabel(self.widget)
        self._rebuild()

    def value(self) -> Any:
        return dict(self._answers)

    def set_value(self, value: Any) -> None:
        self._answers = {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
        self._rebuild()

    def show_error(self, text: str | None) -> None:
        self.error_label.setText(text or "")
        self.error_label.setVisible(bool(text))

    def answer(self, question: str, answer: str | None) -> None:
        """Answer ``question`` (None: take the answer back), as a pick in its drop-down does."""
        if answer:
            self._answers[question] = answer
        else:
            self._answers.pop(question, None)
        self._rebuild()
        self._on_change()

    def _rebuild(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            shown = item.widget() if item is not None else None
            if shown is not None and shown is not self.category_label:
                shown.hide()
                shown.deleteLater()  # perhaps the drop-down whose signal runs this
        self.combos = {}
        result = identify(self._ruleset, self._answers)
        self._answers = {s.question: s.answer for s in result.path}
        questions = {q.id: q for q in self._ruleset.definition.identification.questions}
        for taken in result.path:
            self._add_question(questions[taken.question], taken.answer)
        if result.question is not None:
            self._add_question(result.question, None)
        if result.category is not None:
            self.category_label.setText(f"→ {result.category} {words.category(result.category)}")
        self.category_label.setVisible(result.category is not None)
        self._layout.addWidget(self.category_label)

    def _add_question(self, question: Question, chosen: str | None) -> None:
        label = QLabel(words.rule_text(question.text), self.widget)
        label.setWordWrap(True)
        combo = QComboBox(self.widget)
        combo.setObjectName(f"answer_{question.id}")
        combo.setMinimumHeight(TOUCH_TARGET_PX)
        combo.addItem("", "")
        for answer in question.answers:
            combo.addItem(words.rule_text(answer.text), answer.id)
        combo.setCurrentIndex(max(combo.findData(chosen or ""), 0))
        combo.activated.connect(lambda _index, q=question.id, box=combo: self.answer(q, box.currentData()))
        self._layout.addWidget(label)
        self._layout.addWidget(combo)
        self.combos[question.id] = combo


class AmendDialog(QDialog):
    """Pick a field, see its current value, give the new one and the reason; a supervisor confirms when
    the load was weighed out, classified or put in a lot.

    Signals:
        amended(object): the amendment was stored (its ``AmendResult``).
    """

    amended = Signal(object)

    def __init__(self, door: Door, actor: Actor, form: AmendForm, *, clock: Clock | None = None,
                 confirm_supervisor: SupervisorConfirm | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendDialog")
        self._door = door
        self._actor = actor
        self._form = form
        self._clock = clock or Clock()
        self._confirm = confirm_supervisor or confirm_in_person(door)
        self._texts = IntakeTexts(self)
        self.result_value: AmendResult | None = None
        self.editor: _Editor | None = None

        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("supervisorNote")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.field_combo = QComboBox(self)
        self.field_combo.setObjectName("amendField")
        self.field_combo.setMinimumHeight(TOUCH_TARGET_PX)
        self.current_label = QLabel(self)
        self.current_label.setObjectName("currentValue")
        self.current_label.setWordWrap(True)
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.editor_box = QWidget(self)
        self._editor_layout = QVBoxLayout(self.editor_box)
        self._editor_layout.setContentsMargins(0, 0, 0, 0)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("amendReason")
        self.reason_edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("amendMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveAmendment")
        self.save_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self)
        self.close_button.setMinimumHeight(TOUCH_TARGET_PX)
        self._labels = [QLabel(self) for _ in range(4)]

        form_layout = QFormLayout()
        form_layout.addRow(self._labels[0], self.field_combo)
        form_layout.addRow(self._labels[1], self.current_label)
        form_layout.addRow(self._labels[2], self.editor_box)
        form_layout.addRow(self._labels[3], self.reason_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.note_label)
        layout.addLayout(form_layout)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.field_combo.currentIndexChanged.connect(self._on_field_combo_current_index_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.reason_edit.returnPressed.connect(self._on_save_button_clicked)
        self._retranslate()
        self._fill_fields()
        if form.refusal is not None:
            self.message_label.setText(words.error(form.refusal))
            self.save_button.setEnabled(False)

    # ---- language ---------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._fill_fields()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        form = self._form
        self.setWindowTitle(self.tr("Correct load %1").replace("%1", form.ticket_no))
        self.intro_label.setText(self.tr("Load %1 (%2): the earlier value is kept in the audit trail.")
                                 .replace("%1", form.ticket_no).replace("%2", words.load_state(form.state)))
        notes = []
        if form.needs_supervisor:
            notes.append(self.tr("The load was weighed out, classified or put in a lot: a supervisor must "
                                 "confirm this correction in person."))
        if form.lots:
            notes.append(self.tr("It is in lot %1, which goes back to draft if it was submitted or decided.")
                         .replace("%1", ", ".join(form.lots)))
        self.note_label.setText(words.sentences(notes))
        self.note_label.setVisible(bool(notes))
        names = (self.tr("Field"), self.tr("Current value"), self.tr("New value"), self.tr("Reason"))
        for label, text in zip(self._labels, names, strict=True):
            label.setText(text)
        self.reason_edit.setPlaceholderText(self.tr("Why the value is corrected (at least %n characters)", "",
                                                    MIN_REASON_LENGTH))
        self.save_button.setText(self.tr("Save correction"))
        self.close_button.setText(self.tr("Close"))

    def _fill_fields(self) -> None:
        current = self.field_combo.currentData()
        self.field_combo.blockSignals(True)
        self.field_combo.clear()
        for field in self._form.fields:
            self.field_combo.addItem(self._texts.field(field.key, self._form.ruleset), field.key)
        self.field_combo.setCurrentIndex(max(self.field_combo.findData(current), 0))
        self.field_combo.blockSignals(False)
        self._show_field()

    # ---- the field ----------------------------------------------------------------------------------------

    @property
    def field(self) -> AmendableValue | None:
        key = self.field_combo.currentData()
        return next((f for f in self._form.fields if f.key == key), None)

    def choose_field(self, key: str) -> None:
        """Pick the field ``key`` (as a pick in the drop-down does)."""
        self.field_combo.setCurrentIndex(self.field_combo.findData(key))

    def _on_field_combo_current_index_changed(self, _index: int) -> None:
        self.message_label.clear()
        self._show_field()

    def _show_field(self) -> None:
        if self.editor is not None:
            for widget in (self.editor.widget, self.editor.error_label, getattr(self.editor, "label", None)):
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
            self.editor = None
        field = self.field
        if field is None:
            self.current_label.setText("")
            return
        self.current_label.setText(self._shown(field))
        editor = self._make_editor(field)
        label = getattr(editor, "label", None)
        if isinstance(label, QLabel):
            label.hide()  # the field is named by the drop-down above
        editor.set_value(field.current if field.key != "supplier_id" else None)
        self._editor_layout.addWidget(editor.widget)
        self._editor_layout.addWidget(editor.error_label)
        self.editor = editor

    def _make_editor(self, field: AmendableValue) -> _Editor:
        ruleset = self._form.ruleset
        if field.spec.kind is FieldKind.ANSWERS:
            return AnswersEditor(field.spec, ruleset, self.editor_box, self._on_editor_changed)
        if field.spec.kind is FieldKind.SUPPLIER:
            supplier = SupplierFieldEditor(field.spec, self._texts, ruleset, self.editor_box,
                                           self._on_editor_changed, self._search_suppliers)
            supplier.mode_buttons.hide()  # a correction picks an existing supplier
            return supplier
        return make_editor(field.spec, self._texts, ruleset, self.editor_box, self._on_editor_changed,
                           lambda: None)

    def _search_suppliers(self, text: str, on_found: Callable[[Sequence[SupplierChoice]], None]) -> None:
        operations.find_suppliers(self._door, owner=self, text=text, on_done=on_found)

    def _on_editor_changed(self) -> None:
        if self.editor is not None:
            self.editor.show_error(None)

    def _shown(self, field: AmendableValue) -> str:
        """The current value in words."""
        value = field.current
        if field.key == "answers" and not value and self._form.category:
            # A load identified outside the intake form has its category without the answers.
            return f"{self._form.category} {words.category(self._form.category)}"
        if value is None or value == "":
            return self.tr("(nothing recorded)")
        ruleset = self._form.ruleset
        kind = field.spec.kind
        if field.key == "supplier_id":
            return self._form.supplier_name
        if kind is FieldKind.ANSWERS and isinstance(value, dict):
            result = identify(ruleset, value)
            questions = {q.id: q for q in ruleset.definition.identification.questions}
            taken = [words.rule_text(next(a.text for a in questions[s.question].answers if a.id == s.answer))
                     for s in result.path]
            if result.category is not None:
                taken.append(f"{result.category} {words.category(result.category)}")
            return " → ".join(taken)
        if kind is FieldKind.CATEGORY:
            return f"{value} {words.category(str(value))}"
        if kind is FieldKind.BOOL:
            return self._texts.yes_no(bool(value))
        if field.spec.choices and str(value) in field.spec.choices:
            return self._texts.choice(field.key, str(value), ruleset)
        return f"{value} {field.spec.unit}" if field.spec.unit else str(value)

    # ---- saving -------------------------------------------------------------------------------------------

    def _on_save_button_clicked(self) -> None:
        field = self.field
        if field is None or self.editor is None or not self.save_button.isEnabled():
            return
        reason = self.reason_edit.text()
        if not long_enough(reason):
            self.message_label.setText(self.tr("Say why in at least %n characters.", "", MIN_REASON_LENGTH))
            self.reason_edit.setFocus()
            return
        confirmer = None
        if self._form.needs_supervisor:
            asked = self.tr("Correction of %1 of load %2: a supervisor confirms it in person.")
            confirmer = self._confirm(self, asked.replace("%1", self.field_combo.currentText())
                                      .replace("%2", self._form.ticket_no))
            if confirmer is None:
                self.message_label.setText(self.tr("Not saved: a supervisor did not confirm the correction."))
                return
        self.message_label.clear()
        self.save_button.setEnabled(False)
        operations.amend_load(self._door, owner=self, actor=self._actor, clock=self._clock,
                              load_id=self._form.load_id, field=field.key, value=self.editor.value(),
                              reason=reason, confirmed_by=confirmer, in_lots=bool(self._form.lots),
                              on_done=self._on_door_amended, on_error=self._on_door_failed)

    def _on_door_amended(self, result: AmendResult) -> None:
        self.result_value = result
        self.amended.emit(result)
        self.accept()

    def _on_door_failed(self, exc: InspectorError) -> None:
        self.save_button.setEnabled(True)
        self.message_label.setText(words.error(exc))
        if isinstance(exc, AmendInvalidError) and self.editor is not None:
            self.editor.show_error(self._texts.error(exc.errors[0], self._form.ruleset))

    def ask(self) -> AmendResult | None:
        """Show the dialog modally; what was stored, or None when it was closed first."""
        return self.result_value if self.exec() == QDialog.DialogCode.Accepted else None


class CancelDialog(QDialog):
    """Why the load is cancelled (turned away, a duplicate, entered by mistake: one big choice each) and in
    the person's own words; a supervisor confirms once the load was weighed out.

    Signals:
        cancelled(object): the load was cancelled (its ``CancelResult``).
    """

    cancelled = Signal(object)

    def __init__(self, door: Door, actor: Actor, form: CancelForm, *, clock: Clock | None = None,
                 confirm_supervisor: SupervisorConfirm | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self._door = door
        self._actor = actor
        self._form = form
        self._clock = clock or Clock()
        self._confirm = confirm_supervisor or confirm_in_person(door)
        self.result_value: CancelResult | None = None

        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("supervisorNote")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        kinds = QVBoxLayout()
        for kind in form.kinds:
            button = QRadioButton(self)
            button.setObjectName(f"kind_{kind}")
            button.setMinimumHeight(TOUCH_TARGET_PX)
            button.setStyleSheet(RADIO_STYLE)
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("cancelReason")
        self.reason_edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("cancelMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("confirmCancel")
        self.confirm_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.keep_button = QPushButton(self)
        self.keep_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.keep_button.setDefault(True)  # Enter keeps the load: cancelling takes a deliberate tap
        self._reason_label = QLabel(self)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.note_label)
        layout.addLayout(kinds)
        layout.addWidget(self._reason_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.keep_button.clicked.connect(self.reject)
        self._retranslate()
        if form.refusal is not None:
            self.message_label.setText(words.error(form.refusal))
            self.confirm_button.setEnabled(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        form = self._form
        self.setWindowTitle(self.tr("Cancel load %1").replace("%1", form.ticket_no))
        self.intro_label.setText(self.tr("Load %1 (%2) is cancelled: its ticket number, weighings and events "
                                         "stay on the record; it joins no lot.")
                                 .replace("%1", form.ticket_no).replace("%2", words.load_state(form.state)))
        self.note_label.setText(self.tr("The load was weighed out: a supervisor must confirm the "
                                        "cancellation in person."))
        self.note_label.setVisible(form.needs_supervisor)
        for kind, button in self.kind_buttons.items():
            button.setText(words.word("cancel_kind", kind))
        self._reason_label.setText(self.tr("Reason"))
        self.reason_edit.setPlaceholderText(self.tr("What happened (at least %n characters)", "",
                                                    MIN_REASON_LENGTH))
        self.confirm_button.setText(self.tr("Cancel the load"))
        self.keep_button.setText(self.tr("Keep the load"))

    def kind(self) -> str | None:
        return next((k for k, b in self.kind_buttons.items() if b.isChecked()), None)

    def _on_confirm_button_clicked(self) -> None:
        if not self.confirm_button.isEnabled():
            return
        kind = self.kind()
        if kind is None:
            self.message_label.setText(self.tr("Choose why the load is cancelled."))
            return
        reason = self.reason_edit.text()
        if not long_enough(reason):
            self.message_label.setText(self.tr("Say why in at least %n characters.", "", MIN_REASON_LENGTH))
            self.reason_edit.setFocus()
            return
        confirmer = None
        if self._form.needs_supervisor:
            asked = self.tr("Cancellation of load %1: a supervisor confirms it in person.")
            confirmer = self._confirm(self, asked.replace("%1", self._form.ticket_no))
            if confirmer is None:
                self.message_label.setText(self.tr("Not cancelled: a supervisor did not confirm it."))
                return
        self.message_label.clear()
        self.confirm_button.setEnabled(False)
        operations.cancel_load(self._door, owner=self, actor=self._actor, clock=self._clock,
                               load_id=self._form.load_id, reason_kind=kind, reason=reason,
                               confirmed_by=confirmer, on_done=self._on_door_cancelled,
                               on_error=self._on_door_failed)

    def _on_door_cancelled(self, result: CancelResult) -> None:
        self.result_value = result
        self.cancelled.emit(result)
        self.accept()

    def _on_door_failed(self, exc: InspectorError) -> None:
        self.confirm_button.setEnabled(True)
        self.message_label.setText(words.error(exc))

    def ask(self) -> CancelResult | None:
        """Show the dialog modally; what was stored, or None when it was closed first."""
        return self.result_value if self.exec() == QDialog.DialogCode.Accepted else None
