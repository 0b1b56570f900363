"""The guided intake form: one step at a time, checked as typed, saved as a draft as typed.

``IntakeWizardWidget`` shows the step a load waits for (or the arrival of a new truck), checks the values
with ``inspector.intake.steps.check_step`` as they are typed (a pure function, about a millisecond), shows
each error under its field and each finding (REJECT / HOLD / downgrade) with what to do as soon as it
arises, and saves the typed values as a draft through the door after every edit. Submitting a step (the Next
button, Ctrl+Enter, or Enter in the last field) runs ``submit_step`` on the worker and opens the next step.
Every write goes through ``ui.operations.intake`` and announces ``Change.LOADS``, so the trucks on site, the
register and the lab screen follow; the wizard itself reads the yard's cameras again when settings change.

Touch: every yes/no question is a 是 / 否 pair, choices and categories are big buttons, an only choice comes
chosen, and a tap that answers a field moves the focus on to the next one (the next reading is typed without
a tap first). At the arrival, a recent plate fills the plate with one tap, and a returning vehicle brings
what its previous load said (driver, supplier, declared category, origin), pre-filled and editable; the
generating enterprise is pre-filled from the supplier's name when the category asks for it. The done page
offers the next truck (Ctrl+N) and the weigh ticket (``ticket_requested``).

Keyboard: Tab moves through the fields in order, Enter moves to the next field and submits from the last,
Ctrl+Enter submits, F6 captures the live weight, Ctrl+P adds a photo, Y and N answer a yes/no question, and
in the identification step the keys 1-9 pick an answer and Backspace goes back one question.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.intake import drafts
from inspector.intake.camera import Camera, cameras
from inspector.intake.steps import (
    REQUIRED,
    TARE_DIFFERENCE_FIELDS,
    Alert,
    FieldError,
    FieldKind,
    FieldSpec,
    Step,
    StepCheck,
    StepContext,
    StepInvalidError,
    StoredTare,
    asks_tare_difference,
    check_step,
    fields_for,
    fields_missing_for,
    worst,
)
from inspector.queries.intake import (
    ArrivingVehicle,
    OpenedStep,
    PreviousLoad,
    SupplierChoice,
)
from inspector.security.actor import Actor
from inspector.services import intake as intake_svc
from inspector.services.corrections import ReopenResult
from inspector.standard.findings import Severity
from inspector.standard.identify import identify
from inspector.standard.wording import describe
from inspector.states import LoadState
from inspector.weighing.capture import CapturedWeight, LiveMonitor
from ui import formats, words
from ui.operations import intake as intake_ops
from ui.operations import loads as intake_loads_ops
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.screens.corrections import SupervisorConfirm, confirm_in_person
from ui.screens.intake.editors import (
    ALERT_STYLE,
    ERROR_STYLE,
    FieldEditor,
    LineFieldEditor,
    PhotosFieldEditor,
    PlateFieldEditor,
    SupplierFieldEditor,
    editors_in_tab_order,
    make_editor,
)
from ui.screens.intake.texts import IntakeTexts, current_language
from ui.theme import TOUCH_TARGET_PX
from ui.widgets import files
from ui.widgets.toggles import RowCheckBox

# Fields the weighing steps fill from the indicator, never typed.
_CAPTURED = frozenset({"frame_hex", "scale_id", "stability"})
# The arrival's fields a returning vehicle's previous load fills (and the rule set's choices: the origin).
_FROM_PREVIOUS_LOAD = ("driver", "supplier_id", "declared_category")
# Shown only for a new supplier; an existing one is picked in the supplier field itself.
_NEW_SUPPLIER = ("new_supplier_name", "new_supplier_uscc")
ENTERPRISE = "generating_enterprise"
CAPTURE_POLL_MS = 200
# Between the rows of a step's form: the fields are 44 px high already.
FORM_ROW_SPACING_PX = 2

PhotoPrompt = Callable[[QWidget], Path | None]
# Asks a supervisor (someone other than the inspector) to confirm a manual weight; None when declined.
ManualConfirm = Callable[[QWidget], Actor | None]


# A correction after weigh-out asks a supervisor to confirm in person, then is submitted again.
_SUPERVISOR_CODES = frozenset({"load.amend_needs_supervisor", "load.reweigh_needs_supervisor"})


def _blank(value: Any) -> bool:
    """Nothing given yet (as the core's checks see an empty field)."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def ask_photo_file(parent: QWidget) -> Path | None:
    title = QCoreApplication.translate("IntakeWizardWidget", "Add a photo")
    return files.choose_open_file(parent, title,
                                  filters="Images (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)")


class IntakeWizardWidget(ScreenWidget):
    """The step-by-step intake form for one load at a time.

    Signals:
        step_opened(str): a step's page is shown (its code).
        step_submitted(int, str): a step was stored for the load (load id, step code).
        finished(int): the load's intake steps are all submitted.
        draft_saved(str): the draft with this key was written.
        ticket_requested(int): "Print weigh ticket" was pressed on the done page (the load's id).
        vehicle_read(str): what the yard knows of the plate at the gate was read and applied (the plate).
    """

    # Not LOADS: the wizard's own drafts change loads with every keystroke, and a form rebuilt under the
    # inspector's hands would lose the focus. The cameras are settings.
    shows = frozenset({Change.SETTINGS})
    step_opened = Signal(str)
    step_submitted = Signal(int, str)
    finished = Signal(int)
    draft_saved = Signal(str)
    ticket_requested = Signal(int)
    vehicle_read = Signal(str)

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 monitor: LiveMonitor | None = None, live_weight: QWidget | None = None,
                 prompt_photo: PhotoPrompt = ask_photo_file, confirm_manual: ManualConfirm | None = None,
                 confirm_supervisor: SupervisorConfirm | None = None, parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._data_dir = door.data_dir
        self._clock = clock or Clock()
        self._monitor = monitor
        self._live_weight = live_weight
        self._cameras: tuple[Camera, ...] = ()
        self._status_shows_errors = False
        self._prompt_photo = prompt_photo
        self._confirm_manual = confirm_manual
        # A correction after weigh-out: a supervisor confirms in person (``corrections.reopen_step``).
        self._confirm_supervisor = confirm_supervisor or confirm_in_person(door)
        self._captured_weight: CapturedWeight | None = None
        self._texts = IntakeTexts(self)

        self.load_id: int | None = None
        self.ticket_no = ""
        self._plate = ""
        self._enter_chain: list[QWidget] = []
        self.step: Step | None = None
        self._draft_key = ""
        self._context: StepContext | None = None
        self._summary: intake_svc.Summary | None = None
        self._editors: list[FieldEditor] = []
        self._captured: dict[str, Any] = {}
        self._answers: dict[str, str] = {}
        self._recent_plates: tuple[str, ...] = ()
        # What the wizard filled in itself (a returning vehicle's previous load, the supplier's name as the
        # generating enterprise), by field: replaced when the plate or supplier changes, unless typed over.
        self._prefilled: dict[str, Any] = {}
        self._vehicle_lines: dict[str, str] = {}
        self._form: QFormLayout | None = None
        self._form_rows: dict[str, int] = {}
        self._hidden_keys: set[str] = set()
        self._touched: set[str] = set()
        self._show_all_errors = False
        self._last_check: StepCheck | None = None
        self._draft_busy = False
        self._draft_dirty = False
        self._submitting = False
        self._carried_alerts: tuple[Alert, ...] = ()
        # The HOLD and REJECT findings raised on the open step, by rule: they stay on the banner until the
        # step is left, even if a value is changed back (what was measured was seen).
        self._raised: dict[str, Alert] = {}
        # The steps of the open load that may be submitted again with a reason, and whether the page shows
        # one of them being corrected (not the step the load waits for).
        self._done_steps: tuple[Step, ...] = ()
        self._correcting = False

        self.header_label = QLabel(self)
        self.header_label.setObjectName("intakeHeader")
        font = self.header_label.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.header_label.setFont(font)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("intakeProgress")
        self.alerts_label = QLabel(self)
        self.alerts_label.setObjectName("intakeAlerts")
        self.alerts_label.setWordWrap(True)
        self.alerts_label.hide()
        self.vehicle_label = QLabel(self)
        self.vehicle_label.setObjectName("intakeVehicle")
        self.vehicle_label.setWordWrap(True)
        self.vehicle_label.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("intakeStatus")
        self.status_label.setWordWrap(True)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.page = QWidget()
        self.scroll_area.setWidget(self.page)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("intakeNext")
        self.next_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.next_button.setEnabled(False)
        self.capture_button = QPushButton(self)
        self.capture_button.setObjectName("intakeCapture")
        self.capture_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.capture_button.hide()
        self.capture_label = QLabel(self)
        self.capture_label.setObjectName("intakeCaptureState")
        self.capture_label.setWordWrap(True)
        self.capture_label.hide()
        self.correct_button = QPushButton(self)
        self.correct_button.setObjectName("intakeCorrect")
        self.correct_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.correct_button.hide()
        self.correction_bar = QWidget(self)
        self.correction_bar.setObjectName("intakeCorrectionBar")
        self.correction_label = QLabel(self.correction_bar)
        self.correction_reason_edit = QLineEdit(self.correction_bar)
        self.correction_reason_edit.setObjectName("intakeCorrectionReason")
        self.correction_reason_edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.correction_error_label = QLabel(self.correction_bar)
        self.correction_error_label.setStyleSheet(ERROR_STYLE)
        self.correction_error_label.hide()
        self.leave_correction_button = QPushButton(self.correction_bar)
        self.leave_correction_button.setObjectName("intakeLeaveCorrection")
        self.leave_correction_button.setMinimumHeight(TOUCH_TARGET_PX)
        correction_row = QHBoxLayout()
        correction_row.addWidget(self.correction_label)
        correction_row.addWidget(self.correction_reason_edit, 1)
        correction_row.addWidget(self.leave_correction_button)
        correction_column = QVBoxLayout(self.correction_bar)
        correction_column.setContentsMargins(0, 0, 0, 0)
        correction_column.addLayout(correction_row)
        correction_column.addWidget(self.correction_error_label)
        self.correction_bar.hide()
        self._capture_timer = QTimer(self)
        self._capture_timer.setInterval(CAPTURE_POLL_MS)
        self.answer_buttons: list[QPushButton] = []
        self.confirm_box: RowCheckBox | None = None
        self.next_truck_button: QPushButton | None = None
        self.ticket_button: QPushButton | None = None

        layout = QVBoxLayout(self)
        # The step and "step n of 7" on one line: the form below gets the height (a 768 px screen).
        title_row = QHBoxLayout()
        title_row.addWidget(self.header_label)
        title_row.addStretch(1)
        title_row.addWidget(self.progress_label)
        layout.addLayout(title_row)
        layout.addWidget(self.correction_bar)
        layout.addWidget(self.alerts_label)
        layout.addWidget(self.vehicle_label)
        self._weight_row = QHBoxLayout()
        layout.addLayout(self._weight_row)
        capture_row = QHBoxLayout()
        capture_row.addWidget(self.capture_button)
        capture_row.addWidget(self.capture_label, 1)
        layout.addLayout(capture_row)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.status_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.correct_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)

        self.next_button.clicked.connect(self.submit)
        self.capture_button.clicked.connect(self.capture_weight)
        self.correct_button.clicked.connect(self.choose_step_to_correct)
        self.leave_correction_button.clicked.connect(self.leave_correction)
        self._capture_timer.timeout.connect(self._on_capture_timer_timeout)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.submit)
        QShortcut(QKeySequence("F6"), self, self.capture_weight)
        QShortcut(QKeySequence("Ctrl+P"), self, self.add_photo)
        QShortcut(QKeySequence("F7"), self, self.add_camera_photos)
        # Only on the done page, and only while the focus is in the wizard (other screens keep Ctrl+N).
        self._next_truck_shortcut = QShortcut(QKeySequence("Ctrl+N"), self, self.start_new_arrival)
        self._next_truck_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._next_truck_shortcut.setEnabled(False)
        self._retranslate_fixed()
        self.refresh()

    # ---- opening --------------------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Intake")

    def refresh(self) -> None:
        """Read the yard's cameras (a new page offers F7 when there is one)."""
        self._door.read(lambda s: tuple(cameras(s)), self._on_door_cameras_read, self._on_error, owner=self)

    def _on_door_cameras_read(self, found: tuple[Camera, ...]) -> None:
        had = bool(self._cameras)
        self._cameras = found
        if had != bool(found) and not self._submitting \
                and any(isinstance(e, PhotosFieldEditor) for e in self._editors):
            # A photos field offers the cameras' button (F7) only while the yard has a camera.
            self._rebuild_keep_values()

    def start_new_arrival(self) -> None:
        """An empty arrival form for a truck at the gate (a new draft key)."""
        self._open(None, drafts.new_arrival_key(), None)

    def open_load(self, load_id: int) -> None:
        """Open the step the load waits for, with its draft when one was saved."""
        self._open(load_id, drafts.load_draft_key(load_id), None)

    def open_draft(self, draft: drafts.Draft) -> None:
        self._open(draft.load_id, draft.key, draft)

    def resume_latest_draft(self, on_none: Callable[[], None] | None = None) -> None:
        """After a restart: reopen the newest draft at its step with what was typed."""

        def found(rows: Sequence[drafts.Draft]) -> None:
            if rows:
                self.open_draft(rows[0])
            elif on_none is not None:
                on_none()

        self._door.read(drafts.open_drafts, found, self._on_error, owner=self)

    def _open(self, load_id: int | None, key: str, draft: drafts.Draft | None) -> None:
        self.status_label.setText(self.tr("Opening…"))
        intake_ops.open_step(self._door, owner=self, load_id=load_id, draft_key=key, clock=self._clock,
                             draft=draft, on_done=lambda opened: self._show(opened, key),
                             on_error=self._on_error)

    def _show(self, opened: OpenedStep, key: str) -> None:
        self.load_id = opened.load_id
        self.ticket_no = opened.ticket_no
        self._plate = opened.plate
        self._draft_key = key
        self._context = opened.context
        self._summary = opened.summary
        self.step = opened.step
        self._raised.clear()
        self._touched.clear()
        self._show_all_errors = False
        self._captured = {}
        self._answers = {}
        self._prefilled = {}
        self._vehicle_lines = {}
        self._recent_plates = opened.recent_plates
        self._done_steps = opened.done_steps
        self._correcting = opened.correcting
        self.correction_reason_edit.clear()
        self.correction_error_label.hide()
        self.correction_bar.setVisible(opened.correcting)
        self.status_label.clear()
        self._status_shows_errors = False
        if opened.step is None:
            self._build_done_page()
            return
        values: Mapping[str, Any] = {}
        if opened.correcting:
            values = opened.values or {}
        elif opened.draft is not None and opened.draft.step is opened.step:
            values = opened.draft.values
            self.status_label.setText(self.tr("Restored what was typed before (saved draft)."))
        self._build_page(values)
        self._show_stored_tare(opened.context.stored_tare if opened.step is Step.TARE else None)
        self._show_previous_load(None)
        if opened.correcting:
            self.correction_reason_edit.setFocus()
        self.step_opened.emit(opened.step.value)

    # ---- the page -------------------------------------------------------------------------------------

    def _specs(self, values: Mapping[str, Any]) -> tuple[FieldSpec, ...]:
        assert self._context is not None and self.step is not None
        category = self._context.category
        if self.step is Step.ARRIVAL:
            declared = values.get("declared_category")
            category = declared if isinstance(declared, str) and declared else None
        return tuple(s for s in fields_for(self.step, self._context.ruleset, category, values)
                     if s.key not in _CAPTURED)

    def _clear_page(self) -> None:
        self._editors = []
        self._enter_chain = []
        self._form = None
        self._form_rows = {}
        self._hidden_keys = set()
        self.answer_buttons = []
        self.confirm_box = None
        self.next_truck_button = None
        self.ticket_button = None
        self._next_truck_shortcut.setEnabled(False)
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()
        # The new page gets its layout first and goes into the scroll area after (``_install_page``): a
        # widget set before its layout stays hidden, and hidden fields cannot take the focus.
        self.page = QWidget()

    def _install_page(self) -> None:
        self.scroll_area.setWidget(self.page)
        self.page.show()
        # Tab goes through the fields in the order shown, then to the Next button.
        for first, second in itertools.pairwise([*self._enter_chain, self.next_button]):
            QWidget.setTabOrder(first, second)

    def _build_page(self, values: Mapping[str, Any]) -> None:
        assert self.step is not None and self._context is not None
        self._clear_page()
        self._captured = {k: values[k] for k in _CAPTURED if k in values}
        if not self._captured:
            # A capture lives with its page; a draft restored after a restart must be captured again.
            self._captured_weight = None
        if self.step is Step.IDENTIFICATION:
            answers = values.get("answers")
            self._answers = dict(answers) if isinstance(answers, dict) else {}
            self._build_identification(values)
        elif self.step is Step.SUMMARY:
            self._build_summary(values)
        else:
            self._build_form(values)
        self._install_page()
        if self.next_button.isHidden():
            self.next_button.show()
        weighing = self.step in (Step.GROSS, Step.TARE)
        self._set_weighing(weighing)
        self._retranslate_fixed()
        self._recheck()
        first = self._first_focus()
        if first is not None:
            first.setFocus()

    def _build_form(self, values: Mapping[str, Any]) -> None:
        assert self._context is not None
        form = QFormLayout(self.page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setVerticalSpacing(FORM_ROW_SPACING_PX)
        self._form = form
        for spec in self._specs(values):
            on_change = functools.partial(self._on_edited, spec.key)
            if spec.kind is FieldKind.SUPPLIER:
                supplier = SupplierFieldEditor(spec, self._texts, self._context.ruleset, self.page,
                                               on_change, self._search_suppliers)
                self._restore_supplier(supplier, values)
                editor: FieldEditor = supplier
            else:
                editor = make_editor(spec, self._texts, self._context.ruleset, self.page, on_change,
                                     self.add_photo, self._camera_action())
                if spec.key in values:
                    editor.set_value(values[spec.key])
            if isinstance(editor, PlateFieldEditor):
                editor.set_recent(self._recent_plates)
            if spec.kind in (FieldKind.SEAL, FieldKind.MANIFEST, FieldKind.USCC) \
                    and isinstance(editor, LineFieldEditor):
                editor.widget.setPlaceholderText(self.tr("Scan or type, then Enter"))
            column = QVBoxLayout()
            column.addWidget(editor.widget)
            column.addWidget(editor.error_label)
            self._form_rows[spec.key] = form.rowCount()
            form.addRow(editor.label, column)
            self._editors.append(editor)
        self._watch_enter()
        self._show_supplier_rows()
        self._show_tare_difference_rows(None)

    def _watch_enter(self) -> None:
        self._enter_chain = editors_in_tab_order(self._editors)
        for widget in self._enter_chain:
            widget.installEventFilter(self)

    def _editor(self, key: str) -> FieldEditor | None:
        return next((e for e in self._editors if e.key == key), None)

    def _shown_editors(self) -> list[FieldEditor]:
        return [e for e in self._editors if e.key not in self._hidden_keys]

    def _first_focus(self) -> QWidget | None:
        """The first question of an identification; else the first field shown that still needs a value
        (an only choice comes chosen: the focus goes past it), else the first field."""
        if self.answer_buttons:
            return self.answer_buttons[0]
        shown = self._shown_editors()
        for editor in shown:
            if editor.spec.required and _blank(editor.value()):
                return editor.focus_widget()
        if shown:
            return shown[0].focus_widget()
        return self.confirm_box

    def _focus_after(self, editor: FieldEditor) -> bool:
        """Move the focus to the field after ``editor``; False when it is the last field shown."""
        shown = self._shown_editors()
        if editor not in shown:
            return False
        following = shown[shown.index(editor) + 1:]
        if not following:
            return False
        target = following[0].focus_widget()
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self.scroll_area.ensureWidgetVisible(target)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter moves to the next field (a scanner ends its input with Enter) and submits from the last.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if watched is self.confirm_box and watched is not None:
                self.submit()
                return True
            editor = next((e for e in self._editors if watched in e.focus_widgets()), None)
            if editor is not None and isinstance(watched, QWidget) and not editor.takes_enter(watched):
                if not self._focus_after(editor):
                    self.submit()
                return True
        return super().eventFilter(watched, event)

    # ---- identification -------------------------------------------------------------------------------

    def _build_identification(self, values: Mapping[str, Any]) -> None:
        assert self._context is not None
        ruleset = self._context.ruleset
        layout = QVBoxLayout(self.page)
        result = identify(ruleset, self._answers)
        questions = {q.id: q for q in ruleset.definition.identification.questions}
        for taken in result.path:
            question = questions[taken.question]
            answer = next(a for a in question.answers if a.id == taken.answer)
            done = QLabel(f"✔ {words.rule_text(question.text)} — {words.rule_text(answer.text)}", self.page)
            layout.addWidget(done)
        if result.category is not None:
            name = words.rule_text(ruleset.category_name(result.category))
            found = QLabel(self.tr("Category: %1").replace("%1", f"{result.category} {name}"), self.page)
            found.setObjectName("identifiedCategory")
            bold = found.font()
            bold.setBold(True)
            found.setFont(bold)
            layout.addWidget(found)
            self._add_missing_fields(layout, result.category, values)
        elif result.question is not None:
            question = result.question
            asked = QLabel(words.rule_text(question.text), self.page)
            asked.setObjectName("identificationQuestion")
            bold = asked.font()
            bold.setBold(True)
            asked.setFont(bold)
            layout.addWidget(asked)
            if question.description is not None:
                layout.addWidget(QLabel(words.rule_text(question.description), self.page))
            for number, answer in enumerate(question.answers, start=1):
                text = f"{number}  {words.rule_text(answer.text)}"
                if answer.description is not None:
                    text += f"\n{words.rule_text(answer.description)}"
                button = QPushButton(text, self.page)
                button.setObjectName(f"answer_{answer.id}")
                button.setMinimumHeight(TOUCH_TARGET_PX * 3 // 2)
                button.setStyleSheet("text-align: left; padding: 6px 12px;")
                button.setProperty("answer", f"{question.id}\n{answer.id}")
                button.clicked.connect(self._on_answer_button_clicked)
                if number <= 9:
                    button.setShortcut(QKeySequence(str(number)))
                layout.addWidget(button)
                self.answer_buttons.append(button)
        if result.path:
            back = QPushButton(self.tr("Back one question (Backspace)"), self.page)
            back.setObjectName("identificationBack")
            back.setMinimumHeight(TOUCH_TARGET_PX)
            back.setShortcut(QKeySequence(Qt.Key.Key_Backspace))
            back.clicked.connect(self.back_one_question)
            layout.addWidget(back)
        layout.addStretch(1)

    def _add_missing_fields(self, layout: QVBoxLayout, category: str, values: Mapping[str, Any]) -> None:
        """The readings the identified category needs and the declared one did not ask for."""
        assert self._context is not None
        missing = fields_missing_for(self._context.ruleset, category, self._context.attributes)
        if not missing:
            return
        layout.addWidget(QLabel(self.tr("This category needs these readings too:"), self.page))
        form = QFormLayout()
        for spec in missing:
            editor = make_editor(spec, self._texts, self._context.ruleset, self.page,
                                 functools.partial(self._on_edited, spec.key), self.add_photo,
                                 self._camera_action())
            if spec.key in values:
                editor.set_value(values[spec.key])
            column = QVBoxLayout()
            column.addWidget(editor.widget)
            column.addWidget(editor.error_label)
            form.addRow(editor.label, column)
            self._editors.append(editor)
        layout.addLayout(form)
        self._watch_enter()

    def _on_answer_button_clicked(self) -> None:
        # The answer rides on the button (its "answer" property), so one slot serves every button.
        sender = self.sender()
        if isinstance(sender, QPushButton):
            question, _, answer = str(sender.property("answer")).partition("\n")
            self.answer(question, answer)

    def answer(self, question: str, answer: str) -> None:
        assert self._context is not None
        self._answers[question] = answer
        # Answers below a changed one no longer apply.
        kept = {s.question: s.answer for s in identify(self._context.ruleset, self._answers).path}
        self._answers = kept
        self._touched.add("answers")
        self._rebuild_keep_values()
        self._save_draft()

    def back_one_question(self) -> None:
        assert self._context is not None
        path = identify(self._context.ruleset, self._answers).path
        if path:
            self._answers.pop(path[-1].question, None)
            self._rebuild_keep_values()
            self._save_draft()

    # ---- summary --------------------------------------------------------------------------------------

    def _build_summary(self, values: Mapping[str, Any]) -> None:
        summary = self._summary
        layout = QVBoxLayout(self.page)
        if summary is None:
            layout.addWidget(QLabel(self.tr("The summary could not be read."), self.page))
            return
        ruleset = summary.ruleset
        name = words.rule_text(ruleset.category_name(summary.category))
        lines = [
            self.tr("Ticket %1, vehicle %2, supplier %3").replace("%1", summary.ticket_no)
            .replace("%2", summary.plate).replace("%3", summary.supplier),
            self.tr("Category: %1").replace("%1", f"{summary.category} {name}"),
            *self._declared_line(summary),
            self.tr("Provisional outcome: %1").replace("%1", words.outcome(summary.outcome.value)),
            self.tr("Rule set %1 (%2)").replace("%1", ruleset.label)
            .replace("%2", words.ruleset_status(ruleset.status)),
        ]
        masses = self._mass_lines(summary)
        outcome = QLabel("\n".join(lines + masses), self.page)
        outcome.setObjectName("summaryOutcome")
        outcome.setWordWrap(True)
        layout.addWidget(outcome)
        findings = QLabel(self._findings_text(summary), self.page)
        findings.setObjectName("summaryFindings")
        findings.setWordWrap(True)
        findings.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(findings)
        after = QLabel(self._texts.next_after(summary.outcome.value), self.page)
        after.setObjectName("summaryNext")
        after.setWordWrap(True)
        layout.addWidget(after)
        self.confirm_box = RowCheckBox(self._texts.field("confirmed"), self.page)
        self.confirm_box.setObjectName("field_confirmed")
        self.confirm_box.setChecked(values.get("confirmed") is True)
        self.confirm_box.checkStateChanged.connect(self._on_confirm_box_check_state_changed)
        layout.addWidget(self.confirm_box)
        self._confirm_error = QLabel(self.page)
        self._confirm_error.setObjectName("error_confirmed")
        self._confirm_error.setStyleSheet("color: #c00000; font-weight: bold;")
        self._confirm_error.hide()
        layout.addWidget(self._confirm_error)
        layout.addStretch(1)
        self.confirm_box.installEventFilter(self)
        self._enter_chain = [self.confirm_box]

    def _on_confirm_box_check_state_changed(self) -> None:
        self._on_edited("confirmed")

    def _declared_line(self, summary: intake_svc.Summary) -> list[str]:
        declared = summary.declared_category
        if not declared or declared == summary.category:
            return []
        text = self.tr("Declared as %1; identified at the gate as %2.")
        return [text.replace("%1", words.category(declared)).replace("%2", words.category(summary.category))]

    def _mass_lines(self, summary: intake_svc.Summary) -> list[str]:
        unit = summary.unit
        lines = []
        for label, value in ((self.tr("Gross"), summary.gross), (self.tr("Tare"), summary.tare),
                             (self.tr("Net"), summary.net)):
            if value is not None:
                lines.append(self.tr("%1: %2").replace("%1", label).replace("%2", formats.mass(value, unit)))
        if summary.manual_weight:
            lines.append(self.tr("A weight was entered by hand (marked on the ticket)."))
        if summary.dry_mass is not None:
            dry = formats.mass(summary.dry_mass, unit, division=1)
            lines.append(self.tr("Dry mass: %1").replace("%1", dry))
        else:
            lines.append(self.tr("Dry mass: after the lab reports the moisture"))
        if summary.seals is not None:
            lines.append(self.tr("Seals: yard %1, supplier %2, arbitration %3")
                         .replace("%1", summary.seals.yard).replace("%2", summary.seals.supplier)
                         .replace("%3", summary.seals.arbitration))
        return lines

    def _findings_text(self, summary: intake_svc.Summary) -> str:
        lang = current_language()
        lines = [self.tr("Findings:")]
        for finding in summary.findings:
            mark = "✔" if finding.passed else "✘"
            described = describe(summary.ruleset, finding, lang)
            detail = []
            if finding.measured is not None and not isinstance(finding.measured, bool):
                detail.append(self.tr("measured %1").replace("%1", str(finding.measured)))
            if finding.limit is not None:
                detail.append(self.tr("limit %1").replace("%1", finding.limit))
            detail.append(self.tr("clause %1").replace("%1", finding.clause))
            line = f"{mark} {described}{words.aside(words.clauses(detail))}"
            if not finding.passed:
                line += f" — {words.severity(finding.severity.value)}"
            lines.append(line)
        for key in summary.missing:
            name = words.rule_text(summary.ruleset.attribute_name(key))
            lines.append("… " + self.tr("%1: not measured yet").replace("%1", name))
        return "\n".join(lines)

    def _build_done_page(self) -> None:
        """The load's intake is done: say so, and offer the next truck (Ctrl+N) and the weigh ticket."""
        self._clear_page()
        self._set_weighing(False)
        self.status_label.clear()
        self._status_shows_errors = False
        if self.vehicle_label.isVisible():
            self.vehicle_label.hide()
        layout = QVBoxLayout(self.page)
        label = QLabel(self.page)
        label.setObjectName("intakeDone")
        label.setWordWrap(True)
        layout.addWidget(label)
        buttons = QHBoxLayout()
        # Twice a touch target high; the window's style sheet sets every button's height, so this one's too.
        big = f"min-height: {TOUCH_TARGET_PX * 2}px;"
        self.next_truck_button = QPushButton(self.page)
        self.next_truck_button.setObjectName("intakeNextTruck")
        self.next_truck_button.setMinimumHeight(TOUCH_TARGET_PX * 2)
        self.next_truck_button.setStyleSheet(big + " font-weight: bold;")
        bigger = self.next_truck_button.font()
        bigger.setPointSize(bigger.pointSize() + 4)
        self.next_truck_button.setFont(bigger)
        self.next_truck_button.clicked.connect(self.start_new_arrival)
        self.ticket_button = QPushButton(self.page)
        self.ticket_button.setObjectName("intakePrintTicket")
        self.ticket_button.setMinimumHeight(TOUCH_TARGET_PX * 2)
        self.ticket_button.setStyleSheet(big)
        self.ticket_button.setEnabled(self.load_id is not None)
        self.ticket_button.clicked.connect(self._on_ticket_button_clicked)
        buttons.addWidget(self.next_truck_button, 2)
        buttons.addWidget(self.ticket_button, 1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._install_page()
        self.next_button.setEnabled(False)
        self.next_button.hide()
        self._next_truck_shortcut.setEnabled(True)
        self._retranslate_fixed()
        self.next_truck_button.setFocus()

    def _on_ticket_button_clicked(self) -> None:
        if self.load_id is not None:
            self.ticket_requested.emit(self.load_id)

    # ---- weighing -------------------------------------------------------------------------------------

    def _set_weighing(self, on: bool) -> None:
        live = self._live_weight
        if live is not None:
            if on and live.parent() is not self:
                self._weight_row.addWidget(live)
            live.weigh_as_tare(self.step is Step.TARE)
            live.setVisible(on)
        has_monitor = on and self._monitor is not None
        self.capture_button.setVisible(has_monitor)
        self.capture_label.setVisible(has_monitor)
        if has_monitor:
            self._capture_timer.start()
            self._on_capture_timer_timeout()
        else:
            self._capture_timer.stop()

    def _on_capture_timer_timeout(self) -> None:
        if self._monitor is None:
            return
        decision = self._monitor.decision()
        if decision.allowed and decision.frame is not None:
            text = self.tr("Stable: ready to capture")
        else:
            reasons = words.clauses(words.word("capture_refusal", r) for r in decision.reasons)
            text = self.tr("Cannot capture: %1").replace("%1", reasons)
        # Five times a second: touch the widgets only when something changed.
        if self.capture_button.isEnabled() != decision.allowed:
            self.capture_button.setEnabled(decision.allowed)
        if self.capture_label.text() != text:
            self.capture_label.setText(text)

    def capture_weight(self) -> None:
        """Take the live weight when the capture rule allows it (F6)."""
        if self._monitor is None or self.step not in (Step.GROSS, Step.TARE):
            return
        try:
            captured = self._monitor.capture()
        except InspectorError as exc:
            self.status_label.setText(words.error(exc))
            return
        self._captured_weight = captured
        self._captured = {"frame_hex": captured.raw_hex, "scale_id": captured.scale_id or "indicator",
                          "stability": captured.stability.value}
        key = "gross" if self.step is Step.GROSS else "tare"
        for editor in self._editors:
            if editor.key == key:
                editor.set_value(str(captured.weight))
            if editor.key == "source":
                editor.set_value("indicator")
        self._touched.update({key, "source"})
        self.status_label.setText(self.tr("Captured %1 %2 from the indicator.")
                                  .replace("%1", formats.number(captured.weight))
                                  .replace("%2", captured.unit))
        self._recheck()
        self._save_draft()

    # ---- known vehicles ---------------------------------------------------------------------------------

    def _plate_now(self) -> str:
        return "".join(str(self.values().get("plate", "")).split()).upper()

    def _look_up_vehicle(self) -> None:
        """A known vehicle brings its stored tare, and a returning one what its previous load said: read on
        the worker, applied when the answer is for the plate still on the form."""
        plate = self._plate_now()
        if len(plate) < 2:
            self._apply_vehicle(ArrivingVehicle(plate, None, None))
            return
        intake_ops.read_arriving_vehicle(self._door, owner=self, plate=plate, on_done=self._apply_vehicle,
                                         on_error=self._on_error)

    def _apply_vehicle(self, found: ArrivingVehicle) -> None:
        if self.step is not Step.ARRIVAL or found.plate != self._plate_now():
            return  # the plate was changed again meanwhile: its own answer follows
        self._show_stored_tare(found.stored_tare)
        if self._bring_previous_load(found.previous):
            self._refresh_required()
            self._fill_enterprise()
            self._recheck()
            self._save_draft()
        self.vehicle_read.emit(found.plate)

    def _bring_previous_load(self, previous: PreviousLoad | None) -> bool:
        """Pre-fill what the vehicle's previous load said: its driver, supplier, declared category and the
        rule set's choices at intake (the origin); what was typed or chosen by hand stays. A plate with no
        previous load takes back what another plate's load had filled in. True when a field changed."""
        assert self._context is not None
        ruleset = self._context.ruleset
        wanted: dict[str, Any] = {}
        if previous is not None:
            wanted["driver"] = previous.driver or None
            wanted["supplier_id"] = previous.supplier
            if previous.declared_category in ruleset.categories:
                wanted["declared_category"] = previous.declared_category
        changed = False
        for editor in self._editors:
            choice = editor.spec.attribute and editor.spec.kind is FieldKind.CHOICE
            if editor.key not in _FROM_PREVIOUS_LOAD and not choice:
                continue
            value = wanted.get(editor.key)
            if choice and previous is not None:
                found = previous.attributes.get(editor.key)
                value = found if found in editor.spec.choices else None
            if self._prefill(editor, value):
                changed = True
        if changed and isinstance(self._editor("supplier_id"), SupplierFieldEditor):
            self._show_supplier_rows()
        self._show_previous_load(previous.ticket_no if previous is not None and changed else None)
        return changed

    def _show_previous_load(self, ticket_no: str | None) -> None:
        if ticket_no is None:
            self._vehicle_lines.pop("previous", None)
        else:
            self._vehicle_lines["previous"] = self.tr(
                "Returning vehicle: filled in from its last load %1. Check each field and change what "
                "differs.").replace("%1", ticket_no)
        self._show_vehicle_lines()

    def _show_stored_tare(self, tare: StoredTare | None) -> None:
        if tare is None:
            self._vehicle_lines.pop("tare", None)
            self._show_vehicle_lines()
            return
        now = self._clock.now().utc
        weight = formats.mass(tare.weight, tare.unit)
        if tare.expires_at is not None and tare.expires_at <= now:
            text = self.tr("Known vehicle: its stored tare of %1 expired on %2; weigh it empty on the way "
                           "out.").replace("%1", weight).replace("%2", formats.day(tare.expires_at))
        else:
            until = formats.day(tare.expires_at) or "—"
            text = self.tr("Known vehicle: stored tare %1, valid until %2.").replace("%1", weight) \
                .replace("%2", until)
        self._vehicle_lines["tare"] = text
        self._show_vehicle_lines()

    def _show_vehicle_lines(self) -> None:
        lines = [self._vehicle_lines[k] for k in ("tare", "previous") if k in self._vehicle_lines]
        if not lines:
            if self.vehicle_label.isVisible():
                self.vehicle_label.hide()
            return
        self.vehicle_label.setText("\n".join(lines))
        self.vehicle_label.show()

    # ---- photos and suppliers -------------------------------------------------------------------------

    def add_photo(self) -> None:
        """Pick a photo file and store it with the load (Ctrl+P)."""
        editor = next((e for e in self._editors if isinstance(e, PhotosFieldEditor)), None)
        if editor is None or self.load_id is None:
            return
        path = self._prompt_photo(self)
        if path is None:
            return
        assert self.step is not None
        intake_ops.add_photo(self._door, owner=self, actor=self._actor, clock=self._clock,
                             data_dir=self._data_dir, load_id=self.load_id, step=self.step, source=path,
                             on_done=editor.add_hash, on_error=self._on_error)

    def _camera_action(self) -> Callable[[], None] | None:
        return self.add_camera_photos if self._cameras else None

    def add_camera_photos(self) -> None:
        """Take a snapshot from every camera of the yard and store each with the load (F7)."""
        editor = next((e for e in self._editors if isinstance(e, PhotosFieldEditor)), None)
        if editor is None or self.load_id is None or not self._cameras:
            return
        assert self.step is not None
        self.status_label.setText(self.tr("Taking photos from the cameras…"))
        for camera in self._cameras:
            intake_ops.add_camera_photo(self._door, owner=self, actor=self._actor, clock=self._clock,
                                        data_dir=self._data_dir, load_id=self.load_id, step=self.step,
                                        camera=camera, on_done=self._on_camera_photo(editor),
                                        on_error=self._on_error)

    def _on_camera_photo(self, editor: PhotosFieldEditor) -> Callable[[str], None]:
        def done(sha256: str) -> None:
            editor.add_hash(sha256)
            self.status_label.setText(self.tr("Photo taken from the camera."))

        return done

    def _search_suppliers(self, text: str, on_found: Callable[[Sequence[SupplierChoice]], None]) -> None:
        if not text.strip():
            on_found([])
            return
        # The page (and the editor waiting for the answer) may be gone when the answer arrives.
        intake_ops.search_suppliers(self._door, owner=self.page, text=text, on_done=on_found,
                                    on_error=self._on_error)

    def _restore_supplier(self, editor: SupplierFieldEditor, values: Mapping[str, Any]) -> None:
        """A draft's supplier: the mode it was in and the existing supplier chosen (its name and code ride
        along in the draft)."""
        editor.set_mode(str(values.get("supplier_mode") or SupplierFieldEditor.EXISTING))
        chosen = str(values.get("supplier_id") or "").strip()
        if chosen.isdigit():
            name = str(values.get("supplier_name") or values.get("supplier_label") or chosen)
            editor.set_chosen(SupplierChoice(int(chosen), name, str(values.get("supplier_uscc") or "")))

    def _show_supplier_rows(self) -> None:
        """The new supplier's fields show only while "New supplier" is chosen."""
        editor = self._editor("supplier_id")
        if not isinstance(editor, SupplierFieldEditor) or self._form is None:
            return
        new = editor.mode() == SupplierFieldEditor.NEW
        for key in _NEW_SUPPLIER:
            row = self._form_rows.get(key)
            if row is None:
                continue
            self._form.setRowVisible(row, new)
            if new:
                self._hidden_keys.discard(key)
                shown = self._editor(key)
                if shown is not None:
                    shown.show_error_again()
            else:
                self._hidden_keys.add(key)

    def _show_tare_difference_rows(self, check: StepCheck | None) -> None:
        """The answer to a tare difference shows only while the tare differs from the vehicle's stored or
        last tare by more than the yard's tolerance (or an answer is already given)."""
        if self.step is not Step.TARE or self._form is None:
            return
        answered = bool(self.values().get("tare_difference_reason"))
        asked = (check is not None and asks_tare_difference(check)) or answered
        for key in TARE_DIFFERENCE_FIELDS:
            row = self._form_rows.get(key)
            if row is None:
                continue
            self._form.setRowVisible(row, asked)
            if asked:
                self._hidden_keys.discard(key)
            else:
                self._hidden_keys.add(key)

    def _supplier_name(self) -> str:
        """The supplier's name as the form has it now: the existing one chosen, or the new one typed."""
        editor = self._editor("supplier_id")
        if not isinstance(editor, SupplierFieldEditor):
            return ""
        chosen = editor.chosen()
        if chosen is not None:
            return chosen.name
        typed = self._editor("new_supplier_name")
        if editor.mode() == SupplierFieldEditor.NEW and typed is not None:
            return " ".join(str(typed.value() or "").split())
        return ""

    def _fill_enterprise(self) -> bool:
        """Pre-fill the generating enterprise with the supplier's name while the rule set asks for it for the
        declared category (and take back what was pre-filled once it no longer does); never over what was
        typed. True when the field changed."""
        editor = self._editor(ENTERPRISE)
        if editor is None or self.step is not Step.ARRIVAL:
            return False
        wanted = self._supplier_name() if editor.spec.required else ""
        return self._prefill(editor, wanted or None)

    def _prefill(self, editor: FieldEditor, wanted: Any) -> bool:
        """Put ``wanted`` (None: nothing) into a field the wizard fills itself, unless what is there was
        typed or chosen by hand; True when the field changed."""
        key = editor.key
        current: Any = editor.chosen() if isinstance(editor, SupplierFieldEditor) else editor.value()
        if isinstance(editor, SupplierFieldEditor) and editor.mode() == SupplierFieldEditor.NEW:
            return False
        if not _blank(current) and current != self._prefilled.get(key):
            return False
        if wanted is None:
            self._prefilled.pop(key, None)
        else:
            self._prefilled[key] = wanted
        if current == wanted or (_blank(current) and wanted is None):
            return False
        if isinstance(editor, SupplierFieldEditor):
            editor.set_chosen(wanted if isinstance(wanted, SupplierChoice) else None)
        else:
            editor.set_value(wanted)
        return True

    # ---- values, checks, drafts -----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What is on the form now, in the form the core checks (and the draft keeps). A field not shown
        (the new supplier's, while an existing one is picked) counts as empty."""
        values: dict[str, Any] = {}
        for editor in self._editors:
            values[editor.key] = "" if editor.key in self._hidden_keys else editor.value()
            if isinstance(editor, SupplierFieldEditor):
                chosen = editor.chosen()
                values["supplier_mode"] = editor.mode()
                values["supplier_label"] = editor.label_text()
                values["supplier_name"] = chosen.name if chosen is not None else ""
                values["supplier_uscc"] = chosen.uscc if chosen is not None else ""
        values.update(self._captured)
        if self.step is Step.IDENTIFICATION:
            values["answers"] = dict(self._answers)
        if self.step is Step.SUMMARY and self.confirm_box is not None:
            values["confirmed"] = self.confirm_box.isChecked()
        return values

    def _on_edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "plate":
            self._look_up_vehicle()
        if key == "supplier_id":
            self._show_supplier_rows()
        if key == "source" and self.values().get("source") != "indicator":
            self._captured = {}
            self._captured_weight = None
        self._refresh_required()
        self._fill_enterprise()
        self._recheck()
        self._save_draft()
        editor = self._editor(key)
        # A tap answered the field: the next one takes the focus (its reading is typed at once).
        if editor is not None and editor.advances and not self._focus_after(editor):
            self.next_button.setFocus(Qt.FocusReason.TabFocusReason)

    def _refresh_required(self) -> None:
        """Some answers make other fields required (a manual weight needs a reason, a portal alarm the
        hand-held reading): update the marks without rebuilding the form (focus and typing stay put)."""
        if self.step is None or self.step in (Step.IDENTIFICATION, Step.SUMMARY) or self._context is None:
            return
        specs = {s.key: s for s in self._specs(self.values())}
        for editor in self._editors:
            spec = specs.get(editor.key)
            if spec is not None and spec.required != editor.spec.required:
                editor.spec = spec
                editor.retranslate()

    def _rebuild_keep_values(self) -> None:
        values = self.values()
        touched = set(self._touched)
        self._build_page(values)
        self._touched = touched
        self._recheck()

    def _recheck(self) -> StepCheck | None:
        if self._context is None or self.step is None:
            return None
        check = check_step(self.step, self.values(), self._context)
        self._last_check = check
        self._show_tare_difference_rows(check)
        self._show_errors(check.errors)
        self._show_alerts(self._with_raised(check.alerts) or self._carried_alerts)
        if self.next_button.isEnabled() == self._submitting:
            self.next_button.setEnabled(not self._submitting)
        return check

    def _shown_errors(self, errors: Sequence[FieldError]) -> list[FieldError]:
        """The errors as the form shows them: a new supplier's fields are not shown while an existing
        supplier is to be picked, so their "required" is the supplier's "required" (in their place)."""
        shown: list[FieldError] = []
        for error in errors:
            if error.field not in self._hidden_keys:
                shown.append(error)
            elif error.field in _NEW_SUPPLIER and error.code == REQUIRED \
                    and not any(e.field == "supplier_id" for e in shown):
                shown.append(FieldError("supplier_id", REQUIRED))
        return shown

    def _show_errors(self, errors: Sequence[FieldError]) -> None:
        ruleset = self._context.ruleset if self._context else None
        errors = self._shown_errors(errors)
        by_field: dict[str, str] = {}
        if self._weight_not_taken(errors):
            # Nothing captured yet on a weighbridge with an indicator: say what to press, not that two
            # fields are required.
            errors = [e for e in errors if e.field not in ("gross", "tare", "source")]
            by_field["weight"] = self.tr("Press Capture weight (F6) to take the weight from the indicator.")
        for error in errors:
            if self._show_all_errors or error.field in self._touched:
                by_field.setdefault(error.field, self._texts.error(error, ruleset))
        for editor in self._editors:
            editor.show_error(by_field.get(editor.key))
        if self.step is Step.SUMMARY and hasattr(self, "_confirm_error") and self.confirm_box is not None:
            text = by_field.get("confirmed")
            self._confirm_error.setText(text or "")
            self._confirm_error.setVisible(bool(text))
        shown = {e.key for e in self._editors}
        rest = [t for f, t in by_field.items() if f not in shown and f != "confirmed"]
        if rest:
            self.status_label.setText("\n".join(rest))
            self._status_shows_errors = True
        elif self._status_shows_errors and not (errors and self.status_label.text() == self._correct_first()):
            # The errors named there are gone (e.g. the last question was answered): say nothing stale.
            self.status_label.clear()
            self._status_shows_errors = False

    def _correct_first(self) -> str:
        return self.tr("Correct the marked fields first.")

    def _with_raised(self, alerts: Sequence[Alert]) -> tuple[Alert, ...]:
        """The step's alerts now, and the HOLD or REJECT raised earlier on this step; a new one sounds."""
        new = [a for a in alerts if a.severity in (Severity.HOLD, Severity.REJECT)
               and a.finding.rule not in self._raised]
        for alert in new:
            self._raised[alert.finding.rule] = alert
        if new:
            QApplication.beep()
        current = {a.finding.rule for a in alerts}
        return (*alerts, *(a for rule, a in self._raised.items() if rule not in current))

    def _weight_not_taken(self, errors: Sequence[FieldError]) -> bool:
        if self.step not in (Step.GROSS, Step.TARE) or self._monitor is None or not self._show_all_errors:
            return False
        key = "gross" if self.step is Step.GROSS else "tare"
        return any(e.field == key and e.code == REQUIRED for e in errors) and "source" not in self._touched

    def _show_alerts(self, alerts: Sequence[Alert]) -> None:
        if not alerts or self._context is None:
            if self.alerts_label.isVisible():
                self.alerts_label.hide()
            return
        lang = current_language()
        lines = []
        for alert in alerts:
            actions = words.sentences(self._texts.action(a) for a in alert.actions)
            described = describe(self._context.ruleset, alert.finding, lang)
            lines.append(self.tr("%1: %2 (%3). %4").replace("%1", words.severity(alert.severity.value))
                         .replace("%2", described).replace("%3", alert.finding.clause).replace("%4", actions))
        severity = worst(alerts) or Severity.DOWNGRADE
        text, style = "\n".join(lines), ALERT_STYLE[severity.value] + " padding: 8px; font-weight: bold;"
        if text != self.alerts_label.text():
            self.alerts_label.setText(text)
            self.alerts_label.setStyleSheet(style)
        if not self.alerts_label.isVisible():
            self.alerts_label.show()

    def _save_draft(self) -> None:
        """Write the draft now, or right after the save in flight (edits never queue up saves)."""
        if not self._draft_key or self.step is None or self._submitting:
            # While a step is being stored its values go with it; a later draft save would bring
            # back the draft the submission removes.
            return
        if self._correcting:  # the load's draft belongs to the step it waits for
            return
        if self._draft_busy:
            self._draft_dirty = True
            return
        self._draft_busy = True
        self._draft_dirty = False
        intake_ops.save_draft(self._door, owner=self, clock=self._clock, key=self._draft_key, step=self.step,
                              values=self.values(), load_id=self.load_id, user_id=self._actor.user_id,
                              on_done=self._on_draft_saved, on_error=self._on_draft_error)

    def _on_draft_saved(self, key: str) -> None:
        self._draft_busy = False
        self.draft_saved.emit(key)
        if self._draft_dirty and key == self._draft_key:
            self._save_draft()

    def _on_draft_error(self, exc: InspectorError) -> None:
        self._draft_busy = False
        self._on_error(exc)

    # ---- submitting -----------------------------------------------------------------------------------

    def submit(self) -> None:
        """Check the step and store it (Ctrl+Enter); on errors, show them all and go to the first one."""
        if self.step is None or self._submitting or self._context is None:
            return
        self._show_all_errors = True
        check = self._recheck()
        if check is None:
            return
        if check.errors:
            if self._weight_not_taken(check.errors):
                self.capture_button.setFocus()
                self.status_label.setText(
                    self.tr("Press Capture weight (F6) to take the weight from the indicator."))
                self._status_shows_errors = True
                return
            self._focus_error(self._shown_errors(check.errors)[0].field)
            self.status_label.setText(self._correct_first())
            self._status_shows_errors = True  # said until the marked fields are right
            return
        if self._correcting:
            self._submit_correction(None)
            return
        step, load_id, key, values = self.step, self.load_id, self._draft_key, self.values()
        captured = self._captured_weight if values.get("source") == "indicator" else None
        confirmer: Actor | None = None
        if step in (Step.GROSS, Step.TARE) and values.get("source") == "manual" \
                and self._confirm_manual is not None:
            confirmer = self._confirm_manual(self)
        self._submitting = True
        self._draft_dirty = False
        self.next_button.setEnabled(False)
        self.status_label.setText(self.tr("Saving…"))
        intake_ops.submit_step(self._door, owner=self, actor=self._actor, clock=self._clock, step=step,
                               values=values, load_id=load_id, draft_key=key, data_dir=self._data_dir,
                               captured=captured, confirmed_by=confirmer, on_done=self._on_submitted,
                               on_error=self._on_submit_error)

    # ---- correcting an earlier step ---------------------------------------------------------------------

    def choose_step_to_correct(self) -> None:
        """A page of big buttons, one per step done, to open that step again and correct it."""
        if self.load_id is None or not self._done_steps or self._submitting:
            return
        self._clear_page()
        self._set_weighing(False)
        self.step = None
        self._correcting = False
        self.correction_bar.hide()
        self.alerts_label.hide()
        layout = QVBoxLayout(self.page)
        title = QLabel(self.tr("Which step do you correct? The earlier record is kept; the correction needs "
                               "a reason."), self.page)
        title.setWordWrap(True)
        layout.addWidget(title)
        grid = QGridLayout()
        for index, step in enumerate(self._done_steps):
            button = QPushButton(self._texts.step(step), self.page)
            button.setObjectName(f"correct_{step.value}")
            button.setMinimumHeight(TOUCH_TARGET_PX * 2)
            button.clicked.connect(functools.partial(self.open_correction, step))
            grid.addWidget(button, index // 3, index % 3)
        layout.addLayout(grid)
        back = QPushButton(self.tr("Back to the load"), self.page)
        back.setObjectName("correctBack")
        back.setMinimumHeight(TOUCH_TARGET_PX)
        back.clicked.connect(self.leave_correction)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self._install_page()
        self.next_button.hide()
        self.correct_button.hide()
        heading = self.tr("Correct an earlier step")
        self.header_label.setText(f"{self.ticket_no} {self._plate} — {heading}")
        self.progress_label.clear()

    def open_correction(self, step: Step) -> None:
        """Open ``step`` of the open load with what it recorded last, to submit it again with a reason."""
        if self.load_id is None:
            return
        load_id = self.load_id
        self.status_label.setText(self.tr("Opening…"))
        intake_ops.open_correction(self._door, owner=self, load_id=load_id, step=step, clock=self._clock,
                                   on_done=lambda opened: self._show(opened, drafts.load_draft_key(load_id)),
                                   on_error=self._on_error)

    def leave_correction(self) -> None:
        """Back to the step the load waits for (or its done page), the correction not saved."""
        if self.load_id is not None:
            self.open_load(self.load_id)

    def _submit_correction(self, confirmer: Actor | None) -> None:
        assert self.step is not None and self.load_id is not None
        step, values = self.step, self.values()
        captured = self._captured_weight if values.get("source") == "indicator" else None
        self._submitting = True
        self.next_button.setEnabled(False)
        self.correction_error_label.hide()
        self.status_label.setText(self.tr("Saving…"))
        intake_loads_ops.reopen_step(
            self._door, owner=self, actor=self._actor, clock=self._clock, load_id=self.load_id, step=step,
            values=values, reason=self.correction_reason_edit.text(), confirmed_by=confirmer,
            captured=captured, on_done=self._on_correction_saved,
            on_error=lambda exc: self._on_correction_error(exc, asked=confirmer is not None))

    def _on_correction_saved(self, result: ReopenResult) -> None:
        self._submitting = False
        if result.step in (Step.GROSS, Step.TARE) and self._captured_weight is not None \
                and self._monitor is not None:
            self._monitor.commit_capture()
        self._captured_weight = None
        said = self.tr("Correction of %1 saved; the earlier record is kept.").replace(
            "%1", self._texts.step(result.step))
        key = drafts.load_draft_key(result.load_id)

        def shown(opened: OpenedStep) -> None:
            self._show(opened, key)
            self.status_label.setText(said)

        intake_ops.open_step(self._door, owner=self, load_id=result.load_id, draft_key=key, clock=self._clock,
                             draft=None, on_done=shown, on_error=self._on_error)

    def _on_correction_error(self, exc: InspectorError, *, asked: bool) -> None:
        self._submitting = False
        self.next_button.setEnabled(True)
        if exc.code in _SUPERVISOR_CODES and not asked:
            confirmer = self._confirm_supervisor(self, words.error(exc))
            if confirmer is not None:
                self._submit_correction(confirmer)
                return
        if exc.field == "reason":
            self.correction_error_label.setText(words.error(exc))
            self.correction_error_label.show()
            self.correction_reason_edit.setFocus()
            self.status_label.setText(words.error(exc))
            return
        self._on_submit_error(exc)

    def _focus_error(self, field: str) -> None:
        for editor in self._editors:
            if editor.key == field:
                editor.focus_widget().setFocus()
                return

    def _on_submitted(self, submitted: intake_ops.SubmittedStep) -> None:
        result = submitted.result
        self._submitting = False
        step = self.step
        assert step is not None
        if step in (Step.GROSS, Step.TARE) and self._captured_weight is not None \
                and self._monitor is not None:
            self._monitor.commit_capture()
        self._captured_weight = None
        self._carried_alerts = tuple(a for a in result.alerts if a.severity.value in ("REJECT", "HOLD"))
        self.step_submitted.emit(result.load_id, step.value)
        if result.next_step is None or submitted.opened is None:
            self.load_id = result.load_id
            self.ticket_no = result.ticket_no
            self.step = None
            self._carried_alerts = ()
            # Every step was done; a load waiting for the lab may still have one of them corrected.
            self._done_steps = (tuple(s for s in Step if s is not Step.SUMMARY)
                                if result.state == LoadState.AWAITING_LAB.value else ())
            self._build_done_page()
            self.finished.emit(result.load_id)
            return
        # The next step was read in the same job as the submission.
        self._show(submitted.opened, drafts.load_draft_key(result.load_id))

    def _on_submit_error(self, exc: InspectorError) -> None:
        self._submitting = False
        self.next_button.setEnabled(True)
        if isinstance(exc, StepInvalidError):
            errors = self._shown_errors(exc.errors)
            self._touched.update(e.field for e in errors)
            ruleset = self._context.ruleset if self._context else None
            self._show_errors(errors)
            self._focus_error(errors[0].field)
            self.status_label.setText("\n".join(self._texts.error(e, ruleset) for e in errors))
            return
        self._on_error(exc)

    def _on_error(self, exc: InspectorError) -> None:
        self.status_label.setText(words.error(exc))

    # ---- language -------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        # An open step is rebuilt: the rule set's names on it follow the language too; what is typed stays.
        if self.step is not None and self._context is not None:
            self._rebuild_keep_values()
        else:
            self._retranslate_fixed()

    def _retranslate_fixed(self) -> None:
        if self.step is None:
            self.header_label.setText(self.tr("Intake") + (f" — {self.ticket_no}" if self.ticket_no else ""))
            self.progress_label.clear()
        else:
            who = self.tr("New truck") if self.load_id is None else f"{self.ticket_no} {self._plate}"
            self.header_label.setText(f"{who} — {self._texts.step(self.step)}")
            number = list(Step).index(self.step) + 1
            self.progress_label.setText(self.tr("Step %1 of %2").replace("%1", str(number))
                                        .replace("%2", str(len(Step))))
        last = self.step is Step.SUMMARY
        if self._correcting:
            self.next_button.setText(self.tr("Save the correction (Ctrl+Enter)"))
        else:
            self.next_button.setText(self.tr("Submit (Ctrl+Enter)") if last else self.tr("Next (Ctrl+Enter)"))
        if self._correcting and self.step is not None:
            self.header_label.setText(f"{self.ticket_no} {self._plate} — "
                                      + self.tr("Correcting: %1").replace("%1", self._texts.step(self.step)))
            self.progress_label.clear()
        self.correct_button.setText(self.tr("Correct an earlier step…"))
        self.correct_button.setVisible(bool(self._done_steps) and not self._correcting
                                       and self.load_id is not None)
        self.correction_label.setText(self.tr("Why (at least 5 characters):"))
        self.correction_reason_edit.setPlaceholderText(self.tr("e.g. plate typed wrong at the gate"))
        self.leave_correction_button.setText(self.tr("Leave without saving"))
        self.capture_button.setText(self.tr("Capture weight (F6)"))
        done = self.page.findChild(QLabel, "intakeDone")
        if done is not None:
            done.setText(self.tr("Load %1: the intake steps are done.").replace("%1", self.ticket_no))
        if self.next_truck_button is not None:
            self.next_truck_button.setText(self.tr("Next truck (Ctrl+N)"))
        if self.ticket_button is not None:
            self.ticket_button.setText(self.tr("Print weigh ticket"))
        for editor in self._editors:
            editor.retranslate()
