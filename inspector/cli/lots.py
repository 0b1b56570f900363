"""Command group 'lots': list and show lots, the approval queue, create and submit, sign a decision on the
yard PC, and the offline round trip (export a packet, decide it on a laptop, import the decision).

Commands that act for a person sign them in (``--user``, password from ``--password-file`` or a prompt);
signing asks for the key passphrase (``--passphrase-file`` or a prompt). Secrets are never arguments.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from inspector.cli.common import data_dir_from, language_of, print_json, store_from, words
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import UserError
from inspector.security.actor import Actor

if TYPE_CHECKING:
    from sqlmodel import Session


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    lots = subparsers.add_parser("lots", parents=[common],
                                 help="lots, approvals and offline approval packets")
    sub = lots.add_subparsers(dest="lots_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", parents=[common], help="list lots (JSON lines)")
    p.add_argument("--state", type=_lot_state, metavar="STATE",
                   help="only lots in this state: draft, submitted, approved, rejected, certified or void")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", parents=[common], help="a lot's loads, findings, mass balance and approvals")
    p.add_argument("lot", metavar="LOT")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("queue", parents=[common], help="the supervisors' approval queue and held loads")
    p.set_defaults(handler=cmd_queue)

    p = sub.add_parser("create", parents=[common], help="create a draft lot from classified loads")
    p.add_argument("tickets", nargs="+", metavar="TICKET", help="ticket numbers of the loads")
    p.add_argument("--contract", default="", help="the contract the lot belongs to")
    p.add_argument("--note", default="")
    _person(p)
    p.set_defaults(handler=cmd_create)

    p = sub.add_parser("submit", parents=[common], help="put a draft lot in the approval queue")
    p.add_argument("lot", metavar="LOT")
    _person(p)
    p.set_defaults(handler=cmd_submit)

    p = sub.add_parser("sign", parents=[common], help="approve or reject a submitted lot on this PC")
    p.add_argument("lot", metavar="LOT")
    _decision(p)
    _person(p)
    p.add_argument("--passphrase-file", metavar="F", help="file holding your key passphrase")
    p.set_defaults(handler=cmd_sign)

    p = sub.add_parser("export-packet", parents=[common],
                       help="write a signed approval packet of a submitted lot for offline approval")
    p.add_argument("lot", metavar="LOT")
    p.add_argument("--out", required=True, metavar="FILE")
    _person(p)
    p.add_argument("--passphrase-file", metavar="F", help="file holding your key passphrase")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("open-packet", parents=[common],
                       help="show an approval packet read-only, after checking it against the yard CA")
    p.add_argument("packet", metavar="PACKET")
    p.add_argument("--ca", metavar="FILE",
                   help="the yard CA certificate (default: keys/yard-ca.pem in the data directory)")
    p.set_defaults(handler=cmd_open_packet)

    p = sub.add_parser("decide", parents=[common],
                       help="on a supervisor's laptop: approve or reject a packet, writing a decision file")
    p.add_argument("packet", metavar="PACKET")
    _decision(p)
    p.add_argument("--key", metavar="FILE",
                   help="your PKCS#12 key file (default: the only one in the data directory's keys folder)")
    p.add_argument("--passphrase-file", metavar="F", help="file holding your key passphrase")
    p.add_argument("--out", metavar="FILE", help="the decision file (default: PACKET.decision.json)")
    p.set_defaults(handler=cmd_decide)

    p = sub.add_parser("import-decision", parents=[common],
                       help="record a decision file brought back from a laptop (checked first)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_import)


def _person(p: argparse.ArgumentParser) -> None:
    # --as, like every other command that signs in; --user is kept as its other name.
    p.add_argument("--as", "--user", dest="user", metavar="USER", required=True, help="your user id")
    p.add_argument("--password-file", metavar="F", help="file holding your password (else you are asked)")


# Argument types that look their choices up only when the option is given, so --help imports nothing heavy.
def _lot_state(value: str) -> str:
    from inspector.states import LotState

    states = [s.value for s in LotState]
    if value not in states:
        # Parsed before --lang is known: the locale decides the language.
        raise argparse.ArgumentTypeError(words(None, "lots.not_a_lot_state", value=value, choices=states))
    return value


def _decision_choice(value: str) -> str:
    from inspector.lots import packets

    if value not in packets.DECISIONS:
        raise argparse.ArgumentTypeError(words(None, "lots.not_a_decision", value=value,
                                               choices=list(packets.DECISIONS)))
    return value


def _decision(p: argparse.ArgumentParser) -> None:
    p.add_argument("--decision", required=True, type=_decision_choice, metavar="DECISION",
                   help="approve or reject")
    p.add_argument("--meaning",
                   help="what your signature means (default: a standard sentence naming the lot)")


def _secret(path: str | None, prompt: str, *, field: str) -> str:
    from inspector.messages import os_problem

    if path:
        try:
            return Path(path).read_text(encoding="utf-8").splitlines()[0] if Path(path).stat().st_size else ""
        except OSError as exc:
            raise UserError("lot.file_unreadable", field=field, path=path, reason=os_problem(exc)) from None
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError("lot.secret_not_given", field=field,
                        option=f"--{field.replace('_', '-')}-file") from None


def _sign_in(session: Session, args: argparse.Namespace, clock: Clock) -> Actor:
    from inspector.security import users

    password = _secret(args.password_file, words(args, "lots.password_prompt", user=args.user),
                       field="password")
    result = users.authenticate(session, username=args.user, password=password, clock=clock)
    if not result.ok or result.actor is None:
        raise result.refusal(field="password")  # the failed attempt counts
    return result.actor


def _meaning(args: argparse.Namespace, lot_no: str) -> str:
    from inspector.lots import packets

    return str(args.meaning) if args.meaning else packets.default_meaning(args.decision, lot_no,
                                                                           language_of(args))


def cmd_list(args: argparse.Namespace) -> int:
    from inspector.services import lots as svc

    store = store_from(args)
    try:
        with store.session() as s:
            for lot in svc.list_lots(s, states=[args.state] if args.state else None):
                print_json({"lot_no": lot.lot_no, "state": lot.state, "category": lot.category,
                            "supplier_id": lot.supplier_id, "contract": lot.contract,
                            "created_at": lot.created_at})
    finally:
        store.close()
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from inspector.queries import lots as queries

    data_dir = data_dir_from(args)
    store = store_from(args)
    try:
        with store.session() as s:
            detail = queries.lot_detail(s, lot_no=args.lot, data_dir=data_dir)
            lang = language_of(args)
            shown = detail.to_json()
            # The reasons as stored (English) stay under their keys; beside them, in the user's language.
            shown["state_reason_message"] = detail.state_reason_words(lang) or None
            for approval, view in zip(shown["approvals"], detail.approvals, strict=True):
                approval["void_reason_message"] = view.void_reason_words(lang) or None
            print_json(shown)
    finally:
        store.close()
    return 0


def cmd_queue(args: argparse.Namespace) -> int:
    from inspector.queries import lots as queries

    data_dir = data_dir_from(args)
    store = store_from(args)
    try:
        with store.session() as s:
            print_json({
                "lots": [e.to_json() for e in queries.approval_queue_page(s, limit=None, data_dir=data_dir)],
                "held_loads": [ld.to_json() for ld in queries.held_loads(s)],
            })
    finally:
        store.close()
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    from inspector.services import lots as svc

    data_dir = data_dir_from(args)
    clock = Clock()
    store = store_from(args)
    try:
        with store.session() as s:
            actor = _sign_in(s, args, clock)
            ids = [svc.load_by_ticket(s, t).id or 0 for t in args.tickets]
            lot = svc.create_lot(s, actor=actor, clock=clock, data_dir=data_dir, load_ids=ids,
                                 contract=args.contract, note=args.note)
            print_json({"lot_no": lot.lot_no, "state": lot.state})
    finally:
        store.close()
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from inspector.services import lots as svc

    data_dir = data_dir_from(args)
    clock = Clock()
    store = store_from(args)
    try:
        with store.session() as s:
            actor = _sign_in(s, args, clock)
            lot = svc.submit_lot(s, actor=actor, clock=clock, lot_no=args.lot, data_dir=data_dir)
            print_json({"lot_no": lot.lot_no, "state": lot.state})
    finally:
        store.close()
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from inspector.security import users
    from inspector.services import lots as svc

    data_dir = data_dir_from(args)
    clock = Clock()
    password = _secret(args.password_file, words(args, "lots.password_prompt", user=args.user),
                       field="password")
    passphrase = _secret(args.passphrase_file, words(args, "lots.passphrase_prompt"), field="passphrase")
    store = store_from(args)
    try:
        with store.session() as s:
            user = users.get_user(s, args.user)
            if user is None:
                raise UserError(users.WRONG_CREDENTIALS, field="user")
            lot = svc.get_lot(s, args.lot)
            approval = svc.sign_decision(
                s, actor=users.actor_for(user), clock=clock, data_dir=data_dir, lot_no=lot.lot_no,
                decision=args.decision, meaning=_meaning(args, lot.lot_no), password=password,
                passphrase=passphrase,
            )
            print_json({"lot_no": lot.lot_no, "state": lot.state, "decision": approval.decision,
                        "version_hash": approval.version_hash, "signed_at": approval.signed_at})
    finally:
        store.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from inspector.services import lots as svc

    data_dir = data_dir_from(args)
    clock = Clock()
    store = store_from(args)
    try:
        with store.session() as s:
            actor = _sign_in(s, args, clock)
            passphrase = _secret(args.passphrase_file, words(args, "lots.passphrase_prompt"),
                                 field="passphrase")
            # The file is written before the commit: if it cannot be written, no packet is recorded.
            exported = svc.export_packet_file(s, actor=actor, clock=clock, data_dir=data_dir, lot_no=args.lot,
                                              passphrase=passphrase, path=Path(args.out))
            print_json({"lot_no": exported.lot_no, "packet_id": exported.packet_id,
                        "version_hash": exported.version_hash, "file": str(exported.path)})
    finally:
        store.close()
    return 0


def _default_key(data_dir: DataDir) -> Path:
    from inspector.security import keys

    candidates = sorted(p for p in data_dir.keys.glob("*.p12") if p.name != keys.CA_FILE)
    if not candidates:
        raise UserError("packet.key_file_missing", field="key", folder=str(data_dir.keys))
    if len(candidates) > 1:
        raise UserError("packet.key_file_ambiguous", field="key", folder=str(data_dir.keys),
                        files=[p.name for p in candidates])
    return candidates[0]


def cmd_open_packet(args: argparse.Namespace) -> int:
    from inspector.security import keys
    from inspector.services import lots as svc

    data_dir = data_dir_from(args)
    ca_path = Path(args.ca) if args.ca else data_dir.keys / keys.CA_CERT_FILE
    _data, content = svc.open_packet_file(Path(args.packet), ca_path=ca_path)
    lot = content["lot_document"]
    print_json({
        "lot_no": lot["lot"]["lot_no"], "category": lot["lot"]["category"],
        "supplier": lot["lot"]["supplier"],
        "ruleset": content["ruleset"], "version_hash": content["lot_version_hash"],
        "exported_by": content["exported_by"], "exported_at": content["exported_at"],
        "balance": content["balance"], "loads": lot["loads"],
        "photos": {sha: blob is not None for sha, blob in content["photos"].items()},
    })
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from inspector.lots import bundle
    from inspector.services import lots as svc
    from inspector.storage.db import open_store

    data_dir = data_dir_from(args)
    clock = Clock()
    packet_data = svc.read_file(Path(args.packet), field="packet")
    # On a laptop set up from a bundle: its key, and the yard's packet validity.
    profile = bundle.laptop_profile(data_dir)
    key_path = Path(args.key) if args.key else (bundle.laptop_key_file(data_dir, profile) if profile
                                                 else _default_key(data_dir.ensure()))
    passphrase = _secret(args.passphrase_file, words(args, "lots.passphrase_prompt"), field="passphrase")
    out = Path(args.out) if args.out else Path(args.packet).with_suffix(".decision.json")
    # The laptop keeps its own record of what it signed, in its own data directory.
    store = open_store(data_dir, backup=False)
    try:
        with store.session() as s:
            decided = svc.decide_packet_file(s, clock=clock, packet_data=packet_data, key_file=key_path,
                                             passphrase=passphrase, decision=args.decision,
                                             meaning=args.meaning, out=out, lang=language_of(args),
                                             valid_days=profile.packet_valid_days if profile else None)
            print_json({"lot_no": decided.lot_no, "decision": decided.decision, "file": str(decided.path)})
    finally:
        store.close()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from inspector.services import lots as svc

    data_dir = data_dir_from(args)
    data = svc.read_file(Path(args.file), field="file")
    store = store_from(args)
    try:
        with store.session() as s:
            approval = svc.import_decision(s, clock=Clock(), data=data, data_dir=data_dir)
            print_json({"lot_no": approval.lot_no, "decision": approval.decision, "signer": approval.user_id,
                        "printed_name": approval.printed_name, "version_hash": approval.version_hash})
    finally:
        store.close()
    return 0
