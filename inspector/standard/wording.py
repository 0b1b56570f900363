"""Wording a finding in Chinese or English from the rule set's message templates.

The engine's findings are codes with parameters; the UI and the certificate call ``describe`` with the
language they print in, so both read the same words from the rule set the load was judged under. A finding
the program judges itself, not a rule of the rule set (a tare beyond the yard's tolerance), is worded by the
core catalogue's ``findings.<message>``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from inspector import messages
from inspector.messages import Bilingual, formats, full_width
from inspector.standard.findings import Finding
from inspector.standard.ruleset import RuleSet

Language = Literal["zh", "en"]


class _Fields(dict[str, str]):
    """Template fields; a placeholder with no value prints as empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


class FindingLike(Protocol):
    """A finding as the engine returns it, or as a stored document holds it (``queries.lots.FindingView``)."""

    @property
    def rule(self) -> str: ...
    @property
    def clause(self) -> str: ...
    @property
    def severity(self) -> object: ...
    @property
    def attribute(self) -> str | None: ...
    @property
    def message(self) -> str: ...
    @property
    def params(self) -> Mapping[str, Any] | Iterable[tuple[str, Any]]: ...


def describe(ruleset: RuleSet, finding: Finding | FindingLike, lang: Language) -> str:
    """The finding in words, in ``lang`` (``zh`` or ``en``); a finding of a document judged under a rule set
    that words it differently is shown by its message code."""
    rules = {ruleset.definition.grading_rule.id, *(r.id for r in ruleset.definition.rules)}
    if finding.message not in ruleset.messages or finding.rule not in rules:
        return _catalogue_words(finding, lang) or finding.message
    fields = _Fields(dict(finding.params))
    fields.update(rule=finding.rule, clause=finding.clause,
                  severity=str(getattr(finding.severity, "value", finding.severity)))
    fields["rule_name"] = getattr(ruleset.rule_name(finding.rule), lang)
    if finding.attribute is not None:
        fields["attribute"] = finding.attribute
        fields["attribute_name"] = getattr(ruleset.attribute_name(finding.attribute), lang)
        fields["unit"] = ruleset.attribute_unit(finding.attribute) or ""
    for name in ("measured", "rounded", "limit"):
        value = getattr(finding, name)
        if value is not None:
            fields[name] = str(value).lower() if isinstance(value, bool) else str(value)
    template: str = getattr(ruleset.messages[finding.message], lang)
    text = " ".join(template.format_map(fields).split())
    return full_width(text) if lang == "zh" else text


def _catalogue_words(finding: Finding | FindingLike, lang: Language) -> str | None:
    """The words of a finding the program judges itself (``findings.<message>`` in the core catalogue); a
    parameter named ``*_on`` holds an ISO date and is written as a date in the reader's language."""
    params: dict[str, object] = {}
    for name, value in dict(finding.params).items():
        params[name] = value
        if name.endswith("_on") and isinstance(value, str):
            with contextlib.suppress(ValueError):
                params[name] = formats.Day(date.fromisoformat(value))
    return messages.text(f"findings.{finding.message}", "zh_CN" if lang == "zh" else "en", params)


@dataclass(frozen=True, slots=True)
class Labelled:
    """A code with its bilingual name, as a message parameter: ``NDFEB-SL（钕铁硼油泥/磨泥）`` in Chinese,
    ``NDFEB-SL (NdFeB grinding/oil sludge)`` in English (``inspector.messages`` prints ``zh`` or ``en``)."""

    code: str
    name: Bilingual

    @property
    def zh(self) -> str:
        return f"{self.code}（{self.name.zh}）"

    @property
    def en(self) -> str:
        return f"{self.code} ({self.name.en})"


def categories_named(ruleset: RuleSet) -> list[Labelled]:
    """Every category of the rule set with its name, in the rule set's order (for "known: ..." messages)."""
    return [Labelled(c.code, c.name) for c in ruleset.definition.categories]


def stages_named(ruleset: RuleSet) -> list[Labelled]:
    return [Labelled(s.key, s.name) for s in ruleset.definition.stages]


def choices_named(ruleset: RuleSet, attribute: str) -> list[Labelled]:
    return [Labelled(c.key, c.name) for c in ruleset.definition.attributes[attribute].choices or ()]
