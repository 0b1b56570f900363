"""The command line: init, users, CA export, key issue with a secrets file, audit verify and export."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.cli import security as cli_security
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import UserError
from inspector.security.setup import init_security
from inspector.security.verify import verify_all
from inspector.storage.db import open_store
from tests.core.security.conftest import Yard


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands speak the locale's language; these tests read English unless they pass --lang."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


def _secrets(tmp_path: Path, **values: str) -> str:
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps(values))
    return str(path)


def test_init_security_creates_the_admin_and_the_ca(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = DataDir(tmp_path / "new").ensure()
    admin_file = tmp_path / "admin.json"
    admin_file.write_text(
        json.dumps(
            {
                "admin_user": "wang.admin",
                "admin_name": "王管理",
                "password": "first admin password",
                "ca_passphrase": "yard ca passphrase",
            }
        )
    )
    details = cli_security.read_admin_file(admin_file)
    store = open_store(data_dir, backup=False)
    try:
        with store.session() as s:
            ca = init_security(
                s,
                admin_user=details["admin_user"],
                admin_name=details["admin_name"],
                password=details["password"],
                ca_passphrase=details["ca_passphrase"],
                data_dir=data_dir,
                clock=Clock(),
                yard_name="赣州稀金回收",
            )
        assert ca.kind == "ca" and "赣州稀金回收" in ca.subject
        assert verify_all(store, data_dir) == []
    finally:
        store.close()
    assert main(["users", "list", "--json", "--data-dir", str(data_dir.root)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [u["username"] for u in listed] == ["wang.admin"] and listed[0]["must_change_password"] is False
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"admin_user": "x"}))
    with pytest.raises(UserError) as err:
        cli_security.read_admin_file(bad)
    assert err.value.code == "admin_file.shape" and err.value.field == "--admin-file"
    assert "admin_user, admin_name, password, ca_passphrase" in err.value.message
    answers = iter(["root.admin", "Root"])
    secrets = iter(["pw one two three", "pw one two three", "ca pass phrase!", "ca pass phrase?"])
    asked: list[str] = []

    def ask_secret(prompt: str) -> str:
        asked.append(prompt)
        return next(secrets)

    with pytest.raises(UserError) as err:
        cli_security.prompt_admin(lambda _p: next(answers), ask_secret)
    assert err.value.code == "secrets.entries_differ" and err.value.field == "ca_passphrase"
    assert asked[-2:] == ["Passphrase of the yard CA: ", "Passphrase of the yard CA (again): "]


def test_users_add_needs_a_signed_in_administrator(
    yard: Yard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(yard.data_dir.root)
    yard.store.close()
    assert main(["users", "add", "sun.li", "--name", "孙丽", "--role", "clerk", "--data-dir", root]) == 2
    assert "--as: This command needs a signed-in user." in capsys.readouterr().err
    wrong = _secrets(tmp_path, password="not the password", new_password="temporary password")
    assert (
        main(
            [
                "users",
                "add",
                "sun.li",
                "--name",
                "孙丽",
                "--role",
                "clerk",
                "--as",
                "admin",
                "--secrets-file",
                wrong,
                "--data-dir",
                root,
            ]
        )
        == 2
    )
    assert "Wrong user id or password. 4 attempt(s) left" in capsys.readouterr().err
    clerk = _secrets(tmp_path, password="demo-chen.jing-2026", new_password="temporary password")
    assert (
        main(
            [
                "users",
                "add",
                "sun.li",
                "--name",
                "孙丽",
                "--role",
                "clerk",
                "--as",
                "chen.jing",
                "--secrets-file",
                clerk,
                "--data-dir",
                root,
            ]
        )
        == 2
    )
    assert "陈静 Chen Jing (chen.jing) may not add users: it needs the role Administrator." \
        in capsys.readouterr().err
    ok = _secrets(tmp_path, password="demo-admin-2026", new_password="temporary password")
    assert (
        main(
            [
                "users",
                "add",
                "sun.li",
                "--name",
                "孙丽",
                "--role",
                "clerk",
                "--role",
                "inspector",
                "--as",
                "admin",
                "--secrets-file",
                ok,
                "--data-dir",
                root,
            ]
        )
        == 0
    )
    assert "User sun.li added with roles Office clerk, Inspector; the password must be changed" \
        in capsys.readouterr().out
    assert main(["users", "lock-status", "sun.li", "--data-dir", root]) == 0
    assert "sun.li is not locked (0 recent failed attempts)." in capsys.readouterr().out
    assert main(["users", "list", "--data-dir", root]) == 0
    listed_lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("sun.li ") and "active" in line for line in listed_lines)
    reset = _secrets(tmp_path, password="demo-admin-2026", new_password="another temporary one")
    assert (
        main(
            [
                "users",
                "reset",
                "li.wei",
                "--reason",
                "forgotten",
                "--as",
                "admin",
                "--secrets-file",
                reset,
                "--data-dir",
                root,
            ]
        )
        == 0
    )
    change = _secrets(tmp_path, password="another temporary one", new_password="li wei's own password")
    assert (
        main(
            [
                "users",
                "add",
                "x.y",
                "--name",
                "X",
                "--role",
                "clerk",
                "--as",
                "li.wei",
                "--secrets-file",
                change,
                "--data-dir",
                root,
            ]
        )
        == 2
    )
    assert "li.wei must change the password first." in capsys.readouterr().err
    assert main(["users", "passwd", "--as", "li.wei", "--secrets-file", change, "--data-dir", root]) == 0
    failures = _secrets(tmp_path, password="demo-zhang.min-2026")
    assert (
        main(
            [
                "users",
                "failures",
                "--acknowledge",
                "--as",
                "zhang.min",
                "--secrets-file",
                failures,
                "--data-dir",
                root,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "admin" in out and "wrong password" in out and "1 failed attempt(s) marked as reviewed" in out


def test_ca_export_keys_issue_and_audit_commands(
    yard: Yard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(yard.data_dir.root)
    yard.store.close()
    out = tmp_path / "yard-ca.pem"
    assert main(["ca", "export", "--out", str(out), "--data-dir", root]) == 0
    assert out.read_text().startswith("-----BEGIN CERTIFICATE-----")
    secrets = _secrets(
        tmp_path,
        password="demo-admin-2026",
        ca_passphrase="demo-yard-ca-passphrase",
        key_passphrase="zhao hui's new passphrase",
    )
    assert (
        main(["keys", "issue", "zhao.hui", "--as", "admin", "--passphrase-file", secrets, "--data-dir", root])
        == 0
    )
    assert "Key issued for zhao.hui" in capsys.readouterr().out
    assert main(["keys", "list", "--json", "--data-dir", root]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [k["status"] for k in listed if k["username"] == "zhao.hui"] == ["superseded", "active"]
    assert main(["audit", "verify", "--data-dir", root]) == 0
    csv_path = tmp_path / "audit.csv"
    assert main(["audit", "export", "--out", str(csv_path), "--data-dir", root]) == 0
    with csv_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "seq" and rows[-1][0] == "chain_head_seq"
    assert rows[-1][1] == rows[-3][0] and rows[-1][3] == rows[-3][-1]
    capsys.readouterr()
    assert main(["holds", "list", "--data-dir", root]) == 0
    assert capsys.readouterr().out == "Nothing blocks signing.\n"
    con = sqlite3.connect(Path(root) / "yard.db")
    con.execute("""UPDATE user_account SET roles='["admin"]' WHERE username='chen.jing'""")
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["audit", "verify", "--json", "--data-dir", root]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False and result["problems"][0]["table"] == "user_account"
    assert result["problems"][0]["code"] == "audit.row.changed"
    assert result["problems"][0]["params"]["table"] == "user_account"


def test_check_reports_a_load_edited_with_sqlite_by_its_id(
    yard: Yard, capsys: pytest.CaptureFixture[str]
) -> None:
    from inspector.security.actor import Actor, Role
    from tests.core.security.conftest import add_load

    load_id = add_load(yard, Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR})))
    root = str(yard.data_dir.root)
    yard.store.close()
    assert main(["check", "--data-dir", root]) == 0
    con = sqlite3.connect(Path(root) / "yard.db")
    con.execute("UPDATE load SET net=net-500 WHERE id=?", (load_id,))
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["check", "--data-dir", root]) == 1
    out = capsys.readouterr().out
    assert f"Table 'load', row {load_id}: its content was changed outside the application" in out


def test_commands_refuse_a_folder_without_a_yard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "list", "--data-dir", str(tmp_path / "none")]) == 2
    assert "--data-dir: There is no database in" in capsys.readouterr().err
    assert not (tmp_path / "none" / "yard.db").exists()


def test_the_commands_speak_chinese_and_keep_codes_in_json(
    yard: Yard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(yard.data_dir.root)
    yard.store.close()
    clerk = _secrets(tmp_path, password="demo-chen.jing-2026", new_password="temporary password")
    add = ["users", "add", "sun.li", "--name", "孙丽", "--role", "clerk", "--data-dir", root,
           "--lang", "zh_CN"]
    assert main([*add, "--as", "chen.jing", "--secrets-file", clerk]) == 2
    assert capsys.readouterr().err == (
        "yard-inspector：错误：陈静 Chen Jing（chen.jing）无权添加用户：需要管理员角色。"
        "请由具有该角色的用户操作，或请管理员授予该角色。\n")
    wrong = _secrets(tmp_path, password="not the password", new_password="temporary password")
    assert main([*add, "--as", "admin", "--secrets-file", wrong]) == 2
    assert capsys.readouterr().err == ("yard-inspector：错误（--as）：用户名或密码错误。"
                                       "再失败 4 次，账户将被锁定。\n")
    assert main(["users", "lock-status", "admin", "--data-dir", root, "--lang", "zh_CN"]) == 0
    assert capsys.readouterr().out == "admin 未锁定（近期失败 1 次）。\n"

    con = sqlite3.connect(Path(root) / "yard.db")
    row_id = con.execute("SELECT id FROM user_account WHERE username='chen.jing'").fetchone()[0]
    con.execute("""UPDATE user_account SET roles='["admin"]' WHERE username='chen.jing'""")
    con.commit()
    con.close()
    assert main(["audit", "verify", "--data-dir", root, "--lang", "zh_CN"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"问题：表 user_account 中编号为 {row_id} 的行：内容在本程序之外被修改（")
    assert lines[0].endswith("设定的行哈希不再相符）。") and lines[-1] == "发现 1 个问题。"
    assert main(["audit", "verify", "--json", "--data-dir", root, "--lang", "zh_CN"]) == 1
    problem = json.loads(capsys.readouterr().out)["problems"][0]
    assert problem["code"] == "audit.row.changed" and problem["kind"] == "row"
    assert problem["params"]["row"] == str(row_id) and problem["row_id"] == str(row_id)
    assert problem["message"].startswith("表 user_account 中编号为")
    assert problem["english"].startswith("Table 'user_account'")
    assert main(["holds", "list", "--data-dir", root, "--lang", "zh_CN"]) == 0
    assert capsys.readouterr().out == "没有阻止签名的事项。\n"
