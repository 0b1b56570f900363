"""Wording a finding in Chinese or English from the rule set's message templates.

The engine's findings are codes with parameters; the UI and the certificate call ``describe`` with the
language they print in, so both read the same words from the rule set the load was judged under.
"""

from __future__ import annotations

from typing import Literal

from inspector.standard.findings import Finding
from inspector.standard.ruleset import RuleSet

Language = Literal["zh", "en"]


class _Fields(dict[str, str]):
    """Template fields; a placeholder with no value prints as empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def describe(ruleset: RuleSet, finding: Finding, lang: Language) -> str:
    """The finding in words, in ``lang`` (``zh`` or ``en``)."""
    fields = _Fields(finding.params)
    fields.update(rule=finding.rule, clause=finding.clause, severity=finding.severity.value)
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
    return " ".join(template.format_map(fields).split())
