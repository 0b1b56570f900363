"""What importing a decision file would do, said before it is done: ``preview_decision`` runs the import's
own checks, stores nothing, and gives the same verdict the import then gives (a refusal with the same code
and words, or the decision recorded as previewed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector.errors import InspectorError
from inspector.lots import packets
from inspector.security.actor import Actor
from inspector.security.audit import record_change, row_content
from inspector.services import lots as svc
from inspector.storage.models.core import Load
from tests.core.lots.conftest import Yard, add_loads, snapshot
from tests.core.lots.test_packets import decide, export, foreign_signer, tamper


def preview(yard: Yard, data: bytes) -> svc.DecisionPreview:
    before = snapshot(yard.data_dir)
    with yard.store.session() as s:
        result = svc.preview_decision(s, data=data, data_dir=yard.data_dir)
    assert snapshot(yard.data_dir) == before
    return result


def import_verdict(yard: Yard, data: bytes) -> InspectorError | None:
    """What the import itself does with the file: None when it records it, else its refusal."""
    try:
        with yard.store.session() as s:
            svc.import_decision(s, clock=yard.clock, data=data, data_dir=yard.data_dir)
    except InspectorError as exc:
        return exc
    return None


def same_verdict(yard: Yard, data: bytes, code: str | None) -> svc.DecisionPreview:
    """The preview refuses with ``code`` (None: accepts), and the import then does exactly that."""
    seen = preview(yard, data)
    assert (seen.refusal.code if seen.refusal is not None else None) == code
    done = import_verdict(yard, data)
    if code is None:
        assert done is None
    else:
        assert done is not None and seen.refusal is not None
        assert (done.code, str(done), done.words("zh_CN")) == (
            seen.refusal.code, str(seen.refusal), seen.refusal.words("zh_CN"))
    return seen


def test_a_good_decision_is_previewed_with_what_it_records(yard: Yard) -> None:
    lot_no, packet = export(yard, add_loads(yard, 1))
    document = decide(yard, packet)
    version = json.loads(packet)["content"]["lot_version_hash"]
    seen = same_verdict(yard, packets.dumps(document), None)
    assert seen.acceptable and seen.verified
    assert (seen.lot_no, seen.decision, seen.user_id, seen.printed_name) == (
        lot_no, "approve", "zhao.hui", "赵辉 Zhao Hui")
    assert seen.version_hash == version and seen.version_matches is True
    assert seen.packet_id == document["payload"]["packet_id"] and seen.signed_at is not None
    # Imported now: the same file again is refused as already imported, still naming its lot.
    again = same_verdict(yard, packets.dumps(document), "packet.decision_already_imported")
    assert again.lot_no == lot_no and not again.verified and again.version_matches is None


def changed_lot(yard: Yard, load_ids: list[int]) -> None:
    with yard.store.session() as s:
        load = s.get(Load, load_ids[0])
        assert load is not None
        old = row_content(load)
        load.attributes = {**load.attributes, "treo_pct": "26.0"}
        record_change(s, load, actor=Actor("wang.lei", "Wang Lei"), action="load.lab", clock=yard.clock,
                      old=old)


def reopened_lot(yard: Yard, lot_no: str) -> None:
    [extra] = add_loads(yard, 1)
    with yard.store.session() as s:
        svc.add_loads(s, actor=yard.actor("li.wei"), clock=yard.clock, lot_no=lot_no, load_ids=[extra])


@pytest.mark.parametrize(("kind", "code"), [
    ("altered", "packet.signature_invalid"),
    ("foreign", "packet.signer_foreign"),
    ("a packet", "packet.wrong_format"),
    ("garbage", "packet.not_json"),
    ("lot changed", "packet.decision_lot_changed"),
    ("lot reopened", "packet.decision_lot_not_submitted"),
])
def test_each_refusal_is_previewed_as_the_import_refuses_it(yard: Yard, kind: str, code: str) -> None:
    ids = add_loads(yard, 1)
    lot_no, packet = export(yard, ids)
    genuine = decide(yard, packet)
    makers: dict[str, Callable[[], bytes]] = {
        "altered": lambda: tamper(genuine, lambda d: d["payload"].update(decision="reject")),
        "foreign": lambda: packets.dumps(packets.sign_payload(
            {**genuine["payload"], "key_fingerprint": foreign_signer().fingerprint}, foreign_signer())),
        "a packet": lambda: packet,
        "garbage": lambda: b"\x00\x01 not json",
    }
    data = makers[kind]() if kind in makers else packets.dumps(genuine)
    if kind == "lot changed":
        changed_lot(yard, ids)
    elif kind == "lot reopened":
        reopened_lot(yard, lot_no)
    seen = same_verdict(yard, data, code)
    assert not seen.acceptable and not seen.verified
    # What the file claims is still shown where it can be read: the lot it names.
    assert seen.lot_no == (None if kind in ("a packet", "garbage") else lot_no)
    assert seen.version_matches is (False if kind == "lot changed" else None)
    if kind == "altered":
        assert seen.decision == "reject"  # as the altered file claims


def test_an_unreadable_file_is_refused_as_the_import_refuses_it(yard: Yard, tmp_path: Path) -> None:
    missing = tmp_path / "gone.decision.json"
    with yard.store.session() as s:
        seen = svc.preview_decision_file(s, path=missing, data_dir=yard.data_dir)
    assert seen.refusal is not None and seen.refusal.code == "lot.file_unreadable"
    with yard.store.session() as s, pytest.raises(InspectorError) as err:
        svc.import_decision_file(s, clock=yard.clock, path=missing, data_dir=yard.data_dir)
    assert str(err.value) == str(seen.refusal)
