"""Reasons the records store in English, worded in the reader's language when they are shown.

The audit trail and the life cycles keep the reason written when a thing happened, as it was written: a
record is evidence and never changes. The forms the application itself writes (``changed after approved:
…``, ``replaces 2026-000001 rev 1``, ``5 failed attempts within 15 minutes``) are recognised here and
worded from ``stored_reason.<form>`` in the catalogue, keeping the person's own words inside them as typed;
any other text (what a person wrote) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from inspector.messages import Language, Term, text

_LOT = r"(?P<lot>L\d{4}-\d{5})"
_AFTER = r"(?P<after>approved|rejected|certified)"
_TEXT = r"(?P<text>.*)"

# (form as stored, its words in the catalogue); the first that matches the whole text wins.
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), f"stored_reason.{key}") for pattern, key in (
        # lots
        (r"changed after submission", "changed_after_submission"),
        (rf"changed after {_AFTER}: {_TEXT}", "changed_after"),
        (rf"lot changed after {_AFTER}: {_TEXT}", "lot_changed_after"),
        (rf"lot voided: {_TEXT}", "lot_voided"),
        (rf"lot {_LOT} changed after certification: {_TEXT}", "certified_lot_changed"),
        (rf"certificate (?P<certificate>\S+) voided: {_TEXT}", "certificate_voided"),
        (rf"merged into {_LOT}", "merged_into"),
        (rf"split from {_LOT}", "split_from"),
        (rf"into {_LOT}", "into"),
        (rf"from {_LOT}", "from"),
        (rf"to {_LOT}", "to"),
        (r"held load rejected by a supervisor", "held_load_rejected"),
        # certificates
        (r"replaces (?P<certificate>\S+) rev (?P<revision>\d+)", "replaces"),
        (r"(?P<reference>.+?): (?P<copies>\d+) COPY (?P<kind>paper|pdf)", "printed_copy"),
        (r"(?P<reference>.+?): (?P<copies>\d+) original (?P<kind>paper|pdf)", "printed_original"),
        # intake and weighing
        (r"lab report (?P<report>.+)", "lab_report"),
        (rf"MAN WT: {_TEXT} \(confirmed by (?P<user>[^()]+)\)", "manual_weight"),
        # a correction of a load confirmed in person by a supervisor (inspector/services/corrections.py)
        (rf"{_TEXT} \(confirmed by (?P<user>[^()]+)\)", "correction_confirmed"),
        # security
        (r"account created", "account_created"),
        (r"changed by its owner|password changed by its owner", "password_changed"),
        (r"reset by an administrator", "password_reset"),
        (r"rehashed with today's Argon2id parameters", "password_rehashed"),
        (r"(?P<count>\d+) failed attempts within (?P<minutes>\d+) minutes", "failed_attempts"),
        (r"the integrity check found problems", "integrity_problems"),
        (r"the system clock is earlier than the last audit event", "clock_backwards"),
        (r"replaced by a new key", "key_renewed"),
        (r"replaced by an imported key", "key_imported"),
    )
)


def _param(name: str, value: str, lang: Language) -> object:
    if name == "after":
        return Term("lot_change_after", value)
    if name == "kind":
        return Term("print_kind", value)
    if name == "text":
        return reason_words(value, lang)  # a certificate's void reason may itself be one of these forms
    return value


def reason_words(stored: str | None, lang: Language) -> str:
    """A reason as stored, in ``lang``: a form the application writes is worded by the catalogue, any
    other text (what a person typed) is returned as it is. None gives ""."""
    if not stored:
        return ""
    for pattern, key in _FORMS:
        match = pattern.fullmatch(stored)
        if match is None:
            continue
        params: Mapping[str, object] = {k: _param(k, v, lang) for k, v in match.groupdict().items()}
        worded = text(key, lang, params)
        if worded is not None:
            return worded
    return stored


@dataclass(frozen=True)
class StoredReason:
    """A stored reason as an error's parameter: worded in the reader's language (``.zh`` / ``.en``)."""

    stored: str

    @property
    def zh(self) -> str:
        return reason_words(self.stored, "zh_CN")

    @property
    def en(self) -> str:
        return reason_words(self.stored, "en")
