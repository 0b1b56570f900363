"""Read models of the certificate register: its rows a page at a time (newest number first, by key), the
register's answers to ``verify``, the lots waiting for their certificate, and the verdict on a presented
PDF or QR text (the file or QR itself, then the register).

Register rows are plain values (``CertificateRow``), never the table's rows: screens and commands show them,
nothing writes through them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, tuple_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from inspector.certificates.findings import Finding
from inspector.certificates.verify import RegisterEntry, RegisterLookup, Verified, check_against_register
from inspector.clock import Stamp, as_utc
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, InspectorError, UserError
from inspector.security import keys
from inspector.states import CertificateStatus, LotState
from inspector.storage.models.certificates import Certificate
from inspector.storage.models.core import Supplier
from inspector.storage.models.lots import Lot
from inspector.storage.models.security import SigningKey

PAGE_SIZE = 200


@dataclass(frozen=True)
class RegisterQuery:
    """Filters of the register; every given filter must hold."""

    number: str | None = None  # exact number, or a prefix such as "2026-0001"
    lot_no: str | None = None
    supplier: str | None = None  # part of the supplier's name, or its USCC
    status: str | None = None  # issued, void
    issued_from: date | None = None  # local dates, inclusive
    issued_to: date | None = None


@dataclass(frozen=True)
class CertificateRow:
    """One revision in the register, as the register screen and ``certificates list`` show it."""

    number: str
    revision: int
    status: str
    lot_no: str
    supplier_name: str
    category: str
    grade: str
    net_mass_kg: str  # decimal string, as printed
    issued_at: datetime  # UTC
    issued_offset: int
    issued_by: str
    signer_user: str
    file_name: str
    content_sha256: str
    print_count: int
    void_reason: str | None

    @property
    def reference(self) -> str:
        return f"{self.number} rev {self.revision}"

    @property
    def key(self) -> tuple[str, int]:
        """Where the next page continues (the register is ordered by number, then revision, newest first)."""
        return self.number, self.revision


# The columns a register row shows: not the stored content and QR text, which only printing needs.
_ROW_COLUMNS: tuple[Any, ...] = (
    Certificate.number, Certificate.revision, Certificate.status, Certificate.lot_no,
    Certificate.supplier_name, Certificate.category, Certificate.grade, Certificate.net_mass_kg,
    Certificate.issued_at, Certificate.issued_offset, Certificate.issued_by, Certificate.signer_user,
    Certificate.file_name, Certificate.content_sha256, Certificate.print_count, Certificate.void_reason,
)


def _row(values: Any) -> CertificateRow:
    (number, revision, status, lot_no, supplier_name, category, grade, net, issued_at, issued_offset,
     issued_by, signer_user, file_name, content_sha256, print_count, void_reason) = values
    return CertificateRow(number=number, revision=revision, status=status, lot_no=lot_no,
                          supplier_name=supplier_name, category=category, grade=grade, net_mass_kg=net,
                          issued_at=as_utc(issued_at), issued_offset=issued_offset, issued_by=issued_by,
                          signer_user=signer_user, file_name=file_name, content_sha256=content_sha256,
                          print_count=print_count, void_reason=void_reason)


def _filtered(stmt: Any, query: RegisterQuery) -> Any:
    if query.number:
        stmt = stmt.where(col(Certificate.number).startswith(query.number.strip()))
    if query.lot_no:
        stmt = stmt.where(col(Certificate.lot_no) == query.lot_no.strip())
    if query.supplier:
        text = query.supplier.strip()
        uscc = select(col(Supplier.id)).where(col(Supplier.uscc) == text.upper())
        stmt = stmt.where(or_(col(Certificate.supplier_name).contains(text),
                              col(Certificate.supplier_id).in_(uscc)))
    if query.status:
        if query.status not in {s.value for s in CertificateStatus}:
            raise UserError("certificate.status_unknown", field="status", status=query.status,
                            statuses=[s.value for s in CertificateStatus])
        stmt = stmt.where(col(Certificate.status) == query.status)
    # Local dates become UTC bounds with a day of slack each side, then the exact local date is checked:
    # the offset is stored per row, so the filter stays right for rows written under another offset.
    if query.issued_from:
        low = datetime(query.issued_from.year, query.issued_from.month, query.issued_from.day, tzinfo=UTC)
        stmt = stmt.where(col(Certificate.issued_at) >= low - timedelta(days=1))
    if query.issued_to:
        high = datetime(query.issued_to.year, query.issued_to.month, query.issued_to.day, tzinfo=UTC)
        stmt = stmt.where(col(Certificate.issued_at) < high + timedelta(days=2))
    return stmt


def _date_ok(row: CertificateRow, query: RegisterQuery) -> bool:
    day = Stamp(row.issued_at, row.issued_offset).local().date()
    too_early = query.issued_from is not None and day < query.issued_from
    too_late = query.issued_to is not None and day > query.issued_to
    return not (too_early or too_late)


def register_page(session: Session, query: RegisterQuery | None = None, *,
                  after: tuple[str, int] | None = None, limit: int = PAGE_SIZE) -> list[CertificateRow]:
    """Up to ``limit`` register rows matching ``query`` that come after the row whose key is ``after``,
    newest number first (the revisions of a number newest first).

    Rows outside a date filter's exact local days are skipped and the read goes on, so a short page still
    means the end of the register."""
    query = query or RegisterQuery()
    dated = query.issued_from is not None or query.issued_to is not None
    found: list[CertificateRow] = []
    key = after
    while True:
        stmt = _filtered(select_columns(*_ROW_COLUMNS), query)
        if key is not None:
            stmt = stmt.where(tuple_(col(Certificate.number), col(Certificate.revision)) < tuple_(*key))
        stmt = stmt.order_by(col(Certificate.number).desc(), col(Certificate.revision).desc()).limit(limit)
        batch = [_row(values) for values in session.execute(stmt).all()]
        found.extend(r for r in batch if not dated or _date_ok(r, query))
        if len(batch) < limit or len(found) >= limit:
            return found[:limit]
        key = batch[-1].key


def iter_register(session: Session, query: RegisterQuery | None = None, *,
                  page_size: int = PAGE_SIZE) -> Iterator[CertificateRow]:
    """Every register row matching ``query``, in the register's order, read a page at a time."""
    after: tuple[str, int] | None = None
    while True:
        page = register_page(session, query, after=after, limit=page_size)
        yield from page
        if len(page) < page_size:
            return
        after = page[-1].key


def search_certificates(session: Session, query: RegisterQuery | None = None) -> list[CertificateRow]:
    """Every register row matching ``query``, as a list (``iter_register`` yields them page by page)."""
    return list(iter_register(session, query))


def count_certificates(session: Session, query: RegisterQuery | None = None) -> int:
    """How many register rows match ``query`` (screens and the command line page instead)."""
    query = query or RegisterQuery()
    if query.issued_from or query.issued_to:
        return sum(1 for _ in iter_register(session, query))
    stmt = _filtered(select(func.count()).select_from(Certificate), query)
    return int(session.exec(stmt).one())


def lots_to_certify(session: Session) -> tuple[str, ...]:
    """The approved lots, oldest first: the lots a certificate may be issued for."""
    stmt = (select(col(Lot.lot_no)).where(col(Lot.state) == LotState.APPROVED.value)
            .order_by(col(Lot.lot_year), col(Lot.lot_seq)))
    return tuple(str(lot_no) for lot_no in session.exec(stmt).all())


# --- the register's answers to verify ---------------------------------------------------------------------

def register_entry(row: Certificate) -> RegisterEntry:
    return RegisterEntry(number=row.number, revision=row.revision, content_hash=row.content_sha256,
                         void=row.status == CertificateStatus.VOID.value, void_reason=row.void_reason)


def register_lookup(session: Session) -> RegisterLookup:
    """``lookup(number, revision)`` over this session, for ``verify.check_against_register``."""

    def lookup(number: str, revision: int) -> RegisterEntry | None:
        stmt = select(Certificate).where(col(Certificate.number) == number,
                                         col(Certificate.revision) == revision)
        row = session.exec(stmt).first()
        return None if row is None else register_entry(row)

    return lookup


def signer_certificates(session: Session) -> list[Any]:
    """Every personal certificate the yard registered: a QR names its signer by fingerprint only."""
    stmt = select(SigningKey).where(col(SigningKey.kind) == "personal")
    return [keys.load_pem_certificate(k.certificate_pem) for k in session.exec(stmt).all()]


@dataclass(frozen=True)
class VerifyOutcome:
    """A presented certificate's verdict. ``valid`` holds only if the file (or QR) and the register agree.

    ``reason`` and ``register_reason`` say why, in the reader's language (``reason.words(lang)``): a
    ``Finding`` of the check, or the error that stopped it (a file that cannot be read)."""

    valid: bool
    file_valid: bool
    reason: Finding | InspectorError
    number: str | None = None
    revision: int | None = None
    signer: str | None = None
    signed_at: datetime | date | None = None  # the signature's time, with its offset (a QR: its issue date)
    meaning: str | None = None
    register_status: str | None = None  # issued, void, unknown, content_mismatch, not_checked
    register_reason: Finding | None = None
    ticket: bool = False  # a weigh ticket's QR: ``number`` is its ticket, the "register" the load's record


def yard_trust(data_dir: DataDir) -> list[Any]:
    """The yard CA a certificate of this yard chains to (``keys/yard-ca.pem``)."""
    from inspector.certificates.trust import load_certificates, yard_ca_path

    path = yard_ca_path(data_dir)
    if not path.is_file():
        raise EnvironmentProblemError("certificate.yard_ca_missing", path=str(path))
    return load_certificates(path)


def _outcome(session: Session, result: Verified, *, reason: Finding, signer: str | None,
             signed_at: datetime | date | None, meaning: str | None) -> VerifyOutcome:
    check = check_against_register(result, register_lookup(session))
    return VerifyOutcome(valid=result.valid and check.in_force, file_valid=result.valid, reason=reason,
                         number=result.number, revision=result.revision, signer=signer, signed_at=signed_at,
                         meaning=meaning, register_status=check.status.value, register_reason=check.reason)


def verify_certificate_file(session: Session, *, data_dir: DataDir, path: Path) -> VerifyOutcome:
    """Read a certificate PDF and check it: intact, signed over the whole file, chained to the yard CA, and
    in this yard's register, in force, with the same content."""
    return verify_certificate_pdf(session, data_dir=data_dir, pdf=read_certificate_file(path))


def read_certificate_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError("certificate.file_missing", field="file", path=str(path)) from exc
    except IsADirectoryError as exc:
        raise UserError("certificate.file_is_folder", field="file", path=str(path)) from exc
    except OSError as exc:
        raise UserError("certificate.read_failed", field="file", path=str(path),
                        detail=exc.strerror or str(exc)) from exc


def verify_certificate_pdf(session: Session, *, data_dir: DataDir, pdf: bytes) -> VerifyOutcome:
    """Check a certificate PDF's bytes, as ``verify_certificate_file`` does a file's."""
    from inspector.certificates.verify import verify_pdf

    result = verify_pdf(pdf, trust=yard_trust(data_dir))
    return _outcome(session, result, reason=result.reason, signer=result.signer_name or result.signer_subject,
                    signed_at=result.signing_time, meaning=result.meaning)


def verify_certificate_qr(session: Session, *, data_dir: DataDir, text: str) -> VerifyOutcome:
    """Check the text of a certificate's QR code: signed by a signer of this yard, and in its register."""
    from inspector.certificates.qr import verify_qr
    from inspector.certificates.trust import certificates_in_folder

    signers = certificates_in_folder(data_dir.keys)
    signers.extend(signer_certificates(session))
    result = verify_qr(text.strip(), trust=yard_trust(data_dir), signers=signers)
    return _outcome(session, result, reason=result.reason, signer=result.signer_name,
                    signed_at=result.issue_date, meaning=None)
