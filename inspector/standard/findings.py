"""What a classification says: severities, outcomes, statuses and findings as codes with parameters.

A finding never carries prose: it names the rule, its clause, the attribute, the measured and rounded
values (decimal strings), the limit, the severity, whether it passed, and a message code with parameters.
The rule set's ``messages`` section words each code in Chinese and English (``describe``), so the intake
form, the approval queue and the certificate all say the same thing in either language.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple


class Severity(enum.StrEnum):
    REJECT = "REJECT"
    HOLD = "HOLD"
    DOWNGRADE = "DOWNGRADE"


class Outcome(enum.StrEnum):
    ACCEPT = "ACCEPT"
    HOLD = "HOLD"
    REJECT = "REJECT"
    INCOMPLETE = "INCOMPLETE"


class Status(enum.StrEnum):
    PROVISIONAL = "provisional"
    FINAL = "final"


# Message codes the engine itself issues (the rule set's own codes come from its rules and limits).
WITHIN_LIMIT = "within_limit"
CHECK_PASSED = "check_passed"
GRADE_ASSIGNED = "grade_assigned"
CONTENT_BELOW_RANGE = "content_below_range"
DOWNGRADED_BELOW_LOWEST = "downgraded_below_lowest_grade"
ENGINE_MESSAGE_CODES = (
    WITHIN_LIMIT, CHECK_PASSED, GRADE_ASSIGNED, CONTENT_BELOW_RANGE, DOWNGRADED_BELOW_LOWEST,
)

# The fields a message template may use; describe() fills them from the finding and the rule set.
TEMPLATE_FIELDS = frozenset(
    {"rule", "rule_name", "clause", "attribute", "attribute_name", "measured", "rounded", "limit", "unit",
     "severity", "grade", "grade_before", "downgrades"}
)


_NO_PARAMS: Mapping[str, str] = MappingProxyType({})


class Finding(NamedTuple):
    """One judged check. ``measured``/``rounded``/``limit`` are decimal strings (or a flag / code).

    A named tuple: immutable and cheap to build, since every classification makes about ten.
    """

    rule: str
    clause: str
    attribute: str | None
    measured: str | bool | None
    limit: str | None
    severity: Severity
    passed: bool
    message: str
    rounded: str | None = None
    params: Mapping[str, str] = _NO_PARAMS

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "clause": self.clause,
            "attribute": self.attribute,
            "measured": self.measured,
            "rounded": self.rounded,
            "limit": self.limit,
            "severity": self.severity.value,
            "passed": self.passed,
            "message": self.message,
            "params": dict(self.params),
        }


def template_fields(template: str) -> set[str]:
    """The named fields a message template uses (raises ValueError for a malformed template)."""
    names: set[str] = set()
    for _literal, name, _spec, _conv in string.Formatter().parse(template):
        if name is not None:
            if not name or not name.isidentifier():
                raise ValueError(f"placeholder {{{name}}} is not a field name")
            names.add(name)
    return names
