"""Trust material for verification: the yard CA (trust anchor), signer certificates, chain checks.

A verifier trusts only the roots it is given: the yard CA that ``yard-inspector ca export`` writes for
customers, or the copy in a data directory's ``keys/yard-ca.pem``. Signer certificates named by a QR
payload's fingerprint are looked up in the trust file and in the data directory's ``keys/`` folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko_certvalidator import CertificateValidator, ValidationContext

from inspector.certificates.findings import Finding
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError

YARD_CA_FILE = "yard-ca.pem"
_CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


def yard_ca_path(data_dir: DataDir) -> Path:
    """Where the security area stores the yard CA certificate in a data directory."""
    return data_dir.keys / YARD_CA_FILE


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle or a single DER file; a bad file is a ``UserError``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError("certificate.trust_file_missing", field="--trust", path=str(path)) from exc
    except OSError as exc:
        raise EnvironmentProblemError("certificate.read_failed", path=str(path),
                                      detail=exc.strerror or str(exc)) from exc
    try:
        if b"-----BEGIN CERTIFICATE-----" in raw:
            return x509.load_pem_x509_certificates(raw)
        return [x509.load_der_x509_certificate(raw)]
    except ValueError as exc:
        raise UserError("certificate.trust_file_invalid", field="--trust", path=str(path)) from exc


def is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def split_trust(
    certificates: Iterable[x509.Certificate],
) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """(trust anchors, other certificates): only CA certificates anchor a chain."""
    anchors: list[x509.Certificate] = []
    others: list[x509.Certificate] = []
    for cert in certificates:
        (anchors if is_ca(cert) else others).append(cert)
    return anchors, others


def certificates_in_folder(folder: Path) -> list[x509.Certificate]:
    """Certificates stored as files in ``folder`` (recursively); private keys and other files are skipped."""
    found: list[x509.Certificate] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in _CERT_SUFFIXES or not path.is_file():
            continue
        try:
            found.extend(load_certificates(path))
        except UserError:
            continue  # a key or another PEM object under a certificate-like name: not a certificate
    return found


def to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def validation_context(trust_roots: Sequence[x509.Certificate], *,
                       other_certs: Sequence[x509.Certificate] = (),
                       moment: datetime | None = None) -> ValidationContext:
    """A context that trusts only ``trust_roots`` and never goes on the network."""
    return ValidationContext(
        trust_roots=[to_asn1(c) for c in trust_roots],
        other_certs=[to_asn1(c) for c in other_certs],
        allow_fetching=False,
        moment=moment,
    )


def chain_problem(certificate: x509.Certificate, trust_roots: Sequence[x509.Certificate], *,
                  intermediates: Sequence[x509.Certificate] = (),
                  moment: datetime | None = None) -> Finding | None:
    """None if ``certificate`` chains to a trust root and may sign; else why not."""
    if not trust_roots:
        return Finding("verify.no_trust_root")
    validator = CertificateValidator(
        to_asn1(certificate),
        intermediate_certs=[to_asn1(c) for c in intermediates],
        validation_context=validation_context(trust_roots, moment=moment),
    )
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))  # type: ignore[no-untyped-call]
    except Exception as exc:  # any failure of the chain check means "not trusted"
        return Finding("verify.signer_untrusted", detail=_first_line(exc))
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
