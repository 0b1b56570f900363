"""Every lot row written by the services passes the security area's integrity check (row hashes against
the audit trail, the chain, and the signed checkpoints)."""

from __future__ import annotations

from inspector.security import verify
from inspector.services import lots as svc
from tests.core.lots.conftest import Yard, add_loads
from tests.core.lots.test_approval import sign, submitted_lot


def test_lot_rows_pass_the_integrity_check(yard: Yard) -> None:
    ids = add_loads(yard, 4)
    inspector = yard.actor("li.wei")
    lot_no = submitted_lot(yard, ids[:3])
    sign(yard, "zhao.hui", lot_no)
    with yard.store.session() as s:
        new = svc.split_lot(
            s,
            actor=inspector,
            clock=yard.clock,
            lot_no=lot_no,
            move={ids[0]: 10_000, ids[1]: None},
            reason="half of the first truck goes to another buyer",
        )
        svc.remove_loads(s, actor=inspector, clock=yard.clock, lot_no=lot_no, load_ids=[ids[2]])
        svc.add_loads(s, actor=inspector, clock=yard.clock, lot_no=new.lot_no, load_ids=[ids[3]])
        svc.merge_lots(s, actor=inspector, clock=yard.clock, lot_nos=[lot_no, new.lot_no])
    assert [str(p) for p in verify.verify_all(yard.store, yard.data_dir)] == []


def test_offline_decisions_and_held_loads_pass_the_integrity_check(yard: Yard) -> None:
    from inspector.lots import packets
    from tests.core.lots.conftest import add_load
    from tests.core.lots.test_packets import decide, export, import_

    with yard.store.session() as s:
        held = add_load(s, yard.clock, outcome="HOLD", grade=None).id or 0
        svc.decide_held_load(
            s,
            actor=yard.actor("zhao.hui"),
            clock=yard.clock,
            load_id=held,
            decision="release",
            comment="Portal alarm from a passing truck; re-measured at background.",
        )
    _lot_no, packet = export(yard, [*add_loads(yard, 1), held])
    import_(yard, packets.dumps(decide(yard, packet)))
    assert [str(p) for p in verify.verify_all(yard.store, yard.data_dir)] == []
