"""The command line of the weigh ticket: ``ticket TICKET --out FILE.pdf [--format] --as USER`` (added to a
command group by ``add_ticket_command``; the ``loads`` group wires it in), ``keys station-ticket`` and
``verify --qr`` with a ticket's QR. Bad input exits 2 naming the field, and nothing is recorded."""

from __future__ import annotations

import argparse
import base64
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspector.certificates.qr import make_ticket_qr_text
from inspector.cli import main
from inspector.cli.tickets import add_ticket_command
from inspector.security import keys
from inspector.services import certificates as certificate_svc
from inspector.services import tickets as svc
from tests.core.certificates.ticket_yard import (
    ADMIN,
    ADMIN_PASSWORD,
    CA_PASSPHRASE,
    INSPECTOR,
    INSPECTOR_PASSWORD,
    PLATE,
    TicketYard,
    build_ticket_yard,
    weigh_out,
)

GROUP = "ticket-test-group"  # not "loads": that group is the command line's own


def _group(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
           common: argparse.ArgumentParser) -> None:
    """A command group holding the ticket command, as the ``loads`` group holds it."""
    signed = argparse.ArgumentParser(add_help=False)
    signed.add_argument("--as", dest="as_user", metavar="USER", required=True)
    signed.add_argument("--secrets-file", dest="secrets_file", metavar="FILE")
    group = subparsers.add_parser(GROUP, parents=[common])
    sub = group.add_subparsers(dest="group_command", metavar="ACTION", required=True)
    add_ticket_command(sub, common, signed)


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ticket-cli") / "yard"
    yard = build_ticket_yard(root)
    weigh_out(yard)
    yard.store.close()
    return root


@pytest.fixture
def yard(template: Path, tmp_path: Path) -> Iterator[TicketYard]:
    from inspector.clock import FixedClock
    from inspector.datadir import DataDir
    from inspector.storage.db import open_store
    from tests.core.certificates.ticket_yard import START

    root = tmp_path / "yard"
    shutil.copytree(template, root)
    keys.clear_signer_cache()
    store = open_store(DataDir(root), backup=False)
    yield TicketYard(store=store, data_dir=DataDir(root), clock=FixedClock(START), load_id=1)
    store.close()
    keys.clear_signer_cache()


def secrets(tmp_path: Path, **values: str) -> str:
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps(values))
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), extra=[_group])
    out, err = capsys.readouterr()
    return code, out, err


def ticket_args(yard: TicketYard, tmp_path: Path, *extra: str, ticket: str = "T2026-000001",
                out: str = "ticket.pdf") -> list[str]:
    return [GROUP, "ticket", ticket, "--out", str(tmp_path / out), "--as", INSPECTOR,
            "--secrets-file", secrets(tmp_path, password=INSPECTOR_PASSWORD),
            "--data-dir", str(yard.data_dir.root), *extra]


def prints(yard: TicketYard) -> int:
    with yard.store.session() as session:
        return svc.print_count(session, yard.load_id)


def test_the_ticket_is_written_and_each_one_counted(capsys: pytest.CaptureFixture[str], yard: TicketYard,
                                                    tmp_path: Path) -> None:
    code, out, err = run(capsys, *ticket_args(yard, tmp_path, ticket=" t2026-000001 "))
    assert (code, err) == (0, "")
    assert out == f"Wrote weigh ticket T2026-000001 (A4, copy 1) to {tmp_path / 'ticket.pdf'}\n"
    assert len(PdfReader(tmp_path / "ticket.pdf").pages) == 1
    code, out, _ = run(capsys, *ticket_args(yard, tmp_path, "--format", "80mm", "--lang", "zh_CN",
                                            out="copy.pdf"))
    assert code == 0
    assert out == f"已将磅单 T2026-000001（80 毫米热敏纸，第 2 份）写入 {tmp_path / 'copy.pdf'}\n"
    text = PdfReader(io.BytesIO((tmp_path / "copy.pdf").read_bytes())).pages[0].extract_text()
    assert "副本 COPY 2" in text
    assert prints(yard) == 2


@pytest.mark.parametrize(("extra", "ticket", "out", "field", "said"), [
    (("--format", "letter"), "T2026-000001", "t.pdf", "--format", "“letter” is not a ticket paper"),
    ((), "T2026-999999", "t.pdf", "TICKET", "There is no load with the ticket T2026-999999."),
    ((), "T2026-000001", ".", "--out", "is a folder."),
])
def test_bad_input_exits_2_naming_the_field_and_records_nothing(
        capsys: pytest.CaptureFixture[str], yard: TicketYard, tmp_path: Path, extra: tuple[str, ...],
        ticket: str, out: str, field: str, said: str) -> None:
    code, stdout, err = run(capsys, *ticket_args(yard, tmp_path, *extra, ticket=ticket, out=out))
    assert code == 2 and stdout == ""
    assert err.startswith(f"yard-inspector: error: {field}: ") and said in err
    assert prints(yard) == 0
    assert not (tmp_path / "t.pdf").exists()


def test_an_unsigned_station_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    unsealed = build_ticket_yard(tmp_path / "unsealed", seal=False)
    try:
        code, out, _ = run(capsys, *ticket_args(unsealed, tmp_path))
        assert code == 0
        assert out.splitlines()[1] == ("The ticket is not signed: this station has no ticket-signing key "
                                       "(an administrator runs yard-inspector keys station-ticket).")
        # The administrator makes the key with the CA passphrase; the next ticket is sealed.
        admin = secrets(tmp_path, password=ADMIN_PASSWORD, ca_passphrase=CA_PASSPHRASE)
        code, out, err = run(capsys, "keys", "station-ticket", "--as", ADMIN, "--secrets-file", admin,
                             "--name", "Scale house 2", "--data-dir", str(unsealed.data_dir.root))
        assert (code, err) == (0, "")
        assert out.startswith("Ticket-signing key of this station issued: "
                              "O=Nanling,CN=Ticket seal Scale house 2, valid until ")
        code, out, _ = run(capsys, *ticket_args(unsealed, tmp_path, out="sealed.pdf"))
        assert code == 0 and len(out.splitlines()) == 1
    finally:
        unsealed.store.close()


def test_the_station_key_command_refuses_a_non_administrator(
        capsys: pytest.CaptureFixture[str], yard: TicketYard, tmp_path: Path) -> None:
    with yard.store.session() as session:
        before = len(keys.station_keys(session))
    code, out, err = run(capsys, "keys", "station-ticket", "--as", INSPECTOR, "--secrets-file",
                         secrets(tmp_path, password=INSPECTOR_PASSWORD, ca_passphrase=CA_PASSPHRASE),
                         "--data-dir", str(yard.data_dir.root))
    assert code == 2 and out == ""
    assert "may not issue signing keys" in err
    code, _, err = run(capsys, "keys", "station-ticket", "--as", ADMIN, "--secrets-file",
                       secrets(tmp_path, password=ADMIN_PASSWORD, ca_passphrase="wrong passphrase 1"),
                       "--data-dir", str(yard.data_dir.root))
    assert code == 2 and err.startswith("yard-inspector: error: passphrase: Wrong passphrase for the yard CA")
    with yard.store.session() as session:
        assert len(keys.station_keys(session)) == before


def _qr(yard: TicketYard) -> str:
    with yard.store.session() as session:
        data = svc.build_ticket_data(session, load_id=yard.load_id, printed=yard.clock.now(), printed_by="x",
                                     data_dir=yard.data_dir)
        seal = keys.load_station_signer(session, data_dir=yard.data_dir, clock=yard.clock)
    assert seal is not None
    return make_ticket_qr_text(data, certificate_svc.certificate_signer(seal))


def test_verify_accepts_a_ticket_qr_and_says_what_it_says(capsys: pytest.CaptureFixture[str],
                                                           yard: TicketYard) -> None:
    qr = _qr(yard)
    code, out, _ = run(capsys, "verify", "--qr", qr, "--data-dir", str(yard.data_dir.root))
    assert code == 0
    assert out == (f"VALID: weigh ticket T2026-000001, plate {PLATE}, gross 32,480 kg, tare 12,020 kg, "
                   "net 20,460 kg, weighed out 2026-03-02 15:05 UTC+08:00. "
                   "Sealed by Ticket seal Scale house 1, this station's ticket-signing key, "
                   "chained to the yard CA. "
                   "Load T2026-000001 is in this yard's records and says what the ticket says.\n")
    code, out, _ = run(capsys, "verify", "--qr", qr, "--data-dir", str(yard.data_dir.root), "--lang", "zh_CN")
    assert code == 0
    assert out == (f"有效：磅单 T2026-000001，车牌号 {PLATE}，毛重 32,480 kg，皮重 12,020 kg，"
                   "净重 20,460 kg，回皮时间 2026年03月02日 15:05 北京时间 UTC+08:00。"
                   "由本站磅单签章密钥 Ticket seal Scale house 1 签章，可追溯至本堆场 CA。"
                   "车次 T2026-000001 在本堆场记录中，与磅单内容一致。\n")
    code, out, _ = run(capsys, "verify", "--qr", qr, "--data-dir", str(yard.data_dir.root), "--json")
    document = json.loads(out)
    assert code == 0 and document["valid"] is True and document["code"] == "verify.qr.ticket_valid"
    assert (document["ticket_no"], document["net"], document["weighed_out_at"]) == (
        "T2026-000001", 20460, "2026-03-02T15:05:00+08:00")


def test_verify_refuses_a_tampered_ticket_qr(capsys: pytest.CaptureFixture[str], yard: TicketYard) -> None:
    prefix, payload, signature = _qr(yard).split(".")
    fields = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    fields["p"] = "赣B0000X"
    forged = base64.urlsafe_b64encode(json.dumps(fields, sort_keys=True, separators=(",", ":"),
                                                 ensure_ascii=False).encode()).rstrip(b"=").decode()
    code, out, _ = run(capsys, "verify", "--qr", f"{prefix}.{forged}.{signature}", "--data-dir",
                       str(yard.data_dir.root))
    assert code == 1
    assert out.startswith("INVALID: The QR signature does not match its content (changed or forged). "
                          "It claims: weigh ticket T2026-000001, plate 赣B0000X")


def test_verify_says_when_the_ticket_is_of_a_cancelled_load(capsys: pytest.CaptureFixture[str],
                                                            yard: TicketYard) -> None:
    from inspector.services import yard as yard_svc
    from inspector.states import LoadState
    from inspector.storage.models.core import Load
    from tests.core.certificates.ticket_yard import INSPECTOR_ACTOR

    with yard.store.session() as session:
        load = session.get(Load, yard.load_id)
        assert load is not None
        yard_svc.set_load_state(session, load, LoadState.CANCELLED, actor=INSPECTOR_ACTOR, clock=yard.clock)
    code, out, _ = run(capsys, "verify", "--qr", _qr(yard), "--data-dir", str(yard.data_dir.root),
                       "--lang", "en")
    # The seal holds, but a cancelled load's ticket receipts no delivery: not in force.
    assert code == 1
    assert out.startswith("INVALID: Load T2026-000001 was CANCELLED")
    assert "weighed out 2026-03-02 15:05 UTC+08:00; the load is CANCELLED" in out
