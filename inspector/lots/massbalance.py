"""A lot's mass balance, exact in Decimal: net, dry mass and contained REO per load share and per lot.

- dry mass = net share × (1 − (moisture_pct + oil_pct)/100)
- contained REO = dry mass × TREO% (dry oxide basis) / 100
- lot totals are sums; the lot's TREO is the dry-mass-weighted mean of its loads' TREO (= Σ REO / Σ dry),
  and its grade is that mean judged against the category's bands by the GB/T 8170 rounded-value method.

Every quantity is linear in the net share, so moving whole loads or whole scale divisions between lots
keeps the totals exactly; nothing here rounds except the judging of the grade and ``display``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from inspector.errors import UserError
from inspector.messages import Term, formats
from inspector.standard import engine, gbt8170

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Band:
    """A grade and its minimum as written in the rule set (``Decimal("30.0")`` keeps its one decimal)."""

    grade: str
    minimum: Decimal


@dataclass(frozen=True)
class LoadShare:
    """A load's contribution to a lot: its net share (whole scale units) and the assay it carries."""

    load_id: int
    ticket_no: str
    share: int
    moisture_pct: Decimal
    oil_pct: Decimal
    treo_pct: Decimal | None  # dry oxide basis; None when the assay is missing
    # The value the category is graded on when that is not TREO (SmCo: Sm %); None otherwise or unknown.
    grading_pct: Decimal | None = None

    @property
    def dry_fraction(self) -> Decimal:
        return dry_fraction(self.moisture_pct, self.oil_pct)

    @property
    def dry(self) -> Decimal:
        return gbt8170.CONTEXT.multiply(Decimal(self.share), self.dry_fraction)

    @property
    def reo(self) -> Decimal | None:
        if self.treo_pct is None:
            return None
        return gbt8170.CONTEXT.divide(gbt8170.CONTEXT.multiply(self.dry, self.treo_pct), HUNDRED)


@dataclass(frozen=True)
class Balance:
    """Totals of a lot (or of any set of load shares)."""

    net: int
    dry: Decimal
    reo: Decimal
    treo_pct: Decimal | None  # dry-mass-weighted mean, exact to 50 digits; None if no dry mass or no assay
    grade: str | None  # None when below the lowest band, ungraded category or unknown grading value
    missing_assay: tuple[str, ...]  # tickets whose TREO (or grading value) is unknown
    grading_pct: Decimal | None = None  # the dry-weighted mean graded on, when the category is not on TREO

    def to_json(self) -> dict[str, Any]:
        return {
            "net": self.net,
            "dry": str(display(self.dry)),
            "reo": str(display(self.reo)),
            "treo_pct": None if self.treo_pct is None else str(display(self.treo_pct, places=3)),
            "grade": self.grade,
            "missing_assay": list(self.missing_assay),
            "grading_pct": None if self.grading_pct is None else str(display(self.grading_pct, places=3)),
        }


def dry_fraction(moisture_pct: Decimal, oil_pct: Decimal) -> Decimal:
    water_oil = moisture_pct + oil_pct
    if moisture_pct < 0 or oil_pct < 0 or water_oil >= HUNDRED:
        raise UserError("lot.moisture_oil_invalid", field="attributes.moisture_pct",
                        moisture=formats.percent(moisture_pct), oil=formats.percent(oil_pct),
                        total=formats.percent(water_oil))
    return engine.dry_fraction(moisture_pct, oil_pct)


def balance(shares: Iterable[LoadShare], bands: Sequence[Band] = (), *, graded_on_treo: bool = True
            ) -> Balance:
    """Totals of the shares; the grade judges the dry-weighted mean TREO against ``bands``, or, for a
    category graded on another value (``graded_on_treo`` false: SmCo on Sm %), the mean of that value."""
    net = 0
    dry = ZERO
    reo = ZERO
    assayed_dry = ZERO
    graded_sum = ZERO
    missing: list[str] = []
    for s in shares:
        net += s.share
        d = s.dry
        dry = gbt8170.CONTEXT.add(dry, d)
        r = s.reo
        if r is not None:
            reo = gbt8170.CONTEXT.add(reo, r)
            assayed_dry = gbt8170.CONTEXT.add(assayed_dry, d)
        if graded_on_treo:
            if r is None:
                missing.append(s.ticket_no)
        elif s.grading_pct is None:
            missing.append(s.ticket_no)
        else:
            graded_sum = gbt8170.CONTEXT.add(graded_sum, gbt8170.CONTEXT.multiply(d, s.grading_pct))
    treo: Decimal | None = None
    if assayed_dry > 0 and (not missing or not graded_on_treo) and assayed_dry == dry:
        treo = gbt8170.CONTEXT.divide(gbt8170.CONTEXT.multiply(reo, HUNDRED), assayed_dry)
    if graded_on_treo:
        return Balance(net=net, dry=dry, reo=reo, treo_pct=treo,
                       grade=None if treo is None else grade_for(treo, bands), missing_assay=tuple(missing))
    mean = None if missing or dry <= 0 else gbt8170.CONTEXT.divide(graded_sum, dry)
    return Balance(net=net, dry=dry, reo=reo, treo_pct=treo,
                   grade=None if mean is None else grade_for(mean, bands), missing_assay=tuple(missing),
                   grading_pct=mean)


def grade_for(value: Decimal, bands: Sequence[Band]) -> str | None:
    """The highest band whose minimum the value reaches (GB/T 8170 rounded-value method), else None."""
    for band in bands:
        if gbt8170.reaches(value, band.minimum):
            return band.grade
    return None


def _decimal(attributes: Mapping[str, Any], key: str) -> Decimal | None:
    raw = attributes.get(key)
    if raw is None or raw == "":
        return None
    # The attribute is named in words (the key as it is for one without words of its own).
    attribute = Term("lot_attribute", key)
    if isinstance(raw, float | bool):
        raise UserError("lot.attribute_not_decimal_text", field=f"attributes.{key}", attribute=attribute,
                        key=key, type=type(raw).__name__)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise UserError("lot.attribute_not_a_number", field=f"attributes.{key}", attribute=attribute,
                        key=key, value=str(raw)) from None
    if not value.is_finite():
        raise UserError("lot.attribute_not_finite", field=f"attributes.{key}", attribute=attribute, key=key,
                        value=str(raw))
    return value


def attribute_pct(attributes: Mapping[str, Any], key: str) -> Decimal | None:
    """A stored percentage attribute (e.g. ``sm_pct``) as a Decimal, or None when not measured."""
    return _decimal(attributes, key)


def moisture_oil(attributes: Mapping[str, Any]) -> tuple[Decimal, Decimal]:
    """Moisture and oil (% mass) from a load's attributes; absent values count as 0 (DOMAIN §6)."""
    return _decimal(attributes, "moisture_pct") or ZERO, _decimal(attributes, "oil_pct") or ZERO


def treo_dry_oxide(attributes: Mapping[str, Any], oxide_factor: Decimal | None) -> Decimal | None:
    """A load's TREO % on a dry oxide basis (DOMAIN §6) from its lab attributes, by the standard engine's
    conversion; None when the load has no assay or the conversion lacks a factor."""
    treo = _decimal(attributes, "treo_pct")
    if treo is None:
        return None
    moisture, oil = moisture_oil(attributes)
    dry_fraction(moisture, oil)  # refuses impossible moisture + oil before dividing by the dry fraction
    return engine.treo_dry_oxide(
        treo,
        basis=str(attributes.get("treo_basis") or "oxide"),
        moisture_basis=str(attributes.get("treo_moisture_basis") or "dry"),
        oxide_factor=oxide_factor,
        moisture_pct=moisture,
        oil_pct=oil,
    )


def display(value: Decimal, places: int = 2) -> Decimal:
    """A value rounded (half even) for showing or printing; never fed back into a computation."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=gbt8170.CONTEXT)
