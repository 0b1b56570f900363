"""The certificate register's read models: its rows newest number first, a page at a time by key (with the
filters, the date filter reading on past rows outside its days), the lots a certificate may be issued for,
and the verdict on a presented PDF or QR text against the register."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from inspector.certificates.findings import Finding
from inspector.errors import EnvironmentProblemError, UserError
from inspector.queries import certificates as queries
from inspector.queries.certificates import RegisterQuery
from inspector.services import certificates as svc
from tests.core.certificates.register import conftest as register_conftest
from tests.core.certificates.register.conftest import SUPERVISOR, RegisterYard, make_lot

# The secured yard with approved lots that the register's core tests build (copied per test).
register_template = register_conftest.register_template
ryard = register_conftest.ryard


def issue(ryard: RegisterYard, lot_no: str) -> str:
    with ryard.store.session() as s:
        return svc.issue_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock,
                                     data_dir=ryard.data_dir, lot_no=lot_no, ruleset=ryard.ruleset,
                                     **ryard.secrets()).number


def void(ryard: RegisterYard, number: str) -> None:
    with ryard.store.session() as s:
        svc.void_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, number=number,
                             reason="sample mixed up")


def reissue(ryard: RegisterYard, number: str) -> None:
    with ryard.store.session() as s:
        svc.reissue_certificate(s, actor=ryard.actor(SUPERVISOR), clock=ryard.clock, data_dir=ryard.data_dir,
                                number=number, ruleset=ryard.ruleset, **ryard.secrets())


def pages(ryard: RegisterYard, query: RegisterQuery | None, size: int) -> list[list[str]]:
    """Every page of ``query`` read by key, as ``number/revision`` strings."""
    found: list[list[str]] = []
    after: tuple[str, int] | None = None
    with ryard.store.session() as s:
        while True:
            page = queries.register_page(s, query, after=after, limit=size)
            found.append([f"{r.number}/{r.revision}" for r in page])
            if len(page) < size:
                return found
            after = page[-1].key


def test_the_register_pages_by_number_and_revision_newest_first(ryard: RegisterYard) -> None:
    first = issue(ryard, make_lot(ryard))
    issue(ryard, make_lot(ryard))
    issue(ryard, make_lot(ryard))
    void(ryard, first)
    reissue(ryard, first)
    assert pages(ryard, None, 2) == [["2026-000003/1", "2026-000002/1"], ["2026-000001/2", "2026-000001/1"],
                                     []]
    # The two revisions of one number fall on either side of a page boundary and neither is lost.
    assert pages(ryard, None, 3) == [["2026-000003/1", "2026-000002/1", "2026-000001/2"], ["2026-000001/1"]]
    assert pages(ryard, RegisterQuery(status="void"), 1) == [["2026-000001/1"], []]
    assert pages(ryard, RegisterQuery(number="2026-000001"), 1) == [["2026-000001/2"], ["2026-000001/1"], []]
    with ryard.store.session() as s:
        rows = queries.search_certificates(s)
        assert queries.count_certificates(s) == len(rows) == 4
        assert queries.count_certificates(s, RegisterQuery(status="issued")) == 3
    row = rows[3]
    assert dataclasses.is_dataclass(row) and row.status == "void" and row.void_reason == "sample mixed up"
    assert (row.reference, row.print_count) == ("2026-000001 rev 1", 0)
    assert row.supplier_name == "赣州稀金磁材有限公司"
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.status = "issued"  # type: ignore[misc]
    assert row.issued_at.utcoffset() is not None


def test_a_date_filter_reads_on_past_rows_outside_its_days(ryard: RegisterYard) -> None:
    issue(ryard, make_lot(ryard))
    ryard.clock.advance(days=1)
    newer = [make_lot(ryard), make_lot(ryard)]
    issue(ryard, newer[0])
    issue(ryard, newer[1])
    # Pages of one row: the day's filter skips the two newer rows and still finds the older one.
    assert pages(ryard, RegisterQuery(issued_to=date(2026, 3, 2)), 1) == [["2026-000001/1"], []]
    assert pages(ryard, RegisterQuery(issued_from=date(2026, 3, 3)), 1) == [
        ["2026-000003/1"], ["2026-000002/1"], []]
    with ryard.store.session() as s:
        assert queries.count_certificates(s, RegisterQuery(issued_from=date(2026, 3, 3))) == 2
        with pytest.raises(UserError):
            queries.register_page(s, RegisterQuery(status="cancelled"))


def test_the_lots_to_certify_are_the_approved_ones(ryard: RegisterYard) -> None:
    certified = make_lot(ryard)
    waiting = make_lot(ryard)
    make_lot(ryard, approve=False)
    issue(ryard, certified)
    with ryard.store.session() as s:
        assert queries.lots_to_certify(s) == (waiting,)


def _verdict(ryard: RegisterYard, **what: Any) -> queries.VerifyOutcome:
    with ryard.store.session() as s:
        if "path" in what:
            return queries.verify_certificate_file(s, data_dir=ryard.data_dir, path=what["path"])
        return queries.verify_certificate_qr(s, data_dir=ryard.data_dir, text=what["text"])


def test_a_presented_certificate_is_checked_against_the_register(ryard: RegisterYard) -> None:
    number = issue(ryard, make_lot(ryard))
    pdf = ryard.data_dir.certificates / f"{number}-r1.pdf"
    with ryard.store.session() as s:
        qr_text = svc.get_certificate(s, number).qr_text
    valid = _verdict(ryard, path=pdf)
    assert (valid.valid, valid.register_status, valid.signer) == (True, "issued", "张敏 Zhang Min")
    assert valid.register_reason is not None and valid.register_reason.code == "verify.register.in_force"
    assert valid.register_reason.en == f"{number} rev 1 is in the register and in force."
    assert valid.reason.code == "verify.pdf.valid"
    assert isinstance(valid.signed_at, datetime) and valid.signed_at.utcoffset() == timedelta(hours=8)
    qr = _verdict(ryard, text=qr_text)
    assert qr.valid and qr.signed_at == date(2026, 3, 2)  # a QR code carries the issue date
    assert _verdict(ryard, text=qr_text).valid
    void(ryard, number)
    voided = _verdict(ryard, path=pdf)
    assert voided.file_valid and not voided.valid and voided.register_status == "void"
    assert voided.register_reason == Finding("verify.register.void_because", number=number, revision=1,
                                             reason="sample mixed up")
    assert _verdict(ryard, text=qr_text).register_status == "void"
    bad = _verdict(ryard, text=qr_text[:-3] + "AAA")
    assert not bad.file_valid and bad.register_status == "not_checked"
    assert bad.register_reason is not None and bad.register_reason.code == "verify.register.not_checked"
    with pytest.raises(UserError, match="does not exist") as missing:
        _verdict(ryard, path=ryard.data_dir.root / "no-such.pdf")
    assert (missing.value.code, missing.value.field) == ("certificate.file_missing", "file")
    with pytest.raises(UserError) as folder:
        _verdict(ryard, path=ryard.data_dir.root)
    assert folder.value.code == "certificate.file_is_folder"
    shutil.rmtree(ryard.data_dir.keys)
    with pytest.raises(EnvironmentProblemError, match="no yard CA") as no_ca:
        _verdict(ryard, path=pdf)
    assert no_ca.value.code == "certificate.yard_ca_missing"
    assert no_ca.value.words("zh_CN").startswith("此数据目录中没有本堆场 CA 证书（")
