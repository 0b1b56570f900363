"""Lab results entry: a clerk (or lab user) types a lab report's assay values for a load.

Scan or type the ticket number and press Enter; the load's category decides which values are asked for.
Storing the report classifies the load at the lab stage (final when every value the category needs is
there); a later report re-classifies, and the earlier classifications are kept. When loads change (here, in
the wizard or in another program) the open load is read again, so its state and category stay true.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.intake.steps import LAB_BASES, Alert, FieldError, lab_alerts, worst
from inspector.queries.intake import LabLoad, StoredLabReport, load_for_lab
from inspector.security.actor import Actor
from inspector.standard.findings import Severity
from inspector.standard.wording import describe
from ui import words
from ui.operations import intake as intake_ops
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.screens.intake.editors import ALERT_STYLE, ERROR_STYLE, LineFieldEditor
from ui.screens.intake.texts import IntakeTexts, current_language
from ui.theme import TOUCH_TARGET_PX


class LabResultsWidget(ScreenWidget):
    """Find a load by ticket, type the report, store it and see the classification that follows.

    Signals:
        stored(int, str): a report was stored for the load (load id, resulting state).
    """

    shows = frozenset({Change.LOADS})
    stored = Signal(int, str)

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self._texts = IntakeTexts(self)
        self._load: LabLoad | None = None
        self._value_editors: list[LineFieldEditor] = []

        self.ticket_edit = QLineEdit(self)
        self.ticket_edit.setObjectName("labTicket")
        self.ticket_edit.setMinimumHeight(TOUCH_TARGET_PX)
        self.load_label = QLabel(self)
        self.load_label.setObjectName("labLoad")
        self.lab_edit = QLineEdit(self)
        self.lab_edit.setObjectName("field_lab")
        self.report_edit = QLineEdit(self)
        self.report_edit.setObjectName("field_report_number")
        self.method_edit = QLineEdit(self)
        self.method_edit.setObjectName("field_method")
        self.basis_combo = QComboBox(self)
        self.basis_combo.setObjectName("field_basis")
        for field_widget in (self.lab_edit, self.report_edit, self.method_edit, self.basis_combo):
            field_widget.setMinimumHeight(TOUCH_TARGET_PX)
        self.values_box = QWidget(self)
        self.values_form = QFormLayout(self.values_box)
        self.alerts_label = QLabel(self)
        self.alerts_label.setObjectName("labAlerts")
        self.alerts_label.setWordWrap(True)
        self.alerts_label.hide()
        # The HOLD and REJECT findings raised while this report is typed, by rule: they stay on the banner
        # until another load is opened (what was measured was seen), and each sounds once.
        self._raised: dict[str, Alert] = {}
        self.error_label = QLabel(self)
        self.error_label.setObjectName("labErrors")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("labResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.store_button = QPushButton(self)
        self.store_button.setObjectName("labStore")
        self.store_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.store_button.setEnabled(False)

        self._form = QFormLayout()
        self._labels = [QLabel(self) for _ in range(5)]
        inputs: tuple[QWidget, ...] = (self.ticket_edit, self.lab_edit, self.report_edit, self.method_edit,
                                       self.basis_combo)
        for label, widget in zip(self._labels, inputs, strict=True):
            self._form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.load_label)
        layout.addWidget(self.alerts_label)
        layout.addWidget(self.values_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.store_button)
        layout.addWidget(self.result_label, 1)

        self.ticket_edit.returnPressed.connect(self._on_ticket_edit_return_pressed)
        self.store_button.clicked.connect(self.store_report)
        self.basis_combo.currentIndexChanged.connect(self._on_values_edited)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.store_report)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.store_report)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Lab results")

    # ---- finding the load -----------------------------------------------------------------------------

    def open_ticket(self, ticket: str) -> None:
        data_dir = self._door.data_dir
        self._door.read(lambda s: load_for_lab(s, ticket=ticket, data_dir=data_dir), self._show_load,
                        self._on_error, owner=self)

    def refresh(self) -> None:
        """Read the open load again (loads changed); what is typed stays."""
        if self._load is None:
            return
        ticket, data_dir = self._load.ticket_no, self._door.data_dir
        self._door.read(lambda s: load_for_lab(s, ticket=ticket, data_dir=data_dir), self._on_door_load_read,
                        self._on_error, owner=self)

    def _on_ticket_edit_return_pressed(self) -> None:
        self.open_ticket(self.ticket_edit.text())

    def _show_load(self, found: LabLoad) -> None:
        self._load = found
        self._raised.clear()
        self.error_label.clear()
        self.result_label.clear()
        self._build_value_editors({})
        self._show_load_label()
        self.store_button.setEnabled(True)
        self.lab_edit.setFocus()

    def _on_door_load_read(self, found: LabLoad) -> None:
        if self._load is None or found.load_id != self._load.load_id:
            return  # another ticket was opened meanwhile
        before = self._load
        self._load = found
        if [f.key for f in found.fields] != [f.key for f in before.fields]:
            # The category changed (identified again, say): ask for its values, keeping those typed.
            self._build_value_editors({e.key: e.value() for e in self._value_editors})
        self._show_load_label()

    def _build_value_editors(self, values: dict[str, object]) -> None:
        found = self._load
        assert found is not None
        while self.values_form.rowCount():
            self.values_form.removeRow(0)
        self._value_editors = []
        for spec in found.fields:
            editor = LineFieldEditor(spec, self._texts, found.ruleset, self.values_box,
                                     self._on_values_edited)
            if spec.key in values:
                editor.set_value(values[spec.key])
            column = QVBoxLayout()
            column.addWidget(editor.widget)
            column.addWidget(editor.error_label)
            self.values_form.addRow(editor.label, column)
            self._value_editors.append(editor)
        self._on_values_edited()

    # ---- findings as the values are typed ---------------------------------------------------------------

    def _on_values_edited(self) -> None:
        """Judge the report as typed: a HOLD or REJECT shows at once, with a sound, whatever is empty."""
        found = self._load
        if found is None:
            return
        values = {e.key: e.value() for e in self._value_editors if str(e.value()).strip()}
        alerts = lab_alerts(found.ruleset, found.category, found.attributes,
                            str(self.basis_combo.currentData() or ""), values, found.permit_codes)
        new = False
        for alert in alerts:
            if alert.severity in (Severity.HOLD, Severity.REJECT) and alert.finding.rule not in self._raised:
                self._raised[alert.finding.rule] = alert
                new = True
        if new:
            QApplication.beep()
        now = {a.finding.rule for a in alerts}
        self._show_alerts([*alerts, *(a for rule, a in self._raised.items() if rule not in now)])

    def _show_alerts(self, alerts: Sequence[Alert]) -> None:
        found = self._load
        if not alerts or found is None:
            self.alerts_label.hide()
            return
        lang = current_language()
        lines = [self.tr("%1: %2 (%3). %4").replace("%1", words.severity(a.severity.value))
                 .replace("%2", describe(found.ruleset, a.finding, lang)).replace("%3", a.finding.clause)
                 .replace("%4", words.sentences(self._texts.action(x) for x in a.actions)) for a in alerts]
        severity = worst(alerts) or Severity.DOWNGRADE
        self.alerts_label.setText("\n".join(lines))
        self.alerts_label.setStyleSheet(ALERT_STYLE[severity.value] + " padding: 8px; font-weight: bold;")
        self.alerts_label.show()

    def _show_load_label(self) -> None:
        found = self._load
        if found is None:
            self.load_label.clear()
            return
        name = words.rule_text(found.ruleset.category_name(found.category)) if found.category else ""
        self.load_label.setText(f"{found.ticket_no}  {found.plate}  {found.category} {name}"
                                f"{words.aside(words.load_state(found.state))}")

    # ---- storing --------------------------------------------------------------------------------------

    def store_report(self) -> None:
        found = self._load
        if found is None:
            return
        values = {e.key: e.value() for e in self._value_editors if str(e.value()).strip()}
        lab, report, method = self.lab_edit.text(), self.report_edit.text(), self.method_edit.text()
        basis = str(self.basis_combo.currentData() or "")
        self.store_button.setEnabled(False)
        intake_ops.enter_lab_results(
            self._door, owner=self, actor=self._actor, clock=self._clock, load_id=found.load_id, lab=lab,
            report_number=report, method=method, basis=basis, values=values, data_dir=self._door.data_dir,
            on_done=self._on_stored, on_error=self._on_store_error)

    def _on_stored(self, result: StoredLabReport) -> None:
        self.store_button.setEnabled(True)
        found = self._load
        assert found is not None
        lang = current_language()
        lines = [
            self.tr("Report %1 stored; classification no. %2 of this load.")
            .replace("%1", result.report_number).replace("%2", str(result.classification_seq)),
            self.tr("Outcome: %1, grade: %2, %3").replace("%1", words.outcome(result.outcome))
            .replace("%2", result.grade or "—").replace("%3", self._status_word(result.status)),
            self.tr("Load state: %1").replace("%1", words.load_state(result.state)),
        ]
        for finding in result.findings:
            mark = "✔" if finding.passed else "✘"
            lines.append(f"{mark} {describe(found.ruleset, finding, lang)}{words.aside(finding.clause)}")
        for key in result.missing:
            lines.append("… " + self.tr("%1: not measured yet").replace(
                "%1", words.rule_text(found.ruleset.attribute_name(key))))
        self.result_label.setText("\n".join(lines))
        self.error_label.clear()
        for editor in self._value_editors:
            editor.show_error(None)
        self.stored.emit(result.load_id, result.state)

    def _status_word(self, status: str) -> str:
        return self.tr("final") if status == "final" else self.tr("provisional")

    def _on_store_error(self, exc: InspectorError) -> None:
        self.store_button.setEnabled(True)
        errors: tuple[FieldError, ...] = getattr(exc, "errors", ())
        if not errors:
            self._on_error(exc)
            return
        ruleset = self._load.ruleset if self._load else None
        by_field = {e.field: self._texts.error(e, ruleset) for e in reversed(errors)}
        for editor in self._value_editors:
            editor.show_error(by_field.pop(editor.key, None))
        self.error_label.setText("\n".join(by_field.values()))

    def _on_error(self, exc: InspectorError) -> None:
        self.error_label.setText(words.error(exc))

    # ---- language -------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        texts = (self.tr("Ticket"), self._texts.field("lab"), self._texts.field("report_number"),
                 self._texts.field("method"), self._texts.field("basis"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.ticket_edit.setPlaceholderText(self.tr("Scan or type the ticket, then Enter"))
        current = self.basis_combo.currentData()
        self.basis_combo.clear()
        for code in LAB_BASES:
            self.basis_combo.addItem(self._texts.choice("basis", code), code)
        index = self.basis_combo.findData(current)
        self.basis_combo.setCurrentIndex(max(index, 0))
        self.store_button.setText(self.tr("Store the report (Ctrl+Enter)"))
        for editor in self._value_editors:
            editor.retranslate()
        self._show_load_label()
        self._on_values_edited()

