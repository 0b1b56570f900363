"""What every command needs: the data directory and store named by its arguments, and JSON output.

Imports of the database stack happen inside the functions: building the parser (which the GUI does on
every start) must not pay for SQLAlchemy, Alembic or the services.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from inspector.canonical import jsonable

if TYPE_CHECKING:
    from inspector.datadir import DataDir
    from inspector.storage.db import Store


def data_dir_from(args: argparse.Namespace) -> DataDir:
    from inspector import datadir

    return datadir.resolve(getattr(args, "data_dir", None))


def store_from(args: argparse.Namespace, *, backup: bool = False) -> Store:
    """Open the store of the data directory the command names (migrating it, backed up first if needed)."""
    from inspector.storage.db import open_store

    return open_store(data_dir_from(args), backup=backup)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True) + "\n")
