"""Tamper evidence: direct row edits (P3), deleted/reordered/edited audit events (P4), a rebuilt chain
caught by signed checkpoints (P5), and the checkpoint files themselves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from inspector.security import checkpoints, keys, verify
from inspector.security.actor import Actor, Role
from inspector.security.audit import (
    GENESIS_HASH,
    canonical_json,
    record_change,
    row_content,
    row_hash,
    sha256_hex,
)
from inspector.security.verify import Problem, verify_all
from inspector.storage.models.core import Load
from tests.core.security.conftest import Yard, add_load

LI = Actor("li.wei", "李伟 Li Wei", frozenset({Role.INSPECTOR}))


def _sql(yard: Yard, *statements: str, params: tuple[object, ...] = ()) -> None:
    """What someone with the sqlite3 tool does (outside the application)."""
    con = sqlite3.connect(yard.db_path)
    try:
        for statement in statements:
            con.execute(statement, params) if params else con.execute(statement)
        con.commit()
    finally:
        con.close()


def _verify(*args: Any, **kwargs: Any) -> list[Problem]:
    """verify_all, leaving out the report of the append-only safeguards these attacks drop first: that
    report has its own test; here each attack must be caught by the chain, rows or checkpoints alone."""
    return [p for p in verify_all(*args, **kwargs)
            if p.code != "audit.guard_removed"]


def _drop_triggers(yard: Yard) -> None:
    _sql(yard, "DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete")


def _checkpoint(yard: Yard, purpose: str = "approval") -> int:
    with yard.store.session() as s:
        signer = keys.load_signer(
            s, data_dir=yard.data_dir, username="zhang.min", passphrase="demo-zhang.min-key", clock=yard.clock
        )
        return checkpoints.write_checkpoint(
            s,
            data_dir=yard.data_dir,
            signer=signer,
            clock=yard.clock,
            purpose=purpose,
            reference="LOT-2026-001",
        ).seq


def _max_seq(yard: Yard) -> int:
    con = sqlite3.connect(yard.db_path)
    try:
        return int(con.execute("SELECT max(seq) FROM audit_event").fetchone()[0])
    finally:
        con.close()


def test_an_untouched_yard_verifies_clean(yard: Yard) -> None:
    add_load(yard, LI)
    _checkpoint(yard)
    assert _verify(yard.store, yard.data_dir) == []
    assert verify.verify_data_dir(yard.data_dir) == []


def test_the_triggers_refuse_to_change_or_delete_audit_events(yard: Yard) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _sql(yard, "UPDATE audit_event SET reason='x' WHERE seq=1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _sql(yard, "DELETE FROM audit_event WHERE seq=1")


def test_p3_a_load_edited_with_sqlite_is_reported_with_its_id(yard: Yard) -> None:
    add_load(yard, LI, seq=1)
    load_id = add_load(yard, LI, seq=2)
    _sql(yard, f"UPDATE load SET gross=30000, net=17980 WHERE id={load_id}")
    problems = _verify(yard.store, yard.data_dir)
    assert [(p.kind, p.table, p.row_id) for p in problems] == [("row", "load", str(load_id))]
    assert problems[0].code == "audit.row.changed"
    assert problems[0].params == {"table": "load", "row": str(load_id), "seq": problems[0].params["seq"]}
    expected = f"Table 'load', row {load_id}: its content was changed outside the application"
    assert expected in problems[0].message
    assert problems[0].words("zh_CN") == (
        f"表 load 中编号为 {load_id} 的行：内容在本程序之外被修改（与审计事件 {problems[0].params['seq']} "
        "设定的行哈希不再相符）。")
    # The foundation's 'check' gets the same finding.
    assert verify.verify_data_dir(yard.data_dir) == problems


def test_p3_a_row_whose_hash_was_recomputed_still_differs_from_its_audit_event(yard: Yard) -> None:
    load_id = add_load(yard, LI)

    with yard.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        load.gross = 20_000
        forged = row_hash(row_content(load))
        s.expunge(load)
    _sql(yard, "UPDATE load SET gross=20000, row_hash=? WHERE id=?", params=(forged, load_id))
    problems = _verify(yard.store, yard.data_dir)
    assert len(problems) == 1 and problems[0].row_id == str(load_id)
    assert problems[0].code == "audit.row.rewritten"
    assert "differs from what audit event" in problems[0].message


def test_p3_a_row_put_back_to_an_older_version_or_deleted_is_reported(yard: Yard) -> None:

    load_id = add_load(yard, LI)
    con = sqlite3.connect(yard.db_path)
    old_gross, old_net, old_hash, old_seq = con.execute(
        "SELECT gross, net, row_hash, audit_seq FROM load WHERE id=?", (load_id,)
    ).fetchone()
    con.close()
    with yard.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        before = row_content(load)
        load.gross, load.net = 33_000, 33_000 - 12_020
        record_change(s, load, actor=LI, action="load.edit", clock=yard.clock, old=before, reason="reweighed")
    _sql(
        yard,
        "UPDATE load SET gross=?, net=?, row_hash=?, audit_seq=? WHERE id=?",
        params=(old_gross, old_net, old_hash, old_seq, load_id),
    )
    problems = _verify(yard.store, yard.data_dir)
    assert [p.row_id for p in problems] == [str(load_id)]
    assert problems[0].code == "audit.row.put_back" and "put back to an older version" in problems[0].message
    _sql(yard, f"DELETE FROM load WHERE id={load_id}")
    problems = _verify(yard.store, yard.data_dir)
    rows = [p for p in problems if p.kind == "row"]
    assert [p.row_id for p in rows] == [str(load_id)]
    assert rows[0].code == "audit.row.deleted" and "deleted outside the application" in rows[0].message
    # The ticket it carried is now missing from the gapless series too.
    (gap,) = [p for p in problems if p.kind != "row"]
    assert gap.kind == "series" and gap.code == "audit.series.gap"
    assert gap.message == ("The ticket numbers of 2026 have a gap: 1 number(s) were issued but no record "
                           "carries them (1).")
    assert gap.words("zh_CN") == "2026 年的磅单编号有缺号：有 1 个号码已发出，但没有任何记录使用（1）。"


def test_p3_a_role_granted_with_sqlite_is_reported(yard: Yard) -> None:
    _sql(yard, """UPDATE user_account SET roles='["inspector","supervisor"]' WHERE username='li.wei'""")
    problems = _verify(yard.store, yard.data_dir)
    assert len(problems) == 1 and problems[0].table == "user_account"
    assert problems[0].code == "audit.row.changed"


def test_p4_a_deleted_audit_event_is_reported_at_its_sequence(yard: Yard) -> None:
    add_load(yard, LI)
    _drop_triggers(yard)
    _sql(yard, "DELETE FROM audit_event WHERE seq=5")
    problems = [p for p in _verify(yard.store, yard.data_dir) if p.kind == "chain"]
    assert len(problems) == 1 and problems[0].seq == 5
    assert problems[0].code == "audit.chain.event_missing"
    assert problems[0].params == {"seq": 5, "before": 4, "after": 6}
    assert problems[0].message.startswith("Audit event 5 is missing")
    assert problems[0].words("zh_CN") == (
        "缺少审计事件 5：记录从事件 4 直接跳到事件 6，有事件被从审计记录中删除。自此往后的事件均不可信。")


def test_p4_the_first_events_deleted_are_reported(yard: Yard) -> None:
    _drop_triggers(yard)
    _sql(yard, "DELETE FROM audit_event WHERE seq<=2")
    problems = [p for p in _verify(yard.store, yard.data_dir) if p.kind == "chain"]
    assert problems[0].seq == 1 and problems[0].code == "audit.chain.start_missing"
    assert "starts at event 3" in problems[0].message


def test_p4_two_swapped_audit_events_are_reported_at_the_first_of_them(yard: Yard) -> None:
    _drop_triggers(yard)
    _sql(
        yard,
        "UPDATE audit_event SET seq=-1 WHERE seq=4",
        "UPDATE audit_event SET seq=4 WHERE seq=7",
        "UPDATE audit_event SET seq=7 WHERE seq=-1",
    )
    problems = [p for p in _verify(yard.store, yard.data_dir) if p.kind == "chain"]
    assert len(problems) == 1 and problems[0].seq == 4
    assert problems[0].code == "audit.chain.broken" and problems[0].params == {"before": 3, "seq": 4}


def test_p4_an_edited_audit_event_is_reported_at_its_sequence(yard: Yard) -> None:
    _drop_triggers(yard)
    _sql(yard, "UPDATE audit_event SET reason='nothing to see' WHERE seq=6")
    problems = [p for p in _verify(yard.store, yard.data_dir) if p.kind == "chain"]
    assert len(problems) == 1 and problems[0].seq == 6
    assert problems[0].code == "audit.chain.event_changed"
    assert "changed after it was written" in problems[0].message


def test_p4_an_event_rewritten_with_its_own_hash_breaks_the_next_link(yard: Yard) -> None:
    _drop_triggers(yard)
    con = sqlite3.connect(yard.db_path)
    cols = [c[1] for c in con.execute("PRAGMA table_info(audit_event)")]
    row = dict(zip(cols, con.execute("SELECT * FROM audit_event WHERE seq=3").fetchone(), strict=True))
    con.close()
    row["reason"] = "rewritten"
    new_hash = _hash_raw(row)
    _sql(yard, "UPDATE audit_event SET reason='rewritten', hash=? WHERE seq=3", params=(new_hash,))
    problems = [p for p in _verify(yard.store, yard.data_dir) if p.kind == "chain"]
    assert len(problems) == 1 and problems[0].seq == 4
    assert problems[0].code == "audit.chain.broken" and "between events 3 and 4" in problems[0].message


def _hash_raw(row: dict[str, object]) -> str:
    payload = {
        k: row[k]
        for k in (
            "seq",
            "at",
            "offset_minutes",
            "actor",
            "role",
            "action",
            "entity",
            "entity_id",
            "reason",
            "source",
            "prev_hash",
        )
    }
    payload["old"] = None if row["old"] is None else json.loads(str(row["old"]))
    payload["new"] = None if row["new"] is None else json.loads(str(row["new"]))
    return sha256_hex(canonical_json(payload))


def _rebuild_chain(yard: Yard) -> None:
    """What an attacker with the file does: recompute every hash after editing, so the chain is whole."""
    con = sqlite3.connect(yard.db_path)
    cols = [c[1] for c in con.execute("PRAGMA table_info(audit_event)")]
    rows = [dict(zip(cols, r, strict=True)) for r in con.execute("SELECT * FROM audit_event ORDER BY seq")]
    prev = GENESIS_HASH
    con.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    for row in rows:
        row["prev_hash"] = prev
        digest = _hash_raw(row)
        con.execute(
            "UPDATE audit_event SET prev_hash=?, hash=? WHERE seq=?",
            (prev, "tmp" + str(row["seq"]), row["seq"]),
        )
        row["hash"] = digest
        prev = digest
    for row in rows:
        con.execute("UPDATE audit_event SET hash=? WHERE seq=?", (row["hash"], row["seq"]))
    con.commit()
    con.close()


def test_p5_a_rebuilt_chain_is_caught_by_the_signed_checkpoint(yard: Yard) -> None:
    load_id = add_load(yard, LI, gross=32_480)
    checkpoint_seq = _checkpoint(yard)
    add_load(yard, LI, seq=2)
    # Lower the net weight of the first load everywhere: row, its hash and its audit event, then rebuild.

    with yard.store.session() as s:
        load = s.get(Load, load_id)
        assert load is not None
        seq = load.audit_seq
        load.gross, load.net = 30_000, 30_000 - 12_020
        content = row_content(load)
        s.expunge(load)
    _drop_triggers(yard)
    _sql(
        yard,
        "UPDATE load SET gross=30000, net=17980, row_hash=? WHERE id=?",
        params=(row_hash(content), load_id),
    )
    _sql(yard, "UPDATE audit_event SET new=? WHERE seq=?", params=(canonical_json(content), seq))
    _rebuild_chain(yard)
    problems = _verify(yard.store, yard.data_dir)
    assert [p.kind for p in problems] == ["checkpoint"]
    assert problems[0].seq == checkpoint_seq
    assert problems[0].code == "checkpoint.mismatch" and problems[0].params["user"] == "zhang.min"
    assert f"Audit event {checkpoint_seq} is not the one vouched for by the checkpoint" in problems[0].message
    # Signed at 08:35 UTC: the yard's time it was signed at (UTC+8).
    assert "signed by zhang.min on 2026-03-02 16:35:" in problems[0].message
    in_chinese = problems[0].words("zh_CN")
    assert f"zhang.min 于 2026年03月02日 16:35 签名的检查点 cp-{checkpoint_seq:010d}-" in in_chinese


def test_p5_a_rebuilt_chain_is_caught_by_an_anchor_printed_on_a_certificate(yard: Yard) -> None:
    add_load(yard, LI)
    with yard.store.session() as s:
        head = checkpoints.current_head(s)
    assert head is not None
    _drop_triggers(yard)
    _sql(yard, "UPDATE audit_event SET reason='edited' WHERE seq=2")
    _rebuild_chain(yard)
    anchor = verify.Anchor(seq=head.seq, hash=head.hash, source="RE-2026-0001")
    problems = _verify(yard.store, yard.data_dir, anchors=[anchor])
    assert [p.kind for p in problems] == ["checkpoint"] and problems[0].code == "anchor.mismatch"
    assert "vouched for by certificate RE-2026-0001:" in problems[0].message
    assert "与证书 RE-2026-0001 所担保的不一致" in problems[0].words("zh_CN")


def test_p5_events_removed_from_the_end_are_caught_by_the_checkpoint(yard: Yard) -> None:
    add_load(yard, LI)
    seq = _checkpoint(yard)
    _drop_triggers(yard)
    _sql(yard, f"DELETE FROM audit_event WHERE seq>={seq - 1}")
    problems = _verify(yard.store, yard.data_dir)
    assert any(p.kind == "checkpoint" and p.code == "checkpoint.beyond_trail"
               and "events were removed" in p.message for p in problems)


def test_an_altered_or_deleted_checkpoint_file_is_reported(yard: Yard) -> None:
    _checkpoint(yard)
    folder = checkpoints.checkpoints_dir(yard.data_dir)
    (path,) = list(folder.glob("cp-*.json"))
    document = json.loads(path.read_text())
    document["payload"]["head_hash"] = "0" * 64
    path.write_text(json.dumps(document))
    problems = _verify(yard.store, yard.data_dir)
    assert [p.kind for p in problems] == ["checkpoint"] and "signature does not match" in problems[0].message
    assert problems[0].code == "checkpoint.signature_invalid"
    path.unlink()
    problems = _verify(yard.store, yard.data_dir)
    assert [p.kind for p in problems] == ["checkpoint"] and "was deleted" in problems[0].message
    assert problems[0].code == "checkpoint.file_missing" and problems[0].params["file"] == path.name
    Path(folder / "cp-junk.json").write_text("{not json")
    Path(folder / "cp-list.json").write_text("[]")
    Path(folder / "cp-other.json").write_text(json.dumps({"payload": {"format": "something/9"}}))
    found = {p.params.get("file"): p.code for p in _verify(yard.store, yard.data_dir)
             if p.code != "checkpoint.file_missing"}
    assert found == {"cp-junk.json": "checkpoint.file_damaged", "cp-list.json": "checkpoint.not_a_checkpoint",
                     "cp-other.json": "checkpoint.unknown_format"}


def test_a_checkpoint_is_written_only_when_its_transaction_commits(yard: Yard) -> None:
    folder = checkpoints.checkpoints_dir(yard.data_dir)
    with pytest.raises(RuntimeError), yard.store.session() as s:
        signer = keys.load_signer(
            s, data_dir=yard.data_dir, username="zhang.min", passphrase="demo-zhang.min-key", clock=yard.clock
        )
        checkpoints.write_checkpoint(
            s, data_dir=yard.data_dir, signer=signer, clock=yard.clock, purpose="approval"
        )
        raise RuntimeError("the approval failed after the checkpoint was prepared")
    assert not list(folder.glob("cp-*.json")) if folder.exists() else True
    seq = _checkpoint(yard)
    assert len(list(folder.glob(f"cp-{seq:010d}-*.json"))) == 1
    assert _checkpoint(yard) == seq  # the same head twice: one checkpoint
    assert _verify(yard.store, yard.data_dir) == []
    assert _max_seq(yard) == seq


def test_a_replaced_ca_certificate_file_is_reported(yard: Yard) -> None:
    other = yard.data_dir.keys / keys.CA_CERT_FILE
    with yard.store.session() as s:
        pem = keys.personal_keys(s, "zhang.min")[0].certificate_pem
    other.write_text(pem)
    problems = _verify(yard.store, yard.data_dir)
    assert [p.kind for p in problems] == ["keys"] and problems[0].code == "ca.certificate_differs"


def test_values_spelled_differently_but_equal_are_not_reported(yard: Yard) -> None:
    """The fast path hashes stored texts as the application writes them; any other spelling of the same
    values is read through the column types instead, and is not tampering."""
    load_id = add_load(yard, LI)
    _drop_triggers(yard)
    con = sqlite3.connect(yard.db_path)
    arrived = con.execute("SELECT arrived_at FROM load WHERE id=?", (load_id,)).fetchone()[0]
    new = con.execute("SELECT new FROM audit_event WHERE entity='load'").fetchone()[0]
    con.close()
    assert arrived.endswith(".000000+00:00")
    _sql(yard, "UPDATE load SET arrived_at=? WHERE id=?", params=(arrived.replace(".000000", ""), load_id))
    spaced = json.dumps(json.loads(new), indent=1, ensure_ascii=False)
    _sql(yard, "UPDATE audit_event SET new=? WHERE entity='load'", params=(spaced,))
    assert _verify(yard.store, yard.data_dir) == []
    _sql(yard, "UPDATE load SET arrived_at=? WHERE id=?", params=(arrived.replace("08:", "07:"), load_id))
    assert [p.row_id for p in _verify(yard.store, yard.data_dir)] == [str(load_id)]


def test_a_password_hash_replaced_with_sqlite_is_reported(yard: Yard) -> None:
    """Someone copies their own Argon2 hash over a supervisor's to sign in as that supervisor."""
    con = sqlite3.connect(yard.db_path)
    mine = con.execute(
        "SELECT password_hash FROM user_credential c JOIN user_account a ON a.id=c.user_id "
        "WHERE a.username='li.wei'"
    ).fetchone()[0]
    con.close()
    _sql(
        yard,
        "UPDATE user_credential SET password_hash=? "
        "WHERE user_id=(SELECT id FROM user_account WHERE username='zhang.min')",
        params=(mine,),
    )
    problems = _verify(yard.store, yard.data_dir)
    assert [(p.table, p.row_id) for p in problems] == [("user_credential", "zhang.min")]
    assert problems[0].code == "audit.password.replaced"
    assert "replaced outside the application" in problems[0].message
