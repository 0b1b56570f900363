"""Offline approval: the packet exported on the yard PC, decided on a supervisor's laptop with its own data
directory, and the decision imported back. Every altered, foreign, stale or unauthorised packet or decision
is refused with a reason, and the yard's database and files stay exactly as they were."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from inspector import cli
from inspector.canonical import certificate_fingerprint
from inspector.cli import lots as lots_cli
from inspector.datadir import DataDir
from inspector.lots import packets
from inspector.security import keys
from inspector.security.actor import Actor
from inspector.security.audit import record_change, row_content
from inspector.services import lots as svc
from inspector.states import LotState
from inspector.storage.models.core import Load
from inspector.storage.models.intake import LoadPhoto
from tests.core.lots.conftest import PASSPHRASES, PASSWORDS, Yard, add_load, add_loads, snapshot

PHOTO = b"\xff\xd8\xff\xe0 a small jpeg of the load \xff\xd9"


def key_file(yard: Yard, username: str) -> bytes:
    with yard.store.session() as s:
        row = keys.active_personal_key(s, username)
        assert row is not None
        return (yard.data_dir.keys / row.path).read_bytes()


def laptop_signer(yard: Yard, username: str = "zhao.hui") -> keys.Signer:
    return packets.signer_from_pkcs12(key_file(yard, username), PASSPHRASES[username])


def add_photo(yard: Yard, load_id: int) -> str:
    sha = hashlib.sha256(PHOTO).hexdigest()
    (yard.data_dir.photos / f"{sha}.jpg").write_bytes(PHOTO)
    with yard.store.session() as s:
        record_change(
            s,
            LoadPhoto(
                load_id=load_id,
                step="gate",
                sha256=sha,
                size=len(PHOTO),
                suffix=".jpg",
                added_by="li.wei",
                added_at=yard.clock.now().utc,
            ),
            actor=Actor("li.wei", "Li Wei"),
            action="load.photo",
            clock=yard.clock,
        )
    return sha


def export(yard: Yard, load_ids: list[int]) -> tuple[str, bytes]:
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=load_ids)
        svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
        signer = keys.load_signer(
            s,
            data_dir=yard.data_dir,
            username="zhang.min",
            passphrase=PASSPHRASES["zhang.min"],
            clock=yard.clock,
        )
        data, _row = svc.export_packet(
            s,
            actor=yard.actor("zhang.min"),
            clock=yard.clock,
            data_dir=yard.data_dir,
            ruleset=yard.ruleset,
            lot_no=lot.lot_no,
            signer=signer,
        )
        return lot.lot_no, data


def decide(
    yard: Yard, packet: bytes, *, decision: str = "approve", username: str = "zhao.hui"
) -> dict[str, Any]:
    yard.clock.advance(hours=2)
    return packets.decide(
        packet,
        signer=laptop_signer(yard, username),
        decision=decision,
        meaning=packets.default_meaning(decision, "L2026-00001"),
        stamp=yard.clock.now(),
    )


def import_(yard: Yard, data: bytes) -> None:
    with yard.store.session() as s:
        svc.import_decision(s, clock=yard.clock, data=data, data_dir=yard.data_dir)


def refused(yard: Yard, data: bytes, code: str) -> packets.PacketRefusedError:
    """The import is refused with the error ``code`` and nothing in the data directory changes."""
    before = snapshot(yard.data_dir)
    with pytest.raises(packets.PacketRefusedError) as err:
        import_(yard, data)
    assert err.value.code == code and err.value.field == "file"
    assert snapshot(yard.data_dir) == before
    return err.value


def foreign_signer(username: str = "zhao.hui") -> keys.Signer:
    """A key and certificate that name a yard supervisor but come from someone else's CA."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Yard Inspector yard CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=400))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "赵辉 Zhao Hui"),
                    x509.NameAttribute(NameOID.USER_ID, username),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=400))
        .sign(ca_key, hashes.SHA256())
    )
    return keys.Signer(
        username=username, private_key=key, certificate=cert, chain=[ca],
        fingerprint=certificate_fingerprint(cert),
    )


# --- the round trip --------------------------------------------------------------------------------


def run_cli(data_dir: str, argv: list[str]) -> int:
    """``yard-inspector lots ACTION --data-dir DIR ...`` (the option after the action: a top-level
    --data-dir is overwritten by the sub-command's default)."""
    extra = [] if "inspector.cli.lots" in cli.COMMAND_MODULES else [lots_cli.register]
    return cli.main(["lots", argv[0], "--data-dir", data_dir, *argv[1:]], extra=extra)


def test_full_offline_round_trip_between_two_data_directories(
    yard: Yard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = add_loads(yard, 2)
    sha = add_photo(yard, ids[0])
    inspector = yard.actor("li.wei")
    with yard.store.session() as s:
        lot = svc.create_lot(s, actor=inspector, clock=yard.clock, ruleset=yard.ruleset, load_ids=ids)
        svc.submit_lot(s, actor=inspector, clock=yard.clock, lot_no=lot.lot_no, ruleset=yard.ruleset)
    yard.store.close()
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    for name, text in (
        ("pw", PASSWORDS["zhang.min"]),
        ("pp", PASSPHRASES["zhang.min"]),
        ("laptop-pp", PASSPHRASES["zhao.hui"]),
    ):
        (secrets / name).write_text(text + "\n", encoding="utf-8")
    yard_dir = str(yard.data_dir.root)
    packet = tmp_path / "usb" / "L2026-00001.packet.json"
    packet.parent.mkdir()

    # On the yard PC: export.
    assert (
        run_cli(
            yard_dir,
            [
                "export-packet",
                lot.lot_no,
                "--out",
                str(packet),
                "--user",
                "zhang.min",
                "--password-file",
                str(secrets / "pw"),
                "--passphrase-file",
                str(secrets / "pp"),
            ],
        )
        == 0
    )
    exported = json.loads(capsys.readouterr().out)
    content = json.loads(packet.read_bytes())["content"]
    assert content["photos"][sha] == base64.b64encode(PHOTO).decode("ascii")
    assert content["lot_version_hash"] == exported["version_hash"]

    # On the laptop: its own data directory, holding only the supervisor's key file.
    laptop = DataDir(tmp_path / "laptop").ensure()
    with yard.store.session() as s:
        row = keys.active_personal_key(s, "zhao.hui")
        assert row is not None
        (laptop.keys / row.path).write_bytes((yard.data_dir.keys / row.path).read_bytes())
    (laptop.keys / keys.CA_CERT_FILE).write_bytes((yard.data_dir.keys / keys.CA_CERT_FILE).read_bytes())
    assert run_cli(str(laptop.root), ["open-packet", str(packet)]) == 0
    opened = json.loads(capsys.readouterr().out)
    assert opened["lot_no"] == lot.lot_no and opened["photos"] == {sha: True}
    assert opened["balance"]["net"] == 2 * 20_460 and len(opened["loads"]) == 2
    assert (
        run_cli(
            str(laptop.root),
            ["decide", str(packet), "--decision", "approve", "--passphrase-file", str(secrets / "laptop-pp")],
        )
        == 0
    )
    decided = json.loads(capsys.readouterr().out)
    decision_file = Path(decided["file"])
    assert decision_file.exists() and decided["lot_no"] == lot.lot_no

    # Back on the yard PC: import.
    assert run_cli(yard_dir, ["import-decision", str(decision_file)]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported == {
        "lot_no": lot.lot_no,
        "decision": "approve",
        "signer": "zhao.hui",
        "printed_name": "赵辉 Zhao Hui",
        "version_hash": exported["version_hash"],
    }
    assert run_cli(yard_dir, ["show", lot.lot_no]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["state"] == LotState.APPROVED.value and shown["approval_matches"] is True
    assert shown["approvals"][0]["channel"] == "packet" and shown["approvals"][0]["signature_valid"] is True

    # The same decision a second time is refused, with a reason on one line and exit code 2, in the
    # user's language.
    assert run_cli(yard_dir, ["import-decision", str(decision_file), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("yard-inspector: error: file: A decision on packet ") and "already imported" in err
    assert err.count("\n") == 1
    assert run_cli(yard_dir, ["import-decision", str(decision_file), "--lang", "zh_CN"]) == 2
    assert capsys.readouterr().err == (
        f"yard-inspector：错误（file）：审批包 {exported['packet_id'][:8]} 的决定已经导入过。\n")


def test_cli_refuses_a_wrong_password_without_traceback(
    yard: Yard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = add_loads(yard, 1)
    yard.store.close()
    (tmp_path / "pw").write_text("wrong password\n", encoding="utf-8")
    code = run_cli(
        str(yard.data_dir.root),
        ["create", "T2026-000001", "--user", "li.wei", "--password-file", str(tmp_path / "pw")],
    )
    assert code == 2 and "password" in capsys.readouterr().err
    assert ids


# --- altered or unauthorised decisions -------------------------------------------------------------


def tamper(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> bytes:
    copy = json.loads(json.dumps(document))
    change(copy)
    return packets.dumps(copy)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["payload"].update(decision="reject"), "packet.signature_invalid"),
        (
            lambda d: d["payload"].update(meaning="Approved, whatever it holds."),
            "packet.signature_invalid",
        ),
        (lambda d: d["payload"].update(lot_version_hash="0" * 64), "packet.signature_invalid"),
        (
            lambda d: d.update(signature=base64.b64encode(b"\x30" * 70).decode()),
            "packet.signature_invalid",
        ),
        (lambda d: d.update(signature="not base64!"), "packet.signature_damaged"),
        (
            lambda d: d.update(certificate="-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            "packet.certificate_damaged",
        ),
        (lambda d: d["payload"].pop("user_id"), "packet.decision_damaged"),
        (lambda d: d.update(format="something-else/1"), "packet.wrong_format"),
        (lambda d: d.update(chain=[1, 2]), "packet.chain_damaged"),
    ],
)
def test_an_altered_decision_is_refused_and_nothing_changes(
    yard: Yard, change: Callable[[dict[str, Any]], None], code: str
) -> None:
    _lot_no, packet = export(yard, add_loads(yard, 1))
    refused(yard, tamper(decide(yard, packet), change), code)


def test_garbage_is_refused(yard: Yard) -> None:
    export(yard, add_loads(yard, 1))
    err = refused(yard, b"\x00\x01 not json", "packet.not_json")
    assert err.params["what"] == packets.file_kind("decision")
    assert err.words("zh_CN") == "无法将该文件作为决定文件读取：它不是可读的 JSON（已被改动或损坏）。"


def test_a_certificate_swapped_for_another_supervisors_is_refused(yard: Yard) -> None:
    _lot_no, packet = export(yard, add_loads(yard, 1))
    other = keys.certificate_pem(laptop_signer(yard, "zhang.min").certificate)
    err = refused(yard, tamper(decide(yard, packet), lambda d: d.update(certificate=other)),
                  "packet.signature_invalid")
    assert err.words("zh_CN") == (
        "该决定文件在签名后被改动过（签名与内容不符）。请向制作该文件的人索取一份新的副本。")
    assert str(err) == (
        "file: The decision file was altered after it was signed (its signature does not match its content). "
        "Ask for a fresh copy from the person who made it.")


def test_a_decision_from_a_foreign_ca_is_refused(yard: Yard) -> None:
    _lot_no, packet = export(yard, add_loads(yard, 1))
    genuine = decide(yard, packet)
    forged = packets.sign_payload(
        {**genuine["payload"], "key_fingerprint": foreign_signer().fingerprint}, foreign_signer()
    )
    refused(yard, packets.dumps(forged), "packet.signer_foreign")


def test_a_decision_by_someone_who_weighed_the_lot_is_refused(yard: Yard) -> None:
    with yard.store.session() as s:
        mine = add_load(s, yard.clock, created_by="zhang.min").id or 0
    _lot_no, packet = export(yard, [mine])
    err = refused(yard, packets.dumps(decide(yard, packet, username="zhang.min")),
                  "packet.decision_signer_not_allowed")
    # Why, in the words of the four-eyes rule that refused it, in the reader's language.
    assert str(err).startswith("file: The signer may not decide on this lot: ")
    assert "approve this lot" in str(err)
    assert err.words("zh_CN").startswith("签署人不得对该批次作出决定：")
    assert "批准此批次" in err.words("zh_CN")


def test_a_decision_signed_with_a_revoked_key_is_refused(yard: Yard) -> None:
    _lot_no, packet = export(yard, add_loads(yard, 1))
    data = packets.dumps(decide(yard, packet))
    with yard.store.session() as s:
        row = keys.active_personal_key(s, "zhao.hui")
        assert row is not None
        keys.revoke_key(
            s,
            actor=yard.actor("admin"),
            clock=yard.clock,
            fingerprint_hex=row.fingerprint,
            reason="laptop lost",
        )
    err = refused(yard, data, "packet.decision_key_revoked")
    assert err.params["reason"] == "laptop lost" and "（laptop lost）" in err.words("zh_CN")


def test_a_decision_on_a_lot_changed_since_export_is_refused(yard: Yard) -> None:
    ids = add_loads(yard, 1)
    _lot_no, packet = export(yard, ids)
    data = packets.dumps(decide(yard, packet))
    with yard.store.session() as s:
        load = s.get(Load, ids[0])
        assert load is not None
        old = row_content(load)
        load.attributes = {**load.attributes, "treo_pct": "26.0"}
        record_change(
            s, load, actor=Actor("wang.lei", "Wang Lei"), action="load.lab", clock=yard.clock, old=old
        )
    refused(yard, data, "packet.decision_lot_changed")


def test_a_decision_on_a_lot_reopened_since_export_is_refused(yard: Yard) -> None:
    ids = add_loads(yard, 2)
    lot_no, packet = export(yard, ids[:1])
    data = packets.dumps(decide(yard, packet))
    with yard.store.session() as s:
        svc.add_loads(s, actor=yard.actor("li.wei"), clock=yard.clock, lot_no=lot_no, load_ids=ids[1:])
    err = refused(yard, data, "packet.decision_lot_not_submitted")
    assert err.words("zh_CN") == f"批次 {lot_no} 现在的状态为“草稿”，已不再等待决定。"


def test_a_rejection_from_the_laptop_rejects_the_lot(yard: Yard) -> None:
    lot_no, packet = export(yard, add_loads(yard, 1))
    import_(yard, packets.dumps(decide(yard, packet, decision="reject")))
    with yard.store.session() as s:
        lot = svc.get_lot(s, lot_no)
        assert lot.state == LotState.REJECTED.value
        assert svc.approvals(s, lot)[0].decision == "reject"


# --- altered packets are refused on the laptop -----------------------------------------------------


def test_an_altered_packet_is_refused_on_the_laptop(yard: Yard) -> None:
    ids = add_loads(yard, 1)
    add_photo(yard, ids[0])
    _lot_no, packet = export(yard, ids)
    document = json.loads(packet)

    def lighter(d: dict[str, Any]) -> None:
        d["content"]["lot_document"]["loads"][0]["net"] -= 1000

    for change in (lighter, lambda d: d["content"].update(lot_version_hash="f" * 64)):
        with pytest.raises(packets.PacketRefusedError) as err:
            decide(yard, tamper(document, change))
        assert err.value.code == "packet.signature_invalid"
        assert err.value.params["what"] == packets.file_kind("packet")
        assert err.value.words("zh_CN").startswith("该审批包在签名后被改动过")
    # Re-signed with a yard key but with a photo that is not the photo it names: still refused.
    content = json.loads(json.dumps(document["content"]))
    sha = next(iter(content["photos"]))
    content["photos"][sha] = base64.b64encode(b"another picture").decode("ascii")
    with yard.store.session() as s:
        signer = keys.load_signer(
            s,
            data_dir=yard.data_dir,
            username="zhang.min",
            passphrase=PASSPHRASES["zhang.min"],
            clock=yard.clock,
        )
    resigned = packets.seal("content", packets.PACKET_FORMAT, content, signer)
    with pytest.raises(packets.PacketRefusedError) as err:
        decide(yard, packets.dumps(resigned))
    assert err.value.code == "packet.photo_hash_mismatch" and err.value.params["photo"] == f"{sha[:12]}…"
    # Signed by a key from another CA: the laptop's own key file names the yard CA it trusts.
    forged = packets.seal("content", packets.PACKET_FORMAT, document["content"], foreign_signer("zhang.min"))
    with pytest.raises(packets.PacketRefusedError) as err:
        decide(yard, packets.dumps(forged))
    assert err.value.code == "packet.signer_foreign"


def test_cli_create_submit_queue_sign_and_list(
    yard: Yard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with yard.store.session() as s:
        tickets = [add_load(s, yard.clock).ticket_no for _ in range(2)]
    yard.store.close()
    root = str(yard.data_dir.root)
    for name, text in (
        ("li", PASSWORDS["li.wei"]),
        ("zh", PASSWORDS["zhao.hui"]),
        ("pp", PASSPHRASES["zhao.hui"]),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert (
        run_cli(root, ["create", *tickets, "--user", "li.wei", "--password-file", str(tmp_path / "li")]) == 0
    )
    lot_no = json.loads(capsys.readouterr().out)["lot_no"]
    assert run_cli(root, ["submit", lot_no, "--user", "li.wei", "--password-file", str(tmp_path / "li")]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "submitted"
    assert run_cli(root, ["queue"]) == 0
    queue = json.loads(capsys.readouterr().out)
    assert [q["lot_no"] for q in queue["lots"]] == [lot_no] and queue["held_loads"] == []
    assert queue["lots"][0]["balance"]["net"] == 2 * 20_460
    argv = ["sign", lot_no, "--decision", "approve", "--user", "zhao.hui"]
    assert (
        run_cli(
            root, [*argv, "--password-file", str(tmp_path / "zh"), "--passphrase-file", str(tmp_path / "pp")]
        )
        == 0
    )
    signed = json.loads(capsys.readouterr().out)
    assert signed["state"] == "approved" and signed["decision"] == "approve"
    assert run_cli(root, ["list", "--state", "approved"]) == 0
    assert json.loads(capsys.readouterr().out)["lot_no"] == lot_no
