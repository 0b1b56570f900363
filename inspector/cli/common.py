"""What every command needs: the data directory and store named by its arguments, the user's language,
and JSON output.

Imports of the database stack happen inside the functions: building the parser (which the GUI does on
every start) must not pay for SQLAlchemy, Alembic or the services.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from inspector import messages
from inspector.canonical import jsonable
from inspector.messages import Language, Term

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


def language_of(args: argparse.Namespace | None) -> Language:
    """``--lang`` if given, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh...`` is Chinese)."""
    chosen = getattr(args, "lang", None)
    return messages.language(chosen) if chosen else messages.language_from_environment()


def words(args: argparse.Namespace | None, key: str, **params: object) -> str:
    """A line of the command line's own output (``cli.<key>`` in the catalogue), in the user's language."""
    lang = language_of(args)
    found = messages.text(f"cli.{key}", lang, params)
    if found is None:
        raise messages.CatalogueError(f"cli.{key} has no words")
    return found


def say(args: argparse.Namespace | None, key: str, **params: object) -> None:
    """Print a line of output in the user's language (to standard output)."""
    print(words(args, key, **params))


# What Python's JSON parser says (C and Python versions), by the start of its message, and the words for it
# (``words.json_problem``).
_JSON_PROBLEMS = (
    ("Expecting value", "expecting_value"),
    ("Expecting ':' delimiter", "expecting_colon"),
    ("Expecting ',' delimiter", "expecting_comma"),
    ("Expecting property name enclosed in double quotes", "expecting_name"),
    ("Extra data", "extra_data"),
    ("Unterminated string", "unterminated_string"),
    ("Invalid control character", "control_character"),
    ("Invalid \\uXXXX escape", "bad_escape"),
    ("Invalid \\escape", "bad_escape"),
    ("Illegal trailing comma", "trailing_comma"),
)


def json_problem(exc: ValueError) -> Term:
    """What is wrong with a JSON text a person wrote, as a parameter worded in their language."""
    said = exc.msg if isinstance(exc, json.JSONDecodeError) else ""
    code = next((code for start, code in _JSON_PROBLEMS if said.startswith(start)), "other")
    return Term("json_problem", code)

