"""What a person writes on the record (why a weight was typed by hand, why a certificate is voided, why a
held load may be used, what a signature means): the one rule for how much must be written."""

from __future__ import annotations

from inspector.errors import UserError

MIN_REASON_LENGTH = 5


def long_enough(text: str | None) -> bool:
    """Whether ``text`` says enough to go on the record (spaces around it do not count)."""
    return len((text or "").strip()) >= MIN_REASON_LENGTH


def require_reason(text: str | None, *, field: str, message: str, hint: str | None = None) -> str:
    """``text`` without the spaces around it; a ``UserError`` on ``field`` saying ``message`` when it is
    too short to go on the record."""
    if not long_enough(text):
        raise UserError(message, field=field, hint=hint)
    return (text or "").strip()
