"""The error types every layer raises, so the UI and the command line can word them for a person.

An error is a code with parameters (``UserError("uscc.length", field="uscc", count=17)``); its words, in
English and Chinese, live in the catalogues of ``inspector.messages``. ``str(exc)`` is the English text for
logs; ``exc.words(lang)`` is what a person reads; ``exc.to_json(lang)`` is both, for ``--json`` output.

- ``UserError``: the input is wrong. Names the field, what is allowed and what to do.
- ``EnvironmentProblemError``: the machine is in the way (disk full, database locked or damaged, a key
  missing). Says what to do.
Anything else is a bug and goes to the crash handler.
"""

from __future__ import annotations

from typing import Any

from inspector.messages import Language
from inspector.messages.notice import Worded


class InspectorError(Worded, Exception):
    """Base class of the errors a person is shown in words (never as a traceback)."""

    def __init__(self, code: str, /, *, field: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params: dict[str, object] = params

    @property
    def message(self) -> str:
        """What went wrong, in English, without what to do (``hint``)."""
        return self.parts("en")[0]

    @property
    def hint(self) -> str | None:
        """What to do, in English."""
        return self.parts("en")[1]

    @property
    def sentence(self) -> str:
        return self.words("en")

    def to_json(self, lang: Language = "en") -> dict[str, Any]:
        """The stable code, field and parameters, the English text, and the message in ``lang``."""
        return {**super().to_json(lang), "field": self.field}

    def __str__(self) -> str:
        return self.sentence


class UserError(InspectorError):
    """Bad input: ``field`` names where, the message says what is allowed."""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.field}: {text}" if self.field else text


class EnvironmentProblemError(InspectorError):
    """The disk, database, a key or another resource is unusable; the hint says what to do."""


class PermissionDeniedError(UserError):
    """The actor's role does not allow the operation."""


class RecordedRefusalError(UserError):
    """Refused, and the refusal is itself on the record: a wrong password typed to sign still counts towards
    the account's lock. The unit of work commits what was written before this was raised (the failed
    attempt), where any other error rolls everything back; services never commit part-way themselves."""


class ConflictError(UserError):
    """The operation conflicts with the stored state (e.g. a locked lot, a changed record)."""
