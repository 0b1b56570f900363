"""The weigh ticket dialog: the preview of the next ticket, the three paper buttons (remembered and audited),
printing to a PDF printer offscreen at the ticket's page size, saving as PDF, every print counted."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from inspector.changes import Change
from inspector.errors import InspectorError
from inspector.services import tickets as svc
from inspector.storage.models.audit import AuditEvent
from tests.core.certificates.ticket_yard import INSPECTOR_ACTOR, TicketYard, build_ticket_yard, weigh_out
from ui.ops import Door, Ops
from ui.screens.ticket import TicketDialog, open_ticket
from ui.theme import TOUCH_TARGET_PX

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def tyard(tmp_path: Path) -> Iterator[TicketYard]:
    yard = build_ticket_yard(tmp_path / "yard")
    weigh_out(yard)
    yield yard
    yard.store.close()


@pytest.fixture
def tdoor(tyard: TicketYard, ops: Ops) -> Iterator[Door]:
    door = Door(ops, tyard.store, watch_ms=None)
    yield door
    door.stop_watching()


class Prompts:
    """Answers the dialog's questions instead of modal dialogs."""

    def __init__(self, tmp_path: Path) -> None:
        self.printer_file = tmp_path / "printed.pdf"
        self.saved_file: Path | None = tmp_path / "saved-ticket"
        self.errors: list[InspectorError] = []

    def choose_printer(self, _parent: QWidget) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.printer_file))
        return printer

    def choose_file(self, _parent: QWidget, _title: str, suggested: str) -> Path | None:
        self.suggested = suggested
        return self.saved_file


def make_dialog(qtbot: Any, tyard: TicketYard, door: Door, prompts: Prompts) -> TicketDialog:
    dialog = open_ticket(None, door=door, actor=INSPECTOR_ACTOR, clock=tyard.clock, data_dir=tyard.data_dir,
                         load_id=tyard.load_id, choose_printer=prompts.choose_printer,
                         choose_file=prompts.choose_file, show_error=prompts.errors.append)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.sheet is not None)
    return dialog


def prints(tyard: TicketYard) -> list[dict[str, Any]]:
    with tyard.store.session() as session:
        events = session.execute(sa.select(AuditEvent).where(AuditEvent.action == "ticket.print")
                                 .order_by(AuditEvent.seq)).scalars().all()
        return [dict(e.new) for e in events]


def test_the_dialog_previews_the_next_ticket_and_counts_nothing(qtbot: Any, tyard: TicketYard, tdoor: Door,
                                                                 tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, tyard, tdoor, Prompts(tmp_path))
    assert dialog.sheet is not None and dialog.sheet.copy == 1 and dialog.sheet.signed
    assert dialog.paper == "a4" and dialog.paper_buttons["a4"].isChecked()
    pixmap = dialog.page_label.pixmap()
    assert not pixmap.isNull() and pixmap.width() == 420
    assert "T2026-000001" in dialog.windowTitle()
    buttons = (dialog.print_button, dialog.save_button, dialog.close_button, *dialog.paper_buttons.values())
    for button in buttons:
        assert button.minimumHeight() >= TOUCH_TARGET_PX and button.isEnabled()
    assert prints(tyard) == []


def test_print_paints_the_ticket_onto_the_printer_and_counts_it(qtbot: Any, tyard: TicketYard, tdoor: Door,
                                                                 tmp_path: Path) -> None:
    prompts = Prompts(tmp_path)
    dialog = make_dialog(qtbot, tyard, tdoor, prompts)
    with qtbot.waitSignal(dialog.printed, timeout=20_000) as printed:
        dialog.print_button.click()
    assert printed.args[0].copy == 1
    reader = PdfReader(prompts.printer_file)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    assert [(p["copy"], p["paper"], p["output"]) for p in prints(tyard)] == [(1, "a4", "paper")]
    # The preview now shows what the next print will be: a COPY.
    qtbot.waitUntil(lambda: dialog.sheet is not None and dialog.sheet.copy == 2 and not dialog._busy)
    assert "COPY 2" in dialog.status_label.text()


def test_the_80mm_roll_is_chosen_remembered_and_printed_at_its_own_length(
        qtbot: Any, tyard: TicketYard, tdoor: Door, tmp_path: Path) -> None:
    prompts = Prompts(tmp_path)
    dialog = make_dialog(qtbot, tyard, tdoor, prompts)
    with qtbot.waitSignal(dialog.previewed, timeout=20_000):
        dialog.paper_buttons["80mm"].click()
    assert dialog.paper == "80mm" and dialog.sheet is not None and dialog.sheet.paper == "80mm"
    assert dialog.paper_buttons["80mm"].isChecked() and not dialog.paper_buttons["a4"].isChecked()
    with tyard.store.session() as session:
        assert svc.ticket_paper(session) == "80mm"
        changed = session.execute(sa.select(AuditEvent).where(AuditEvent.entity_id == "ticket.paper")
                                  ).scalars().all()
    assert [e.new for e in changed] == [{"value": "80mm"}]
    with qtbot.waitSignal(dialog.printed, timeout=20_000):
        dialog.print_button.click()
    box = PdfReader(prompts.printer_file).pages[0].mediabox
    width, height = float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72
    assert round(width) == 80 and 150 < height < 400
    assert [p["paper"] for p in prints(tyard)] == ["80mm"]


def test_save_as_pdf_writes_the_ticket_and_counts_it(qtbot: Any, tyard: TicketYard, tdoor: Door,
                                                      tmp_path: Path) -> None:
    prompts = Prompts(tmp_path)
    dialog = make_dialog(qtbot, tyard, tdoor, prompts)
    with qtbot.waitSignal(dialog.saved, timeout=20_000) as saved:
        dialog.save_button.click()
    sheet = saved.args[0]
    assert prompts.suggested == "T2026-000001.pdf"
    assert sheet.saved_to == tmp_path / "saved-ticket.pdf" and sheet.copy == 1
    text = PdfReader(io.BytesIO(sheet.saved_to.read_bytes())).pages[0].extract_text()
    assert "T2026-000001" in text and "20,460 kg" in text
    assert [(p["copy"], p["output"]) for p in prints(tyard)] == [(1, "pdf")]
    # A second save is a COPY.
    qtbot.waitUntil(lambda: not dialog._busy)
    prompts.saved_file = tmp_path / "again.pdf"
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        dialog.save_button.click()
    assert "副本 COPY 2" in PdfReader(tmp_path / "again.pdf").pages[0].extract_text()


def test_cancelled_dialogs_count_nothing(qtbot: Any, tyard: TicketYard, tdoor: Door, tmp_path: Path) -> None:
    prompts = Prompts(tmp_path)
    prompts.saved_file = None
    dialog = TicketDialog(tdoor, actor=INSPECTOR_ACTOR, clock=tyard.clock, data_dir=tyard.data_dir,
                          load_id=tyard.load_id, choose_printer=lambda _parent: None,
                          choose_file=prompts.choose_file)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.sheet is not None)
    dialog.print_button.click()
    dialog.save_button.click()
    assert prints(tyard) == [] and not dialog._busy


def test_a_load_without_a_gross_says_why_there_is_no_ticket(qtbot: Any, tyard: TicketYard, tdoor: Door,
                                                            tmp_path: Path) -> None:
    from inspector.services import yard as yard_svc

    with tyard.store.session() as session:
        load = yard_svc.register_arrival(session, actor=INSPECTOR_ACTOR, clock=tyard.clock, plate="赣A12345",
                                         supplier_id=1)
        load_id = load.id or 0
    prompts = Prompts(tmp_path)
    dialog = TicketDialog(tdoor, actor=INSPECTOR_ACTOR, clock=tyard.clock, data_dir=tyard.data_dir,
                          load_id=load_id, choose_printer=prompts.choose_printer,
                          choose_file=prompts.choose_file, show_error=prompts.errors.append)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(prompts.errors))
    assert prompts.errors[0].code == "ticket.no_gross"
    assert "T2026-000002" in dialog.status_label.text()
    assert dialog.sheet is None


def test_the_verify_screen_checks_a_ticket_qr_against_its_load(qtbot: Any, tyard: TicketYard,
                                                               tdoor: Door) -> None:
    """A ticket's QR pasted on the verify screen: valid while the load says what it says, and checked again
    (cancelled) when the load changes."""
    from inspector.services import yard as yard_svc
    from inspector.states import LoadState
    from inspector.storage.models.core import Load
    from ui.screens.verify import VerifyCertificateWidget

    qr = _qr_text_of(tyard)
    screen = VerifyCertificateWidget(tdoor)
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.checked) as checked:
        screen.qr_edit.setPlainText(qr)
        screen.qr_button.click()
    outcome = checked.args[0]
    assert outcome.valid and outcome.ticket and outcome.number == "T2026-000001"
    assert screen.certificate_value.text() == "T2026-000001"
    assert "20,460 kg" in screen.meaning_value.text()

    with tyard.store.session() as session:
        load = session.get(Load, tyard.load_id)
        assert load is not None
        yard_svc.set_load_state(session, load, LoadState.CANCELLED, actor=INSPECTOR_ACTOR, clock=tyard.clock)
        session.commit()
    with qtbot.waitSignal(screen.checked) as checked:
        tdoor.announce([Change.LOADS])
    outcome = checked.args[0]
    assert not outcome.valid and outcome.file_valid and outcome.register_status == "void"


def _qr_text_of(tyard: TicketYard) -> str:
    """The QR text the load's ticket carries now, sealed by the station."""
    from inspector.certificates.qr import make_ticket_qr_text
    from inspector.security import keys
    from inspector.services.certificates import certificate_signer

    with tyard.store.session() as session:
        seal = keys.load_station_signer(session, data_dir=tyard.data_dir, clock=tyard.clock)
        assert seal is not None
        data = svc.build_ticket_data(session, load_id=tyard.load_id, printed=tyard.clock.now(),
                                     printed_by="李伟 Li Wei", data_dir=tyard.data_dir)
    return make_ticket_qr_text(data, certificate_signer(seal))
