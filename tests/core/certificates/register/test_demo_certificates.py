"""The demo yard gets real certificates: approved lots, signed files, one voided and reissued."""

from __future__ import annotations

from inspector.certificates.trust import load_certificates, yard_ca_path
from inspector.certificates.verify import RegisterStatus, check_against_register, verify_pdf
from inspector.clock import FixedClock
from inspector.demo.yard import DEMO_START, YARD_OFFSET, build_demo_yard
from inspector.queries.certificates import register_lookup, search_certificates
from inspector.storage.db import Store


def test_demo_certificates_are_issued_signed_and_registered(store: Store) -> None:
    clock = FixedClock(DEMO_START, offset_minutes=YARD_OFFSET)
    issued = list(build_demo_yard(store, clock=clock).certificates)
    assert issued[0] == "2026-000001 rev 1" and issued[-1] == "2026-000001 rev 2"
    assert len(issued) == 4  # three lots, and the first certificate voided and reissued
    trust = load_certificates(yard_ca_path(store.data_dir))
    with store.session() as s:
        rows = search_certificates(s)
        lookup = register_lookup(s)
        statuses = {}
        for row in rows:
            result = verify_pdf((store.data_dir.certificates / row.file_name).read_bytes(), trust=trust)
            assert result.valid, result.reason
            statuses[row.reference] = check_against_register(result, lookup).status
    assert statuses["2026-000001 rev 1"] is RegisterStatus.VOID
    assert [ref for ref, status in statuses.items() if status is RegisterStatus.ISSUED] == [
        "2026-000003 rev 1", "2026-000002 rev 1", "2026-000001 rev 2"]
