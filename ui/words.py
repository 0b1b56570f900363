"""The one catalogue of words for stored codes: load and lot states, certificate status, outcomes,
decisions, roles, classification and rule-set status, finding severities.

Every screen, model and dialog names a code through these functions, so a state reads the same everywhere
("On hold" in the wizard is "On hold" in the register) and is translated once. Unknown codes are shown as
they are rather than hidden. The words are looked up when called, so they follow a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from inspector.security.actor import Role
from inspector.states import CertificateStatus, LoadState, LotState


def load_state(code: str) -> str:
    return {
        LoadState.ARRIVED.value: QCoreApplication.translate("Words", "Arrived"),
        LoadState.WEIGHED_IN.value: QCoreApplication.translate("Words", "Weighed in"),
        LoadState.INSPECTED.value: QCoreApplication.translate("Words", "Inspected"),
        LoadState.WEIGHED_OUT.value: QCoreApplication.translate("Words", "Weighed out"),
        LoadState.AWAITING_LAB.value: QCoreApplication.translate("Words", "Awaiting lab"),
        LoadState.CLASSIFIED.value: QCoreApplication.translate("Words", "Classified"),
        LoadState.REJECTED.value: QCoreApplication.translate("Words", "Rejected"),
        LoadState.CANCELLED.value: QCoreApplication.translate("Words", "Cancelled"),
    }.get(code, code)


def lot_state(code: str) -> str:
    return {
        LotState.DRAFT.value: QCoreApplication.translate("Words", "Draft"),
        LotState.SUBMITTED.value: QCoreApplication.translate("Words", "Submitted"),
        LotState.APPROVED.value: QCoreApplication.translate("Words", "Approved"),
        # A lot is rejected by a supervisor's decision, a load at the gate: two words in Chinese.
        LotState.REJECTED.value: QCoreApplication.translate("Words", "Rejected", "lot state"),
        LotState.CERTIFIED.value: QCoreApplication.translate("Words", "Certified"),
        LotState.VOID.value: QCoreApplication.translate("Words", "Void"),
    }.get(code, code)


def certificate_status(code: str) -> str:
    return {
        CertificateStatus.ISSUED.value: QCoreApplication.translate("Words", "In force"),
        CertificateStatus.VOID.value: QCoreApplication.translate("Words", "Void"),
    }.get(code, code)


def outcome(code: str | None) -> str:
    """A classification's outcome (ACCEPT, HOLD, REJECT, INCOMPLETE); empty when there is none yet."""
    if not code:
        return ""
    return {
        "ACCEPT": QCoreApplication.translate("Words", "Accepted"),
        "HOLD": QCoreApplication.translate("Words", "On hold"),
        "REJECT": QCoreApplication.translate("Words", "Rejected"),
        "INCOMPLETE": QCoreApplication.translate("Words", "Incomplete"),
    }.get(code.upper(), code)


def decision(code: str) -> str:
    """A supervisor's decision on a lot."""
    return {
        "approve": QCoreApplication.translate("Words", "Approval"),
        "reject": QCoreApplication.translate("Words", "Rejection"),
    }.get(code, code)


def role(value: Role | str) -> str:
    return {
        Role.INSPECTOR.value: QCoreApplication.translate("Words", "Inspector"),
        Role.SUPERVISOR.value: QCoreApplication.translate("Words", "Supervisor"),
        Role.CLERK.value: QCoreApplication.translate("Words", "Office clerk"),
        Role.ADMIN.value: QCoreApplication.translate("Words", "Administrator"),
    }.get(str(value), str(value))


def classification_status(code: str | None) -> str:
    if not code:
        return ""
    return {
        "provisional": QCoreApplication.translate("Words", "Provisional"),
        "final": QCoreApplication.translate("Words", "Final"),
    }.get(code, code)


def ruleset_status(code: str) -> str:
    return {
        "provisional": QCoreApplication.translate("Words", "provisional"),
        "official": QCoreApplication.translate("Words", "official"),
        "superseded": QCoreApplication.translate("Words", "superseded"),
    }.get(code, code)


def severity(code: str) -> str:
    """How heavily a finding weighs on the outcome."""
    return {
        "REJECT": QCoreApplication.translate("Words", "REJECT"),
        "HOLD": QCoreApplication.translate("Words", "HOLD"),
        "DOWNGRADE": QCoreApplication.translate("Words", "DOWNGRADE"),
    }.get(code, code)


def manual_weight_flag() -> str:
    # The weighbridge-ticket convention for a weight typed by hand instead of read from the indicator.
    return QCoreApplication.translate("Words", "MAN WT")
