"""Commands for the yard's data: init, demo, check, backup, restore."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspector.cli.common import data_dir_from, print_json, store_from
from inspector.errors import UserError


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser("init", parents=[common], help="set up a new yard in the data directory")
    p.add_argument(
        "--from-file",
        metavar="FILE",
        help="a JSON file with the yard's details (for scripted installs) instead of questions",
    )
    p.set_defaults(handler=cmd_init)

    p = subparsers.add_parser("demo", parents=[common], help="build a demo yard in an empty data directory")
    p.add_argument("--loads", type=int, default=40, help="how many loads (default 40)")
    p.set_defaults(handler=cmd_demo)

    p = subparsers.add_parser(
        "check",
        parents=[common],
        help="check the database's integrity and schema; exit 1 if problems are found",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_check)

    p = subparsers.add_parser("backup", parents=[common], help="write a consistent copy of the database")
    p.add_argument("--out", required=True, metavar="FILE", help="the backup file to write")
    p.set_defaults(handler=cmd_backup)

    p = subparsers.add_parser(
        "restore",
        parents=[common],
        help="replace the database with a backup (the current one is backed up first)",
    )
    p.add_argument("file", metavar="FILE", help="a backup written by 'yard-inspector backup'")
    p.set_defaults(handler=cmd_restore)


YARD_FIELDS = ("legal_name", "legal_name_en", "uscc", "address", "permit_numbers", "hw_permit_codes")


def _ask(prompt: str, *, required: bool = False) -> str:
    while True:
        try:
            answer = input(prompt).strip()
        except EOFError:
            raise UserError(
                "No answer was given (standard input closed).",
                field=prompt.strip(": "),
                hint="Use --from-file FILE for a scripted install.",
            ) from None
        if answer or not required:
            return answer
        print("  This is required.", file=sys.stderr)


def _read_details(args: argparse.Namespace) -> dict[str, Any]:
    if args.from_file:
        try:
            details = json.loads(Path(args.from_file).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"No such file: {args.from_file}.", field="--from-file") from None
        except json.JSONDecodeError as exc:
            raise UserError(
                f"{args.from_file} is not valid JSON ({exc.msg}, line {exc.lineno}).", field="--from-file"
            ) from None
        if not isinstance(details, dict):
            raise UserError("The file must hold one JSON object.", field="--from-file")
        unknown = sorted(set(details) - set(YARD_FIELDS) - {"admin"})
        if unknown:
            raise UserError(
                f"Unknown keys: {', '.join(unknown)}.",
                field="--from-file",
                hint=f"Allowed: {', '.join(YARD_FIELDS)}, admin.",
            )
        return details
    print("Setting up a new yard. Press Enter to leave an optional answer empty.")
    return {
        "legal_name": _ask("Legal name of the yard (as on the business licence): ", required=True),
        "legal_name_en": _ask("Legal name in English (optional): "),
        "uscc": _ask("Unified social credit code (optional): "),
        "address": _ask("Address (optional): "),
        "permit_numbers": [p for p in _ask("Permit numbers, separated by ';' (optional): ").split(";") if p],
        "hw_permit_codes": [
            c
            for c in _ask("Hazardous-waste codes on the permit, e.g. HW49,HW50: ")
            .replace(";", ",")
            .split(",")
            if c.strip()
        ],
    }


def cmd_init(args: argparse.Namespace) -> int:
    from inspector.cli.security import admin_details, prompt_admin
    from inspector.clock import Clock
    from inspector.security.actor import SYSTEM
    from inspector.security.setup import init_security
    from inspector.services import yard as yard_services

    details = _read_details(args)
    for key in ("permit_numbers", "hw_permit_codes"):
        if not isinstance(details.get(key, []), list):
            raise UserError("must be a list of strings.", field=key)
    if args.from_file:
        # There are no default passwords: a scripted install names its first administrator.
        admin = admin_details(details.get("admin"), field="--from-file: admin")
    else:
        print("The first administrator and the yard's certificate authority (CA):")
        admin = prompt_admin()
    store = store_from(args)
    clock = Clock()
    try:
        with store.session() as session:
            yard = yard_services.create_yard(
                session, actor=SYSTEM, clock=clock, **{k: details[k] for k in YARD_FIELDS if k in details}
            )
            init_security(
                session, data_dir=store.data_dir, clock=clock, yard_name=yard.legal_name_en or "", **admin
            )
            name = yard.legal_name
    finally:
        store.close()
    print(f"Yard '{name}' set up in {store.data_dir.root}; administrator '{admin['admin_user']}' created.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from inspector.demo.yard import build_demo_yard

    if args.loads < 1 or args.loads > 10000:
        raise UserError("must be between 1 and 10000.", field="--loads")
    store = store_from(args)
    try:
        summary = build_demo_yard(store, loads=args.loads)
    finally:
        store.close()
    print(
        f"Demo yard built in {store.data_dir.root}: {summary.suppliers} suppliers, "
        f"{summary.vehicles} vehicles, {summary.loads} loads, {len(summary.certificates)} certificates "
        f"(in {store.data_dir.certificates})."
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from inspector.security import verify

    data_dir = data_dir_from(args)
    if not data_dir.database.exists():
        raise UserError(
            f"There is no database in {data_dir.root}.",
            field="--data-dir",
            hint="Name the data directory of a yard, or run 'yard-inspector init' first.",
        )
    report = verify.check_data_dir(data_dir)
    if args.json:
        print_json({"ok": report.ok, "revision": report.revision, "problems": report.problems})
    else:
        print(f"Database: {data_dir.database}")
        print(f"Schema revision: {report.revision or 'none'}")
        for problem in report.problems:
            print(f"PROBLEM: {problem}")
        print("No problems found." if report.ok else f"{len(report.problems)} problem(s) found.")
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from inspector.storage import backup as backup_mod

    data_dir = data_dir_from(args)
    if not data_dir.database.exists():
        raise UserError(f"There is no database in {data_dir.root} to back up.", field="--data-dir")
    out = Path(args.out).expanduser().resolve()
    if out.exists():
        raise UserError(
            f"{out} already exists; a backup never overwrites a file.",
            field="--out",
            hint="Choose a new file name.",
        )
    backup_mod.backup_database(data_dir.database, out)
    revision = backup_mod.verify_backup(out)
    print(f"Backup written to {out} (schema revision {revision}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from inspector.storage import backup as backup_mod

    data_dir = data_dir_from(args)
    safety = backup_mod.restore_database(data_dir, Path(args.file).expanduser().resolve())
    if safety:
        print(f"The database that was replaced is kept as {safety}.")
    print(f"Restored {args.file} into {data_dir.database}.")
    return 0
