"""The certificate register: issue a signed certificate for an approved lot, void it, reissue it as a new
revision, and count its prints (searching the register and its answers to ``verify`` are read models in
``inspector.queries.certificates``).

Rules kept here:
- a certificate is issued only for an APPROVED lot whose approval is in force and still matches the lot;
  it is signed by the approving supervisor, who re-enters their password and unlocks their key (issuing
  is refused while signing is on hold, e.g. after the clock went backwards);
- numbers are gapless per local year (``2026-000123``); a reissue keeps the number with the next revision
  and names the voided revision it replaces;
- a certificate is never edited: void (a supervisor, with a reason) and reissue;
- every paper print is counted and audited; only the first sheet ever printed is the original layout, every
  later one is drawn with the "COPY" mark. The COPY is rendered from the stored content and the stored
  signed QR text, unsigned: the signed PDF in ``certificates/`` is never touched, so the file stays the one
  verifiable original, and the COPY's QR still verifies offline (it carries the same content hash).
Every mutation writes its audit events in the caller's transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from inspector.certificates.model import (
    AssayLine,
    Bilingual,
    CertificateData,
    ChainHead,
    Issuer,
    RuleSetRef,
    Signatory,
    Supplier,
)
from inspector.certificates.register import certificates_of_lot, in_force_for_lot, void_row
from inspector.clock import Clock, Stamp, as_utc
from inspector.datadir import DataDir
from inspector.errors import ConflictError, EnvironmentProblemError, RecordedRefusalError, UserError
from inspector.files import write_atomically
from inspector.lots import massbalance
from inspector.lots.version import latest_records, members
from inspector.messages import Term
from inspector.reasons import require_reason
from inspector.security import checkpoints, clockguard, keys, users
from inspector.security.actor import SYSTEM, Actor, Role, require_role
from inspector.security.audit import record_change, row_content
from inspector.services import lots as lot_services
from inspector.standard.ruleset import RuleSet
from inspector.states import CertificateStatus, LotState
from inspector.storage.models.certificates import Certificate, CertificatePrint
from inspector.storage.models.core import Load, Yard
from inspector.storage.models.core import Supplier as SupplierRow
from inspector.storage.models.intake import LabReport
from inspector.storage.models.lots import Approval, Lot
from inspector.storage.sequences import next_number

SERIES = "certificate"
ISSUERS = (Role.CLERK, Role.SUPERVISOR)
PRINTERS = (Role.CLERK, Role.SUPERVISOR, Role.INSPECTOR)
MAX_COPIES = 100  # copies of one certificate in one print job
# What may be done to certificates, as a refusal names it (``words.certificate_action.<code>``).
ACTIONS = "certificate_action"
_UNIT_KG = {"kg": Decimal(1), "t": Decimal(1000)}
_PENDING_FILES = "yard_inspector_pending_certificate_files"
NOT_RECORDED = Bilingual(zh="未记录", en="not recorded")
# What the approving supervisor's signature on a certificate means (its /Reason). Their own words on the lot
# stay in the signed approval record the certificate cites.
APPROVAL_MEANING = Bilingual(zh="批准本批次的分类、品级与质量并签发本证书",
                             en="Classification, grade and mass of this lot approved; certificate issued")

def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:06d}"


def file_name_for(number: str, revision: int) -> str:
    return f"{number}-r{revision}.pdf"


# --- reading the register --------------------------------------------------------------------------------

def get_certificate(session: Session, number: str, revision: int | None = None) -> Certificate:
    """A revision of a certificate (the latest when ``revision`` is None)."""
    text = (number or "").strip()
    stmt = select(Certificate).where(col(Certificate.number) == text)
    if revision is not None:
        stmt = stmt.where(col(Certificate.revision) == revision)
    row = session.exec(stmt.order_by(col(Certificate.revision).desc())).first()
    if row is None:
        if revision is not None:
            raise UserError("certificate.revision_not_found", field="number", number=text, revision=revision)
        raise UserError("certificate.not_found", field="number", number=text)
    return row


def revisions(session: Session, number: str) -> list[Certificate]:
    stmt = select(Certificate).where(col(Certificate.number) == number).order_by(col(Certificate.revision))
    return list(session.exec(stmt).all())


def certificate_path(data_dir: DataDir, row: Certificate) -> Path:
    return data_dir.certificates / row.file_name


def read_original(data_dir: DataDir, row: Certificate) -> bytes:
    """The signed PDF of a register row, checked against the hash the register holds."""
    path = certificate_path(data_dir, row)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblemError("certificate.signed_file_unreadable", number=row.number,
                                      revision=row.revision, path=str(path),
                                      detail=exc.strerror or str(exc)) from exc
    if hashlib.sha256(blob).hexdigest() != row.file_sha256:
        raise EnvironmentProblemError("certificate.signed_file_changed", number=row.number,
                                      revision=row.revision, path=str(path))
    return blob


# --- content ---------------------------------------------------------------------------------------------

def data_of(row: Certificate, *, copy: bool = False) -> CertificateData:
    """The certificate's content rebuilt from the register (checked against its hash)."""
    data = data_from_content(row.content)
    if data.content_hash() != row.content_sha256:
        raise EnvironmentProblemError("certificate.content_altered", number=row.number, revision=row.revision)
    return replace(data, copy=copy)


def _bilingual(value: Any) -> Bilingual:
    return Bilingual(zh=str(value["zh"]), en=str(value["en"]))


def _stamp(value: Any) -> Stamp:
    return Stamp(utc=datetime.fromisoformat(value["utc"]).astimezone(UTC),
                 offset_minutes=int(value["offset_minutes"]))


def _signatory(value: Any) -> Signatory:
    return Signatory(printed_name=value["printed_name"], role=_bilingual(value["role"]),
                     at=_stamp(value["at"]), meaning=_bilingual(value["meaning"]))


def data_from_content(content: dict[str, Any]) -> CertificateData:
    """The inverse of ``CertificateData.content()``."""
    issuer = content["issuer"]
    rule_set = content["rule_set"]
    return CertificateData(
        number=content["number"],
        revision=int(content["revision"]),
        issue_date=date.fromisoformat(content["issue_date"]),
        issuer=Issuer(legal_name=_bilingual(issuer["legal_name"]),
                      permit_numbers=tuple(issuer["permit_numbers"]),
                      address=None if issuer.get("address") is None else _bilingual(issuer["address"])),
        supplier=Supplier(name=content["supplier"]["name"], uscc=content["supplier"]["uscc"]),
        lot_number=content["lot_number"],
        tickets=tuple(content["tickets"]),
        category_code=content["category_code"],
        category_name=_bilingual(content["category_name"]),
        grade=content["grade"],
        rule_set=RuleSetRef(standard_reference=_bilingual(rule_set["standard_reference"]),
                            rule_set_id=rule_set["rule_set_id"], version=rule_set["version"],
                            status=rule_set["status"]),
        net_mass_kg=Decimal(content["net_mass_kg"]),
        dry_mass_kg=Decimal(content["dry_mass_kg"]),
        contained_reo_kg=Decimal(content["contained_reo_kg"]),
        assay=tuple(AssayLine(a["analyte"], Decimal(a["value"]), a["unit"]) for a in content["assay"]),
        assay_basis=_bilingual(content["assay_basis"]),
        lab_name=content["lab_name"],
        lab_report_number=content["lab_report_number"],
        radiation_statement=_bilingual(content["radiation_statement"]),
        hazardous_waste_status=_bilingual(content["hazardous_waste_status"]),
        inspected_by=_signatory(content["inspected_by"]),
        approved_by=_signatory(content["approved_by"]),
        chain_head=ChainHead(seq=int(content["chain_head"]["seq"]), hash=content["chain_head"]["hash"]),
        supersedes=content.get("supersedes"),
    )


def _display_name(session: Session, username: str) -> str:
    user = users.get_user(session, username)
    return user.display_name if user is not None else username


def _decimal_attr(attributes: dict[str, Any], key: str) -> Decimal | None:
    raw = attributes.get(key)
    if raw in (None, "") or isinstance(raw, bool | float):
        return None
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def _radiation(loads: Sequence[Load]) -> Bilingual:
    nets = []
    for ld in loads:
        gross = _decimal_attr(ld.attributes, "dose_gross_usv_h")
        background = _decimal_attr(ld.attributes, "dose_background_usv_h")
        if gross is not None and background is not None:
            nets.append(max(gross - background, Decimal(0)))
    alarm = any(ld.attributes.get("portal_alarm") is True for ld in loads)
    uth = [v for v in (_decimal_attr(ld.attributes, "u_th_max_bq_g") for ld in loads) if v is not None]
    # Chinese with full-width punctuation, English with ASCII: each line reads right in its own language.
    if not nets:
        zh, en = "未记录门岗剂量率", "No gate dose rate recorded"
    else:
        zh = f"门岗剂量率净值最大 {max(nets)} µSv/h"
        en = f"Gate dose rate net at most {max(nets)} µSv/h"
    zh += "，门岗报警" if alarm else "，未报警"
    en += ", portal alarm raised" if alarm else ", no portal alarm"
    if uth:
        zh += f"；U/Th 最大 {max(uth)} Bq/g"
        en += f"; U/Th at most {max(uth)} Bq/g"
    return Bilingual(zh=zh + "。", en=en + ".")


def _hazardous(loads: Sequence[Load]) -> Bilingual:
    codes = sorted({str(ld.attributes.get("hazardous_waste_code")) for ld in loads
                    if ld.attributes.get("hazardous_waste_code")})
    if not codes:
        return Bilingual(zh="非危险废物（无 HW 代码）", en="Not hazardous waste (no HW code)")
    return Bilingual(zh=f"危险废物 {'、'.join(codes)}（本站经营许可范围内）",
                     en=f"Hazardous waste {', '.join(codes)} (within this yard's operating permit)")


def _kg(amount: Decimal, unit: str) -> Decimal:
    factor = _UNIT_KG.get(unit)
    if factor is None:
        raise UserError("certificate.weight_unit_unsupported", field="weight_unit", unit=unit)
    return amount * factor


def build_certificate_data(
    session: Session, *, lot: Lot, approval: Approval, ruleset: RuleSet, number: str, revision: int,
    stamp: Stamp, supersedes: str | None = None,
) -> CertificateData:
    """What the certificate of ``lot`` says (DOMAIN.md §8), from the yard, supplier, loads, approval."""
    yard = session.exec(select(Yard)).first()
    if yard is None:
        raise EnvironmentProblemError("certificate.yard_missing")
    supplier = session.get(SupplierRow, lot.supplier_id)
    if supplier is None:
        raise EnvironmentProblemError("certificate.supplier_missing", lot=lot.lot_no)
    rows = members(session, lot)
    loads = [ld for _, ld in rows]
    units = {ld.weight_unit for ld in loads}
    if len(units) != 1:
        raise UserError("certificate.weight_units_mixed", field="lot", lot=lot.lot_no, units=sorted(units))
    unit = units.pop()
    balance = lot_services.lot_balance(session, lot, ruleset)
    net = _kg(Decimal(balance.net), unit)
    dry = _kg(massbalance.display(balance.dry), unit)
    reo = _kg(massbalance.display(balance.reo), unit)
    assay: list[AssayLine] = []
    if balance.treo_pct is not None:
        assay.append(AssayLine("TREO", massbalance.display(balance.treo_pct), "%"))
    if balance.net:
        water_oil = (Decimal(balance.net) - balance.dry) * 100 / Decimal(balance.net)
        assay.append(AssayLine("H2O + oil", massbalance.display(water_oil), "%"))
    ids = [ld.id or 0 for ld in loads]
    reports = session.exec(select(LabReport).where(col(LabReport.load_id).in_(ids))
                           .order_by(col(LabReport.load_id), col(LabReport.seq))).all()
    latest: dict[int, LabReport] = {r.load_id: r for r in reports}
    labs = sorted({r.lab for r in latest.values() if r.lab})
    numbers = sorted({r.report_number for r in latest.values() if r.report_number})
    records = latest_records(session, ids)
    inspectors = sorted({r.classified_by for r in records.values()} - {SYSTEM.user_id})
    if not inspectors:
        inspectors = sorted({ld.created_by for ld in loads if ld.created_by} - {SYSTEM.user_id})
    if records:
        newest = max(records.values(), key=lambda r: as_utc(r.classified_at))
        inspected_at = Stamp(as_utc(newest.classified_at), newest.classified_offset)
    elif lot.submitted_at is not None:
        inspected_at = Stamp(as_utc(lot.submitted_at), lot.submitted_offset or 0)
    else:
        inspected_at = Stamp(as_utc(lot.created_at), lot.created_offset)
    head = checkpoints.current_head(session)
    if head is None:
        raise EnvironmentProblemError("certificate.audit_trail_empty")
    category_name = ruleset.category_name(lot.category)
    definition = ruleset.definition
    return CertificateData(
        number=number,
        revision=revision,
        issue_date=stamp.local().date(),
        issuer=Issuer(
            legal_name=Bilingual(zh=yard.legal_name, en=yard.legal_name_en or yard.legal_name),
            permit_numbers=tuple(yard.permit_numbers),
            # The yard records its address in Chinese only; printing it twice as "both languages" adds
            # nothing, so the certificate names the entity and its permits.
            address=None,
        ),
        supplier=Supplier(name=supplier.name, uscc=supplier.uscc),
        lot_number=lot.lot_no,
        tickets=tuple(ld.ticket_no for ld in loads),
        category_code=lot.category,
        category_name=Bilingual(zh=category_name.zh, en=category_name.en),
        grade=balance.grade or "-",
        rule_set=RuleSetRef(
            standard_reference=Bilingual(zh=definition.standard_ref.zh, en=definition.standard_ref.en),
            rule_set_id=ruleset.id, version=ruleset.version, status=ruleset.status,
        ),
        net_mass_kg=net,
        dry_mass_kg=min(dry, net),
        contained_reo_kg=min(reo, dry, net),
        assay=tuple(assay),
        assay_basis=Bilingual(zh="干基氧化物", en="dry oxide basis"),
        lab_name="、".join(labs) or f"{NOT_RECORDED.zh} / {NOT_RECORDED.en}",
        lab_report_number=", ".join(numbers) or "-",
        radiation_statement=_radiation(loads),
        hazardous_waste_status=_hazardous(loads),
        inspected_by=Signatory(
            printed_name="、".join(_display_name(session, u) for u in inspectors) or SYSTEM.display_name,
            role=Bilingual(zh="检验员", en="Inspector"),
            at=inspected_at,
            meaning=Bilingual(zh="已完成取样、识别与分类", en="Sampling, identification and classification "
                              "performed"),
        ),
        approved_by=Signatory(
            printed_name=approval.printed_name,
            role=Bilingual(zh="主管", en="Supervisor"),
            at=Stamp(as_utc(approval.signed_at), approval.signed_offset),
            meaning=APPROVAL_MEANING,
        ),
        chain_head=ChainHead(seq=head.seq, hash=head.hash),
        supersedes=supersedes,
    )


# --- signing and files -----------------------------------------------------------------------------------

# fingerprint -> (the unlocked keys.Signer, its CertificateSigner): building one parses the key and chain.
_certificate_signers: dict[str, tuple[keys.Signer, Any]] = {}


def certificate_signer(signer: keys.Signer) -> Any:
    """The ``CertificateSigner`` of an unlocked key, built once per unlocked key object."""
    from inspector.certificates.sign import CertificateSigner

    cached = _certificate_signers.get(signer.fingerprint)
    if cached is not None and cached[0] is signer:
        return cached[1]
    built = CertificateSigner(signer.private_key, signer.certificate, signer.chain)
    _certificate_signers[signer.fingerprint] = (signer, built)
    return built


def _write_file(session: Session, path: Path, blob: bytes) -> None:
    """Write the signed PDF durably now; it is removed again if the transaction rolls back."""
    try:
        write_atomically(path, blob)
    except OSError as exc:
        raise EnvironmentProblemError("certificate.write_failed", path=str(path),
                                      detail=exc.strerror or str(exc)) from exc
    pending: list[Path] | None = session.info.get(_PENDING_FILES)
    if pending is None:
        pending = []
        session.info[_PENDING_FILES] = pending
        event.listen(session, "after_commit", _keep_files)
        event.listen(session, "after_rollback", _remove_files)
    pending.append(path)


def _keep_files(session: Session) -> None:
    session.info.get(_PENDING_FILES, []).clear()


def _remove_files(session: Session) -> None:
    pending: list[Path] = session.info.get(_PENDING_FILES, [])
    for path in pending:
        path.unlink(missing_ok=True)
    pending.clear()


# --- issue, void, reissue --------------------------------------------------------------------------------

def _issue(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, lot: Lot, password: str,
    passphrase: str, ruleset: RuleSet | None, replaces: Certificate | None,
) -> Certificate:
    if lot.state != LotState.APPROVED.value:
        # A draft or submitted lot is on its way to an approval; the others are not (say so without a hint).
        waiting = lot.state in (LotState.DRAFT.value, LotState.SUBMITTED.value)
        raise ConflictError("certificate.lot_not_yet_approved" if waiting else "certificate.lot_not_approved",
                            field="lot", lot=lot.lot_no, state=Term("lot_state", lot.state))
    rs = lot_services.ruleset_of_lot(lot, data_dir=data_dir, ruleset=ruleset)
    approval = lot_services.approval_for_certificate(session, lot_no=lot.lot_no, ruleset=rs)
    result = users.authenticate(session, username=approval.user_id, password=password, clock=clock,
                                purpose="signature")
    if not result.ok or result.actor is None:
        # The failed attempt counts towards the lock even though the issue is refused.
        # The sign-in's refusal in the reader's language, then who must type the password; ``outcome``
        # (wrong_password, locked ...) keeps the JSON of the error a stable code.
        raise RecordedRefusalError("certificate.signer_refused", field="password", refusal=result,
                                   outcome=result.outcome, user=approval.user_id)
    clockguard.require_signing_allowed(session, clock=clock)
    signer = keys.load_signer(session, data_dir=data_dir, username=approval.user_id, passphrase=passphrase,
                              clock=clock)
    stamp = clock.now()
    if replaces is None:
        year = stamp.local().year
        seq = next_number(session, series=SERIES, year=year)
        number, revision = format_number(year, seq), 1
    else:
        year, seq, number, revision = replaces.year, replaces.seq, replaces.number, replaces.revision + 1
    data = build_certificate_data(session, lot=lot, approval=approval, ruleset=rs, number=number,
                                  revision=revision, stamp=stamp,
                                  supersedes=None if replaces is None else replaces.reference)
    from inspector.certificates.qr import make_qr_text
    from inspector.certificates.render import render_certificate
    from inspector.certificates.sign import sign_certificate

    cert_signer = certificate_signer(signer)
    qr_text = make_qr_text(data, cert_signer)
    signed = sign_certificate(render_certificate(data, qr_text=qr_text), data, cert_signer)
    file_name = file_name_for(number, revision)
    _write_file(session, data_dir.certificates / file_name, signed)
    row = Certificate(
        number=number, year=year, seq=seq, revision=revision, lot_id=lot.id or 0, lot_no=lot.lot_no,
        supplier_id=lot.supplier_id, supplier_name=data.supplier.name[:200], category=lot.category,
        grade=data.grade, net_mass_kg=str(data.net_mass_kg), approval_id=approval.id or 0,
        replaces_id=None if replaces is None else replaces.id, content_sha256=data.content_hash(),
        content=data.content(), qr_text=qr_text, file_name=file_name,
        file_sha256=hashlib.sha256(signed).hexdigest(), issued_by=actor.user_id, issued_at=stamp.utc,
        issued_offset=stamp.offset_minutes, signer_user=signer.username,
        signer_fingerprint=signer.fingerprint,
    )
    action = "certificate.reissue" if replaces else "certificate.issue"
    record_change(session, row, actor=actor, action=action, clock=clock,
                  reason=None if replaces is None else f"replaces {replaces.reference}")
    lot_services.mark_certified(session, actor=actor, clock=clock, lot_no=lot.lot_no, ruleset=rs)
    checkpoints.write_checkpoint(session, data_dir=data_dir, signer=signer, clock=clock,
                                 purpose="certificate", reference=row.reference)
    return row


def issue_certificate(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, lot_no: str, password: str,
    passphrase: str, ruleset: RuleSet | None = None,
) -> Certificate:
    """Issue the first certificate of an approved lot, signed by the supervisor who approved it.

    ``password`` and ``passphrase`` are that supervisor's (re-entered at the moment of signing); the actor
    who issues is a clerk or a supervisor. The PDF is written to ``<data dir>/certificates/``.
    """
    require_role(actor, ISSUERS, action=Term(ACTIONS, "issue"))
    lot = lot_services.get_lot(session, lot_no)
    existing = certificates_of_lot(session, lot.id or 0)
    in_force = [c for c in existing if c.status == CertificateStatus.ISSUED.value]
    if in_force:
        raise ConflictError("certificate.lot_has_certificate", field="lot", lot=lot.lot_no,
                            number=in_force[-1].number, revision=in_force[-1].revision)
    if existing:
        raise ConflictError("certificate.lot_certificate_void", field="lot", lot=lot.lot_no,
                            number=existing[-1].number)
    return _issue(session, actor=actor, clock=clock, data_dir=data_dir, lot=lot, password=password,
                  passphrase=passphrase, ruleset=ruleset, replaces=None)


def void_certificate(
    session: Session, *, actor: Actor, clock: Clock, number: str, reason: str, revision: int | None = None,
) -> Certificate:
    """A supervisor voids a certificate revision (the latest by default) with a reason. The file stays
    (it still verifies as a file); the register reports it VOID. The lot goes back to approved, ready for a
    reissue, unless another revision is in force."""
    require_role(actor, (Role.SUPERVISOR,), action=Term(ACTIONS, "void"))
    text = require_reason(reason, field="reason", code="certificate.void_reason_missing")
    row = get_certificate(session, number, revision)
    if row.status == CertificateStatus.VOID.value:
        raise ConflictError("certificate.already_void", field="number", number=row.number,
                            revision=row.revision, reason=row.void_reason or "")
    void_row(session, row, actor=actor, clock=clock, reason=text)
    lot = session.get(Lot, row.lot_id)
    if lot is not None and not in_force_for_lot(session, row.lot_id):
        lot_services.mark_uncertified(session, lot, actor=actor, clock=clock, certificate=row.reference,
                                      reason=text)
    return row


def reissue_certificate(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, number: str, password: str,
    passphrase: str, ruleset: RuleSet | None = None,
) -> Certificate:
    """Issue the next revision of a voided certificate (same number), for its lot as approved now."""
    require_role(actor, ISSUERS, action=Term(ACTIONS, "reissue"))
    latest = get_certificate(session, number)
    if latest.status != CertificateStatus.VOID.value:
        raise ConflictError("certificate.reissue_in_force", field="number", number=latest.number,
                            revision=latest.revision)
    lot = session.get(Lot, latest.lot_id)
    if lot is None:
        raise EnvironmentProblemError("certificate.lot_missing", number=latest.number,
                                      revision=latest.revision)
    return _issue(session, actor=actor, clock=clock, data_dir=data_dir, lot=lot, password=password,
                  passphrase=passphrase, ruleset=ruleset, replaces=latest)


# --- printing --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PrintJob:
    """A recorded print: the certificate, whether its sheets carry the COPY mark, and the log row."""

    certificate: Certificate
    marked_copy: bool
    log: CertificatePrint


def record_print(
    session: Session, *, actor: Actor, clock: Clock, number: str, revision: int | None = None,
    copies: int = 1, kind: str = "paper",
) -> PrintJob:
    """Count a print (audited). Only the first single sheet on paper is the original layout; every later
    print, any multi-copy job and every exported print file is marked COPY. A void certificate is not
    printed."""
    require_role(actor, PRINTERS, action=Term(ACTIONS, "print"))
    if kind not in ("paper", "pdf"):
        raise UserError("certificate.print_kind_unknown", field="kind", kind=kind)
    if not 1 <= copies <= MAX_COPIES:
        raise UserError("certificate.print_copies", field="copies", copies=copies, maximum=MAX_COPIES)
    row = get_certificate(session, number, revision)
    if row.status == CertificateStatus.VOID.value:
        raise ConflictError("certificate.void_not_printed", field="number", number=row.number,
                            revision=row.revision, reason=row.void_reason or "")
    marked = kind != "paper" or row.print_count > 0 or copies > 1
    stamp = clock.now()
    log = CertificatePrint(certificate_id=row.id or 0, copies=copies, marked_copy=marked, kind=kind,
                           printed_by=actor.user_id, printed_at=stamp.utc,
                           printed_offset=stamp.offset_minutes)
    record_change(session, log, actor=actor, action="certificate.print", clock=clock,
                  reason=f"{row.reference}: {copies} {'COPY' if marked else 'original'} {kind}")
    old = row_content(row)
    row.print_count += copies
    record_change(session, row, actor=actor, action="certificate.print_count", clock=clock, old=old)
    return PrintJob(certificate=row, marked_copy=marked, log=log)


def print_document(data_dir: DataDir, row: Certificate, *, marked_copy: bool) -> bytes:
    """The PDF to put on paper: the signed original, or a COPY rendered from the register (unsigned; its
    QR is the original's signed QR, so the paper copy still verifies offline)."""
    if not marked_copy:
        return read_original(data_dir, row)
    from inspector.certificates.render import render_certificate

    return render_certificate(data_of(row, copy=True), qr_text=row.qr_text)


@dataclass(frozen=True)
class PaperSheet:
    """What goes on paper for one certificate: its PDF, and whether that is a COPY (else the original)."""

    reference: str
    marked_copy: bool
    pdf: bytes


def next_print(
    session: Session, *, data_dir: DataDir, number: str, revision: int | None = None,
) -> PaperSheet:
    """What the next paper print of a certificate would be (the preview): nothing is counted."""
    row = get_certificate(session, number, revision)
    marked = row.print_count > 0
    return PaperSheet(row.reference, marked, print_document(data_dir, row, marked_copy=marked))


def print_certificate(
    session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, number: str,
    revision: int | None = None,
) -> PaperSheet:
    """Record one paper print of a certificate (``record_print``) and give the PDF to put on paper.

    The sheet is drawn first, as the register will decide (a later print is a COPY), so a certificate that
    cannot be drawn is not counted as printed; it is drawn again in the unlikely case the count decided
    otherwise."""
    sheet = next_print(session, data_dir=data_dir, number=number, revision=revision)
    job = record_print(session, actor=actor, clock=clock, number=number, revision=revision)
    if job.marked_copy == sheet.marked_copy:
        return sheet
    return PaperSheet(sheet.reference, job.marked_copy,
                      print_document(data_dir, job.certificate, marked_copy=job.marked_copy))


def print_log(session: Session, row: Certificate) -> list[CertificatePrint]:
    stmt = select(CertificatePrint).where(col(CertificatePrint.certificate_id) == row.id).order_by(
        col(CertificatePrint.id))
    return list(session.exec(stmt).all())
