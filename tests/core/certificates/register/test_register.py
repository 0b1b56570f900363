"""The register: void and reissue, the register check of a presented file, prints in the audit trail,
searching, the content round trip and the migration."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, col, select

from inspector.certificates.findings import Finding
from inspector.certificates.qr import verify_qr
from inspector.certificates.trust import load_certificates, yard_ca_path
from inspector.certificates.verify import RegisterStatus, check_against_register, verify_pdf
from inspector.errors import ConflictError, PermissionDeniedError, UserError
from inspector.queries import certificates as register
from inspector.security.verify import verify_all
from inspector.services import certificates as svc
from inspector.services import lots as lot_services
from inspector.storage.db import Store
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.certificates import Certificate
from tests.core.certificates.register.conftest import SUPERVISOR, RegisterYard, make_lot


def issue(ryard: RegisterYard, lot_no: str) -> Certificate:
    with ryard.store.session() as s:
        return svc.issue_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock,
                                     data_dir=ryard.data_dir, lot_no=lot_no, ruleset=ryard.ruleset,
                                     **ryard.secrets())


def void(ryard: RegisterYard, number: str, *, as_user: str = SUPERVISOR,
         reason: str = "lab report number was wrong") -> Certificate:
    ryard.clock.advance(minutes=2)
    with ryard.store.session() as s:
        return svc.void_certificate(s, actor=ryard.actor(as_user), clock=ryard.clock, number=number,
                                    reason=reason)


def reissue(ryard: RegisterYard, number: str) -> Certificate:
    ryard.clock.advance(minutes=2)
    with ryard.store.session() as s:
        return svc.reissue_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock,
                                       data_dir=ryard.data_dir, number=number, ruleset=ryard.ruleset,
                                       **ryard.secrets())


def trust(ryard: RegisterYard) -> list[Any]:
    return load_certificates(yard_ca_path(ryard.data_dir))


def register_status(ryard: RegisterYard, pdf: bytes) -> tuple[bool, RegisterStatus, Finding]:
    result = verify_pdf(pdf, trust=trust(ryard))
    with ryard.store.session() as s:
        check = check_against_register(result, register.register_lookup(s))
    return result.valid, check.status, check.reason


def lot_state(ryard: RegisterYard, lot_no: str) -> str:
    with ryard.store.session() as s:
        return lot_services.get_lot(s, lot_no).state


def test_void_then_reissue(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    first = issue(ryard, lot_no)
    original = (ryard.data_dir.certificates / first.file_name).read_bytes()
    voided = void(ryard, first.number)
    assert (voided.status, voided.voided_by, voided.void_reason) == ("void", SUPERVISOR,
                                                                    "lab report number was wrong")
    assert lot_state(ryard, lot_no) == "approved"  # ready for the reissue
    # The voided file is still intact and signed, but the register says it is not in force.
    valid, status, reason = register_status(ryard, original)
    assert valid and status is RegisterStatus.VOID
    assert reason == Finding("verify.register.void_because", number=first.number, revision=1,
                             reason="lab report number was wrong")
    second = reissue(ryard, first.number)
    assert (second.number, second.revision, second.replaces_id) == (first.number, 2, first.id)
    assert second.file_name == f"{first.number}-r2.pdf"
    assert svc.data_of(second).supersedes == f"{first.number} rev 1"
    assert lot_state(ryard, lot_no) == "certified"
    valid, status, _ = register_status(ryard, (ryard.data_dir.certificates / second.file_name).read_bytes())
    assert valid and status is RegisterStatus.ISSUED
    assert (ryard.data_dir.certificates / first.file_name).read_bytes() == original  # never touched
    with ryard.store.session() as s:
        assert [r.revision for r in svc.revisions(s, first.number)] == [1, 2]
        acts = list(s.exec(select(col(AuditEvent.action))).all())
    assert {"certificate.void", "lot.certificate_void", "certificate.reissue"} <= set(acts)


def test_only_a_supervisor_voids_and_a_reason_is_required(ryard: RegisterYard) -> None:
    row = issue(ryard, make_lot(ryard))
    with pytest.raises(PermissionDeniedError):
        void(ryard, row.number, as_user="chen.jing")
    with pytest.raises(UserError) as caught:
        void(ryard, row.number, reason="  ")
    assert (caught.value.field, caught.value.code) == ("reason", "certificate.void_reason_missing")
    assert caught.value.words("zh_CN") == "请说明作废证书的原因（至少 5 个字符）。"
    void(ryard, row.number)
    with pytest.raises(ConflictError, match="already void") as again:
        void(ryard, row.number)
    assert again.value.code == "certificate.already_void"
    assert again.value.words("zh_CN") == (f"证书 {row.number}（第 1 版）已作废"
                                          "（lab report number was wrong）。")


def test_in_force_is_not_reissued_and_a_voided_lot_is_not_issued_anew(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    row = issue(ryard, lot_no)
    with pytest.raises(ConflictError, match="in force") as in_force:
        reissue(ryard, row.number)
    assert in_force.value.code == "certificate.reissue_in_force"
    void(ryard, row.number)
    with pytest.raises(ConflictError, match="Reissue it") as voided:
        issue(ryard, lot_no)
    assert voided.value.code == "certificate.lot_certificate_void"
    assert voided.value.words("zh_CN") == (f"批次 {lot_no} 曾有证书 {row.number}，该证书已作废。"
                                           f"请重新签发：yard-inspector certificates reissue {row.number}。")


def test_a_lot_changed_after_the_void_needs_a_new_approval_before_the_reissue(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    row = issue(ryard, lot_no)
    void(ryard, row.number)
    with ryard.store.session() as s:
        lot_services.void_lot(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, lot_no=lot_no,
                              reason="loads go to another lot")
    with pytest.raises(ConflictError, match="approved lot") as caught:
        reissue(ryard, row.number)
    assert caught.value.code == "certificate.lot_not_approved"  # a void lot: no hint to approve it
    assert caught.value.hint is None


def test_an_unknown_number_is_reported(ryard: RegisterYard) -> None:
    with pytest.raises(UserError, match="no certificate 2026-999999") as caught:
        void(ryard, "2026-999999")
    assert (caught.value.code, caught.value.field) == ("certificate.not_found", "number")
    assert caught.value.words("zh_CN").startswith("登记簿中没有证书 2026-999999。")


def test_prints_are_counted_in_the_audit_trail_and_reprints_say_copy(ryard: RegisterYard) -> None:
    row = issue(ryard, make_lot(ryard))
    jobs = []
    for copies in (1, 1, 2):
        with ryard.store.session() as s:
            jobs.append(svc.record_print(s, actor=ryard.actor("chen.jing"), clock=ryard.clock,
                                         number=row.number, copies=copies))
    assert [j.marked_copy for j in jobs] == [False, True, True]
    with ryard.store.session() as s:
        stored = svc.get_certificate(s, row.number)
        log = svc.print_log(s, stored)
        prints = s.exec(select(AuditEvent).where(col(AuditEvent.action) == "certificate.print")).all()
    assert stored.print_count == 4
    assert [(p.copies, p.marked_copy, p.printed_by) for p in log] == [
        (1, False, "chen.jing"), (1, True, "chen.jing"), (2, True, "chen.jing")]
    assert len(prints) == 3 and prints[0].reason == f"{row.reference}: 1 original paper"
    # The original print is the signed file itself; a COPY is rendered from the register, unsigned, with
    # the original's signed QR (same content hash), so the signed file stays the only original.
    assert svc.print_document(ryard.data_dir, stored, marked_copy=False) == (
        ryard.data_dir.certificates / row.file_name).read_bytes()
    copy_pdf = svc.print_document(ryard.data_dir, stored, marked_copy=True)
    assert copy_pdf.startswith(b"%PDF-") and b"/ByteRange" not in copy_pdf
    assert not verify_pdf(copy_pdf, trust=trust(ryard)).valid
    assert svc.data_of(stored, copy=True).copy and svc.data_of(stored, copy=True).content_hash() == (
        stored.content_sha256)
    with ryard.store.session() as s:
        qr = verify_qr(stored.qr_text, trust=trust(ryard), signers=register.signer_certificates(s))
    assert qr.valid and qr.content_hash == stored.content_sha256
    # The whole trail, rows and checkpoints still verify after issue and prints.
    assert verify_all(ryard.store, ryard.data_dir) == []


def test_the_preview_counts_nothing_and_each_print_is_counted_original_then_copy(ryard: RegisterYard) -> None:
    row = issue(ryard, make_lot(ryard))
    clerk = ryard.actor("chen.jing")
    with ryard.store.session() as s:
        preview = svc.next_print(s, data_dir=ryard.data_dir, number=row.number)
    with ryard.store.session() as s:
        first = svc.print_certificate(s, actor=clerk, clock=ryard.clock, data_dir=ryard.data_dir,
                                      number=row.number, revision=1)
    with ryard.store.session() as s:
        second = svc.print_certificate(s, actor=clerk, clock=ryard.clock, data_dir=ryard.data_dir,
                                       number=row.number)
        stored = svc.get_certificate(s, row.number)
        assert stored.print_count == 2 and [p.marked_copy for p in svc.print_log(s, stored)] == [False, True]
    assert (preview.marked_copy, first.marked_copy, second.marked_copy) == (False, False, True)
    assert preview.pdf == first.pdf == svc.read_original(ryard.data_dir, stored)
    assert second.reference == f"{row.number} rev 1" and second.pdf != first.pdf


def test_a_void_certificate_is_not_printed_and_a_pdf_export_is_always_a_copy(ryard: RegisterYard) -> None:
    row = issue(ryard, make_lot(ryard))
    with ryard.store.session() as s:
        job = svc.record_print(s, actor=ryard.actor("chen.jing"), clock=ryard.clock, number=row.number,
                               kind="pdf")
    assert job.marked_copy
    void(ryard, row.number)
    with ryard.store.session() as s, pytest.raises(ConflictError, match="void") as caught:
        svc.record_print(s, actor=ryard.actor("chen.jing"), clock=ryard.clock, number=row.number)
    assert caught.value.code == "certificate.void_not_printed"
    with ryard.store.session() as s, pytest.raises(UserError) as copies:
        svc.record_print(s, actor=ryard.actor("chen.jing"), clock=ryard.clock, number=row.number, copies=101)
    assert (copies.value.code, copies.value.field) == ("certificate.print_copies", "copies")
    assert copies.value.words("zh_CN") == "每次可打印 1 至 100 份（当前要求 101 份）。"


def test_search_by_number_lot_supplier_status_and_date(ryard: RegisterYard) -> None:
    lots = [make_lot(ryard), make_lot(ryard, supplier_id=2), make_lot(ryard)]
    rows = [issue(ryard, lots[0]), issue(ryard, lots[1])]
    ryard.clock.advance(days=1)
    rows.append(issue(ryard, lots[2]))
    void(ryard, rows[0].number)

    def numbers(**filters: Any) -> list[str]:
        query = register.RegisterQuery(**filters)
        with ryard.store.session() as s:
            found = [f"{r.number}/{r.revision}" for r in register.search_certificates(s, query)]
            assert register.count_certificates(s, query) == len(found)
        return found

    assert numbers() == ["2026-000003/1", "2026-000002/1", "2026-000001/1"]
    assert numbers(number="2026-000002") == ["2026-000002/1"]
    assert numbers(lot_no=lots[2]) == ["2026-000003/1"]
    assert numbers(supplier="宁波") == ["2026-000002/1"]
    assert numbers(supplier="91350100m000100y43") == ["2026-000002/1"]
    assert numbers(status="void") == ["2026-000001/1"]
    assert numbers(status="issued") == ["2026-000003/1", "2026-000002/1"]
    assert numbers(issued_from=date(2026, 3, 3)) == ["2026-000003/1"]
    assert numbers(issued_to=date(2026, 3, 2)) == ["2026-000002/1", "2026-000001/1"]
    with ryard.store.session() as s:
        first = register.register_page(s, limit=1)
        page = register.register_page(s, after=first[-1].key, limit=1)
    assert [r.number for r in first + page] == ["2026-000003", "2026-000002"]
    with pytest.raises(UserError) as caught:
        numbers(status="cancelled")
    assert caught.value.code == "certificate.status_unknown"
    assert caught.value.words("en") == "“cancelled” is not a certificate status. Use one of: issued, void."


def test_the_content_round_trips_through_the_register(ryard: RegisterYard) -> None:
    row = issue(ryard, make_lot(ryard))
    data = svc.data_from_content(row.content)
    assert data.content() == row.content and data.content_hash() == row.content_sha256


def test_a_register_lookup_knows_nothing_of_another_number(ryard: RegisterYard) -> None:
    with ryard.store.session() as s:
        assert register.register_lookup(s)("2026-000001", 1) is None


def _tables(entry: Any) -> set[str]:
    """The table names a diff entry mentions (entries are tuples, or lists of tuples for columns)."""
    found: set[str] = set()
    for item in entry if isinstance(entry, list) else [entry]:
        for part in item:
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None):
                found.add(table.name)
            name = part if isinstance(part, str) else getattr(part, "name", None)
            if isinstance(name, str):
                found.add(name)
    return found


def test_migration_0007_matches_the_certificate_models(store: Store) -> None:
    with store.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), SQLModel.metadata)
    assert [d for d in diff if _tables(d) & {"certificate", "certificate_print"}] == []


def test_changing_a_certified_lot_voids_its_certificate_and_its_approval(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard, loads=2)
    row = issue(ryard, lot_no)
    ryard.clock.advance(minutes=5)
    with ryard.store.session() as s:
        lot = lot_services.get_lot(s, lot_no)
        member = lot_services.members_of(s, lot)[0]
        lot_services.remove_loads(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, lot_no=lot_no,
                                  load_ids=[member.load_id], reason="one load belongs to another contract")
    with ryard.store.session() as s:
        voided = svc.get_certificate(s, row.number, row.revision)
        assert voided.status == "void" and "changed after certification" in (voided.void_reason or "")
        assert lot_services.get_lot(s, lot_no).state == "draft"
        assert lot_services.current_approval(s, lot_services.get_lot(s, lot_no)) is None
    assert register_status(ryard, read_file(ryard, row))[1] is RegisterStatus.VOID


def read_file(ryard: RegisterYard, row: Certificate) -> bytes:
    return svc.read_original(ryard.data_dir, row)


def test_a_load_under_a_certificate_is_not_reclassified_or_reweighed(ryard: RegisterYard) -> None:
    from inspector.services.classification import classify_load
    from inspector.services.weighing import record_manual_weight

    lot_no = make_lot(ryard, loads=1)
    issue(ryard, lot_no)
    with ryard.store.session() as s:
        load_id = lot_services.members_of(s, lot_services.get_lot(s, lot_no))[0].load_id
    with pytest.raises(ConflictError, match=r"(?i)certified") as info, ryard.store.session() as s:
        classify_load(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, load_id=load_id, stage="lab",
                      data_dir=ryard.data_dir)
    assert "Remove the load from lot" in str(info.value)
    with pytest.raises(ConflictError, match=r"(?i)certified"), ryard.store.session() as s:
        record_manual_weight(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, load_id=load_id,
                             kind="tare", weight=9000, unit="kg", reason="re-weigh after repair",
                             confirmed_by=ryard.actor("zhao.hui"), replace_reason="scale repaired")
