"""The lots screen: lots with their mass balance; create a lot from eligible loads, add and remove loads,
split, merge and submit; export an approval packet for a supervisor's laptop and import the decision file
that comes back.

Every change goes through ``inspector.services.lots`` on the ``Ops`` worker; the services check roles,
four-eyes and the lot's state, and their refusals are shown here in words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, InspectorError, UserError
from inspector.security import keys
from inspector.security.actor import Actor
from inspector.services import classification as classification_services
from inspector.services import lots as svc
from inspector.standard.loader import find_ruleset
from inspector.standard.ruleset import RuleSet
from inspector.states import LotState
from inspector.storage.db import Store
from inspector.storage.models.lots import Approval
from ui.models.lots import (
    EligibleLoad,
    EligibleLoadsModel,
    LotListModel,
    LotMembersModel,
    LotRow,
    LotTexts,
    MemberRow,
    RulesetOf,
    describe,
    fetch_eligible_loads,
    fetch_lot_rows,
    fetch_members,
    format_mass,
)
from ui.ops import Ops
from ui.theme import TOUCH_TARGET_PX

# (parent, title, suggested file name) -> chosen path, or None when cancelled.
SaveFileChooser = Callable[[QWidget, str, str], Path | None]
# (parent, title) -> chosen path, or None when cancelled.
OpenFileChooser = Callable[[QWidget, str], Path | None]
# (parent, explanation) -> the key passphrase, or None when cancelled.
PassphrasePrompt = Callable[[QWidget, str], str | None]

ERROR_STYLE = "color: #b00020;"


def choose_save_file(parent: QWidget, title: str, suggested: str) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, title, suggested, "JSON (*.json)")
    return Path(name) if name else None


def choose_open_file(parent: QWidget, title: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, title, "", "JSON (*.json);;* (*)")
    return Path(name) if name else None


def ask_passphrase(parent: QWidget, text: str) -> str | None:
    title = QCoreApplication.translate("LotsWidget", "Key passphrase")
    value, ok = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
    return value if ok else None


def default_ruleset_of(data_dir: DataDir) -> RulesetOf:
    """The installed rule set a lot is judged under, read once per screen: reading and validating the rule
    set files takes about 0.1 s, and the list and the queue ask for it once per lot."""
    found: dict[tuple[str, str], RuleSet] = {}

    def of(ruleset_id: str, version: str) -> RuleSet:
        key = (ruleset_id, version)
        if key not in found:
            found[key] = find_ruleset(f"{ruleset_id}@{version}", data_dir)
        return found[key]

    return of


def read_file(path: Path, *, field: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.", field=field) from None


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise EnvironmentProblemError(f"Cannot write {path}: {exc.strerror or exc}.",
                                      hint="Choose another folder.") from exc


def _table(parent: QWidget, name: str, *, multi: bool) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(TOUCH_TARGET_PX)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class LotsWidget(QWidget):
    """Lots on the left, the selected lot's loads on the right, the picker of eligible loads below.

    Signals:
        lots_changed(): a change to lots was stored (the approval queue may want to refresh).
    """

    lots_changed = Signal()

    def __init__(self, store: Store, ops: Ops, actor: Actor, *, data_dir: DataDir, clock: Clock | None = None,
                 ruleset_of: RulesetOf | None = None, ruleset_in_force: Callable[[], RuleSet] | None = None,
                 ask_passphrase: PassphrasePrompt = ask_passphrase,
                 choose_save_file: SaveFileChooser = choose_save_file,
                 choose_open_file: OpenFileChooser = choose_open_file,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ops = ops
        self._actor = actor
        self._data_dir = data_dir
        self._clock = clock or Clock()
        self._ruleset_of = ruleset_of or default_ruleset_of(data_dir)
        self._ruleset_in_force = ruleset_in_force or self._read_ruleset_in_force
        self._ask_passphrase = ask_passphrase
        self._choose_save_file = choose_save_file
        self._choose_open_file = choose_open_file
        self._texts = LotTexts(self)
        self._eligible: list[EligibleLoad] = []
        # The lots to select once the list is read again (the lot just created, split off or merged into).
        self._pending_select: list[str] = []
        self._busy = 0
        self.setObjectName("lotsScreen")

        self.lots_model = LotListModel(self)
        self.members_model = LotMembersModel(self)
        self.eligible_model = EligibleLoadsModel(self)

        self.refresh_button = QPushButton(self)
        self.lots_view = _table(self, "lotsTable", multi=True)
        self.lots_view.setModel(self.lots_model)
        self.members_view = _table(self, "lotMembersTable", multi=True)
        self.members_view.setModel(self.members_model)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.submit_button = QPushButton(self)
        self.merge_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.split_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setObjectName("splitAmount")
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("changeReason")

        self.picker_box = QGroupBox(self)
        self.group_combo = QComboBox(self.picker_box)
        self.group_combo.setObjectName("eligibleGroup")
        self.eligible_view = _table(self.picker_box, "eligibleLoadsTable", multi=False)
        self.eligible_view.setModel(self.eligible_model)
        self.create_button = QPushButton(self.picker_box)
        self.add_button = QPushButton(self.picker_box)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("lotsMessage")
        self.message_label.setWordWrap(True)
        self._amount_label = QLabel(self)
        self._reason_label = QLabel(self)

        self._init_layout()
        self._connect_signals()
        self.retranslate()
        self._update_buttons()
        self.refresh()

    def _init_layout(self) -> None:
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail_label)
        right_layout.addWidget(self.members_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.lots_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        actions = QHBoxLayout()
        for button in (self.submit_button, self.merge_button, self.remove_button, self.split_button,
                       self.export_button, self.import_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.refresh_button)
        fields = QFormLayout()
        fields.addRow(self._amount_label, self.amount_edit)
        fields.addRow(self._reason_label, self.reason_edit)

        picker = QVBoxLayout(self.picker_box)
        picker.addWidget(self.group_combo)
        picker.addWidget(self.eligible_view, 1)
        picker_buttons = QHBoxLayout()
        picker_buttons.addWidget(self.create_button)
        picker_buttons.addWidget(self.add_button)
        picker_buttons.addStretch(1)
        picker.addLayout(picker_buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 3)
        layout.addLayout(actions)
        layout.addLayout(fields)
        layout.addWidget(self.picker_box, 2)
        layout.addWidget(self.message_label)

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.lots_view.selectionModel().selectionChanged.connect(self._on_lots_view_selection_changed)
        self.members_view.selectionModel().selectionChanged.connect(self._on_members_view_selection_changed)
        self.group_combo.currentIndexChanged.connect(self._on_group_combo_current_index_changed)
        self.eligible_model.dataChanged.connect(self._on_eligible_model_data_changed)
        self.submit_button.clicked.connect(self.submit_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.remove_button.clicked.connect(self.remove_selected_loads)
        self.split_button.clicked.connect(self.split_selected_loads)
        self.export_button.clicked.connect(self.export_packet)
        self.import_button.clicked.connect(self.import_decision)
        self.create_button.clicked.connect(self.create_lot)
        self.add_button.clicked.connect(self.add_checked_loads)

    # --- language -----------------------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Lots")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh"))
        self.submit_button.setText(self.tr("Submit for approval"))
        self.merge_button.setText(self.tr("Merge selected lots"))
        self.remove_button.setText(self.tr("Remove selected loads"))
        self.split_button.setText(self.tr("Split selected loads into a new lot"))
        self.export_button.setText(self.tr("Export for approval…"))
        self.import_button.setText(self.tr("Import decision…"))
        self._amount_label.setText(self.tr("Amount to move (one load; empty: its whole share)"))
        self.amount_edit.setPlaceholderText(self.tr("e.g. 5000"))
        self._reason_label.setText(self.tr("Reason for the change"))
        self.reason_edit.setPlaceholderText(
            self.tr("Needed to change a lot that has a supervisor's decision (it voids the decision)"))
        self.picker_box.setTitle(
            self.tr("Loads that may join a lot (finally classified, accepted or released)"))
        self.create_button.setText(self.tr("Create a lot from the ticked loads"))
        self.add_button.setText(self.tr("Add the ticked loads to the selected lot"))
        self.lots_model.retranslate()
        self.members_model.retranslate()
        self.eligible_model.retranslate()
        self._fill_groups()
        self._show_detail()

    # --- reading ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the lots and the eligible loads again on the worker."""
        store, ruleset_of = self._store, self._ruleset_of

        def job() -> tuple[list[LotRow], list[EligibleLoad]]:
            return fetch_lot_rows(store, ruleset_of), fetch_eligible_loads(store)

        self._start(job, self._on_ops_refreshed)

    def _on_ops_refreshed(self, result: tuple[list[LotRow], list[EligibleLoad]]) -> None:
        self._finish()
        lots, eligible = result
        selected = self.selected_lot_nos()
        self.lots_model.set_rows(lots)
        self._eligible = eligible
        self._fill_groups()
        if self._pending_select:
            selected, self._pending_select = self._pending_select, []
        if selected:
            self.select_lots(selected)
        self.lots_view.resizeColumnsToContents()
        self._update_buttons()
        self._load_members()

    def _fill_groups(self) -> None:
        current = self.group_combo.currentData()
        groups: dict[tuple[str, int], list[EligibleLoad]] = {}
        for ld in self._eligible:
            groups.setdefault(ld.group, []).append(ld)
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for key in sorted(groups, key=lambda k: (k[0], groups[k][0].supplier)):
            first = groups[key][0]
            text = self.tr("%1 from %2: %n load(s)", "", len(groups[key])).replace(
                "%1", first.category).replace("%2", first.supplier)
            self.group_combo.addItem(text, key)
        if not groups:
            self.group_combo.addItem(self.tr("No load is waiting for a lot"), None)
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(current)))
        self.group_combo.blockSignals(False)
        self._show_group()

    def _show_group(self) -> None:
        key = self.group_combo.currentData()
        self.eligible_model.set_rows([ld for ld in self._eligible if ld.group == key] if key else [])
        self.eligible_view.resizeColumnsToContents()
        self._update_buttons()

    def _on_group_combo_current_index_changed(self, _index: int) -> None:
        self._show_group()

    def _on_eligible_model_data_changed(self, *_args: Any) -> None:
        self._update_buttons()

    def _on_lots_view_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        self._load_members()

    def _on_members_view_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()

    def _load_members(self) -> None:
        lot = self.current_lot()
        if lot is None:
            self.members_model.set_rows([])
            self._show_detail()
            return
        store, lot_no = self._store, lot.lot_no
        self._ops.run(lambda: fetch_members(store, lot_no),
                      lambda rows: self._on_ops_members_read(lot_no, rows), self._on_ops_failed, owner=self)

    def _on_ops_members_read(self, lot_no: str, rows: list[MemberRow]) -> None:
        current = self.current_lot()
        if current is None or current.lot_no != lot_no:
            return  # the selection moved on while the loads were read
        self.members_model.set_rows(rows)
        self.members_view.resizeColumnsToContents()
        self._show_detail()
        self._update_buttons()

    def _show_detail(self) -> None:
        lot = self.current_lot()
        if lot is None:
            self.detail_label.setText(self.tr("Select a lot to see its loads."))
            return
        parts = [self.tr("Lot %1: %2").replace("%1", lot.lot_no).replace("%2", self._texts.state(lot.state))]
        if lot.state_reason:
            parts.append(self.tr("Reason: %1").replace("%1", lot.state_reason))
        parts.append(self.tr("Net %1, dry mass %2, contained REO %3, TREO %4 %, grade %5")
                     .replace("%1", format_mass(lot.net)).replace("%2", format_mass(lot.dry))
                     .replace("%3", format_mass(lot.reo)).replace("%4", lot.treo_pct or "—")
                     .replace("%5", lot.grade or "—"))
        if lot.balance_problem:
            parts.append(lot.balance_problem)
        self.detail_label.setText("\n".join(parts))

    # --- selection ------------------------------------------------------------------------------------------

    def selected_lot_nos(self) -> list[str]:
        rows = sorted(i.row() for i in self.lots_view.selectionModel().selectedRows())
        return [self.lots_model.row(r).lot_no for r in rows]

    def current_lot(self) -> LotRow | None:
        rows = sorted(i.row() for i in self.lots_view.selectionModel().selectedRows())
        return self.lots_model.row(rows[0]) if len(rows) == 1 else None

    def select_lots(self, lot_nos: list[str]) -> None:
        selection = self.lots_view.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for lot_no in lot_nos:
            number = self.lots_model.find(lot_no)
            if number >= 0:
                selection.select(self.lots_model.index(number, 0), flags)

    def selected_load_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.members_view.selectionModel().selectedRows())
        return [self.members_model.row(r).load_id for r in rows]

    def select_members(self, load_ids: list[int]) -> None:
        selection = self.members_view.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for number, member in enumerate(self.members_model.rows()):
            if member.load_id in load_ids:
                selection.select(self.members_model.index(number, 0), flags)

    def _update_buttons(self) -> None:
        idle = self._busy == 0
        lot = self.current_lot()
        live = lot is not None and lot.state != LotState.VOID.value
        members = bool(self.selected_load_ids()) and live
        checked = bool(self.eligible_model.checked_ids())
        self.submit_button.setEnabled(idle and lot is not None and lot.state == LotState.DRAFT.value)
        self.merge_button.setEnabled(idle and len(self.selected_lot_nos()) >= 2)
        self.remove_button.setEnabled(idle and members)
        self.split_button.setEnabled(idle and members)
        self.export_button.setEnabled(idle and lot is not None and lot.state == LotState.SUBMITTED.value)
        self.import_button.setEnabled(idle)
        self.create_button.setEnabled(idle and checked)
        self.add_button.setEnabled(idle and checked and live)
        self.refresh_button.setEnabled(idle)

    # --- running service calls ----------------------------------------------------------------------------

    def _start(self, job: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._busy += 1
        self._update_buttons()
        self._ops.run(job, on_done, self._on_ops_failed, owner=self)

    def _finish(self) -> None:
        self._busy = max(0, self._busy - 1)
        self._update_buttons()

    def _on_ops_failed(self, exc: InspectorError) -> None:
        self._finish()
        self.show_message(describe(exc), error=True)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)

    def _change(self, job: Callable[[], Any], message: Callable[[Any], str],
                select: Callable[[Any], list[str]] | None = None) -> None:
        """Run a change on the worker; ``message`` (on the GUI thread) says what was done with the job's
        result, ``select`` names the lots to select afterwards."""

        def done(result: Any) -> None:
            self._finish()
            self.reason_edit.clear()
            self.amount_edit.clear()
            self.show_message(message(result))
            if select is not None:
                self._pending_select = select(result)
            self.lots_changed.emit()
            self.refresh()

        self._start(job, done)

    def _reason(self) -> str | None:
        return self.reason_edit.text().strip() or None

    def _read_ruleset_in_force(self) -> RuleSet:
        with self._store.session() as s:
            return classification_services.ruleset_in_force(s, data_dir=self._data_dir)

    # --- actions ------------------------------------------------------------------------------------------

    def create_lot(self) -> None:
        load_ids = self.eligible_model.checked_ids()
        if not load_ids:
            self.show_message(self.tr("Tick the loads the new lot is made of."), error=True)
            return
        store, actor, clock, in_force = self._store, self._actor, self._clock, self._ruleset_in_force

        def job() -> str:
            ruleset = in_force()
            with store.session() as s:
                return svc.create_lot(s, actor=actor, clock=clock, ruleset=ruleset, load_ids=load_ids).lot_no

        self._change(job, lambda lot_no: self.tr("Lot %1 created with %n load(s).", "", len(load_ids))
                     .replace("%1", lot_no), select=lambda lot_no: [lot_no])

    def add_checked_loads(self) -> None:
        lot = self.current_lot()
        load_ids = self.eligible_model.checked_ids()
        if lot is None or not load_ids:
            self.show_message(self.tr("Select one lot and tick the loads to add to it."), error=True)
            return
        store, actor, clock, reason = self._store, self._actor, self._clock, self._reason()
        lot_no = lot.lot_no

        def job() -> None:
            with store.session() as s:
                svc.add_loads(s, actor=actor, clock=clock, lot_no=lot_no, load_ids=load_ids, reason=reason)

        self._change(job, lambda _r: self.tr("%n load(s) added to lot %1.", "", len(load_ids))
                     .replace("%1", lot_no), select=lambda _r: [lot_no])

    def remove_selected_loads(self) -> None:
        lot = self.current_lot()
        load_ids = self.selected_load_ids()
        if lot is None or not load_ids:
            self.show_message(self.tr("Select the loads to remove from the lot."), error=True)
            return
        store, actor, clock, reason = self._store, self._actor, self._clock, self._reason()
        lot_no = lot.lot_no

        def job() -> None:
            with store.session() as s:
                svc.remove_loads(s, actor=actor, clock=clock, lot_no=lot_no, load_ids=load_ids, reason=reason)

        self._change(job, lambda _r: self.tr("%n load(s) removed from lot %1.", "", len(load_ids))
                     .replace("%1", lot_no), select=lambda _r: [lot_no])

    def split_selected_loads(self) -> None:
        lot = self.current_lot()
        load_ids = self.selected_load_ids()
        if lot is None or not load_ids:
            self.show_message(self.tr("Select the loads that go to the new lot."), error=True)
            return
        amount_text = self.amount_edit.text().strip().replace(",", "")
        amount: int | None = None
        if amount_text:
            if len(load_ids) != 1:
                self.show_message(self.tr("An amount moves part of one load: select exactly one load, or "
                                          "empty the amount to move whole loads."), error=True)
                return
            if not amount_text.isdigit() or int(amount_text) <= 0:
                self.show_message(self.tr("The amount must be a whole number of kilograms above zero, "
                                          "without decimals."), error=True)
                return
            amount = int(amount_text)
        move: dict[int, int | None] = {load_id: amount for load_id in load_ids}
        store, actor, clock, reason = self._store, self._actor, self._clock, self._reason()
        lot_no = lot.lot_no

        def job() -> str:
            with store.session() as s:
                new = svc.split_lot(s, actor=actor, clock=clock, lot_no=lot_no, move=move, reason=reason)
                return new.lot_no

        self._change(job, lambda new_no: self.tr("Lot %1 split: the selected loads are now in lot %2.")
                     .replace("%1", lot_no).replace("%2", new_no), select=lambda new_no: [new_no])

    def merge_selected(self) -> None:
        # The oldest lot keeps its number: the others are merged into it and become void.
        lot_nos = sorted(self.selected_lot_nos())
        if len(lot_nos) < 2:
            self.show_message(self.tr("Select two or more lots to merge (the oldest keeps its number)."),
                              error=True)
            return
        store, actor, clock, reason = self._store, self._actor, self._clock, self._reason()

        def job() -> str:
            with store.session() as s:
                return svc.merge_lots(s, actor=actor, clock=clock, lot_nos=lot_nos, reason=reason).lot_no

        self._change(job, lambda target: self.tr("Lots %1 merged into lot %2.")
                     .replace("%1", ", ".join(lot_nos[1:])).replace("%2", target),
                     select=lambda target: [target])

    def submit_selected(self) -> None:
        lot = self.current_lot()
        if lot is None:
            self.show_message(self.tr("Select the lot to submit."), error=True)
            return
        store, actor, clock, ruleset_of = self._store, self._actor, self._clock, self._ruleset_of
        lot_no = lot.lot_no

        def job() -> None:
            with store.session() as s:
                found = svc.get_lot(s, lot_no)
                svc.submit_lot(s, actor=actor, clock=clock, lot_no=lot_no,
                               ruleset=ruleset_of(found.ruleset_id, found.ruleset_version))

        self._change(job, lambda _r: self.tr("Lot %1 is submitted and waits for a supervisor's decision.")
                     .replace("%1", lot_no), select=lambda _r: [lot_no])

    def export_packet(self) -> None:
        """Write a signed approval packet of the selected submitted lot to a file the user chooses."""
        lot = self.current_lot()
        if lot is None or lot.state != LotState.SUBMITTED.value:
            self.show_message(self.tr("Select a submitted lot to export for approval."), error=True)
            return
        lot_no = lot.lot_no
        passphrase = self._ask_passphrase(self, self.tr("The packet is signed with your key. Type your key "
                                                        "passphrase."))
        if passphrase is None:
            return
        if not passphrase:
            self.show_message(self.tr("The key passphrase is required to sign the packet."), error=True)
            return
        path = self._choose_save_file(self, self.tr("Save the approval packet"), f"{lot_no}.packet.json")
        if path is None:
            return
        store, actor, clock, data_dir, ruleset_of = (self._store, self._actor, self._clock, self._data_dir,
                                                     self._ruleset_of)

        def job() -> None:
            with store.session() as s:
                signer = keys.load_signer(s, data_dir=data_dir, username=actor.user_id, passphrase=passphrase,
                                          clock=clock)
                found = svc.get_lot(s, lot_no)
                data, _row = svc.export_packet(s, actor=actor, clock=clock, data_dir=data_dir,
                                               ruleset=ruleset_of(found.ruleset_id, found.ruleset_version),
                                               lot_no=lot_no, signer=signer)
                # Written before the commit: when the file cannot be written, no packet is recorded.
                write_file(path, data)

        self._change(job, lambda _r: self.tr("The approval packet of lot %1 was written to %2. Take it to "
                                             "the supervisor; bring back the decision file and import it "
                                             "here.")
                     .replace("%1", lot_no).replace("%2", str(path)), select=lambda _r: [lot_no])

    def import_decision(self) -> None:
        """Check and record a decision file signed on a supervisor's laptop."""
        path = self._choose_open_file(self, self.tr("Open a decision file"))
        if path is None:
            return
        store, clock, ruleset_of = self._store, self._clock, self._ruleset_of

        def job() -> tuple[str, str, str]:
            data = read_file(path, field="file")
            with store.session() as s:
                approval: Approval = svc.import_decision(s, clock=clock, data=data, ruleset_of=ruleset_of)
                return approval.lot_no, approval.printed_name, approval.decision

        def message(result: tuple[str, str, str]) -> str:
            lot_no, name, decision = result
            return self.tr("%1 of lot %2 by %3 checked and recorded.").replace(
                "%1", self._texts.decision(decision)).replace("%2", lot_no).replace("%3", name)

        self._change(job, message, select=lambda result: [result[0]])

    def row_of(self, lot_no: str) -> QModelIndex:
        return self.lots_model.index(self.lots_model.find(lot_no), 0)
