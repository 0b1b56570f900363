"""Commands for the yard's IP cameras: list, set, remove, and take a test snapshot."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector.cli.common import print_json, say
from inspector.errors import UserError
from inspector.messages import formats


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    signed = argparse.ArgumentParser(add_help=False)
    signed.add_argument("--as", dest="as_user", metavar="USER", required=True,
                        help="a supervisor or administrator (asks the password)")
    signed.add_argument("--secrets-file", dest="secrets_file", metavar="FILE",
                        help='JSON with {"password": ...} for scripts')
    cams = subparsers.add_parser("cameras", parents=[common], help="the IP cameras that photograph loads",
                                 description="IP cameras over the weighbridge: the intake form takes a "
                                 "snapshot from each (F7).")
    c = cams.add_subparsers(dest="cameras_command", metavar="ACTION", required=True)
    p = c.add_parser("list", parents=[common], help="the configured cameras (passwords hidden)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)
    p = c.add_parser("set", parents=[common, signed], help="add a camera or change its snapshot URL")
    p.add_argument("name")
    p.add_argument("url", help="the camera's still-image URL, e.g. http://192.168.1.64/axis-cgi/jpg/image.cgi")
    p.set_defaults(handler=cmd_set)
    p = c.add_parser("remove", parents=[common, signed], help="remove a camera")
    p.add_argument("name")
    p.set_defaults(handler=cmd_remove)
    p = c.add_parser("snapshot", parents=[common], help="take one picture to check a camera")
    p.add_argument("name")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the picture")
    p.set_defaults(handler=cmd_snapshot)


def cmd_list(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open
    from inspector.intake.camera import cameras

    store = _open(args)
    try:
        with store.session() as session:
            found = cameras(session)
    finally:
        store.close()
    if args.json:
        print_json([{"name": c.name, "url": c.shown_url} for c in found])
    elif not found:
        say(args, "cameras.none")
    for camera in [] if args.json else found:
        say(args, "cameras.row", name=camera.name, url=camera.shown_url)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.intake.camera import set_camera

    clock = Clock()
    store = _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            camera = set_camera(session, actor=actor, clock=clock, name=args.name, url=args.url)
    finally:
        store.close()
    say(args, "cameras.set", name=camera.name, url=camera.shown_url)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.intake.camera import remove_camera

    clock = Clock()
    store = _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            remove_camera(session, actor=actor, clock=clock, name=args.name)
    finally:
        store.close()
    say(args, "cameras.removed", name=args.name)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open
    from inspector.intake.camera import cameras, fetch_snapshot

    store = _open(args)
    try:
        with store.session() as session:
            camera = next((c for c in cameras(session) if c.name == args.name), None)
    finally:
        store.close()
    if camera is None:
        raise UserError("camera.unknown", field="name", name=args.name)
    image = fetch_snapshot(camera)
    out = Path(args.out).expanduser()
    out.write_bytes(image)
    say(args, "cameras.snapshot", size=formats.number(len(image)), name=camera.name, path=str(out))
    return 0
