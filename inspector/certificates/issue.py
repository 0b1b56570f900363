"""Producing a signed certificate file: QR payload → rendered PDF → PAdES signature, in that order."""

from __future__ import annotations

from inspector.certificates.model import CertificateData
from inspector.certificates.qr import make_qr_text
from inspector.certificates.render import render_certificate
from inspector.certificates.sign import CertificateSigner, sign_certificate


def build_signed_certificate(data: CertificateData, signer: CertificateSigner, *, invariant: bool = False,
                             embed_certificate_in_qr: bool = False) -> bytes:
    """The signed PDF of ``data``. ``signer`` holds the approving supervisor's unlocked key: the caller (the
    certificate service) makes sure the key belongs to ``data.approved_by``."""
    qr_text = make_qr_text(data, signer, embed_certificate=embed_certificate_in_qr)
    pdf = render_certificate(data, qr_text=qr_text, invariant=invariant)
    return sign_certificate(pdf, data, signer)
