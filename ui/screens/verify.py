"""The "verify a certificate" screen: drop a PDF (or choose one), or paste the text of its QR code, and see
whether it is valid, why not, who signed it and when, and how it stands in this yard's register.

The same checks as ``yard-inspector verify``: the file must be intact, signed over the whole file and chained
to the yard CA (``keys/yard-ca.pem``); then the register must know the number and revision, not as void,
with the same content hash. Reading and checking run on the worker thread; when the register changes (a
certificate voided here, on another station or on the command line), the verdict shown is checked again.
The verdict's reasons are codes with parameters (``inspector.certificates.findings``), worded when shown, in
the window's language, so a language switch rewords the verdict on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector import messages
from inspector.certificates.qr import TICKET_PREFIX
from inspector.changes import Change
from inspector.errors import InspectorError, UserError
from inspector.messages import Language, formats
from inspector.queries.certificates import (
    VerifyOutcome,
    read_certificate_file,
    verify_certificate_pdf,
    verify_certificate_qr,
)
from inspector.services import tickets as tickets_svc
from ui import words
from ui.ops import Door
from ui.screens.base import ScreenWidget
from ui.widgets import files

if TYPE_CHECKING:
    from sqlmodel import Session


class VerifyCertificateWidget(ScreenWidget):
    """Drop zone, file chooser, QR text box and the verdict.

    Signals:
        checked(VerifyOutcome): a check finished and is shown.
    """

    # A ticket's verdict follows its load (amended, cancelled) as a certificate's follows the register.
    shows = frozenset({Change.CERTIFICATES, Change.LOADS})
    checked = Signal(object)

    def __init__(self, door: Door, *, choose_file: Callable[[], str | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(door, parent)
        self._door = door
        self._choose_file = choose_file or self._dialog_choose_file
        self.outcome: VerifyOutcome | None = None
        # What was checked last (a PDF's path, or a QR text), checked again when the register changes.
        # What is shown: the PDF's bytes as checked (the file may be gone since), or the QR text.
        self._last: bytes | str | None = None
        self.setAcceptDrops(True)
        self.drop_label = QLabel(self)
        self.drop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.drop_label.setMinimumHeight(90)
        self.choose_button = QPushButton(self)
        self.qr_edit = QPlainTextEdit(self)
        self.qr_edit.setMaximumHeight(80)
        self.qr_button = QPushButton(self)
        self.verdict_label = QLabel(self)
        self.verdict_label.setObjectName("verifyVerdict")
        self.reason_label = QLabel(self)
        self.reason_label.setWordWrap(True)
        self.certificate_value = QLabel(self)
        self.signer_value = QLabel(self)
        self.time_value = QLabel(self)
        self.meaning_value = QLabel(self)
        self.meaning_value.setWordWrap(True)
        self.register_value = QLabel(self)
        self.register_value.setWordWrap(True)
        for label in (self.reason_label, self.certificate_value, self.signer_value, self.time_value,
                      self.meaning_value, self.register_value):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._form = QFormLayout()
        self._form_labels = [QLabel(self) for _ in range(5)]
        for caption, value in zip(self._form_labels, (self.certificate_value, self.signer_value,
                                                      self.time_value, self.meaning_value,
                                                      self.register_value), strict=True):
            self._form.addRow(caption, value)
        qr_bar = QHBoxLayout()
        qr_bar.addWidget(self.qr_edit, 1)
        qr_bar.addWidget(self.qr_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.drop_label)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(qr_bar)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.reason_label)
        layout.addLayout(self._form)
        layout.addStretch(1)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.qr_button.clicked.connect(self._on_qr_button_clicked)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Verify a certificate")

    def retranslate(self) -> None:
        self.drop_label.setText(self.tr("Drop a certificate PDF here"))
        self.choose_button.setText(self.tr("Choose a PDF…"))
        self.qr_edit.setPlaceholderText(
            self.tr("…or paste the text read from its QR code (YIC1.…), or from a weigh ticket's (YIT1.…)"))
        self.qr_button.setText(self.tr("Check QR text"))
        captions = (self.tr("Certificate"), self.tr("Signed by"), self.tr("Time"), self.tr("Meaning"),
                    self.tr("Register"))
        for caption, text in zip(self._form_labels, captions, strict=True):
            caption.setText(text)
        if self.outcome is not None:
            self._show(self.outcome)

    # --- input ----------------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._pdf_from(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._pdf_from(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.verify_file(path)

    @staticmethod
    def _pdf_from(mime: Any) -> Path | None:
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
                return Path(url.toLocalFile())
        return None

    def _on_choose_button_clicked(self) -> None:
        chosen = self._choose_file()
        if chosen:
            self.verify_file(Path(chosen))

    def _on_qr_button_clicked(self) -> None:
        self.verify_qr_text(self.qr_edit.toPlainText())

    def verify_file(self, path: Path) -> None:
        self._busy(self.tr("Checking %1…").replace("%1", path.name))
        data_dir = self._door.data_dir

        def check(session: Session) -> tuple[bytes, VerifyOutcome]:
            pdf = read_certificate_file(path)
            return pdf, verify_certificate_pdf(session, data_dir=data_dir, pdf=pdf)

        self._door.read(check, self._on_door_file_checked, self._on_door_failed, owner=self)

    def _on_door_file_checked(self, checked: tuple[bytes, VerifyOutcome]) -> None:
        self._last, outcome = checked
        self._on_door_checked(outcome)

    def verify_qr_text(self, text: str) -> None:
        if not text.strip():
            self._on_door_failed(UserError("certificate.qr_text_missing", field="qr"))
            return
        self._busy(self.tr("Checking the QR text…"))
        self._last = text
        self._check(text)

    def refresh(self) -> None:
        """Check what is shown again: the register may say otherwise now (e.g. the certificate was voided).
        A file is checked from the bytes read when it was opened: it may be on a stick pulled out since."""
        if self._last is not None:
            self._check(self._last)

    def _check(self, what: bytes | str) -> None:
        data_dir = self._door.data_dir
        if isinstance(what, bytes):
            self._door.read(lambda s: verify_certificate_pdf(s, data_dir=data_dir, pdf=what),
                            self._on_door_checked, self._on_door_failed, owner=self)
        elif what.strip().startswith(TICKET_PREFIX + "."):
            lang = words.language()

            def check_ticket(session: Session) -> VerifyOutcome:
                result, register = tickets_svc.check_ticket_text(session, data_dir=data_dir, text=what)
                return VerifyOutcome(
                    valid=result.valid and register.in_force, file_valid=result.valid, reason=result.reason,
                    number=result.ticket_no, signer=result.signer_name, signed_at=result.weighed_out_at,
                    meaning=tickets_svc.ticket_summary(result, lang) if result.ticket_no else None,
                    register_status=register.status.value, register_reason=register.reason, ticket=True)

            self._door.read(check_ticket, self._on_door_checked, self._on_door_failed, owner=self)
        else:
            self._door.read(lambda s: verify_certificate_qr(s, data_dir=data_dir, text=what),
                            self._on_door_checked, self._on_door_failed, owner=self)

    # --- output ---------------------------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self.verdict_label.setText(text)
        self.reason_label.clear()

    def _on_door_checked(self, outcome: VerifyOutcome) -> None:
        self.outcome = outcome
        self._show(outcome)
        self.checked.emit(outcome)

    def _on_door_failed(self, exc: InspectorError) -> None:
        outcome = VerifyOutcome(valid=False, file_valid=False, reason=exc)
        self.outcome = outcome
        self._show(outcome)
        self.checked.emit(outcome)

    def _show(self, outcome: VerifyOutcome) -> None:
        if outcome.valid:
            verdict, colour = self.tr("VALID"), "#1b5e20"
        elif outcome.ticket and outcome.file_valid and outcome.register_status == "void":
            verdict, colour = self.tr("CANCELLED: the seal holds, but the load was cancelled"), "#b71c1c"
        elif outcome.ticket and outcome.file_valid:
            verdict, colour = self.tr("OUT OF DATE: the load's record says otherwise now"), "#b71c1c"
        elif outcome.file_valid and outcome.register_status == "void":
            verdict, colour = self.tr("VOID: the file is intact, but the certificate was voided"), "#b71c1c"
        elif outcome.file_valid:
            verdict, colour = self.tr("NOT CONFIRMED by this yard's register"), "#b71c1c"
        else:
            verdict, colour = self.tr("INVALID"), "#b71c1c"
        self.verdict_label.setText(verdict)
        self.verdict_label.setStyleSheet(f"font-size: 18pt; font-weight: bold; color: {colour};")
        lang = words.language()
        self.reason_label.setText(outcome.reason.words(lang))
        reference = (messages.text("certificate.reference", lang,
                                   {"number": outcome.number, "revision": outcome.revision})
                     if outcome.number and outcome.revision else outcome.number)
        self.certificate_value.setText(reference or "")
        self.signer_value.setText(outcome.signer or "")
        self.time_value.setText(_when(outcome, lang))
        self.meaning_value.setText(outcome.meaning or "")
        self.register_value.setText(outcome.register_reason.words(lang) if outcome.register_reason else "")

    def _dialog_choose_file(self) -> str | None:
        path = files.choose_open_file(self, self.tr("Choose a certificate"),
                                      filters=self.tr("PDF files (*.pdf)"))
        return str(path) if path else None


def _when(outcome: VerifyOutcome, lang: Language) -> str:
    """When it was signed, as the yard reads a time (a PDF: the signature's time in the zone it was signed
    in, with that zone; a QR code: its issue date)."""
    at = outcome.signed_at
    if at is None:
        return ""
    if not isinstance(at, datetime):
        return formats.day(at, lang)
    offset = at.utcoffset()
    if offset is None:  # a signature time without its zone: shown as written
        return at.isoformat(sep=" ", timespec="seconds")
    return formats.moment(at, int(offset.total_seconds() // 60), lang, seconds=True, zone_shown=True)
