"""The supervisors' approval queue: submitted lots with every failed check and reading of every load, the
rule set they are judged under, held loads waiting for a decision, and the signed approval or rejection.

Signing asks the supervisor's password and key passphrase in one small dialog and signs through
``inspector.services.lots.sign_decision`` on the ``Ops`` worker (four-eyes is enforced there).
On a supervisor's laptop the same screen opens an approval packet read-only ("Open packet…") and writes a
signed decision file to carry back to the yard PC.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import InspectorError, UserError
from inspector.lots import packets
from inspector.reasons import long_enough
from inspector.security import keys
from inspector.security.actor import Actor
from inspector.services import lots as svc
from inspector.storage.db import Store
from ui.models.loads import format_local
from ui.models.lots import (
    ApprovalQueueModel,
    HeldLoad,
    HeldLoadsModel,
    LotTexts,
    QueueEntry,
    RulesetOf,
    describe,
    fetch_queue,
    format_mass,
)
from ui.ops import Ops
from ui.screens.lots import (
    ERROR_STYLE,
    OpenFileChooser,
    SaveFileChooser,
    _table,
    choose_open_file,
    choose_save_file,
    default_ruleset_of,
    read_file,
    write_file,
)


@dataclass(frozen=True)
class SignatureInput:
    """What the supervisor typed to sign: the meaning of the signature and the secrets that unlock it."""

    meaning: str
    passphrase: str
    password: str = ""


# (parent, lot number, "approve" | "reject", whether the password is asked) -> the input, or None (cancel).
SignaturePrompt = Callable[[QWidget, str, str, bool], SignatureInput | None]
# (parent) -> the supervisor's PKCS#12 key file, or None when cancelled.
KeyFileChooser = Callable[[QWidget], Path | None]

PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1


class SignatureDialog(QDialog):
    """One small dialog: the meaning of the signature (prefilled), the password (on the yard PC) and the
    key passphrase. It only collects them; the service checks them."""

    def __init__(self, lot_no: str, decision: str, *, needs_password: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureDialog")
        self._decision = decision
        self._lot_no = lot_no
        self.result_input: SignatureInput | None = None
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.meaning_edit = QLineEdit(packets.default_meaning(decision, lot_no), self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_button = QPushButton(self)
        self.sign_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self._meaning_label = QLabel(self)
        self._password_label = QLabel(self)
        self._passphrase_label = QLabel(self)
        form = QFormLayout(self)
        form.addRow(self.intro_label)
        form.addRow(self._meaning_label, self.meaning_edit)
        if needs_password:
            form.addRow(self._password_label, self.password_edit)
        else:
            self.password_edit.hide()
            self._password_label.hide()
        form.addRow(self._passphrase_label, self.passphrase_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        form.addRow(self.message_label)
        self._needs_password = needs_password
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.passphrase_edit.returnPressed.connect(self._on_sign_button_clicked)
        self.retranslate()

    def retranslate(self) -> None:
        approve = self._decision == "approve"
        self.setWindowTitle(self.tr("Sign the approval") if approve else self.tr("Sign the rejection"))
        text = (self.tr("You approve lot %1. Your signature names you, the time and this exact version of "
                        "the lot.") if approve else
                self.tr("You reject lot %1. Your signature names you, the time and this exact version of the "
                        "lot."))
        self.intro_label.setText(text.replace("%1", self._lot_no))
        self._meaning_label.setText(self.tr("Meaning of your signature"))
        self._password_label.setText(self.tr("Your password"))
        self._passphrase_label.setText(self.tr("Your key passphrase"))
        self.sign_button.setText(self.tr("Sign"))
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_sign_button_clicked(self) -> None:
        if not long_enough(self.meaning_edit.text()):
            self.message_label.setText(self.tr("Say in a few words what your signature means."))
            return
        if self._needs_password and not self.password_edit.text():
            self.message_label.setText(self.tr("Type your password."))
            return
        if not self.passphrase_edit.text():
            self.message_label.setText(self.tr("Type the passphrase of your signing key."))
            return
        self.result_input = SignatureInput(meaning=self.meaning_edit.text().strip(),
                                           passphrase=self.passphrase_edit.text(),
                                           password=self.password_edit.text())
        self.accept()


def ask_signature(parent: QWidget, lot_no: str, decision: str, needs_password: bool) -> SignatureInput | None:
    dialog = SignatureDialog(lot_no, decision, needs_password=needs_password, parent=parent)
    return dialog.result_input if dialog.exec() == QDialog.DialogCode.Accepted else None


def key_file_chooser(data_dir: DataDir) -> KeyFileChooser:
    """The only personal key file in the data directory's keys folder, else the file the user picks."""

    def choose(parent: QWidget) -> Path | None:
        folder = data_dir.keys
        found = sorted(p for p in folder.glob("*.p12") if p.name != keys.CA_FILE) if folder.is_dir() else []
        if len(found) == 1:
            return found[0]
        title = QCoreApplication.translate("ApprovalQueueWidget", "Your signing key file")
        name, _filter = QFileDialog.getOpenFileName(parent, title, str(folder), "PKCS#12 (*.p12 *.pfx)")
        return Path(name) if name else None

    return choose


@dataclass(frozen=True)
class OpenPacket:
    """A packet opened read-only on this computer, after checking its signature against the yard CA."""

    path: Path
    data: bytes
    content: dict[str, Any]

    @property
    def lot_no(self) -> str:
        return str(self.content["lot_document"]["lot"]["lot_no"])


@dataclass(frozen=True)
class SignedResult:
    lot_no: str
    decision: str
    printed_name: str
    signed_at: str
    version_hash: str
    meaning: str
    file: Path | None = None


def fetch_lot_detail(store: Store, lot_no: str, ruleset_of: RulesetOf) -> dict[str, Any]:
    with store.session() as s:
        lot = svc.get_lot(s, lot_no)
        return svc.lot_detail(s, lot, ruleset_of(lot.ruleset_id, lot.ruleset_version))


def read_packet_file(data_dir: DataDir, path: Path) -> OpenPacket:
    """Read a packet and check it against the yard CA certificate kept beside the supervisor's key."""
    ca_path = data_dir.keys / keys.CA_CERT_FILE
    if not ca_path.exists():
        raise UserError(f"There is no yard CA certificate at {ca_path}, so the packet cannot be checked.",
                        field="ca", hint="Copy the yard's yard-ca.pem into that folder.")
    ca_pem = read_file(ca_path, field="ca").decode("ascii", errors="replace")
    data = read_file(path, field="packet")
    try:
        content = svc.read_packet(data, ca_pem=ca_pem)
    except ValueError:
        raise UserError(f"{ca_path} is not a PEM certificate.", field="ca") from None
    return OpenPacket(path=path, data=data, content=content)


class ApprovalQueueWidget(QWidget):
    """Submitted lots on the left, everything about the selected one on the right, held loads below.

    Signals:
        decision_signed(str): a decision on the lot (its number) was signed here (or written to a file).
    """

    decision_signed = Signal(str)

    def __init__(self, store: Store, ops: Ops, actor: Actor, *, data_dir: DataDir, clock: Clock | None = None,
                 ruleset_of: RulesetOf | None = None, ask_signature: SignaturePrompt = ask_signature,
                 choose_open_file: OpenFileChooser = choose_open_file,
                 choose_save_file: SaveFileChooser = choose_save_file,
                 choose_key_file: KeyFileChooser | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ops = ops
        self._actor = actor
        self._data_dir = data_dir
        self.photo_viewer: QLabel | None = None
        self._clock = clock or Clock()
        self._ruleset_of = ruleset_of or default_ruleset_of(data_dir)
        self._ask_signature = ask_signature
        self._choose_open_file = choose_open_file
        self._choose_save_file = choose_save_file
        self._choose_key_file = choose_key_file or key_file_chooser(data_dir)
        self._texts = LotTexts(self)
        self._busy = 0
        self._detail: dict[str, Any] | None = None
        self._result: SignedResult | None = None
        self.packet: OpenPacket | None = None
        self.setObjectName("approvalQueue")

        self.queue_model = ApprovalQueueModel(self)
        self.held_model = HeldLoadsModel(self)
        self.mode_label = QLabel(self)
        self.mode_label.setWordWrap(True)
        self.queue_view = _table(self, "approvalQueueTable", multi=False)
        self.queue_view.setModel(self.queue_model)
        self.detail_tree = QTreeWidget(self)
        self.detail_tree.setObjectName("lotDetailTree")
        self.detail_tree.setHeaderHidden(True)
        self.detail_tree.itemDoubleClicked.connect(self._on_detail_tree_item_double_clicked)
        self.detail_tree.setWordWrap(True)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("approveButton")
        self.reject_button = QPushButton(self)
        self.reject_button.setObjectName("rejectButton")
        self.refresh_button = QPushButton(self)
        self.open_packet_button = QPushButton(self)
        self.close_packet_button = QPushButton(self)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("signedResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.held_box = QGroupBox(self)
        self.held_view = _table(self.held_box, "heldLoadsTable", multi=False)
        self.held_view.setModel(self.held_model)
        self.comment_edit = QLineEdit(self.held_box)
        self.comment_edit.setObjectName("heldComment")
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
        for button in (self.open_packet_button, self.close_packet_button, self.refresh_button):
            actions.addWidget(button)
        held = QVBoxLayout(self.held_box)
        held.addWidget(self.held_view, 1)
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
        self.queue_view.selectionModel().selectionChanged.connect(self._on_queue_view_selection_changed)
        self.held_view.selectionModel().selectionChanged.connect(self._on_held_view_selection_changed)
        self.approve_button.clicked.connect(lambda: self.decide("approve"))
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.refresh_button.clicked.connect(self.refresh)
        self.open_packet_button.clicked.connect(self.open_packet)
        self.close_packet_button.clicked.connect(self.close_packet)
        self.release_button.clicked.connect(lambda: self.decide_held("release"))
        self.reject_load_button.clicked.connect(lambda: self.decide_held("reject"))

    # --- language -----------------------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Approvals")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.approve_button.setText(self.tr("Approve…"))
        self.reject_button.setText(self.tr("Reject…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.open_packet_button.setText(self.tr("Open packet…"))
        self.close_packet_button.setText(self.tr("Back to the queue"))
        self.held_box.setTitle(self.tr("Held loads waiting for a supervisor's decision"))
        self.comment_edit.setPlaceholderText(
            self.tr("Comment (required to release: why the load may be used)"))
        self.release_button.setText(self.tr("Release into lots"))
        self.reject_load_button.setText(self.tr("Reject the load"))
        self.queue_model.retranslate()
        self.held_model.retranslate()
        self._show_mode()
        self._show_detail()
        self._show_result()
        self._update_buttons()

    # --- reading ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        store, ruleset_of = self._store, self._ruleset_of
        self._start(lambda: fetch_queue(store, ruleset_of), self._on_ops_queue_read)

    def _on_ops_queue_read(self, result: tuple[list[QueueEntry], list[HeldLoad]]) -> None:
        self._finish()
        entries, held = result
        selected = self.selected_lot_no()
        self.queue_model.set_rows(entries)
        self.held_model.set_rows(held)
        if selected and self.queue_model.find(selected) >= 0:
            self.select_lot(selected)
        elif self.packet is None:
            self._detail = None
            self._show_detail()
        self.queue_view.resizeColumnsToContents()
        self.held_view.resizeColumnsToContents()
        self._show_mode()
        self._update_buttons()

    def selected_lot_no(self) -> str | None:
        rows = self.queue_view.selectionModel().selectedRows()
        return self.queue_model.row(rows[0].row()).lot_no if rows else None

    def select_lot(self, lot_no: str) -> None:
        number = self.queue_model.find(lot_no)
        if number >= 0:
            self.queue_view.selectRow(number)

    def _on_queue_view_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        lot_no = self.selected_lot_no()
        if lot_no is None or self.packet is not None:
            return
        store, ruleset_of = self._store, self._ruleset_of
        self._ops.run(lambda: fetch_lot_detail(store, lot_no, ruleset_of),
                      lambda detail: self._on_ops_detail_read(lot_no, detail), self._on_ops_read_failed,
                      owner=self)

    def _on_ops_detail_read(self, lot_no: str, detail: dict[str, Any]) -> None:
        if self.packet is not None or self.selected_lot_no() != lot_no:
            return
        self._detail = detail
        self._show_detail()

    def _on_ops_read_failed(self, exc: InspectorError) -> None:
        self.show_message(describe(exc), error=True)

    def _on_held_view_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()

    # --- showing ------------------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        if self.packet is not None:
            content = self.packet.content
            self.mode_label.setText(
                self.tr("Approval packet of lot %1 (read-only), exported by %2 at %3; its signature was "
                        "checked against the yard's certificate authority.")
                .replace("%1", self.packet.lot_no).replace("%2", str(content.get("exported_by", "")))
                .replace("%3", str(content.get("exported_at", ""))))
        else:
            count = self.queue_model.rowCount()
            self.mode_label.setText(self.tr("%n lot(s) wait for a decision.", "", count))
        self.queue_view.setVisible(self.packet is None)
        self.held_box.setVisible(self.packet is None)
        self.close_packet_button.setVisible(self.packet is not None)

    def photo_bytes(self, sha: str) -> bytes | None:
        """A photo of a load by its SHA-256: carried in the open packet, or stored in the data directory."""
        if self.packet is not None:
            carried = (self.packet.content.get("photos") or {}).get(sha)
            return base64.b64decode(carried) if carried else None
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
            content = self.packet.content
            rs = content.get("ruleset", {})
            self._fill_tree(content["lot_document"], content.get("balance", {}),
                            f"{rs.get('id', '')} {rs.get('version', '')}", str(content["lot_version_hash"]),
                            approvals=(), photos=content.get("photos", {}))
            return
        if self._detail is None:
            hint = self.tr("Select a lot to see its loads, findings and readings.")
            QTreeWidgetItem(self.detail_tree, [hint])
            return
        doc = self._detail["document"]
        rs = doc["lot"].get("ruleset", {})
        self._fill_tree(doc, self._detail["balance"], f"{rs.get('id', '')} {rs.get('version', '')}",
                        str(self._detail["version_hash"]), approvals=self._detail.get("approvals", ()),
                        photos=None)

    def _fill_tree(self, doc: Mapping[str, Any], balance: Mapping[str, Any], ruleset: str, version_hash: str,
                   *, approvals: Sequence[Mapping[str, Any]], photos: Mapping[str, Any] | None) -> None:
        lot = doc["lot"]
        supplier = lot.get("supplier", {})
        tree = self.detail_tree
        head = QTreeWidgetItem(tree, [self.tr("Lot %1: %2 from %3").replace("%1", str(lot["lot_no"]))
                                      .replace("%2", str(lot["category"]))
                                      .replace("%3", str(supplier.get("name", "")))])
        head.setExpanded(True)
        QTreeWidgetItem(head, [self.tr("Rule set: %1").replace("%1", ruleset)])
        QTreeWidgetItem(head, [self.tr("Net %1, dry mass %2, contained REO %3, TREO %4 %, grade %5")
                               .replace("%1", format_mass(balance.get("net")))
                               .replace("%2", format_mass(balance.get("dry")))
                               .replace("%3", format_mass(balance.get("reo")))
                               .replace("%4", str(balance.get("treo_pct") or "—"))
                               .replace("%5", str(balance.get("grade") or "—"))])
        QTreeWidgetItem(head, [self.tr("Version signed: %1").replace("%1", version_hash)])
        for a in approvals:
            text = self.tr("%1 by %2 at %3: %4").replace("%1", self._texts.decision(str(a["decision"]))) \
                .replace("%2", str(a["printed_name"])).replace("%3", str(a["signed_at"])) \
                .replace("%4", str(a["meaning"]))
            if a.get("voided"):
                text += " " + self.tr("(void: %1)").replace("%1", str(a.get("void_reason") or ""))
            QTreeWidgetItem(head, [text])
        for load in doc["loads"]:
            self._add_load(load, photos)

    def _add_load(self, load: Mapping[str, Any], photos: Mapping[str, Any] | None) -> None:
        unit = str(load.get("weight_unit") or "kg")
        outcome = self._texts.outcome(load.get("outcome"))
        grade = load.get("grade") or ""
        item = QTreeWidgetItem(self.detail_tree, [
            self.tr("Load %1: %2 of %3 net, %4").replace("%1", str(load["ticket_no"]))
            .replace("%2", format_mass(load.get("share"), unit))
            .replace("%3", format_mass(load.get("net"), unit))
            .replace("%4", f"{outcome} {grade}".strip())])
        item.setExpanded(True)
        classification = load.get("classification") or {}
        findings = [f for f in (classification.get("findings") or [])
                    if isinstance(f, Mapping) and not f.get("passed", False)]
        checks = QTreeWidgetItem(item, [self.tr("Failed checks: %n", "", len(findings))])
        checks.setExpanded(True)
        for f in findings:
            clause = f" ({f['clause']})" if f.get("clause") else ""
            measured = f.get("rounded") if f.get("rounded") not in (None, "") else f.get("measured")
            text = f"{f.get('rule', '')}{clause}: {f.get('message', '')}"
            if measured not in (None, "") or f.get("limit") not in (None, ""):
                text += " " + self.tr("(measured %1, limit %2)").replace("%1", str(measured)) \
                    .replace("%2", str(f.get("limit")))
            QTreeWidgetItem(checks, [text])
        if classification.get("error"):
            QTreeWidgetItem(checks, [str(classification["error"])])
        attributes = load.get("attributes") or {}
        readings = QTreeWidgetItem(item, [self.tr("Readings: %n", "", len(attributes))])
        for key in sorted(attributes):
            QTreeWidgetItem(readings, [f"{key}: {attributes[key]}"])
        held = load.get("held_decision")
        if held:
            text = self.tr("Held load released by %1: %2").replace("%1", str(held["decided_by"]))
            QTreeWidgetItem(item, [text.replace("%2", str(held["comment"]))])
        shas = list(load.get("photos") or [])
        if photos is None:
            text = self.tr("Photos: %n", "", len(shas))
        else:
            carried = sum(1 for sha in shas if photos.get(sha) is not None)
            text = self.tr("Photos: %n (%1 carried in the packet)", "", len(shas)).replace("%1", str(carried))
        photos_item = QTreeWidgetItem(item, [text])
        for sha in shas:
            # Double-click shows the photo (from the data directory, or carried in the packet).
            label = self.tr("Photo %1… (double-click to view)").replace("%1", sha[:16])
            child = QTreeWidgetItem(photos_item, [label])
            child.setData(0, PHOTO_ROLE, sha)

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
        store, actor, clock, data_dir, ruleset_of = (self._store, self._actor, self._clock, self._data_dir,
                                                     self._ruleset_of)

        def job() -> SignedResult:
            with store.session() as s:
                found = svc.get_lot(s, lot_no)
                approval = svc.sign_decision(
                    s, actor=actor, clock=clock, data_dir=data_dir,
                    ruleset=ruleset_of(found.ruleset_id, found.ruleset_version), lot_no=lot_no,
                    decision=decision, meaning=typed.meaning, password=typed.password,
                    passphrase=typed.passphrase)
                return SignedResult(lot_no=lot_no, decision=approval.decision,
                                    printed_name=approval.printed_name,
                                    signed_at=format_local(approval.signed_at, approval.signed_offset),
                                    version_hash=approval.version_hash, meaning=approval.meaning)

        self.show_message(self.tr("Signing…"))
        self._start(job, self._on_ops_signed)

    def _on_ops_signed(self, result: SignedResult) -> None:
        self._finish()
        self._result = result
        self._show_result()
        self.show_message("")
        self.decision_signed.emit(result.lot_no)
        if self.packet is None:
            self.refresh()

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
        store, clock = self._store, self._clock

        def job() -> SignedResult:
            signer = packets.signer_from_pkcs12(read_file(key_path, field="key"), typed.passphrase)
            with store.session() as s:
                data, payload = svc.decide_packet(s, clock=clock, packet_data=packet.data, signer=signer,
                                                  decision=decision, meaning=typed.meaning)
                # Written inside the transaction: without the file, the laptop records no decision either.
                write_file(out, data)
            signed_at = packets.parse_time(payload["signed_at"], what="decision")
            return SignedResult(lot_no=str(payload["lot_no"]), decision=decision,
                                printed_name=str(payload["printed_name"]),
                                signed_at=format_local(signed_at, int(payload["offset_minutes"])),
                                version_hash=str(payload["lot_version_hash"]),
                                meaning=str(payload["meaning"]), file=out)

        self.show_message(self.tr("Signing…"))
        self._start(job, self._on_ops_signed)

    def open_packet(self) -> None:
        """Open an approval packet read-only (on a supervisor's laptop) after checking its signature."""
        path = self._choose_open_file(self, self.tr("Open an approval packet"))
        if path is None:
            return
        data_dir = self._data_dir
        self._start(lambda: read_packet_file(data_dir, path), self._on_ops_packet_read)

    def _on_ops_packet_read(self, packet: OpenPacket) -> None:
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
        store, actor, clock = self._store, self._actor, self._clock

        def job() -> None:
            with store.session() as s:
                svc.decide_held_load(s, actor=actor, clock=clock, load_id=held.load_id, decision=decision,
                                     comment=comment)

        def done(_result: None) -> None:
            self._finish()
            self.comment_edit.clear()
            self.show_message((self.tr("Load %1 released: it may now join a lot.") if decision == "release"
                               else self.tr("Load %1 rejected.")).replace("%1", held.ticket_no))
            self.refresh()

        self._start(job, done)
