"""What every command needs: the data directory and store named by its arguments, and JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from inspector import datadir
from inspector.security.audit import jsonable
from inspector.storage.db import Store, open_store


def data_dir_from(args: argparse.Namespace) -> datadir.DataDir:
    return datadir.resolve(getattr(args, "data_dir", None))


def store_from(args: argparse.Namespace, *, backup: bool = False) -> Store:
    """Open the store of the data directory the command names (migrating it, backed up first if needed)."""
    return open_store(data_dir_from(args), backup=backup)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True) + "\n")
