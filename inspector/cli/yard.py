"""Commands for the yard's data: init, demo, check, backup, restore."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from inspector.cli.common import data_dir_from, json_problem, language_of, print_json, say, store_from, words
from inspector.errors import UserError
from inspector.messages import formats


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


def _ask(args: argparse.Namespace, key: str, *, required: bool = False) -> str:
    """Ask the question ``cli.yard.ask.<key>`` until answered (if ``required``); ``key`` names the field."""
    prompt = words(args, f"yard.ask.{key}")
    while True:
        try:
            answer = input(prompt).strip()
        except EOFError:
            print()  # the question stays on its line; the refusal starts on the next
            raise UserError("yard.setup.no_answer", field=key) from None
        if answer or not required:
            return answer
        print(words(args, "yard.required"), file=sys.stderr)


def _split(text: str, separators: str) -> list[str]:
    """The items of a typed list; full-width separators (as a Chinese keyboard types them) count too."""
    for sep in separators[1:]:
        text = text.replace(sep, separators[0])
    return [item.strip() for item in text.split(separators[0]) if item.strip()]


def _read_details(args: argparse.Namespace) -> dict[str, Any]:
    if args.from_file:
        try:
            details = json.loads(Path(args.from_file).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError("yard.setup.no_file", field="--from-file", path=args.from_file) from None
        except json.JSONDecodeError as exc:
            raise UserError("yard.setup.bad_json", field="--from-file", path=args.from_file,
                            detail=json_problem(exc), line=exc.lineno) from None
        if not isinstance(details, dict):
            raise UserError("yard.setup.not_an_object", field="--from-file")
        unknown = sorted(set(details) - set(YARD_FIELDS) - {"admin"})
        if unknown:
            raise UserError(
                "yard.setup.unknown_keys", field="--from-file", keys=unknown, allowed=[*YARD_FIELDS, "admin"]
            )
        return details
    say(args, "yard.setup_intro")
    return {
        "legal_name": _ask(args, "legal_name", required=True),
        "legal_name_en": _ask(args, "legal_name_en"),
        "uscc": _ask(args, "uscc"),
        "address": _ask(args, "address"),
        "permit_numbers": _split(_ask(args, "permit_numbers"), ";；"),
        "hw_permit_codes": _split(_ask(args, "hw_permit_codes"), ",;，；、"),
    }


def cmd_init(args: argparse.Namespace) -> int:
    from inspector.cli.security import admin_details, prompt_admin
    from inspector.clock import Clock
    from inspector.security.actor import SYSTEM
    from inspector.security.setup import init_security
    from inspector.services import yard as yard_services

    details = _read_details(args)
    for key in ("permit_numbers", "hw_permit_codes"):
        value = details.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise UserError("yard.setup.not_a_list", field=key)
    if args.from_file:
        # There are no default passwords: a scripted install names its first administrator.
        admin = admin_details(details.get("admin"), field="--from-file: admin")
    else:
        say(args, "yard.admin_intro")
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
    say(args, "yard.init_done", name=name, path=str(store.data_dir.root), admin=admin["admin_user"])
    return 0


DEMO_LOADS = (1, 10000)


def cmd_demo(args: argparse.Namespace) -> int:
    from inspector.demo.yard import build_demo_yard

    low, high = DEMO_LOADS
    if args.loads < low or args.loads > high:
        raise UserError("demo.loads_range", field="--loads", low=formats.number(low),
                        high=formats.number(high))
    store = store_from(args)
    try:
        summary = build_demo_yard(store, loads=args.loads)
    finally:
        store.close()
    say(
        args,
        "yard.demo_done",
        path=str(store.data_dir.root),
        suppliers=formats.number(summary.suppliers),
        vehicles=formats.number(summary.vehicles),
        loads=formats.number(summary.loads),
        certificates=formats.number(len(summary.certificates)),
        folder=str(store.data_dir.certificates),
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from inspector.security import verify
    from inspector.storage import db

    data_dir = data_dir_from(args)
    if not data_dir.database.exists():
        raise UserError("datadir.no_database", field="--data-dir", path=str(data_dir.root))
    report = verify.check_data_dir(data_dir)
    lang = language_of(args)
    sqlite_version, fixed = db.sqlite_version()
    if args.json:
        print_json({"ok": report.ok, "revision": report.revision, "sqlite_version": sqlite_version,
                    "sqlite_wal_reset_fixed": fixed,
                    "problems": [p.to_json(lang) for p in report.problems]})
    else:
        say(args, "yard.check_database", path=str(data_dir.database))
        if report.revision:
            say(args, "yard.check_revision", revision=report.revision)
        else:
            say(args, "yard.check_no_revision")
        if fixed:
            say(args, "yard.check_sqlite", version=sqlite_version)
        else:
            say(args, "yard.check_sqlite_old", version=sqlite_version,
                fixed=".".join(map(str, db.SQLITE_WAL_RESET_FIXED)))
        for problem in report.problems:
            say(args, "yard.check_problem", problem=problem.words(lang))
        if report.ok:
            say(args, "yard.check_ok")
        else:
            say(args, "yard.check_found", count=formats.number(len(report.problems)))
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from inspector.clock import Clock
    from inspector.storage import backup as backup_mod

    data_dir = data_dir_from(args)
    if not data_dir.database.exists():
        raise UserError("datadir.no_database", field="--data-dir", path=str(data_dir.root))
    out = Path(args.out).expanduser().resolve()
    if out.exists():
        raise UserError("backup.target_exists", field="--out", path=str(out))
    backup_mod.backup_database(data_dir.database, out)
    revision = backup_mod.verify_backup(out)
    stamp = Clock().now()
    taken = formats.moment(stamp.utc, stamp.offset_minutes, zone_shown=True)
    say(args, "yard.backup_done", path=str(out), revision=revision, time=taken)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from inspector.storage import backup as backup_mod

    data_dir = data_dir_from(args)
    safety = backup_mod.restore_database(data_dir, Path(args.file).expanduser().resolve())
    if safety:
        say(args, "yard.restore_kept", path=str(safety))
    say(args, "yard.restored", file=args.file, database=str(data_dir.database))
    return 0
