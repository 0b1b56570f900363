"""Commands for the standard: ``classify`` a load, and ``standards list | show | validate | diff``.

``classify LOAD.json`` prints one JSON object and exits 0 whatever the outcome; invalid input exits 2 with
one line naming the field. Without ``--data-dir`` it uses the yard's database only when one already exists
(it never creates a data directory or a database); with no yard, no permit codes are assumed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.cli.common import data_dir_from, json_problem, print_json, words
from inspector.datadir import DataDir
from inspector.errors import UserError
from inspector.messages import Term, formats

if TYPE_CHECKING:
    from inspector.standard import RuleSet
    from inspector.storage.db import Store

MAX_LOAD_BYTES = 1_000_000


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "classify", parents=[common],
        help="classify one load (JSON) under the rule set in force and print the result as JSON",
        description='Input: {"category": "NDFEB-SL", "stage": "intake"|"gate"|"lab", '
        '"permit_codes": ["HW49"], "attributes": {...}} with decimals as strings. '
        "Exit 0 whatever the outcome, 2 for invalid input.",
    )
    p.add_argument("load", metavar="LOAD.json", help="the load as JSON ('-' reads standard input)")
    p.add_argument("--ruleset", metavar="FILE",
                   help="judge under this rule set file instead of the one in force")
    p.set_defaults(handler=cmd_classify)

    std = subparsers.add_parser("standards", parents=[common], help="the installed rule sets")
    std.set_defaults(handler=lambda _args: _usage(std))
    sub = std.add_subparsers(dest="standards_command", metavar="COMMAND")

    p = sub.add_parser("list", parents=[common], help="list the installed rule sets and the one in force")
    p.set_defaults(handler=cmd_list)
    p = sub.add_parser("show", parents=[common], help="print a rule set (ID, ID@VERSION or a file) as JSON")
    p.add_argument("ref", metavar="ID[@VERSION]")
    p.set_defaults(handler=cmd_show)
    p = sub.add_parser("validate", parents=[common], help="check a rule set file; exit 2 naming each problem")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_validate)
    p = sub.add_parser("diff", parents=[common], help="what changed between two rule sets (IDs or files)")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.set_defaults(handler=cmd_diff)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


@contextmanager
def _existing_store(args: argparse.Namespace, *, without: str) -> Iterator[tuple[DataDir, Store | None]]:
    """The yard's store if its database exists; nothing is created when it does not (``without`` is the
    line, ``cli.standards.<without>``, that says what the command does instead, when the data directory
    was named explicitly)."""
    data_dir = data_dir_from(args)
    if not data_dir.database.exists():
        if getattr(args, "data_dir", None):
            print(words(args, f"standards.{without}", folder=str(data_dir.root)), file=sys.stderr)
        yield data_dir, None
        return
    from inspector.storage.db import open_store  # only with a yard: the database layer takes a while to load

    store = open_store(data_dir, backup=False)
    try:
        yield data_dir, store
    finally:
        store.close()


def _read_load(name: str) -> Any:
    source: str | Term
    if name == "-":
        text = sys.stdin.read(MAX_LOAD_BYTES + 1)
        source = Term("standard_file", "stdin")
    else:
        from inspector.standard.loader import unreadable

        path = Path(name)
        try:
            if path.stat().st_size > MAX_LOAD_BYTES:
                raise UserError("standard.load_too_large", source=name,
                                maximum=formats.number(MAX_LOAD_BYTES))
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise unreadable(exc, what="load", path=name) from None
        except UnicodeDecodeError:
            raise UserError("standard.load_not_utf8", source=name) from None
        source = name
    if len(text) > MAX_LOAD_BYTES:
        raise UserError("standard.load_too_large", source=source, maximum=formats.number(MAX_LOAD_BYTES))
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise UserError("standard.load_not_json", source=source, problem=json_problem(exc), line=exc.lineno,
                        column=exc.colno) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise UserError("standard.load_field_twice", field=key)
        out[key] = value
    return out


def cmd_classify(args: argparse.Namespace) -> int:
    from inspector.standard import classify_input, default_ruleset, describe, load_ruleset

    raw = _read_load(args.load)
    with _existing_store(args, without="no_yard_permits") as (data_dir, store):
        permits: tuple[str, ...] = ()
        if store is not None:
            from inspector.services import classification as services

            with store.session() as session:
                ruleset = (load_ruleset(args.ruleset) if args.ruleset
                           else services.ruleset_in_force(session, data_dir=data_dir))
                permits = services.yard_permit_codes(session)
        else:
            ruleset = load_ruleset(args.ruleset) if args.ruleset else default_ruleset()
    result = classify_input(ruleset, raw, default_permit_codes=permits)
    out = result.to_json()
    # The words as well as the codes, in both languages, so the output can be read as it is.
    out["category_name"] = ruleset.category_name(result.category).model_dump()
    for data, finding in zip(out["findings"], result.findings, strict=True):
        data["text"] = {lang: describe(ruleset, finding, lang) for lang in ("zh", "en")}
    print_json(out)
    return 0


def _summary(rs: RuleSet, in_force: RuleSet | None) -> dict[str, Any]:
    return {
        **rs.ref.to_json(),
        "title": rs.definition.title.model_dump(),
        "effective_from": rs.definition.effective_from,
        "source": rs.source,
        "categories": [c.code for c in rs.definition.categories],
        "in_force": in_force is not None and in_force.id == rs.id and in_force.version == rs.version,
    }


def cmd_list(args: argparse.Namespace) -> int:
    from inspector.standard import default_ruleset, installed_rulesets

    with _existing_store(args, without="no_yard_shipped") as (data_dir, store):
        if store is not None:
            from inspector.services import classification as services

            with store.session() as session:
                in_force: RuleSet | None = services.ruleset_in_force(session, data_dir=data_dir)
        else:
            in_force = default_ruleset()
        rulesets = installed_rulesets(data_dir if store is not None else None)
    print_json([_summary(rs, in_force) for rs in rulesets])
    return 0


def _resolve(ref: str, args: argparse.Namespace) -> RuleSet:
    """A rule set named by a file path, ``ID`` or ``ID@VERSION``."""
    from inspector.standard import find_ruleset, load_ruleset

    if Path(ref).is_file():
        return load_ruleset(ref)
    data_dir = data_dir_from(args)
    return find_ruleset(ref, data_dir if data_dir.root.exists() else None)


def cmd_show(args: argparse.Namespace) -> int:
    rs = _resolve(args.ref, args)
    print_json({"ruleset": rs.ref.to_json(), "source": rs.source, "document": rs.document})
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from inspector.standard import load_ruleset

    rs = load_ruleset(args.file)
    d = rs.definition
    print_json({
        "valid": True, **rs.ref.to_json(), "source": rs.source,
        "categories": len(d.categories), "attributes": len(d.attributes), "rules": len(d.rules),
        "questions": len(d.identification.questions),
    })
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from inspector.standard import diff_documents

    a, b = _resolve(args.a, args), _resolve(args.b, args)
    changes = diff_documents(a.document, b.document)
    print_json({"a": a.ref.to_json(), "b": b.ref.to_json(), "changes": [c.to_json() for c in changes]})
    return 0
