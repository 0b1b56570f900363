"""The window's words for stored codes and errors, in the window's language.

The words themselves live in the core's catalogues (``inspector.messages``, ``resources/messages``), shared
with the command line and the certificate, so a state reads the same everywhere ("On hold" in the wizard is
"On hold" in the register and in ``yard-inspector lots list``). These functions only pick the language the
window runs in; they are called when a text is shown, so they follow a language switch. Unknown codes are
shown as they are rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from PySide6.QtCore import QLocale

from inspector import messages
from inspector.errors import InspectorError, UserError
from inspector.messages import Language
from inspector.security.actor import Role
from inspector.standard import RuleSet, default_ruleset, find_ruleset
from inspector.standard.schema import Text
from inspector.standard.wording import FindingLike, describe


def language() -> Language:
    """The window's language (the language switcher sets the default locale)."""
    return messages.language(QLocale().name())


def read_ahead() -> None:
    """Read the catalogues of both languages and the shipped rule set's names now (about 70 ms), on the
    thread that calls this, instead of at the first word a screen shows."""
    for lang in messages.LANGUAGES:
        messages.catalogue(lang)
    _category_names()
    _choice_names()


def word(kind: str, code: object) -> str:
    """The words for ``code`` of the enumeration ``kind`` (``words.<kind>`` in the catalogue)."""
    return messages.word(kind, code, language())


def aside(text: str) -> str:
    """A remark after a word: ``（§5 G2）`` in Chinese, `` (§5 G2)`` in English."""
    return f"（{text}）" if language() == "zh_CN" else f" ({text})"


def clauses(parts: Iterable[str]) -> str:
    """Clauses of one remark: joined by ``；`` in Chinese, ``; `` in English."""
    return ("；" if language() == "zh_CN" else "; ").join(parts)


def sentences(parts: Iterable[str]) -> str:
    """Whole sentences one after another (a Chinese full stop needs no space after it)."""
    return ("" if language() == "zh_CN" else " ").join(parts)


def reading(key: str, value: object, ruleset_id: str, ruleset_version: str) -> str:
    """One recorded attribute as ``name: value`` in words, from the rule set the load was judged under."""
    ruleset = _ruleset(ruleset_id, ruleset_version)
    name = key
    if ruleset is not None and (key in ruleset.attributes or key in ruleset.definition.derived):
        name = rule_text(ruleset.attribute_name(key))
    shown = str(value)
    if shown in ("True", "False", "true", "false"):
        shown = word("yes_no", "yes" if shown.lower() == "true" else "no")
    elif ruleset is not None and key in ruleset.attributes and ruleset.attributes[key].choices \
            and shown in ruleset.attributes[key].choices:
        shown = rule_text(ruleset.choice_name(key, shown))
    return f"{name}：{shown}" if language() == "zh_CN" else f"{name}: {shown}"


def rule_text(text: Text) -> str:
    """A rule-set text (a name, a question) in the window's language, with Chinese punctuation."""
    return messages.render(text, language())


def error(exc: InspectorError) -> str:
    """What went wrong and what to do, in the window's language."""
    return exc.words(language())


def category(code: str | None) -> str:
    """A rule-set category in words (``稀土荧光粉废料`` for ``PHOSPHOR``), from the rule set's own titles;
    a category the shipped rule set does not know is shown by its code."""
    if not code:
        return ""
    name = _category_names().get(code)
    return messages.render(name, language()) if name is not None else code


def choice(attribute: str, value: object) -> str:
    """A rule-set choice in words (``报废回收`` for ``end_of_life``), else the value as it is."""
    names = _choice_names().get((attribute, str(value)))
    return messages.render(names, language()) if names is not None else str(value)


def finding(item: FindingLike, ruleset_id: str, ruleset_version: str) -> str:
    """A finding in words, from the messages of the rule set it was judged under (when installed with the
    application; else its message code)."""
    ruleset = _ruleset(ruleset_id, ruleset_version)
    if ruleset is None:
        return item.message
    return describe(ruleset, item, messages.ruleset_language(language()))


@cache
def _ruleset(ruleset_id: str, ruleset_version: str) -> RuleSet | None:
    try:
        return find_ruleset(f"{ruleset_id}@{ruleset_version}")
    except UserError:
        return None


@cache
def _choice_names() -> dict[tuple[str, str], Text]:
    return {(key, c.key): c.name for key, spec in default_ruleset().definition.attributes.items()
            for c in spec.choices or ()}


@cache
def _category_names() -> dict[str, Text]:
    # The shipped rule set's titles. A yard's own rule set with a category the shipped one lacks shows
    # that category by its code.
    return {c.code: c.name for c in default_ruleset().definition.categories}


def load_state(code: str) -> str:
    return word("load_state", code)


def lot_state(code: str) -> str:
    return word("lot_state", code)


def certificate_status(code: str) -> str:
    return word("certificate_status", code)


def outcome(code: str | None) -> str:
    """A classification's outcome (ACCEPT, HOLD, REJECT, INCOMPLETE); empty when there is none yet."""
    return word("outcome", code.upper()) if code else ""


def decision(code: str) -> str:
    """A supervisor's decision on a lot."""
    return word("decision", code)


def role(value: Role | str) -> str:
    return word("role", value)


def classification_status(code: str | None) -> str:
    return word("classification_status", code) if code else ""


def ruleset_status(code: str) -> str:
    return word("ruleset_status", code)


def severity(code: str) -> str:
    """How heavily a finding weighs on the outcome."""
    return word("severity", code)


def manual_weight_flag() -> str:
    # The weighbridge-ticket convention for a weight typed by hand instead of read from the indicator.
    return word("weight_source", "MANUAL")
