"""The lots read models: the lots newest first by key with their balance, the loads of a lot and those that
may join one, the approval queue by key with every failed check, held loads, one lot's detail, a packet
opened on a laptop, and the one lookup of a lot's rule set."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import col, update

from inspector.errors import UserError
from inspector.queries import lots as queries
from inspector.security import keys
from inspector.services import classification as classification_services
from inspector.services import lots as svc
from inspector.storage.models.lots import Lot
from tests.core.lots import conftest as lots_conftest
from tests.core.lots.conftest import PASSPHRASES, PASSWORDS, Yard, add_load, add_loads

# The secured yard with supervisors' keys that the lots core tests build (copied per test).
lots_template = lots_conftest.lots_template
yard = lots_conftest.yard


def new_lot(yard: Yard, load_ids: list[int], *, submit: bool = False) -> str:
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=load_ids)
        if submit:
            svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
        return lot.lot_no


def approve(yard: Yard, lot_no: str) -> None:
    with yard.store.session() as s:
        svc.sign_decision(s, actor=yard.actor("zhao.hui"), clock=yard.clock, data_dir=yard.data_dir,
                          lot_no=lot_no, decision="approve", meaning="Approval of the lot after review.",
                          password=PASSWORDS["zhao.hui"], passphrase=PASSPHRASES["zhao.hui"])


# --- the lots list ------------------------------------------------------------------------------------------

def test_lots_come_newest_first_a_page_at_a_time_with_their_balance(yard: Yard) -> None:
    ids = add_loads(yard, 5, moisture="2.0")
    numbers = [new_lot(yard, [load_id]) for load_id in ids]
    with yard.store.session() as s:
        svc.merge_lots(s, actor=yard.actor("li.wei"), clock=yard.clock, lot_nos=numbers[3:])
    seen: list[queries.LotSummary] = []
    with yard.store.session() as s:
        while True:
            page = queries.lots_page(s, after=seen[-1].key if seen else None, limit=2, data_dir=yard.data_dir)
            seen.extend(page)
            if len(page) < 2:
                break
    # The lot merged away is void and left out; the merge target holds both loads.
    assert [lot.lot_no for lot in seen] == [numbers[3], *reversed(numbers[:3])]
    target = seen[0]
    assert (target.load_count, target.net, target.state) == (2, 2 * 20_460, "draft")
    assert target.balance is not None and target.balance_problem is None
    # 2 % moisture: dry 0.98 of the net; TREO 28.0 % oxide on a dry basis; grade B (from 28.0).
    assert target.balance.dry == Decimal("40101.60") and target.balance.treo_pct == Decimal("28.000")
    assert target.balance.reo == Decimal("11228.45") and target.balance.grade == "B"
    with yard.store.session() as s:
        everything = queries.lots_page(s, include_void=True, data_dir=yard.data_dir)
    assert [lot.lot_no for lot in everything] == list(reversed(numbers))
    assert everything[0].state == "void" and everything[0].load_count == 0


def test_a_lot_whose_rule_set_is_not_installed_says_so_and_hides_no_other(yard: Yard) -> None:
    ids = add_loads(yard, 2)
    first, second = new_lot(yard, [ids[0]]), new_lot(yard, [ids[1]])
    with yard.store.session() as s:
        s.execute(update(Lot).where(col(Lot.lot_no) == first).values(ruleset_version="9.9.9"))
    with yard.store.session() as s:
        rows = {lot.lot_no: lot for lot in queries.lots_page(s, data_dir=yard.data_dir)}
    problem = rows[first].balance_problem
    assert rows[first].balance is None and problem is not None
    assert problem.code.startswith("ruleset.not_installed") and problem.field == "ruleset"
    assert problem.params["reference"] == f"{yard.ruleset.id}@9.9.9"
    assert problem.words("zh_CN") != problem.words("en")  # the window words it in its language
    assert rows[first].net == 20_460
    assert rows[second].balance is not None and rows[second].balance.net == 20_460


def test_the_loads_of_a_lot_and_the_loads_that_may_join_one(yard: Yard) -> None:
    ids = add_loads(yard, 3)
    with yard.store.session() as s:
        held = add_load(s, yard.clock, outcome="HOLD", grade=None).id or 0
        add_load(s, yard.clock, status="provisional")
        add_load(s, yard.clock, outcome="REJECT", grade=None)
    lot_no = new_lot(yard, ids[:2])
    with yard.store.session() as s:
        svc.split_lot(s, actor=yard.actor("li.wei"), clock=yard.clock, lot_no=lot_no, move={ids[0]: 5000})
        members = queries.lot_members(s, lot_no=lot_no)
        assert [(m.load_id, m.share, m.net, m.outcome, m.grade) for m in members] == [
            (ids[0], 20_460 - 5000, 20_460, "ACCEPT", "B"), (ids[1], 20_460, 20_460, "ACCEPT", "B")]
        eligible = queries.eligible_loads(s)
    # Only the third load: the others are wholly in lots, the held one is not released, the provisional
    # and the rejected ones may not join.
    assert [(e.load_id, e.free, e.group) for e in eligible] == [(ids[2], 20_460, ("NDFEB-PS", 1))]
    assert eligible[0].supplier == "供应商 1"
    with yard.store.session() as s:
        svc.remove_loads(s, actor=yard.actor("li.wei"), clock=yard.clock, lot_no=lot_no, load_ids=[ids[0]])
        svc.decide_held_load(s, actor=yard.actor("zhao.hui"), clock=yard.clock, load_id=held,
                             decision="release", comment="Dose re-measured at background; fit for use.")
    with yard.store.session() as s:
        free = {e.load_id: e.free for e in queries.eligible_loads(s)}
    # The part split off to the other lot stays there; the rest is free again. The released load may join.
    assert free == {ids[0]: 20_460 - 5000, ids[2]: 20_460, held: 20_460}
    with yard.store.session() as s, pytest.raises(UserError) as err:
        queries.lot_members(s, lot_no="L2099-00001")
    assert err.value.code == "lot.not_found" and err.value.field == "lot"
    assert err.value.words("zh_CN") == ("没有批次 L2099-00001。"
                                        "可在批次界面或用“yard-inspector lots list”查看现有批次。")


# --- the approval queue -------------------------------------------------------------------------------------

def test_queue_shows_submitted_lots_with_balance_and_findings(yard: Yard) -> None:
    ids = add_loads(yard, 2, net=10_000, treo="30.0")
    with yard.store.session() as s:
        extra_load = add_load(s, yard.clock, net=30_000, treo="29.9", inclusions="3.0")
        extra, extra_ticket = extra_load.id or 0, extra_load.ticket_no
    lot_no = new_lot(yard, [*ids, extra], submit=True)
    new_lot(yard, add_loads(yard, 1))  # a draft: not in the queue
    with yard.store.session() as s:
        queue = queries.approval_queue_page(s, data_dir=yard.data_dir)
    assert [q.lot_no for q in queue] == [lot_no]
    bal = queue[0].balance
    # (20 000 × 30.0 + 30 000 × 29.9) / 50 000 = 29.94 → 29.9 against "30.0" → B
    assert bal.net == 50_000 and bal.treo_pct == Decimal("29.940") and bal.grade == "B"
    findings = {ld.ticket_no: ld.findings for ld in queue[0].loads}
    assert [f.rule for f in findings[extra_ticket]] == ["G6"]  # inclusions above 2.0: downgrade
    assert findings[extra_ticket][0].passed is False and findings[extra_ticket][0].limit == "2.0"
    assert queue[0].finding_count == 1 and queue[0].ruleset == f"{yard.ruleset.id} {yard.ruleset.version}"
    json_form = queue[0].to_json()
    assert json_form["balance"]["treo_pct"] == "29.940" and json_form["loads"][0]["ticket_no"] < extra_ticket


def test_queue_and_version_use_the_latest_classification_record(yard: Yard) -> None:
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        load = add_load(s, yard.clock, net=10_000, treo="25.0", basis="metal", inclusions="3.0")
        record = classification_services.classify_load(
            s, actor=inspector, clock=yard.clock, load_id=load.id or 0, stage="lab", ruleset=yard.ruleset
        )
        # 25.0 metal × 1.166 = 29.15 % oxide: grade B, downgraded one step by G6 (inclusions 3.0) to C.
        assert record.derived["treo_pct_dry_oxide"] == "29.1500"
        assert (load.outcome, load.grade, load.classification_status) == ("ACCEPT", "C", "final")
        lot = svc.create_lot(
            s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=[load.id or 0]
        )
        svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
        doc, _ = svc.version_of(s, lot, yard.ruleset)
        assert doc["loads"][0]["classification"]["source"] == "record"
        assert doc["loads"][0]["classification"]["seq"] == record.seq
    with yard.store.session() as s:
        (entry,) = queries.approval_queue_page(s, data_dir=yard.data_dir)
    assert entry.balance.treo_pct == Decimal("29.150") and entry.balance.grade == "B"
    assert [f.rule for f in entry.loads[0].findings] == ["G6"]


def test_the_queue_pages_by_key_oldest_first_and_counts_what_waits(yard: Yard) -> None:
    numbers = [new_lot(yard, [load_id], submit=True) for load_id in add_loads(yard, 5)]
    approve(yard, numbers[1])
    with yard.store.session() as s:
        held = add_load(s, yard.clock, outcome="HOLD", grade=None)
        held_id, held_ticket = held.id or 0, held.ticket_no
    seen: list[queries.QueueEntry] = []
    with yard.store.session() as s:
        while True:
            page = queries.approval_queue_page(s, after=seen[-1].key if seen else None, limit=2,
                                               data_dir=yard.data_dir)
            seen.extend(page)
            if len(page) < 2:
                break
        summary = queries.queue_summary(s)
    assert [q.lot_no for q in seen] == [numbers[0], *numbers[2:]]
    assert summary.waiting == 4
    assert [(h.load_id, h.ticket_no, h.category, h.supplier) for h in summary.held] == [
        (held_id, held_ticket, "NDFEB-PS", "供应商 1")]


# --- one lot ------------------------------------------------------------------------------------------------

def test_the_detail_of_a_lot_is_typed_and_says_whether_its_approval_still_holds(yard: Yard) -> None:
    ids = add_loads(yard, 2, moisture="2.0", inclusions="3.0")
    lot_no = new_lot(yard, ids, submit=True)
    with yard.store.session() as s:
        before = queries.lot_detail(s, lot_no=lot_no, data_dir=yard.data_dir)
    assert before.state == "submitted" and before.approval_matches is None and before.approvals == ()
    approve(yard, lot_no)
    with yard.store.session() as s:
        detail = queries.lot_detail(s, lot_no=lot_no, data_dir=yard.data_dir)
        _doc, version_hash = svc.version_of(s, svc.get_lot(s, lot_no), yard.ruleset)
    version = detail.version
    assert (version.lot_no, version.category, version.supplier) == (lot_no, "NDFEB-PS", "供应商 1")
    assert version.version_hash == version_hash
    assert version.ruleset == f"{yard.ruleset.id} {yard.ruleset.version}"
    assert version.balance.net == 2 * 20_460 and version.balance.grade == "B"
    first = version.loads[0]
    assert (first.share, first.net, first.weight_unit, first.outcome) == (20_460, 20_460, "kg", "ACCEPT")
    assert ("moisture_pct", "2.0") in first.readings and [f.rule for f in first.findings] == ["G6"]
    assert first.classification_error is None and first.held_release is None and first.photos == ()
    assert detail.state == "approved" and detail.approval_matches is True
    (approval,) = detail.approvals
    assert (approval.decision, approval.user_id, approval.channel) == ("approve", "zhao.hui", "yard")
    assert approval.signature_valid and approval.signed_offset == 480
    assert approval.signed_at.tzinfo is not None
    shown = detail.to_json()
    assert shown["approvals"][0]["signature_valid"] is True and shown["document"]["lot"]["lot_no"] == lot_no


def test_a_packet_opened_on_a_laptop_shows_the_version_it_carries(yard: Yard, tmp_path: Path) -> None:
    lot_no = new_lot(yard, add_loads(yard, 2), submit=True)
    packet = tmp_path / "usb" / f"{lot_no}.packet.json"
    with yard.store.session() as s:
        exported = svc.export_packet_file(s, actor=yard.actor("zhang.min"), clock=yard.clock,
                                          data_dir=yard.data_dir, lot_no=lot_no,
                                          passphrase=PASSPHRASES["zhang.min"], path=packet)
        shown = queries.lot_detail(s, lot_no=lot_no, data_dir=yard.data_dir).version
    data, content = svc.open_packet_file(packet, ca_path=yard.data_dir.keys / keys.CA_CERT_FILE)
    opened = queries.opened_packet(packet, data, content)
    assert opened.lot_no == lot_no and opened.data == packet.read_bytes()
    assert opened.exported_by == "zhang.min"
    assert opened.version.version_hash == exported.version_hash
    # The laptop shows what the yard PC shows.
    assert opened.version == shown
    with pytest.raises(UserError) as err:
        svc.open_packet_file(packet, ca_path=tmp_path / "nowhere.pem")
    assert err.value.code == "packet.ca_missing" and err.value.field == "ca"
    assert err.value.params["path"] == str(tmp_path / "nowhere.pem")


# --- the lot's rule set -------------------------------------------------------------------------------------

def test_a_lots_rule_set_is_looked_up_once_and_checked_when_given(yard: Yard) -> None:
    first = classification_services.ruleset_judged_under(yard.ruleset.id, yard.ruleset.version,
                                                         data_dir=yard.data_dir)
    assert (first.id, first.version, first.sha256) == (yard.ruleset.id, yard.ruleset.version,
                                                       yard.ruleset.sha256)
    assert classification_services.ruleset_judged_under(yard.ruleset.id, yard.ruleset.version,
                                                        data_dir=yard.data_dir) is first
    lot_no = new_lot(yard, add_loads(yard, 1))
    with yard.store.session() as s:
        lot = svc.get_lot(s, lot_no)
        assert svc.ruleset_of_lot(lot, data_dir=yard.data_dir) is first
        assert svc.ruleset_of_lot(lot, ruleset=yard.ruleset) is yard.ruleset
        with pytest.raises(UserError) as err:
            svc.ruleset_of_lot(lot, ruleset=dataclasses.replace(yard.ruleset, version="0.0.1"))
        assert err.value.code == "lot.ruleset_mismatch" and err.value.field == "ruleset"
        assert err.value.params == {"lot": lot_no, "lot_ruleset": yard.ruleset.label,
                                    "ruleset": f"{yard.ruleset.id} 0.0.1"}
    with pytest.raises(UserError) as err:
        classification_services.ruleset_judged_under(yard.ruleset.id, "9.9.9", data_dir=yard.data_dir)
    assert err.value.code.startswith("ruleset.not_installed")
