"""Storing classifications: a record per run, never overwritten, the load's register columns updated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, select

from inspector.clock import FixedClock
from inspector.errors import ConflictError, EnvironmentProblemError, PermissionDeniedError, UserError
from inspector.security.actor import SYSTEM, Actor, Role
from inspector.services import classification as svc
from inspector.standard import parse_ruleset
from inspector.storage.db import Store
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.classification import ClassificationRecord, PublishedRuleSet
from inspector.storage.models.core import Load, Setting, Supplier, Yard
from tests.core.standard.helpers import SHIPPED, raw_attributes

INSPECTOR = Actor("wang", "Wang Wei", frozenset({Role.INSPECTOR}))
SUPERVISOR = Actor("li", "Li Na", frozenset({Role.SUPERVISOR}))
ADMIN = Actor("zhao", "Zhao Min", frozenset({Role.ADMIN}))


def _setup(
    session: Session,
    clock: FixedClock,
    *,
    permits: list[str],
    attributes: dict[str, Any],
    category: str = "NDFEB-SL",
    net: int | None = 12340,
) -> int:
    now = clock.now().utc
    session.add(Yard(legal_name="Baotou Yard", hw_permit_codes=permits, created_at=now))
    supplier = Supplier(name="Ningbo Magnet Works", uscc="91330200MA2B8N4R7D", created_at=now)
    session.add(supplier)
    session.flush()
    assert supplier.id is not None
    load = Load(
        ticket_no="2026-000001",
        ticket_year=2026,
        ticket_seq=1,
        plate="浙B12345",
        supplier_id=supplier.id,
        declared_category=category,
        arrived_at=now,
        attributes=attributes,
        net=net,
        generating_enterprise="Ningbo Magnet Works",
    )
    session.add(load)
    session.flush()
    assert load.id is not None
    return load.id


def test_classifying_a_load_stores_a_record_and_updates_the_register(store: Store, clock: FixedClock) -> None:
    attrs = raw_attributes(
        "NDFEB-SL",
        "lab",
        generating_enterprise=None,
        treo_pct="16.25",
        treo_moisture_basis="as_received",
        moisture_pct="20.0",
        oil_pct="15.0",
    )
    with store.session() as s:
        load_id = _setup(s, clock, permits=["HW49"], attributes=attrs)
    with store.session() as s:
        record = svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="lab")
    assert (record.seq, record.outcome, record.grade, record.status) == (1, "ACCEPT", "A", "final")
    assert (record.ruleset_id, record.ruleset_version, record.ruleset_status) == (
        "CN-RE2R",
        "0.1.0",
        "provisional",
    )
    assert record.derived == {
        "dose_net_usv_h": "0.05",
        "treo_pct_dry_oxide": "25",
        "dry_mass": "8021.00",
        "contained_reo": "2005.25",
    }
    assert record.attributes["generating_enterprise"] == "Ningbo Magnet Works"
    assert record.permit_codes == ["HW49"]
    assert record.classified_by == "wang" and record.classified_offset == 480
    assert record.classified_at == clock.now().utc
    with store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        assert (load.outcome, load.grade, load.classification_status, load.assigned_category) == (
            "ACCEPT",
            "A",
            "final",
            "NDFEB-SL",
        )
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()]  # type: ignore[arg-type]
        assert actions == ["standard.first_use", "classification.create", "load.classify"]
        stored = s.exec(select(ClassificationRecord)).one()
        assert stored.findings[0]["rule"] == "G1" and stored.row_hash is not None


def test_reclassification_adds_a_record_and_never_overwrites(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        load_id = _setup(s, clock, permits=[], attributes=raw_attributes("NDFEB-SL", "gate"))
    with store.session() as s:
        first = svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="gate")
    assert (first.outcome, first.grade, first.status) == ("ACCEPT", None, "provisional")
    with store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        load.attributes = {**load.attributes, "hazardous_waste_code": "HW49"}
        s.add(load)
    clock.advance(hours=3)
    with store.session() as s:
        second = svc.classify_load(s, actor=SUPERVISOR, clock=clock, load_id=load_id, stage="lab")
    assert (second.seq, second.outcome, second.status) == (2, "REJECT", "provisional")
    assert "treo_pct" in second.missing
    with store.session() as s:
        history = svc.classifications_of(s, load_id=load_id)
        assert [(r.seq, r.outcome, r.stage) for r in history] == [(1, "ACCEPT", "gate"), (2, "REJECT", "lab")]
        latest = svc.latest_classification(s, load_id=load_id)
        assert latest is not None and latest.seq == 2
        assert s.get(Load, load_id).outcome == "REJECT"  # type: ignore[union-attr]
        assert svc.latest_classification(s, load_id=load_id + 99) is None


def test_the_database_refuses_to_change_or_delete_a_record(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        load_id = _setup(s, clock, permits=[], attributes=raw_attributes("NDFEB-SL", "gate"))
        svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="gate")
    for statement in ("UPDATE classification SET outcome='REJECT'", "DELETE FROM classification"):
        with pytest.raises(DatabaseError, match="append-only"), store.session() as s:
            s.execute(text(statement))


def test_classify_checks_role_load_and_category(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        load_id = _setup(s, clock, permits=[], attributes={}, category="")
    with pytest.raises(PermissionDeniedError), store.session() as s:
        svc.classify_load(s, actor=ADMIN, clock=clock, load_id=load_id, stage="gate")
    with pytest.raises(UserError) as err, store.session() as s:
        svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=999, stage="gate")
    assert err.value.field == "load"
    with pytest.raises(UserError) as err, store.session() as s:
        svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="gate")
    assert err.value.field == "category"
    with store.session() as s:
        r = svc.classify_load(
            s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="intake", category="OTHER"
        )
    assert (r.category, r.outcome) == ("OTHER", "HOLD")


def test_bad_stored_attributes_are_refused_naming_the_field(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        load_id = _setup(s, clock, permits=[], attributes={"treo_pct": "-3"})
    with pytest.raises(UserError) as err, store.session() as s:
        svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="lab")
    assert err.value.field == "attributes.treo_pct"
    assert err.value.code == "standard.percent_negative"
    assert err.value.words("zh_CN") == "稀土总量（TREO） -3 %：百分比不能为负数，最小允许值为 0 %。"


def test_the_rule_set_in_force_is_a_yard_setting(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    data_dir = store.data_dir
    with store.session() as s:
        assert svc.ruleset_in_force(s).label == "CN-RE2R 0.1.0"
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["version"] = "0.2.0"
    (data_dir.root / "standards").mkdir()
    (data_dir.root / "standards" / "v2.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(PermissionDeniedError), store.session() as s:
        svc.set_ruleset_in_force(
            s, actor=INSPECTOR, clock=clock, ruleset_id="CN-RE2R", version="0.2.0", data_dir=data_dir
        )
    with pytest.raises(UserError) as missing, store.session() as s:
        svc.set_ruleset_in_force(s, actor=SUPERVISOR, clock=clock, ruleset_id="CN-RE2R", version="0.2.0")
    assert (missing.value.code, missing.value.field) == ("ruleset.not_installed", "ruleset")
    assert missing.value.params["installed"] == ["CN-RE2R@0.1.0"]
    assert missing.value.words("zh_CN") == "未安装规则集 CN-RE2R@0.2.0。已安装：CN-RE2R@0.1.0。"
    with store.session() as s:
        chosen = svc.set_ruleset_in_force(
            s,
            actor=SUPERVISOR,
            clock=clock,
            ruleset_id="CN-RE2R",
            version="0.2.0",
            data_dir=data_dir,
            reason="new table",
        )
        assert chosen.version == "0.2.0"
    with store.session() as s:
        assert s.get(Setting, svc.IN_FORCE_KEY).value == {"id": "CN-RE2R", "version": "0.2.0"}  # type: ignore[union-attr]
        assert svc.ruleset_in_force(s, data_dir=data_dir).version == "0.2.0"
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "standard.set_in_force")).one()
        assert event.new["version"] == "0.2.0" and event.reason == "new table"
        # without the yard's folder the chosen version is not installed: said in words
        with pytest.raises(EnvironmentProblemError, match="not installed") as gone:
            svc.ruleset_in_force(s)
        assert gone.value.code == "ruleset.in_force_missing"
        assert gone.value.words("zh_CN").startswith("现行规则集 CN-RE2R 0.2.0 未安装。")
    with store.session() as s:
        svc.set_ruleset_in_force(s, actor=SYSTEM, clock=clock, ruleset_id="CN-RE2R", version="0.1.0")
        assert s.get(Setting, svc.IN_FORCE_KEY).value == {"id": "CN-RE2R", "version": "0.1.0"}  # type: ignore[union-attr]


def test_a_superseded_rule_set_cannot_be_put_in_force(store: Store, clock: FixedClock) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc.update(version="0.0.9", status="superseded")
    (store.data_dir.root / "standards").mkdir()
    (store.data_dir.root / "standards" / "old.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(UserError, match="superseded") as err, store.session() as s:
        svc.set_ruleset_in_force(
            s, actor=SUPERVISOR, clock=clock, ruleset_id="CN-RE2R", version="0.0.9", data_dir=store.data_dir
        )
    assert err.value.code == "ruleset.superseded"
    assert err.value.words("zh_CN") == "规则集 CN-RE2R 0.0.9 已被取代，不能设为现行。"


def test_a_version_used_by_the_yard_cannot_change_its_content(store: Store, clock: FixedClock) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    doc["version"] = "0.3.0"
    original = parse_ruleset(yaml.safe_dump(doc, allow_unicode=True), source="v3.yaml")
    doc["rules"][1]["tests"][0]["limits"][0]["value"] = "0.30"
    changed = parse_ruleset(yaml.safe_dump(doc, allow_unicode=True), source="v3-edited.yaml")
    with store.session() as s:
        load_id = _setup(s, clock, permits=[], attributes=raw_attributes("NDFEB-SL", "gate"))
        svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="gate", ruleset=original)
        svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="gate", ruleset=original)
    with pytest.raises(ConflictError, match="never changes") as err, store.session() as s:
        svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="gate", ruleset=changed)
    assert "v3-edited.yaml" in str(err.value)
    assert err.value.code == "ruleset.changed_since_used" and err.value.params["used"] == original.sha256
    assert "已发布的版本不得更改" in err.value.words("zh_CN")
    with store.session() as s:
        pins = s.exec(select(PublishedRuleSet)).all()
        assert [(p.ruleset_id, p.version, p.sha256) for p in pins] == [("CN-RE2R", "0.3.0", original.sha256)]
        assert len(svc.classifications_of(s, load_id=load_id)) == 2


def test_permit_codes_come_from_the_yard(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        assert svc.yard_permit_codes(s) == ()
        _setup(s, clock, permits=["HW29", "HW49"], attributes={})
        assert svc.yard_permit_codes(s) == ("HW29", "HW49")


def test_mass_balance_needs_net_and_moisture(store: Store, clock: FixedClock) -> None:
    with store.session() as s:
        load_id = _setup(
            s,
            clock,
            permits=[],
            attributes=raw_attributes("NDFEB-PS", "lab", moisture_pct=None, oil_pct=None),
            category="NDFEB-PS",
        )
        r = svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="lab")
    assert "dry_mass" not in r.derived and r.outcome == "ACCEPT"
    with store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        load.attributes = raw_attributes("NDFEB-PS", "lab", moisture_pct="10.0", oil_pct=None, treo_pct=None)
        s.add(load)
    with store.session() as s:
        r = svc.classify_load(s, actor=INSPECTOR, clock=clock, load_id=load_id, stage="lab")
    assert r.derived["dry_mass"] == "11106.0" and "contained_reo" not in r.derived
