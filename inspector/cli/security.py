"""Commands for users, the yard CA, signing keys, the audit trail and signing holds.

Commands that change something sign in first: ``--as USER`` and the password (asked, or from a secrets file).
Secrets never go on the command line (shell history, process list): they are asked for with ``getpass``, or
read from ``--secrets-file FILE`` (alias ``--passphrase-file``), a JSON object with any of the keys
``password`` (the acting user's), ``new_password``, ``ca_passphrase``, ``key_passphrase``.

Each command imports the services it runs when it runs, so ``--help`` and the other commands start fast.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.cli.common import data_dir_from, print_json, store_from
from inspector.clock import Clock
from inspector.errors import PermissionDeniedError, UserError
from inspector.security.actor import Actor

if TYPE_CHECKING:
    from inspector.security import users
    from inspector.storage.db import Store

__all__ = ["admin_details", "prompt_admin", "read_admin_file", "register"]

ROLE_CHOICES = ["inspector", "supervisor", "clerk", "admin"]


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    signed = argparse.ArgumentParser(add_help=False)
    signed.add_argument("--as", dest="as_user", metavar="USER",
                        help="sign in as this user (asks the password)")
    signed.add_argument("--secrets-file", "--passphrase-file", dest="secrets_file", metavar="FILE",
                        help="JSON with password / new_password / ca_passphrase / key_passphrase (scripts)")

    users_p = subparsers.add_parser("users", parents=[common], help="user accounts and roles")
    u = users_p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    p = u.add_parser("add", parents=[common, signed], help="add a user (an administrator signs in)")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="the person's name as printed on records")
    p.add_argument("--role", action="append", required=True, choices=ROLE_CHOICES,
                   help="a role (repeat for several)")
    p.set_defaults(handler=cmd_users_add)
    p = u.add_parser("list", parents=[common], help="list the users, their roles and lock state")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_users_list)
    p = u.add_parser("lock-status", parents=[common], help="show whether an account is locked")
    p.add_argument("username")
    p.set_defaults(handler=cmd_users_lock_status)
    p = u.add_parser("reset", parents=[common, signed],
                     help="set a temporary password (the user must change it at the next sign-in)")
    p.add_argument("username")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_users_reset)
    p = u.add_parser("unlock", parents=[common, signed], help="unlock an account locked by failed sign-ins")
    p.add_argument("username")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_users_unlock)
    for name, fn in (("grant", cmd_users_grant), ("revoke", cmd_users_revoke)):
        p = u.add_parser(name, parents=[common, signed], help=f"{name} a role")
        p.add_argument("username")
        p.add_argument("role", choices=ROLE_CHOICES)
        p.add_argument("--reason", required=True)
        p.set_defaults(handler=fn)
    p = u.add_parser("passwd", parents=[common, signed], help="change your own password")
    p.set_defaults(handler=cmd_users_passwd)
    p = u.add_parser("failures", parents=[common, signed],
                     help="failed sign-in attempts not yet reviewed (supervisors, administrators)")
    p.add_argument("--acknowledge", action="store_true", help="mark the listed failures as reviewed")
    p.set_defaults(handler=cmd_users_failures)

    ca_p = subparsers.add_parser("ca", parents=[common], help="the yard's certificate authority")
    c = ca_p.add_subparsers(dest="ca_command", metavar="ACTION", required=True)
    p = c.add_parser("export", parents=[common], help="write the CA certificate (PEM) for customers")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_ca_export)

    keys_p = subparsers.add_parser("keys", parents=[common], help="supervisors' signing keys")
    k = keys_p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    p = k.add_parser("issue", parents=[common, signed],
                     help="issue or renew a supervisor's key (asks the CA and the new key passphrases)")
    p.add_argument("username")
    p.add_argument("--valid-days", type=int, metavar="DAYS",
                   help="how long the key is valid (default: the yard's standard for personal keys)")
    p.set_defaults(handler=cmd_keys_issue)
    p = k.add_parser("import", parents=[common, signed], help="register a key from an external CA (PKCS#12)")
    p.add_argument("username")
    p.add_argument("file", metavar="PKCS12")
    p.set_defaults(handler=cmd_keys_import)
    p = k.add_parser("list", parents=[common], help="list the registered certificates")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_keys_list)
    p = k.add_parser("revoke", parents=[common, signed], help="revoke a personal key")
    p.add_argument("fingerprint")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_keys_revoke)

    audit_p = subparsers.add_parser("audit", parents=[common], help="the audit trail")
    a = audit_p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = a.add_parser("verify", parents=[common], help="verify the chain, row hashes and checkpoints")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit_verify)
    p = a.add_parser("export", parents=[common], help="export the audit trail to CSV with the chain head")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--entity")
    p.add_argument("--user")
    p.add_argument("--action")
    p.set_defaults(handler=cmd_audit_export)

    holds_p = subparsers.add_parser("holds", parents=[common], help="what blocks signing (clock, integrity)")
    h = holds_p.add_subparsers(dest="holds_command", metavar="ACTION", required=True)
    p = h.add_parser("list", parents=[common], help="list open signing holds (also checks the clock)")
    p.set_defaults(handler=cmd_holds_list)
    p = h.add_parser("ack", parents=[common, signed], help="a supervisor acknowledges a hold after review")
    p.add_argument("hold_id", type=int)
    p.add_argument("--note", required=True)
    p.set_defaults(handler=cmd_holds_ack)


# --- secrets and sign-in ---------------------------------------------------------------------------------

def _open(args: argparse.Namespace) -> Store:
    """The yard's store; these commands never create a yard (that is 'yard-inspector init')."""
    data_dir = data_dir_from(args)
    if not data_dir.database.exists():
        raise UserError(f"There is no yard in {data_dir.root}.", field="--data-dir",
                        hint="Name the data directory of a yard, or run 'yard-inspector init' first.")
    return store_from(args)


def _secrets(args: argparse.Namespace) -> dict[str, str]:
    path = getattr(args, "secrets_file", None)
    if not path:
        return {}
    try:
        data = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"Cannot read the secrets file {path}: {exc}.", field="--secrets-file",
                        hint='Write a JSON object such as {"password": "...", "new_password": "..."}.',
                        ) from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UserError("The secrets file must be a JSON object of strings.", field="--secrets-file")
    return data


def _secret(args: argparse.Namespace, key: str, prompt: str, *, confirm: bool = False) -> str:
    value = _secrets(args).get(key)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"The {key.replace('_', ' ')} is needed and there is no terminal to ask it.",
                        field="--secrets-file", hint=f'Give it as "{key}" in a secrets file.')
    value = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} (again): ") != value:
        raise UserError("The two entries differ.", field=key)
    return value


def _sign_in(store: Store, args: argparse.Namespace, clock: Clock) -> Actor:
    from inspector.security import users

    username = getattr(args, "as_user", None)
    if not username:
        raise UserError("This command needs a signed-in user.", field="--as",
                        hint="Add --as USER (an administrator, or a supervisor where stated).")
    password = _secret(args, "password", f"Password for {username}")
    with store.session() as session:
        result = users.authenticate(session, username=username, password=password, clock=clock)
    if not result.ok or result.actor is None:
        raise PermissionDeniedError(result.message, hint="Check the user id and password.")
    if result.must_change_password and getattr(args, "handler", None) is not cmd_users_passwd:
        raise PermissionDeniedError(f"{username} must change the password first.",
                                    hint="Run 'yard-inspector users passwd --as USER'.")
    return result.actor


# --- users -----------------------------------------------------------------------------------------------

def cmd_users_add(args: argparse.Namespace) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        password = _secret(args, "new_password", f"Temporary password for {args.username}", confirm=True)
        with store.session() as session:
            view = users.create_user(session, actor=actor, clock=clock, username=args.username,
                                     display_name=args.name, roles=args.role, password=password)
        print(f"User {view.username} added with roles {', '.join(view.roles)}; "
              "the password must be changed at the first sign-in.")
        return 0
    finally:
        store.close()


def _view_dict(view: users.UserView) -> dict[str, Any]:
    return {"username": view.username, "name": view.display_name, "roles": list(view.roles),
            "active": view.active, "must_change_password": view.must_change_password,
            "failed_count": view.failed_count, "locked_until": view.locked_until}


def cmd_users_list(args: argparse.Namespace) -> int:
    from inspector.security import users

    store = _open(args)
    try:
        with store.session() as session:
            views = users.list_users(session)
        now = Clock().now().utc
        if args.json:
            print_json([_view_dict(v) for v in views])
        else:
            for v in views:
                state = "locked" if v.is_locked(now) else ("active" if v.active else "disabled")
                print(f"{v.username:<20} {','.join(v.roles):<28} {state:<9} {v.display_name}")
        return 0
    finally:
        store.close()


def cmd_users_lock_status(args: argparse.Namespace) -> int:
    from inspector.security import users

    store = _open(args)
    try:
        with store.session() as session:
            view = users.lock_status(session, username=args.username)
        now = Clock().now().utc
        if view.is_locked(now) and view.locked_until is not None:
            print(f"{view.username} is locked until {view.locked_until:%Y-%m-%d %H:%M} UTC "
                  f"({view.failed_count} failed attempts).")
        else:
            print(f"{view.username} is not locked ({view.failed_count} recent failed attempts).")
        return 0
    finally:
        store.close()


def cmd_users_reset(args: argparse.Namespace) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        password = _secret(args, "new_password", f"Temporary password for {args.username}", confirm=True)
        with store.session() as session:
            users.reset_password(session, actor=actor, clock=clock, username=args.username,
                                 new_password=password, reason=args.reason)
        print(f"Password of {args.username} reset; it must be changed at the next sign-in.")
        return 0
    finally:
        store.close()


def cmd_users_unlock(args: argparse.Namespace) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            users.unlock_user(session, actor=actor, clock=clock, username=args.username, reason=args.reason)
        print(f"{args.username} unlocked.")
        return 0
    finally:
        store.close()


def _change_role(args: argparse.Namespace, grant: bool) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        fn = users.grant_role if grant else users.revoke_role
        with store.session() as session:
            view = fn(session, actor=actor, clock=clock, username=args.username, role=args.role,
                      reason=args.reason)
        print(f"{view.username} now has the roles {', '.join(view.roles)}.")
        return 0
    finally:
        store.close()


def cmd_users_grant(args: argparse.Namespace) -> int:
    return _change_role(args, True)


def cmd_users_revoke(args: argparse.Namespace) -> int:
    return _change_role(args, False)


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        new = _secret(args, "new_password", "New password", confirm=True)
        with store.session() as session:
            users.change_password(session, actor=actor, clock=clock,
                                  old_password=_secret(args, "password", ""), new_password=new)
        print("Password changed.")
        return 0
    finally:
        store.close()


def cmd_users_failures(args: argparse.Namespace) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            attempts = users.list_failed_attempts(session, actor=actor)
            for a in attempts:
                print(f"{a.at:%Y-%m-%d %H:%M:%S} UTC  {a.username:<20} {a.outcome:<15} {a.purpose}")
            if not attempts:
                print("No failed attempts to review.")
            elif args.acknowledge:
                count = users.acknowledge_failed_attempts(session, actor=actor, clock=clock)
                print(f"{count} failed attempt(s) marked as reviewed.")
        return 0
    finally:
        store.close()


# --- CA and keys -----------------------------------------------------------------------------------------

def cmd_ca_export(args: argparse.Namespace) -> int:
    from inspector.security import keys

    store = _open(args)
    try:
        with store.session() as session:
            out = keys.export_ca(session, out=Path(args.out).expanduser().resolve())
            ca = keys.require_ca(session)
        print(f"CA certificate written to {out} (SHA-256 fingerprint {ca.fingerprint}).")
        return 0
    finally:
        store.close()


def cmd_keys_issue(args: argparse.Namespace) -> int:
    from inspector.security import keys

    clock, store, data_dir = Clock(), _open(args), data_dir_from(args)
    try:
        actor = _sign_in(store, args, clock)
        ca_pass = _secret(args, "ca_passphrase", "Passphrase of the yard CA")
        key_pass = _secret(args, "key_passphrase",
                           f"New passphrase for {args.username}'s key (the supervisor types it)",
                           confirm=True)
        with store.session() as session:
            row = keys.issue_personal_key(session, actor=actor, clock=clock, data_dir=data_dir,
                                          username=args.username, ca_passphrase=ca_pass,
                                          key_passphrase=key_pass,
                                          valid_days=(keys.PERSONAL_VALID_DAYS if args.valid_days is None
                                                      else args.valid_days))
        print(f"Key issued for {row.username}: {row.subject}, valid until {row.not_after:%Y-%m-%d}, "
              f"fingerprint {row.fingerprint}.")
        return 0
    finally:
        store.close()


def cmd_keys_import(args: argparse.Namespace) -> int:
    from inspector.security import keys

    clock, store, data_dir = Clock(), _open(args), data_dir_from(args)
    try:
        actor = _sign_in(store, args, clock)
        try:
            blob = Path(args.file).expanduser().read_bytes()
        except OSError as exc:
            raise UserError(f"Cannot read {args.file}: {exc.strerror or exc}.", field="file") from exc
        key_pass = _secret(args, "key_passphrase", f"Passphrase of {args.file}")
        with store.session() as session:
            row = keys.import_personal_key(session, actor=actor, clock=clock, data_dir=data_dir,
                                           username=args.username, pkcs12_data=blob, passphrase=key_pass)
        print(f"Key imported for {row.username}: {row.subject} issued by {row.issuer}.")
        return 0
    finally:
        store.close()


def cmd_keys_list(args: argparse.Namespace) -> int:
    from inspector.security import keys

    store = _open(args)
    try:
        with store.session() as session:
            ca = keys.active_ca(session)
            rows = ([ca] if ca else []) + keys.personal_keys(session)
        if args.json:
            print_json([{"kind": r.kind, "username": r.username, "subject": r.subject, "origin": r.origin,
                         "status": r.status, "not_after": r.not_after, "fingerprint": r.fingerprint}
                        for r in rows])
        else:
            for r in rows:
                print(f"{r.kind:<9} {r.username or '-':<16} {r.status:<11} "
                      f"{r.not_after:%Y-%m-%d} {r.fingerprint[:16]}  {r.subject}")
        return 0
    finally:
        store.close()


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from inspector.security import keys

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            row = keys.revoke_key(session, actor=actor, clock=clock, fingerprint_hex=args.fingerprint,
                                  reason=args.reason)
        print(f"Key {row.fingerprint[:16]} of {row.username} revoked.")
        return 0
    finally:
        store.close()


# --- audit and holds -------------------------------------------------------------------------------------

def cmd_audit_verify(args: argparse.Namespace) -> int:
    from inspector.security.verify import verify_all

    store, data_dir = _open(args), data_dir_from(args)
    try:
        problems = verify_all(store, data_dir)
    finally:
        store.close()
    if args.json:
        print_json({"ok": not problems, "problems": [p.__dict__ for p in problems]})
    else:
        for problem in problems:
            print(f"PROBLEM: {problem.message}")
        print("The audit trail, row hashes and checkpoints verify." if not problems
              else f"{len(problems)} problem(s) found.")
    return 0 if not problems else 1


def cmd_audit_export(args: argparse.Namespace) -> int:
    from inspector.security import auditlog

    store = _open(args)
    try:
        flt = auditlog.EventFilter(entity=args.entity, actor=args.user, action=args.action)
        with store.session() as session:
            count, seq, digest = auditlog.export_csv(session, Path(args.out).expanduser().resolve(), flt)
        print(f"{count} event(s) written to {args.out}; chain head: event {seq}, hash {digest}.")
        return 0
    finally:
        store.close()


def cmd_holds_list(args: argparse.Namespace) -> int:
    from inspector.security import clockguard

    store = _open(args)
    try:
        with store.session() as session:
            clockguard.check_clock(session, clock=Clock())
        with store.session() as session:
            holds = clockguard.open_holds(session)
            for hold in holds:
                print(f"{hold.id}: {clockguard.describe(hold)}")
        if not holds:
            print("Nothing blocks signing.")
        return 0
    finally:
        store.close()


def cmd_holds_ack(args: argparse.Namespace) -> int:
    from inspector.security import clockguard

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            clockguard.acknowledge_hold(session, actor=actor, clock=clock, hold_id=args.hold_id,
                                        note=args.note)
        print(f"Hold {args.hold_id} acknowledged.")
        return 0
    finally:
        store.close()


# --- for 'yard-inspector init' ---------------------------------------------------------------------------

def read_admin_file(path: str | Path) -> dict[str, str]:
    """The first administrator for a scripted install: JSON with admin_user, admin_name, password and
    ca_passphrase."""
    try:
        data = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"Cannot read the admin file {path}: {exc}.", field="--admin-file") from exc
    return admin_details(data, field="--admin-file")


def admin_details(data: object, *, field: str) -> dict[str, str]:
    """Check the first administrator's details (a JSON object) and return exactly the needed texts."""
    needed = ("admin_user", "admin_name", "password", "ca_passphrase")
    if not isinstance(data, dict) or any(not isinstance(data.get(k), str) or not data.get(k) for k in needed):
        raise UserError(f"The administrator must be a JSON object with the texts {', '.join(needed)}.",
                        field=field)
    return {k: data[k] for k in needed}


def prompt_admin(ask: Any = input, ask_secret: Any = getpass.getpass) -> dict[str, str]:
    """Ask for the first administrator and the CA passphrase (each secret typed twice)."""
    result = {"admin_user": ask("Administrator's user id: ").strip(),
              "admin_name": ask("Administrator's name: ").strip()}
    labels = (("password", "Administrator's password"), ("ca_passphrase", "Passphrase of the yard CA"))
    for key, label in labels:
        first = ask_secret(f"{label}: ")
        if ask_secret(f"{label} (again): ") != first:
            raise UserError("The two entries differ.", field=key)
        result[key] = first
    return result
