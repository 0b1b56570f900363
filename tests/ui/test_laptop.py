"""The supervisor's laptop through its windows, in three data directories: the yard PC exports the
supervisor's bundle and a packet, an empty folder becomes a laptop from the bundle, the laptop's desk
shows the lot and signs a decision file, and the yard imports it. Bad packets (altered, another yard's,
expired, unreadable) are refused with their reason."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.lots import packets
from inspector.lots.bundle import LaptopProfile
from inspector.security.actor import Actor
from inspector.security.audit import record_change
from inspector.services import lots as svc
from inspector.states import LotState
from inspector.storage.db import open_store
from inspector.storage.models.intake import LoadPhoto
from tests.core.lots import conftest as lots_conftest
from tests.core.lots.conftest import PASSPHRASES, Yard, add_loads
from tests.core.lots.test_packets import foreign_signer
from tests.ui.test_lots_ui import Prompts, lot_state, lots_widget, show, submitted_lot, wait_idle
from ui.ops import Door, Ops
from ui.screens.approvals import ApprovalQueueWidget
from ui.screens.laptop import LaptopDeskWidget, LaptopSetupDialog, LaptopWindow

lots_template = lots_conftest.lots_template
yard = lots_conftest.yard

WAIT_MS = 15_000
SUPERVISOR = "zhao.hui"


@pytest.fixture
def prompts() -> Prompts:
    return Prompts()


@pytest.fixture
def door(ops: Ops, yard: Yard) -> Iterator[Door]:
    instance = Door(ops, yard.store, watch_ms=None)
    yield instance
    instance.stop_watching()


def png() -> bytes:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(QByteArray(buffer.data()).data())


def add_photo(yard: Yard, load_id: int, blob: bytes) -> str:
    sha = hashlib.sha256(blob).hexdigest()
    (yard.data_dir.photos / f"{sha}.png").write_bytes(blob)
    with yard.store.session() as s:
        record_change(s, LoadPhoto(load_id=load_id, step="gate", sha256=sha, size=len(blob), suffix=".png",
                                   added_by="li.wei", added_at=yard.clock.now().utc),
                      actor=Actor("li.wei", "Li Wei"), action="load.photo", clock=yard.clock)
    return sha


def export_bundle_on_the_yard_pc(qtbot: Any, ops: Ops, door: Door, yard: Yard, prompts: Prompts,
                                 out: Path) -> None:
    queue = ApprovalQueueWidget(door, yard.actor(SUPERVISOR), clock=yard.clock,
                                ask_signature=prompts.ask_signature,
                                choose_open_file=prompts.choose_open_file,
                                choose_save_file=prompts.choose_save_file,
                                ask_passphrase=prompts.ask_passphrase)
    show(qtbot, queue)
    assert queue.export_bundle_button.isVisible()
    prompts.passphrase = PASSPHRASES[SUPERVISOR]
    prompts.save_to = out
    qtbot.mouseClick(queue.export_bundle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Your laptop bundle is" in queue.message_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, queue, ops)
    assert out.is_file() and ("save", str(Path.home() / "zhao.hui.bundle.json")) in prompts.asked


def set_up_laptop(qtbot: Any, ops: Ops, bundle: Path, root: Path) -> LaptopProfile:
    data_dir = DataDir(root)
    assert data_dir.is_empty
    dialog = LaptopSetupDialog(ops, data_dir, choose_open_file=lambda _p, _t: bundle)
    qtbot.addWidget(dialog)
    assert not dialog.setup_button.isEnabled()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    dialog.passphrase_edit.setText("not my passphrase")
    dialog.passphrase_edit.textEdited.emit("x")
    qtbot.mouseClick(dialog.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Wrong passphrase" in dialog.message_label.text(), timeout=WAIT_MS)
    assert not data_dir.is_laptop
    dialog.passphrase_edit.setText(PASSPHRASES[SUPERVISOR])
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.setup_button, Qt.MouseButton.LeftButton)
    assert dialog.profile is not None and data_dir.is_laptop
    return dialog.profile


@pytest.fixture
def laptop_store(tmp_path: Path) -> Iterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for store in opened:
        store.close()


def desk(qtbot: Any, ops: Ops, root: Path, profile: LaptopProfile, clock: FixedClock, opened: list[Any],
         open_from: list[Path]) -> LaptopDeskWidget:
    store = open_store(DataDir(root), backup=False)
    opened.append(store)
    widget = LaptopDeskWidget(Door(ops, store, watch_ms=None), profile, clock=clock,
                              choose_open_file=lambda _p, _t: open_from[-1],
                              choose_save_file=lambda _p, _t, _s: None)
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.idle, timeout=WAIT_MS)
    return widget


def test_the_round_trip_through_the_windows_in_three_data_directories(
        qtbot: Any, ops: Ops, door: Door, yard: Yard, prompts: Prompts, tmp_path: Path,
        laptop_store: list[Any]) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    ids = add_loads(yard, 2)
    sha = add_photo(yard, ids[0], png())
    lot_no = submitted_lot(yard, ids)

    # 1. The yard PC: the supervisor exports their bundle, and a packet of the lot.
    bundle = usb / "zhao.hui.bundle.json"
    export_bundle_on_the_yard_pc(qtbot, ops, door, yard, prompts, bundle)
    yard_pc = lots_widget(qtbot, door, yard, prompts, "zhang.min")
    yard_pc.select_lots([lot_no])
    qtbot.waitUntil(lambda: yard_pc.export_button.isEnabled(), timeout=WAIT_MS)
    packet = usb / f"{lot_no}.packet.json"
    prompts.passphrase = PASSPHRASES["zhang.min"]
    prompts.save_to = packet
    qtbot.mouseClick(yard_pc.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(packet.is_file, timeout=WAIT_MS)
    wait_idle(qtbot, yard_pc, ops)

    # 2. The laptop: an empty folder, set up from the bundle.
    laptop = tmp_path / "laptop"
    profile = set_up_laptop(qtbot, ops, bundle, laptop)
    assert (profile.user_id, profile.packet_valid_days) == (SUPERVISOR, 14)

    # 3. The laptop's desk: the lot as the approval queue shows it, photos zoomable, then the decision.
    clock = FixedClock(yard.clock.now().utc)
    clock.advance(hours=3)
    on_laptop = desk(qtbot, ops, laptop, profile, clock, laptop_store, [packet])
    assert "赵辉 Zhao Hui" in on_laptop.header_label.text() and "14 day" in on_laptop.header_label.text()
    assert not on_laptop.sign_button.isEnabled()
    qtbot.mouseClick(on_laptop.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_laptop.packet is not None, timeout=WAIT_MS)
    # When it was exported reads as the yard's local time, not as ISO text.
    assert "T0" not in on_laptop.packet_label.text() and "+00:00" not in on_laptop.packet_label.text()
    tree = on_laptop.lot_tree
    assert tree.topLevelItemCount() == 3
    head = tree.topLevelItem(0)
    assert head is not None and lot_no in head.text(0)
    assert any("Net " in (head.child(i).text(0)) for i in range(head.childCount()))  # the mass balance
    first_load = tree.topLevelItem(1)
    assert first_load is not None and "Failed checks" in first_load.child(0).text(0)
    on_laptop.show_photo(sha)
    photo = on_laptop.photo_dialog
    assert photo is not None and photo.zoom == 0.0
    qtbot.mouseClick(photo.zoom_in_button, Qt.MouseButton.LeftButton)
    zoomed = photo.image.pixmap().width()
    assert photo.zoom > 0
    qtbot.mouseClick(photo.zoom_out_button, Qt.MouseButton.LeftButton)
    assert photo.image.pixmap().width() < zoomed
    photo.close()

    assert on_laptop.out == usb / f"{lot_no}.decision.json"
    qtbot.mouseClick(on_laptop.approve_button, Qt.MouseButton.LeftButton)
    assert on_laptop.meaning_edit.text() == packets.default_meaning("approve", lot_no, "en")
    assert not on_laptop.reason_edit.isEnabled()
    qtbot.keyClicks(on_laptop.passphrase_edit, PASSPHRASES[SUPERVISOR])
    qtbot.mouseClick(on_laptop.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_laptop.result is not None and bool(on_laptop.decided), timeout=WAIT_MS)
    assert "take it back to the yard PC" in on_laptop.result_label.text()
    assert on_laptop.decided_view.topLevelItemCount() == 1
    listed = on_laptop.decided_view.topLevelItem(0)
    assert listed is not None and listed.text(0) == lot_no and listed.text(1) == "Approval"
    decision = usb / f"{lot_no}.decision.json"
    assert decision.is_file() and on_laptop.passphrase_edit.text() == ""
    assert str(tmp_path) not in decision.read_text(encoding="utf-8")
    # The laptop holds the supervisor's key and the yard CA, no other user's.
    assert sorted(p.name for p in DataDir(laptop).keys.iterdir()) == sorted(["yard-ca.pem", profile.key_file])

    # 4. Back at the yard: the decision imports.
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value
    with yard.store.session() as s:
        svc.import_decision_file(s, clock=yard.clock, path=decision, data_dir=yard.data_dir)
    assert lot_state(yard, lot_no) == LotState.APPROVED.value


def test_a_rejection_needs_a_reason_which_the_signature_covers(
        qtbot: Any, ops: Ops, yard: Yard, tmp_path: Path, laptop_store: list[Any]) -> None:
    lot_no, packet, profile, clock = _laptop_with_packet(yard, tmp_path)
    on_laptop = desk(qtbot, ops, tmp_path / "laptop", profile, clock, laptop_store, [packet])
    on_laptop.open_path(packet)
    qtbot.waitUntil(lambda: on_laptop.packet is not None and on_laptop.idle, timeout=WAIT_MS)
    qtbot.mouseClick(on_laptop.reject_button, Qt.MouseButton.LeftButton)
    assert on_laptop.meaning_edit.text() == packets.default_meaning("reject", lot_no, "en")
    on_laptop.passphrase_edit.setText(PASSPHRASES[SUPERVISOR])
    qtbot.mouseClick(on_laptop.sign_button, Qt.MouseButton.LeftButton)
    assert "needs a reason" in on_laptop.message_label.text() and on_laptop.result is None
    qtbot.keyClicks(on_laptop.reason_edit, "Moisture far above the contract's limit")
    qtbot.mouseClick(on_laptop.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_laptop.result is not None, timeout=WAIT_MS)
    payload = json.loads((tmp_path / f"{lot_no}.decision.json").read_bytes())["payload"]
    assert payload["decision"] == "reject" and "Moisture far above" in payload["meaning"]
    qtbot.waitUntil(lambda: on_laptop.idle, timeout=WAIT_MS)


def _laptop_with_packet(yard: Yard, tmp_path: Path) -> tuple[str, Path, LaptopProfile, FixedClock]:
    """A laptop set up from zhao.hui's bundle (by the core) and a packet exported on the yard."""
    from inspector.lots import bundle as core_bundle
    from inspector.security import keys

    lot_no = submitted_lot(yard, add_loads(yard, 1))
    with yard.store.session() as s:
        signer = keys.load_signer(s, data_dir=yard.data_dir, username="zhang.min",
                                  passphrase=PASSPHRASES["zhang.min"], clock=yard.clock)
        data, _row = svc.export_packet(s, actor=yard.actor("zhang.min"), clock=yard.clock,
                                       data_dir=yard.data_dir, lot_no=lot_no, signer=signer)
        bundle_file = core_bundle.export_supervisor_bundle(
            s, actor=yard.actor(SUPERVISOR), clock=yard.clock, data_dir=yard.data_dir,
            passphrase=PASSPHRASES[SUPERVISOR], out=tmp_path / "bundle.json")
    packet = tmp_path / f"{lot_no}.packet.json"
    packet.write_bytes(data)
    profile = core_bundle.setup_laptop(bundle_file.read_bytes(), passphrase=PASSPHRASES[SUPERVISOR],
                                       data_dir=DataDir(tmp_path / "laptop"))
    clock = FixedClock(yard.clock.now().utc)
    clock.advance(hours=1)
    return lot_no, packet, profile, clock


def _altered(packet: Path) -> bytes:
    document = json.loads(packet.read_bytes())
    document["content"]["balance"]["grade"] = "A"
    return packets.dumps(document)


def _foreign(packet: Path) -> bytes:
    document = json.loads(packet.read_bytes())
    resealed = packets.seal("content", packets.PACKET_FORMAT, document["content"], foreign_signer())
    return packets.dumps(resealed)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("altered", "altered after it was signed"),
        ("foreign", "not issued by this yard's certificate authority"),
        ("expired", "This approval packet expired"),
        ("garbage", "it is not readable JSON"),
        ("missing", "Cannot read"),
    ],
)
def test_a_bad_packet_is_refused_with_its_reason(qtbot: Any, ops: Ops, yard: Yard, tmp_path: Path,
                                                laptop_store: list[Any], kind: str, reason: str) -> None:
    _lot_no, packet, profile, clock = _laptop_with_packet(yard, tmp_path)
    bad = tmp_path / "bad.packet.json"
    if kind == "altered":
        bad.write_bytes(_altered(packet))
    elif kind == "foreign":
        bad.write_bytes(_foreign(packet))
    elif kind == "expired":
        bad = packet
        clock.advance(days=15)
    elif kind == "garbage":
        bad.write_bytes(b"\xff\xfe not a packet")
    on_laptop = desk(qtbot, ops, tmp_path / "laptop", profile, clock, laptop_store, [bad])
    # Opened by dropping the file on the desk.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    on_laptop.dropEvent(drop)
    qtbot.waitUntil(lambda: on_laptop.idle and "refused" in on_laptop.message_label.text(), timeout=WAIT_MS)
    assert reason in on_laptop.message_label.text()
    assert on_laptop.packet is None and not on_laptop.sign_button.isEnabled()
    assert on_laptop.lot_tree.topLevelItemCount() == 1


def test_the_laptop_window_holds_the_desk_and_follows_a_language_change(
        qtbot: Any, ops: Ops, yard: Yard, tmp_path: Path, laptop_store: list[Any]) -> None:
    _lot_no, _packet, profile, clock = _laptop_with_packet(yard, tmp_path)
    store = open_store(DataDir(tmp_path / "laptop"), backup=False)
    laptop_store.append(store)
    window = LaptopWindow(Door(ops, store, watch_ms=None), profile, clock=clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.desk.idle, timeout=WAIT_MS)
    assert window.desk.title() == "Approval desk" and window.acceptDrops()
    window.desk.open_button.setText("")
    QCoreApplication.sendEvent(window.desk, QEvent(QEvent.Type.LanguageChange))
    assert window.desk.open_button.text() == "Open a packet…"


def test_the_window_starts_straight_into_the_desk_on_a_laptop(qtbot: Any, ops: Ops, yard: Yard,
                                                              tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui import app as app_module

    _laptop_with_packet(yard, tmp_path)
    laptop = DataDir(tmp_path / "laptop")
    assert laptop.is_laptop and not laptop.is_empty
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    seen: list[LaptopWindow] = []

    def look() -> None:
        seen.extend(w for w in application.topLevelWidgets() if isinstance(w, LaptopWindow) and w.isVisible())
        application.exit(0)

    QTimer.singleShot(0, look)
    crash = app_module.CrashHandler(show_dialog=False, quit_app=lambda _code: None)
    assert app_module.run_laptop(application, ops, laptop, crash) == 0
    assert [w.desk.profile.user_id for w in seen] == [SUPERVISOR]
