"""The store: PRAGMAs, migrations matching the models, refusing bad files, backup and restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from inspector import datadir as datadir_mod
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError
from inspector.storage import backup as backup_mod
from inspector.storage import migrations
from inspector.storage.db import Store, open_store


def test_pragmas_are_set_on_every_connection(store: Store) -> None:
    with store.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert con.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_migrations_produce_exactly_the_models(store: Store) -> None:
    with store.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), SQLModel.metadata)
    assert diff == []


def test_database_is_at_the_head_revision(data_dir: DataDir, store: Store) -> None:
    assert migrations.stored_revisions(data_dir.database) == migrations.head_revisions()
    assert not migrations.needs_upgrade(data_dir.database)


def test_a_non_sqlite_file_is_refused_and_left_untouched(data_dir: DataDir) -> None:
    data_dir.database.write_bytes(b"this is a spreadsheet, not a database\n" * 10)
    before = data_dir.database.read_bytes()
    with pytest.raises(EnvironmentProblemError) as info:
        open_store(data_dir)
    assert info.value.code == "storage.not_sqlite" and info.value.params == {"path": str(data_dir.database)}
    assert "not a Yard Inspector database" in str(info.value)
    zh = info.value.words("zh_CN")
    assert zh.startswith(f"{data_dir.database} 不是 Yard Inspector 数据库（不是 SQLite 文件）。")
    assert data_dir.database.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(
    data_dir: DataDir, store: Store
) -> None:
    store.close()
    con = sqlite3.connect(data_dir.database)
    con.execute("DELETE FROM alembic_version")
    con.execute("INSERT INTO alembic_version (version_num) VALUES ('9999')")
    con.commit()
    con.close()
    before = data_dir.database.read_bytes()
    with pytest.raises(EnvironmentProblemError) as info:
        open_store(data_dir)
    assert info.value.code == "storage.newer_schema" and info.value.params["revisions"] == ["9999"]
    assert "newer version" in str(info.value)
    assert data_dir.database.read_bytes() == before


def test_a_network_file_system_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datadir_mod, "filesystem_type", lambda _path: "nfs4")
    with pytest.raises(EnvironmentProblemError) as info:
        DataDir(tmp_path / "share").ensure()
    assert info.value.code == "datadir.network_fs" and info.value.params["fs"] == "nfs4"
    assert "network file system (nfs4)" in str(info.value)
    assert "one host" in str(info.value)
    assert "网络文件系统（nfs4）" in info.value.words("zh_CN") and "同一台主机" in info.value.words("zh_CN")


def test_filesystem_type_of_a_local_folder_is_known(tmp_path: Path) -> None:
    assert datadir_mod.filesystem_type(tmp_path) not in datadir_mod.NETWORK_FS_TYPES


def test_a_read_only_data_directory_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, for whom chmod does not stop writes; ask the access check directly.
    monkeypatch.setattr(datadir_mod.os, "access", lambda _p, _m: False)
    with pytest.raises(EnvironmentProblemError) as info:
        DataDir(tmp_path / "ro").ensure()
    assert info.value.code == "datadir.read_only"
    assert "read-only" in str(info.value)


def test_opening_an_existing_database_backs_it_up_first(data_dir: DataDir, store: Store) -> None:
    store.close()
    reopened = open_store(data_dir, backup=True)
    reopened.close()
    autos = list(data_dir.backups.glob("yard-*-auto.db"))
    assert len(autos) == 1
    assert backup_mod.verify_backup(autos[0]) == ",".join(sorted(migrations.head_revisions()))


def test_restore_refuses_a_corrupt_backup_and_changes_nothing(
    data_dir: DataDir, store: Store, tmp_path: Path
) -> None:
    store.close()
    good = tmp_path / "good.db"
    backup_mod.backup_database(data_dir.database, good)
    corrupt = tmp_path / "corrupt.db"
    data = bytearray(good.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # smash the second page
    corrupt.write_bytes(bytes(data))
    before = data_dir.database.read_bytes()
    with pytest.raises(UserError) as info:
        backup_mod.restore_database(data_dir, corrupt)
    assert info.value.code in ("backup.damaged", "backup.unreadable") and info.value.field == "FILE"
    with pytest.raises(UserError) as info:
        backup_mod.restore_database(data_dir, tmp_path / "missing.db")
    assert info.value.code == "backup.missing" and info.value.params == {"path": str(tmp_path / "missing.db")}
    assert data_dir.database.read_bytes() == before


def test_migrations_form_one_line_from_the_first_revision() -> None:
    script = migrations.script_directory()
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"
    chain = [rev.revision for rev in script.walk_revisions()]  # from the head down to the base
    assert chain[-1] == "0001"
    assert sorted(chain) == sorted(migrations.known_revisions())
    assert chain == sorted(chain, reverse=True)


def test_revisions_that_cannot_be_reconciled_are_refused_in_words(data_dir: DataDir, store: Store) -> None:
    store.close()
    con = sqlite3.connect(data_dir.database)
    con.execute("DELETE FROM alembic_version")
    con.executemany("INSERT INTO alembic_version (version_num) VALUES (?)", [("0001",), ("0002",)])
    con.commit()
    con.close()
    with pytest.raises(EnvironmentProblemError) as info:
        open_store(data_dir, backup=False)
    assert info.value.code == "storage.migration_failed"
    assert info.value.params["backups"] == str(data_dir.backups)
    assert "cannot be brought up to date" in str(info.value)


def test_the_head_the_application_knows_is_the_head_of_the_migrations() -> None:
    from inspector.storage import revision

    assert migrations.head_revisions() == {revision.HEAD}
