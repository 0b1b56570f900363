"""The seam to the certificate register: a verified file or QR compared with what the register holds."""

from __future__ import annotations

from inspector.certificates.findings import Finding
from inspector.certificates.qr import QrVerification
from inspector.certificates.verify import (
    RegisterEntry,
    RegisterStatus,
    VerificationResult,
    check_against_register,
)

from .conftest import sample_data

HASH = sample_data().content_hash()


def _register(*entries: RegisterEntry) -> dict[tuple[str, int], RegisterEntry]:
    return {(e.number, e.revision): e for e in entries}


def _verified(**changes: object) -> VerificationResult:
    values: dict[str, object] = {"valid": True, "reason": Finding("verify.pdf.valid", signer="Wang Fang"),
                                 "number": "2026-000123", "revision": 1, "content_hash": HASH}
    values.update(changes)
    return VerificationResult(**values)  # type: ignore[arg-type]


def test_an_issued_certificate_is_in_force() -> None:
    register = _register(RegisterEntry("2026-000123", 1, HASH, void=False))
    check = check_against_register(_verified(), lambda n, r: register.get((n, r)))
    assert check.status is RegisterStatus.ISSUED and check.in_force
    assert check.reason == Finding("verify.register.in_force", number="2026-000123", revision=1)
    assert check.reason.en == "2026-000123 rev 1 is in the register and in force."
    assert check.reason.words("zh_CN") == "证书 2026-000123（第 1 版）已在登记簿中登记，现行有效。"


def test_a_voided_certificate_still_verifies_as_a_file_but_is_reported_void() -> None:
    register = _register(RegisterEntry("2026-000123", 1, HASH, void=True, void_reason="wrong lot weighed"))
    check = check_against_register(_verified(), lambda n, r: register.get((n, r)))
    assert check.status is RegisterStatus.VOID and not check.in_force
    assert check.reason.code == "verify.register.void_because"
    assert check.reason.en == "2026-000123 rev 1 is VOID in the register: wrong lot weighed."
    assert check.reason.words("zh_CN") == ("证书 2026-000123（第 1 版）在登记簿中已作废，"
                                           "原因：wrong lot weighed。")
    unexplained = _register(RegisterEntry("2026-000123", 1, HASH, void=True))
    assert check_against_register(_verified(), lambda n, r: unexplained.get((n, r))).reason.code == \
        "verify.register.void"


def test_a_reissued_revision_is_looked_up_by_its_own_revision() -> None:
    register = _register(RegisterEntry("2026-000123", 1, HASH, void=True),
                         RegisterEntry("2026-000123", 2, "ab" * 32, void=False))
    assert check_against_register(_verified(revision=2, content_hash="ab" * 32),
                                  lambda n, r: register.get((n, r))).in_force


def test_unknown_and_mismatching_certificates() -> None:
    register = _register(RegisterEntry("2026-000123", 1, "00" * 32, void=False))
    lookup = register.get
    unknown = check_against_register(_verified(number="2026-000999"), lambda n, r: lookup((n, r)))
    assert unknown.status is RegisterStatus.UNKNOWN and unknown.reason.code == "verify.register.unknown"
    mismatch = check_against_register(_verified(), lambda n, r: lookup((n, r)))
    assert mismatch.status is RegisterStatus.CONTENT_MISMATCH
    assert mismatch.reason.code == "verify.register.content_mismatch"
    assert mismatch.reason.params == {"number": "2026-000123", "revision": 1, "registered": "0" * 16 + "…",
                                      "presented": HASH[:16] + "…"}
    assert "different content" in mismatch.reason.en


def test_a_failed_verification_is_not_looked_up() -> None:
    def lookup(number: str, revision: int) -> RegisterEntry:
        raise AssertionError("the register must not be consulted for an invalid file")

    assert check_against_register(_verified(valid=False), lookup).status is RegisterStatus.NOT_CHECKED
    bad = QrVerification(False, Finding("verify.qr.damaged"))
    assert check_against_register(bad, lookup).status is RegisterStatus.NOT_CHECKED


def test_a_qr_verification_works_through_the_same_seam() -> None:
    register = _register(RegisterEntry("2026-000123", 1, HASH, void=False))
    qr = QrVerification(True, Finding("verify.qr.valid", signer="Wang Fang"), number="2026-000123",
                        revision=1, content_hash=HASH)
    assert check_against_register(qr, lambda n, r: register.get((n, r))).in_force
