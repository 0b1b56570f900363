"""The weighbridge settings screen: indicator profile, port and serial parameters, division, capacity, unit,
and the yard's weighing practice: the tare tolerance and the stability delay.

"Test connection" reads the port for a moment on the background worker (never the GUI thread) and says what
arrived: nothing, bytes but no valid frame (wrong profile, baud or parity), or the last reading. "Save"
validates and emits ``settings_saved`` with the ``ScaleSettings``; the caller stores them through the
audited service (``inspector.services.weighing.save_scale_settings``). A value that cannot be saved is said
in words naming the field, and that field takes the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from inspector.errors import InspectorError, UserError
from inspector.services.weighing import STABLE_DELAY_RANGE_S, UNITS, ScaleSettings
from inspector.weighing.profiles import PROFILES, get_profile
from inspector.weighing.reader import ProbeReport, probe_connection, reject_counts
from ui import words

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
TEST_SECONDS = 2.0


class Runner(Protocol):
    """What the screen needs of ``ui.ops.Ops``."""

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[InspectorError], None] | None = None) -> int: ...


def default_probe(settings: ScaleSettings) -> ProbeReport:
    return probe_connection(settings.serial(), get_profile(settings.profile), seconds=TEST_SECONDS,
                            division=settings.division, assumed_unit=settings.unit)


def default_ports() -> list[str]:
    from serial.tools import list_ports

    return sorted(p.device for p in list_ports.comports())


class ScaleSettingsWidget(QWidget):
    """Signals:
    settings_saved(object): validated ``ScaleSettings`` the user chose to save.
    test_finished(str): the words shown after a connection test.
    """

    settings_saved = Signal(object)
    test_finished = Signal(str)

    def __init__(self, *, ops: Runner, initial: ScaleSettings | None = None,
                 probe: Callable[[ScaleSettings], ProbeReport] = default_probe,
                 list_ports: Callable[[], list[str]] = default_ports, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._probe = probe
        self._loading = False

        self.scale_id_edit = QLineEdit(self)
        self.name_edit = QLineEdit(self)
        self.profile_combo = QComboBox(self)
        for name, profile in PROFILES.items():
            self.profile_combo.addItem(profile.title_in(words.language()), name)
        self.port_combo = QComboBox(self)
        self.port_combo.setEditable(True)
        try:
            ports = list_ports()
        except OSError:
            ports = []
        self.port_combo.addItems(ports)
        self.baud_combo = QComboBox(self)
        for rate in BAUD_RATES:
            self.baud_combo.addItem(str(rate), rate)
        self.bytesize_combo = QComboBox(self)
        for bits in (7, 8):
            self.bytesize_combo.addItem(str(bits), bits)
        self.parity_combo = QComboBox(self)
        for code, text in (("N", self.tr("None (N)")), ("E", self.tr("Even (E)")), ("O", self.tr("Odd (O)"))):
            self.parity_combo.addItem(text, code)
        self.stopbits_combo = QComboBox(self)
        for bits in (1, 2):
            self.stopbits_combo.addItem(str(bits), bits)
        self.division_spin = QSpinBox(self)
        self.division_spin.setRange(1, 1000)
        self.capacity_spin = QSpinBox(self)
        self.capacity_spin.setRange(1, 10_000_000)
        self.capacity_spin.setSingleStep(1000)
        self.unit_combo = QComboBox(self)
        for unit in UNITS:
            self.unit_combo.addItem(unit, unit)
        # Wider than what is valid (up to Max): the check says what is wrong instead of the box refusing keys.
        self.tare_tolerance_spin = QSpinBox(self)
        self.tare_tolerance_spin.setObjectName("tareTolerance")
        self.tare_tolerance_spin.setRange(0, 10_000_000)
        self.tare_tolerance_spin.setSingleStep(10)
        self.stable_delay_spin = QSpinBox(self)
        self.stable_delay_spin.setObjectName("stableDelay")
        self.stable_delay_spin.setRange(*STABLE_DELAY_RANGE_S)

        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Scale identifier"), self.scale_id_edit)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Indicator protocol"), self.profile_combo)
        form.addRow(self.tr("Serial port"), self.port_combo)
        form.addRow(self.tr("Baud rate"), self.baud_combo)
        form.addRow(self.tr("Data bits"), self.bytesize_combo)
        form.addRow(self.tr("Parity"), self.parity_combo)
        form.addRow(self.tr("Stop bits"), self.stopbits_combo)
        form.addRow(self.tr("Division e"), self.division_spin)
        form.addRow(self.tr("Capacity (Max)"), self.capacity_spin)
        form.addRow(self.tr("Unit"), self.unit_combo)
        form.addRow(self.tr("Tare tolerance"), self.tare_tolerance_spin)
        form.addRow(self.tr("Stability delay"), self.stable_delay_spin)
        self.tare_tolerance_spin.setToolTip(self.tr(
            "A weighed tare further than this from the vehicle's stored tare, or from the last tare weighed "
            "for its plate, must be explained at the tare step."))
        self.stable_delay_spin.setToolTip(self.tr(
            "How long the indicator's stable reading must stay at the same weight before it is captured."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        layout.addStretch(1)

        self._shown: ScaleSettings | None = None  # as last loaded: the form differs from it once edited
        self.load(initial or ScaleSettings(scale_id="WB1"))
        self.profile_combo.currentIndexChanged.connect(self._on_profile_combo_current_index_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_combo_current_index_changed)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)

    # -- values ------------------------------------------------------------------------------------------

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)
        elif combo.isEditable():
            combo.setEditText(str(value))

    def offer(self, settings: ScaleSettings | None) -> bool:
        """Show ``settings`` stored elsewhere meanwhile, unless the form holds changes not yet saved (they
        stay: saving them is the user's decision). Returns whether they are shown."""
        if settings is None or settings == self._shown or self.settings() != self._shown:
            return False
        self.load(settings)
        return True

    def load(self, settings: ScaleSettings) -> None:
        self._shown = settings
        self._loading = True
        try:
            self.scale_id_edit.setText(settings.scale_id)
            self.name_edit.setText(settings.name)
            self._select(self.profile_combo, settings.profile)
            self.port_combo.setEditText(settings.port)
            if self.baud_combo.findData(settings.baud) < 0:
                self.baud_combo.addItem(str(settings.baud), settings.baud)
            self._select(self.baud_combo, settings.baud)
            self._select(self.bytesize_combo, settings.bytesize)
            self._select(self.parity_combo, settings.parity)
            self._select(self.stopbits_combo, settings.stopbits)
            self.division_spin.setValue(settings.division)
            self.capacity_spin.setValue(settings.capacity)
            self._select(self.unit_combo, settings.unit)
            self.tare_tolerance_spin.setValue(settings.tare_tolerance)
            self.stable_delay_spin.setValue(settings.stable_delay_s)
        finally:
            self._loading = False
        self._show_units()

    def _show_units(self) -> None:
        self.tare_tolerance_spin.setSuffix(f" {self.unit_combo.currentData()}")
        self.stable_delay_spin.setSuffix(self.tr(" s"))

    def settings(self) -> ScaleSettings:
        """The settings on screen (not yet validated)."""
        return ScaleSettings(
            scale_id=self.scale_id_edit.text().strip(),
            name=self.name_edit.text().strip(),
            profile=str(self.profile_combo.currentData()),
            port=self.port_combo.currentText().strip(),
            baud=int(self.baud_combo.currentData()),
            bytesize=int(self.bytesize_combo.currentData()),
            parity=str(self.parity_combo.currentData()),
            stopbits=int(self.stopbits_combo.currentData()),
            division=self.division_spin.value(),
            capacity=self.capacity_spin.value(),
            unit=str(self.unit_combo.currentData()),
            tare_tolerance=self.tare_tolerance_spin.value(),
            stable_delay_s=self.stable_delay_spin.value(),
        )

    # -- slots -------------------------------------------------------------------------------------------

    @Slot(int)
    def _on_profile_combo_current_index_changed(self, _index: int) -> None:
        if self._loading:
            return
        # A new protocol usually comes with its maker's serial defaults; the user can still change them.
        defaults = get_profile(str(self.profile_combo.currentData())).serial
        self._select(self.baud_combo, defaults.baudrate)
        self._select(self.bytesize_combo, defaults.bytesize)
        self._select(self.parity_combo, defaults.parity)
        self._select(self.stopbits_combo, defaults.stopbits)

    @Slot(int)
    def _on_unit_combo_current_index_changed(self, _index: int) -> None:
        self._show_units()

    def field_widget(self, field: str | None) -> QWidget | None:
        """The editor of a field named by an error (``ScaleSettings`` names, and the serial ones)."""
        return {
            "scale_id": self.scale_id_edit, "profile": self.profile_combo, "port": self.port_combo,
            "baud": self.baud_combo, "bytesize": self.bytesize_combo, "parity": self.parity_combo,
            "stopbits": self.stopbits_combo, "division": self.division_spin, "capacity": self.capacity_spin,
            "unit": self.unit_combo, "tare_tolerance": self.tare_tolerance_spin,
            "stable_delay_s": self.stable_delay_spin,
        }.get(field or "")

    def _show_error(self, error: InspectorError) -> None:
        self.result_label.setText(self.tr("Not possible: %1").replace("%1", words.error(error)))
        widget = self.field_widget(getattr(error, "field", None))
        if widget is not None:
            widget.setFocus()

    @Slot()
    def _on_test_button_clicked(self) -> None:
        settings = self.settings()
        try:
            settings.validate()
            if not settings.port:
                raise UserError("window.scale.no_port", field="port")
        except UserError as exc:
            self._show_error(exc)
            self.test_finished.emit(self.result_label.text())
            return
        self.test_button.setEnabled(False)
        self.result_label.setText(self.tr("Listening to %1 for %2 s…").replace("%1", settings.port).replace(
            "%2", f"{TEST_SECONDS:g}"))
        self._ops.run(lambda: self._probe(settings), self._on_probe_done, self._on_probe_error)

    def _on_probe_done(self, report: ProbeReport) -> None:
        self.test_button.setEnabled(True)
        self.result_label.setText(self._report_text(report))
        self.test_finished.emit(self.result_label.text())

    def _on_probe_error(self, error: InspectorError) -> None:
        self.test_button.setEnabled(True)
        self._show_error(error)
        self.test_finished.emit(self.result_label.text())

    def _report_text(self, report: ProbeReport) -> str:
        if report.problem is not None:
            return self.tr("Not possible: %1").replace("%1", words.error(report.problem))
        if report.bytes_received == 0:
            return self.tr("Nothing arrived in %1 s: check the cable, the port and the baud rate.").replace(
                "%1", f"{report.seconds:g}")
        if report.frames == 0:
            reasons = reject_counts(report.reasons, words.language())
            text = self.tr("%1 bytes arrived but no valid frame (%2): check the protocol, baud rate, "
                           "data bits and parity.")
            return text.replace("%1", str(report.bytes_received)).replace("%2", reasons)
        frame = report.last_frame
        assert frame is not None
        text = self.tr("Connected: %1 valid frames, last reading %2 %3.").replace(
            "%1", str(report.frames)).replace("%2", frame.text).replace("%3", frame.unit)
        if report.rejected:
            text += " " + self.tr("%1 frame(s) rejected.").replace("%1", str(report.rejected))
        return text

    @Slot()
    def _on_save_button_clicked(self) -> None:
        settings = self.settings()
        try:
            settings.validate()
        except UserError as exc:
            self._show_error(exc)
            return
        self.result_label.setText(self.tr("Settings ready to save."))
        self.settings_saved.emit(settings)
