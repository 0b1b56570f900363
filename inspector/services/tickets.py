"""Weigh tickets (磅单): what a load's ticket says, printing it (each print counted and audited), and the
station's paper.

Rules kept here:
- a ticket is printed once the load has a gross weight. The normal case is at weigh-out (gross, tare and
  net); before that the ticket is the receipt of the gross alone, marked 未完成 / Incomplete on the page,
  so a driver sent away before the tare still leaves with a receipt. A load without a gross has nothing
  to receipt and is refused;
- a cancelled load still prints (it keeps its ticket number), marked 已作废 CANCELLED;
- the weights printed are the load's figures of record; each one's time and source come from its latest
  weighing (indicator, or MAN WT with the reason; a stored tare with the date it was weighed or set);
- the outcome printed is the provisional one at the scale (the latest provisional classification), never
  the final grade (DOMAIN.md §10 item 7);
- every print or PDF is an audited ``ticket.print`` event on the load, with its copy number and paper. The
  copy number is the count of the load's earlier ``ticket.print`` events plus one, read under the write
  guard so two stations cannot hand out the same number; the first print is the original, every later
  one is marked 副本 COPY n. No table of its own: the trail's action index keeps the count cheap;
- the ticket is sealed with this station's ticket-signing key when it has one, else printed unsigned;
- the paper (A4, A5 or an 80 mm roll) is the Setting ``ticket.paper`` unless a print names another;
  changing it is an audited setting change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspector import messages
from inspector.certificates.findings import Finding
from inspector.certificates.model import Bilingual
from inspector.certificates.ticket import PAPERS, TicketCategory, TicketData, TicketWeight, check_paper
from inspector.clock import Clock, Stamp, as_utc
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, InspectorError, UserError
from inspector.messages import Language, formats
from inspector.security import keys, users
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_event
from inspector.services import classification as classification_svc
from inspector.services import yard as yard_svc
from inspector.standard.findings import Status
from inspector.standard.ruleset import RuleSet
from inspector.states import LoadState, TareMethod, WeighingKind
from inspector.storage.db import begin_write
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.classification import ClassificationRecord
from inspector.storage.models.core import Load, Setting, Supplier
from inspector.storage.models.weighing import StoredTare, Weighing

if TYPE_CHECKING:
    from inspector.certificates.qr import TicketQrVerification
    from inspector.certificates.verify import RegisterCheck

PAPER_SETTING = "ticket.paper"
DEFAULT_PAPER = "a4"
PRINT_ACTION = "ticket.print"
OUTPUTS = ("paper", "pdf")
# Whoever weighs hands out the ticket; the clerk reprints one at the office.
TICKET_ROLES = (Role.INSPECTOR, Role.SUPERVISOR, Role.CLERK)

__all__ = [
    "DEFAULT_PAPER",
    "PAPERS",
    "PAPER_SETTING",
    "PRINT_ACTION",
    "IssuedTicket",
    "build_ticket_data",
    "check_ticket_against_loads",
    "check_ticket_text",
    "issue_ticket",
    "preview_ticket",
    "print_count",
    "set_ticket_paper",
    "ticket_paper",
    "ticket_summary",
]


@dataclass(frozen=True)
class IssuedTicket:
    """A ticket ready for paper or a file: its PDF, its copy number (1: the original) and paper, and
    whether it carries the station's seal."""

    pdf: bytes
    copy: int
    paper: str
    ticket_no: str
    signed: bool


# --- the station's paper ----------------------------------------------------------------------------------

def ticket_paper(session: Session) -> str:
    """The paper tickets are printed on at this station (``a4`` until someone chooses another)."""
    setting = session.get(Setting, PAPER_SETTING)
    value = setting.value if setting is not None else None
    return value if isinstance(value, str) and value in PAPERS else DEFAULT_PAPER


def set_ticket_paper(session: Session, *, actor: Actor, clock: Clock, paper: str) -> str:
    """Remember ``paper`` as the station's ticket paper (audited when it changes); returns it."""
    require_role(actor, TICKET_ROLES, action="print weigh tickets")
    chosen = check_paper(paper)
    old = ticket_paper(session)
    if chosen == old and session.get(Setting, PAPER_SETTING) is not None:
        return chosen
    setting = session.get(Setting, PAPER_SETTING) or Setting(key=PAPER_SETTING)
    setting.value = chosen
    session.add(setting)
    session.flush()
    record_event(session, actor=actor, action="setting.change", entity="setting", entity_id=PAPER_SETTING,
                 clock=clock, old={"value": old}, new={"value": chosen})
    return chosen


# --- what the ticket says ------------------------------------------------------------------------------

def _load(session: Session, load_id: int) -> Load:
    load = session.get(Load, load_id)
    if load is None or load.id is None:
        raise UserError("ticket.load_not_found", field="load_id", load_id=load_id)
    return load


def _latest_weighing(session: Session, load_id: int, kind: WeighingKind) -> Weighing | None:
    stmt = (select(Weighing).where(col(Weighing.load_id) == load_id, col(Weighing.kind) == kind.value)
            .order_by(col(Weighing.id).desc()))
    return session.exec(stmt).first()


def _stamp(utc: Any, offset: int | None) -> Stamp:
    return Stamp(as_utc(utc), offset or 0)


def _weight(session: Session, load: Load, kind: WeighingKind, figure: int) -> TicketWeight:
    """The figure of record with the time and source of the weighing that gave it (when it did)."""
    weighing = _latest_weighing(session, load.id or 0, kind)
    if weighing is None or weighing.weight != figure:
        return TicketWeight(weight=figure)  # recorded without a weighing (imported): time and source unknown
    stored_at = None
    if weighing.tare_method == TareMethod.STORED.value and weighing.stored_tare_id is not None:
        stored = session.get(StoredTare, weighing.stored_tare_id)
        if stored is not None:
            stored_at = _stamp(stored.set_at, stored.set_offset)
    return TicketWeight(weight=figure, at=_stamp(weighing.captured_at, weighing.captured_offset),
                        source=weighing.source, scale_id=weighing.scale_id,
                        manual_reason=weighing.manual_reason, stored_tare_at=stored_at)


def _provisional(session: Session, load_id: int) -> ClassificationRecord | None:
    """The latest provisional classification (at the scale): what the ticket may say, never the final one."""
    stmt = (select(ClassificationRecord)
            .where(col(ClassificationRecord.load_id) == load_id,
                   col(ClassificationRecord.status) == Status.PROVISIONAL.value)
            .order_by(col(ClassificationRecord.seq).desc()))
    return session.exec(stmt).first()


def _ruleset(session: Session, record: ClassificationRecord | None,
             data_dir: DataDir | None) -> RuleSet | None:
    """The rule set that names the categories: the one the load was judged under, else the one in force.
    None when neither can be read: the ticket then names categories by their codes (it still prints)."""
    try:
        if record is not None:
            return classification_svc.ruleset_judged_under(record.ruleset_id, record.ruleset_version,
                                                           data_dir=data_dir)
        return classification_svc.ruleset_in_force(session, data_dir=data_dir)
    except InspectorError:
        return None


def _category(code: str | None, ruleset: RuleSet | None) -> TicketCategory | None:
    if not code:
        return None
    if ruleset is not None:
        try:
            name = ruleset.category_name(code)
            return TicketCategory(code, Bilingual(zh=name.zh, en=name.en))
        except StopIteration:
            pass
    return TicketCategory(code, Bilingual(zh=code, en=code))


def _display_name(session: Session, username: str) -> str:
    user = users.get_user(session, username) if username else None
    return user.display_name if user is not None else username


def build_ticket_data(session: Session, *, load_id: int, printed: Stamp, printed_by: str,
                      data_dir: DataDir | None = None) -> TicketData:
    """What the ticket of ``load_id`` says now. Refused (``ticket.no_gross``) before the gross is weighed."""
    load = _load(session, load_id)
    if load.gross is None:
        raise UserError("ticket.no_gross", field="load", ticket=load.ticket_no)
    yard = yard_svc.require_yard(session)
    supplier = session.get(Supplier, load.supplier_id)
    record = _provisional(session, load.id or 0)
    ruleset = _ruleset(session, record, data_dir)
    gross = _weight(session, load, WeighingKind.GROSS, load.gross)
    tare = _weight(session, load, WeighingKind.TARE, load.tare) if load.tare is not None else None
    return TicketData(
        yard_name=Bilingual(zh=yard.legal_name, en=yard.legal_name_en or yard.legal_name),
        yard_uscc=yard.uscc,
        ticket_no=load.ticket_no,
        plate=load.plate,
        driver=load.driver,
        supplier_name=supplier.name if supplier is not None else "",
        supplier_uscc=supplier.uscc if supplier is not None else "",
        declared=_category(load.declared_category, ruleset),
        identified=_category(load.assigned_category, ruleset),
        unit=load.weight_unit,
        gross=gross,
        tare=tare,
        net=load.net if tare is not None else None,
        inspector=_display_name(session, load.created_by),
        outcome=record.outcome if record is not None else None,
        cancelled=load.state == LoadState.CANCELLED.value,
        printed_at=printed,
        printed_by=printed_by,
    )


# --- printing ------------------------------------------------------------------------------------------

def print_count(session: Session, load_id: int) -> int:
    """How many times the load's ticket was printed or saved (its ``ticket.print`` events)."""
    stmt = (select(func.count()).select_from(AuditEvent)
            .where(col(AuditEvent.action) == PRINT_ACTION, col(AuditEvent.entity) == "load",
                   col(AuditEvent.entity_id) == str(load_id)))
    return int(session.exec(stmt).one())


def _render(session: Session, data: TicketData, *, data_dir: DataDir, clock: Clock, paper: str,
            copy: int) -> IssuedTicket:
    from inspector.certificates.qr import make_ticket_qr_text
    from inspector.certificates.ticket import render_ticket
    from inspector.services.certificates import certificate_signer

    seal = keys.load_station_signer(session, data_dir=data_dir, clock=clock)
    qr_text = make_ticket_qr_text(data, certificate_signer(seal)) if seal is not None else None
    pdf = render_ticket(data, paper=paper, copy=copy, qr_text=qr_text)
    return IssuedTicket(pdf=pdf, copy=copy, paper=paper, ticket_no=data.ticket_no, signed=seal is not None)


def preview_ticket(session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, load_id: int,
                   paper: str | None = None) -> IssuedTicket:
    """What the next print of the load's ticket would be (its copy number included); nothing is counted."""
    require_role(actor, TICKET_ROLES, action="print weigh tickets")
    chosen = check_paper(paper) if paper is not None else ticket_paper(session)
    data = build_ticket_data(session, load_id=load_id, printed=clock.now(), printed_by=actor.display_name,
                             data_dir=data_dir)
    return _render(session, data, data_dir=data_dir, clock=clock, paper=chosen,
                   copy=print_count(session, load_id) + 1)


def issue_ticket(session: Session, *, actor: Actor, clock: Clock, data_dir: DataDir, load_id: int,
                 paper: str | None = None, output: str = "paper") -> IssuedTicket:
    """Draw the load's ticket for paper or a PDF file and record the print (``ticket.print``).

    ``paper`` None takes the station's paper; ``output`` says how it leaves (``paper`` or ``pdf``). The
    ticket is drawn before the event is written, so a ticket that cannot be drawn is not counted.
    """
    require_role(actor, TICKET_ROLES, action="print weigh tickets")
    if output not in OUTPUTS:
        raise UserError("ticket.output_unknown", field="output", output=output)
    chosen = check_paper(paper) if paper is not None else ticket_paper(session)
    stamp = clock.now()
    data = build_ticket_data(session, load_id=load_id, printed=stamp, printed_by=actor.display_name,
                             data_dir=data_dir)
    begin_write(session)  # the count and the event below in one write: no two prints get one number
    copy = print_count(session, load_id) + 1
    ticket = _render(session, data, data_dir=data_dir, clock=clock, paper=chosen, copy=copy)
    record_event(session, actor=actor, action=PRINT_ACTION, entity="load", entity_id=load_id, clock=clock,
                 new={"ticket": data.ticket_no, "copy": copy, "paper": chosen, "output": output,
                      "content_sha256": data.content_hash(), "signed": ticket.signed})
    return ticket


# --- checking a presented ticket against the loads ----------------------------------------------------

def check_ticket_against_loads(session: Session, result: TicketQrVerification, *,
                               data_dir: DataDir | None = None) -> RegisterCheck:
    """How a ticket whose QR verified stands against this yard's loads: the ticket number exists, the load is
    not cancelled, and what the ticket says is what the load's record says now (an amendment or a weigh-out
    after a gross-only ticket makes the paper out of date)."""
    from inspector.certificates.verify import RegisterCheck, RegisterStatus

    if not result.valid or result.ticket_no is None or result.content_hash is None:
        return RegisterCheck(RegisterStatus.NOT_CHECKED, Finding("verify.register.not_checked"))
    load = session.exec(select(Load).where(col(Load.ticket_no) == result.ticket_no)).first()
    if load is None or load.id is None:
        return RegisterCheck(RegisterStatus.UNKNOWN,
                             Finding("verify.ticket.unknown", ticket=result.ticket_no))
    if load.state == LoadState.CANCELLED.value:
        return RegisterCheck(RegisterStatus.VOID, Finding("verify.ticket.cancelled", ticket=result.ticket_no))
    try:
        now = build_ticket_data(session, load_id=load.id, printed=Stamp(as_utc(load.arrived_at), 0),
                                printed_by="", data_dir=data_dir)
    except InspectorError:
        return RegisterCheck(RegisterStatus.CONTENT_MISMATCH,
                             Finding("verify.ticket.changed", ticket=result.ticket_no))
    if now.content_hash() != result.content_hash:
        return RegisterCheck(RegisterStatus.CONTENT_MISMATCH,
                             Finding("verify.ticket.changed", ticket=result.ticket_no))
    return RegisterCheck(RegisterStatus.ISSUED, Finding("verify.ticket.current", ticket=result.ticket_no))


def ticket_summary(result: TicketQrVerification, lang: Language) -> str:
    """What a ticket's QR says, in words: ticket, plate, weights, the weigh-out time, a cancellation."""
    unit = result.unit or "kg"
    at = result.weighed_out_at
    offset = at.utcoffset() if at is not None else None
    time: object
    if at is None or offset is None:
        time = messages.text("cli.certificates.ticket_time_unknown", lang) or ""
    else:
        time = formats.Moment(at, int(offset.total_seconds() // 60), zone_shown=True)
    which: dict[str, object] = {"ticket": result.ticket_no, "plate": result.plate,
                                "gross": formats.mass(result.gross, unit, lang), "time": time}
    if result.net is None:
        text = messages.text("cli.certificates.ticket_summary_gross_only", lang, which)
    else:
        weights = {"tare": formats.mass(result.tare, unit, lang), "net": formats.mass(result.net, unit, lang)}
        text = messages.text("cli.certificates.ticket_summary", lang, {**which, **weights})
    if result.cancelled:
        text = messages.text("cli.certificates.ticket_cancelled", lang, {"summary": text})
    return text or ""


def check_ticket_text(session: Session, *, data_dir: DataDir, text: str
                      ) -> tuple[TicketQrVerification, RegisterCheck]:
    """Check a scanned ticket QR as this yard sees it: sealed by one of its stations (chained to the yard
    CA in ``keys/``) and what the load's record says now."""
    from inspector.certificates.qr import verify_ticket_qr
    from inspector.certificates.trust import certificates_in_folder, load_certificates, yard_ca_path

    path = yard_ca_path(data_dir)
    if not path.is_file():
        raise EnvironmentProblemError("certificate.yard_ca_missing", path=str(path))
    signers = certificates_in_folder(data_dir.keys) + keys.station_certificates(session)
    result = verify_ticket_qr(text.strip(), trust=load_certificates(path), signers=signers)
    return result, check_ticket_against_loads(session, result, data_dir=data_dir)
