"""The "verify a certificate" screen: drop a PDF (or choose one), or paste the text of its QR code, and see
whether it is valid, why not, who signed it and when, and how it stands in this yard's register.

The same checks as ``yard-inspector verify``: the file must be intact, signed over the whole file and chained
to the yard CA (``keys/yard-ca.pem``); then the register must know the number and revision, not as void,
with the same content hash. Reading and checking run on the worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, InspectorError, UserError
from inspector.storage.db import Store


@dataclass(frozen=True)
class VerifyOutcome:
    """What the screen shows. ``valid`` holds only if the file (or QR) and the register both agree."""

    valid: bool
    file_valid: bool
    reason: str
    number: str | None = None
    revision: int | None = None
    signer: str | None = None
    signed_at: str | None = None
    meaning: str | None = None
    register_status: str | None = None  # issued, void, unknown, content_mismatch, not_checked; None: no yard
    register_reason: str | None = None


def _trust(data_dir: DataDir) -> list[Any]:
    from inspector.certificates.trust import load_certificates, yard_ca_path

    path = yard_ca_path(data_dir)
    if not path.is_file():
        raise EnvironmentProblemError(f"This data directory has no yard CA certificate ({path}).",
                                      hint="Open the yard's own data directory, or import its CA.")
    return load_certificates(path)


def _register(store: Store | None, result: Any) -> tuple[str | None, str | None]:
    if store is None:
        return None, None
    from inspector.certificates.verify import check_against_register
    from inspector.services.certificates import register_lookup

    with store.session() as session:
        check = check_against_register(result, register_lookup(session))
    return check.status.value, check.reason


def _outcome(result: Any, store: Store | None, *, signer: str | None, signed_at: str | None,
             meaning: str | None) -> VerifyOutcome:
    status, why = _register(store, result)
    in_force = status is None or status == "issued"
    return VerifyOutcome(valid=result.valid and in_force, file_valid=result.valid, reason=result.reason,
                         number=result.number, revision=result.revision, signer=signer, signed_at=signed_at,
                         meaning=meaning, register_status=status, register_reason=why)


def check_pdf_file(path: Path, *, data_dir: DataDir, store: Store | None) -> VerifyOutcome:
    """Read and check a PDF (call on the worker)."""
    from inspector.certificates.verify import verify_pdf

    try:
        pdf = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path} cannot be read: {exc.strerror or exc}.", field="file") from exc
    result = verify_pdf(pdf, trust=_trust(data_dir))
    when = result.signing_time.isoformat() if result.signing_time else None
    return _outcome(result, store, signer=result.signer_name or result.signer_subject, signed_at=when,
                    meaning=result.meaning)


def check_qr(text: str, *, data_dir: DataDir, store: Store | None) -> VerifyOutcome:
    """Check the text of a certificate's QR code (call on the worker)."""
    from inspector.certificates.qr import verify_qr
    from inspector.certificates.trust import certificates_in_folder

    signers = certificates_in_folder(data_dir.keys)
    if store is not None:
        from inspector.services.certificates import signer_certificates

        with store.session() as session:
            signers.extend(signer_certificates(session))
    result = verify_qr(text.strip(), trust=_trust(data_dir), signers=signers)
    issued = result.issue_date.isoformat() if result.issue_date else None
    return _outcome(result, store, signer=result.signer_name, signed_at=issued, meaning=None)


class VerifyCertificateWidget(QWidget):
    """Drop zone, file chooser, QR text box and the verdict.

    Signals:
        checked(VerifyOutcome): a check finished and is shown.
    """

    checked = Signal(object)

    def __init__(self, ops: Any, *, data_dir: DataDir, store: Store | None = None,
                 choose_file: Callable[[], str | None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._data_dir = data_dir
        self._store = store
        self._choose_file = choose_file or self._dialog_choose_file
        self.outcome: VerifyOutcome | None = None
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
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def title(self) -> str:
        return self.tr("Verify a certificate")

    def _retranslate(self) -> None:
        self.drop_label.setText(self.tr("Drop a certificate PDF here"))
        self.choose_button.setText(self.tr("Choose a PDF…"))
        self.qr_edit.setPlaceholderText(self.tr("…or paste the text read from its QR code (YIC1.…)"))
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
        data_dir, store = self._data_dir, self._store
        self._ops.run(lambda: check_pdf_file(path, data_dir=data_dir, store=store), self._on_ops_checked,
                      self._on_ops_failed, owner=self)

    def verify_qr_text(self, text: str) -> None:
        if not text.strip():
            self._on_ops_failed(UserError(self.tr("Paste the text of the QR code first."), field="qr"))
            return
        self._busy(self.tr("Checking the QR text…"))
        data_dir, store = self._data_dir, self._store
        self._ops.run(lambda: check_qr(text, data_dir=data_dir, store=store), self._on_ops_checked,
                      self._on_ops_failed, owner=self)

    # --- output ---------------------------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self.verdict_label.setText(text)
        self.reason_label.clear()

    def _on_ops_checked(self, outcome: VerifyOutcome) -> None:
        self.outcome = outcome
        self._show(outcome)
        self.checked.emit(outcome)

    def _on_ops_failed(self, exc: InspectorError) -> None:
        outcome = VerifyOutcome(valid=False, file_valid=False, reason=str(exc))
        self.outcome = outcome
        self._show(outcome)
        self.checked.emit(outcome)

    def _show(self, outcome: VerifyOutcome) -> None:
        if outcome.valid:
            verdict, colour = self.tr("VALID"), "#1b5e20"
        elif outcome.file_valid and outcome.register_status == "void":
            verdict, colour = self.tr("VOID: the file is intact, but the certificate was voided"), "#b71c1c"
        elif outcome.file_valid:
            verdict, colour = self.tr("NOT CONFIRMED by this yard's register"), "#b71c1c"
        else:
            verdict, colour = self.tr("INVALID"), "#b71c1c"
        self.verdict_label.setText(verdict)
        self.verdict_label.setStyleSheet(f"font-size: 18pt; font-weight: bold; color: {colour};")
        self.reason_label.setText(outcome.reason)
        reference = (f"{outcome.number} rev {outcome.revision}" if outcome.number and outcome.revision
                     else "")
        self.certificate_value.setText(reference)
        self.signer_value.setText(outcome.signer or "")
        self.time_value.setText(outcome.signed_at or "")
        self.meaning_value.setText(outcome.meaning or "")
        if outcome.register_status is None:
            register = self.tr("not checked (no yard register open)") if outcome.file_valid else ""
        else:
            register = outcome.register_reason or ""
        self.register_value.setText(register)

    def _dialog_choose_file(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a certificate"), "",
                                              self.tr("PDF files (*.pdf)"))
        return path or None
