"""Everything stored about one load, read-only: ticket, truck and supplier, times with their offsets,
weights with their unit, the attributes gathered at intake, gate and lab, and the latest classification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector import messages
from inspector.queries.loads import AttributeLabel, LoadDetails
from ui import formats, words


class LoadDetailsWidget(QWidget):
    """The stored fields of one load, in labelled sections; rebuilt in the new language on a switch."""

    def __init__(self, details: LoadDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._details = details
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)
        self.shown_fields: dict[str, str] = {}
        self._build()

    @property
    def details(self) -> LoadDetails:
        return self._details

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._build()
        super().changeEvent(event)

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
    """A window around ``LoadDetailsWidget``; opened without blocking, several may be open side by side."""

    def __init__(self, details: LoadDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details_widget = LoadDetailsWidget(details, self)
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
