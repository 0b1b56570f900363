"""The weigh ticket: what it says, never a final grade, COPY on reprints, CANCELLED, the sealed QR (and what
tampering does to it), the unsigned ticket of a station without a seal, one page on every paper, the count
of prints in the audit trail, the station's paper and the station's ticket-signing key."""

from __future__ import annotations

import io
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfReader

from inspector.certificates.model import Bilingual
from inspector.certificates.qr import (
    TicketQrVerification,
    make_ticket_qr_text,
    verify_any_qr,
    verify_qr,
    verify_ticket_qr,
)
from inspector.certificates.ticket import PAPERS, TicketCategory, TicketData, TicketWeight, render_ticket
from inspector.clock import Stamp
from inspector.errors import EnvironmentProblemError, PermissionDeniedError, UserError
from inspector.security import keys
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.security.audit import record_change, row_content
from inspector.services import certificates as certificate_svc
from inspector.services import tickets as svc
from inspector.services import yard as yard_svc
from inspector.states import LoadState
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.classification import ClassificationRecord
from inspector.storage.models.core import Load
from tests.core.certificates.ticket_yard import (
    CA_PASSPHRASE,
    INSPECTOR_ACTOR,
    PLATE,
    SUPPLIER,
    YARD_NAME,
    YARD_USCC,
    TicketYard,
    build_ticket_yard,
    weigh_out,
)

CLERK = Actor("chen.jing", "陈静 Chen Jing", frozenset({Role.CLERK}))
ADMIN = Actor("admin", "管理员 Admin", frozenset({Role.ADMIN}))
AT = datetime(2026, 3, 2, 6, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sealed yard for the module, copied for each test (key generation and Argon2 are slow)."""
    root = tmp_path_factory.mktemp("ticket-template") / "yard"
    build_ticket_yard(root).store.close()
    return root


@pytest.fixture
def yard(template: Path, tmp_path: Path) -> Iterator[TicketYard]:
    from inspector.clock import FixedClock
    from inspector.datadir import DataDir
    from inspector.storage.db import open_store

    root = tmp_path / "yard"
    shutil.copytree(template, root)
    keys.clear_signer_cache()
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(AT, offset_minutes=480)
    with store.session() as session:
        load_id = session.execute(sa.select(Load.id)).scalars().one()
    yield TicketYard(store=store, data_dir=data_dir, clock=clock, load_id=load_id)
    store.close()
    keys.clear_signer_cache()


def text_of(pdf: bytes) -> str:
    """The page's text with every run of white space (a wrapped line) as one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def issue(yard: TicketYard, *, actor: Actor = INSPECTOR_ACTOR, paper: str | None = None,
          output: str = "paper") -> svc.IssuedTicket:
    with yard.store.session() as session:
        return svc.issue_ticket(session, actor=actor, clock=yard.clock, data_dir=yard.data_dir,
                                load_id=yard.load_id, paper=paper, output=output)


def data_of(yard: TicketYard) -> TicketData:
    with yard.store.session() as session:
        return svc.build_ticket_data(session, load_id=yard.load_id, printed=yard.clock.now(),
                                     printed_by="李伟 Li Wei", data_dir=yard.data_dir)


def station_ca(yard: TicketYard) -> list[object]:
    """The yard CA and the station certificates, as ``verify --qr`` gathers them from a data directory."""
    with yard.store.session() as session:
        ca = keys.load_pem_certificate(keys.require_ca(session).certificate_pem)
        return [ca, *keys.station_certificates(session)]


def sample(**changes: object) -> TicketData:
    """A complete ticket built by hand: the renderer's own tests need no database."""
    def at(minutes: int) -> Stamp:
        return Stamp(AT + timedelta(minutes=minutes), 480)

    values: dict[str, object] = {
        "yard_name": Bilingual(*YARD_NAME), "yard_uscc": YARD_USCC, "ticket_no": "T2026-000042",
        "plate": PLATE, "driver": "王强", "supplier_name": SUPPLIER[0], "supplier_uscc": SUPPLIER[1],
        "declared": TicketCategory("NDFEB-SL", Bilingual("钕铁硼油泥", "NdFeB sludge")),
        "identified": None, "unit": "kg",
        "gross": TicketWeight(32480, at(0), "INDICATOR", "WB-1"),
        "tare": TicketWeight(12020, at(55), "MANUAL", "WB-1", manual_reason="仪表通讯中断，按显示屏读数录入"),
        "net": 20460, "inspector": "李伟 Li Wei", "outcome": "ACCEPT", "cancelled": False,
        "printed_at": at(60), "printed_by": "李伟 Li Wei",
    }
    values.update(changes)
    return TicketData(**values)  # type: ignore[arg-type]


# --- what the ticket says ---------------------------------------------------------------------------------

def test_the_ticket_at_weigh_out_says_everything_in_chinese_then_english(yard: TicketYard) -> None:
    weigh_out(yard, manual_reason="仪表通讯中断，按显示屏读数录入")
    ticket = issue(yard)
    assert (ticket.copy, ticket.paper, ticket.signed, ticket.ticket_no) == (1, "a4", True, "T2026-000001")
    text = text_of(ticket.pdf)
    for expected in (
        YARD_NAME[0], YARD_NAME[1], YARD_USCC, "T2026-000001", "磅单", "Weigh ticket", PLATE, "王强",
        SUPPLIER[0], SUPPLIER[1], "申报类别", "Declared category", "NDFEB-SL", "尚未识别",
        "not yet identified",
        "32,480 kg", "12,020 kg", "20,460 kg",
        # Each weight's time at the yard with its zone, and its source: the indicator, or MAN WT with why.
        "2026年03月02日 14:10 北京时间 UTC+08:00", "2026-03-02 14:10 UTC+08:00",
        "2026-03-02 15:05 UTC+08:00", "仪表 / Indicator", "地磅 / weighbridge WB-1", "手工称重 / MAN WT",
        "原因 / Reason: 仪表通讯中断，按显示屏读数录入", "毛重 − 皮重 / gross − tare",
        "检验员", "Inspector", "李伟 Li Wei", "2026-03-02 15:10 UTC+08:00",
        "本磅单是司机的收据，不是证书", "the driver's receipt, not a certificate",
        "yard-inspector verify --qr",
    ):
        assert expected in text, expected
    assert text.index("磅单") < text.index("Weigh ticket")
    assert "副本" not in text and "COPY" not in text and "CANCELLED" not in text and "未完成" not in text
    # The declared category by the rule set's names in both languages.
    assert "钕铁硼" in text


def test_before_weigh_out_the_ticket_receipts_the_gross_alone_marked_incomplete(yard: TicketYard) -> None:
    ticket = issue(yard)
    text = text_of(ticket.pdf)
    assert "未完成：仅有毛重。尚未回皮，净重未知。" in text
    assert "Incomplete: gross only." in text
    assert "32,480 kg" in text and "尚未称重" in text and "not yet weighed" in text
    data = data_of(yard)
    assert data.tare is None and data.net is None and not data.complete


def test_a_load_not_yet_weighed_has_no_ticket(yard: TicketYard) -> None:
    with yard.store.session() as session:
        load = yard_svc.register_arrival(session, actor=INSPECTOR_ACTOR, clock=yard.clock, plate="赣A12345",
                                         supplier_id=1)
        load_id = load.id or 0
    with yard.store.session() as session, pytest.raises(UserError) as info:
        svc.issue_ticket(session, actor=INSPECTOR_ACTOR, clock=yard.clock, data_dir=yard.data_dir,
                         load_id=load_id)
    assert (info.value.code, info.value.field) == ("ticket.no_gross", "load")
    assert info.value.words("zh_CN").startswith("车次 T2026-000002 尚无毛重")
    with yard.store.session() as session:
        assert svc.print_count(session, load_id) == 0
    with yard.store.session() as session, pytest.raises(UserError) as missing:
        svc.issue_ticket(session, actor=INSPECTOR_ACTOR, clock=yard.clock, data_dir=yard.data_dir,
                         load_id=999)
    assert (missing.value.code, missing.value.field) == ("ticket.load_not_found", "load_id")


def _classify(yard: TicketYard, *, status: str, outcome: str, grade: str | None, seq: int) -> None:
    """A classification as the classification service stores it (record and load, both audited)."""
    with yard.store.session() as session:
        record = ClassificationRecord(
            load_id=yard.load_id, seq=seq, stage="gate" if status == "provisional" else "lab",
            ruleset_id="CN-RE2R", ruleset_version="0.1.0", ruleset_sha256="0" * 64,
            ruleset_status="provisional", category="NDFEB-SL", outcome=outcome, grade=grade, status=status,
            classified_by=INSPECTOR_ACTOR.user_id, classified_at=yard.clock.now().utc, classified_offset=480)
        record_change(session, record, actor=INSPECTOR_ACTOR, action="classification.create",
                      clock=yard.clock)
        load = session.get(Load, yard.load_id)
        assert load is not None
        old = row_content(load)
        load.outcome, load.grade, load.classification_status = outcome, grade, status
        load.assigned_category = "NDFEB-SL"
        record_change(session, load, actor=INSPECTOR_ACTOR, action="load.classify", clock=yard.clock, old=old)


def test_the_ticket_shows_the_provisional_outcome_and_never_a_final_grade(yard: TicketYard) -> None:
    weigh_out(yard)
    _classify(yard, status="provisional", outcome="ACCEPT", grade="B", seq=1)
    text = text_of(issue(yard).pdf)
    assert "暂定结果" in text and "Provisional outcome" in text
    assert "已接收 / Accepted" in text
    assert "品级以化验报告为准" in text and "never a final grade" in text
    # The lab's final result (another outcome, a grade) is not the ticket's business.
    _classify(yard, status="final", outcome="HOLD", grade="C", seq=2)
    data = data_of(yard)
    assert data.outcome == "ACCEPT"
    assert not any("grade" in name for name in TicketData.__dataclass_fields__)
    text = text_of(issue(yard).pdf)
    assert "已接收 / Accepted" in text
    assert "暂扣中" not in text and "On hold" not in text
    assert "品级：" not in text and "Grade:" not in text and "品级 C" not in text


def test_a_stored_tare_prints_the_date_it_was_weighed(yard: TicketYard) -> None:
    from inspector.services import weighing as weighing_svc

    with yard.store.session() as session:
        weighing_svc.set_stored_tare(session, actor=INSPECTOR_ACTOR, clock=yard.clock,
                                     subject_kind="vehicle", subject_ref=PLATE, weight=12020, unit="kg",
                                     reason="年度标定后的空车重量",
                                     confirmed_by=Actor("zhang.min", "张敏", frozenset({Role.SUPERVISOR})))
    yard.clock.advance(days=3)
    with yard.store.session() as session:
        weighing_svc.apply_stored_tare(session, actor=INSPECTOR_ACTOR, clock=yard.clock, load_id=yard.load_id,
                                       subject_kind="vehicle", subject_ref=PLATE)
    text = text_of(issue(yard).pdf)
    assert "车辆存储皮重（2026年03月02日）" in text
    assert "the vehicle's stored tare of 2026-03-02" in text
    assert "20,460 kg" in text


def test_a_reprint_is_marked_copy_with_its_number(yard: TicketYard) -> None:
    weigh_out(yard)
    first, second, third = issue(yard), issue(yard, output="pdf"), issue(yard, actor=CLERK, paper="80mm")
    assert [t.copy for t in (first, second, third)] == [1, 2, 3]
    assert "COPY" not in text_of(first.pdf)
    assert "副本 COPY 2" in text_of(second.pdf)
    assert "副本 COPY 3" in text_of(third.pdf)
    with yard.store.session() as session:
        events = session.execute(sa.select(AuditEvent).where(AuditEvent.action == "ticket.print")
                                 .order_by(AuditEvent.seq)).scalars().all()
        assert svc.print_count(session, yard.load_id) == 3
    on_load = ("load", str(yard.load_id))
    assert [(e.entity, e.entity_id, e.actor) for e in events] == [(*on_load, "li.wei")] * 2 + \
        [(*on_load, "chen.jing")]
    assert [(e.new["copy"], e.new["paper"], e.new["output"]) for e in events] == [
        (1, "a4", "paper"), (2, "a4", "pdf"), (3, "80mm", "paper")]
    assert {e.new["ticket"] for e in events} == {"T2026-000001"}
    # Every print of one state of the load carries one content hash.
    assert len({e.new["content_sha256"] for e in events}) == 1


def test_the_preview_counts_nothing_and_shows_the_next_copy_number(yard: TicketYard) -> None:
    issue(yard)
    with yard.store.session() as session:
        preview = svc.preview_ticket(session, actor=INSPECTOR_ACTOR, clock=yard.clock, data_dir=yard.data_dir,
                                     load_id=yard.load_id)
        assert preview.copy == 2 and "副本 COPY 2" in text_of(preview.pdf)
        assert svc.print_count(session, yard.load_id) == 1


def test_only_inspectors_supervisors_and_clerks_print_tickets(yard: TicketYard) -> None:
    with yard.store.session() as session, pytest.raises(PermissionDeniedError) as info:
        svc.issue_ticket(session, actor=ADMIN, clock=yard.clock, data_dir=yard.data_dir, load_id=yard.load_id)
    assert info.value.words("zh_CN").startswith("管理员 Admin（admin）无权打印磅单")
    with yard.store.session() as session, pytest.raises(UserError) as bad:
        svc.issue_ticket(session, actor=INSPECTOR_ACTOR, clock=yard.clock, data_dir=yard.data_dir,
                         load_id=yard.load_id, output="fax")
    assert (bad.value.code, bad.value.field) == ("ticket.output_unknown", "output")
    with yard.store.session() as session:
        assert svc.print_count(session, yard.load_id) == 0


def test_a_cancelled_load_prints_with_the_cancelled_mark(yard: TicketYard) -> None:
    weigh_out(yard)
    with yard.store.session() as session:
        load = session.get(Load, yard.load_id)
        assert load is not None
        yard_svc.set_load_state(session, load, LoadState.CANCELLED, actor=INSPECTOR_ACTOR, clock=yard.clock,
                                reason="entered twice by mistake")
    ticket = issue(yard)
    text = text_of(ticket.pdf)
    assert "已作废 CANCELLED" in text and "本车次已作废，磅单号保留。" in text
    assert "T2026-000001" in text
    qr = make_ticket_qr_text(data_of(yard), certificate_svc.certificate_signer(_seal(yard)))
    result = verify_ticket_qr(qr, trust=station_ca(yard))  # type: ignore[arg-type]
    assert result.valid and result.cancelled is True


# --- the seal ---------------------------------------------------------------------------------------------

def _seal(yard: TicketYard) -> keys.Signer:
    with yard.store.session() as session:
        seal = keys.load_station_signer(session, data_dir=yard.data_dir, clock=yard.clock)
    assert seal is not None
    return seal


def test_the_qr_verifies_and_says_what_the_ticket_says(yard: TicketYard) -> None:
    weigh_out(yard)
    data = data_of(yard)
    qr = make_ticket_qr_text(data, certificate_svc.certificate_signer(_seal(yard)))
    assert qr.startswith("YIT1.") and len(qr) < 420  # small enough to scan from a thermal roll
    result = verify_any_qr(qr, trust=station_ca(yard))  # type: ignore[arg-type]
    assert isinstance(result, TicketQrVerification)
    assert result.valid and result.reason.code == "verify.qr.ticket_valid"
    assert (result.ticket_no, result.plate, result.gross, result.tare, result.net, result.unit) == (
        "T2026-000001", PLATE, 32480, 12020, 20460, "kg")
    assert result.weighed_out_at is not None
    assert result.weighed_out_at.isoformat() == "2026-03-02T15:05:00+08:00"
    assert result.content_hash == data.content_hash() and result.cancelled is False
    assert result.signer_name == "Ticket seal Scale house 1"
    # The same state of the load gives the same code on every print (the signature is deterministic).
    reprint = replace(data, printed_by="陈静")
    assert make_ticket_qr_text(reprint, certificate_svc.certificate_signer(_seal(yard))) == qr
    # The certificate verifier does not take a ticket for a certificate, nor the reverse.
    assert not verify_qr(qr, trust=station_ca(yard)).valid  # type: ignore[arg-type]
    other = verify_any_qr("https://example.com/", trust=station_ca(yard))  # type: ignore[arg-type]
    assert not other.valid and other.reason.code == "verify.qr.not_ours_any"


def test_the_qr_of_a_ticket_before_weigh_out_carries_the_gross_alone(yard: TicketYard) -> None:
    data = data_of(yard)
    qr = make_ticket_qr_text(data, certificate_svc.certificate_signer(_seal(yard)))
    result = verify_ticket_qr(qr, trust=station_ca(yard))  # type: ignore[arg-type]
    assert result.valid and (result.gross, result.tare, result.net) == (32480, None, None)
    assert result.weighed_out_at is not None
    assert result.weighed_out_at.isoformat() == "2026-03-02T14:10:00+08:00"  # the gross's time


def test_a_presented_ticket_is_checked_against_the_load_it_receipts(yard: TicketYard) -> None:
    """The paper is current while the load's record says what it says; a weigh-out after a gross-only ticket
    makes it out of date, a cancellation voids it, and a ticket number this yard never gave is unknown."""
    def check(qr: str) -> tuple[str, str]:
        result = verify_ticket_qr(qr, trust=station_ca(yard))  # type: ignore[arg-type]
        with yard.store.session() as session:
            found = svc.check_ticket_against_loads(session, result, data_dir=yard.data_dir)
        return found.status.value, found.reason.code

    seal = certificate_svc.certificate_signer(_seal(yard))
    gross_only = make_ticket_qr_text(data_of(yard), seal)
    assert check(gross_only) == ("issued", "verify.ticket.current")
    weigh_out(yard)
    assert check(gross_only) == ("content_mismatch", "verify.ticket.changed")
    complete = make_ticket_qr_text(data_of(yard), seal)
    assert check(complete) == ("issued", "verify.ticket.current")
    other = make_ticket_qr_text(replace(data_of(yard), ticket_no="T2026-000999"), seal)
    assert check(other) == ("unknown", "verify.ticket.unknown")
    with yard.store.session() as session:
        load = session.get(Load, yard.load_id)
        assert load is not None
        yard_svc.set_load_state(session, load, LoadState.CANCELLED, actor=INSPECTOR_ACTOR, clock=yard.clock,
                                reason="entered twice by mistake")
        session.commit()
    assert check(complete) == ("void", "verify.ticket.cancelled")
    forged = complete[:-3] + ("AAA" if not complete.endswith("AAA") else "BBB")
    assert check(forged)[0] == "not_checked"


def test_a_tampered_qr_is_invalid(yard: TicketYard) -> None:
    import base64
    import json

    weigh_out(yard)
    qr = make_ticket_qr_text(data_of(yard), certificate_svc.certificate_signer(_seal(yard)))
    prefix, payload, signature = qr.split(".")
    fields = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    # A heavier net, kept consistent (gross raised by as much): the seal no longer matches.
    fields["g"], fields["w"] = fields["g"] + 1000, fields["w"] + 1000
    forged = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    forged_text = ".".join([prefix, base64.urlsafe_b64encode(forged).rstrip(b"=").decode(), signature])
    result = verify_ticket_qr(forged_text, trust=station_ca(yard))  # type: ignore[arg-type]
    assert not result.valid and result.reason.code == "verify.qr.signature_mismatch"
    assert result.net == 21460  # what the forgery claims is still shown, as a claim
    # An inconsistent net, a flipped character, a cut code: each one refused with its reason.
    fields["w"] += 10
    bad = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    bad_text = ".".join([prefix, base64.urlsafe_b64encode(bad).rstrip(b"=").decode(), signature])
    result = verify_ticket_qr(bad_text, trust=station_ca(yard))  # type: ignore[arg-type]
    assert result.reason.code == "verify.qr.payload_damaged"
    assert result.reason.words("en") == "The QR payload is damaged (the net is not gross minus tare)."
    flipped = qr[:-5] + ("A" if qr[-5] != "A" else "B") + qr[-4:]
    assert not verify_ticket_qr(flipped, trust=station_ca(yard)).valid  # type: ignore[arg-type]
    assert verify_ticket_qr(qr.rsplit(".", 1)[0], trust=station_ca(yard)).reason.code == \
        "verify.qr.not_a_ticket"  # type: ignore[arg-type]
    # A seal from another CA is not trusted, whatever it says.
    with yard.store.session() as session:
        ca = keys.load_pem_certificate(keys.require_ca(session).certificate_pem)
    untrusted = verify_ticket_qr(qr, trust=[], signers=station_ca(yard)[1:])  # type: ignore[arg-type]
    assert not untrusted.valid
    assert verify_ticket_qr(qr, trust=[ca], signers=station_ca(yard)[1:]).valid  # type: ignore[arg-type]


def test_without_a_station_key_the_ticket_prints_unsigned_and_says_what_to_do(tmp_path: Path) -> None:
    unsealed = build_ticket_yard(tmp_path / "unsealed", seal=False)
    try:
        ticket = issue(unsealed)
        assert not ticket.signed and ticket.copy == 1
        text = text_of(ticket.pdf)
        assert "未签章：本站没有磅单签章密钥。" in text
        assert "Not signed: this station has no ticket-signing key." in text
        assert "yard-inspector keys station-ticket --as ADMIN" in text
        assert "yard-inspector verify --qr" not in text  # no QR, so no word of scanning one
        page = PdfReader(io.BytesIO(ticket.pdf)).pages[0]
        assert "/XObject" not in page["/Resources"]
    finally:
        unsealed.store.close()


@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
                    reason="poppler-utils and zbar-tools are needed to scan the printed QR")
@pytest.mark.parametrize("paper", PAPERS)
def test_the_printed_qr_scans_back_and_verifies(yard: TicketYard, tmp_path: Path, paper: str) -> None:
    weigh_out(yard)
    ticket = issue(yard, paper=paper)
    path = tmp_path / f"ticket-{paper}.pdf"
    path.write_bytes(ticket.pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(path), str(tmp_path / "page")], check=True)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")],
                             capture_output=True, text=True, check=True).stdout.strip()
    result = verify_any_qr(scanned, trust=station_ca(yard))  # type: ignore[arg-type]
    assert result.valid and isinstance(result, TicketQrVerification) and result.net == 20460


# --- the drawing --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", PAPERS)
def test_each_paper_takes_one_page_even_with_a_long_reason(paper: str) -> None:
    # The longest reason a manual weight may carry (500 characters).
    long_reason = "仪表通讯中断，按地磅显示屏读数手工录入，已由主管现场核对。" * 16
    data = sample(tare=TicketWeight(12020, None, "MANUAL", manual_reason=long_reason[:500]))
    for copy, qr in ((1, "YIT1." + "A" * 300 + "." + "B" * 86), (4, None)):
        pdf = render_ticket(data, paper=paper, copy=copy, qr_text=qr, invariant=True)
        assert pages_of(pdf) == 1, (paper, copy)


def test_the_paper_sizes() -> None:
    sizes = {}
    for paper in PAPERS:
        box = PdfReader(io.BytesIO(render_ticket(sample(), paper=paper, copy=1, qr_text=None,
                                                 invariant=True))).pages[0].mediabox
        sizes[paper] = (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72))
    assert sizes["a4"] == (210, 297) and sizes["a5"] == (148, 210)
    width, height = sizes["80mm"]
    assert width == 80 and 150 < height < 400  # a roll: as long as the ticket
    cancelled = PdfReader(io.BytesIO(render_ticket(sample(cancelled=True), paper="80mm", copy=1, qr_text=None,
                                                   invariant=True))).pages[0].mediabox
    assert float(cancelled.height) > float(
        PdfReader(io.BytesIO(render_ticket(sample(), paper="80mm", copy=1, qr_text=None,
                                           invariant=True))).pages[0].mediabox.height)


def test_rendering_is_deterministic_in_invariant_mode() -> None:
    first = render_ticket(sample(), paper="a5", copy=2, qr_text="YIT1.a.b", invariant=True)
    assert render_ticket(sample(), paper="a5", copy=2, qr_text="YIT1.a.b", invariant=True) == first
    assert render_ticket(sample(), paper="a5", copy=3, qr_text="YIT1.a.b", invariant=True) != first


def test_only_the_embedded_cjk_font_is_used() -> None:
    pdf = render_ticket(sample(cancelled=True), paper="80mm", copy=2, qr_text="YIT1.a.b", invariant=True)
    fonts = [f.get_object() for page in PdfReader(io.BytesIO(pdf)).pages
             for f in page["/Resources"]["/Font"].get_object().values()]
    assert fonts
    for font in fonts:
        assert "WenQuanYiMicroHei" in str(font["/BaseFont"])
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_bad_ticket_input_is_refused_naming_the_field() -> None:
    with pytest.raises(UserError) as paper:
        render_ticket(sample(), paper="letter", copy=1, qr_text=None)
    assert (paper.value.code, paper.value.field) == ("ticket.paper_unknown", "paper")
    assert paper.value.words("zh_CN") == "“letter”不是磅单纸张：请从 a4、a5、80mm 中选择。"
    with pytest.raises(UserError) as copy:
        render_ticket(sample(), paper="a4", copy=0, qr_text=None)
    assert (copy.value.code, copy.value.field) == ("ticket.copy_invalid", "copy")
    with pytest.raises(UserError) as net:
        sample(net=20000)
    assert (net.value.code, net.value.field) == ("ticket.weights_inconsistent", "net")
    with pytest.raises(UserError):
        sample(net=None)  # a tare without a net


def test_the_content_hash_leaves_out_the_facts_of_one_print() -> None:
    data = sample()
    later = replace(data, printed_at=Stamp(AT + timedelta(days=1), 480), printed_by="陈静")
    assert later.content_hash() == data.content_hash()
    assert replace(data, cancelled=True).content_hash() != data.content_hash()
    assert replace(data, driver="刘洋").content_hash() != data.content_hash()


# --- the station's paper ------------------------------------------------------------------------------------

def test_the_station_paper_is_remembered_and_its_change_audited(yard: TicketYard) -> None:
    with yard.store.session() as session:
        assert svc.ticket_paper(session) == "a4"
        chosen = svc.set_ticket_paper(session, actor=INSPECTOR_ACTOR, clock=yard.clock, paper=" 80MM ")
        assert chosen == "80mm"
        svc.set_ticket_paper(session, actor=INSPECTOR_ACTOR, clock=yard.clock, paper="80mm")  # no change
    with yard.store.session() as session:
        assert svc.ticket_paper(session) == "80mm"
        changes = session.execute(sa.select(AuditEvent).where(
            AuditEvent.action == "setting.change", AuditEvent.entity_id == "ticket.paper")).scalars().all()
    assert [(e.old, e.new) for e in changes] == [({"value": "a4"}, {"value": "80mm"})]
    assert issue(yard).paper == "80mm"
    assert issue(yard, paper="a5").paper == "a5"  # a print may name another paper without changing it
    with yard.store.session() as session:
        assert svc.ticket_paper(session) == "80mm"
        with pytest.raises(UserError) as info:
            svc.set_ticket_paper(session, actor=INSPECTOR_ACTOR, clock=yard.clock, paper="A3")
    assert info.value.field == "paper"


# --- the station's ticket-signing key -------------------------------------------------------------------

def test_the_station_key_is_an_unattended_seal_issued_by_the_yard_ca(yard: TicketYard) -> None:
    with yard.store.session() as session:
        row = keys.active_station_key(session, yard.data_dir)
        assert row is not None and row.kind == "station" and row.status == "active" and row.username is None
        ca = keys.load_pem_certificate(keys.require_ca(session).certificate_pem)
        actions = session.execute(sa.select(AuditEvent.action).where(
            AuditEvent.entity == "signing_key")).scalars().all()
    path = yard.data_dir.keys / row.path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key, cert, chain = pkcs12.load_key_and_certificates(path.read_bytes(), None)  # no passphrase
    assert key is not None and cert is not None
    assert keys.issued_by(cert, ca) and [c.subject for c in chain] == [ca.subject]
    assert "key.station_issue" in actions


def test_a_new_station_key_supersedes_this_stations_old_one(yard: TicketYard) -> None:
    with yard.store.session() as session:
        old = keys.active_station_key(session, yard.data_dir)
        assert old is not None
        new = keys.create_station_ticket_key(session, actor=SYSTEM, clock=yard.clock, data_dir=yard.data_dir,
                                             ca_passphrase=CA_PASSPHRASE)
    with yard.store.session() as session:
        rows = {r.fingerprint: r.status for r in keys.station_keys(session)}
        assert rows == {old.fingerprint: "superseded", new.fingerprint: "active"}
        active = keys.active_station_key(session, yard.data_dir)
        assert active is not None and active.fingerprint == new.fingerprint
    keys.clear_signer_cache()
    assert _seal(yard).fingerprint == new.fingerprint


def test_the_station_key_needs_an_administrator_and_the_ca_passphrase(yard: TicketYard) -> None:
    with yard.store.session() as session:
        before = len(keys.station_keys(session))
        with pytest.raises(PermissionDeniedError):
            keys.create_station_ticket_key(session, actor=INSPECTOR_ACTOR, clock=yard.clock,
                                           data_dir=yard.data_dir, ca_passphrase=CA_PASSPHRASE)
        with pytest.raises(UserError) as wrong:
            keys.create_station_ticket_key(session, actor=ADMIN, clock=yard.clock, data_dir=yard.data_dir,
                                           ca_passphrase="not the passphrase")
        assert wrong.value.field == "passphrase"
    with yard.store.session() as session:
        assert len(keys.station_keys(session)) == before


def test_a_station_key_that_is_not_valid_or_not_here_seals_nothing(yard: TicketYard) -> None:
    from inspector.clock import FixedClock

    with yard.store.session() as session:
        row = keys.active_station_key(session, yard.data_dir)
        assert row is not None
        later = FixedClock(row.not_after + timedelta(days=1), 480)
        assert keys.load_station_signer(session, data_dir=yard.data_dir, clock=later) is None
    (yard.data_dir.keys / row.path).unlink()  # another station's key: its file is not in this data directory
    keys.clear_signer_cache()
    with yard.store.session() as session:
        assert keys.active_station_key(session, yard.data_dir) is None
    assert not issue(yard).signed


def test_a_yard_without_a_ca_cannot_make_a_station_key(tmp_path: Path) -> None:
    from inspector.clock import FixedClock
    from inspector.datadir import DataDir
    from inspector.storage.db import open_store

    data_dir = DataDir(tmp_path / "bare").ensure()
    store = open_store(data_dir, backup=False)
    try:
        with store.session() as session, pytest.raises(EnvironmentProblemError) as info:
            keys.create_station_ticket_key(session, actor=SYSTEM, clock=FixedClock(AT), data_dir=data_dir,
                                           ca_passphrase=CA_PASSPHRASE)
        assert info.value.code == "ca.missing"
    finally:
        store.close()
