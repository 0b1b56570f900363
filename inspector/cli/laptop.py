"""Command group 'laptop': set up a supervisor's laptop from their bundle, and the yard's packet validity.

``yard-inspector laptop setup FILE`` makes the data directory (``--data-dir``) a laptop: the supervisor's key,
the yard CA's certificate and the laptop's profile, from the bundle they exported on the yard PC
(``yard-inspector keys export-bundle``). The key passphrase is asked (or read from ``--passphrase-file``).
Then ``yard-inspector lots decide PACKET`` works with that directory alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector.cli.common import data_dir_from, print_json, words


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    laptop = subparsers.add_parser("laptop", parents=[common],
                                   help="a supervisor's laptop for offline approval")
    sub = laptop.add_subparsers(dest="laptop_command", metavar="ACTION", required=True)

    p = sub.add_parser("setup", parents=[common],
                       help="make the data directory a laptop from a supervisor bundle")
    p.add_argument("bundle", metavar="FILE", help="the bundle from 'yard-inspector keys export-bundle'")
    p.add_argument("--passphrase-file", metavar="F", help="file holding your key passphrase")
    p.set_defaults(handler=cmd_setup)

    p = sub.add_parser("show", parents=[common], help="who this laptop signs for (JSON)")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("packet-days", parents=[common],
                       help="on the yard PC: how many days an approval packet stays valid (an administrator)")
    p.add_argument("days", type=int, metavar="DAYS")
    p.add_argument("--as", dest="as_user", metavar="USER", help="sign in as this user (asks the password)")
    p.add_argument("--secrets-file", "--passphrase-file", dest="secrets_file", metavar="FILE",
                   help="JSON with the password (scripts)")
    p.set_defaults(handler=cmd_packet_days)


def cmd_setup(args: argparse.Namespace) -> int:
    from inspector.cli.lots import _secret
    from inspector.lots import bundle
    from inspector.services import lots as svc

    data_dir = data_dir_from(args)
    data = svc.read_file(Path(args.bundle), field="file")
    passphrase = _secret(args.passphrase_file, words(args, "lots.passphrase_prompt"), field="passphrase")
    profile = bundle.setup_laptop(data, passphrase=passphrase, data_dir=data_dir)
    print_json({**profile.to_json(), "data_dir": str(data_dir.root)})
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from inspector.errors import UserError
    from inspector.lots import bundle

    data_dir = data_dir_from(args)
    profile = bundle.laptop_profile(data_dir)
    if profile is None:
        raise UserError("laptop.not_a_laptop", field="--data-dir", path=str(data_dir.root))
    print_json(profile.to_json())
    return 0


def cmd_packet_days(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.lots import bundle

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            bundle.set_packet_valid_days(session, actor=actor, clock=clock, days=args.days)
        print_json({"packet_valid_days": args.days})
        return 0
    finally:
        store.close()
