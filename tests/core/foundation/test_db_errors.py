"""A failed database operation is said in words chosen by SQLite's result code, from real SQLite errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from inspector.storage.db import translate_operational_error


def _failure(action: Callable[[], object]) -> OperationalError:
    with pytest.raises(OperationalError) as info:
        action()
    return info.value


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "yard.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (x TEXT)")
    return path


def test_a_database_another_program_holds_is_locked(db: Path) -> None:
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        engine = sa.create_engine(f"sqlite:///{db}", connect_args={"timeout": 0})
        with engine.connect() as con:
            exc = _failure(lambda: con.execute(sa.text("INSERT INTO t VALUES ('a')")))
        engine.dispose()
    finally:
        holder.rollback()
        holder.close()
    assert exc.orig.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY  # type: ignore[union-attr]
    problem = translate_operational_error(exc, db)
    assert problem.code == "storage.locked" and problem.params == {"path": str(db)}
    assert "locked by another program" in str(problem)
    assert problem.words("zh_CN") == (f"数据库 {db} 已被另一个程序锁定。"
                                      "请关闭其他正在使用此数据目录的 Yard Inspector，然后重试。")


def test_a_full_database_says_the_disk_is_full(db: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as con:
        pages = con.execute(sa.text("PRAGMA page_count")).scalar_one()
        con.execute(sa.text(f"PRAGMA max_page_count = {pages}"))  # as if the disk had no more room
        exc = _failure(lambda: con.execute(sa.text("INSERT INTO t VALUES (:x)"), {"x": "x" * 100_000}))
    engine.dispose()
    problem = translate_operational_error(exc, db)
    assert problem.code == "storage.disk_full"
    assert "full or failing" in str(problem)


def _error_of(url: str, sql: str) -> OperationalError:
    """The error SQLite gives for ``sql`` on a fresh engine at ``url``."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            return _failure(lambda: con.execute(sa.text(sql)))
    finally:
        engine.dispose()


def test_a_read_only_database_says_so(db: Path) -> None:
    exc = _error_of(f"sqlite:///file:{db}?mode=ro&uri=true", "INSERT INTO t VALUES ('a')")
    problem = translate_operational_error(exc, db)
    assert problem.code == "storage.read_only"
    assert "is read-only" in str(problem)


def test_the_words_of_a_message_decide_nothing(db: Path) -> None:
    """A message that merely mentions 'locked' (say, a table named so) is not a locked database."""
    exc = _error_of(f"sqlite:///{db}", "SELECT * FROM locked_disk_full_readonly")
    problem = translate_operational_error(exc, db)
    assert problem.code == "storage.failed" and "no such table" in str(problem.params["detail"])
    assert "reported an error" in str(problem) and "no such table" in str(problem)
