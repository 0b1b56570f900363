"""The typed schema of a rule set file (format 1), checked field by field before anything is used.

Every model is strict (no coercion: a limit written as a YAML float is refused, because its written
precision would be lost) and forbids unknown keys (a misspelt key is an error, not a silent default).
Cross-references (attributes named by categories and rules, categories named by the key, ...) are checked
by ``loader.cross_check`` after this schema has passed.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from inspector.standard.findings import Severity


class SchemaProblem(ValueError):
    """A check of the schema failed: a code (``errors."ruleset.<what>"``) with parameters, which the loader
    words for the file's author (pydantic keeps the exception in the error's context)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False, pattern=r"\S")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
CategoryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=20)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z0-9.]*$", max_length=20)]
# Plain decimal text only ("30.0", "-1", "0.25"): no exponent, no sign tricks, no float.
DecimalText = Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,12})?$")]
Grade = Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
# Enums are written as their value in the file; strict mode would want the Python enum object itself.
SeverityName = Annotated[Severity, Field(strict=False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(Strict):
    """A bilingual text: both languages, neither empty."""

    zh: NonEmpty
    en: NonEmpty


class Named(Strict):
    key: Key
    name: Text


AttributeType = Literal["decimal", "bool", "choice", "text", "code", "integer"]


class AttributeDef(Strict):
    stage: Key
    type: AttributeType
    name: Text
    description: Text | None = None
    unit: NonEmpty | None = None
    min: DecimalText | None = None
    max: DecimalText | None = None
    choices: list[Named] | None = None
    max_length: Annotated[int, Field(gt=0, le=10000)] | None = None
    pattern: NonEmpty | None = None
    requires: list[Key] = []

    @model_validator(mode="after")
    def _fits_type(self) -> AttributeDef:
        from decimal import Decimal

        numeric = self.type in ("decimal", "integer")
        if not numeric and (self.min is not None or self.max is not None):
            raise SchemaProblem("ruleset.min_max_not_numeric", type=self.type)
        if self.min is not None and self.max is not None and Decimal(self.min) > Decimal(self.max):
            raise SchemaProblem("ruleset.min_above_max", minimum=self.min, maximum=self.max)
        if (self.type == "choice") != (self.choices is not None):
            raise SchemaProblem("ruleset.choices_only_for_choice")
        if self.choices is not None:
            keys = [c.key for c in self.choices]
            if not keys:
                raise SchemaProblem("ruleset.choices_empty")
            if len(set(keys)) != len(keys):
                raise SchemaProblem("ruleset.choices_repeat", keys=keys)
        if (self.type == "code") != (self.pattern is not None):
            raise SchemaProblem("ruleset.pattern_only_for_code")
        if self.pattern is not None:
            import re

            try:
                re.compile(self.pattern)
            except re.error as exc:
                position = (exc.pos or 0) + 1
                raise SchemaProblem("ruleset.pattern_invalid", position=position) from None
        if self.max_length is not None and self.type != "text":
            raise SchemaProblem("ruleset.max_length_only_for_text")
        return self


class DerivedDef(Strict):
    name: Text
    unit: NonEmpty | None = None


class Band(Strict):
    grade: Grade
    min: DecimalText


class Grading(Strict):
    attribute: Key
    bands: Annotated[list[Band], Field(min_length=1)]

    @field_validator("bands")
    @classmethod
    def _descending(cls, bands: list[Band]) -> list[Band]:
        from decimal import Decimal

        grades = [b.grade for b in bands]
        if len(set(grades)) != len(grades):
            raise SchemaProblem("ruleset.grade_twice", grades=grades)
        mins = [Decimal(b.min) for b in bands]
        if any(lower >= higher for higher, lower in pairwise(mins)):
            raise SchemaProblem("ruleset.bands_order")
        return bands


class Category(Strict):
    code: CategoryCode
    name: Text
    description: Text | None = None
    required: list[Key] = []
    oxide_factor: DecimalText | None = None
    grading: Grading | None = None


class GradingRule(Strict):
    id: RuleId
    clause: NonEmpty
    name: Text
    below_range_severity: SeverityName


MessageCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]


class Limit(Strict):
    value: DecimalText
    severity: SeverityName
    message: MessageCode


class FlagTest(Strict):
    kind: Literal["flag"]
    attribute: Key
    fail_if: bool
    severity: SeverityName
    message: MessageCode


class MaxTest(Strict):
    kind: Literal["max"]
    attribute: Key
    limits: Annotated[list[Limit], Field(min_length=1)]

    @field_validator("limits")
    @classmethod
    def _descending(cls, limits: list[Limit]) -> list[Limit]:
        from decimal import Decimal

        values = [Decimal(x.value) for x in limits]
        if any(lower >= higher for higher, lower in pairwise(values)):
            raise SchemaProblem("ruleset.limits_order")
        return limits


class PermitTest(Strict):
    kind: Literal["permit"]
    attribute: Key
    exempt: list[NonEmpty] = []
    severity: SeverityName
    message: MessageCode


class AlwaysTest(Strict):
    kind: Literal["always"]
    severity: SeverityName
    message: MessageCode


Test = Annotated[FlagTest | MaxTest | PermitTest | AlwaysTest, Field(discriminator="kind")]


class Rule(Strict):
    id: RuleId
    clause: NonEmpty
    name: Text
    applies_to: Literal["all"] | Annotated[list[CategoryCode], Field(min_length=1)]
    tests: Annotated[list[Test], Field(min_length=1)]


class Answer(Strict):
    id: Key
    text: Text
    description: Text | None = None
    next: Key | None = None
    category: CategoryCode | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Answer:
        if (self.next is None) == (self.category is None):
            raise SchemaProblem("ruleset.answer_target")
        return self


class Question(Strict):
    id: Key
    text: Text
    description: Text | None = None
    answers: Annotated[list[Answer], Field(min_length=1)]


class Identification(Strict):
    start: Key
    questions: Annotated[list[Question], Field(min_length=1)]


class RuleSetFile(Strict):
    """A whole rule set file."""

    format: Literal[1]
    id: CategoryCode
    version: Annotated[str, StringConstraints(pattern=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")]
    status: Literal["provisional", "official", "superseded"]
    title: Text
    standard_ref: Text
    effective_from: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    judging: Literal["gbt8170_rounded"]
    stages: Annotated[list[Named], Field(min_length=1)]
    attributes: Annotated[dict[Key, AttributeDef], Field(min_length=1)]
    derived: dict[Key, DerivedDef] = {}
    required: dict[Key, list[Key]] = {}
    categories: Annotated[list[Category], Field(min_length=1)]
    grading_rule: GradingRule
    rules: list[Rule] = []
    messages: dict[MessageCode, Text]
    identification: Identification
