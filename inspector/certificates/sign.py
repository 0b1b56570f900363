"""Signing certificates: a PAdES baseline B-B signature by the approving supervisor's personal key.

The signature field is invisible (pyHanko's stamp font cannot show Chinese; the visible "signed by" block is
drawn by ``render``). ``/Reason`` is the meaning of the signature, ``/Name`` the printed name and ``/M`` the
approval time with its local offset. The certificate's number, revision and content hash are written into
the document information dictionary of the signed revision, so ``verify`` reads them from signed bytes.

A ``CertificateSigner`` is built once per unlocked key and reused: it keeps the parsed key object (pyHanko's
``SimpleSigner`` re-parses the key for every signature, which costs ~400 ms with RSA).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko_certvalidator.registry import SimpleCertificateStore

from inspector.canonical import certificate_fingerprint
from inspector.certificates.model import Bilingual, CertificateData
from inspector.errors import EnvironmentProblemError, UserError

SIGNATURE_FIELD = "YardInspectorApproval"
# Entries of the document information dictionary that identify the certificate (PDF allows custom keys).
INFO_NUMBER = "/YardInspectorCertificateNumber"
INFO_REVISION = "/YardInspectorCertificateRevision"
INFO_CONTENT_HASH = "/YardInspectorContentSHA256"
INFO_CHAIN_HEAD = "/YardInspectorAuditChainHead"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def reason_text(meaning: Bilingual) -> str:
    """The ``/Reason`` of the signature: the meaning in English and Chinese, as printed in the block."""
    return f"{meaning.en} / {meaning.zh}"


class _CachedKeySigner(signers.SimpleSigner):
    """``SimpleSigner`` that signs with an already parsed key object instead of re-loading it each time."""

    def __init__(self, key: PrivateKey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        algorithm = _hash(digest_algorithm)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(algorithm))
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), algorithm)
        result: bytes = super().sign_raw(data, digest_algorithm)
        return result


def _hash(name: str) -> hashes.HashAlgorithm:
    table: dict[str, hashes.HashAlgorithm] = {
        "sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512(),
    }
    if name not in table:
        raise EnvironmentProblemError("certificate.digest_unsupported", algorithm=name)
    return table[name]


def _spki(key: Any) -> bytes:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return bytes(key.public_bytes(serialization.Encoding.DER, spki))


def _certificate_store(certs: list[Any]) -> SimpleCertificateStore:
    store: SimpleCertificateStore = SimpleCertificateStore.from_certs(certs)  # type: ignore[no-untyped-call]
    return store


class CertificateSigner:
    """A supervisor's unlocked key, certificate and chain, ready to sign PDFs and QR payloads."""

    def __init__(self, private_key: PrivateKey, certificate: x509.Certificate,
                 chain: Sequence[x509.Certificate] = ()) -> None:
        if not isinstance(private_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise UserError("certificate.key_type_unsupported", field="private_key")
        if _spki(private_key.public_key()) != _spki(certificate.public_key()):
            raise UserError("certificate.key_mismatch", field="certificate")
        self.private_key = private_key
        self.certificate = certificate
        self.chain = tuple(chain)
        self.fingerprint = certificate_fingerprint(certificate)
        # Room for the CMS in /Contents (pyHanko counts hex digits, two per byte): the certificates it embeds,
        # the signed attributes and the signature value. Saying it up front spares pyHanko a dry-run
        # signature to measure it, which is half of the signing time.
        embedded = (certificate, *self.chain)
        cms_bytes = 2048 + sum(len(c.public_bytes(serialization.Encoding.DER)) for c in embedded)
        self.bytes_reserved = 2 * cms_bytes
        der = serialization.Encoding.DER
        key_info = asn1_keys.PrivateKeyInfo.load(private_key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        self.pyhanko_signer = _CachedKeySigner(
            private_key,
            signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(der)),
            signing_key=key_info,
            # The verifier brings the yard CA; a copy in the signature would be bytes no check covers.
            embed_roots=False,
            cert_registry=_certificate_store(
                [asn1_x509.Certificate.load(c.public_bytes(der)) for c in self.chain]),
        )

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes) -> CertificateSigner:
        """Unlock a PKCS#12 file (key, certificate and chain)."""
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
        except ValueError as exc:
            raise UserError("certificate.key_passphrase_wrong", field="passphrase") from exc
        if key is None or cert is None:
            raise EnvironmentProblemError("certificate.key_file_empty")
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise UserError("certificate.key_type_unsupported", field="private_key")
        return cls(key, cert, extra)

    @property
    def printed_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()

    def sign_payload(self, data: bytes) -> bytes:
        """A compact signature over ``data``: raw r‖s for EC (deterministic, RFC 6979), else PKCS#1 v1.5."""
        key = self.private_key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            der = key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
            r, s = decode_dss_signature(der)
            size = (key.curve.key_size + 7) // 8
            return r.to_bytes(size, "big") + s.to_bytes(size, "big")
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


class _TimedPdfSigner(signers.PdfSigner):
    """``PdfSigner`` whose claimed signing time (``/M``) is the approval time instead of the wall clock."""

    def __init__(self, *args: Any, signing_time: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> PdfSigningSession:
        session: PdfSigningSession = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


def sign_pdf(pdf: bytes, signer: CertificateSigner, *, reason: str, name: str, signing_time: datetime,
             info: Mapping[str, str] | None = None) -> bytes:
    """Sign ``pdf`` (PAdES B-B, invisible field) and return the signed bytes.

    ``info`` entries (PDF name → text) are added to the document information dictionary in the signed
    revision. ``signing_time`` must be aware; its offset is kept in ``/M``.
    """
    if signing_time.tzinfo is None:
        raise UserError("certificate.signing_time_naive", field="signing_time")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    if info:
        info_ref = writer.trailer.raw_get("/Info")
        info_dict = info_ref.get_object()
        for key, value in info.items():
            info_dict[generic.NameObject(key)] = generic.pdf_string(value)
        writer.mark_update(info_ref)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=name,
    )
    pdf_signer = _TimedPdfSigner(
        meta,
        signer=signer.pyhanko_signer,
        new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD),  # no box: invisible
        signing_time=signing_time,
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=signer.bytes_reserved)
    except SigningError as exc:
        raise UserError("certificate.pdf_unsignable", field="pdf", detail=str(exc)) from exc
    return out.getvalue()


def certificate_info(data: CertificateData) -> dict[str, str]:
    """The identifying entries ``sign_certificate`` writes into the signed document information."""
    return {
        INFO_NUMBER: data.number,
        INFO_REVISION: str(data.revision),
        INFO_CONTENT_HASH: data.content_hash(),
        INFO_CHAIN_HEAD: f"{data.chain_head.seq}:{data.chain_head.hash}",
    }


def sign_certificate(pdf: bytes, data: CertificateData, signer: CertificateSigner) -> bytes:
    """Sign a rendered certificate as its approver: meaning, printed name and time come from ``data``."""
    approver = data.approved_by
    return sign_pdf(
        pdf,
        signer,
        reason=reason_text(approver.meaning),
        name=approver.printed_name,
        signing_time=approver.at.local(),
        info=certificate_info(data),
    )

