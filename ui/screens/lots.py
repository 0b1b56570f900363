"""The lots screen: lots with their mass balance; create a lot from eligible loads, add and remove loads,
split, merge and submit; export an approval packet for a supervisor's laptop and import the decision files
that come back (one file or a whole folder: each is checked and shown before anything is stored, then
imported one by one, each in its own transaction, with the result per file).

Reads go through ``inspector.queries.lots`` and every change through ``ui.operations.lots`` on the door; the
services check roles, four-eyes and the lot's state, and their refusals are shown here in words. The screen
reads again whenever lots or loads change, here, on another screen, on the command line or at another
station.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
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

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.queries import lots as queries
from inspector.queries.lots import EligibleLoad, LotMember, LotSummary
from inspector.security.actor import Actor
from inspector.services.lots import DecisionPreview, ExportedPacket
from inspector.states import LotState
from ui import formats, words
from ui.models.lots import (
    DecisionFile,
    DecisionFilesModel,
    EligibleColumn,
    EligibleLoadsModel,
    LotListModel,
    LotMembersModel,
)
from ui.operations import lots as operations
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.theme import FIT_ROWS, TOUCH_TARGET_PX
from ui.widgets import files
from ui.widgets.toggles import RowCheckDelegate

# (parent, title, suggested file name) -> chosen path, or None when cancelled.
SaveFileChooser = Callable[[QWidget, str, str], Path | None]
# (parent, title) -> chosen path, or None when cancelled.
OpenFileChooser = Callable[[QWidget, str], Path | None]
# (parent, explanation) -> the key passphrase, or None when cancelled.
PassphrasePrompt = Callable[[QWidget, str], str | None]
# (parent, title) -> chosen folder, or None when cancelled.
FolderChooser = Callable[[QWidget, str], Path | None]

ERROR_STYLE = "color: #b00020;"


def choose_save_file(parent: QWidget, title: str, suggested: str) -> Path | None:
    return files.choose_save_file(parent, title, start=suggested, filters="JSON (*.json)")


def choose_open_file(parent: QWidget, title: str) -> Path | None:
    return files.choose_open_file(parent, title, filters="JSON (*.json);;* (*)")


def choose_folder(parent: QWidget, title: str) -> Path | None:
    return files.choose_folder(parent, title)


def ask_passphrase(parent: QWidget, text: str) -> str | None:
    title = QCoreApplication.translate("LotsWidget", "Key passphrase")
    value, ok = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
    return value if ok else None


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
    view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
    return view


class LotsWidget(ScreenWidget):
    """Lots on the left, the selected lot's loads on the right, the picker of eligible loads below."""

    # A load joining or leaving a lot changes both; a load re-weighed or re-classified changes the balance
    # of its lot and which loads may join one.
    shows = frozenset({Change.LOTS, Change.LOADS})

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 ask_passphrase: PassphrasePrompt = ask_passphrase,
                 choose_save_file: SaveFileChooser = choose_save_file,
                 choose_open_file: OpenFileChooser = choose_open_file,
                 choose_folder: FolderChooser = choose_folder,
                 parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._clock = clock or Clock()
        self._ask_passphrase = ask_passphrase
        self._choose_save_file = choose_save_file
        self._choose_open_file = choose_open_file
        self._choose_folder = choose_folder
        self.import_dialog: DecisionImportDialog | None = None
        self._eligible: list[EligibleLoad] = []
        # The lots to select once the list is read again (the lot just created, split off or merged into).
        self._pending_select: list[str] = []
        # The lots to select again when the first page of a refresh arrives (None: no refresh waiting).
        self._reselect: list[str] | None = None
        self._busy = 0
        self.setObjectName("lotsScreen")

        self.lots_model = LotListModel(door, parent=self)
        self.members_model = LotMembersModel(self)
        self._members_of: str | None = None  # the lot whose loads the members table shows
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
        self.import_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setObjectName("splitAmount")
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("changeReason")

        self.picker_box = QGroupBox(self)
        self.group_combo = QComboBox(self.picker_box)
        self.group_combo.setObjectName("eligibleGroup")
        self.eligible_view = _table(self.picker_box, "eligibleLoadsTable", multi=False)
        self.eligible_view.setModel(self.eligible_model)
        # A tap anywhere on a load's row checks or unchecks it, not only on the box's small square.
        self.eligible_view.setItemDelegate(RowCheckDelegate(EligibleColumn.TICKET, self.eligible_view))
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
        self.lots_model.page_loaded.connect(self._on_lots_model_page_loaded)
        self.lots_model.fetch_failed.connect(self._on_lots_model_fetch_failed)
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

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh"))
        self.submit_button.setText(self.tr("Submit for approval"))
        self.merge_button.setText(self.tr("Merge selected lots"))
        self.remove_button.setText(self.tr("Remove selected loads"))
        self.split_button.setText(self.tr("Split selected loads into a new lot"))
        self.export_button.setText(self.tr("Export for approval…"))
        self.import_button.setText(self.tr("Import decisions…"))
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
        """Read the lots (from the newest) and the eligible loads again on the worker; the selected lots
        (or the one just made) are selected again when they are among the first page."""
        if self._pending_select:
            self._reselect = self._pending_select
        elif self._reselect is None:  # (a refresh still waiting for its first page keeps its list)
            self._reselect = self.selected_lot_nos()
        self._pending_select = []
        self.lots_model.reload()
        self.lots_model.fetch_first_page()
        self._busy += 1
        self._update_buttons()
        self._door.read(queries.eligible_loads, self._on_door_eligible_read, self._on_door_failed, owner=self)

    def _on_lots_model_page_loaded(self) -> None:
        if self._reselect is None:
            return  # a further page the view asked for while scrolling
        wanted, self._reselect = self._reselect, None
        found = [lot_no for lot_no in wanted if self.lots_model.find(lot_no) >= 0]
        self.lots_view.resizeColumnsToContents()
        if found:
            self.select_lots(found)
        else:
            self._update_buttons()
            self._load_members()

    def _on_lots_model_fetch_failed(self, exc: InspectorError) -> None:
        self._reselect = None
        self.show_message(words.error(exc), error=True)

    def _on_door_eligible_read(self, eligible: list[EligibleLoad]) -> None:
        self._finish()
        self._eligible = eligible
        self._fill_groups()

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
                "%1", words.category(first.category)).replace("%2", first.supplier)
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
        lot_no = lot.lot_no
        self._door.read(lambda s: queries.lot_members(s, lot_no=lot_no),
                        lambda rows: self._on_door_members_read(lot_no, rows), self._on_door_read_failed,
                        owner=self)

    def _on_door_members_read(self, lot_no: str, rows: list[LotMember]) -> None:
        current = self.current_lot()
        if current is None or current.lot_no != lot_no:
            return  # the selection moved on while the loads were read
        # The same lot read again (a change anywhere in the yard): the loads picked to split or remove stay.
        keep = self.selected_load_ids() if lot_no == self._members_of else []
        self._members_of = lot_no
        self.members_model.set_rows(rows)
        self.select_members(keep)
        self.members_view.resizeColumnsToContents()
        self._show_detail()
        self._update_buttons()

    def _show_detail(self) -> None:
        lot = self.current_lot()
        if lot is None:
            self.detail_label.setText(self.tr("Select a lot to see its loads."))
            return
        parts = [self.tr("Lot %1: %2").replace("%1", lot.lot_no).replace("%2", words.lot_state(lot.state))]
        if lot.state_reason:
            parts.append(self.tr("Reason: %1").replace("%1", lot.state_reason_words(words.language())))
        balance = lot.balance
        treo = None if balance is None else balance.treo_pct
        parts.append(self.tr("Net %1, dry mass %2, contained REO %3, TREO %4 %, grade %5")
                     .replace("%1", formats.mass(lot.net))
                     .replace("%2", "" if balance is None else formats.mass(balance.dry, division=1))
                     .replace("%3", "" if balance is None else formats.mass(balance.reo, division=1))
                     .replace("%4", "—" if treo is None else str(treo))
                     .replace("%5", (balance.grade if balance is not None else None) or "—"))
        if lot.balance_problem:
            parts.append(words.error(lot.balance_problem))
        self.detail_label.setText("\n".join(parts))

    # --- selection ------------------------------------------------------------------------------------------

    def selected_lot_nos(self) -> list[str]:
        rows = sorted(i.row() for i in self.lots_view.selectionModel().selectedRows())
        return [self.lots_model.row_at(r).lot_no for r in rows]

    def current_lot(self) -> LotSummary | None:
        rows = sorted(i.row() for i in self.lots_view.selectionModel().selectedRows())
        return self.lots_model.row_at(rows[0]) if len(rows) == 1 else None

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

    # --- running operations --------------------------------------------------------------------------------

    def _started(self) -> None:
        self._busy += 1
        self._update_buttons()

    def _finish(self) -> None:
        self._busy = max(0, self._busy - 1)
        self._update_buttons()

    def _on_door_failed(self, exc: InspectorError) -> None:
        self._finish()
        self.show_message(words.error(exc), error=True)

    def _on_door_read_failed(self, exc: InspectorError) -> None:
        self.show_message(words.error(exc), error=True)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)

    def _done(self, message: Callable[[Any], str], select: Callable[[Any], list[str]] | None = None
              ) -> Callable[[Any], None]:
        """What happens when a change was stored: ``message`` says what was done with the operation's
        result, ``select`` names the lots to select when the list is read again (the door's announcement
        of the change makes this and every other screen showing lots read again)."""

        def done(result: Any) -> None:
            self._finish()
            self.reason_edit.clear()
            self.amount_edit.clear()
            self.show_message(message(result))
            if select is not None:
                self._pending_select = select(result)

        return done

    def _reason(self) -> str | None:
        return self.reason_edit.text().strip() or None

    # --- actions ------------------------------------------------------------------------------------------

    def create_lot(self) -> None:
        load_ids = self.eligible_model.checked_ids()
        if not load_ids:
            self.show_message(self.tr("Tick the loads the new lot is made of."), error=True)
            return
        self._started()
        operations.create_lot(
            self._door, owner=self, actor=self._actor, clock=self._clock, load_ids=load_ids,
            on_done=self._done(lambda lot_no: self.tr("Lot %1 created with %n load(s).", "", len(load_ids))
                               .replace("%1", lot_no), select=lambda lot_no: [lot_no]),
            on_error=self._on_door_failed)

    def add_checked_loads(self) -> None:
        lot = self.current_lot()
        load_ids = self.eligible_model.checked_ids()
        if lot is None or not load_ids:
            self.show_message(self.tr("Select one lot and tick the loads to add to it."), error=True)
            return
        lot_no = lot.lot_no
        self._started()
        operations.add_loads(
            self._door, owner=self, actor=self._actor, clock=self._clock, lot_no=lot_no, load_ids=load_ids,
            reason=self._reason(),
            on_done=self._done(lambda _r: self.tr("%n load(s) added to lot %1.", "", len(load_ids))
                               .replace("%1", lot_no), select=lambda _r: [lot_no]),
            on_error=self._on_door_failed)

    def remove_selected_loads(self) -> None:
        lot = self.current_lot()
        load_ids = self.selected_load_ids()
        if lot is None or not load_ids:
            self.show_message(self.tr("Select the loads to remove from the lot."), error=True)
            return
        lot_no = lot.lot_no
        self._started()
        operations.remove_loads(
            self._door, owner=self, actor=self._actor, clock=self._clock, lot_no=lot_no, load_ids=load_ids,
            reason=self._reason(),
            on_done=self._done(lambda _r: self.tr("%n load(s) removed from lot %1.", "", len(load_ids))
                               .replace("%1", lot_no), select=lambda _r: [lot_no]),
            on_error=self._on_door_failed)

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
        lot_no = lot.lot_no
        self._started()
        operations.split_lot(
            self._door, owner=self, actor=self._actor, clock=self._clock, lot_no=lot_no, move=move,
            reason=self._reason(),
            on_done=self._done(lambda new_no: self.tr("Lot %1 split: the selected loads are now in lot %2.")
                               .replace("%1", lot_no).replace("%2", new_no), select=lambda new_no: [new_no]),
            on_error=self._on_door_failed)

    def merge_selected(self) -> None:
        # The oldest lot keeps its number: the others are merged into it and become void.
        lot_nos = sorted(self.selected_lot_nos())
        if len(lot_nos) < 2:
            self.show_message(self.tr("Select two or more lots to merge (the oldest keeps its number)."),
                              error=True)
            return
        self._started()
        operations.merge_lots(
            self._door, owner=self, actor=self._actor, clock=self._clock, lot_nos=lot_nos,
            reason=self._reason(),
            on_done=self._done(lambda target: self.tr("Lots %1 merged into lot %2.")
                               .replace("%1", ", ".join(lot_nos[1:])).replace("%2", target),
                               select=lambda target: [target]),
            on_error=self._on_door_failed)

    def submit_selected(self) -> None:
        lot = self.current_lot()
        if lot is None:
            self.show_message(self.tr("Select the lot to submit."), error=True)
            return
        lot_no = lot.lot_no

        def message(_result: None) -> str:
            return self.tr("Lot %1 is submitted and waits for a supervisor's decision.").replace("%1", lot_no)

        self._started()
        operations.submit_lot(self._door, owner=self, actor=self._actor, clock=self._clock, lot_no=lot_no,
                              on_done=self._done(message, select=lambda _r: [lot_no]),
                              on_error=self._on_door_failed)

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

        def message(exported: ExportedPacket) -> str:
            text = self.tr("The approval packet of lot %1 was written to %2. Take it to the supervisor; "
                           "bring back the decision file and import it here.")
            return text.replace("%1", exported.lot_no).replace("%2", str(exported.path))

        self._started()
        operations.export_packet(
            self._door, owner=self, actor=self._actor, clock=self._clock, lot_no=lot_no,
            passphrase=passphrase, path=path, on_done=self._done(message, select=lambda _r: [lot_no]),
            on_error=self._on_door_failed)

    def import_decision(self) -> None:
        """Open the import of decision files signed on a supervisor's laptop: one file or a whole folder,
        each shown with what importing it does before anything is stored."""
        dialog = self.import_dialog
        if dialog is None:
            dialog = DecisionImportDialog(self._door, clock=self._clock,
                                          choose_open_file=self._choose_open_file,
                                          choose_folder=self._choose_folder, parent=self)
            dialog.imported.connect(self._on_import_dialog_imported)
            dialog.finished.connect(self._on_import_dialog_finished)
            self.import_dialog = dialog
        dialog.open()

    def _on_import_dialog_imported(self, recorded: list[queries.ApprovalView], refused: int) -> None:
        parts = [self.tr("%1 of lot %2 by %3 checked and recorded.").replace(
            "%1", words.decision(a.decision)).replace("%2", a.lot_no).replace("%3", a.printed_name)
            for a in recorded]
        if refused:
            parts.append(self.tr("%n decision file(s) refused: see the import for why.", "", refused))
        self.show_message(" ".join(parts), error=not recorded)
        if recorded:
            self._pending_select = [a.lot_no for a in recorded]

    def _on_import_dialog_finished(self, _result: int) -> None:
        dialog, self.import_dialog = self.import_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def row_of(self, lot_no: str) -> QModelIndex:
        return self.lots_model.index(self.lots_model.find(lot_no), 0)


class DecisionImportDialog(QDialog):
    """Decision files brought back from supervisors' laptops: choose one file or a whole folder, see per
    file what importing it does (the lot, the decision, the signer, the lot version it was made on and
    whether the lot is still at it, or why it is refused), then import the acceptable ones one by one.

    Signals:
        imported(list, int): the import ended: the decisions recorded (``ApprovalView``), and how many
        files were refused.
    """

    imported = Signal(list, int)

    def __init__(self, door: Door, *, clock: Clock, choose_open_file: OpenFileChooser,
                 choose_folder: FolderChooser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionImportDialog")
        self._door = door
        self._clock = clock
        self._choose_open_file = choose_open_file
        self._choose_folder = choose_folder
        self._busy = False
        self._queue: list[int] = []  # rows still to import, in order
        self._recorded: list[queries.ApprovalView] = []
        self._source: Path | None = None

        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.file_button = QPushButton(self)
        self.file_button.setObjectName("importOneFile")
        self.folder_button = QPushButton(self)
        self.folder_button.setObjectName("importFolder")
        self.model = DecisionFilesModel(self)
        self.view = _table(self, "decisionFilesTable", multi=False)
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("decisionImportSummary")
        self.summary_label.setWordWrap(True)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importDecisions")
        self.close_button = QPushButton(self)
        for button in (self.file_button, self.folder_button, self.import_button, self.close_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)

        choose = QHBoxLayout()
        choose.addWidget(self.file_button)
        choose.addWidget(self.folder_button)
        choose.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(choose)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary_label)
        layout.addLayout(actions)

        self.file_button.clicked.connect(self.choose_file)
        self.folder_button.clicked.connect(self.choose_folder)
        self.import_button.clicked.connect(self.import_files)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()
        self._update_buttons()
        self.resize(1100, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import decisions"))
        self.intro_label.setText(self.tr(
            "Choose the decision files brought back from a supervisor's laptop. Each is checked first; "
            "nothing is stored until you import."))
        self.file_button.setText(self.tr("One decision file…"))
        self.folder_button.setText(self.tr("A whole folder…"))
        self.import_button.setText(self.tr("Import"))
        self.close_button.setText(self.tr("Close"))
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def rows(self) -> list[DecisionFile]:
        return list(self.model.rows())

    def _update_buttons(self) -> None:
        idle = not self._busy
        self.file_button.setEnabled(idle)
        self.folder_button.setEnabled(idle)
        self.close_button.setEnabled(idle)
        self.import_button.setEnabled(idle and any(r.importable and r.recorded is None and r.failed is None
                                                   for r in self.model.rows()))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.summary_label.setStyleSheet(ERROR_STYLE if error else "")
        self.summary_label.setText(text)

    # --- previewing ---------------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = self._choose_open_file(self, self.tr("Open a decision file"))
        if path is not None:
            self._preview(paths=[path], folder=None)

    def choose_folder(self) -> None:
        folder = self._choose_folder(self, self.tr("Choose the folder holding the decision files"))
        if folder is not None:
            self._preview(paths=[], folder=folder)

    def _preview(self, *, paths: list[Path], folder: Path | None) -> None:
        self._busy = True
        self._source = folder
        self.model.set_rows([])
        self._say(self.tr("Checking…"))
        self._update_buttons()
        operations.preview_decision_files(self._door, owner=self, paths=paths, folder=folder,
                                          on_done=self._on_door_previewed, on_error=self._on_door_failed)

    def _on_door_previewed(self, previews: list[tuple[Path, DecisionPreview]]) -> None:
        self._busy = False
        rows: list[DecisionFile] = []
        first_of: dict[str, Path] = {}
        for path, preview in previews:
            same = None
            if preview.acceptable and preview.packet_id:
                # Only one decision comes back per packet: the second file would be refused as imported.
                same = first_of.get(preview.packet_id)
                first_of.setdefault(preview.packet_id, path)
            rows.append(DecisionFile(path=path, preview=preview, same_packet_as=same))
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        importable = sum(1 for r in rows if r.importable)
        if not rows:
            self._say(self.tr("There is no decision file (*.json) in %1.").replace("%1", str(self._source)),
                      error=True)
        else:
            self._say(self.tr("%n file(s) checked", "", len(rows)) + words.aside(
                self.tr("%n can be imported", "", importable)), error=importable == 0)
        self._update_buttons()

    def _on_door_failed(self, exc: InspectorError) -> None:
        self._busy = False
        self._say(words.error(exc), error=True)
        self._update_buttons()

    # --- importing ----------------------------------------------------------------------------------------

    def import_files(self) -> None:
        """Import every acceptable file, one after the other, each in its own transaction."""
        self._queue = [n for n, r in enumerate(self.model.rows())
                       if r.importable and r.recorded is None and r.failed is None]
        if not self._queue:
            return
        self._busy = True
        self._recorded = []
        self._say(self.tr("Importing…"))
        self._update_buttons()
        self._import_next()

    def _import_next(self) -> None:
        if not self._queue:
            self._finish_import()
            return
        number = self._queue[0]
        row: DecisionFile = self.model.row(number)
        operations.import_decision(
            self._door, owner=self, clock=self._clock, path=row.path,
            on_done=lambda approval: self._on_door_imported(number, approval),
            on_error=lambda exc: self._on_door_import_failed(number, exc))

    def _replace(self, number: int, row: DecisionFile) -> None:
        rows = self.model.rows()
        rows[number] = row
        self.model.set_rows(rows)

    def _on_door_imported(self, number: int, approval: queries.ApprovalView) -> None:
        self._queue.pop(0)
        self._replace(number, replace(self.model.row(number), recorded=approval))
        self._recorded.append(approval)
        self._import_next()

    def _on_door_import_failed(self, number: int, exc: InspectorError) -> None:
        self._queue.pop(0)
        self._replace(number, replace(self.model.row(number), failed=exc))
        self._import_next()

    def _finish_import(self) -> None:
        self._busy = False
        self.view.resizeColumnsToContents()
        rows = self.model.rows()
        refused = sum(1 for r in rows if r.recorded is None)
        self._say(self.tr("%n decision(s) recorded", "", len(self._recorded))
                  + words.aside(self.tr("%n file(s) not imported", "", refused)), error=not self._recorded)
        self._update_buttons()
        self.imported.emit(list(self._recorded), refused)
