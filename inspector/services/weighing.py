"""Weighing use cases: capture gross/tare from the indicator, stored tares, manual weights, scale settings.

Every weight on a load comes from a ``Weighing`` row: from the indicator (the capture gate passed, the raw
frame kept and re-parsed here), from a stored tare, or typed by hand with a reason and a supervisor's
confirmation (flagged ``MAN WT`` wherever it is shown). ``Load.gross/tare/net`` are whole scale units and
net = gross - tare exactly. Every change is audited in the same transaction.

Two yard settings belong to weighing practice and are edited on the weighbridge settings screen with the
scale (``ScaleSettings``), though they are kept as yard settings (``Setting`` rows), one value for the yard:

- the **tare tolerance** (``weighing.tare_tolerance``), an absolute mass in the scale's unit, 200 kg unless
  the yard chose another. A weighed tare further than that from the vehicle's stored tare, or from the last
  tare weighed for its plate, is a finding the inspector must answer at the tare step. Absolute rather than a
  percent, as Chinese unattended weighbridge systems set it per vehicle: what changes an empty truck's
  weight (fuel, a spare tyre, tarpaulins, mud, a swapped trailer) is a mass of its own, not a share of the
  truck's weight, and a percent would let a 40 t tractor-trailer drift four times as far as a 10 t lorry.
- the **stability delay** (``weighing.stable_delay_s``), whole seconds (0 to 10, 2 unless chosen) a stable
  reading must have lasted at the same weight before it can be captured (``ScaleConfig.stable_delay_s``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from inspector.clock import Clock, as_utc
from inspector.errors import ConflictError, InspectorError, PermissionDeniedError, UserError
from inspector.lots.locks import require_load_unlocked
from inspector.messages import Language, Term, formats, word
from inspector.reasons import require_reason
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_change, record_event, row_content
from inspector.states import LoadState, TareMethod, TareSubject, WeighingKind, WeightSource
from inspector.storage.models.core import Load, Scale, Setting
from inspector.storage.models.weighing import StoredTare, Weighing
from inspector.weighing.capture import (
    CaptureDecision,
    CapturedWeight,
    CaptureRefusedError,
    Refusal,
    ScaleConfig,
    check_capture,
    whole_units,
)
from inspector.weighing.frame import Frame, StabilityMethod
from inspector.weighing.profiles import PROFILES, get_profile
from inspector.weighing.reader import SerialSettings

WEIGHING_ROLES = (Role.INSPECTOR, Role.SUPERVISOR)
SCALE_ADMIN_ROLES = (Role.ADMIN, Role.SUPERVISOR)
# The mark on the record (audit reasons, which are stored as written); a person reads it as the words of
# ``words.weight_source.MANUAL`` in their language (``format_weight``).
MANUAL_WEIGHT_MARK = "MAN WT"
DEFAULT_TARE_VALIDITY_DAYS = 180
TARE_VALIDITY_DAYS = (1, 3660)
UNITS = ("kg", "lb", "t")
TARE_TOLERANCE_SETTING = "weighing.tare_tolerance"
DEFAULT_TARE_TOLERANCE = 200
STABLE_DELAY_SETTING = "weighing.stable_delay_s"
DEFAULT_STABLE_DELAY_S = 2
STABLE_DELAY_RANGE_S = (0, 10)


def format_weight(weight: int | None, unit: str, *, manual: bool = False, lang: Language = "en") -> str:
    """How a weight is shown and printed: ``12,340 kg``, or ``12,340 kg MAN WT`` (``手工称重`` in Chinese)
    when it was typed by hand."""
    if weight is None:
        return "-"
    text = formats.mass(weight, unit, lang)
    return f"{text} {word('weight_source', WeightSource.MANUAL, lang)}" if manual else text


def weighing_label(weighing: Weighing, lang: Language = "en") -> str:
    return format_weight(weighing.weight, weighing.unit, manual=weighing.source == WeightSource.MANUAL,
                         lang=lang)


@dataclass(frozen=True)
class WeighingResult:
    """The stored weighing, the load with its new figures, and warnings the inspector must see (each a code
    with parameters, worded with ``warning.words(lang)``)."""

    weighing: Weighing
    load: Load
    warnings: tuple[InspectorError, ...] = ()

    @property
    def label(self) -> str:
        return weighing_label(self.weighing)

    def label_in(self, lang: Language) -> str:
        return weighing_label(self.weighing, lang)


@dataclass(frozen=True)
class StoredTareLookup:
    """The tare in force for a subject; ``warning`` (to show, ``warning.words(lang)``) when it has expired,
    the same error ``apply_stored_tare`` raises when no inspector is present to see it."""

    tare: StoredTare
    expired: bool
    warning: InspectorError | None


# -- helpers ------------------------------------------------------------------------------------------


def _kind(kind: WeighingKind | str) -> WeighingKind:
    try:
        return WeighingKind(kind)
    except ValueError:
        raise UserError("weighing.kind_unknown", field="kind", value=str(kind)) from None


def _subject(kind: TareSubject | str) -> TareSubject:
    try:
        return TareSubject(kind)
    except ValueError:
        raise UserError("weighing.tare_subject_unknown", field="subject_kind", value=str(kind)) from None


def _load(session: Session, load_id: int) -> Load:
    """The load to weigh: a cancelled load keeps its weighings as they are (DOMAIN.md §10 item 6)."""
    load = session.get(Load, load_id)
    if load is None:
        raise UserError("weighing.load_missing", field="load_id", load_id=load_id)
    if load.state == LoadState.CANCELLED.value:
        raise ConflictError("load.cancelled", field="load", ticket=load.ticket_no)
    return load


def _latest_weighing(session: Session, load_id: int, kind: WeighingKind) -> Weighing | None:
    stmt = (select(Weighing).where(Weighing.load_id == load_id, Weighing.kind == kind.value)  # type: ignore[arg-type]
            .order_by(Weighing.id.desc()).limit(1))  # type: ignore[union-attr]
    return session.execute(stmt).scalars().first()


def _check_reason(reason: str | None, *, field: str, code: str = "weighing.manual_reason_short") -> str:
    return require_reason(reason, field=field, code=code)


def _check_confirmer(actor: Actor, confirmed_by: Actor | None) -> Actor:
    """Four eyes: a manual figure needs a second person, a different user holding the supervisor role."""
    if confirmed_by is None:
        raise UserError("weighing.confirmation_missing", field="confirmed_by")
    if confirmed_by.user_id == actor.user_id:
        raise PermissionDeniedError("weighing.confirmer_self", field="confirmed_by")
    if not confirmed_by.has(Role.SUPERVISOR):
        raise PermissionDeniedError("weighing.confirmer_not_supervisor", field="confirmed_by",
                                    name=confirmed_by.display_name, user=confirmed_by.user_id)
    return confirmed_by


def _verify_captured(session: Session, captured: CapturedWeight) -> None:
    """Judge the stored bytes, not the object handed in: the raw frame is decoded again with the registered
    scale's profile and must pass the capture rule for that scale's unit, division and capacity."""
    scale = session.execute(select(Scale).where(Scale.scale_id == captured.scale_id)).scalars().first()  # type: ignore[arg-type]
    if scale is None:
        raise UserError("weighing.scale_unknown", field="scale_id", scale=captured.scale_id)
    if captured.profile and captured.profile != scale.profile:
        raise UserError("weighing.protocol_mismatch", field="weight", protocol=captured.profile,
                        scale=scale.scale_id, configured=scale.profile)
    if captured.frame.raw != captured.raw:
        raise UserError("weighing.frame_altered", field="weight")
    reparsed = get_profile(scale.profile).parse(captured.raw, 0)
    if not isinstance(reparsed, Frame) or whole_units(reparsed) != captured.weight:
        raise UserError("weighing.frame_mismatch", field="weight")
    if reparsed.stable is None and captured.stability is StabilityMethod.SOFTWARE:
        # An indicator without a motion flag: stability was decided over time by the monitor (recorded so).
        reparsed = dataclasses.replace(reparsed, stable=True)
    if not reparsed.unit:
        reparsed = dataclasses.replace(reparsed, unit=scale.unit)  # a protocol that sends no unit
    config = ScaleConfig(unit=scale.unit, division=scale.division, capacity=scale.capacity)
    # Both the reading as captured and the bytes as stored must pass: neither may speak for the other.
    reasons: list[Refusal] = []
    for frame in (captured.frame, reparsed):
        decision = check_capture(frame, config=config, zero_seen=True)
        reasons += [r for r in decision.reasons if r is not Refusal.NO_LOAD and r not in reasons]
    if reasons:
        raise CaptureRefusedError(CaptureDecision(captured.frame, tuple(reasons)))
    if captured.weight <= 0:
        raise UserError("weighing.no_load", field="weight")
    if captured.weight % scale.division:
        raise _not_whole_divisions(captured.weight, scale.division, scale.unit)


def _not_whole_divisions(weight: int, division: int, unit: str) -> UserError:
    return UserError("weighing.not_whole_divisions", field="weight", weight=formats.mass(weight, unit),
                     division=formats.mass(division, unit))


def _apply(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    load: Load,
    weighing: Weighing,
    replace_reason: str | None,
    action: str,
    reason: str | None,
) -> WeighingResult:
    """Store ``weighing`` and put its figure on the load (net = gross - tare), all audited."""
    require_load_unlocked(session, load.id or 0, action="weigh")
    kind = WeighingKind(weighing.kind)
    current = load.gross if kind is WeighingKind.GROSS else load.tare
    previous = _latest_weighing(session, load.id or 0, kind)
    if current is not None or previous is not None:
        if not (replace_reason or "").strip():
            shown = (format_weight(current, load.weight_unit) if current is not None or previous is None
                     else format_weight(previous.weight, previous.unit))
            raise ConflictError("weighing.already_weighed", field=kind.value, ticket=load.ticket_no,
                                kind=Term("weighing_kind", kind.value), weight=shown)
        replace_reason = _check_reason(replace_reason, field="replace_reason",
                                       code="weighing.reweigh_reason_short")
        weighing.replaces_id = previous.id if previous is not None else None
    other_kind = WeighingKind.TARE if kind is WeighingKind.GROSS else WeighingKind.GROSS
    other = load.tare if kind is WeighingKind.GROSS else load.gross
    if other is not None and load.weight_unit != weighing.unit:
        raise UserError("weighing.unit_mismatch", field="unit", unit=weighing.unit,
                        other=Term("weighing_kind", other_kind.value), load_unit=load.weight_unit)
    gross = weighing.weight if kind is WeighingKind.GROSS else load.gross
    tare = weighing.weight if kind is WeighingKind.TARE else load.tare
    if gross is not None and tare is not None and tare > gross:
        raise UserError("weighing.tare_above_gross", field="tare", tare=formats.mass(tare, weighing.unit),
                        gross=formats.mass(gross, weighing.unit))
    reasons = [r for r in (reason, replace_reason) if r]
    record_change(session, weighing, actor=actor, action=action, clock=clock,
                  reason=" / ".join(reasons) or None)
    old = row_content(load)
    other_weighing = _latest_weighing(session, load.id or 0, other_kind)
    load.gross, load.tare = gross, tare
    load.net = gross - tare if gross is not None and tare is not None else None
    load.weight_unit = weighing.unit
    load.manual_weight = weighing.source == WeightSource.MANUAL or (
        other_weighing is not None and other_weighing.source == WeightSource.MANUAL
    )
    record_change(session, load, actor=actor, action=f"load.{kind.value}", clock=clock, old=old,
                  reason=replace_reason)
    return WeighingResult(weighing=weighing, load=load)


# -- capture from the indicator -------------------------------------------------------------------------


def capture_weight(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    load_id: int,
    kind: WeighingKind | str,
    captured: CapturedWeight,
    replace_reason: str | None = None,
) -> WeighingResult:
    """Store a weight the capture gate allowed (``LiveMonitor.capture()``) as the load's gross or tare."""
    require_role(actor, WEIGHING_ROLES, action="weigh a load")
    weighing_kind = _kind(kind)
    _verify_captured(session, captured)
    load = _load(session, load_id)
    stamp = clock.now()
    weighing = Weighing(
        load_id=load_id,
        kind=weighing_kind.value,
        weight=captured.weight,
        unit=captured.unit,
        scale_id=captured.scale_id,
        source=WeightSource.INDICATOR.value,
        raw_frame_hex=captured.raw_hex,
        stability_method=captured.stability.value,
        tare_method=TareMethod.WEIGHED.value if weighing_kind is WeighingKind.TARE else None,
        captured_at=stamp.utc,
        captured_offset=stamp.offset_minutes,
        captured_by=actor.user_id,
    )
    return _apply(session, actor=actor, clock=clock, load=load, weighing=weighing,
                  replace_reason=replace_reason, action=f"weighing.{weighing_kind.value}", reason=None)


def record_manual_weight(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    load_id: int,
    kind: WeighingKind | str,
    weight: int,
    unit: str,
    reason: str,
    confirmed_by: Actor | None,
    replace_reason: str | None = None,
) -> WeighingResult:
    """A weight typed by hand (indicator broken, ticket correction): reason and supervisor co-sign, MAN WT."""
    require_role(actor, WEIGHING_ROLES, action="record a manual weight")
    weighing_kind = _kind(kind)
    text = _check_reason(reason, field="reason")
    confirmer = _check_confirmer(actor, confirmed_by)
    if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
        raise UserError("weighing.weight_invalid", field="weight", value=str(weight))
    if unit not in UNITS:
        raise UserError("weighing.unit_unknown", field="unit", value=str(unit), units=UNITS)
    load = _load(session, load_id)
    # A figure typed by hand is still a reading of a weighbridge: in its unit and its divisions.
    scale = session.execute(select(Scale).order_by(Scale.id)).scalars().first()  # type: ignore[arg-type]
    if scale is not None:
        if unit != scale.unit:
            raise UserError("weighing.unit_not_scale", field="unit", scale=scale.scale_id,
                            scale_unit=scale.unit, unit=unit)
        if weight % scale.division:
            raise _not_whole_divisions(weight, scale.division, unit)
        if weight > scale.capacity:
            raise UserError("weighing.above_capacity", field="weight", weight=formats.mass(weight, unit),
                            capacity=formats.mass(scale.capacity, unit))
    stamp = clock.now()
    weighing = Weighing(
        load_id=load_id,
        kind=weighing_kind.value,
        weight=weight,
        unit=unit,
        scale_id=scale.scale_id if scale is not None else "",
        source=WeightSource.MANUAL.value,
        manual_reason=text,
        confirmed_by=confirmer.user_id,
        tare_method=TareMethod.MANUAL.value if weighing_kind is WeighingKind.TARE else None,
        captured_at=stamp.utc,
        captured_offset=stamp.offset_minutes,
        captured_by=actor.user_id,
    )
    return _apply(session, actor=actor, clock=clock, load=load, weighing=weighing,
                  replace_reason=replace_reason, action=f"weighing.manual_{weighing_kind.value}",
                  reason=f"{MANUAL_WEIGHT_MARK}: {text} (confirmed by {confirmer.user_id})")


# -- stored tares -------------------------------------------------------------------------------------


def set_stored_tare(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    subject_kind: TareSubject | str,
    subject_ref: str,
    weighing_id: int | None = None,
    weight: int | None = None,
    unit: str | None = None,
    reason: str | None = None,
    confirmed_by: Actor | None = None,
    valid_days: int = DEFAULT_TARE_VALIDITY_DAYS,
) -> StoredTare:
    """Keep a tare for a vehicle, trailer or container.

    From a weighed tare (``weighing_id``), or typed by hand (``weight``, ``unit``, ``reason`` and
    ``confirmed_by`` a supervisor). It expires after ``valid_days``.
    """
    require_role(actor, WEIGHING_ROLES, action="set a stored tare")
    subject = _subject(subject_kind)
    ref = subject_ref.strip().upper()
    if not ref:
        raise UserError("weighing.tare_subject_unnamed", field="subject_ref")
    shortest, longest = TARE_VALIDITY_DAYS
    if not shortest <= valid_days <= longest:
        raise UserError("weighing.tare_validity", field="valid_days", days=valid_days, minimum=shortest,
                        maximum=longest)
    stamp = clock.now()
    if weighing_id is not None:
        source = session.get(Weighing, weighing_id)
        if source is None or source.kind != WeighingKind.TARE.value:
            raise UserError("weighing.not_tare_weighing", field="weighing_id", weighing_id=weighing_id)
        if source.source != WeightSource.INDICATOR.value or source.tare_method != TareMethod.WEIGHED.value:
            raise UserError("weighing.tare_not_from_indicator", field="weighing_id")
        tare = StoredTare(subject_kind=subject.value, subject_ref=ref, weight=source.weight, unit=source.unit,
                          method=TareMethod.WEIGHED.value, source_weighing_id=source.id, set_at=stamp.utc,
                          set_offset=stamp.offset_minutes, expires_at=stamp.utc + timedelta(days=valid_days),
                          set_by=actor.user_id)
        why = None
    else:
        if weight is None or unit is None:
            raise UserError("weighing.tare_source_missing", field="weight")
        why = _check_reason(reason, field="reason")
        confirmer = _check_confirmer(actor, confirmed_by)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0 or unit not in UNITS:
            raise UserError("weighing.tare_invalid", field="weight", value=str(weight), unit=str(unit),
                            units=UNITS)
        tare = StoredTare(subject_kind=subject.value, subject_ref=ref, weight=weight, unit=unit,
                          method=TareMethod.MANUAL.value, manual_reason=why, confirmed_by=confirmer.user_id,
                          set_at=stamp.utc, set_offset=stamp.offset_minutes,
                          expires_at=stamp.utc + timedelta(days=valid_days), set_by=actor.user_id)
        why = f"{MANUAL_WEIGHT_MARK}: {why} (confirmed by {confirmer.user_id})"
    record_change(session, tare, actor=actor, action="stored_tare.set", clock=clock, reason=why)
    return tare


def lookup_stored_tare(session: Session, *, clock: Clock, subject_kind: TareSubject | str,
                       subject_ref: str) -> StoredTareLookup | None:
    """The tare in force for a subject (the newest), whether it has expired, and the warning to show."""
    subject = _subject(subject_kind)
    ref = subject_ref.strip().upper()
    stmt = (select(StoredTare)
            .where(StoredTare.subject_kind == subject.value, StoredTare.subject_ref == ref)  # type: ignore[arg-type]
            .order_by(StoredTare.id.desc()).limit(1))  # type: ignore[union-attr]
    tare = session.execute(stmt).scalars().first()
    if tare is None:
        return None
    now = clock.now().utc
    expires: datetime = as_utc(tare.expires_at)
    expired = now >= expires
    warning = None
    if expired:
        warning = ConflictError(
            "weighing.stored_tare_expired", field="subject_ref", subject=Term("tare_subject", subject.value),
            ref=ref, weight=format_weight(tare.weight, tare.unit),
            expired=formats.Day(expires, tare.set_offset),
        )
    return StoredTareLookup(tare=tare, expired=expired, warning=warning)


def _expired_tare_record(subject: TareSubject, tare: StoredTare) -> str:
    """The audit reason of using an expired stored tare: English, as it has always been stored."""
    expires = as_utc(tare.expires_at)
    return (f"The stored tare of {subject.value} {tare.subject_ref} ({tare.weight} {tare.unit}) "
            f"expired on {expires.date().isoformat()}: weigh the empty {subject.value} again.")


def stored_tare_for_plate(session: Session, *, plate: str) -> StoredTare | None:
    """The stored tare in force for the vehicle with this plate (``weight``, ``unit``, ``expires_at``).

    Read-only; the intake checks use it to compare a weighed tare with the vehicle's history.
    """
    stmt = (select(StoredTare)
            .where(StoredTare.subject_kind == TareSubject.VEHICLE.value,  # type: ignore[arg-type]
                   StoredTare.subject_ref == plate.strip().upper())  # type: ignore[arg-type]
            .order_by(StoredTare.id.desc()).limit(1))  # type: ignore[union-attr]
    return session.execute(stmt).scalars().first()


def last_weighed_tare(session: Session, *, plate: str, before_load_id: int | None = None) -> Weighing | None:
    """The newest tare weighed for this plate on another load (from the indicator, or typed by hand and
    confirmed; a stored tare applied to a load is a copy, not a weighing of the vehicle), or None.

    ``before_load_id`` leaves out that load's own tares (the load being weighed out).
    """
    stmt = (select(Weighing).join(Load, Load.id == Weighing.load_id)  # type: ignore[arg-type]
            .where(Load.plate == plate.strip().upper(),  # type: ignore[arg-type]
                   Weighing.kind == WeighingKind.TARE.value,  # type: ignore[arg-type]
                   Weighing.tare_method.in_((TareMethod.WEIGHED.value, TareMethod.MANUAL.value)))  # type: ignore[union-attr]
            .order_by(Weighing.id.desc()).limit(1))  # type: ignore[union-attr]
    if before_load_id is not None:
        stmt = stmt.where(Weighing.load_id != before_load_id)  # type: ignore[arg-type]
    return session.execute(stmt).scalars().first()


def apply_stored_tare(
    session: Session,
    *,
    actor: Actor,
    clock: Clock,
    load_id: int,
    subject_kind: TareSubject | str,
    subject_ref: str,
    attended: bool = True,
    replace_reason: str | None = None,
) -> WeighingResult:
    """Use a stored tare as the load's tare. An expired tare warns (attended) or is refused (unattended)."""
    require_role(actor, WEIGHING_ROLES, action="weigh a load")
    found = lookup_stored_tare(session, clock=clock, subject_kind=subject_kind, subject_ref=subject_ref)
    subject = _subject(subject_kind)
    if found is None:
        raise UserError("weighing.stored_tare_missing", field="subject_ref",
                        subject=Term("tare_subject", subject.value), ref=subject_ref.strip().upper())
    if found.warning is not None and not attended:
        raise found.warning
    tare = found.tare
    load = _load(session, load_id)
    stamp = clock.now()
    source = session.get(Weighing, tare.source_weighing_id) if tare.source_weighing_id else None
    manual = tare.method == TareMethod.MANUAL.value
    weighing = Weighing(
        load_id=load_id,
        kind=WeighingKind.TARE.value,
        weight=tare.weight,
        unit=tare.unit,
        scale_id=source.scale_id if source is not None else "",
        source=WeightSource.MANUAL.value if manual else WeightSource.INDICATOR.value,
        manual_reason=tare.manual_reason,
        confirmed_by=tare.confirmed_by,
        raw_frame_hex=source.raw_frame_hex if source is not None else None,
        stability_method=source.stability_method if source is not None else None,
        tare_method=TareMethod.STORED.value,
        stored_tare_id=tare.id,
        captured_at=stamp.utc,
        captured_offset=stamp.offset_minutes,
        captured_by=actor.user_id,
    )
    result = _apply(session, actor=actor, clock=clock, load=load, weighing=weighing,
                    replace_reason=replace_reason, action="weighing.stored_tare",
                    reason=_expired_tare_record(subject, tare) if found.expired else None)
    warnings = (found.warning,) if found.warning is not None else ()
    return WeighingResult(weighing=result.weighing, load=result.load, warnings=warnings)


def list_weighings(session: Session, *, load_id: int) -> list[Weighing]:
    stmt = select(Weighing).where(Weighing.load_id == load_id).order_by(Weighing.id)  # type: ignore[arg-type]
    return list(session.execute(stmt).scalars())


# -- scale settings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleSettings:
    """A scale's link and metrology settings as the settings screen edits them."""

    scale_id: str
    name: str = ""
    profile: str = "generic-st-gs"
    port: str = ""
    baud: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1
    division: int = 10
    capacity: int = 80000
    unit: str = "kg"
    # Yard settings shown with the scale (see the module docstring).
    tare_tolerance: int = DEFAULT_TARE_TOLERANCE
    stable_delay_s: int = DEFAULT_STABLE_DELAY_S

    def validate(self) -> ScaleSettings:
        if not self.scale_id.strip():
            raise UserError("scale.id_missing", field="scale_id")
        get_profile(self.profile)
        if self.port:
            self.serial().validate()
        if self.division <= 0:
            raise UserError("scale.division_invalid", field="division")
        if self.capacity < 20 * self.division:
            raise UserError("scale.capacity_too_small", field="capacity",
                            minimum=formats.mass(20 * self.division, self.unit))
        if self.unit not in UNITS:
            raise UserError("weighing.unit_unknown", field="unit", value=self.unit, units=UNITS)
        check_tare_tolerance(self.tare_tolerance, unit=self.unit, capacity=self.capacity)
        check_stable_delay(self.stable_delay_s)
        return self

    def serial(self) -> SerialSettings:
        return SerialSettings(port=self.port, baudrate=self.baud, bytesize=self.bytesize, parity=self.parity,
                              stopbits=self.stopbits)

    def config(self) -> ScaleConfig:
        return ScaleConfig(unit=self.unit, division=self.division, capacity=self.capacity,
                           scale_id=self.scale_id, profile=self.profile, stable_delay_s=self.stable_delay_s)

    @classmethod
    def from_row(cls, scale: Scale, *, tare_tolerance: int = DEFAULT_TARE_TOLERANCE,
                 stable_delay_s: int = DEFAULT_STABLE_DELAY_S) -> ScaleSettings:
        return cls(scale_id=scale.scale_id, name=scale.name, profile=scale.profile, port=scale.port,
                   baud=scale.baud, bytesize=scale.bytesize, parity=scale.parity, stopbits=scale.stopbits,
                   division=scale.division, capacity=scale.capacity, unit=scale.unit,
                   tare_tolerance=tare_tolerance, stable_delay_s=stable_delay_s)


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_tare_tolerance(value: object, *, unit: str, capacity: int) -> int:
    """A tare tolerance: a whole number of scale units from 0 (any difference is asked about) to Max."""
    tolerance = _whole(value)
    if tolerance is None or not 0 <= tolerance <= capacity:
        raise UserError("scale.tare_tolerance_invalid", field="tare_tolerance", value=str(value),
                        maximum=formats.mass(capacity, unit), unit=unit)
    return tolerance


def check_stable_delay(value: object) -> int:
    """A stability delay: whole seconds within ``STABLE_DELAY_RANGE_S``."""
    delay = _whole(value)
    shortest, longest = STABLE_DELAY_RANGE_S
    if delay is None or not shortest <= delay <= longest:
        raise UserError("scale.stable_delay_invalid", field="stable_delay_s", value=str(value),
                        minimum=shortest, maximum=longest)
    return delay


def tare_tolerance(session: Session) -> int:
    """The yard's tare tolerance in scale units (``DEFAULT_TARE_TOLERANCE`` until one is chosen)."""
    row = session.get(Setting, TARE_TOLERANCE_SETTING)
    value = _whole(row.value) if row is not None else None
    return value if value is not None and value >= 0 else DEFAULT_TARE_TOLERANCE


def stable_delay_s(session: Session) -> int:
    """The yard's stability delay in seconds (``DEFAULT_STABLE_DELAY_S`` until one is chosen)."""
    row = session.get(Setting, STABLE_DELAY_SETTING)
    value = _whole(row.value) if row is not None else None
    shortest, longest = STABLE_DELAY_RANGE_S
    return value if value is not None and shortest <= value <= longest else DEFAULT_STABLE_DELAY_S


def _save_yard_setting(session: Session, *, actor: Actor, clock: Clock, key: str, old: int, new: int) -> None:
    if old == new:
        return
    row = session.get(Setting, key) or Setting(key=key)
    row.value = new
    session.add(row)
    session.flush()
    record_event(session, actor=actor, action="setting.change", entity="setting", entity_id=key, clock=clock,
                 old={"value": old}, new={"value": new})


def save_scale_settings(session: Session, *, actor: Actor, clock: Clock, settings: ScaleSettings) -> Scale:
    """Create or change a scale's settings (audited: port, profile, e and Max are legally relevant), and the
    yard's tare tolerance and stability delay shown with them (each change an audited setting change)."""
    require_role(actor, SCALE_ADMIN_ROLES, action="change the weighbridge settings")
    settings.validate()
    existing = session.execute(select(Scale).where(Scale.scale_id == settings.scale_id)).scalars().first()  # type: ignore[arg-type]
    scale = existing or Scale(scale_id=settings.scale_id)
    old = row_content(scale) if existing is not None else None
    for name in ("name", "profile", "port", "baud", "bytesize", "parity", "stopbits", "division", "capacity",
                 "unit"):
        setattr(scale, name, getattr(settings, name))
    record_change(session, scale, actor=actor, action="scale.update" if existing else "scale.create",
                  clock=clock, old=old)
    _save_yard_setting(session, actor=actor, clock=clock, key=TARE_TOLERANCE_SETTING,
                       old=tare_tolerance(session), new=settings.tare_tolerance)
    _save_yard_setting(session, actor=actor, clock=clock, key=STABLE_DELAY_SETTING,
                       old=stable_delay_s(session), new=settings.stable_delay_s)
    return scale


def _with_yard_settings(session: Session, scale: Scale | None) -> ScaleSettings | None:
    if scale is None:
        return None
    return ScaleSettings.from_row(scale, tare_tolerance=tare_tolerance(session),
                                  stable_delay_s=stable_delay_s(session))


def get_scale_settings(session: Session, *, scale_id: str) -> ScaleSettings | None:
    scale = session.execute(select(Scale).where(Scale.scale_id == scale_id)).scalars().first()  # type: ignore[arg-type]
    return _with_yard_settings(session, scale)


def first_scale_settings(session: Session) -> ScaleSettings | None:
    """The yard's first weighbridge (the one a single-bridge station reads and its settings screen shows)."""
    scale = session.execute(select(Scale).order_by(Scale.id)).scalars().first()  # type: ignore[arg-type]
    return _with_yard_settings(session, scale)


__all__ = [
    "DEFAULT_STABLE_DELAY_S",
    "DEFAULT_TARE_TOLERANCE",
    "MANUAL_WEIGHT_MARK",
    "PROFILES",
    "ScaleSettings",
    "StoredTareLookup",
    "WeighingResult",
    "apply_stored_tare",
    "capture_weight",
    "first_scale_settings",
    "format_weight",
    "get_scale_settings",
    "last_weighed_tare",
    "list_weighings",
    "lookup_stored_tare",
    "record_manual_weight",
    "save_scale_settings",
    "set_stored_tare",
    "stable_delay_s",
    "stored_tare_for_plate",
    "tare_tolerance",
    "weighing_label",
]
