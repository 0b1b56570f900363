"""What a person writes on the record (why a weight was typed by hand, why a certificate is voided, why a
held load may be used, what a signature means): the one rule for how much must be written."""

from __future__ import annotations

from inspector.errors import UserError

MIN_REASON_LENGTH = 5
# The error of a reason too short to go on the record, when the caller names no more precise one.
REASON_TOO_SHORT = "reason.too_short"


def long_enough(text: str | None) -> bool:
    """Whether ``text`` says enough to go on the record (spaces around it do not count)."""
    return len((text or "").strip()) >= MIN_REASON_LENGTH


def require_reason(text: str | None, *, field: str, code: str = REASON_TOO_SHORT, **params: object) -> str:
    """``text`` without the spaces around it; a ``UserError`` on ``field`` when it is too short to go on
    the record.

    ``code`` is the error's catalogue code (what the reason is for: ``"lot.release_comment_required"``),
    ``params`` its parameters; ``minimum`` (the least number of characters) is always among them, so the
    code's words may say how much must be written.
    """
    if not long_enough(text):
        params.setdefault("minimum", MIN_REASON_LENGTH)
        raise UserError(code, field=field, **params)
    return (text or "").strip()
