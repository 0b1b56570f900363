"""The certificate register screen (lazy table, issue / void / reissue, preview, batch printing that can be
cancelled) and the verify screen (a dropped or chosen PDF, a pasted QR text, the register's verdict)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtPrintSupport import QPrinter

from inspector.services import certificates as svc
from tests.core.certificates.register.conftest import (
    PASSPHRASES,
    PASSWORDS,
    SUPERVISOR,
    RegisterYard,
    build_template,
    copied_yard,
    make_lot,
)
from ui.ops import Door, Ops
from ui.screens.certificates import (
    CertificatePreviewDialog,
    CertificateRegisterModel,
    CertificateRegisterWidget,
    PrintSheet,
    SignatureInput,
    query_for,
)
from ui.screens.verify import VerifyCertificateWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("certificates-ui") / "yard")


@pytest.fixture
def ryard(template: Path, tmp_path: Path) -> Iterator[RegisterYard]:
    with copied_yard(template, tmp_path / "yard") as yard:
        yield yard


@pytest.fixture
def rdoor(ryard: RegisterYard, ops: Ops) -> Iterator[Door]:
    """The screens' door over the register yard (it does not poll the audit trail)."""
    door = Door(ops, ryard.store, watch_ms=None)
    yield door
    door.stop_watching()


def issue(ryard: RegisterYard, count: int) -> list[str]:
    numbers = []
    for _ in range(count):
        lot_no = make_lot(ryard)
        with ryard.store.session() as s:
            row = svc.issue_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock,
                                        data_dir=ryard.data_dir, lot_no=lot_no, ruleset=ryard.ruleset,
                                        **ryard.secrets())
            numbers.append(row.number)
    return numbers


class Prompts:
    """Answers the screen's questions instead of modal dialogs, and records what it was asked."""

    def __init__(self, printer_file: Path | None = None) -> None:
        self.signature = SignatureInput(password=PASSWORDS[SUPERVISOR], passphrase=PASSPHRASES[SUPERVISOR])
        self.reason: str | None = "wrong lab report number"
        self.printer_file = printer_file
        self.lots_offered: list[str] = []
        self.previews: list[PrintSheet] = []

    def ask_signature(self, _title: str, lots: Any) -> SignatureInput:
        self.lots_offered = list(lots)
        if lots:
            return SignatureInput(password=self.signature.password, passphrase=self.signature.passphrase,
                                  lot_no=lots[0])
        return self.signature

    def ask_reason(self, _title: str) -> str | None:
        return self.reason

    def choose_printer(self, _count: int) -> QPrinter | None:
        if self.printer_file is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.printer_file))
        return printer


def make_widget(qtbot: Any, ryard: RegisterYard, door: Door, prompts: Prompts,
                user: str = SUPERVISOR) -> CertificateRegisterWidget:
    errors: list[Any] = []
    widget = CertificateRegisterWidget(door, ryard.actor(user), clock=ryard.clock,
                                       ask_signature=prompts.ask_signature, ask_reason=prompts.ask_reason,
                                       choose_printer=prompts.choose_printer,
                                       show_preview=prompts.previews.append, show_error=errors.append)
    widget.errors = errors  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.pages_fetched > 0 and not widget.model.fetching)
    return widget


def settle(qtbot: Any, widget: CertificateRegisterWidget, rows: int) -> None:
    qtbot.waitUntil(lambda: not widget.model.fetching and widget.model.rowCount() == rows)


def select_all(widget: CertificateRegisterWidget) -> None:
    widget.view.selectAll()


def select_row(widget: CertificateRegisterWidget, row: int) -> None:
    widget.view.clearSelection()
    widget.view.selectRow(row)


def prints(ryard: RegisterYard, number: str) -> int:
    with ryard.store.session() as s:
        return svc.get_certificate(s, number).print_count


def test_the_model_fetches_a_page_at_a_time(qtbot: Any, qtmodeltester: Any, ryard: RegisterYard,
                                            rdoor: Door) -> None:
    issue(ryard, 3)
    model = CertificateRegisterModel(rdoor, page_size=2)
    model.fetch_first_page()
    qtbot.waitUntil(lambda: model.pages_fetched == 1 and not model.fetching)
    assert model.rowCount() == 2 and model.has_more
    assert [model.index(r, 0).data() for r in range(2)] == ["2026-000003", "2026-000002"]
    qtmodeltester.check(model)
    model.fetchMore(model.index(-1, -1))
    qtbot.waitUntil(lambda: model.pages_fetched == 2 and not model.fetching)
    assert model.rowCount() == 3 and not model.has_more
    assert model.index(2, 2).data() == "In force"
    qtmodeltester.check(model)


def test_the_search_box_reads_numbers_lots_and_suppliers() -> None:
    assert query_for("2026-0000", None).number == "2026-0000"
    assert query_for("l2026-00002", "void").lot_no == "L2026-00002"
    assert query_for("宁波", None).supplier == "宁波"


def test_issue_void_and_reissue_from_the_screen(qtbot: Any, ryard: RegisterYard, rdoor: Door) -> None:
    lot_no = make_lot(ryard)
    prompts = Prompts()
    widget = make_widget(qtbot, ryard, rdoor, prompts)
    assert widget.model.rowCount() == 0
    with qtbot.waitSignal(widget.changed, timeout=20000):
        widget.issue()
    assert prompts.lots_offered == [lot_no]
    settle(qtbot, widget, 1)
    assert widget.model.index(0, 0).data() == "2026-000001"
    select_row(widget, 0)
    with qtbot.waitSignal(widget.changed, timeout=20000):
        widget.void_selected()
    settle(qtbot, widget, 1)
    assert widget.model.index(0, 2).data() == "Void"
    assert widget.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == "Voided: wrong lab report number"
    select_row(widget, 0)
    with qtbot.waitSignal(widget.changed, timeout=20000):
        widget.reissue_selected()
    settle(qtbot, widget, 2)
    assert [(widget.model.index(r, 1).data(), widget.model.index(r, 2).data()) for r in range(2)] == [
        ("2", "In force"), ("1", "Void")]
    assert widget.errors == []  # type: ignore[attr-defined]


def test_a_refused_issue_is_shown_in_words(qtbot: Any, ryard: RegisterYard, rdoor: Door) -> None:
    make_lot(ryard)
    prompts = Prompts()
    prompts.signature = SignatureInput(password=PASSWORDS[SUPERVISOR], passphrase="not the passphrase")
    widget = make_widget(qtbot, ryard, rdoor, prompts)
    widget.issue()
    qtbot.waitUntil(lambda: bool(widget.errors))  # type: ignore[attr-defined]
    assert "passphrase" in str(widget.errors[0]).lower()  # type: ignore[attr-defined]


def test_the_preview_shows_the_next_print_and_counts_nothing(qtbot: Any, ryard: RegisterYard,
                                                             rdoor: Door) -> None:
    [number] = issue(ryard, 1)
    prompts = Prompts()
    widget = make_widget(qtbot, ryard, rdoor, prompts)
    select_row(widget, 0)
    widget.preview_selected()
    qtbot.waitUntil(lambda: bool(prompts.previews))
    sheet = prompts.previews[0]
    assert (sheet.reference, sheet.marked_copy, len(sheet.pages)) == (f"{number} rev 1", False, 1)
    assert sheet.pages[0].image().width() > 1000
    assert prints(ryard, number) == 0
    # The preview dialog draws the pages with Qt's print preview; its Print button asks for a recorded print.
    painted: list[int] = []
    dialog = CertificatePreviewDialog(sheet, widget)
    qtbot.addWidget(dialog)
    dialog.preview.paintRequested.connect(lambda _printer: painted.append(1))
    dialog.show()
    dialog.preview.updatePreview()
    assert painted and dialog.preview.pageCount() == 1
    assert dialog.windowTitle() == f"Print preview: {number} rev 1 (original)"
    with qtbot.waitSignal(dialog.print_requested):
        dialog.print_button.click()
    assert prints(ryard, number) == 0


def test_a_batch_prints_each_certificate_once_and_counts_it(qtbot: Any, ryard: RegisterYard, rdoor: Door,
                                                           tmp_path: Path) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    numbers = issue(ryard, 3)
    out = tmp_path / "batch.pdf"
    widget = make_widget(qtbot, ryard, rdoor, Prompts(out))
    select_all(widget)
    with qtbot.waitSignal(widget.batch_finished, timeout=60000) as finished:
        widget.print_selected()
        assert widget.batch_running
    assert finished.args == [3, False]
    assert not widget.batch_running
    assert [prints(ryard, n) for n in numbers] == [1, 1, 1]
    assert len(pdfium.PdfDocument(out.read_bytes())) == 3
    # A second batch is made of COPY sheets (the register says so); counted again.
    out.unlink()
    settle(qtbot, widget, 3)
    select_all(widget)
    with qtbot.waitSignal(widget.batch_finished, timeout=60000):
        widget.print_selected()
    assert [prints(ryard, n) for n in numbers] == [2, 2, 2]
    with ryard.store.session() as s:
        log = svc.print_log(s, svc.get_certificate(s, numbers[0]))
    assert [p.marked_copy for p in log] == [False, True]


def test_a_batch_can_be_cancelled_between_certificates(qtbot: Any, ryard: RegisterYard, rdoor: Door,
                                                      tmp_path: Path) -> None:
    numbers = issue(ryard, 3)
    widget = make_widget(qtbot, ryard, rdoor, Prompts(tmp_path / "cancelled.pdf"))
    select_all(widget)
    with qtbot.waitSignal(widget.batch_finished, timeout=60000) as finished:
        widget.print_selected()
        widget.cancel_batch()  # while the first certificate is being prepared on the worker
    assert finished.args == [1, True]
    assert sorted(prints(ryard, n) for n in numbers) == [0, 0, 1]


def test_void_certificates_are_not_printed(qtbot: Any, ryard: RegisterYard, rdoor: Door,
                                           tmp_path: Path) -> None:
    [number] = issue(ryard, 1)
    with ryard.store.session() as s:
        svc.void_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, number=number,
                             reason="sample mixed up")
    widget = make_widget(qtbot, ryard, rdoor, Prompts(tmp_path / "none.pdf"))
    select_all(widget)
    widget.print_selected()
    assert not widget.batch_running and widget.errors  # type: ignore[attr-defined]
    assert prints(ryard, number) == 0


def make_verifier(qtbot: Any, door: Door, chosen: list[str]) -> VerifyCertificateWidget:
    widget = VerifyCertificateWidget(door, choose_file=lambda: chosen.pop(0) if chosen else None)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_verify_a_chosen_file_then_the_same_file_once_voided(qtbot: Any, ryard: RegisterYard,
                                                             rdoor: Door) -> None:
    [number] = issue(ryard, 1)
    pdf = ryard.data_dir.certificates / f"{number}-r1.pdf"
    widget = make_verifier(qtbot, rdoor, [str(pdf)])
    with qtbot.waitSignal(widget.checked, timeout=20000):
        widget.choose_button.click()
    assert widget.outcome is not None and widget.outcome.valid
    assert widget.verdict_label.text() == "VALID"
    assert widget.signer_value.text() == "张敏 Zhang Min"
    assert widget.time_value.text().endswith("+08:00")
    assert widget.certificate_value.text() == f"{number} rev 1"
    assert widget.register_value.text() == f"{number} rev 1 is in the register and in force."
    with ryard.store.session() as s:
        svc.void_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, number=number,
                             reason="sample mixed up")
    with qtbot.waitSignal(widget.checked, timeout=20000):
        widget.verify_file(pdf)
    assert widget.outcome.file_valid and not widget.outcome.valid
    assert widget.outcome.register_status == "void"
    assert widget.verdict_label.text().startswith("VOID")
    assert "sample mixed up" in widget.register_value.text()


def test_a_dropped_tampered_file_is_invalid(qtbot: Any, ryard: RegisterYard, rdoor: Door,
                                            tmp_path: Path) -> None:
    [number] = issue(ryard, 1)
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes((ryard.data_dir.certificates / f"{number}-r1.pdf").read_bytes() + b"\n% added\n")
    widget = make_verifier(qtbot, rdoor, [])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tampered))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(widget.checked, timeout=20000):
        widget.dropEvent(event)
    assert widget.outcome is not None and not widget.outcome.file_valid
    assert widget.verdict_label.text() == "INVALID"
    assert "changed after signing" in widget.reason_label.text()


def test_verify_a_pasted_qr_text(qtbot: Any, ryard: RegisterYard, rdoor: Door) -> None:
    [number] = issue(ryard, 1)
    with ryard.store.session() as s:
        qr_text = svc.get_certificate(s, number).qr_text
    widget = make_verifier(qtbot, rdoor, [])
    widget.qr_edit.setPlainText(qr_text)
    with qtbot.waitSignal(widget.checked, timeout=20000):
        widget.qr_button.click()
    assert widget.outcome is not None and widget.outcome.valid, widget.outcome
    widget.qr_edit.setPlainText(qr_text[:-3] + "AAA")
    with qtbot.waitSignal(widget.checked, timeout=20000):
        widget.qr_button.click()
    assert not widget.outcome.valid and widget.verdict_label.text() == "INVALID"
    assert widget.reason_label.text() == "The QR signature does not match its content (changed or forged)."


def test_the_verdict_is_worded_in_the_windows_language(qtbot: Any, ryard: RegisterYard, rdoor: Door) -> None:
    [number] = issue(ryard, 1)
    with ryard.store.session() as s:
        qr_text = svc.get_certificate(s, number).qr_text
    widget = make_verifier(qtbot, rdoor, [])
    widget.qr_edit.setPlainText(qr_text)
    with qtbot.waitSignal(widget.checked, timeout=20000):
        widget.qr_button.click()
    assert widget.reason_label.text() == "Signed by 张敏 Zhang Min."
    assert widget.time_value.text() == "2026-03-02"  # a QR code carries the issue date
    previous = QLocale()
    QLocale.setDefault(QLocale("zh_CN"))
    try:
        widget.retranslate()  # what a language switch does: the verdict shown is worded again
        assert widget.reason_label.text() == "由 张敏 Zhang Min 签名。"
        assert widget.certificate_value.text() == f"{number}（第 1 版）"
        assert widget.register_value.text() == f"证书 {number}（第 1 版）已在登记簿中登记，现行有效。"
        assert widget.time_value.text() == "2026年03月02日"
        widget.qr_edit.setPlainText("   ")
        widget.qr_button.click()  # nothing to check: said at once, in words, without a round trip
        assert widget.outcome is not None and not widget.outcome.valid
        assert widget.reason_label.text() == "请先粘贴二维码文本。"
    finally:
        QLocale.setDefault(previous)
