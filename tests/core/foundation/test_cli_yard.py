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
    assert "ticket numbers of 2026 have a gap: number(s) 6, 7, 8 were issued" in out
