"""What an operation changed, in the kinds screens care about.

The window's door announces these after each operation, and again when another program or station changed
the yard (found through the audit trail, where every change leaves an event). A screen refreshes when a
kind it shows is among them, and only then.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Change(StrEnum):
    LOADS = "loads"  # trucks, weighings, samples, photos, lab values, classifications, suppliers
    LOTS = "lots"  # lots, their members, approvals, packets, held loads
    CERTIFICATES = "certificates"  # certificates and their prints
    USERS = "users"  # accounts, credentials, keys, signing holds, failed sign-ins
    SETTINGS = "settings"  # weighbridges, cameras, settings, rule sets
    AUDIT = "audit"  # any event in the audit trail (so every change)


# The audit event's ``entity`` (a table name, or a name the service chose) -> the kinds it touches.
_ENTITY_CHANGES: dict[str, frozenset[Change]] = {
    **dict.fromkeys(
        ("load", "weighing", "stored_tare", "classification", "intake_step", "intake_progress",
         "intake_draft", "load_sample", "load_photo", "load_photo_stamp", "lab_report", "supplier",
         "vehicle"),
        frozenset({Change.LOADS})),
    **dict.fromkeys(("lot", "approval", "lot_packet"), frozenset({Change.LOTS})),
    # A load joining or leaving a lot, or a held load decided, changes what both screens show.
    **dict.fromkeys(("lot_load", "held_load_decision"), frozenset({Change.LOTS, Change.LOADS})),
    # Issuing or voiding a certificate also moves its lot's state; printing one does not.
    "certificate": frozenset({Change.CERTIFICATES, Change.LOTS}),
    "certificate_print": frozenset({Change.CERTIFICATES}),
    # A clock set back or a failed integrity check ("clock", "database") holds signing: shown with users.
    **dict.fromkeys(
        ("user_account", "user_credential", "login_attempt", "signing_key", "signing_hold", "clock",
         "database"),
        frozenset({Change.USERS})),
    **dict.fromkeys(("scale", "camera", "setting", "ruleset_published", "yard"),
                    frozenset({Change.SETTINGS})),
}


def changes_of_entities(entities: Iterable[str]) -> frozenset[Change]:
    """The kinds of change behind these audit entities; AUDIT whenever there is at least one."""
    found: set[Change] = set()
    for entity in entities:
        found.add(Change.AUDIT)
        found.update(_ENTITY_CHANGES.get(entity, ()))
    return frozenset(found)
