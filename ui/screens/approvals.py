"""The supervisors' approval queue: submitted lots with every failed check and reading of every load, the
rule set they are judged under, held loads waiting for a decision, and the signed approval or rejection.

Signing asks the supervisor's password and key passphrase in one small dialog and signs through
``ui.operations.lots.sign_decision`` on the door (four-eyes is enforced by the service). On a supervisor's
laptop the same screen opens an approval packet read-only ("Open packet…") and writes a signed decision file
to carry back to the yard PC. The queue reads again whenever lots or loads change, wherever that happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.changes import Change
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import InspectorError
from inspector.lots import packets
from inspector.lots.bundle import fat_safe_name
from inspector.queries import lots as queries
from inspector.queries.lots import ApprovalView, HeldLoad, OpenedPacket, QueueSummary
from inspector.reasons import long_enough
from inspector.security import keys
from inspector.security.actor import Actor, Role
from inspector.services.lots import DecidedPacket
from ui import formats, words
from ui.models.lots import (
    ApprovalQueueModel,
    HeldLoadsModel,
)
from ui.operations import laptop as laptop_operations
from ui.operations import lots as operations
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.screens.lots import (
    ERROR_STYLE,
    OpenFileChooser,
    PassphrasePrompt,
    SaveFileChooser,
    _table,
    ask_passphrase,
    choose_open_file,
    choose_save_file,
)
from ui.widgets import files
from ui.widgets.held_load import HELD_PHOTO_ROLE, FindingAnswersWidget, fill_held_load
from ui.widgets.lot_version import PHOTO_ROLE, LotVersionTree, PhotoDialog
from ui.widgets.signature import SignatureDialog, SignatureInput

# (parent, lot number, "approve" | "reject", whether the password is asked) -> the input, or None (cancel).
SignaturePrompt = Callable[[QWidget, str, str, bool], SignatureInput | None]
# (parent) -> the supervisor's PKCS#12 key file, or None when cancelled.
KeyFileChooser = Callable[[QWidget], Path | None]



def signature_dialog(parent: QWidget | None, lot_no: str, decision: str, *,
                     needs_password: bool) -> SignatureDialog:
    """The signature dialog for a decision on a lot: the meaning prefilled, the password on the yard PC only
    (a laptop signs with the key alone)."""
    approve = decision == "approve"
    title = (QCoreApplication.translate("SignatureDialog", "Sign the approval") if approve else
             QCoreApplication.translate("SignatureDialog", "Sign the rejection"))
    intro = (QCoreApplication.translate(
        "SignatureDialog", "You approve lot %1. Your signature names you, the time and this exact version of "
        "the lot.") if approve else QCoreApplication.translate(
        "SignatureDialog", "You reject lot %1. Your signature names you, the time and this exact version of "
        "the lot."))
    password = QCoreApplication.translate("SignatureDialog", "Your password") if needs_password else None
    return SignatureDialog(title=title, intro=intro.replace("%1", lot_no),
                           meaning=packets.default_meaning(decision, lot_no, words.language()),
                           password_label=password, parent=parent)


def ask_signature(parent: QWidget, lot_no: str, decision: str, needs_password: bool) -> SignatureInput | None:
    return signature_dialog(parent, lot_no, decision, needs_password=needs_password).ask()


def key_file_chooser(data_dir: DataDir) -> KeyFileChooser:
    """The only personal key file in the data directory's keys folder, else the file the user picks."""

    def choose(parent: QWidget) -> Path | None:
        folder = data_dir.keys
        found = sorted(p for p in folder.glob("*.p12") if p.name != keys.CA_FILE) if folder.is_dir() else []
        if len(found) == 1:
            return found[0]
        title = QCoreApplication.translate("ApprovalQueueWidget", "Your signing key file")
        return files.choose_open_file(parent, title, start=str(folder), filters="PKCS#12 (*.p12 *.pfx)")

    return choose


@dataclass(frozen=True)
class SignedResult:
    lot_no: str
    decision: str
    printed_name: str
    signed_at: str
    version_hash: str
    meaning: str
    file: Path | None = None

    @classmethod
    def of_approval(cls, approval: ApprovalView) -> SignedResult:
        return cls(lot_no=approval.lot_no, decision=approval.decision, printed_name=approval.printed_name,
                   signed_at=formats.moment(approval.signed_at, approval.signed_offset),
                   version_hash=approval.version_hash, meaning=approval.meaning)

    @classmethod
    def of_packet(cls, decided: DecidedPacket) -> SignedResult:
        return cls(lot_no=decided.lot_no, decision=decided.decision, printed_name=decided.printed_name,
                   signed_at=formats.moment(decided.signed_at, decided.offset_minutes),
                   version_hash=decided.version_hash, meaning=decided.meaning, file=decided.path)


class ApprovalQueueWidget(ScreenWidget):
    """Submitted lots on the left, everything about the selected one on the right, held loads below."""

    # The queue shows lots; the held loads, and the findings and readings of a lot's loads, are loads.
    shows = frozenset({Change.LOTS, Change.LOADS})

    def __init__(self, door: Door, actor: Actor, *, clock: Clock | None = None,
                 ask_signature: SignaturePrompt = ask_signature,
                 choose_open_file: OpenFileChooser = choose_open_file,
                 choose_save_file: SaveFileChooser = choose_save_file,
                 choose_key_file: KeyFileChooser | None = None,
                 ask_passphrase: PassphrasePrompt = ask_passphrase, parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._actor = actor
        self._data_dir: DataDir = door.data_dir
        self.photo_viewer: QLabel | None = None
        self._clock = clock or Clock()
        self._ask_signature = ask_signature
        self._choose_open_file = choose_open_file
        self._choose_save_file = choose_save_file
        self._choose_key_file = choose_key_file or key_file_chooser(door.data_dir)
        self._ask_passphrase = ask_passphrase
        self._busy = 0
        self._waiting = 0
        # The lot to select again when the first page of a refresh arrives ("": none; None: no refresh
        # is waiting for its first page).
        self._reselect: str | None = None
        self._detail: queries.LotDetail | None = None
        # The selected held load's findings, readings and photos (shown instead of a lot when selected).
        self._held_detail: queries.HeldLoadDetail | None = None
        self.held_photo_dialog: PhotoDialog | None = None
        self._result: SignedResult | None = None
        self.packet: OpenedPacket | None = None
        self.setObjectName("approvalQueue")

        self.queue_model = ApprovalQueueModel(door, parent=self)
        self._queue_fitted = False
        self.held_model = HeldLoadsModel(self)
        self.mode_label = QLabel(self)
        self.mode_label.setWordWrap(True)
        self.queue_view = _table(self, "approvalQueueTable", multi=False)
        self.queue_view.setModel(self.queue_model)
        self.detail_tree = LotVersionTree(self)
        self.detail_tree.itemDoubleClicked.connect(self._on_detail_tree_item_double_clicked)
        self.detail_tree.itemClicked.connect(self._on_detail_tree_item_clicked)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("approveButton")
        self.reject_button = QPushButton(self)
        self.reject_button.setObjectName("rejectButton")
        self.refresh_button = QPushButton(self)
        self.open_packet_button = QPushButton(self)
        self.close_packet_button = QPushButton(self)
        self.export_bundle_button = QPushButton(self)
        self.export_bundle_button.setObjectName("exportBundleButton")
        self.export_bundle_button.setVisible(actor.has(Role.SUPERVISOR))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("signedResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.held_box = QGroupBox(self)
        self.held_view = _table(self.held_box, "heldLoadsTable", multi=False)
        self.held_view.setModel(self.held_model)
        self.comment_edit = QLineEdit(self.held_box)
        self.comment_edit.setObjectName("heldComment")
        self.answers_label = QLabel(self.held_box)
        self.answers_label.setWordWrap(True)
        self.answer_list = FindingAnswersWidget(self.held_box)
        self.answers_label.setVisible(False)
        self.answer_list.setVisible(False)
        self.release_button = QPushButton(self.held_box)
        self.reject_load_button = QPushButton(self.held_box)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("approvalsMessage")
        self.message_label.setWordWrap(True)

        self._init_layout()
        self._connect_signals()
        self.retranslate()
        self.refresh()

    def _init_layout(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.queue_view)
        splitter.addWidget(self.detail_tree)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        actions = QHBoxLayout()
        for button in (self.approve_button, self.reject_button):
            actions.addWidget(button)
        actions.addStretch(1)
        for button in (self.export_bundle_button, self.open_packet_button, self.close_packet_button,
                       self.refresh_button):
            actions.addWidget(button)
        held = QVBoxLayout(self.held_box)
        held.addWidget(self.held_view, 1)
        held.addWidget(self.answers_label)
        held.addWidget(self.answer_list)
        held_actions = QHBoxLayout()
        held_actions.addWidget(self.comment_edit, 1)
        held_actions.addWidget(self.release_button)
        held_actions.addWidget(self.reject_load_button)
        held.addLayout(held_actions)
        layout = QVBoxLayout(self)
        layout.addWidget(self.mode_label)
        layout.addWidget(splitter, 3)
        layout.addLayout(actions)
        layout.addWidget(self.result_label)
        layout.addWidget(self.held_box, 1)
        layout.addWidget(self.message_label)

    def _connect_signals(self) -> None:
        self.queue_model.page_loaded.connect(self._on_queue_model_page_loaded)
        self.queue_model.fetch_failed.connect(self._on_door_read_failed)
        self.queue_view.selectionModel().selectionChanged.connect(self._on_queue_view_selection_changed)
        self.held_view.selectionModel().selectionChanged.connect(self._on_held_view_selection_changed)
        self.approve_button.clicked.connect(lambda: self.decide("approve"))
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.refresh_button.clicked.connect(self.refresh)
        self.open_packet_button.clicked.connect(self.open_packet)
        self.close_packet_button.clicked.connect(self.close_packet)
        self.export_bundle_button.clicked.connect(self.export_bundle)
        self.release_button.clicked.connect(lambda: self.decide_held("release"))
        self.reject_load_button.clicked.connect(lambda: self.decide_held("reject"))

    # --- language -----------------------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Approvals")

    def retranslate(self) -> None:
        self.approve_button.setText(self.tr("Approve…"))
        self.reject_button.setText(self.tr("Reject…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.open_packet_button.setText(self.tr("Open packet…"))
        self.close_packet_button.setText(self.tr("Back to the queue"))
        self.export_bundle_button.setText(self.tr("Export my laptop bundle…"))
        self.held_box.setTitle(self.tr("Held loads waiting for a supervisor's decision"))
        self.comment_edit.setPlaceholderText(
            self.tr("Comment (required to release: why the load may be used)"))
        self.release_button.setText(self.tr("Release into lots"))
        self.reject_load_button.setText(self.tr("Reject the load"))
        self.answers_label.setText(self.tr("This decision answers (tick the failed check or checks):"))
        self.queue_model.retranslate()
        self.held_model.retranslate()
        self._show_mode()
        self._show_detail()
        self._show_result()
        self._update_buttons()

    # --- reading ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queue (from the oldest lot), how many lots wait and the held loads again; the selected
        lot is selected again when it is among the first page."""
        if self._reselect is None:
            self._reselect = self.selected_lot_no() or ""
        self.queue_model.reload()
        self.queue_model.fetch_first_page()
        self._busy += 1
        self._update_buttons()
        self._door.read(queries.queue_summary, self._on_door_summary_read, self._on_door_failed, owner=self)

    def _on_door_summary_read(self, summary: QueueSummary) -> None:
        self._finish()
        self._waiting = summary.waiting
        self.held_model.set_rows(summary.held)
        self.held_view.resizeColumnsToContents()
        self._reselect_held()
        self._show_mode()
        self._update_buttons()

    def _on_queue_model_page_loaded(self) -> None:
        if self._reselect is None:
            return  # a further page the view asked for while scrolling
        selected, self._reselect = self._reselect, None
        if not self._queue_fitted and self.queue_model.rowCount():
            # Once: columns that jump on every refresh (which comes by itself) would undo the user's widths.
            self._queue_fitted = True
            self.queue_view.resizeColumnsToContents()
        if selected and self.queue_model.find(selected) >= 0:
            self.select_lot(selected)  # reads its detail again: it may have changed
        elif self.packet is None:
            self._detail = None
            self._show_detail()
        self._update_buttons()

    def selected_lot_no(self) -> str | None:
        rows = self.queue_view.selectionModel().selectedRows()
        return self.queue_model.row_at(rows[0].row()).lot_no if rows else None

    def select_lot(self, lot_no: str) -> None:
        number = self.queue_model.find(lot_no)
        if number >= 0:
            self.queue_view.selectRow(number)

    def _on_queue_view_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        lot_no = self.selected_lot_no()
        if lot_no is None or self.packet is not None:
            return
        self.held_view.clearSelection()  # the detail pane shows the lot now
        data_dir = self._data_dir
        self._door.read(lambda s: queries.lot_detail(s, lot_no=lot_no, data_dir=data_dir),
                        lambda detail: self._on_door_detail_read(lot_no, detail), self._on_door_read_failed,
                        owner=self)

    def _on_door_detail_read(self, lot_no: str, detail: queries.LotDetail) -> None:
        if self.packet is not None or self.selected_lot_no() != lot_no:
            return
        self._detail = detail
        self._show_detail()

    def _on_door_read_failed(self, exc: InspectorError) -> None:
        self.show_message(words.error(exc), error=True)

    def _on_held_view_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        held = self.selected_held()
        if held is None:
            if self._held_detail is not None:
                self._held_detail = None
                self._show_held_answers()
                self._show_detail()
            return
        self.queue_view.clearSelection()  # the detail pane shows the held load now
        self._detail = None
        load_id, data_dir = held.load_id, self._data_dir
        self._door.read(lambda s: queries.held_load_detail(s, load_id=load_id, data_dir=data_dir),
                        self._on_door_held_detail_read, self._on_door_read_failed, owner=self)

    def selected_held(self) -> HeldLoad | None:
        rows = self.held_view.selectionModel().selectedRows()
        return self.held_model.row(rows[0].row()) if rows else None

    def _on_door_held_detail_read(self, detail: queries.HeldLoadDetail) -> None:
        held = self.selected_held()
        if held is None or held.load_id != detail.load_id:
            return  # the selection moved on while the load was read
        self._held_detail = detail
        self._show_held_answers()
        self._show_detail()

    def _reselect_held(self) -> None:
        """After the held loads are read again: the load shown is selected again (and read again), or no
        longer shown when it was decided meanwhile."""
        shown = self._held_detail
        if shown is None:
            return
        for number, held in enumerate(self.held_model.rows()):
            if held.load_id == shown.load_id:
                self.held_view.selectRow(number)
                return
        self._held_detail = None
        self._show_held_answers()
        self._show_detail()

    def _show_held_answers(self) -> None:
        detail = self._held_detail
        if detail is None:
            self.answer_list.set_findings((), "", "")
        else:
            self.answer_list.set_findings(detail.findings, detail.ruleset_id, detail.ruleset_version)
        self.answers_label.setVisible(self.answer_list.count() > 0)

    def _on_detail_tree_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        """A tap on a held load's photo opens it to zoom."""
        sha = item.data(0, HELD_PHOTO_ROLE)
        detail = self._held_detail
        if not sha or detail is None:
            return
        pixmap = QPixmap()
        blob = detail.photos.get(str(sha))
        if blob is None or not pixmap.loadFromData(blob):
            self.show_message(self.tr("The photo %1… is not available here.").replace("%1", str(sha)[:16]),
                              error=True)
            return
        dialog = PhotoDialog(pixmap, self.tr("Photo %1…").replace("%1", str(sha)[:16]), self)
        dialog.show()
        self.held_photo_dialog = dialog

    # --- showing ------------------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        if self.packet is not None:
            self.mode_label.setText(
                self.tr("Approval packet of lot %1 (read-only), exported by %2 at %3; its signature was "
                        "checked against the yard's certificate authority.")
                .replace("%1", self.packet.lot_no).replace("%2", self.packet.exported_by)
                .replace("%3", self.packet.exported_at))
        else:
            self.mode_label.setText(self.tr("%n lot(s) wait for a decision.", "", self._waiting))
        self.queue_view.setVisible(self.packet is None)
        self.held_box.setVisible(self.packet is None)
        self.close_packet_button.setVisible(self.packet is not None)

    def photo_bytes(self, sha: str) -> bytes | None:
        """A photo of a load by its SHA-256: carried in the open packet, or stored in the data directory."""
        if self.packet is not None:
            return self.packet.photos.get(sha)
        found = sorted((self._data_dir.photos / sha[:2]).glob(f"{sha}.*"))
        return found[0].read_bytes() if found else None

    def _on_detail_tree_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        sha = item.data(0, PHOTO_ROLE)
        if not sha:
            return
        blob = self.photo_bytes(str(sha))
        pixmap = QPixmap()
        if blob is None or not pixmap.loadFromData(blob):
            missing = self.tr("The photo %1… is not available here.").replace("%1", str(sha)[:16])
            self.message_label.setText(missing)
            return
        viewer = QLabel(self, Qt.WindowType.Window)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.setWindowTitle(self.tr("Photo %1…").replace("%1", str(sha)[:16]))
        viewer.setPixmap(pixmap.scaled(1000, 750, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
        viewer.show()
        self.photo_viewer = viewer

    def _show_detail(self) -> None:
        self.detail_tree.clear()
        if self.packet is not None:
            self.detail_tree.show_version(self.packet.version, photos=self.packet.photos)
            return
        if self._held_detail is not None:
            fill_held_load(self.detail_tree, self._held_detail)
            return
        if self._detail is None:
            hint = self.tr("Select a lot to see its loads, findings and readings.")
            QTreeWidgetItem(self.detail_tree, [hint])
            return
        self.detail_tree.show_version(self._detail.version, approvals=self._detail.approvals)

    def _show_result(self) -> None:
        r = self._result
        if r is None:
            self.result_label.clear()
            return
        text = (self.tr("Lot %1 approved.") if r.decision == "approve" else self.tr("Lot %1 rejected.")) \
            .replace("%1", r.lot_no)
        text += " " + self.tr("Signed by %1 at %2: \u201c%3\u201d. Lot version %4.") \
            .replace("%1", r.printed_name).replace("%2", r.signed_at).replace("%3", r.meaning) \
            .replace("%4", r.version_hash[:16])
        if r.file is not None:
            text += " " + self.tr("The decision file is %1; take it back to the yard PC and import it "
                                  "there.").replace("%1", str(r.file))
        self.result_label.setText(text)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)

    def _update_buttons(self) -> None:
        idle = self._busy == 0
        can_decide = self.packet is not None or self.selected_lot_no() is not None
        self.approve_button.setEnabled(idle and can_decide)
        self.reject_button.setEnabled(idle and can_decide)
        held = bool(self.held_view.selectionModel().selectedRows())
        self.release_button.setEnabled(idle and held)
        self.reject_load_button.setEnabled(idle and held)
        self.refresh_button.setEnabled(idle)
        self.open_packet_button.setEnabled(idle)
        self.export_bundle_button.setEnabled(idle)

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

    # --- deciding -----------------------------------------------------------------------------------------

    def decide(self, decision: str) -> None:
        """Approve or reject the selected lot (on this PC) or the open packet (writing a decision file)."""
        if self.packet is not None:
            self._decide_packet(decision)
            return
        lot_no = self.selected_lot_no()
        if lot_no is None:
            self.show_message(self.tr("Select the lot to decide on."), error=True)
            return
        typed = self._ask_signature(self, lot_no, decision, True)
        if typed is None:
            return
        self.show_message(self.tr("Signing…"))
        self._started()
        operations.sign_decision(
            self._door, owner=self, actor=self._actor, clock=self._clock, lot_no=lot_no, decision=decision,
            meaning=typed.meaning, password=typed.password, passphrase=typed.passphrase,
            on_done=lambda approval: self._on_door_signed(SignedResult.of_approval(approval)),
            on_error=self._on_door_failed)

    def _on_door_signed(self, result: SignedResult) -> None:
        self._finish()
        self._result = result
        self._show_result()
        self.show_message("")

    def _decide_packet(self, decision: str) -> None:
        packet = self.packet
        assert packet is not None
        key_path = self._choose_key_file(self)
        if key_path is None:
            return
        typed = self._ask_signature(self, packet.lot_no, decision, False)
        if typed is None:
            return
        out = self._choose_save_file(self, self.tr("Save the decision file"),
                                     str(packet.path.with_suffix(".decision.json")))
        if out is None:
            return
        self.show_message(self.tr("Signing…"))
        self._started()
        operations.decide_packet(
            self._door, owner=self, clock=self._clock, packet=packet, key_file=key_path,
            passphrase=typed.passphrase, decision=decision, meaning=typed.meaning, out=out,
            on_done=lambda decided: self._on_door_signed(SignedResult.of_packet(decided)),
            on_error=self._on_door_failed)

    def export_bundle(self) -> None:
        """The signed-in supervisor writes their own bundle, to set up their laptop for offline approval."""
        passphrase = self._ask_passphrase(
            self, self.tr("Your key passphrase: the bundle holds your key file, still protected by it."))
        if not passphrase:
            return
        suggested = str(Path.home() / fat_safe_name(f"{self._actor.user_id}.bundle.json"))
        out = self._choose_save_file(self, self.tr("Save your laptop bundle"), suggested)
        if out is None:
            return

        def done(path: Path) -> None:
            self._finish()
            self.show_message(self.tr("Your laptop bundle is %1; on the laptop, open the window on an empty "
                                      "folder (or run 'yard-inspector laptop setup') and choose it.")
                              .replace("%1", str(path)))

        self._started()
        laptop_operations.export_bundle(self._door, owner=self, actor=self._actor, clock=self._clock,
                                        passphrase=passphrase, out=out, on_done=done,
                                        on_error=self._on_door_failed)

    def open_packet(self) -> None:
        """Open an approval packet read-only (on a supervisor's laptop) after checking its signature."""
        path = self._choose_open_file(self, self.tr("Open an approval packet"))
        if path is None:
            return
        self._started()
        operations.open_packet(self._door, owner=self, path=path, on_done=self._on_door_packet_opened,
                               on_error=self._on_door_failed)

    def _on_door_packet_opened(self, packet: OpenedPacket) -> None:
        self._finish()
        self.packet = packet
        self._result = None
        self._show_result()
        self.show_message("")
        self._show_mode()
        self._show_detail()
        self._update_buttons()

    def close_packet(self) -> None:
        self.packet = None
        self._detail = None
        self._show_mode()
        self.refresh()

    def decide_held(self, decision: str) -> None:
        """Release (with a mandatory comment) or reject the selected held load."""
        rows = self.held_view.selectionModel().selectedRows()
        if not rows:
            self.show_message(self.tr("Select the held load to decide on."), error=True)
            return
        held: HeldLoad = self.held_model.row(rows[0].row())
        comment = self.comment_edit.text().strip()
        if decision == "release" and not long_enough(comment):
            self.show_message(self.tr("Releasing a held load needs a comment saying why it may be used."),
                              error=True)
            return
        # The failed findings ticked; before the load's detail has been read, the service answers the only
        # one, or asks for a choice when there are several.
        answers: list[str] | None = None
        if self._held_detail is not None and self._held_detail.load_id == held.load_id:
            answers = self.answer_list.checked_rules()
            if self._held_detail.findings and not answers:
                self.show_message(self.tr("Tick the failed check or checks this decision answers."),
                                  error=True)
                return

        def done(_result: None) -> None:
            self._finish()
            self.comment_edit.clear()
            self.show_message((self.tr("Load %1 released: it may now join a lot.") if decision == "release"
                               else self.tr("Load %1 rejected.")).replace("%1", held.ticket_no))

        self._started()
        operations.decide_held_load(self._door, owner=self, actor=self._actor, clock=self._clock,
                                    load_id=held.load_id, decision=decision, comment=comment, answers=answers,
                                    on_done=done, on_error=self._on_door_failed)
