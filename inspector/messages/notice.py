"""A text a person reads, as a code with parameters worded from the catalogue's ``errors.<code>``.

``Worded`` gives anything with a ``code`` and ``params`` its words: the errors (``inspector.errors``) and
the notices that are not errors (a finding of a verification or an integrity check, a signing hold, the
outcome of a sign-in, the verdict on a certificate). Worded things have ``zh`` and ``en`` like any
bilingual text, so one can be a parameter of another and is then worded in that reader's language too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inspector import messages
from inspector.messages import Language


def json_param(value: object) -> object:
    """A parameter as JSON: a stored code as itself, a bilingual text as both, a list item by item."""
    if isinstance(value, messages.Term):
        return value.code
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [json_param(v) for v in items]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    zh, en = getattr(value, "zh", None), getattr(value, "en", None)
    if isinstance(zh, str) and isinstance(en, str):
        return {"zh": zh, "en": en}
    return str(getattr(value, "value", value))


class Worded:
    """Words for ``self.code`` and ``self.params`` (set by the class that mixes this in)."""

    code: str
    params: Mapping[str, object]

    def parts(self, lang: Language) -> tuple[str, str | None]:
        """What it says, and what to do (or None), in ``lang``: for a dialog that shows them apart."""
        return messages.error_words(self.code, self.params, lang)

    def words(self, lang: Language) -> str:
        """All of it, in ``lang``."""
        text, hint = self.parts(lang)
        if not hint:
            return text
        return f"{text}{hint}" if lang == "zh_CN" else f"{text} {hint}"

    @property
    def en(self) -> str:
        return self.words("en")

    @property
    def zh(self) -> str:
        return self.words("zh_CN")

    @property
    def message(self) -> str:
        """In English (logs, and what is stored where English was stored before)."""
        return self.words("en")

    def to_json(self, lang: Language = "en") -> dict[str, Any]:
        """The stable code and parameters, the English words and the words in ``lang``."""
        return {"code": self.code, "params": {k: json_param(v) for k, v in sorted(self.params.items())},
                "english": self.words("en"), "message": self.words(lang)}

    def __str__(self) -> str:
        return self.message


class Notice(Worded):
    """A code with its parameters that is not an error: ``Notice("verify.pdf.many_signatures", count=2)``."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        params = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({self.code!r}{params})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notice):
            return NotImplemented
        return self.code == other.code and dict(self.params) == dict(other.params)

    def __hash__(self) -> int:
        return hash(self.code)
