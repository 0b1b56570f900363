"""Everything stored about one load: ticket, truck and supplier, times with their offsets, weights with their
unit, the attributes gathered at intake, gate and lab, the latest classification, the corrections made (with
the earlier values, from the audit trail) and, for a cancelled load, why it was cancelled.

Given the door and the person signed in, it offers "Correct…" and "Cancel load…" (enabled when the load and
the person's roles allow it; the services check again) and reads itself again whenever loads change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector import messages
from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.queries.loads import AmendForm, Amendment, AttributeLabel, CancelForm, LoadDetails
from inspector.security.actor import Actor
from inspector.services.corrections import CORRECTION_ROLES
from inspector.services.tickets import TICKET_ROLES
from ui import formats, words
from ui.operations import loads as operations
from ui.ops import Door
from ui.screens.corrections import AmendPrompt, CancelPrompt, SupervisorConfirm, amend_prompt, cancel_prompt
from ui.screens.ticket import open_ticket
from ui.theme import TOUCH_TARGET_PX

ERROR_STYLE = "color: #b00020;"


class LoadDetailsWidget(QWidget):
    """The stored fields of one load, in labelled sections; rebuilt in the new language on a switch.

    With ``door`` and ``actor``: the correction buttons, and a new read whenever loads change. The dialogs
    are opened through ``ask_amendment`` and ``ask_cancellation`` (by default the correction dialogs, shown
    modally; a supervisor confirms through ``confirm_supervisor``).

    Signals:
        details_changed(object): the load was read again (its new ``LoadDetails``).
    """

    details_changed = Signal(object)

    def __init__(self, details: LoadDetails, parent: QWidget | None = None, *, door: Door | None = None,
                 actor: Actor | None = None, clock: Clock | None = None,
                 ask_amendment: AmendPrompt | None = None, ask_cancellation: CancelPrompt | None = None,
                 confirm_supervisor: SupervisorConfirm | None = None) -> None:
        super().__init__(parent)
        self._details = details
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self.amend_button = QPushButton(self)
        self.amend_button.setObjectName("amendLoadButton")
        self.amend_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelLoadButton")
        self.cancel_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.ticket_button = QPushButton(self)
        self.ticket_button.setObjectName("ticketButton")
        self.ticket_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("detailsMessage")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.amend_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.ticket_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message_label)
        layout.addWidget(self._scroll)
        self.shown_fields: dict[str, str] = {}
        if door is not None and actor is not None:
            self._ask_amendment = ask_amendment or amend_prompt(door, actor, clock=clock,
                                                                confirm_supervisor=confirm_supervisor)
            self._ask_cancellation = ask_cancellation or cancel_prompt(door, actor, clock=clock,
                                                                       confirm_supervisor=confirm_supervisor)
            self.amend_button.clicked.connect(self._on_amend_button_clicked)
            self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
            self.ticket_button.clicked.connect(self._on_ticket_button_clicked)
            door.changed.connect(self._on_door_changed)
        else:
            self.amend_button.hide()
            self.cancel_button.hide()
            self.ticket_button.hide()
        self._retranslate_buttons()
        self._build()

    @property
    def details(self) -> LoadDetails:
        return self._details

    def set_details(self, details: LoadDetails) -> None:
        """Show ``details`` (the load read again)."""
        self._details = details
        self._retranslate_buttons()
        self._build()
        self.details_changed.emit(details)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate_buttons()
            self._build()
        super().changeEvent(event)

    # ---- corrections --------------------------------------------------------------------------------------

    def _retranslate_buttons(self) -> None:
        self.amend_button.setText(self.tr("Correct…"))
        self.cancel_button.setText(self.tr("Cancel load…"))
        self.ticket_button.setText(self.tr("Weigh ticket…"))
        details = self._details
        # A ticket receipts a weight: there is one once the gross is weighed (a reprint is marked COPY).
        self.ticket_button.setEnabled(details.gross is not None and self._actor is not None
                                      and self._actor.has(*TICKET_ROLES))
        allowed = self._actor is not None and self._actor.has(*CORRECTION_ROLES)
        for button, refusal in ((self.amend_button, details.amend_refusal),
                                (self.cancel_button, details.cancel_refusal)):
            button.setEnabled(allowed and refusal is None)
            if not allowed:
                button.setToolTip(self.tr("Only inspectors and supervisors correct or cancel loads."))
            else:
                button.setToolTip(words.error(refusal) if refusal is not None else "")

    def _on_amend_button_clicked(self) -> None:
        assert self._door is not None
        operations.read_amend_form(self._door, owner=self, load_id=self._details.id,
                                   on_done=self._on_door_amend_form_read, on_error=self._show_error)

    def _on_door_amend_form_read(self, form: AmendForm) -> None:
        result = self._ask_amendment(self, form)
        if result is not None:
            self._say(self.tr("Correction saved."))
            self.refresh()

    def _on_cancel_button_clicked(self) -> None:
        assert self._door is not None
        operations.read_cancel_form(self._door, owner=self, load_id=self._details.id,
                                    on_done=self._on_door_cancel_form_read, on_error=self._show_error)

    def _on_door_cancel_form_read(self, form: CancelForm) -> None:
        result = self._ask_cancellation(self, form)
        if result is not None:
            self._say(self.tr("Load cancelled; its ticket number stays on the record."))
            self.refresh()

    def _on_ticket_button_clicked(self) -> None:
        assert self._door is not None and self._actor is not None
        open_ticket(self, door=self._door, actor=self._actor, clock=self._clock, data_dir=self._door.data_dir,
                    load_id=self._details.id)

    def refresh(self) -> None:
        """Read the load again."""
        if self._door is not None:
            operations.read_details(self._door, owner=self, load_id=self._details.id,
                                    on_done=self.set_details, on_error=self._show_error)

    def _on_door_changed(self, changes: frozenset[Change]) -> None:
        if Change.LOADS in changes:
            self.refresh()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _show_error(self, exc: InspectorError) -> None:
        self._say(words.error(exc), error=True)

    def _yes_no(self, value: bool | None) -> str:
        if value is None:
            return ""
        return self.tr("Yes") if value else self.tr("No")

    def _build(self) -> None:
        load = self._details
        unit = load.weight_unit
        self.shown_fields = {}
        content = QWidget()
        column = QVBoxLayout(content)

        def section(title: str, rows: list[tuple[str, str, str]]) -> None:
            box = QGroupBox(title, content)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for field, label, value in rows:
                shown = QLabel(value or "—", box)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                shown.setWordWrap(True)
                shown.setObjectName(f"field_{field}")
                form.addRow(label, shown)
                self.shown_fields[field] = value
            column.addWidget(box)

        section(self.tr("Ticket"), [
            ("ticket_no", self.tr("Ticket number"), load.ticket_no),
            ("ticket_year", self.tr("Ticket year"), str(load.ticket_year)),
            ("ticket_seq", self.tr("Number in the year"), str(load.ticket_seq)),
            ("state", self.tr("State"), words.load_state(load.state)),
            ("created_by", self.tr("Registered by"), load.created_by),
        ])
        section(self.tr("Truck and supplier"), [
            ("plate", self.tr("Plate"), load.plate),
            ("vehicle_id", self.tr("Vehicle kind"), words.word("vehicle_kind", load.vehicle_kind)
             if load.vehicle_kind else self.tr("not registered")),
            ("driver", self.tr("Driver"), load.driver),
            ("supplier_id", self.tr("Supplier"), load.supplier_name),
            ("supplier_uscc", self.tr("Unified social credit code"), load.supplier_uscc),
            ("generating_enterprise", self.tr("Generating enterprise"), load.generating_enterprise),
        ])
        section(self.tr("Times (local time at the yard)"), [
            ("arrived_at", self.tr("Arrived"), formats.moment(load.arrived_at, load.arrived_offset)),
            ("arrived_offset", self.tr("Arrival offset from UTC"), self._offset(load.arrived_offset)),
            ("departed_at", self.tr("Departed"), formats.moment(load.departed_at, load.departed_offset)),
            ("departed_offset", self.tr("Departure offset from UTC"), self._offset(load.departed_offset)),
        ])
        section(self.tr("Weights"), [
            ("gross", self.tr("Gross"), formats.mass(load.gross, unit)),
            ("tare", self.tr("Tare"), formats.mass(load.tare, unit)),
            ("net", self.tr("Net"), formats.mass(load.net, unit)),
            ("weight_unit", self.tr("Unit"), unit),
            ("manual_weight", self.tr("Weight entered by hand"),
             self._yes_no(load.manual_weight)
             + (f" ({words.manual_weight_flag()})" if load.manual_weight else "")),
        ])
        section(self.tr("Classification"), [
            ("declared_category", self.tr("Declared category"), words.category(load.declared_category)),
            ("assigned_category", self.tr("Assigned category"), words.category(load.assigned_category)),
            ("outcome", self.tr("Outcome"), words.outcome(load.outcome)),
            ("grade", self.tr("Grade"), load.grade or ""),
            ("classification_status", self.tr("Classification status"),
             words.classification_status(load.classification_status)),
        ])
        column.addWidget(self._attributes_box(content, load.attributes, load.attribute_labels))
        self.shown_fields["attributes"] = ", ".join(f"{k}={self._value(v)}" for k, v in
                                                    sorted(load.attributes.items()))
        if load.lots:
            section(self.tr("Lots"), [("lots", self.tr("In lot"), ", ".join(load.lots))])
        cancellation = load.cancellation
        if cancellation is not None:
            section(self.tr("Cancellation"), [
                ("cancel_kind", self.tr("Why"), words.word("cancel_kind", cancellation.kind)),
                ("cancel_reason", self.tr("Reason"), cancellation.reason),
                ("cancelled_by", self.tr("Cancelled by"), cancellation.cancelled_by),
                ("cancel_confirmed_by", self.tr("Confirmed by"), cancellation.confirmed_by or ""),
                ("cancelled_at", self.tr("Cancelled"), formats.moment(cancellation.at,
                                                                      cancellation.offset_minutes)),
                ("state_before", self.tr("State before"), words.load_state(cancellation.state_before)),
            ])
        if load.amendments:
            column.addWidget(self._amendments_box(content, load.amendments))
        section(self.tr("Record"), [
            ("id", self.tr("Record number"), str(load.id)),
            ("audit_seq", self.tr("Last audit event"), "" if load.audit_seq is None else str(load.audit_seq)),
            ("row_hash", self.tr("Content hash"), load.row_hash or ""),
        ])
        column.addStretch(1)
        self._scroll.setWidget(content)

    def _attributes_box(self, parent: QWidget, attributes: Mapping[str, Any],
                        labels: Mapping[str, AttributeLabel]) -> QGroupBox:
        box = QGroupBox(self.tr("Attributes (intake, gate, lab)"), parent)
        layout = QVBoxLayout(box)
        if not attributes:
            layout.addWidget(QLabel(self.tr("No attributes recorded yet."), box))
            return box
        # A small fixed list inside a dialog: an item table is the right tool here (not for the register).
        table = QTableWidget(len(attributes), 2, box)
        table.setObjectName("attributesTable")
        table.setHorizontalHeaderLabels([self.tr("Attribute"), self.tr("Value")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        for row, (key, value) in enumerate(sorted(attributes.items())):
            label = labels.get(key, AttributeLabel(key, key, None))
            name = messages.render(label, words.language())
            unit = words.aside(label.unit) if label.unit else ""
            item = QTableWidgetItem(f"{name}{unit}")
            item.setToolTip(key)  # the key as stored, for support and the command line
            table.setItem(row, 0, item)
            table.setItem(row, 1, QTableWidgetItem(words.choice(key, value) if isinstance(value, str)
                                                   else self._value(value)))
        table.resizeRowsToContents()
        # Tall enough for every attribute: the page scrolls as a whole, never a table inside it.
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header_height = table.horizontalHeader().sizeHint().height()
        rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(header_height + rows_height + 2 * table.frameWidth())
        layout.addWidget(table)
        return box

    def _amendments_box(self, parent: QWidget, amendments: tuple[Amendment, ...]) -> QGroupBox:
        """The corrections, oldest first: when, who (and who confirmed), what changed from what, and why."""
        box = QGroupBox(self.tr("Corrections"), parent)
        layout = QVBoxLayout(box)
        shown = []
        for amendment in amendments:
            who = amendment.actor
            if amendment.confirmed_by is not None:
                who = self.tr("%1, confirmed by %2").replace("%1", who).replace("%2", amendment.confirmed_by)
            changes = words.clauses(
                f"{self._field_name(c.field)}: {c.old_name or self._changed(c.field, c.old)} → "
                f"{c.new_name or self._changed(c.field, c.new)}" for c in amendment.changes)
            when = formats.moment(amendment.at, amendment.offset_minutes)
            text = self.tr("%1 — %2: %3. Reason: %4").replace("%1", when).replace("%2", who) \
                .replace("%3", changes).replace("%4", amendment.reason)
            label = QLabel(text, box)
            label.setObjectName(f"amendment_{amendment.seq}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
            shown.append(text)
        self.shown_fields["amendments"] = "\n".join(shown)
        return box

    def _field_name(self, field: str) -> str:
        """A corrected field by its name: an attribute by the rule set's, a column by the catalogue's."""
        key = field.removeprefix("attributes.")
        label = self._details.attribute_labels.get(key)
        if label is not None:
            return messages.render(label, words.language())
        return words.word("intake_field", key)

    def _changed(self, field: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, dict):
            return ", ".join(f"{k}={v}" for k, v in value.items())
        if isinstance(value, str) and field.startswith("attributes."):
            return words.choice(field.removeprefix("attributes."), value)
        if field in ("declared_category", "assigned_category") and isinstance(value, str):
            return f"{value} {words.category(value)}"
        return self._value(value)

    def _value(self, value: Any) -> str:
        if isinstance(value, bool):
            return self._yes_no(value)
        if value is None:
            return ""
        return str(value)

    @staticmethod
    def _offset(minutes: int | None) -> str:
        if minutes is None:
            return ""
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}:{rest:02d}"


class LoadDetailsDialog(QDialog):
    """A window around ``LoadDetailsWidget``; opened without blocking, several may be open side by side.
    ``door`` and ``actor`` (with the prompts) are handed to the widget for the correction buttons."""

    def __init__(self, details: LoadDetails, parent: QWidget | None = None, *, door: Door | None = None,
                 actor: Actor | None = None, clock: Clock | None = None,
                 ask_amendment: AmendPrompt | None = None, ask_cancellation: CancelPrompt | None = None,
                 confirm_supervisor: SupervisorConfirm | None = None) -> None:
        super().__init__(parent)
        self.details_widget = LoadDetailsWidget(details, self, door=door, actor=actor, clock=clock,
                                                ask_amendment=ask_amendment,
                                                ask_cancellation=ask_cancellation,
                                                confirm_supervisor=confirm_supervisor)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.details_widget)
        layout.addWidget(buttons)
        self.resize(760, 820)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Load %1").replace("%1", self.details_widget.details.ticket_no))
