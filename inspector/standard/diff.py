"""What changed between two rule sets, for a supervisor's review before a new version is put in force.

Lists of records are matched by their natural key (categories by ``code``, rules and questions by ``id``,
bands by ``grade``, choices and stages by ``key``), so reordering is not a change and a changed limit is
reported at a readable path such as ``categories[NDFEB-PS].grading.bands[A].min``; unnamed records of
equal-length lists (a rule's tests) are compared by position, other lists as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_RECORD_KEYS = ("code", "id", "grade", "key")
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: ``kind`` is added, removed or changed; ``a``/``b`` the values (None when absent)."""

    path: str
    kind: str
    a: Any
    b: Any

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "a": self.a, "b": self.b}


def diff_documents(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[Change]:
    """Every difference between two parsed rule set documents, in a stable order."""
    changes: list[Change] = []
    _diff(a, b, "", changes)
    return changes


def _record_key(a: list[Any], b: list[Any]) -> str | None:
    """The field that names each record in both lists uniquely, if there is one."""
    for key in _RECORD_KEYS:
        if (a or b) and all(_unique_by(items, key) for items in (a, b)):
            return key
    return None


def _unique_by(items: list[Any], key: str) -> bool:
    if not all(isinstance(x, dict) and key in x for x in items):
        return False
    values = [str(x[key]) for x in items]
    return len(set(values)) == len(values)


def _diff(a: Any, b: Any, path: str, out: list[Change]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            sub = f"{path}.{key}" if path else str(key)
            _diff(a.get(key, _MISSING), b.get(key, _MISSING), sub, out)
        return
    if isinstance(a, list) and isinstance(b, list):
        key = _record_key(a, b)
        if key is not None:
            left = {str(x[key]): x for x in a}
            right = {str(x[key]): x for x in b}
            order = list(left) + [k for k in right if k not in left]
            for name in order:
                _diff(left.get(name, _MISSING), right.get(name, _MISSING), f"{path}[{name}]", out)
            return
        if len(a) == len(b) and all(isinstance(x, dict) for x in a + b):
            # records without a name (a rule's tests, a test's limits) are compared by position
            for i, (left_item, right_item) in enumerate(zip(a, b, strict=True)):
                _diff(left_item, right_item, f"{path}[{i}]", out)
            return
        if a != b:
            out.append(Change(path, "changed", a, b))
        return
    if a is _MISSING:
        out.append(Change(path, "added", None, b))
    elif b is _MISSING:
        out.append(Change(path, "removed", a, None))
    elif a != b or type(a) is not type(b):
        out.append(Change(path, "changed", a, b))
