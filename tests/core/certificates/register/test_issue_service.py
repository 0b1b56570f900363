"""Issuing a certificate for an approved lot: the signed file, the register row, the lot, the audit trail and
the checkpoint; and every refusal (lot not approved, wrong password or passphrase, signing on hold)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from inspector.certificates.qr import verify_qr
from inspector.certificates.trust import load_certificates, yard_ca_path
from inspector.certificates.verify import RegisterStatus, check_against_register, verify_pdf
from inspector.errors import ConflictError, EnvironmentProblemError, PermissionDeniedError, UserError
from inspector.queries import certificates as register
from inspector.security import clockguard
from inspector.services import certificates as svc
from inspector.services import lots as lot_services
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.certificates import Certificate
from inspector.storage.models.security import CheckpointRecord
from inspector.storage.sequences import last_number
from tests.core.certificates.register.conftest import SUPERVISOR, RegisterYard, make_lot


def issue(ryard: RegisterYard, lot_no: str, *, as_user: str = SUPERVISOR, **secrets: str) -> Certificate:
    values = {**ryard.secrets(), **secrets}
    with ryard.store.session() as s:
        return svc.issue_certificate(s, actor=ryard.actor(as_user), clock=ryard.clock,
                                     data_dir=ryard.data_dir, lot_no=lot_no, ruleset=ryard.ruleset, **values)


def trust(ryard: RegisterYard) -> list[Any]:
    return load_certificates(yard_ca_path(ryard.data_dir))


def actions(ryard: RegisterYard) -> list[str]:
    with ryard.store.session() as s:
        return list(s.exec(select(col(AuditEvent.action)).order_by(col(AuditEvent.seq))).all())


def test_an_issued_certificate_is_signed_registered_and_certifies_the_lot(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    row = issue(ryard, lot_no, as_user="chen.jing")  # a clerk issues; the supervisor types their secrets
    assert (row.number, row.revision, row.status) == ("2026-000001", 1, "issued")
    assert (row.issued_by, row.signer_user, row.lot_no) == ("chen.jing", SUPERVISOR, lot_no)
    path = ryard.data_dir.certificates / "2026-000001-r1.pdf"
    assert row.file_name == path.name
    pdf = path.read_bytes()
    result = verify_pdf(pdf, trust=trust(ryard))
    assert result.valid, result.reason
    assert (result.number, result.revision, result.content_hash) == ("2026-000001", 1, row.content_sha256)
    assert result.signer_name == "张敏 Zhang Min"
    assert result.meaning == ("Classification, grade and mass of this lot approved; certificate issued / "
                              "批准本批次的分类、品级与质量并签发本证书")
    with ryard.store.session() as s:
        assert check_against_register(result, register.register_lookup(s)).status is RegisterStatus.ISSUED
        lot = lot_services.get_lot(s, lot_no)
        assert lot.state == "certified"
        stmt = select(CheckpointRecord).where(col(CheckpointRecord.purpose) == "certificate")
        checkpoint = s.exec(stmt).one()
        assert checkpoint.reference == "2026-000001 rev 1"
        data = svc.data_of(row)
        signers = register.signer_certificates(s)
    assert data.lot_number == lot_no and data.category_code == "NDFEB-PS"
    assert data.net_mass_kg == 40920
    assert data.issuer.legal_name.en == "Ganzhou Demonstration Recycling Station"
    assert data.inspected_by.printed_name == "李伟 Li Wei"
    assert data.rule_set.provisional  # the shipped rule set is provisional: the banner is printed
    assert "certificate.issue" in actions(ryard) and "lot.certify" in actions(ryard)
    qr = verify_qr(row.qr_text, trust=trust(ryard), signers=signers)
    assert qr.valid, qr.reason
    assert (qr.number, qr.content_hash) == (row.number, row.content_sha256)


def test_a_lot_that_is_not_approved_is_refused(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard, approve=False)
    with pytest.raises(ConflictError, match="only for an approved lot") as caught:
        issue(ryard, lot_no)
    assert (caught.value.code, caught.value.field) == ("certificate.lot_not_yet_approved", "lot")
    # The state is a stored code, worded in the reader's language.
    assert caught.value.words("zh_CN").startswith(f"批次 {lot_no} 尚未获批准（当前状态：")
    assert caught.value.hint == "Submit the lot and have a supervisor approve it first."
    assert not any(ryard.data_dir.certificates.iterdir())


def test_an_inspector_may_not_issue(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    with pytest.raises(PermissionDeniedError) as caught:
        issue(ryard, lot_no, as_user="li.wei")
    assert "issue certificates" in caught.value.words("en")
    assert "签发证书" in caught.value.words("zh_CN")


def test_a_wrong_password_is_refused_and_counted(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    with pytest.raises(UserError) as caught:
        issue(ryard, lot_no, password="not-the-password")
    assert (caught.value.code, caught.value.field) == ("certificate.signer_refused", "password")
    assert caught.value.hint == f"The approving supervisor ({SUPERVISOR}) types their own password."
    assert caught.value.words("zh_CN").endswith(f"须由批准主管（{SUPERVISOR}）本人输入其密码。")
    assert actions(ryard)[-1] == "signature.failed"  # committed although the issue was refused


def test_a_wrong_passphrase_is_refused_and_leaves_nothing(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    with pytest.raises(UserError) as caught:
        issue(ryard, lot_no, passphrase="not-the-key-passphrase")
    assert caught.value.field == "passphrase"
    assert not any(ryard.data_dir.certificates.iterdir())
    with ryard.store.session() as s:
        assert last_number(s, series="certificate", year=2026) == 0
        assert lot_services.get_lot(s, lot_no).state == "approved"


def test_a_clock_behind_the_audit_trail_blocks_issuing(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    ryard.clock.advance(hours=-2)
    with pytest.raises(ConflictError, match="Signing is blocked"):
        issue(ryard, lot_no)
    assert not any(ryard.data_dir.certificates.iterdir())


def test_an_open_signing_hold_blocks_issuing(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    with ryard.store.session() as s:
        clockguard.hold_for_integrity(s, clock=ryard.clock, problems=["a row hash does not match"])
    with pytest.raises(ConflictError, match="Signing is blocked"):
        issue(ryard, lot_no)


def test_a_lot_is_certified_once(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    issue(ryard, lot_no)
    with ryard.store.session() as s:
        lot = lot_services.get_lot(s, lot_no)
    assert lot.state == "certified"
    with pytest.raises(ConflictError):
        issue(ryard, lot_no)


def test_numbers_are_gapless_and_a_refused_issue_gives_its_number_back(ryard: RegisterYard) -> None:
    lots = [make_lot(ryard) for _ in range(3)]
    issue(ryard, lots[0])
    with pytest.raises(UserError):
        issue(ryard, lots[1], passphrase="wrong-wrong-wrong")
    issue(ryard, lots[1])
    issue(ryard, lots[2])
    with ryard.store.session() as s:
        numbers = [r.number for r in register.search_certificates(s)]
    assert numbers == ["2026-000003", "2026-000002", "2026-000001"]
    assert sorted(p.name for p in ryard.data_dir.certificates.iterdir()) == [
        "2026-000001-r1.pdf", "2026-000002-r1.pdf", "2026-000003-r1.pdf"]


def test_numbers_follow_the_local_year(ryard: RegisterYard) -> None:
    lot_no = make_lot(ryard)
    # 2026-12-31 16:30 UTC is already 2027-01-01 00:30 at the yard (UTC+8).
    ryard.clock.advance(days=(304 + 1), hours=8)
    assert ryard.clock.now().local().year == 2027
    row = issue(ryard, lot_no)
    assert row.number == "2027-000001"


def test_a_failure_after_the_file_is_written_removes_it_and_gives_the_number_back(
        ryard: RegisterYard, monkeypatch: pytest.MonkeyPatch) -> None:
    lot_no = make_lot(ryard)

    def disk_full(*_args: Any, **_kwargs: Any) -> None:
        raise EnvironmentProblemError("storage.disk_full", path="checkpoint",
                                      detail="No space left on device")

    monkeypatch.setattr(svc.checkpoints, "write_checkpoint", disk_full)
    with pytest.raises(EnvironmentProblemError):
        issue(ryard, lot_no)
    assert not any(ryard.data_dir.certificates.iterdir())
    with ryard.store.session() as s:
        assert last_number(s, series="certificate", year=2026) == 0
        assert register.count_certificates(s) == 0
        assert lot_services.get_lot(s, lot_no).state == "approved"
    monkeypatch.undo()
    assert issue(ryard, lot_no).number == "2026-000001"
