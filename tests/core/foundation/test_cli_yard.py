"""The command line as a yard's administrator uses it: init, demo, check, backup, restore."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from inspector import __version__
from inspector.cli import main

ADMIN = {
    "admin_user": "admin",
    "admin_name": "管理员",
    "password": "a long admin password",
    "ca_passphrase": "a long CA passphrase",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"yard-inspector {__version__}\n"
    with pytest.raises(SystemExit) as info:  # among other options, argparse says it
        main(["--data-dir", "x", "--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_init_from_file_then_refuses_a_second_yard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    details = tmp_path / "yard.json"
    details.write_text(
        json.dumps({"legal_name": "赣州测试回收有限公司", "hw_permit_codes": ["HW49"], "admin": ADMIN}),
        encoding="utf-8",
    )
    d = str(tmp_path / "yard")
    code, out, _ = run(capsys, "init", "--data-dir", d, "--from-file", str(details))
    assert code == 0 and "赣州测试回收有限公司" in out
    code, _, err = run(capsys, "init", "--data-dir", d, "--from-file", str(details))
    assert code == 2 and "already holds a yard" in err


def test_init_without_an_administrator_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    details = tmp_path / "yard.json"
    details.write_text(json.dumps({"legal_name": "x"}), encoding="utf-8")
    code, _, err = run(capsys, "init", "--data-dir", str(tmp_path / "y"), "--from-file", str(details))
    assert code == 2 and "admin" in err
    assert not (tmp_path / "y" / "yard.db").exists()


def test_init_with_bad_details_names_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    details = tmp_path / "yard.json"
    details.write_text(json.dumps({"legal_name": "x", "uscc": "12345", "admin": ADMIN}), encoding="utf-8")
    code, _, err = run(capsys, "init", "--data-dir", str(tmp_path / "y"), "--from-file", str(details))
    assert code == 2
    assert "uscc" in err and "18 characters" in err and "Traceback" not in err


def test_demo_check_backup_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path / "demo")
    code, out, _ = run(capsys, "demo", "--data-dir", d)
    assert code == 0 and "40 loads" in out
    code, out, _ = run(capsys, "check", "--data-dir", d, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["problems"] == []

    backup = tmp_path / "b.db"
    code, out, _ = run(capsys, "backup", "--data-dir", d, "--out", str(backup))
    assert code == 0 and backup.exists()
    code, _, err = run(capsys, "backup", "--data-dir", d, "--out", str(backup))
    assert code == 2 and "never overwrites" in err

    # A change after the backup disappears on restore; the replaced database is kept.
    con = sqlite3.connect(Path(d) / "yard.db")
    before = con.execute("SELECT count(*) FROM load").fetchone()[0]
    con.close()
    run(capsys, "demo", "--data-dir", str(tmp_path / "other"))
    code, out, _ = run(capsys, "restore", "--data-dir", d, str(backup))
    assert code == 0 and "kept as" in out
    con = sqlite3.connect(Path(d) / "yard.db")
    assert con.execute("SELECT count(*) FROM load").fetchone()[0] == before
    con.close()


def test_demo_refuses_a_yard_that_exists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path / "demo")
    run(capsys, "demo", "--data-dir", d, "--loads", "3")
    code, _, err = run(capsys, "demo", "--data-dir", d)
    assert code == 2 and "already holds a yard" in err


def test_check_names_sqlite_damage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "demo"
    run(capsys, "demo", "--data-dir", str(d), "--loads", "5")
    con = sqlite3.connect(d / "yard.db")
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("UPDATE load SET supplier_id = 999 WHERE id = 2")
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", "--data-dir", str(d))
    assert code == 1
    assert "Row 2 of table 'load' refers to a missing row of 'supplier'" in out


def test_check_of_a_missing_database_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "--data-dir", str(tmp_path / "nothing"))
    assert code == 2 and "no database" in err


def test_a_corrupt_database_gives_words_not_a_traceback(tmp_path: Path) -> None:
    d = tmp_path / "bad"
    d.mkdir()
    (d / "yard.db").write_bytes(b"garbage" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "inspector.cli", "demo", "--data-dir", str(d)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "not a Yard Inspector database" in result.stderr
    assert "Traceback" not in result.stderr
    assert (d / "yard.db").read_bytes() == b"garbage" * 100


def test_data_dir_is_accepted_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tmp_path / "before"
    code, _, _ = run(capsys, "--data-dir", str(before), "demo", "--loads", "2")
    assert code == 0 and (before / "yard.db").exists()
    code, out, _ = run(capsys, "--data-dir", str(before), "check")
    assert code == 0 and str(before / "yard.db") in out


@pytest.mark.parametrize(
    ("argv", "opens_window"),
    [
        ([], True),
        (["--data-dir", "/x", "--lang", "zh_CN"], True),
        (["--smoke-test", "--no-crash-dialog"], True),
        (["check"], False),
        (["--data-dir", "/x", "check"], False),
        (["--help"], False),
        (["--version"], False),
        (["--lang", "fr"], False),
    ],
)
def test_window_options_are_told_apart_from_commands(argv: list[str], opens_window: bool) -> None:
    from inspector.cli import parse_window_args

    args = parse_window_args(argv)
    assert (args is not None) is opens_window
    if args is not None and "/x" in argv:
        assert args.data_dir == "/x"


def test_check_names_a_removed_safeguard_and_a_gap_in_the_ticket_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "demo"
    run(capsys, "demo", "--data-dir", str(d), "--loads", "5")
    con = sqlite3.connect(d / "yard.db")
    con.execute("UPDATE numberseries SET last = last + 3 WHERE series = 'ticket'")
    con.execute("DROP TRIGGER audit_event_no_delete")
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", "--data-dir", str(d))
    assert code == 1
    assert "'audit_event_no_delete' that makes records append-only has been removed" in out
    assert "ticket numbers of 2026 have a gap" in out and "(6, 7, 8)" in out
    assert out.endswith("2 problem(s) found.\n")
    code, out, _ = run(capsys, "check", "--data-dir", str(d), "--json")
    found = {p["code"]: p["params"] for p in json.loads(out)["problems"]}
    assert code == 1 and found["audit.guard_removed"] == {"name": "audit_event_no_delete"}
    assert found["audit.series.gap"]["year"] == 2026 and found["audit.series.gap"]["series"] == "ticket"


def test_check_speaks_chinese_and_its_json_keeps_the_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "demo"
    run(capsys, "demo", "--data-dir", str(d), "--loads", "3")
    con = sqlite3.connect(d / "yard.db")
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("UPDATE load SET supplier_id = 999 WHERE id = 2")
    con.commit()
    con.close()
    code, out, _ = run(capsys, "check", "--data-dir", str(d), "--lang", "zh_CN")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"数据库：{d / 'yard.db'}"
    assert lines[1].startswith("数据库结构版本：0")
    assert "问题：表 load 中编号为 2 的行引用了表 supplier 中不存在的行。" in lines
    assert lines[-1] == "发现 1 个问题。"
    code, out, _ = run(capsys, "check", "--data-dir", str(d), "--json", "--lang", "zh_CN")
    report = json.loads(out)
    assert code == 1 and not report["ok"]
    assert report["problems"] == [{
        "code": "storage.check.broken_reference",
        "params": {"parent": "supplier", "row": "2", "table": "load"},
        "english": "Row 2 of table 'load' refers to a missing row of 'supplier'.",
        "message": "表 load 中编号为 2 的行引用了表 supplier 中不存在的行。",
        "table": "load",
        "row_id": "2",
    }]


def test_refusals_of_the_yard_commands_are_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "--data-dir", str(tmp_path / "nothing"), "--lang", "zh_CN")
    assert code == 2
    assert err == (f"yard-inspector：错误（--data-dir）：{tmp_path / 'nothing'} 中没有数据库。"
                   "请指定某个堆场的数据目录，或先运行“yard-inspector init”。\n")
    code, _, err = run(capsys, "demo", "--data-dir", str(tmp_path / "d"), "--loads", "0", "--lang", "zh_CN")
    assert code == 2 and err == "yard-inspector：错误（--loads）：车次数量必须在 1 到 10,000 之间。\n"
    code, out, err = run(capsys, "demo", "--data-dir", str(tmp_path / "d"), "--loads", "2", "--lang", "zh_CN")
    assert code == 0
    assert out.startswith(f"演示堆场已在 {tmp_path / 'd'} 建立：6 个供货单位、10 辆车、2 个车次、")
    backup = tmp_path / "b.db"
    backup.write_bytes(b"")
    code, out, err = run(capsys, "backup", "--data-dir", str(tmp_path / "d"), "--out", str(backup),
                         "--lang", "zh_CN")
    assert code == 2
    assert err == (f"yard-inspector：错误（--out）：{backup} 已存在；备份从不覆盖已有文件。"
                   "请另选一个文件名。\n")


def test_backup_and_restore_say_what_they_did_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "demo"
    run(capsys, "demo", "--data-dir", str(d), "--loads", "2")
    backup = tmp_path / "b.db"
    code, out, _ = run(capsys, "backup", "--data-dir", str(d), "--out", str(backup), "--lang", "zh_CN")
    assert code == 0 and out.startswith(f"备份已写入 {backup}（数据库结构版本 0") and " UTC" in out
    code, out, _ = run(capsys, "restore", "--data-dir", str(d), str(backup), "--lang", "zh_CN")
    assert code == 0
    kept, restored = out.splitlines()
    assert kept.startswith(f"被替换的数据库已保存为 {d / 'backups'}")
    assert restored == f"已将 {backup} 恢复到 {d / 'yard.db'}。"
    missing = tmp_path / "missing.db"
    code, _, err = run(capsys, "restore", "--data-dir", str(d), str(missing), "--lang", "zh_CN")
    assert code == 2
    assert err == f"yard-inspector：错误（FILE）：{missing} 处没有备份文件。请检查备份文件的路径。\n"


def test_init_asks_in_the_users_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import inspector.cli.security as cli_security

    answers = iter(["", "赣州测试回收有限公司", "", "", "", "赣危废经字 1；备案 2", "hw49，HW50"])
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", ask)
    monkeypatch.setattr(cli_security, "prompt_admin", lambda *a, **k: dict(ADMIN))
    d = tmp_path / "yard"
    code, out, err = run(capsys, "init", "--data-dir", str(d), "--lang", "zh_CN")
    assert code == 0, err
    assert prompts[:2] == ["堆场法定名称（与营业执照一致）：", "堆场法定名称（与营业执照一致）："]
    assert err == "  此项必填。\n"  # the required name was left empty once
    assert prompts[-1] == "许可证所列危险废物代码，例如 HW49,HW50（选填）："
    assert out.splitlines()[0] == "新建堆场。选填项可直接按回车留空。"
    assert out.splitlines()[-1] == f"堆场“赣州测试回收有限公司”已在 {d} 建立；已创建管理员“admin”。"
    con = sqlite3.connect(d / "yard.db")
    permits, codes = con.execute("SELECT permit_numbers, hw_permit_codes FROM yard").fetchone()
    con.close()
    assert json.loads(permits) == ["赣危废经字 1", "备案 2"] and json.loads(codes) == ["HW49", "HW50"]


def test_init_without_answers_names_the_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def closed(_prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", closed)
    code, _, err = run(capsys, "init", "--data-dir", str(tmp_path / "y"), "--lang", "zh_CN")
    assert code == 2
    assert err == ("yard-inspector：错误（legal_name）：未得到回答（标准输入已关闭）。"
                   "脚本安装请使用 --from-file FILE。\n")
    assert not (tmp_path / "y" / "yard.db").exists()


@pytest.mark.parametrize(
    ("content", "code", "field"),
    [
        ("{not json", "yard.setup.bad_json", "--from-file"),
        ("[1, 2]", "yard.setup.not_an_object", "--from-file"),
        ('{"legal_name": "x", "colour": "red"}', "yard.setup.unknown_keys", "--from-file"),
        ('{"legal_name": "x", "permit_numbers": "A-1"}', "yard.setup.not_a_list", "permit_numbers"),
        ('{"legal_name": "x", "hw_permit_codes": [49]}', "yard.setup.not_a_list", "hw_permit_codes"),
    ],
)
def test_a_bad_details_file_is_refused_with_its_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, code: str, field: str
) -> None:
    import argparse

    from inspector.cli.yard import cmd_init
    from inspector.errors import UserError

    details = tmp_path / "yard.json"
    details.write_text(content, encoding="utf-8")
    args = argparse.Namespace(from_file=str(details), data_dir=str(tmp_path / "y"), lang="en")
    with pytest.raises(UserError) as info:
        cmd_init(args)
    assert (info.value.code, info.value.field) == (code, field)
    status, _, err = run(capsys, "init", "--data-dir", str(tmp_path / "y"), "--from-file", str(details))
    assert status == 2 and err == f"yard-inspector: error: {field}: {info.value.words('en')}\n"
    assert not (tmp_path / "y" / "yard.db").exists()


def test_the_words_of_a_bad_details_file() -> None:
    from inspector.errors import UserError

    unknown = UserError("yard.setup.unknown_keys", field="--from-file", keys=["colour", "size"],
                        allowed=["legal_name", "uscc", "admin"])
    assert unknown.words("en") == "Unknown keys: colour, size. Allowed: legal_name, uscc, admin."
    assert unknown.words("zh_CN") == "未知的键：colour、size。允许的键：legal_name、uscc、admin。"
    bad = UserError("yard.setup.bad_json", field="--from-file", path="y.json", detail="Expecting value",
                    line=3)
    assert bad.words("zh_CN") == "y.json 不是有效的 JSON（Expecting value，第 3 行）。"
