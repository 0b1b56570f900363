"""SQLite's own verdict on a database file, asked once for check, the audit verification and restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from inspector.errors import UserError
from inspector.storage.backup import verify_backup
from inspector.storage.integrity import FileProblem, sqlite_problems


def _damaged(path: Path) -> Path:
    """A database whose index no longer matches its table (as a torn write can leave it)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("CREATE TABLE supplier (id INTEGER PRIMARY KEY)")
    con.execute("CREATE TABLE load (id INTEGER PRIMARY KEY, x INTEGER, y INTEGER, "
                "supplier_id INTEGER REFERENCES supplier(id))")
    con.execute("CREATE INDEX ix_load_x ON load(x)")
    con.executemany("INSERT INTO load VALUES (?, ?, ?, ?)", [(i, i, 1000 - i, 7) for i in range(1, 51)])
    con.commit()
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_load_x ON load(y)' WHERE name = 'ix_load_x'")
    con.commit()
    con.close()
    return path


def test_a_sound_file_has_no_problems(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "ok.db")
    con.execute("CREATE TABLE t (x)")
    assert sqlite_problems(lambda sql: con.execute(sql).fetchall()) == []
    con.close()


def test_a_damaged_index_and_a_broken_reference_are_named(tmp_path: Path) -> None:
    con = sqlite3.connect(_damaged(tmp_path / "bad.db"))
    found = sqlite_problems(lambda sql: con.execute(sql).fetchall(), limit=2)
    con.close()
    assert found[:2] == [
        FileProblem("storage.check.integrity", {"detail": "row 1 missing from index ix_load_x"}),
        FileProblem("storage.check.integrity", {"detail": "row 2 missing from index ix_load_x"}),
    ]
    assert found[2] == FileProblem("storage.check.broken_reference",
                                   {"table": "load", "row": "1", "parent": "supplier"},
                                   table="load", row_id="1")
    assert len(found) == 4  # at most `limit` of each kind
    assert found[0].message == "SQLite integrity check: row 1 missing from index ix_load_x"
    assert found[2].message == "Row 1 of table 'load' refers to a missing row of 'supplier'."
    assert found[2].words("zh_CN") == "表 load 中编号为 1 的行引用了表 supplier 中不存在的行。"


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    bad = _damaged(tmp_path / "backup.db")
    with pytest.raises(UserError) as info:
        verify_backup(bad)
    assert info.value.code == "backup.damaged" and info.value.field == "FILE"
    assert info.value.params["details"] == ["row 1 missing from index ix_load_x",
                                            "row 2 missing from index ix_load_x",
                                            "row 3 missing from index ix_load_x"]
    assert "is damaged (row 1 missing from index ix_load_x, row 2" in info.value.message
    zh = info.value.words("zh_CN")
    assert zh.startswith(f"备份 {bad} 已损坏（row 1 missing from index ix_load_x、row 2")
    assert info.value.words("zh_CN").endswith("未恢复任何内容。请选择另一个备份。")
