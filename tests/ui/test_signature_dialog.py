"""The one signature dialog asks only what the signing needs and refuses to sign with a field left empty."""

from __future__ import annotations

from typing import Any

from ui.widgets.signature import SignatureDialog, SignatureInput


def test_approving_asks_meaning_password_and_passphrase_in_that_order_of_checks(qtbot: Any) -> None:
    dialog = SignatureDialog(title="Sign the approval", intro="You approve lot L2026-00001.",
                             meaning="I approve lot L2026-00001", password_label="Your password")
    qtbot.addWidget(dialog)
    assert not dialog.meaning_edit.isHidden() and not dialog.password_edit.isHidden()
    assert dialog.lot_combo.isHidden()
    dialog.meaning_edit.setText("ok")
    dialog.sign_button.click()
    assert "signature means" in dialog.message_label.text() and dialog.result_input is None
    dialog.meaning_edit.setText("I approve this lot as weighed")
    dialog.sign_button.click()
    assert "password" in dialog.message_label.text()
    dialog.password_edit.setText("secret pw")
    dialog.sign_button.click()
    assert "passphrase" in dialog.message_label.text() and dialog.result_input is None
    dialog.passphrase_edit.setText("key pass")
    dialog.sign_button.click()
    assert dialog.result_input == SignatureInput(passphrase="key pass", password="secret pw",
                                                 meaning="I approve this lot as weighed")


def test_issuing_asks_the_lot_and_no_meaning(qtbot: Any) -> None:
    dialog = SignatureDialog(title="Issue a certificate",
                             password_label="Password of the approving supervisor",
                             lots=["L2026-00002", "L2026-00003"])
    qtbot.addWidget(dialog)
    assert dialog.meaning_edit.isHidden() and not dialog.lot_combo.isHidden()
    dialog.lot_combo.setCurrentIndex(1)
    dialog.password_edit.setText("pw")
    dialog.passphrase_edit.setText("pp")
    dialog.sign_button.click()
    assert dialog.result_input == SignatureInput(passphrase="pp", password="pw", lot_no="L2026-00003")


def test_signing_a_packet_on_a_laptop_asks_no_password(qtbot: Any) -> None:
    dialog = SignatureDialog(title="Sign the rejection", meaning="I reject lot L2026-00001 as sampled")
    qtbot.addWidget(dialog)
    assert dialog.password_edit.isHidden()
    dialog.passphrase_edit.setText("pp")
    dialog.sign_button.click()
    assert dialog.result_input is not None and dialog.result_input.password == ""
