"""A loaded rule set: its identity and the tables the engine walks, compiled once from the validated file.

``RuleSet.definition`` is the typed file (names, texts, the identification key); the engine uses the
compiled specs, in which limits are Decimals built from their written text and each category has its
tests and its required attributes per stage ready to walk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from inspector.standard.findings import Severity
from inspector.standard.gbt8170 import quantum_of
from inspector.standard.schema import RuleSetFile, Text

# Attribute keys the engine's derived values are computed from (checked by the loader when derived).
DOSE_NET = "dose_net_usv_h"
TREO_DRY_OXIDE = "treo_pct_dry_oxide"
DERIVED_INPUTS: Mapping[str, tuple[str, ...]] = {
    DOSE_NET: ("dose_background_usv_h", "dose_gross_usv_h"),
    TREO_DRY_OXIDE: ("treo_pct", "treo_basis", "treo_moisture_basis", "moisture_pct", "oil_pct"),
}


@dataclass(frozen=True, slots=True)
class RuleSetRef:
    """What a classification record keeps of the rule set it was judged under."""

    id: str
    version: str
    sha256: str
    status: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "sha256": self.sha256, "status": self.status}

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    key: str
    stage: str
    stage_index: int
    type: str
    unit: str | None
    minimum: Decimal | None
    maximum: Decimal | None
    choices: tuple[str, ...]
    max_length: int | None
    pattern: re.Pattern[str] | None
    requires: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LimitSpec:
    value: Decimal
    text: str
    severity: Severity
    message: str
    # 10^-n for a limit written with n decimals: what a value is rounded to before it is compared
    quantum: Decimal


@dataclass(frozen=True, slots=True)
class TestSpec:
    rule: str
    clause: str
    kind: str
    attribute: str | None
    severity: Severity
    message: str
    fail_if: bool = True
    limits: tuple[LimitSpec, ...] = ()
    exempt: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BandSpec:
    grade: str
    minimum: Decimal
    text: str
    quantum: Decimal


@dataclass(frozen=True, slots=True)
class CategorySpec:
    code: str
    oxide_factor: Decimal | None
    grading_attribute: str | None
    bands: tuple[BandSpec, ...]
    # required_upto[i]: every attribute a run at stage i needs (stages 0..i), in a stable order.
    required_upto: tuple[tuple[str, ...], ...]
    tests: tuple[TestSpec, ...]


@dataclass(frozen=True, eq=False)
class RuleSet:
    """An installed, validated rule set. Identity: ``id``, ``version`` and ``sha256`` of its content."""

    id: str
    version: str
    status: str
    sha256: str
    source: str
    definition: RuleSetFile
    document: Mapping[str, Any]
    stages: tuple[str, ...]
    attributes: Mapping[str, AttributeSpec]
    derived: frozenset[str]
    categories: Mapping[str, CategorySpec]
    messages: Mapping[str, Text]

    @cached_property
    def ref(self) -> RuleSetRef:
        return RuleSetRef(self.id, self.version, self.sha256, self.status)

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"

    @property
    def version_key(self) -> tuple[int, ...]:
        return version_key(self.version)

    # Bilingual names, for the intake form and the certificate.
    def category_name(self, code: str) -> Text:
        return next(c.name for c in self.definition.categories if c.code == code)

    def attribute_name(self, key: str) -> Text:
        if key in self.definition.attributes:
            return self.definition.attributes[key].name
        return self.definition.derived[key].name

    def attribute_unit(self, key: str) -> str | None:
        if key in self.definition.attributes:
            return self.definition.attributes[key].unit
        return self.definition.derived[key].unit

    def rule_name(self, rule_id: str) -> Text:
        if rule_id == self.definition.grading_rule.id:
            return self.definition.grading_rule.name
        return next(r.name for r in self.definition.rules if r.id == rule_id)

    def stage_name(self, key: str) -> Text:
        return next(s.name for s in self.definition.stages if s.key == key)

    def choice_name(self, attribute: str, choice: str) -> Text:
        choices = self.definition.attributes[attribute].choices or []
        return next(c.name for c in choices if c.key == choice)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def compile_ruleset(definition: RuleSetFile, *, sha256: str, source: str,
                    document: Mapping[str, Any]) -> RuleSet:
    """Build the engine's tables from a file that has passed the schema and the cross-checks."""
    stages = tuple(s.key for s in definition.stages)
    stage_index = {key: i for i, key in enumerate(stages)}
    attributes: dict[str, AttributeSpec] = {}
    for key, a in definition.attributes.items():
        attributes[key] = AttributeSpec(
            key=key,
            stage=a.stage,
            stage_index=stage_index[a.stage],
            type=a.type,
            unit=a.unit,
            minimum=Decimal(a.min) if a.min is not None else None,
            maximum=Decimal(a.max) if a.max is not None else None,
            choices=tuple(c.key for c in a.choices or ()),
            max_length=a.max_length,
            pattern=re.compile(a.pattern) if a.pattern is not None else None,
            requires=tuple(a.requires),
        )

    tests_by_category: dict[str, list[TestSpec]] = {c.code: [] for c in definition.categories}
    for rule in definition.rules:
        targets = list(tests_by_category) if rule.applies_to == "all" else rule.applies_to
        for test in rule.tests:
            spec = _test_spec(rule.id, rule.clause, test)
            for code in targets:
                tests_by_category[code].append(spec)

    categories: dict[str, CategorySpec] = {}
    for cat in definition.categories:
        wanted: list[str] = []
        for stage in stages:
            wanted.extend(definition.required.get(stage, ()))
        wanted.extend(cat.required)
        expanded: list[str] = []
        for key in wanted:
            for k in (key, *attributes[key].requires):
                if k not in expanded:
                    expanded.append(k)
        required_upto = tuple(
            tuple(k for k in expanded if attributes[k].stage_index <= i) for i in range(len(stages))
        )
        grading = cat.grading
        categories[cat.code] = CategorySpec(
            code=cat.code,
            oxide_factor=Decimal(cat.oxide_factor) if cat.oxide_factor is not None else None,
            grading_attribute=grading.attribute if grading else None,
            bands=tuple(BandSpec(b.grade, Decimal(b.min), b.min, quantum_of(Decimal(b.min)))
                        for b in grading.bands) if grading else (),
            required_upto=required_upto,
            tests=tuple(tests_by_category[cat.code]),
        )
    return RuleSet(
        id=definition.id,
        version=definition.version,
        status=definition.status,
        sha256=sha256,
        source=source,
        definition=definition,
        document=document,
        stages=stages,
        attributes=attributes,
        derived=frozenset(definition.derived),
        categories=categories,
        messages=definition.messages,
    )


def _test_spec(rule_id: str, clause: str, test: Any) -> TestSpec:
    from inspector.standard import schema

    if isinstance(test, schema.MaxTest):
        limits = tuple(
            LimitSpec(Decimal(x.value), x.value, x.severity, x.message, quantum_of(Decimal(x.value)))
            for x in test.limits
        )
        # A passed max test reports the lowest limit it was judged against and that limit's severity.
        return TestSpec(rule_id, clause, "max", test.attribute, limits[-1].severity, limits[-1].message,
                        limits=limits)
    if isinstance(test, schema.FlagTest):
        return TestSpec(rule_id, clause, "flag", test.attribute, test.severity, test.message,
                        fail_if=test.fail_if)
    if isinstance(test, schema.PermitTest):
        return TestSpec(rule_id, clause, "permit", test.attribute, test.severity, test.message,
                        exempt=frozenset(test.exempt))
    assert isinstance(test, schema.AlwaysTest)
    return TestSpec(rule_id, clause, "always", None, test.severity, test.message)
