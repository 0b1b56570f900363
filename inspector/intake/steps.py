"""The seven intake steps: their fields, how each field is checked, and the findings each step gives rise to.

Pure functions over values (no database, no Qt). A step's values arrive as typed into the form (strings,
booleans, lists); ``check_step`` returns the errors as codes with parameters (the UI words them in Chinese
or English from the catalogue's ``errors."step.<code>"``, see ``FieldError.words``), the cleaned values and
the findings that arise at that step. Which attributes a step needs
comes from the rule set: a category needs, at each stage, what ``CategorySpec.required_upto`` lists.

Findings are judged by the classification engine as soon as the readings are known (the net dose at the
gate, a hazardous-waste code without a permit at arrival), so a REJECT or a HOLD is shown at the step where
it arises with what the inspector must do, not only on the summary.

One finding is the weighbridge's own, not the rule set's: at the tare step, a tare further than the yard's
tare tolerance from the vehicle's stored tare (or, without one, from the last tare weighed for its plate) is
a HOLD on the weigh-out until the inspector says why (``tare_difference_reason``: a trailer or body changed,
equipment added or removed, fuel and things carried, or another reason written in ``tare_difference_note``),
the practice of Chinese unattended weighbridge systems (皮重超差). Its words are the catalogue's
(``findings.<message>``), and the answer is stored with the step.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from inspector import messages
from inspector.errors import UserError
from inspector.messages import Bilingual, Language, Term, formats
from inspector.standard.engine import classify, show
from inspector.standard.findings import Finding, Outcome, Severity
from inspector.standard.identify import identify
from inspector.standard.inputs import LoadInput, Value, parse_attributes
from inspector.standard.ruleset import DOSE_NET, RuleSet
from inspector.uscc import normalize_uscc

# ---- the steps ------------------------------------------------------------------------------------------


class Step(enum.StrEnum):
    ARRIVAL = "arrival"
    GROSS = "gross"
    GATE = "gate"
    IDENTIFICATION = "identification"
    SAMPLING = "sampling"
    TARE = "tare"
    SUMMARY = "summary"


STEPS: tuple[Step, ...] = tuple(Step)
# The rule set stage whose attributes a step collects.
STEP_STAGE: Mapping[Step, str] = {Step.ARRIVAL: "intake", Step.GATE: "gate"}


def next_step_after(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


class FieldKind(enum.StrEnum):
    TEXT = "text"
    PLATE = "plate"
    SUPPLIER = "supplier"  # an existing supplier's id
    USCC = "uscc"
    CATEGORY = "category"
    CHOICE = "choice"
    BOOL = "bool"
    DECIMAL = "decimal"
    INTEGER = "integer"
    WEIGHT = "weight"
    HW_CODE = "hw_code"
    MANIFEST = "manifest"
    SEAL = "seal"
    DOCUMENTS = "documents"
    PHOTOS = "photos"
    ANSWERS = "answers"
    FRAME = "frame"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a step. ``attribute`` marks a rule-set attribute (named and bounded by the rule set)."""

    key: str
    kind: FieldKind
    required: bool = False
    attribute: bool = False
    choices: tuple[str, ...] = ()
    unit: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class FieldError:
    """A value that cannot be submitted: the field, a code the catalogue words, and the code's parameters."""

    field: str
    code: str
    # Text and numbers as written for a person; a list (joined in the reader's language) where it is one.
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def words(self, lang: Language, *, field: object) -> str:
        """What is wrong and what to do, in ``lang``; ``field`` is the field's name as the reader sees it
        (a label, or ``field_name``'s words)."""
        params: dict[str, object] = {**self.params, "field": field}
        problem = self.params.get("problem")
        if isinstance(problem, str) and messages.known_error(problem):
            # a refusal of another check, worded in full (the unified social credit code's)
            params["problem"] = _joined(*messages.error_words(problem, self.params, lang), lang)
        key = ERROR_CODES.get(self.code)
        if key is None:
            return f"{messages.render(field, lang)}: {self.code}"  # a code without words is shown, not hidden
        return _joined(*messages.error_words(key, params, lang), lang)


def _joined(text: str, hint: str | None, lang: Language) -> str:
    if not hint:
        return text
    return f"{text}{hint}" if lang == "zh_CN" else f"{text} {hint}"


def field_name(key: str, ruleset: RuleSet | None = None) -> Bilingual | Term:
    """A field's name for a message: the rule set's name of an attribute, else ``words.intake_field``."""
    if ruleset is not None and (key in ruleset.attributes or key in ruleset.derived):
        return ruleset.attribute_name(key)
    return Term("intake_field", key)


# Error codes (worded by the catalogue as errors."step.<code>", ERROR_CODES below).
REQUIRED = "required"
NOT_A_NUMBER = "not_a_number"
NOT_A_WHOLE_NUMBER = "not_a_whole_number"
NEGATIVE_WEIGHT = "negative_weight"
WEIGHT_OVER_CAPACITY = "weight_over_capacity"
BELOW_MINIMUM = "below_minimum"
ABOVE_MAXIMUM = "above_maximum"
NEGATIVE_PERCENTAGE = "negative_percentage"
PERCENTAGE_OVER_100 = "percentage_over_100"
TOO_LONG = "too_long"
NOT_A_CHOICE = "not_a_choice"
UNKNOWN_CATEGORY = "unknown_category"
MALFORMED_PLATE = "malformed_plate"
MALFORMED_USCC = "malformed_uscc"
MALFORMED_HW_CODE = "malformed_hw_code"
MALFORMED_MANIFEST = "malformed_manifest"
MALFORMED_SEAL = "malformed_seal"
DUPLICATE_SEAL = "duplicate_seal"
MALFORMED_PHOTO = "malformed_photo"
MALFORMED_FRAME = "malformed_frame"
UNKNOWN_DOCUMENT = "unknown_document"
TARE_ABOVE_GROSS = "tare_above_gross"
NO_GROSS_YET = "no_gross_yet"
MANUAL_REASON_REQUIRED = "manual_reason_required"
STORED_TARE_MISSING = "stored_tare_missing"
STORED_TARE_EXPIRED = "stored_tare_expired"
TOO_FEW_INCREMENTS = "too_few_increments"
COMPOSITE_REQUIRED = "composite_required"
UNKNOWN_PLAN = "unknown_plan"
IDENTIFICATION_INCOMPLETE = "identification_incomplete"
NOT_AN_ANSWER = "not_an_answer"
NOT_CONFIRMED = "not_confirmed"
MOISTURE_OIL_OVER_100 = "moisture_oil_over_100"
# Found by the intake service, with the database at hand.
UNKNOWN_PHOTO = "unknown_photo"
CAPTURE_REQUIRED = "capture_required"
DIFFERS_FROM_CAPTURE = "differs_from_capture"
SUPPLIER_EXISTS = "supplier_exists"

# Every field error code and the catalogue's error that words it.
ERROR_CODES: Mapping[str, str] = {
    REQUIRED: "step.required",
    NOT_A_NUMBER: "step.not_a_number",
    NOT_A_WHOLE_NUMBER: "step.not_a_whole_number",
    NEGATIVE_WEIGHT: "step.negative_weight",
    WEIGHT_OVER_CAPACITY: "step.weight_over_capacity",
    BELOW_MINIMUM: "step.below_minimum",
    ABOVE_MAXIMUM: "step.above_maximum",
    NEGATIVE_PERCENTAGE: "step.negative_percentage",
    PERCENTAGE_OVER_100: "step.percentage_over_100",
    TOO_LONG: "step.too_long",
    NOT_A_CHOICE: "step.not_a_choice",
    UNKNOWN_CATEGORY: "step.unknown_category",
    MALFORMED_PLATE: "step.malformed_plate",
    MALFORMED_USCC: "step.malformed_uscc",
    MALFORMED_HW_CODE: "step.malformed_hw_code",
    MALFORMED_MANIFEST: "step.malformed_manifest",
    MALFORMED_SEAL: "step.malformed_seal",
    DUPLICATE_SEAL: "step.duplicate_seal",
    MALFORMED_PHOTO: "step.malformed_photo",
    MALFORMED_FRAME: "step.malformed_frame",
    UNKNOWN_DOCUMENT: "step.unknown_document",
    TARE_ABOVE_GROSS: "step.tare_above_gross",
    NO_GROSS_YET: "step.no_gross_yet",
    MANUAL_REASON_REQUIRED: "step.manual_reason_required",
    STORED_TARE_MISSING: "step.stored_tare_missing",
    STORED_TARE_EXPIRED: "step.stored_tare_expired",
    TOO_FEW_INCREMENTS: "step.too_few_increments",
    COMPOSITE_REQUIRED: "step.composite_required",
    UNKNOWN_PLAN: "step.unknown_plan",
    IDENTIFICATION_INCOMPLETE: "step.identification_incomplete",
    NOT_AN_ANSWER: "step.not_an_answer",
    NOT_CONFIRMED: "step.not_confirmed",
    MOISTURE_OIL_OVER_100: "step.moisture_oil_over_100",
    UNKNOWN_PHOTO: "step.unknown_photo",
    CAPTURE_REQUIRED: "step.capture_required",
    DIFFERS_FROM_CAPTURE: "step.differs_from_capture",
    SUPPLIER_EXISTS: "step.supplier_exists",
}

PLATE_RE = re.compile(r"^[\w·\-]{2,12}$")
HW_CODE_RE = re.compile(r"^HW[0-9]{2}$")
# China's electronic hazardous-waste transfer manifest numbers are long digit strings; paper forms add
# letters and hyphens. Anything else (spaces inside, punctuation) is a typing or scanning error.
MANIFEST_RE = re.compile(r"^[0-9A-Z][0-9A-Z\-]{5,29}$")
# A seal number as printed on tamper-evident seals: letters, digits and hyphens, 4 to 20 characters.
SEAL_RE = re.compile(r"^[0-9A-Z][0-9A-Z\-]{3,19}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
FRAME_HEX_RE = re.compile(r"^(?:[0-9a-f]{2}){1,256}$")

DOCUMENT_KINDS: tuple[str, ...] = (
    "delivery_note",
    "business_licence",
    "hw_transfer_manifest",
    "weighing_slip",
    "import_declaration",
    "analysis_certificate",
)
WEIGHT_SOURCES: tuple[str, ...] = ("indicator", "manual")
TARE_SOURCES: tuple[str, ...] = ("indicator", "manual", "stored")
# Why an empty vehicle weighs other than it did (the answer a tare difference needs).
TARE_DIFFERENCE_REASONS: tuple[str, ...] = ("trailer_changed", "equipment_changed", "fuel_and_items", "other")
TARE_DIFFERENCE_RULE = "TARE-TOLERANCE"
TARE_DIFFERENCE_FIELDS: tuple[str, ...] = ("tare_difference_reason", "tare_difference_note")


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    code: str
    min_increments: int
    splits: tuple[str, ...]


SP_DEFAULT = SamplingPlan("SP-DEFAULT", 10, ("yard", "supplier", "arbitration"))
SAMPLING_PLANS: Mapping[str, SamplingPlan] = {SP_DEFAULT.code: SP_DEFAULT}
SEAL_FIELDS: tuple[str, ...] = tuple(f"seal_{split}" for split in SP_DEFAULT.splits)


# ---- what a step is checked against ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredTare:
    """A vehicle's stored tare as the weighing area keeps it (``set_at``: when it was stored)."""

    weight: int
    expires_at: datetime | None
    unit: str = "kg"
    set_at: datetime | None = None
    set_offset: int = 0


@dataclass(frozen=True, slots=True)
class LastTare:
    """The last tare weighed for a plate on another load: the weight, when, and on which ticket."""

    weight: int
    unit: str
    weighed_at: datetime
    offset_minutes: int
    ticket_no: str


@dataclass(frozen=True)
class StepContext:
    """What the checks of a step need to know besides the step's own values.

    ``category`` is the declared category until identification gives one. ``attributes`` are the load's
    attribute values gathered so far (JSON form, as stored on ``Load.attributes``). ``unit`` is the unit of
    the weights and ``offset_minutes`` the yard's offset from UTC, for the words of an error.
    """

    ruleset: RuleSet
    category: str | None = None
    permit_codes: frozenset[str] = frozenset()
    attributes: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    gross: int | None = None
    capacity: int | None = None
    stored_tare: StoredTare | None = None
    now: datetime | None = None
    unit: str = "kg"
    offset_minutes: int = 0
    # The tare step compares the weighed tare with the stored tare, else with ``last_tare``, when the yard's
    # ``tare_tolerance`` (scale units) is known; None: not judged.
    last_tare: LastTare | None = None
    tare_tolerance: int | None = None


class Action(enum.StrEnum):
    """What the inspector must do about a finding (worded by the UI)."""

    REFUSE_UNLOADING = "refuse_unloading"
    QUARANTINE_BAY = "quarantine_bay"
    CALL_SUPERVISOR = "call_supervisor"
    NOTE_DOWNGRADE = "note_downgrade"


@dataclass(frozen=True, slots=True)
class Alert:
    """A failed finding at the step where it arose, with what the inspector must do."""

    step: Step
    finding: Finding
    actions: tuple[Action, ...]

    @property
    def severity(self) -> Severity:
        return self.finding.severity


@dataclass(frozen=True)
class StepCheck:
    """The result of checking one step's values."""

    step: Step
    errors: tuple[FieldError, ...]
    values: Mapping[str, Any]
    attributes: Mapping[str, Any]
    alerts: tuple[Alert, ...] = ()
    derived: Mapping[str, str] = dataclasses.field(default_factory=dict)
    category: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_for(self, key: str) -> tuple[FieldError, ...]:
        return tuple(e for e in self.errors if e.field == key)


@dataclass(frozen=True, slots=True)
class _Worded:
    """A field error as a message parameter, worded in the reader's language."""

    error: FieldError
    field: object

    @property
    def zh(self) -> str:
        return self.error.words("zh_CN", field=self.field)

    @property
    def en(self) -> str:
        return self.error.words("en", field=self.field)


def worded(error: FieldError, ruleset: RuleSet | None = None) -> _Worded:
    """A field error as the parameter of a message (``{problem}``), its field named in words."""
    return _Worded(error, field_name(error.field, ruleset))


class StepInvalidError(UserError):
    """A step submitted with values that cannot be accepted; ``errors`` lists every one of them.

    Its words are the first error's (the window marks every field with its own); ``ruleset`` names the
    rule set's attributes in words.
    """

    def __init__(self, step: Step, errors: Sequence[FieldError], *, ruleset: RuleSet | None = None) -> None:
        self.step = step
        self.errors = tuple(errors)
        first = self.errors[0]
        code = "intake.step_invalid" if len(self.errors) == 1 else "intake.step_invalid_many"
        super().__init__(code, field=first.field, step=Term("intake_step", step.value),
                         problem=worded(first, ruleset), count=len(self.errors))


# ---- the fields of each step ----------------------------------------------------------------------------


def required_attributes(ruleset: RuleSet, category: str | None, stage: str) -> tuple[str, ...]:
    """The attributes of ``stage`` that ``category`` needs (the rule set's global ones without a category)."""
    if category is not None and category in ruleset.categories:
        upto = ruleset.categories[category].required_upto[ruleset.stages.index(stage)]
        return tuple(k for k in upto if ruleset.attributes[k].stage == stage)
    return tuple(ruleset.definition.required.get(stage, ()))


def stage_attributes(ruleset: RuleSet, stage: str) -> tuple[str, ...]:
    return tuple(k for k, spec in ruleset.attributes.items() if spec.stage == stage)


# Attributes that belong only to some categories: shown when the category needs them.
_CATEGORY_ONLY = frozenset({"air_isolated_packaging", "magnet_liberated", "damaged_cells"})


def _attribute_field(ruleset: RuleSet, key: str, required: bool) -> FieldSpec:
    spec = ruleset.attributes[key]
    kind = {
        "decimal": FieldKind.DECIMAL,
        "bool": FieldKind.BOOL,
        "integer": FieldKind.INTEGER,
        "choice": FieldKind.CHOICE,
        "code": FieldKind.HW_CODE if key == "hazardous_waste_code" else FieldKind.TEXT,
    }.get(spec.type, FieldKind.TEXT)
    return FieldSpec(key, kind, required=required, attribute=True, choices=spec.choices, unit=spec.unit,
                     minimum=spec.minimum, maximum=spec.maximum, max_length=spec.max_length)


def fields_missing_for(ruleset: RuleSet, category: str, attributes: Mapping[str, Any]
                       ) -> tuple[FieldSpec, ...]:
    """The intake and gate attributes ``category`` requires that are not among ``attributes`` yet (an
    identification that changes the declared category asks for them at once, e.g. the air isolation of a
    load identified as sludge)."""
    keys = [k for stage in ("intake", "gate") for k in required_attributes(ruleset, category, stage)
            if attributes.get(k) is None]
    return tuple(_attribute_field(ruleset, k, True) for k in keys)


def manifest_required(ruleset: RuleSet, category: str | None, hw_code: object) -> bool:
    """A transfer manifest is needed when the category needs a hazardous-waste code or one is declared."""
    if isinstance(hw_code, str) and HW_CODE_RE.match(hw_code.strip().upper()):
        return True
    return "hazardous_waste_code" in required_attributes(ruleset, category, "intake")


def fields_for(step: Step, ruleset: RuleSet, category: str | None, values: Mapping[str, Any] | None = None
               ) -> tuple[FieldSpec, ...]:
    """The fields of ``step`` for a load of ``category`` (required-ness from the rule set)."""
    values = values or {}
    if step is Step.ARRIVAL:
        required = set(required_attributes(ruleset, category, "intake"))
        attrs = tuple(_attribute_field(ruleset, k, k in required)
                      for k in stage_attributes(ruleset, "intake"))
        new_supplier = not values.get("supplier_id")
        return (
            FieldSpec("plate", FieldKind.PLATE, required=True, max_length=20),
            FieldSpec("supplier_id", FieldKind.SUPPLIER, required=not new_supplier),
            FieldSpec("new_supplier_name", FieldKind.TEXT, required=new_supplier, max_length=200),
            FieldSpec("new_supplier_uscc", FieldKind.USCC, required=new_supplier),
            FieldSpec("driver", FieldKind.TEXT, max_length=100),
            FieldSpec("declared_category", FieldKind.CATEGORY, required=True,
                      choices=tuple(ruleset.categories)),
            *attrs,
            FieldSpec("documents", FieldKind.DOCUMENTS, choices=DOCUMENT_KINDS),
            FieldSpec("hw_manifest_no", FieldKind.MANIFEST,
                      required=manifest_required(ruleset, category, values.get("hazardous_waste_code"))),
        )
    if step is Step.GROSS:
        return (
            FieldSpec("gross", FieldKind.WEIGHT, required=True),
            FieldSpec("source", FieldKind.CHOICE, required=True, choices=WEIGHT_SOURCES),
            FieldSpec("manual_reason", FieldKind.TEXT, required=values.get("source") == "manual",
                      max_length=300),
            *_indicator_fields(values),
            FieldSpec("photos", FieldKind.PHOTOS),
        )
    if step is Step.GATE:
        required = set(required_attributes(ruleset, category, "gate"))
        keys = [k for k in stage_attributes(ruleset, "gate") if k not in _CATEGORY_ONLY or k in required]
        attrs = tuple(_attribute_field(ruleset, k, k in required) for k in keys)
        return (
            *attrs,
            FieldSpec("handheld_usv_h", FieldKind.DECIMAL, required=values.get("portal_alarm") is True,
                      unit="µSv/h", minimum=Decimal(0)),
            FieldSpec("instrument", FieldKind.TEXT, max_length=100),
            FieldSpec("photos", FieldKind.PHOTOS),
        )
    if step is Step.IDENTIFICATION:
        return (FieldSpec("answers", FieldKind.ANSWERS, required=True),)
    if step is Step.SAMPLING:
        return (
            FieldSpec("plan", FieldKind.CHOICE, required=True, choices=tuple(SAMPLING_PLANS)),
            FieldSpec("increments", FieldKind.INTEGER, required=True, minimum=Decimal(1)),
            FieldSpec("composite", FieldKind.BOOL, required=True),
            *(FieldSpec(k, FieldKind.SEAL, required=True) for k in SEAL_FIELDS),
        )
    if step is Step.TARE:
        # The answer to a tare difference: asked for (required) by ``check_step`` when there is one.
        return (
            FieldSpec("tare", FieldKind.WEIGHT, required=values.get("source") != "stored"),
            FieldSpec("source", FieldKind.CHOICE, required=True, choices=TARE_SOURCES),
            FieldSpec("manual_reason", FieldKind.TEXT, required=values.get("source") == "manual",
                      max_length=300),
            *_indicator_fields(values),
            FieldSpec("tare_difference_reason", FieldKind.CHOICE, choices=TARE_DIFFERENCE_REASONS),
            FieldSpec("tare_difference_note", FieldKind.TEXT,
                      required=values.get("tare_difference_reason") == "other", max_length=200),
            FieldSpec("photos", FieldKind.PHOTOS),
        )
    return (FieldSpec("confirmed", FieldKind.BOOL, required=True),)


def _indicator_fields(values: Mapping[str, Any]) -> tuple[FieldSpec, ...]:
    """A weight from the indicator comes with the raw frame it was read from and the scale's id (the
    record keeps them); only a manual weight, with its reason, comes without."""
    indicator = values.get("source") == "indicator"
    return (
        FieldSpec("frame_hex", FieldKind.FRAME, required=indicator, max_length=512),
        FieldSpec("scale_id", FieldKind.TEXT, required=indicator, max_length=40),
        FieldSpec("stability", FieldKind.TEXT, max_length=40),
    )


# ---- checking values ------------------------------------------------------------------------------------

_DECIMAL_RE = re.compile(r"^-?[0-9]{1,12}(?:\.[0-9]{1,12})?$")
_INTEGER_RE = re.compile(r"^-?[0-9]{1,12}$")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _check_number(spec: FieldSpec, value: object, errors: list[FieldError], *, integer: bool
                  ) -> Decimal | None:
    text = str(value).strip() if not isinstance(value, bool) else ""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    pattern = _INTEGER_RE if integer else _DECIMAL_RE
    if not pattern.match(text):
        errors.append(FieldError(spec.key, NOT_A_WHOLE_NUMBER if integer else NOT_A_NUMBER, {"value": text}))
        return None
    number = Decimal(text)
    percent = spec.unit == "%"
    if spec.minimum is not None and number < spec.minimum:
        code = NEGATIVE_PERCENTAGE if percent and number < 0 else BELOW_MINIMUM
        errors.append(FieldError(spec.key, code, {"value": text, "minimum": show(spec.minimum),
                                                  "unit": spec.unit or "",
                                                  "amount": _amount(text, spec.unit),
                                                  "least": _amount(show(spec.minimum), spec.unit)}))
        return None
    if spec.maximum is not None and number > spec.maximum:
        code = PERCENTAGE_OVER_100 if percent and spec.maximum == 100 else ABOVE_MAXIMUM
        errors.append(FieldError(spec.key, code, {"value": text, "maximum": show(spec.maximum),
                                                  "unit": spec.unit or "",
                                                  "amount": _amount(text, spec.unit),
                                                  "most": _amount(show(spec.maximum), spec.unit)}))
        return None
    return number


def _amount(value: str, unit: str | None) -> str:
    """A figure with its unit, if it has one (``0.30 µSv/h``, ``12``)."""
    return f"{value} {unit}" if unit else value


def _check_weight(key: str, value: object, ctx: StepContext, errors: list[FieldError]) -> int | None:
    text = str(value).strip()
    if isinstance(value, bool) or not _INTEGER_RE.match(text):
        errors.append(FieldError(key, NOT_A_WHOLE_NUMBER, {"value": text}))
        return None
    weight = int(text)
    if weight < 0:
        errors.append(FieldError(key, NEGATIVE_WEIGHT, {"value": formats.mass(weight, ctx.unit)}))
        return None
    if ctx.capacity is not None and weight > ctx.capacity:
        errors.append(FieldError(key, WEIGHT_OVER_CAPACITY, {
            "value": formats.mass(weight, ctx.unit), "capacity": formats.mass(ctx.capacity, ctx.unit)}))
        return None
    return weight


def _check_field(spec: FieldSpec, value: object, ctx: StepContext, errors: list[FieldError]) -> Any:
    """The cleaned value (JSON form) or None when the value is absent or wrong (an error is then added)."""
    if _blank(value) and spec.kind is not FieldKind.BOOL:
        if spec.required:
            errors.append(FieldError(spec.key, REQUIRED))
        return None
    kind = spec.kind
    key = spec.key
    if kind is FieldKind.BOOL:
        if value is None:
            if spec.required:
                errors.append(FieldError(key, REQUIRED))
            return None
        if not isinstance(value, bool):
            errors.append(FieldError(key, NOT_A_CHOICE, {"value": str(value)}))
            return None
        return value
    if kind is FieldKind.DECIMAL:
        number = _check_number(spec, value, errors, integer=False)
        return None if number is None else str(value).strip()
    if kind is FieldKind.INTEGER:
        number = _check_number(spec, value, errors, integer=True)
        return None if number is None else int(number)
    if kind is FieldKind.WEIGHT:
        return _check_weight(key, value, ctx, errors)
    if not isinstance(value, str) and kind not in (FieldKind.DOCUMENTS, FieldKind.PHOTOS, FieldKind.ANSWERS,
                                                   FieldKind.SUPPLIER):
        errors.append(FieldError(key, NOT_A_CHOICE, {"value": str(value)}))
        return None
    if kind is FieldKind.TEXT:
        text = " ".join(str(value).split())
        if spec.max_length is not None and len(text) > spec.max_length:
            errors.append(FieldError(key, TOO_LONG,
                                     {"length": str(len(text)), "maximum": str(spec.max_length)}))
            return None
        return text
    if kind is FieldKind.PLATE:
        plate = "".join(str(value).split()).upper()
        if not PLATE_RE.match(plate):
            errors.append(FieldError(key, MALFORMED_PLATE, {"value": str(value).strip()}))
            return None
        return plate
    if kind is FieldKind.SUPPLIER:
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit() or int(text) <= 0:
            errors.append(FieldError(key, NOT_A_CHOICE, {"value": text}))
            return None
        return int(text)
    if kind is FieldKind.USCC:
        try:
            return normalize_uscc(str(value), field=key)
        except UserError as exc:
            # the code's own refusal (its length, a letter it never has, its check character), in full
            errors.append(FieldError(key, MALFORMED_USCC, {**exc.params, "problem": exc.code}))
            return None
    if kind is FieldKind.CATEGORY:
        if value not in ctx.ruleset.categories:
            errors.append(FieldError(key, UNKNOWN_CATEGORY, {"value": str(value)}))
            return None
        return value
    if kind is FieldKind.CHOICE:
        if value not in spec.choices:
            errors.append(FieldError(key, NOT_A_CHOICE,
                                     {"value": str(value), "choices": ",".join(spec.choices)}))
            return None
        return value
    if kind is FieldKind.HW_CODE:
        code = str(value).strip()
        code = "none" if code.lower() == "none" else code.upper()
        if code != "none" and not HW_CODE_RE.match(code):
            errors.append(FieldError(key, MALFORMED_HW_CODE, {"value": str(value).strip()}))
            return None
        return code
    if kind is FieldKind.MANIFEST:
        manifest = str(value).strip().upper()
        if not MANIFEST_RE.match(manifest):
            errors.append(FieldError(key, MALFORMED_MANIFEST, {"value": str(value).strip()}))
            return None
        return manifest
    if kind is FieldKind.SEAL:
        seal = str(value).strip().upper()
        if not SEAL_RE.match(seal):
            errors.append(FieldError(key, MALFORMED_SEAL, {"value": str(value).strip()}))
            return None
        return seal
    if kind is FieldKind.DOCUMENTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(FieldError(key, UNKNOWN_DOCUMENT, {"value": str(value)}))
            return None
        unknown = [v for v in value if v not in DOCUMENT_KINDS]
        if unknown:
            errors.append(FieldError(key, UNKNOWN_DOCUMENT, {"value": unknown[0]}))
            return None
        return sorted(set(value), key=DOCUMENT_KINDS.index)
    if kind is FieldKind.FRAME:
        frame = str(value).strip().lower()
        if not FRAME_HEX_RE.match(frame):
            errors.append(FieldError(key, MALFORMED_FRAME))
            return None
        return frame
    if kind is FieldKind.PHOTOS:
        if not isinstance(value, list) or not all(isinstance(v, str) and SHA256_RE.match(v) for v in value):
            errors.append(FieldError(key, MALFORMED_PHOTO))
            return None
        return list(dict.fromkeys(value))
    if kind is FieldKind.ANSWERS:
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in value.items()):
            errors.append(FieldError(key, NOT_AN_ANSWER))
            return None
        return dict(value)
    raise AssertionError(f"unhandled field kind {kind}")


def check_step(step: Step, values: Mapping[str, Any], ctx: StepContext) -> StepCheck:
    """Check ``values`` for ``step``: every error (field, code, parameters), the cleaned values and alerts."""
    if step is Step.ARRIVAL:
        declared = values.get("declared_category")
        category = declared if isinstance(declared, str) and declared in ctx.ruleset.categories else None
    else:
        category = ctx.category
    specs = fields_for(step, ctx.ruleset, category, values)
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for spec in specs:
        cleaned = _check_field(spec, values.get(spec.key), ctx, errors)
        if cleaned is None:
            continue
        (attributes if spec.attribute else clean)[spec.key] = cleaned

    if step is Step.ARRIVAL and clean.get("supplier_id"):
        # An existing supplier was picked: the new-supplier fields are not used.
        clean.pop("new_supplier_name", None)
        clean.pop("new_supplier_uscc", None)
    if step is Step.SAMPLING:
        _check_sampling(clean, errors)
    tare_alerts: tuple[Alert, ...] = ()
    if step is Step.TARE:
        _check_tare(clean, ctx, errors)
        tare_alerts = _tare_difference_alerts(clean, ctx, errors)
    if step is Step.SUMMARY and clean.get("confirmed") is False:
        errors.append(FieldError("confirmed", NOT_CONFIRMED))
    identified: str | None = None
    if step is Step.IDENTIFICATION and "answers" in clean:
        identified = _check_identification(ctx.ruleset, clean["answers"], errors)
        if identified is not None:
            clean["category"] = identified
            # What the identified category needs that the declared one did not ask for is asked now.
            for spec in fields_missing_for(ctx.ruleset, identified, ctx.attributes):
                cleaned = _check_field(spec, values.get(spec.key), ctx, errors)
                if cleaned is not None:
                    attributes[spec.key] = cleaned

    judged_category = identified or category
    alerts: tuple[Alert, ...] = tare_alerts
    derived: dict[str, str] = {}
    # Each rule is judged as soon as its own inputs are valid, whatever else is still empty or wrong: a
    # dose over the limit holds the load while the rest of the gate form is being filled in. (``attributes``
    # holds only the values that passed their checks; a rule missing an input is not judged yet.)
    if judged_category is not None and step in (Step.ARRIVAL, Step.GATE, Step.IDENTIFICATION):
        merged = {**ctx.attributes, **attributes}
        alerts, derived = step_alerts(step, ctx.ruleset, judged_category, merged, ctx.permit_codes)
    return StepCheck(step, tuple(errors), clean, attributes, alerts, derived, judged_category)


def _check_sampling(clean: dict[str, Any], errors: list[FieldError]) -> None:
    plan = SAMPLING_PLANS.get(clean.get("plan", ""))
    if plan is not None:
        increments = clean.get("increments")
        if isinstance(increments, int) and increments < plan.min_increments:
            errors.append(FieldError("increments", TOO_FEW_INCREMENTS,
                                     {"value": str(increments), "minimum": str(plan.min_increments),
                                      "plan": plan.code}))
        if clean.get("composite") is False:
            errors.append(FieldError("composite", COMPOSITE_REQUIRED, {"plan": plan.code}))
    seen: dict[str, str] = {}
    for key in SEAL_FIELDS:
        seal = clean.get(key)
        if seal is None:
            continue
        if seal in seen:
            errors.append(FieldError(key, DUPLICATE_SEAL, {"value": seal, "other": seen[seal]}))
        else:
            seen[seal] = key


def _check_tare(clean: dict[str, Any], ctx: StepContext, errors: list[FieldError]) -> None:
    if clean.get("source") == "stored":
        stored = ctx.stored_tare
        if stored is None:
            errors.append(FieldError("source", STORED_TARE_MISSING))
            return
        if stored.expires_at is not None and ctx.now is not None and stored.expires_at <= ctx.now:
            errors.append(FieldError("source", STORED_TARE_EXPIRED,
                                     {"expired": formats.Moment(stored.expires_at, ctx.offset_minutes)}))
            return
        clean["tare"] = stored.weight
    tare = clean.get("tare")
    if tare is None:
        return
    if ctx.gross is None:
        errors.append(FieldError("tare", NO_GROSS_YET))
    elif tare > ctx.gross:
        errors.append(FieldError("tare", TARE_ABOVE_GROSS, {"tare": formats.mass(tare, ctx.unit),
                                                            "gross": formats.mass(ctx.gross, ctx.unit)}))


def tare_difference(tare: int, ctx: StepContext) -> Finding | None:
    """The finding of a weighed ``tare`` further than the yard's tolerance from the vehicle's stored tare
    (or, without one, the plate's last weighed tare), or None (within it, nothing to compare with, another
    unit, or no tolerance known)."""
    tolerance = ctx.tare_tolerance
    if tolerance is None:
        return None
    unit = ctx.unit
    stored, last = ctx.stored_tare, ctx.last_tare
    params: dict[str, str]
    if stored is not None:
        if stored.unit != unit:
            return None
        reference, message = stored.weight, "tare_differs_from_stored"
        params = {"set_on": _local_day(stored.set_at, stored.set_offset)}
    elif last is not None and last.unit == unit:
        reference, message = last.weight, "tare_differs_from_last"
        params = {"weighed_on": _local_day(last.weighed_at, last.offset_minutes), "ticket": last.ticket_no}
    else:
        return None
    difference = tare - reference
    if abs(difference) <= tolerance:
        return None
    sign = "+" if difference > 0 else "-"
    params.update(tare=formats.mass(tare, unit), reference=formats.mass(reference, unit),
                  difference=f"{sign}{formats.mass(abs(difference), unit)}",
                  tolerance=formats.mass(tolerance, unit))
    return Finding(rule=TARE_DIFFERENCE_RULE, clause=f"±{formats.mass(tolerance, unit)}", attribute=None,
                   measured=str(tare), limit=str(tolerance), severity=Severity.HOLD, passed=False,
                   message=message, params=params)


def asks_tare_difference(check: StepCheck) -> bool:
    """Whether the checked tare step has a tare difference to answer (a form may show the answer fields
    only then)."""
    return any(a.finding.rule == TARE_DIFFERENCE_RULE for a in check.alerts)


def _local_day(at: datetime | None, offset_minutes: int) -> str:
    """The local date of an instant as ISO text (a finding's ``*_on`` parameter; worded per language)."""
    if at is None:
        return ""
    return formats.day(at, "en", offset_minutes=offset_minutes)


def _tare_difference_alerts(clean: dict[str, Any], ctx: StepContext, errors: list[FieldError]
                            ) -> tuple[Alert, ...]:
    """The tare difference as an alert, its answer required; without a difference, no answer is kept."""
    tare = clean.get("tare")
    finding = tare_difference(tare, ctx) if isinstance(tare, int) else None
    if finding is None:
        for key in TARE_DIFFERENCE_FIELDS:
            clean.pop(key, None)
        errors[:] = [e for e in errors if e.field not in TARE_DIFFERENCE_FIELDS]
        return ()
    if "tare_difference_reason" not in clean and not any(e.field == "tare_difference_reason" for e in errors):
        errors.append(FieldError("tare_difference_reason", REQUIRED))
    if "tare_difference_reason" in clean and not any(e.field in TARE_DIFFERENCE_FIELDS for e in errors):
        # Answered: the words no longer ask for the reason (the finding stays on the record with the step).
        finding = finding._replace(message=f"{finding.message}_explained")
    return (Alert(Step.TARE, finding, ()),)


def _check_identification(ruleset: RuleSet, answers: Mapping[str, str], errors: list[FieldError]
                          ) -> str | None:
    try:
        result = identify(ruleset, answers)
    except UserError as exc:
        errors.append(FieldError(exc.field or "answers", NOT_AN_ANSWER))
        return None
    if result.category is None:
        assert result.question is not None
        errors.append(FieldError("answers", IDENTIFICATION_INCOMPLETE, {"question": result.question.id}))
        return None
    return result.category


# ---- findings at the step where they arise --------------------------------------------------------------


def _actions(finding: Finding) -> tuple[Action, ...]:
    if finding.severity is Severity.REJECT:
        return (Action.REFUSE_UNLOADING, Action.CALL_SUPERVISOR)
    if finding.severity is Severity.HOLD:
        return (Action.QUARANTINE_BAY, Action.CALL_SUPERVISOR)
    return (Action.NOTE_DOWNGRADE,)


def typed_attributes(ruleset: RuleSet, attributes: Mapping[str, Any]) -> dict[str, Value]:
    """The stored attribute values typed for the engine (unknown or unusable values are left out)."""
    known = {k: v for k, v in attributes.items() if k in ruleset.attributes}
    try:
        return parse_attributes(ruleset, known)
    except UserError:
        typed: dict[str, Value] = {}
        for key, value in known.items():
            try:
                typed.update(parse_attributes(ruleset, {key: value}))
            except UserError:
                continue
        return typed


def judge_gate(ruleset: RuleSet, category: str, attributes: Mapping[str, Any], permit_codes: frozenset[str]
               ) -> tuple[Outcome, tuple[Finding, ...], dict[str, str], tuple[str, ...]]:
    """Classify at the gate stage: outcome, findings, derived values (decimal strings), missing keys."""
    typed = typed_attributes(ruleset, attributes)
    result = classify(ruleset, LoadInput(category, "gate", typed, permit_codes))
    return result.outcome, result.findings, {k: show(v) for k, v in result.derived.items()}, result.missing


def step_alerts(step: Step, ruleset: RuleSet, category: str, attributes: Mapping[str, Any],
                permit_codes: frozenset[str]) -> tuple[tuple[Alert, ...], dict[str, str]]:
    """The failed findings that arise at ``step``: those on the step's own attributes (and derived values,
    like the net dose at the gate); at identification, those the identified category adds."""
    _outcome, findings, derived, _missing = judge_gate(ruleset, category, attributes, permit_codes)
    if step is Step.IDENTIFICATION:
        # Rules that depend on the category itself (C1..C4): anything the category changes.
        own = {t.rule for t in ruleset.categories[category].tests} - _global_rules(ruleset)
        chosen = [f for f in findings if not f.passed and f.rule in own]
    else:
        stage = STEP_STAGE[step]
        keys = set(stage_attributes(ruleset, stage))
        if stage == "gate":
            keys.add(DOSE_NET)
        chosen = [f for f in findings if not f.passed and f.attribute in keys]
    return tuple(Alert(step, f, _actions(f)) for f in chosen), derived


def _global_rules(ruleset: RuleSet) -> set[str]:
    return {r.id for r in ruleset.definition.rules if r.applies_to == "all"}


def worst(alerts: Sequence[Alert]) -> Severity | None:
    for severity in (Severity.REJECT, Severity.HOLD, Severity.DOWNGRADE):
        if any(a.severity is severity for a in alerts):
            return severity
    return None


# ---- lab results ----------------------------------------------------------------------------------------

# The basis a lab reports TREO on: (treo_basis, treo_moisture_basis) in the rule set's terms.
LAB_BASES: Mapping[str, tuple[str, str]] = {
    "oxide_dry": ("oxide", "dry"),
    "oxide_as_received": ("oxide", "as_received"),
    "metal_dry": ("metal", "dry"),
    "metal_as_received": ("metal", "as_received"),
}
_BASIS_KEYS = frozenset({"treo_basis", "treo_moisture_basis"})


def lab_fields(ruleset: RuleSet, category: str | None) -> tuple[FieldSpec, ...]:
    """The assay values a lab report carries (the basis is chosen once for the report)."""
    required = set(required_attributes(ruleset, category, "lab"))
    return tuple(_attribute_field(ruleset, k, k in required)
                 for k in stage_attributes(ruleset, "lab") if k not in _BASIS_KEYS)


def check_lab_values(ruleset: RuleSet, category: str | None, basis: object, values: Mapping[str, Any]
                     ) -> tuple[tuple[FieldError, ...], dict[str, Any]]:
    """Check a lab report's basis and values; returns the errors and the attribute values to store.

    Missing required values are not errors here (a partial report is kept and the classification stays
    provisional); malformed, negative or over-100 % values are.
    """
    errors: list[FieldError] = []
    attributes: dict[str, Any] = {}
    ctx = StepContext(ruleset=ruleset, category=category)
    known = {spec.key: spec for spec in lab_fields(ruleset, category)}
    for key in values:
        if key not in known:
            errors.append(FieldError(key, NOT_A_CHOICE, {"value": key}))
    for key, spec in known.items():
        cleaned = _check_field(FieldSpec(spec.key, spec.kind, False, True, spec.choices, spec.unit,
                                         spec.minimum, spec.maximum, spec.max_length),
                               values.get(key), ctx, errors)
        if cleaned is not None:
            attributes[key] = cleaned
    if not attributes and not errors:
        errors.append(FieldError("values", REQUIRED))
    if basis not in LAB_BASES:
        errors.append(FieldError("basis", NOT_A_CHOICE,
                                 {"value": str(basis), "choices": ",".join(LAB_BASES)}))
    elif "treo_pct" in attributes:
        attributes["treo_basis"], attributes["treo_moisture_basis"] = LAB_BASES[str(basis)]
    moisture, oil = attributes.get("moisture_pct"), attributes.get("oil_pct")
    if moisture is not None and oil is not None and Decimal(moisture) + Decimal(oil) >= 100:
        errors.append(FieldError("oil_pct", MOISTURE_OIL_OVER_100,
                                 {"moisture": str(moisture), "oil": str(oil)}))
    return tuple(errors), attributes


def lab_alerts(ruleset: RuleSet, category: str | None, stored: Mapping[str, Any], basis: object,
               values: Mapping[str, Any], permit_codes: frozenset[str] = frozenset()) -> tuple[Alert, ...]:
    """The failed findings the lab's values raise, as soon as the values typed are valid: the load is judged
    at the lab stage on what it holds with those values (a value with an error waits until it is right).
    Findings on what the scale and gate collected were shown there already; these are the lab's."""
    if not category or category not in ruleset.categories:
        return ()
    errors, attributes = check_lab_values(ruleset, category, basis, values)
    wrong = {e.field for e in errors}
    if "basis" in wrong:  # a TREO is read on its basis: nothing is judged before the basis is right
        return ()
    typed = {k: v for k, v in attributes.items() if k not in wrong}
    if not any(k in typed for k in values):
        return ()
    merged = {**stored, **typed}
    result = classify(ruleset, LoadInput(category, "lab", typed_attributes(ruleset, merged), permit_codes))
    earlier = set(stage_attributes(ruleset, "intake")) | set(stage_attributes(ruleset, "gate")) | {DOSE_NET}
    return tuple(Alert(Step.SUMMARY, f, _actions(f)) for f in result.findings
                 if not f.passed and f.severity in (Severity.REJECT, Severity.HOLD, Severity.DOWNGRADE)
                 and f.attribute not in earlier)

