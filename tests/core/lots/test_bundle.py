"""The supervisor bundle and the laptop it sets up: export on the yard PC (checked passphrase, audited),
refusal of a changed bundle, set-up of a laptop data directory that holds no yard, packets refused once
expired, and the command line's round trip with only the laptop's directory."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from inspector import cli
from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.errors import PermissionDeniedError, UserError
from inspector.lots import bundle, packets
from inspector.lots.bundle import BundleRefusedError
from inspector.queries import laptop as laptop_queries
from inspector.security import keys
from inspector.services import lots as svc
from inspector.states import LotState
from inspector.storage.db import open_store
from inspector.storage.models.audit import AuditEvent
from tests.core.lots.conftest import PASSPHRASES, PASSWORDS, Yard, add_loads
from tests.core.lots.test_packets import export

SUPERVISOR = "zhao.hui"


def export_bundle(yard: Yard, out: Path, *, username: str = SUPERVISOR,
                  passphrase: str | None = None) -> Path:
    with yard.store.session() as s:
        return bundle.export_supervisor_bundle(
            s, actor=yard.actor(username), clock=yard.clock, data_dir=yard.data_dir,
            passphrase=PASSPHRASES[username] if passphrase is None else passphrase, out=out)


def tampered(data: bytes, change: Any) -> bytes:
    document = json.loads(data)
    change(document)
    return json.dumps(document).encode("utf-8")


# --- the bundle -------------------------------------------------------------------------------------------


def test_a_supervisor_exports_their_own_bundle_and_it_is_audited(yard: Yard, tmp_path: Path) -> None:
    out = export_bundle(yard, tmp_path / "usb" / "zhao.hui.bundle.json")
    document = json.loads(out.read_bytes().decode("utf-8"))
    assert document["format"] == bundle.BUNDLE_FORMAT
    content = document["content"]
    assert content["user_id"] == SUPERVISOR and content["printed_name"] == "赵辉 Zhao Hui"
    assert content["role"] == "supervisor" and content["yard"]["legal_name"] == "赣州示范回收站"
    assert content["packet_valid_days"] == bundle.DEFAULT_PACKET_VALID_DAYS
    assert content["ca_certificate"] == (yard.data_dir.keys / keys.CA_CERT_FILE).read_text(encoding="ascii")
    with yard.store.session() as s:
        row = keys.active_personal_key(s, SUPERVISOR)
        assert row is not None
        assert base64.b64decode(content["key_file"]) == (yard.data_dir.keys / row.path).read_bytes()
        events = list(s.execute(select(AuditEvent).where(col(AuditEvent.action) == "key.export_bundle"))
                      .scalars())
    assert [(e.actor, e.entity_id) for e in events] == [(SUPERVISOR, row.fingerprint)]
    # Nothing in it names a folder of the yard PC.
    assert str(yard.data_dir.root) not in out.read_text(encoding="utf-8")
    if os.name == "posix":
        assert out.stat().st_mode & 0o077 == 0


def test_a_wrong_passphrase_is_said_at_once_and_nothing_is_written(yard: Yard, tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    with pytest.raises(UserError) as err:
        export_bundle(yard, out, passphrase="not the passphrase at all")
    assert err.value.field == "passphrase" and not out.exists()


def test_only_a_supervisor_exports_a_bundle(yard: Yard, tmp_path: Path) -> None:
    with pytest.raises(PermissionDeniedError):
        export_bundle(yard, tmp_path / "bundle.json", username="li.wei", passphrase="whatever it is")


def test_the_yard_sets_how_long_packets_stay_valid(yard: Yard, tmp_path: Path) -> None:
    with yard.store.session() as s:
        bundle.set_packet_valid_days(s, actor=yard.actor("admin"), clock=yard.clock, days=3)
        with pytest.raises(UserError) as err:
            bundle.set_packet_valid_days(s, actor=yard.actor("admin"), clock=yard.clock, days=0)
        assert err.value.code == "laptop.packet_days_range"
        with pytest.raises(PermissionDeniedError):
            bundle.set_packet_valid_days(s, actor=yard.actor(SUPERVISOR), clock=yard.clock, days=5)
    out = export_bundle(yard, tmp_path / "bundle.json")
    assert json.loads(out.read_bytes())["content"]["packet_valid_days"] == 3


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["content"].update(user_id="zhang.min"), "laptop.bundle_altered"),
        (lambda d: d["content"].update(printed_name="Someone Else"), "laptop.bundle_altered"),
        (lambda d: d["content"].update(packet_valid_days=365), "laptop.bundle_altered"),
        (lambda d: d["content"]["yard"].update(legal_name="另一个堆场"), "laptop.bundle_altered"),
        (lambda d: d["content"].update(role="admin"), "laptop.bundle_altered"),
        (lambda d: d.update(signature=base64.b64encode(b"\x30" * 70).decode()), "laptop.bundle_altered"),
        (lambda d: d["content"].update(key_file="not base64!"), "laptop.bundle_damaged"),
        (lambda d: d["content"].pop("ca_certificate"), "laptop.bundle_damaged"),
        (lambda d: d.update(format="yard-inspector-approval-packet/1"), "laptop.bundle_not_a_bundle"),
    ],
)
def test_a_changed_bundle_is_refused_and_sets_nothing_up(yard: Yard, tmp_path: Path, change: Any,
                                                         code: str) -> None:
    data = export_bundle(yard, tmp_path / "bundle.json").read_bytes()
    laptop = DataDir(tmp_path / "laptop")
    with pytest.raises(BundleRefusedError) as err:
        bundle.setup_laptop(tampered(data, change), passphrase=PASSPHRASES[SUPERVISOR], data_dir=laptop)
    assert err.value.code == code and err.value.field == "file"
    assert not laptop.root.exists()


def test_a_bundle_with_another_yards_ca_is_refused(yard: Yard, tmp_path: Path) -> None:
    data = export_bundle(yard, tmp_path / "bundle.json").read_bytes()
    from tests.core.lots.test_packets import foreign_signer

    other_ca = keys.certificate_pem(foreign_signer().chain[0])
    with pytest.raises(BundleRefusedError) as err:
        bundle.setup_laptop(tampered(data, lambda d: d["content"].update(ca_certificate=other_ca)),
                            passphrase=PASSPHRASES[SUPERVISOR], data_dir=DataDir(tmp_path / "laptop"))
    assert err.value.code == "laptop.bundle_foreign_key"


def test_garbage_and_a_wrong_passphrase_are_refused_at_setup(yard: Yard, tmp_path: Path) -> None:
    laptop = DataDir(tmp_path / "laptop")
    with pytest.raises(BundleRefusedError) as err:
        bundle.setup_laptop(b"\x00\x01 not json", passphrase="x", data_dir=laptop)
    assert err.value.code == "laptop.bundle_not_a_bundle"
    data = export_bundle(yard, tmp_path / "bundle.json").read_bytes()
    with pytest.raises(UserError) as wrong:
        bundle.setup_laptop(data, passphrase="the wrong passphrase", data_dir=laptop)
    assert wrong.value.code == "packet.passphrase_wrong" and not laptop.root.exists()


# --- the laptop -------------------------------------------------------------------------------------------


def test_setup_writes_a_laptop_directory_without_a_yard(yard: Yard, tmp_path: Path) -> None:
    data = export_bundle(yard, tmp_path / "bundle.json").read_bytes()
    laptop = DataDir(tmp_path / "laptop")
    profile = bundle.setup_laptop(data, passphrase=PASSPHRASES[SUPERVISOR], data_dir=laptop)
    assert (profile.user_id, profile.printed_name) == (SUPERVISOR, "赵辉 Zhao Hui")
    assert profile.role == "supervisor"
    assert profile.yard_name == "赣州示范回收站" and profile.packet_valid_days == 14
    assert laptop.is_laptop and not laptop.is_empty and not laptop.database.exists()
    assert bundle.laptop_profile(laptop) == profile
    written = sorted(str(p.relative_to(laptop.root)) for p in laptop.root.rglob("*") if p.is_file())
    assert written == sorted(["keys/yard-ca.pem", f"keys/{profile.key_file}", "laptop.json"])
    assert profile.key_file.startswith("zhao.hui-") and profile.key_file.endswith(".p12")
    for path in laptop.root.rglob("*"):
        assert not set(path.name) & set('<>:"\\|?*') and len(path.name.encode("utf-8")) <= 255
    stored = json.loads(laptop.laptop_profile.read_text(encoding="utf-8"))
    assert stored["format"] == bundle.PROFILE_FORMAT
    assert str(tmp_path) not in laptop.laptop_profile.read_text(encoding="utf-8")
    # The key opens with the passphrase and is the yard's.
    key = (laptop.keys / profile.key_file).read_bytes()
    signer = packets.signer_from_pkcs12(key, PASSPHRASES[SUPERVISOR])
    assert keys.issued_by(signer.certificate, keys.load_pem_certificate(
        (laptop.keys / keys.CA_CERT_FILE).read_bytes()))


def test_setup_refuses_a_yard_or_a_laptop_already_set_up(yard: Yard, tmp_path: Path) -> None:
    data = export_bundle(yard, tmp_path / "bundle.json").read_bytes()
    before = sorted(p.name for p in yard.data_dir.keys.iterdir())
    with pytest.raises(UserError) as err:
        bundle.setup_laptop(data, passphrase=PASSPHRASES[SUPERVISOR], data_dir=yard.data_dir)
    assert err.value.code == "laptop.directory_holds_yard"
    assert sorted(p.name for p in yard.data_dir.keys.iterdir()) == before and not yard.data_dir.is_laptop
    laptop = DataDir(tmp_path / "laptop")
    bundle.setup_laptop(data, passphrase=PASSPHRASES[SUPERVISOR], data_dir=laptop)
    with pytest.raises(UserError) as again:
        bundle.setup_laptop(data, passphrase=PASSPHRASES[SUPERVISOR], data_dir=laptop)
    assert again.value.code == "laptop.already_set_up"


def test_file_names_are_fat32_safe() -> None:
    assert bundle.fat_safe_name('L2026:00001?"packet".json') == "L2026_00001__packet_.json"
    assert bundle.fat_safe_name("a. ") == "a"
    long = bundle.fat_safe_name("批" * 200 + ".decision.json")
    assert len(long.encode("utf-8")) <= 255 and long.endswith(".json")
    assert bundle.fat_safe_name("///") == "___" and bundle.fat_safe_name("..") == "file"


def test_packets_older_than_the_yards_period_are_refused_on_the_laptop_and_at_the_yard(
        yard: Yard, tmp_path: Path) -> None:
    lot_no, packet = export(yard, add_loads(yard, 1))
    signer = packets.signer_from_pkcs12(
        base64.b64decode(json.loads(export_bundle(yard, tmp_path / "b.json").read_bytes())["content"]
                         ["key_file"]), PASSPHRASES[SUPERVISOR])
    laptop = DataDir(tmp_path / "laptop").ensure()
    store = open_store(laptop, backup=False)
    late = FixedClock(yard.clock.now().utc)
    late.advance(days=15)
    try:
        with store.session() as s, pytest.raises(packets.PacketRefusedError) as err:
            svc.decide_packet(s, clock=late, packet_data=packet, signer=signer, decision="approve",
                              meaning=None, valid_days=14)
        assert err.value.code == "laptop.packet_expired"
        assert "expired" in err.value.words("en") and "过期" in err.value.words("zh_CN")
        # Within the period it is signed; at the yard, a decision signed after the period is refused.
        on_time = FixedClock(yard.clock.now().utc)
        on_time.advance(days=13)
        with store.session() as s:
            data, _payload = svc.decide_packet(s, clock=on_time, packet_data=packet, signer=signer,
                                               decision="approve", meaning=None, valid_days=14)
            decided = laptop_queries.decided_packets(s)
        assert [(d.lot_no, d.decision) for d in decided] == [(lot_no, "approve")]
        with store.session() as s:
            stale, _ = svc.decide_packet(s, clock=late, packet_data=packet, signer=signer,
                                         decision="approve", meaning=None)
    finally:
        store.close()
    with yard.store.session() as s, pytest.raises(packets.PacketRefusedError) as refused:
        svc.import_decision(s, clock=yard.clock, data=stale, data_dir=yard.data_dir)
    assert refused.value.code == "laptop.decision_after_expiry"
    with yard.store.session() as s:
        svc.import_decision(s, clock=yard.clock, data=data, data_dir=yard.data_dir)
        assert svc.get_lot(s, lot_no).state == LotState.APPROVED.value


# --- the command line -------------------------------------------------------------------------------------


def test_cli_export_bundle_setup_and_decide_with_only_the_laptop_directory(
        yard: Yard, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Exported a minute ago by the real clock: the laptop decides it by the real clock.
    yard.clock.advance(seconds=(datetime.now(UTC) - yard.clock.now().utc).total_seconds() - 60)
    lot_no, packet_data = export(yard, add_loads(yard, 2))
    yard.store.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    packet = usb / f"{lot_no}.packet.json"
    packet.write_bytes(packet_data)
    secrets = tmp_path / "secrets.json"
    secrets.write_text(json.dumps({"password": PASSWORDS[SUPERVISOR],
                                   "key_passphrase": PASSPHRASES[SUPERVISOR]}), encoding="utf-8")
    passphrase = tmp_path / "pp"
    passphrase.write_text(PASSPHRASES[SUPERVISOR] + "\n", encoding="utf-8")
    bundle_file = usb / "zhao.hui.bundle.json"

    # On the yard PC.
    assert cli.main(["keys", "export-bundle", "--data-dir", str(yard.data_dir.root), "--as", SUPERVISOR,
                     "--secrets-file", str(secrets), "--out", str(bundle_file)]) == 0
    assert json.loads(capsys.readouterr().out) == {"user": SUPERVISOR, "file": str(bundle_file)}

    # On the laptop: set up from the bundle, then decide with nothing but that directory.
    laptop = tmp_path / "laptop"
    assert cli.main(["laptop", "setup", str(bundle_file), "--data-dir", str(laptop),
                     "--passphrase-file", str(passphrase)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["user_id"] == SUPERVISOR and shown["data_dir"] == str(laptop)
    assert cli.main(["laptop", "show", "--data-dir", str(laptop)]) == 0
    assert json.loads(capsys.readouterr().out)["packet_valid_days"] == 14
    assert cli.main(["lots", "decide", str(packet), "--data-dir", str(laptop), "--decision", "approve",
                     "--passphrase-file", str(passphrase)]) == 0
    decided = json.loads(capsys.readouterr().out)
    assert decided["lot_no"] == lot_no and Path(decided["file"]).parent == usb

    # Setting it up again, or on the yard, is refused in words.
    assert cli.main(["laptop", "setup", str(bundle_file), "--data-dir", str(laptop),
                     "--passphrase-file", str(passphrase), "--lang", "en"]) == 2
    assert "already a supervisor's laptop" in capsys.readouterr().err
    assert cli.main(["laptop", "setup", str(bundle_file), "--data-dir", str(yard.data_dir.root),
                     "--passphrase-file", str(passphrase), "--lang", "zh_CN"]) == 2
    assert "堆场" in capsys.readouterr().err

    # Back at the yard, the decision imports.
    assert cli.main(["lots", "import-decision", decided["file"], "--data-dir", str(yard.data_dir.root)]) == 0
    assert json.loads(capsys.readouterr().out)["decision"] == "approve"


def test_cli_refuses_an_expired_packet_on_the_laptop(yard: Yard, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with yard.store.session() as s:
        bundle.set_packet_valid_days(s, actor=yard.actor("admin"), clock=yard.clock, days=1)
    bundle_file = export_bundle(yard, tmp_path / "bundle.json")
    # The packet was exported in the yard's fixed past (March 2026): more than a day before now.
    lot_no, packet_data = export(yard, add_loads(yard, 1))
    packet = tmp_path / f"{lot_no}.packet.json"
    packet.write_bytes(packet_data)
    passphrase = tmp_path / "pp"
    passphrase.write_text(PASSPHRASES[SUPERVISOR] + "\n", encoding="utf-8")
    laptop = tmp_path / "laptop"
    assert cli.main(["laptop", "setup", str(bundle_file), "--data-dir", str(laptop),
                     "--passphrase-file", str(passphrase)]) == 0
    capsys.readouterr()
    assert cli.main(["lots", "decide", str(packet), "--data-dir", str(laptop), "--decision", "approve",
                     "--passphrase-file", str(passphrase), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "This approval packet expired" in err and "for 1 days" in err
    assert not packet.with_suffix(".decision.json").exists()
