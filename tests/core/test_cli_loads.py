"""The command-line contract of ``loads list|show|amend|cancel``: the same services as the window, output in
the user's language or as JSON, and bad input that exits 2 naming the field with nothing changed."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.intake.steps import Step
from inspector.security import users
from inspector.security.actor import SYSTEM, Role
from inspector.services import yard as yard_svc
from inspector.storage.db import open_store
from tests.core.intake.conftest import USCC, walk_to
from tests.core.intake.conftest import Yard as IntakeYard

PASSWORDS = {"li.wei": "li wei's own password", "zhang.min": "zhang min's own password"}


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands speak the locale's language; these tests read English unless they pass --lang."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A yard with an inspector and a supervisor who can sign in, one load weighed in (T2026-000001) and
    one weighed out (T2026-000002)."""
    from datetime import UTC, datetime

    root = tmp_path_factory.mktemp("cli-loads") / "yard"
    data_dir = DataDir(root).ensure()
    store = open_store(data_dir, backup=False)
    clock = FixedClock(datetime(2026, 3, 2, 8, 30, tzinfo=UTC), offset_minutes=480)
    with store.session() as s:
        users.create_user(s, actor=SYSTEM, clock=clock, username="li.wei", display_name="李伟 Li Wei",
                          roles=[Role.INSPECTOR], password=PASSWORDS["li.wei"], must_change_password=False)
        users.create_user(s, actor=SYSTEM, clock=clock, username="zhang.min", display_name="张敏 Zhang Min",
                          roles=[Role.SUPERVISOR], password=PASSWORDS["zhang.min"],
                          must_change_password=False)
        yard_svc.create_yard(s, actor=SYSTEM, clock=clock, legal_name="测试回收有限公司")
        supplier = yard_svc.add_supplier(s, actor=SYSTEM, clock=clock, name="供应商甲", uscc=USCC)
        yard_svc.add_scale(s, actor=SYSTEM, clock=clock, scale_id="WB-1", division=10, capacity=80000)
    intake = IntakeYard(store, clock, supplier.id or 0)
    walk_to(intake, Step.GATE)
    walk_to(intake, Step.TARE)
    store.close()
    return root


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Iterator[DataDir]:
    root = tmp_path / "yard"
    shutil.copytree(template, root)
    yield DataDir(root)


def run(capsys: pytest.CaptureFixture[str], data_dir: DataDir, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--data-dir", str(data_dir.root)])
    out, err = capsys.readouterr()
    return code, out, err


def secrets(tmp_path: Path, **values: str) -> str:
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    return str(path)


@pytest.fixture
def signed(tmp_path: Path) -> list[str]:
    """Signed in as the inspector, with the supervisor's password at hand for --confirmed-by."""
    return ["--as", "li.wei", "--secrets-file",
            secrets(tmp_path, password=PASSWORDS["li.wei"], confirmer_password=PASSWORDS["zhang.min"])]


def load_rows(data_dir: DataDir) -> list[tuple[object, ...]]:
    con = sqlite3.connect(data_dir.database)
    try:
        return con.execute("SELECT * FROM load ORDER BY id").fetchall()
    finally:
        con.close()


def corrections_in_trail(data_dir: DataDir) -> int:
    con = sqlite3.connect(data_dir.database)
    try:
        return int(con.execute("SELECT count(*) FROM audit_event WHERE action IN "
                               "('load.amend', 'load.cancelled', 'cancellation.create')").fetchone()[0])
    finally:
        con.close()


def test_list_and_show_in_words_and_as_json(capsys: pytest.CaptureFixture[str], data_dir: DataDir) -> None:
    code, out, err = run(capsys, data_dir, "loads", "list")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "T2026-000001  Weighed in  赣B12345  供应商甲  NDFEB-PS  —",
        "T2026-000002  Weighed out  赣B12345  供应商甲  NDFEB-PS  20,020 kg",
    ]
    code, out, _ = run(capsys, data_dir, "loads", "list", "--state", "weighed_out", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["ticket"], r["state"], r["net"], r["unit"]) for r in rows] == [
        ("T2026-000002", "weighed_out", 20020, "kg")]
    code, out, _ = run(capsys, data_dir, "loads", "list", "--state", "cancelled")
    assert (code, out) == (0, "No loads.\n")
    code, out, _ = run(capsys, data_dir, "loads", "show", "t2026-000002", "--lang", "zh_CN")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "磅单号 T2026-000002（已过磅（出））"
    assert lines[1] == "车牌 赣B12345，司机 张三，供货单位 供应商甲（91350100M000100Y43）"
    assert "毛重 32,480 kg，皮重 12,460 kg，净重 20,020 kg" in lines
    assert "  来源：生产加工" in lines
    code, out, _ = run(capsys, data_dir, "loads", "show", "T2026-000002", "--json")
    shown = json.loads(out)
    assert (shown["ticket"], shown["net"], shown["amendments"], shown["cancellation"]) == (
        "T2026-000002", 20020, [], None)


def test_amend_a_load_weighed_in(capsys: pytest.CaptureFixture[str], data_dir: DataDir,
                                 signed: list[str]) -> None:
    code, out, err = run(capsys, data_dir, "loads", "amend", "T2026-000001", "--field", "driver", "--value",
                         "李四", "--reason", "name misheard at the gate", *signed)
    assert (code, err) == (0, "")
    assert out == "Load T2026-000001: Driver changed from 张三 to 李四.\n"
    code, out, _ = run(capsys, data_dir, "loads", "amend", "T2026-000001", "--field", "inclusions_pct",
                       "--value", "1.5", "--reason", "estimated again", "--json", *signed)
    result = json.loads(out)
    assert code == 0 and (result["old"], result["new"], result["confirmed_by"]) == ("1.0", "1.5", None)
    code, out, _ = run(capsys, data_dir, "loads", "show", "T2026-000001")
    assert code == 0
    # The command line's clock is the PC's: the time is whatever it was.
    assert re.search(r"^Amended by li\.wei at \d{4}-\d\d-\d\d \d\d:\d\d: Driver 张三 → 李四\. "
                     r"Reason: name misheard at the gate$", out, re.MULTILINE)
    assert "Reason: estimated again" in out and "1.0 % → 1.5 %" in out


def test_after_weigh_out_the_supervisor_confirms(capsys: pytest.CaptureFixture[str], data_dir: DataDir,
                                                 signed: list[str]) -> None:
    before = load_rows(data_dir)
    code, out, err = run(capsys, data_dir, "loads", "amend", "T2026-000002", "--field", "plate", "--value",
                         "赣B 54321", "--reason", "plate misread at the gate", *signed)
    assert (code, out) == (2, "")
    assert err == ("yard-inspector: error: --confirmed-by: Load T2026-000002 was weighed out, classified "
                   "or put in a lot: a correction needs a supervisor's confirmation. Ask a supervisor to "
                   "confirm it in person.\n")
    assert load_rows(data_dir) == before and corrections_in_trail(data_dir) == 0
    code, out, err = run(capsys, data_dir, "loads", "amend", "T2026-000002", "--field", "plate", "--value",
                         "赣B 54321", "--reason", "plate misread at the gate", "--confirmed-by", "zhang.min",
                         "--lang", "zh_CN", *signed)
    assert (code, err) == (0, "")
    assert out == "车次 T2026-000002：车牌号 由 赣B12345 改为 赣B54321。\n"
    code, out, _ = run(capsys, data_dir, "loads", "show", "T2026-000002", "--json")
    amendment = json.loads(out)["amendments"][0]
    assert (amendment["by"], amendment["confirmed_by"], amendment["reason"]) == (
        "li.wei", "zhang.min", "plate misread at the gate")
    assert amendment["changes"] == [{"field": "plate", "old": "赣B12345", "new": "赣B54321", "old_name": None,
                                     "new_name": None}]


@pytest.mark.parametrize(("argv", "field"), [
    (["--field", "plate", "--value", "赣B!!", "--reason", "plate misread"], "plate"),
    (["--field", "net", "--value", "1", "--reason", "plate misread"], "--field"),
    (["--field", "driver", "--value", "李四", "--reason", "typo"], "--reason"),
    (["--field", "driver", "--value", "张三", "--reason", "the same name"], "driver"),
    (["--field", "portal_alarm", "--value", "perhaps", "--reason", "alarm misread"], "portal_alarm"),
    (["--field", "supplier_id", "--value", "91110000100006485K", "--reason", "unknown supplier"],
     "supplier_id"),
])
def test_bad_input_exits_2_naming_the_field_and_changes_nothing(
        capsys: pytest.CaptureFixture[str], data_dir: DataDir, signed: list[str], argv: list[str],
        field: str) -> None:
    before = load_rows(data_dir)
    code, out, err = run(capsys, data_dir, "loads", "amend", "T2026-000001", *argv, *signed)
    assert (code, out) == (2, "")
    assert err.startswith(f"yard-inspector: error: {field}: ")
    assert load_rows(data_dir) == before and corrections_in_trail(data_dir) == 0


def test_errors_in_json_and_in_chinese(capsys: pytest.CaptureFixture[str], data_dir: DataDir,
                                       signed: list[str]) -> None:
    code, out, err = run(capsys, data_dir, "loads", "amend", "T2026-000009", "--field", "driver", "--value",
                         "李四", "--reason", "name misheard", "--json", "--lang", "zh_CN", *signed)
    assert code == 2
    assert err == ("yard-inspector：错误（TICKET）：没有磅单号为 T2026-000009 的车次。"
                   "请核对磅单或样品标签上的编号。\n")
    error = json.loads(out)["error"]
    assert (error["code"], error["field"]) == ("intake.ticket_not_found", "TICKET")


def test_the_identification_answers_are_given_in_order(capsys: pytest.CaptureFixture[str], data_dir: DataDir,
                                                       signed: list[str]) -> None:
    code, out, err = run(capsys, data_dir, "loads", "amend", "T2026-000002", "--field", "answers", "--value",
                         "magnet,ndfeb_sintered,production,roasted", "--reason", "roasted, not solid",
                         "--confirmed-by", "zhang.min", "--json", *signed)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["new"] == {"kind": "magnet", "magnet_type": "ndfeb_sintered", "ndfeb_source": "production",
                             "ndfeb_form": "roasted"}
    code, out, _ = run(capsys, data_dir, "loads", "show", "T2026-000002", "--json")
    assert json.loads(out)["assigned_category"] == "NDFEB-RO"


def test_cancel_a_load(capsys: pytest.CaptureFixture[str], data_dir: DataDir, signed: list[str]) -> None:
    before = load_rows(data_dir)
    code, out, err = run(capsys, data_dir, "loads", "cancel", "T2026-000001", "--reason-kind", "bored",
                         "--reason", "driver went home", *signed)
    assert (code, out) == (2, "")
    assert err.startswith("yard-inspector: error: --reason-kind: “bored” is not a reason for cancelling")
    assert load_rows(data_dir) == before and corrections_in_trail(data_dir) == 0
    code, out, err = run(capsys, data_dir, "loads", "cancel", "T2026-000001", "--reason-kind", "turned_away",
                         "--reason", "driver went home", "--lang", "zh_CN", *signed)
    assert (code, err) == (0, "")
    assert out == "车次 T2026-000001 已作废（拒收退回），其磅单号保留在记录中。\n"
    code, out, _ = run(capsys, data_dir, "loads", "list", "--state", "cancelled")
    assert out.splitlines() == ["T2026-000001  Cancelled  赣B12345  供应商甲  NDFEB-PS  —"]
    code, out, _ = run(capsys, data_dir, "loads", "show", "T2026-000001")
    assert re.fullmatch(r"Cancelled \(Turned away\) by li\.wei at [-\d]{10} \d\d:\d\d: driver went home",
                        out.splitlines()[-1])
    code, out, err = run(capsys, data_dir, "loads", "cancel", "T2026-000002", "--reason-kind", "duplicate",
                         "--reason", "weighed twice", "--confirmed-by", "zhang.min", "--json", *signed)
    assert code == 0 and json.loads(out)["confirmed_by"] == "zhang.min"


def test_a_wrong_confirmer_password_is_refused(capsys: pytest.CaptureFixture[str], data_dir: DataDir,
                                               tmp_path: Path) -> None:
    wrong = secrets(tmp_path, password=PASSWORDS["li.wei"], confirmer_password="not the password")
    before = load_rows(data_dir)
    code, _, err = run(capsys, data_dir, "loads", "cancel", "T2026-000002", "--reason-kind", "duplicate",
                       "--reason", "weighed twice", "--confirmed-by", "zhang.min", "--as", "li.wei",
                       "--secrets-file", wrong)
    assert code == 2 and err.startswith("yard-inspector: error: --confirmed-by: ")
    assert load_rows(data_dir) == before
