"""The error types every layer raises, so the UI and the command line can word them for a person.

- ``UserError``: the input is wrong. Names the field, what is allowed and what to do.
- ``EnvironmentProblemError``: the machine is in the way (disk full, database locked or damaged, a key
  missing). Says what to do.
Anything else is a bug and goes to the crash handler.
"""

from __future__ import annotations


class InspectorError(Exception):
    """Base class of the errors a person is shown in words (never as a traceback)."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    @property
    def sentence(self) -> str:
        """What went wrong and what to do, for a person (without the field name ``str`` adds for logs)."""
        return f"{self.message} {self.hint}" if self.hint else self.message

    def __str__(self) -> str:
        return self.sentence


class UserError(InspectorError):
    """Bad input: ``field`` names where, the message says what is allowed."""

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.field}: {text}" if self.field else text


class EnvironmentProblemError(InspectorError):
    """The disk, database, a key or another resource is unusable; the hint says what to do."""


class PermissionDeniedError(UserError):
    """The actor's role does not allow the operation."""


class RecordedRefusalError(UserError):
    """Refused, and the refusal is itself on the record: a wrong password typed to sign counts towards the
    account's lock. The unit of work commits what was written before this was raised (the failed
    attempt), where any other error rolls everything back; services never commit part-way themselves."""


class ConflictError(UserError):
    """The operation conflicts with the stored state (e.g. a locked lot, a changed record)."""
