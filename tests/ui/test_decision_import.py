"""Importing decision files in the lots screen: one file or a whole folder, each shown with what importing it
does before anything is stored (lot, decision, signer, lot version, or why it is refused), then the
acceptable ones imported one by one; the result per file is what ``yard-inspector lots import-decision``
does with the same file."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from inspector.datadir import DataDir
from inspector.lots import packets
from inspector.states import LotState
from tests.core.lots import conftest as lots_conftest
from tests.core.lots.conftest import Yard, add_loads, snapshot
from tests.core.lots.test_packets import decide, export, foreign_signer, run_cli, tamper
from tests.ui import test_lots_ui as lots_ui
from tests.ui.test_lots_ui import WAIT_MS, Prompts, lot_state, wait_idle
from ui.models.lots import DecisionFile, DecisionFileColumn
from ui.ops import Ops
from ui.screens.lots import DecisionImportDialog, LotsWidget
from ui.theme import TOUCH_TARGET_PX

lots_template = lots_conftest.lots_template
yard = lots_conftest.yard
door = lots_ui.door


class FolderPrompts(Prompts):
    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None

    def choose_folder(self, _parent: QWidget, _title: str) -> Path | None:
        self.asked.append(("folder",))
        return self.folder


@pytest.fixture
def prompts() -> FolderPrompts:
    return FolderPrompts()


def lots_widget(qtbot: Any, door: Any, yard: Yard, prompts: FolderPrompts) -> LotsWidget:
    widget = LotsWidget(door, yard.actor("zhang.min"), clock=yard.clock,
                        ask_passphrase=prompts.ask_passphrase, choose_save_file=prompts.choose_save_file,
                        choose_open_file=prompts.choose_open_file,
                        choose_folder=prompts.choose_folder)
    lots_ui.show(qtbot, widget)
    return widget


def open_import(qtbot: Any, widget: LotsWidget) -> DecisionImportDialog:
    qtbot.mouseClick(widget.import_button, Qt.MouseButton.LeftButton)
    dialog = widget.import_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def shown(dialog: DecisionImportDialog, row: int, column: DecisionFileColumn) -> str:
    return str(dialog.model.index(row, column).data())


def copy_data_dir(yard: Yard, target: Path) -> DataDir:
    """A copy of the yard's data directory as it is now (the database through SQLite's backup, which sees
    what the open connections committed)."""
    shutil.copytree(yard.data_dir.root, target, ignore=shutil.ignore_patterns("yard.db*"))
    copy = DataDir(target)
    source = sqlite3.connect(yard.data_dir.database)
    dest = sqlite3.connect(copy.database)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()
    return copy


def cli_import(data_dir: DataDir, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run_cli(str(data_dir.root), ["import-decision", str(path), "--lang", "en"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_folder_is_previewed_then_only_the_good_decision_is_imported_as_the_cli_does(
        qtbot: Any, ops: Ops, door: Any, yard: Yard, prompts: FolderPrompts, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    good_lot, good_packet = export(yard, add_loads(yard, 1))
    other_lot, other_packet = export(yard, add_loads(yard, 1))
    genuine = decide(yard, good_packet)
    other = decide(yard, other_packet)
    carry = tmp_path / "usb"
    carry.mkdir()
    files = {
        "1-good.decision.json": packets.dumps(genuine),
        "2-altered.decision.json": tamper(other, lambda d: d["payload"].update(decision="reject")),
        "3-foreign.decision.json": packets.dumps(packets.sign_payload(
            {**other["payload"], "key_fingerprint": foreign_signer().fingerprint}, foreign_signer())),
        "4-lot.packet.json": other_packet,
    }
    for name, data in files.items():
        (carry / name).write_bytes(data)
    (carry / "notes.txt").write_text("not a json file", encoding="utf-8")
    # What the command line does with each file, on a copy of the yard as it is before the import.
    copy = copy_data_dir(yard, tmp_path / "copy")
    cli = {name: cli_import(copy, carry / name, capsys) for name in files}

    widget = lots_widget(qtbot, door, yard, prompts)
    dialog = open_import(qtbot, widget)
    for button in (dialog.file_button, dialog.folder_button, dialog.import_button, dialog.close_button,
                   widget.import_button):
        assert button.minimumHeight() >= TOUCH_TARGET_PX
    assert dialog.view.verticalHeader().defaultSectionSize() >= TOUCH_TARGET_PX
    before = snapshot(yard.data_dir)
    prompts.folder = carry
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 4, timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert snapshot(yard.data_dir) == before  # the preview stores nothing
    rows: list[DecisionFile] = dialog.rows()
    assert [r.path.name for r in rows] == list(files)

    # The good one: its lot, decision, signer and version, still current.
    assert shown(dialog, 0, DecisionFileColumn.LOT) == good_lot
    assert shown(dialog, 0, DecisionFileColumn.DECISION) == "Approval"
    assert shown(dialog, 0, DecisionFileColumn.SIGNER).startswith("赵辉 Zhao Hui")
    version = genuine["payload"]["lot_version_hash"]
    assert shown(dialog, 0, DecisionFileColumn.VERSION) == (
        f"{version[:12]}… (the lot is still at this version)")
    assert shown(dialog, 0, DecisionFileColumn.OUTCOME) == "will be recorded"
    # The altered one, as it claims to be, and why it is refused; the foreign one; the packet.
    assert shown(dialog, 1, DecisionFileColumn.LOT) == other_lot
    assert shown(dialog, 1, DecisionFileColumn.DECISION) == "Rejection"
    assert "altered after it was signed" in shown(dialog, 1, DecisionFileColumn.OUTCOME)
    assert shown(dialog, 2, DecisionFileColumn.OUTCOME).startswith("refused (")
    assert "yard" in shown(dialog, 2, DecisionFileColumn.OUTCOME)
    assert shown(dialog, 3, DecisionFileColumn.LOT) == "—"
    assert [r.preview.refusal.code if r.preview.refusal else None for r in rows] == [
        None, "packet.signature_invalid", "packet.signer_foreign", "packet.wrong_format"]
    assert "1 can be imported" in dialog.summary_label.text()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "recorded" in dialog.summary_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    rows = dialog.rows()
    assert [r.recorded is not None for r in rows] == [True, False, False, False]
    assert shown(dialog, 0, DecisionFileColumn.OUTCOME) == "recorded"
    assert not dialog.import_button.isEnabled()
    assert lot_state(yard, good_lot) == LotState.APPROVED.value
    assert lot_state(yard, other_lot) == LotState.SUBMITTED.value
    assert "checked and recorded" in widget.message_label.text()

    # The same verdicts as the command line's, file by file.
    code, out, _err = cli[rows[0].path.name]
    recorded = rows[0].recorded
    assert code == 0 and recorded is not None
    assert json.loads(out) == {"lot_no": recorded.lot_no, "decision": recorded.decision,
                               "signer": recorded.user_id, "printed_name": recorded.printed_name,
                               "version_hash": recorded.version_hash}
    for row in rows[1:]:
        code, _out, err = cli[row.path.name]
        assert row.refusal is not None
        assert code == 2 and row.refusal.message in err, (row.path.name, err)

    # Closing the import lets the lots screen go on; a new import starts empty.
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert widget.import_dialog is None
    assert open_import(qtbot, widget).model.rowCount() == 0


def test_one_file_is_previewed_then_imported_and_again_is_refused(
        qtbot: Any, ops: Ops, door: Any, yard: Yard, prompts: FolderPrompts, tmp_path: Path) -> None:
    lot_no, packet = export(yard, add_loads(yard, 1))
    path = tmp_path / f"{lot_no}.decision.json"
    path.write_bytes(packets.dumps(decide(yard, packet, decision="reject")))
    widget = lots_widget(qtbot, door, yard, prompts)
    dialog = open_import(qtbot, widget)
    prompts.open_from = path
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog.import_button.isEnabled(),
                    timeout=WAIT_MS)
    assert shown(dialog, 0, DecisionFileColumn.DECISION) == "Rejection"
    assert lot_state(yard, lot_no) == LotState.SUBMITTED.value
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "recorded" in dialog.summary_label.text(), timeout=WAIT_MS)
    wait_idle(qtbot, widget, ops)
    assert lot_state(yard, lot_no) == LotState.REJECTED.value

    # The same file a second time: the preview says it was already imported, and nothing can be imported.
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog.rows()[0].recorded is None,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.file_button.isEnabled(), timeout=WAIT_MS)
    assert "already imported" in shown(dialog, 0, DecisionFileColumn.OUTCOME)
    assert not dialog.import_button.isEnabled()
    # An empty folder says so.
    prompts.folder = tmp_path / "empty"
    prompts.folder.mkdir()
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no decision file" in dialog.summary_label.text(), timeout=WAIT_MS)
    dialog.close()
