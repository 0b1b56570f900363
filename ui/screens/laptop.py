"""The supervisor's laptop: an approval desk, and the first-run page that sets a laptop up from a bundle.

``LaptopDeskWidget`` opens an approval packet (button, or a ``.json`` dropped on it), shows the lot as the
yard's approval queue shows it (``ui.widgets.lot_version``: every load's findings, readings, held release
and photos, zoomable, and the mass balance), takes the decision (approve or reject, the meaning prefilled,
a reason for a rejection, the key passphrase) and writes the signed decision file next to the packet, or
where the supervisor chooses. Packets already decided here are listed with their decisions. A bad packet
(altered, another yard's, expired, unreadable) is refused with the reason in the user's language.

No one signs in on a laptop: the key passphrase asked at signing is the authentication. Everything runs
through the door (``ui.operations.laptop``); file dialogs are injectable for tests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.changes import Change
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import InspectorError
from inspector.lots import packets
from inspector.lots.bundle import LaptopProfile, fat_safe_name
from inspector.queries.laptop import LaptopDecision
from inspector.queries.lots import OpenedPacket
from inspector.reasons import long_enough
from inspector.services.lots import DecidedPacket
from ui import formats, words
from ui.operations import laptop as operations
from ui.ops import Door, Ops
from ui.screens.base import ScreenWidget
from ui.widgets import files
from ui.widgets.lot_version import PHOTO_ROLE, LotVersionTree, PhotoDialog

ERROR_STYLE = "color: #b00020;"
BIG_BUTTON_PX = 64

# (parent, title) -> the file picked, or None; (parent, title, suggested) -> where to write, or None.
OpenFileChooser = Callable[[QWidget, str], Path | None]
SaveFileChooser = Callable[[QWidget, str, str], Path | None]


def choose_json_file(parent: QWidget, title: str) -> Path | None:
    return files.choose_open_file(parent, title, filters="JSON (*.json);;* (*)")


def choose_save_file(parent: QWidget, title: str, suggested: str) -> Path | None:
    return files.choose_save_file(parent, title, start=suggested, filters="JSON (*.json)")


def decision_file_for(packet_path: Path) -> Path:
    """Where a packet's decision goes by default: beside it, ``L2026-00001.decision.json`` for
    ``L2026-00001.packet.json`` (a name any USB stick keeps)."""
    stem = packet_path.name.removesuffix(".json").removesuffix(".packet")
    return packet_path.parent / fat_safe_name(f"{stem}.decision.json", fallback="decision.json")


class LaptopDeskWidget(ScreenWidget):
    """The approval desk of a supervisor's laptop."""

    shows = frozenset({Change.LOTS})

    def __init__(self, door: Door, profile: LaptopProfile, *, clock: Clock | None = None,
                 choose_open_file: OpenFileChooser = choose_json_file,
                 choose_save_file: SaveFileChooser = choose_save_file, parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self.setObjectName("laptopDesk")
        self._door = door
        self.profile = profile
        self._clock = clock or Clock()
        self._choose_open_file = choose_open_file
        self._choose_save_file = choose_save_file
        self._busy = 0
        self.packet: OpenedPacket | None = None
        self.decision: str | None = None
        self.out: Path | None = None
        self.result: DecidedPacket | None = None
        self.decided: list[LaptopDecision] = []
        self.photo_dialog: PhotoDialog | None = None
        self._meaning_shown = ""  # the default meaning last filled in (replaced while not edited)
        self.setAcceptDrops(True)

        self.header_label = QLabel(self)
        self.header_label.setObjectName("laptopHeader")
        self.header_label.setWordWrap(True)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openPacketButton")
        self.packet_label = QLabel(self)
        self.packet_label.setWordWrap(True)
        self.lot_tree = LotVersionTree(self)
        self.lot_tree.itemDoubleClicked.connect(self._on_lot_tree_item_double_clicked)

        self.decision_box = QGroupBox(self)
        self.approve_button = QPushButton(self.decision_box)
        self.approve_button.setObjectName("laptopApproveButton")
        self.reject_button = QPushButton(self.decision_box)
        self.reject_button.setObjectName("laptopRejectButton")
        self._choices = QButtonGroup(self)
        self._choices.setExclusive(True)
        for button, value in ((self.approve_button, "approve"), (self.reject_button, "reject")):
            button.setCheckable(True)
            button.setMinimumHeight(BIG_BUTTON_PX)
            button.clicked.connect(lambda _checked=False, v=value: self.choose(v))
            self._choices.addButton(button)
        self.meaning_edit = QLineEdit(self.decision_box)
        self.meaning_edit.setObjectName("laptopMeaning")
        self.reason_edit = QLineEdit(self.decision_box)
        self.reason_edit.setObjectName("laptopReason")
        self.passphrase_edit = QLineEdit(self.decision_box)
        self.passphrase_edit.setObjectName("laptopPassphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.out_label = QLabel(self.decision_box)
        self.out_label.setWordWrap(True)
        self.out_button = QPushButton(self.decision_box)
        self.sign_button = QPushButton(self.decision_box)
        self.sign_button.setObjectName("signDecisionButton")
        self.sign_button.setMinimumHeight(BIG_BUTTON_PX)
        self.meaning_label = QLabel(self.decision_box)
        self.reason_label = QLabel(self.decision_box)
        self.passphrase_label = QLabel(self.decision_box)

        self.decided_box = QGroupBox(self)
        self.decided_view = QTreeWidget(self.decided_box)
        self.decided_view.setObjectName("decidedPackets")
        self.decided_view.setRootIsDecorated(False)
        self.decided_view.setColumnCount(4)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("laptopResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("laptopMessage")
        self.message_label.setWordWrap(True)

        self._init_layout()
        self.open_button.clicked.connect(self.open_packet)
        self.out_button.clicked.connect(self.choose_out)
        self.sign_button.clicked.connect(self.sign)
        self.meaning_edit.textEdited.connect(lambda _t: self._update_buttons())
        self.reason_edit.textEdited.connect(lambda _t: self._update_buttons())
        self.passphrase_edit.textEdited.connect(lambda _t: self._update_buttons())
        self.retranslate()
        self.refresh()

    def _init_layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.meaning_label, self.meaning_edit)
        form.addRow(self.reason_label, self.reason_edit)
        form.addRow(self.passphrase_label, self.passphrase_edit)
        choices = QHBoxLayout()
        choices.addWidget(self.approve_button)
        choices.addWidget(self.reject_button)
        out = QHBoxLayout()
        out.addWidget(self.out_label, 1)
        out.addWidget(self.out_button)
        decision = QVBoxLayout(self.decision_box)
        decision.addLayout(choices)
        decision.addLayout(form)
        decision.addLayout(out)
        decision.addWidget(self.sign_button)
        decision.addWidget(self.result_label)
        decided = QVBoxLayout(self.decided_box)
        decided.addWidget(self.decided_view)
        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.decision_box)
        side.addWidget(self.decided_box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.lot_tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.header_label, 1)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.packet_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message_label)

    # --- language -----------------------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Approval desk")

    def retranslate(self) -> None:
        p = self.profile
        self.header_label.setText(
            self.tr("Laptop of %1 (%2) for %3. Approval packets stay valid for %n day(s) after export.", "",
                    p.packet_valid_days)
            .replace("%1", p.printed_name).replace("%2", p.user_id).replace("%3", p.yard_name or "—"))
        self.open_button.setText(self.tr("Open a packet…"))
        self.decision_box.setTitle(self.tr("Your decision"))
        self.approve_button.setText(self.tr("Approve"))
        self.reject_button.setText(self.tr("Reject"))
        self.meaning_label.setText(self.tr("What your signature means"))
        self.reason_label.setText(self.tr("Reason for the rejection"))
        self.passphrase_label.setText(self.tr("Key passphrase"))
        self.reason_edit.setPlaceholderText(self.tr("Required to reject: why the lot is not accepted"))
        self.out_button.setText(self.tr("Save elsewhere…"))
        self.sign_button.setText(self.tr("Sign and write the decision"))
        self.decided_box.setTitle(self.tr("Packets decided on this laptop"))
        self.decided_view.setHeaderLabels([self.tr("Lot"), self.tr("Decision"), self.tr("Signed at"),
                                           self.tr("Meaning")])
        self._show_packet()
        self._show_decided()
        self._show_result()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    # --- reading ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the decisions signed on this laptop again."""
        self._started()
        operations.decided_packets(self._door, owner=self, on_done=self._on_door_decided_read,
                                   on_error=self._on_door_failed)

    def _on_door_decided_read(self, decided: list[LaptopDecision]) -> None:
        self._finish()
        self.decided = decided
        self._show_decided()

    def _show_decided(self) -> None:
        self.decided_view.clear()
        for d in self.decided:
            QTreeWidgetItem(self.decided_view, [d.lot_no, words.decision(d.decision),
                                                formats.moment(d.signed_at, d.offset_minutes), d.meaning])

    # --- a packet -----------------------------------------------------------------------------------------

    def open_packet(self) -> None:
        path = self._choose_open_file(self, self.tr("Open an approval packet"))
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> None:
        """Open the packet at ``path`` (checked against the yard CA and the yard's validity period)."""
        self.show_message(self.tr("Checking the packet…"))
        self._started()
        operations.open_packet(self._door, owner=self, profile=self.profile, clock=self._clock, path=path,
                               on_done=self._on_door_packet_opened, on_error=self._on_door_packet_refused)

    def _on_door_packet_opened(self, packet: OpenedPacket) -> None:
        self._finish()
        self.packet = packet
        self.out = decision_file_for(packet.path)
        self.result = None
        self.decision = None
        self._choices.setExclusive(False)
        self.approve_button.setChecked(False)
        self.reject_button.setChecked(False)
        self._choices.setExclusive(True)
        self.meaning_edit.clear()
        self.reason_edit.clear()
        self._meaning_shown = ""
        self.show_message("")
        self._show_packet()
        self._show_result()
        self._update_buttons()

    def _on_door_packet_refused(self, exc: InspectorError) -> None:
        """A bad packet: nothing of it stays on the screen, the reason is said."""
        self._finish()
        self.packet = None
        self.out = None
        self._show_packet()
        self._update_buttons()
        self.show_message(self.tr("This packet is refused: %1").replace("%1", words.error(exc)), error=True)

    def _show_packet(self) -> None:
        packet = self.packet
        if packet is None:
            self.packet_label.setText(
                self.tr("Open an approval packet (or drop its file here) to see the lot."))
            self.lot_tree.show_hint(self.tr("No packet is open."))
            self.out_label.clear()
            return
        self.packet_label.setText(
            self.tr("Approval packet of lot %1, exported by %2 at %3; its signature was checked against the "
                    "yard's certificate authority.").replace("%1", packet.lot_no)
            .replace("%2", packet.exported_by).replace("%3", _local_time(packet.exported_at)))
        self.lot_tree.show_version(packet.version, photos=packet.photos)
        self.out_label.setText(
            self.tr("The decision file will be written to %1").replace("%1", str(self.out)))

    def _on_lot_tree_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        sha = item.data(0, PHOTO_ROLE)
        if sha and self.packet is not None:
            self.show_photo(str(sha))

    def show_photo(self, sha: str) -> None:
        """The packet's photo in a viewer that zooms; says so when the packet does not carry it."""
        blob = self.packet.photos.get(sha) if self.packet is not None else None
        pixmap = QPixmap()
        if blob is None or not pixmap.loadFromData(blob):
            self.show_message(self.tr("The packet does not carry the photo %1….").replace("%1", sha[:16]),
                              error=True)
            return
        dialog = PhotoDialog(pixmap, self.tr("Photo %1…").replace("%1", sha[:16]), self)
        dialog.show()
        self.photo_dialog = dialog

    # --- dropping a file ----------------------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData() is not None else []
        local = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        return local[0] if len(local) == 1 and local[0].suffix.lower() == ".json" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._busy == 0 and self._dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is not None and self._busy == 0:
            event.acceptProposedAction()
            self.open_path(path)

    # --- deciding -----------------------------------------------------------------------------------------

    def choose(self, decision: str) -> None:
        """Approve or reject: the standard meaning is filled in unless the supervisor wrote their own."""
        self.decision = decision
        (self.approve_button if decision == "approve" else self.reject_button).setChecked(True)
        if self.packet is not None and self.meaning_edit.text() in ("", self._meaning_shown):
            self._meaning_shown = packets.default_meaning(decision, self.packet.lot_no, words.language())
            self.meaning_edit.setText(self._meaning_shown)
        self._update_buttons()

    def choose_out(self) -> None:
        if self.packet is None:
            return
        chosen = self._choose_save_file(self, self.tr("Save the decision file"), str(self.out or ""))
        if chosen is not None:
            self.out = chosen
            self._show_packet()

    def signed_meaning(self) -> str:
        meaning = self.meaning_edit.text().strip()
        reason = self.reason_edit.text().strip()
        if self.decision == "reject" and reason:
            return self.tr("%1 Reason: %2").replace("%1", meaning).replace("%2", reason)
        return meaning

    def sign(self) -> None:
        packet, decision, out = self.packet, self.decision, self.out
        if packet is None or decision is None or out is None:
            self.show_message(self.tr("Open a packet and choose approve or reject first."), error=True)
            return
        if decision == "reject" and not long_enough(self.reason_edit.text().strip()):
            self.show_message(self.tr("A rejection needs a reason."), error=True)
            return
        if not self.passphrase_edit.text():
            self.show_message(self.tr("Type your key passphrase to sign."), error=True)
            return
        self.show_message(self.tr("Signing…"))
        self._started()
        operations.decide_packet(
            self._door, owner=self, profile=self.profile, clock=self._clock, packet=packet,
            passphrase=self.passphrase_edit.text(), decision=decision, meaning=self.signed_meaning(), out=out,
            lang=words.language(), on_done=self._on_door_signed, on_error=self._on_door_failed)

    def _on_door_signed(self, decided: DecidedPacket) -> None:
        self._finish()
        self.passphrase_edit.clear()
        self.result = decided
        self.show_message("")
        self._show_result()
        self.refresh()

    def _show_result(self) -> None:
        r = self.result
        if r is None:
            self.result_label.clear()
            return
        text = (self.tr("Lot %1 approved.") if r.decision == "approve" else self.tr("Lot %1 rejected.")) \
            .replace("%1", r.lot_no)
        text += " " + self.tr("Signed by %1 at %2. The decision file is %3; take it back to the yard PC "
                              "and import it there.").replace("%1", r.printed_name) \
            .replace("%2", formats.moment(r.signed_at, r.offset_minutes)).replace("%3", str(r.path))
        self.result_label.setText(text)

    # --- state --------------------------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)

    def _update_buttons(self) -> None:
        idle = self._busy == 0
        has_packet = self.packet is not None and self.result is None
        self.open_button.setEnabled(idle)
        for w in (self.approve_button, self.reject_button, self.meaning_edit, self.passphrase_edit,
                  self.out_button):
            w.setEnabled(idle and has_packet)
        self.reason_edit.setEnabled(idle and has_packet and self.decision == "reject")
        self.sign_button.setEnabled(idle and has_packet and self.decision is not None)

    def _started(self) -> None:
        self._busy += 1
        self._update_buttons()

    def _finish(self) -> None:
        self._busy = max(0, self._busy - 1)
        self._update_buttons()

    def _on_door_failed(self, exc: InspectorError) -> None:
        self._finish()
        self.show_message(words.error(exc), error=True)

    @property
    def idle(self) -> bool:
        return self._busy == 0


class LaptopWindow(QMainWindow):
    """The laptop's window: the approval desk and nothing else (no sign-in, no yard)."""

    def __init__(self, door: Door, profile: LaptopProfile, *, clock: Clock | None = None,
                 **prompts: Any) -> None:
        super().__init__()
        self.setObjectName("laptopWindow")
        self.door = door
        door.setParent(self)
        self.desk = LaptopDeskWidget(door, profile, clock=clock, parent=self, **prompts)
        self.setCentralWidget(self.desk)
        self.setAcceptDrops(True)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Yard Inspector — supervisor's laptop"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()


# --- the first run ---------------------------------------------------------------------------------------

class LaptopSetupDialog(QDialog):
    """Shown when the window starts on an empty folder: set this laptop up from a supervisor bundle, or
    close (a yard is set up with ``yard-inspector init``)."""

    def __init__(self, ops: Ops, data_dir: DataDir, *, choose_open_file: OpenFileChooser = choose_json_file,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("laptopSetupDialog")
        self._ops = ops
        self._data_dir = data_dir
        self._choose_open_file = choose_open_file
        self.bundle_path: Path | None = None
        self.profile: LaptopProfile | None = None
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.bundle_label = QLabel(self)
        self.bundle_label.setWordWrap(True)
        self.choose_button = QPushButton(self)
        self.choose_button.setObjectName("chooseBundleButton")
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_label = QLabel(self)
        self.setup_button = QPushButton(self)
        self.setup_button.setObjectName("setUpLaptopButton")
        self.setup_button.setMinimumHeight(BIG_BUTTON_PX)
        self.close_button = QPushButton(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.choose_button, self.bundle_label)
        form.addRow(self.passphrase_label, self.passphrase_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.setup_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.choose_button.clicked.connect(self.choose_bundle)
        self.setup_button.clicked.connect(self.set_up)
        self.close_button.clicked.connect(self.reject)
        self.passphrase_edit.textEdited.connect(lambda _t: self._update_buttons())
        self._busy = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Yard Inspector — first start"))
        self.intro_label.setText(self.tr(
            "The folder %1 holds no yard yet. To approve lots offline on this laptop, set it up from the "
            "supervisor bundle you exported on the yard PC. (A yard is set up with 'yard-inspector init'.)")
            .replace("%1", str(self._data_dir.root)))
        self.choose_button.setText(self.tr("Choose the bundle…"))
        self.bundle_label.setText(str(self.bundle_path) if self.bundle_path else self.tr("No bundle chosen."))
        self.passphrase_label.setText(self.tr("Key passphrase"))
        self.setup_button.setText(self.tr("Set up this laptop from a supervisor bundle"))
        self.close_button.setText(self.tr("Close"))
        self._update_buttons()

    def choose_bundle(self) -> None:
        path = self._choose_open_file(self, self.tr("Choose your supervisor bundle"))
        if path is not None:
            self.bundle_path = path
            self.retranslate()

    def _update_buttons(self) -> None:
        self.setup_button.setEnabled(not self._busy and self.bundle_path is not None
                                     and bool(self.passphrase_edit.text()))
        self.choose_button.setEnabled(not self._busy)

    def set_up(self) -> None:
        if self.bundle_path is None:
            return
        self._busy = True
        self._update_buttons()
        self.message_label.setStyleSheet("")
        self.message_label.setText(self.tr("Setting up…"))
        operations.setup_laptop(self._ops, owner=self, bundle_path=self.bundle_path,
                                passphrase=self.passphrase_edit.text(), data_dir=self._data_dir,
                                on_done=self._on_ops_set_up, on_error=self._on_ops_failed)

    def _on_ops_set_up(self, profile: LaptopProfile) -> None:
        self._busy = False
        self.profile = profile
        self.passphrase_edit.clear()
        self.accept()

    def _on_ops_failed(self, exc: InspectorError) -> None:
        self._busy = False
        self._update_buttons()
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setText(words.error(exc))


def _local_time(stored: str) -> str:
    """A time the packet stores as ISO text, in the yard's local time (as stored if it is not one)."""
    try:
        at = datetime.fromisoformat(stored)
    except ValueError:
        return stored
    if at.tzinfo is None:
        return stored
    return formats.moment(at.astimezone(UTC), None)

