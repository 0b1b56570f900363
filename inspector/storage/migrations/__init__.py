"""Schema migrations (Alembic, batch mode for SQLite) and the checks made before a database is opened."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Engine

from inspector.errors import EnvironmentProblemError
from inspector.storage.revision import stored_revisions as stored_revisions

MIGRATIONS_DIR = Path(__file__).resolve().parent
# What Alembic raises when the stored revisions cannot be reconciled with the scripts.
MigrationError = CommandError


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def head_revisions() -> set[str]:
    return set(script_directory().get_heads())


def refuse_newer(path: Path) -> None:
    """A database written by a newer Yard Inspector is refused before anything changes it."""
    unknown = stored_revisions(path) - known_revisions()
    if unknown:
        raise EnvironmentProblemError("storage.newer_schema", path=str(path), revisions=sorted(unknown))


def needs_upgrade(path: Path) -> bool:
    return stored_revisions(path) != head_revisions()


def upgrade(engine: Engine) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")
