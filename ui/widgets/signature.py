"""The one signature dialog: what a person types to sign (the meaning of the signature, their password on
the yard PC, their key passphrase, and to issue a certificate the lot). It only collects and checks that
each asked field is filled; the service checks the secrets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from inspector.reasons import long_enough

ERROR_STYLE = "color: #b00020;"


@dataclass(frozen=True)
class SignatureInput:
    """What the signer typed: the secrets that unlock the key, the meaning, and the lot chosen (if asked)."""

    passphrase: str
    password: str = ""
    meaning: str = ""
    lot_no: str = ""


class SignatureDialog(QDialog):
    """Asks only what the signing needs: ``meaning`` given (prefilled) asks the meaning of the signature;
    ``password_label`` given asks a password (whose, the label says); ``lots`` given asks which lot.

    The texts are given already translated by the screen that asks (it knows what is being signed)."""

    def __init__(self, *, title: str, intro: str = "", meaning: str | None = None,
                 password_label: str | None = None, passphrase_label: str | None = None,
                 lots: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureDialog")
        self.setWindowTitle(title)
        self.result_input: SignatureInput | None = None
        self._asks_meaning = meaning is not None
        self._asks_password = password_label is not None
        self.intro_label = QLabel(intro, self)
        self.intro_label.setWordWrap(True)
        self.lot_combo = QComboBox(self)
        self.lot_combo.addItems(list(lots))
        self.meaning_edit = QLineEdit(meaning or "", self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_button = QPushButton(self.tr("Sign"), self)
        self.sign_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)

        form = QFormLayout(self)
        if intro:
            form.addRow(self.intro_label)
        else:
            self.intro_label.hide()
        if lots:
            form.addRow(self.tr("Approved lot"), self.lot_combo)
        else:
            self.lot_combo.hide()
        if self._asks_meaning:
            form.addRow(self.tr("Meaning of your signature"), self.meaning_edit)
        else:
            self.meaning_edit.hide()
        if password_label is not None:
            form.addRow(password_label, self.password_edit)
        else:
            self.password_edit.hide()
        form.addRow(passphrase_label or self.tr("Your key passphrase"), self.passphrase_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        form.addRow(self.message_label)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.passphrase_edit.returnPressed.connect(self._on_sign_button_clicked)
        (self.password_edit if self._asks_password else self.passphrase_edit).setFocus()

    def _on_sign_button_clicked(self) -> None:
        if self._asks_meaning and not long_enough(self.meaning_edit.text()):
            self.message_label.setText(self.tr("Say in a few words what your signature means."))
            return
        if self._asks_password and not self.password_edit.text():
            self.message_label.setText(self.tr("Type your password."))
            return
        if not self.passphrase_edit.text():
            self.message_label.setText(self.tr("Type the passphrase of your signing key."))
            return
        self.result_input = SignatureInput(passphrase=self.passphrase_edit.text(),
                                           password=self.password_edit.text(),
                                           meaning=self.meaning_edit.text().strip(),
                                           lot_no=self.lot_combo.currentText())
        self.accept()

    def ask(self) -> SignatureInput | None:
        """Show the dialog modally; what was typed, or None when cancelled."""
        return self.result_input if self.exec() == QDialog.DialogCode.Accepted else None
