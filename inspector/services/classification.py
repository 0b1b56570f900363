"""Classifying a load under the rule set in force and keeping every result.

- ``ruleset_in_force(session)``: the rule set the yard has chosen (Setting ``standard.in_force`` holding
  ``{"id": ..., "version": ...}``), else the default shipped one.
- ``set_ruleset_in_force(...)``: a supervisor or administrator picks another installed rule set.
- ``ruleset_judged_under(id, version)``: the installed rule set a lot or a record was judged under (the one
  place that looks it up; a lot keeps the id and version it was made under).
- ``classify_load(...)``: judges a load's stored attributes at a stage, adds a classification record (never
  overwriting an earlier one) and copies the outcome, grade, status and category onto the load for the
  register. The yard's hazardous-waste permit codes (``Yard.hw_permit_codes``) feed rule G5.
- ``check_ruleset_published(...)``: the first use of a rule set version pins its content hash in this
  yard's database; a later file with the same id and version but other content is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from inspector.canonical import jsonable
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import ConflictError, EnvironmentProblemError, UserError
from inspector.lots.locks import require_load_unlocked
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_change, record_event, row_content
from inspector.standard import (
    Classification,
    RuleSet,
    classify,
    contained_reo,
    default_ruleset,
    dry_mass,
    find_ruleset,
    installed_rulesets,
    parse_attributes,
)
from inspector.standard.engine import show
from inspector.standard.inputs import LoadInput, check_category, check_stage
from inspector.standard.loader import not_installed
from inspector.standard.ruleset import TREO_DRY_OXIDE
from inspector.states import LoadState
from inspector.storage.models.classification import ClassificationRecord, PublishedRuleSet
from inspector.storage.models.core import Load, Setting, Yard

IN_FORCE_KEY = "standard.in_force"
# Clerks enter lab results, which re-classify the load at the lab stage.
CLASSIFY_ROLES = (Role.INSPECTOR, Role.SUPERVISOR, Role.CLERK)
CHOOSE_RULESET_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def ruleset_in_force(session: Session, *, data_dir: DataDir | None = None) -> RuleSet:
    """The rule set the yard has put in force, or the default shipped one when none was chosen."""
    setting = session.get(Setting, IN_FORCE_KEY)
    if setting is None or setting.value is None:
        return default_ruleset(data_dir)
    value = setting.value
    chosen_id, chosen_version = value.get("id"), value.get("version")
    for rs in installed_rulesets(data_dir):
        if rs.id == chosen_id and rs.version == chosen_version:
            return rs
    raise EnvironmentProblemError("ruleset.in_force_missing", id=str(chosen_id), version=str(chosen_version))


# (data directory, rule set id, version) -> the rule set. Reading and validating the rule set files takes
# about 0.1 s, and a list of lots asks once per lot; a published id and version never changes content (the
# loader and check_ruleset_published refuse that), so what was read once stays right for the process.
_JUDGED_UNDER: dict[tuple[str | None, str, str], RuleSet] = {}


def ruleset_judged_under(ruleset_id: str, version: str, *, data_dir: DataDir | None = None) -> RuleSet:
    """The installed rule set with this id and version (a lot's, or a classification record's): the rule
    set it is judged under for as long as it lives, whatever is in force now. Raises ``UserError`` when
    it is not installed."""
    key = (None if data_dir is None else str(data_dir.root), ruleset_id, version)
    found = _JUDGED_UNDER.get(key)
    if found is None:
        found = _JUDGED_UNDER[key] = find_ruleset(f"{ruleset_id}@{version}", data_dir)
    return found


def set_ruleset_in_force(session: Session, *, actor: Actor, clock: Clock, ruleset_id: str, version: str,
                         data_dir: DataDir | None = None, reason: str | None = None) -> RuleSet:
    """Put an installed rule set in force for every later classification (audited)."""
    require_role(actor, CHOOSE_RULESET_ROLES, action="choose the rule set in force")
    chosen = next((r for r in installed_rulesets(data_dir) if r.id == ruleset_id and r.version == version),
                  None)
    if chosen is None:
        raise not_installed(f"{ruleset_id}@{version}", data_dir)
    if chosen.status == "superseded":
        raise UserError("ruleset.superseded", field="ruleset", ruleset=chosen.label)
    check_ruleset_published(session, chosen, actor=actor, clock=clock)
    setting = session.get(Setting, IN_FORCE_KEY)
    old = dict(setting.value) if setting is not None and setting.value is not None else None
    new = {"id": chosen.id, "version": chosen.version}
    if setting is None:
        setting = Setting(key=IN_FORCE_KEY, value=new)
    else:
        setting.value = new
    session.add(setting)
    session.flush()
    record_event(session, actor=actor, action="standard.set_in_force", entity="setting",
                 entity_id=IN_FORCE_KEY, clock=clock, old=old, new={**new, "sha256": chosen.sha256},
                 reason=reason)
    return chosen


def check_ruleset_published(session: Session, ruleset: RuleSet, *, actor: Actor, clock: Clock) -> None:
    """Pin the content hash of a rule set version at its first use; refuse changed content later."""
    row = session.exec(
        select(PublishedRuleSet).where(
            PublishedRuleSet.ruleset_id == ruleset.id, PublishedRuleSet.version == ruleset.version
        )
    ).first()
    if row is not None:
        if row.sha256 != ruleset.sha256:
            raise ConflictError("ruleset.changed_since_used", field="ruleset", ruleset=ruleset.label,
                                source=ruleset.source, sha256=ruleset.sha256, used=row.sha256)
        return
    stamp = clock.now()
    row = PublishedRuleSet(ruleset_id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256,
                           status=ruleset.status, first_seen_at=stamp.utc,
                           first_seen_offset=stamp.offset_minutes)
    session.add(row)
    session.flush()
    record_event(session, actor=actor, action="standard.first_use", entity="ruleset_published",
                 entity_id=f"{ruleset.id}@{ruleset.version}", clock=clock,
                 new={"id": ruleset.id, "version": ruleset.version, "sha256": ruleset.sha256,
                      "status": ruleset.status})


def yard_permit_codes(session: Session) -> tuple[str, ...]:
    """The hazardous-waste codes the yard holds a permit for (none when the yard is not set up)."""
    yard = session.exec(select(Yard).order_by(Yard.id)).first()  # type: ignore[arg-type]
    return tuple(yard.hw_permit_codes) if yard is not None else ()


def classify_load(session: Session, *, actor: Actor, clock: Clock, load_id: int, stage: str,
                  category: str | None = None, ruleset: RuleSet | None = None,
                  data_dir: DataDir | None = None) -> ClassificationRecord:
    """Judge the load's stored attributes at ``stage`` and add a classification record.

    The category is ``category`` if given, else the load's assigned, else its declared category. The rule
    set is ``ruleset`` if given, else the one in force.
    """
    require_role(actor, CLASSIFY_ROLES, action="classify a load")
    load = session.get(Load, load_id)
    if load is None:
        raise UserError("intake.load_not_found", field="load", load_id=load_id)
    if load.state == LoadState.CANCELLED.value:
        raise ConflictError("load.cancelled", field="load", ticket=load.ticket_no)
    require_load_unlocked(session, load_id, action="classify")
    rs = ruleset if ruleset is not None else ruleset_in_force(session, data_dir=data_dir)
    check_ruleset_published(session, rs, actor=actor, clock=clock)
    code = check_category(rs, category or load.assigned_category or load.declared_category or None)
    stage = check_stage(rs, stage)
    raw: dict[str, Any] = dict(load.attributes or {})
    if load.generating_enterprise and raw.get("generating_enterprise") is None:
        raw["generating_enterprise"] = load.generating_enterprise
    attributes = parse_attributes(rs, raw)
    permits = frozenset(yard_permit_codes(session))
    result = classify(rs, LoadInput(code, stage, attributes, permits))
    derived = {k: show(v) for k, v in result.derived.items()}
    derived.update(mass_balance(load.net, attributes, result))

    previous = session.exec(
        select(ClassificationRecord.seq).where(ClassificationRecord.load_id == load_id)
        .order_by(ClassificationRecord.seq.desc())  # type: ignore[attr-defined]
    ).first()
    stamp = clock.now()
    record = ClassificationRecord(
        load_id=load_id,
        seq=(previous or 0) + 1,
        stage=stage,
        ruleset_id=rs.id,
        ruleset_version=rs.version,
        ruleset_sha256=rs.sha256,
        ruleset_status=rs.status,
        category=code,
        outcome=result.outcome.value,
        grade=result.grade,
        status=result.status.value,
        findings=[f.to_json() for f in result.findings],
        missing=list(result.missing),
        derived=derived,
        attributes=jsonable(attributes),
        permit_codes=sorted(permits),
        classified_by=actor.user_id,
        classified_at=stamp.utc,
        classified_offset=stamp.offset_minutes,
    )
    record_change(session, record, actor=actor, action="classification.create", clock=clock)

    old = row_content(load)
    load.outcome = result.outcome.value
    load.grade = result.grade
    load.classification_status = result.status.value
    load.assigned_category = code
    record_change(session, load, actor=actor, action="load.classify", clock=clock, old=old)
    return record


def mass_balance(net: int | None, attributes: dict[str, Any], result: Classification) -> dict[str, str]:
    """Dry mass and contained REO (in the net weight's unit) when the net weight and moisture are known."""
    moisture = attributes.get("moisture_pct")
    if net is None or not isinstance(moisture, Decimal):
        return {}
    oil = attributes.get("oil_pct")
    dry = dry_mass(net, moisture, oil if isinstance(oil, Decimal) else None)
    out = {"dry_mass": show(dry)}
    treo = result.derived.get(TREO_DRY_OXIDE)
    if treo is not None:
        out["contained_reo"] = show(contained_reo(dry, treo))
    return out


def classifications_of(session: Session, *, load_id: int) -> Sequence[ClassificationRecord]:
    """Every classification of a load, oldest first."""
    return session.exec(
        select(ClassificationRecord).where(ClassificationRecord.load_id == load_id)
        .order_by(ClassificationRecord.seq)  # type: ignore[arg-type]
    ).all()


def latest_classification(session: Session, *, load_id: int) -> ClassificationRecord | None:
    records = classifications_of(session, load_id=load_id)
    return records[-1] if records else None
