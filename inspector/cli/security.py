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
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector import messages
from inspector.cli.common import data_dir_from, json_problem, language_of, print_json, say, store_from, words
from inspector.clock import Clock
from inspector.errors import PermissionDeniedError, UserError
from inspector.messages import Term, formats, os_problem
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
    p = k.add_parser("station-ticket", parents=[common, signed],
                     help="issue this station's ticket-signing key, kept without a passphrase so weigh "
                     "tickets are sealed unattended (an administrator; asks the CA passphrase)")
    p.add_argument("--name", dest="station_name", metavar="STATION",
                   help="this station's name in the key's certificate (default: the computer's name)")
    p.set_defaults(handler=cmd_keys_station_ticket)
    p = k.add_parser("import", parents=[common, signed], help="register a key from an external CA (PKCS#12)")
    p.add_argument("username")
    p.add_argument("file", metavar="PKCS12")
    p.set_defaults(handler=cmd_keys_import)
    p = k.add_parser("export-bundle", parents=[common, signed],
                     help="a supervisor writes their own bundle to set up a laptop for offline approval "
                     "(asks the password and the key passphrase)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_keys_export_bundle)
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
        raise UserError("datadir.no_database", field="--data-dir", path=str(data_dir.root))
    return store_from(args)


def _secrets(args: argparse.Namespace) -> dict[str, str]:
    path = getattr(args, "secrets_file", None)
    if not path:
        return {}
    try:
        data = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError("secrets.file_unreadable", field="--secrets-file", path=str(path),
                        detail=os_problem(exc)) from exc
    except ValueError as exc:
        raise UserError("secrets.file_not_json", field="--secrets-file", path=str(path),
                        detail=json_problem(exc)) from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UserError("secrets.file_shape", field="--secrets-file", path=str(path))
    return data


def _secret(args: argparse.Namespace, key: str, prompt: str, *, confirm: bool = False) -> str:
    """The secret ``key`` (``words.secret``) from the secrets file, else asked with ``prompt`` (its words)."""
    value = _secrets(args).get(key)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError("secrets.no_terminal", field="--secrets-file", secret=Term("secret", key), key=key)
    value = getpass.getpass(words(args, "security.prompt", label=prompt))
    if confirm and getpass.getpass(words(args, "security.prompt_again", label=prompt)) != value:
        raise UserError("secrets.entries_differ", field=key)
    return value


def _sign_in(store: Store, args: argparse.Namespace, clock: Clock) -> Actor:
    from inspector.security import users

    username = getattr(args, "as_user", None)
    if not username:
        raise UserError("login.user_required", field="--as")
    password = _secret(args, "password", words(args, "security.password_of", username=username))
    with store.session() as session:
        result = users.authenticate(session, username=username, password=password, clock=clock)
    if not result.ok or result.actor is None:
        # The failed attempt is committed above; it counts towards the lock.
        raise PermissionDeniedError(result.code or users.WRONG_CREDENTIALS, field="--as", **result.params)
    if result.must_change_password and getattr(args, "handler", None) is not cmd_users_passwd:
        raise PermissionDeniedError("login.must_change_password", field="--as", username=username)
    return result.actor


def _padded(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns on a terminal (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


# --- users -----------------------------------------------------------------------------------------------

def cmd_users_add(args: argparse.Namespace) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        password = _secret(args, "new_password", words(args, "security.temporary_password_of",
                                                       username=args.username), confirm=True)
        with store.session() as session:
            view = users.create_user(session, actor=actor, clock=clock, username=args.username,
                                     display_name=args.name, roles=args.role, password=password)
        say(args, "security.user_added", username=view.username, roles=_roles(view.roles))
        return 0
    finally:
        store.close()


def _roles(roles: tuple[str, ...] | list[str]) -> list[Term]:
    return [Term("role", r) for r in roles]


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
            lang = language_of(args)
            for v in views:
                state = "locked" if v.is_locked(now) else ("active" if v.active else "disabled")
                say(args, "security.user_row", username=f"{v.username:<20}",
                    roles=_padded(messages.render(_roles(v.roles), lang), 28),
                    state=_padded(messages.word("account_state", state, lang), 9), name=v.display_name)
        return 0
    finally:
        store.close()


def cmd_users_lock_status(args: argparse.Namespace) -> int:
    from inspector.security import users

    store = _open(args)
    try:
        with store.session() as session:
            view = users.lock_status(session, username=args.username)
        stamp = Clock().now()
        if view.is_locked(stamp.utc) and view.locked_until is not None:
            say(args, "security.user_locked", username=view.username, count=view.failed_count,
                until=formats.Moment(view.locked_until, stamp.offset_minutes))
        else:
            say(args, "security.user_not_locked", username=view.username, count=view.failed_count)
        return 0
    finally:
        store.close()


def cmd_users_reset(args: argparse.Namespace) -> int:
    from inspector.security import users

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        password = _secret(args, "new_password", words(args, "security.temporary_password_of",
                                                       username=args.username), confirm=True)
        with store.session() as session:
            users.reset_password(session, actor=actor, clock=clock, username=args.username,
                                 new_password=password, reason=args.reason)
        say(args, "security.password_reset", username=args.username)
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
        say(args, "security.user_unlocked", username=args.username)
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
        say(args, "security.roles_now", username=view.username, roles=_roles(view.roles))
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
        new = _secret(args, "new_password", words(args, "security.new_password"), confirm=True)
        with store.session() as session:
            users.change_password(session, actor=actor, clock=clock,
                                  old_password=_secret(args, "password", words(
                                      args, "security.password_of", username=actor.user_id)),
                                  new_password=new)
        say(args, "security.password_changed")
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
            lang = language_of(args)
            for a in attempts:
                say(args, "security.failure_row",
                    at=formats.Moment(a.at, a.offset_minutes, seconds=True, zone_shown=True),
                    username=f"{a.username:<20}",
                    outcome=_padded(messages.word("login_outcome", a.outcome, lang), 15),
                    purpose=Term("login_purpose", a.purpose))
            if not attempts:
                say(args, "security.no_failures")
            elif args.acknowledge:
                count = users.acknowledge_failed_attempts(session, actor=actor, clock=clock)
                say(args, "security.failures_reviewed", count=count)
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
        say(args, "security.ca_exported", path=str(out), fingerprint=ca.fingerprint)
        return 0
    finally:
        store.close()


def cmd_keys_issue(args: argparse.Namespace) -> int:
    from inspector.security import keys

    clock, store, data_dir = Clock(), _open(args), data_dir_from(args)
    try:
        actor = _sign_in(store, args, clock)
        ca_pass = _secret(args, "ca_passphrase", words(args, "security.ca_passphrase"))
        key_pass = _secret(args, "key_passphrase",
                           words(args, "security.new_key_passphrase_of", username=args.username),
                           confirm=True)
        with store.session() as session:
            row = keys.issue_personal_key(session, actor=actor, clock=clock, data_dir=data_dir,
                                          username=args.username, ca_passphrase=ca_pass,
                                          key_passphrase=key_pass,
                                          valid_days=(keys.PERSONAL_VALID_DAYS if args.valid_days is None
                                                      else args.valid_days))
        say(args, "security.key_issued", username=row.username or "", subject=row.subject,
            until=formats.Day(row.not_after), fingerprint=row.fingerprint)
        return 0
    finally:
        store.close()


def cmd_keys_station_ticket(args: argparse.Namespace) -> int:
    from inspector.security import keys

    clock, store, data_dir = Clock(), _open(args), data_dir_from(args)
    try:
        actor = _sign_in(store, args, clock)
        ca_pass = _secret(args, "ca_passphrase", words(args, "security.ca_passphrase"))
        with store.session() as session:
            row = keys.create_station_ticket_key(session, actor=actor, clock=clock, data_dir=data_dir,
                                                 ca_passphrase=ca_pass, station_name=args.station_name or "")
        say(args, "security.station_key_issued", subject=row.subject, until=formats.Day(row.not_after),
            fingerprint=row.fingerprint)
        return 0
    finally:
        store.close()


def cmd_keys_export_bundle(args: argparse.Namespace) -> int:
    from inspector.lots import bundle

    clock, store, data_dir = Clock(), _open(args), data_dir_from(args)
    try:
        actor = _sign_in(store, args, clock)
        key_pass = _secret(args, "key_passphrase", words(args, "laptop.key_passphrase_of",
                                                         username=actor.user_id))
        with store.session() as session:
            out = bundle.export_supervisor_bundle(session, actor=actor, clock=clock, data_dir=data_dir,
                                                  passphrase=key_pass, out=Path(args.out).expanduser())
        print_json({"user": actor.user_id, "file": str(out)})
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
            raise UserError("key.import_unreadable", field="file", path=str(args.file),
                            detail=str(exc.strerror or exc)) from exc
        key_pass = _secret(args, "key_passphrase", words(args, "security.passphrase_of_file", path=args.file))
        with store.session() as session:
            row = keys.import_personal_key(session, actor=actor, clock=clock, data_dir=data_dir,
                                           username=args.username, pkcs12_data=blob, passphrase=key_pass)
        say(args, "security.key_imported", username=row.username or "", subject=row.subject,
            issuer=row.issuer)
        return 0
    finally:
        store.close()


def cmd_keys_list(args: argparse.Namespace) -> int:
    from inspector.security import keys

    store = _open(args)
    try:
        with store.session() as session:
            ca = keys.active_ca(session)
            rows = ([ca] if ca else []) + keys.personal_keys(session) + keys.station_keys(session)
        if args.json:
            print_json([{"kind": r.kind, "username": r.username, "subject": r.subject, "origin": r.origin,
                         "status": r.status, "not_after": r.not_after, "fingerprint": r.fingerprint}
                        for r in rows])
        else:
            lang = language_of(args)
            for r in rows:
                say(args, "security.key_row", kind=_padded(messages.word("key_kind", r.kind, lang), 12),
                    username=f"{r.username or '-':<16}",
                    status=_padded(messages.word("key_status", r.status, lang), 11),
                    until=formats.Day(r.not_after), fingerprint=r.fingerprint[:16], subject=r.subject)
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
        say(args, "security.key_revoked", fingerprint=row.fingerprint[:16], username=row.username or "")
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
    lang = language_of(args)
    if args.json:
        print_json({"ok": not problems, "problems": [p.to_json(lang) for p in problems]})
    else:
        for problem in problems:
            say(args, "security.problem", message=problem.words(lang))
        if problems:
            say(args, "security.problems_found", count=len(problems))
        else:
            say(args, "security.verified")
    return 0 if not problems else 1


def cmd_audit_export(args: argparse.Namespace) -> int:
    from inspector.security import auditlog

    store = _open(args)
    try:
        flt = auditlog.EventFilter(entity=args.entity, actor=args.user, action=args.action)
        with store.session() as session:
            count, seq, digest = auditlog.export_csv(session, Path(args.out).expanduser().resolve(), flt)
        if seq is None:
            say(args, "security.trail_exported_empty", count=count, path=args.out)
        else:
            say(args, "security.trail_exported", count=count, path=args.out, seq=seq, hash=digest or "")
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
                say(args, "security.hold_row", id=hold.id or 0, about=clockguard.describe(hold))
        if not holds:
            say(args, "security.no_holds")
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
        say(args, "security.hold_acknowledged", id=args.hold_id)
        return 0
    finally:
        store.close()


# --- for 'yard-inspector init' ---------------------------------------------------------------------------

def read_admin_file(path: str | Path) -> dict[str, str]:
    """The first administrator for a scripted install: JSON with admin_user, admin_name, password and
    ca_passphrase."""
    try:
        data = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError("admin_file.unreadable", field="--admin-file", path=str(path),
                        detail=os_problem(exc)) from exc
    except ValueError as exc:
        raise UserError("admin_file.not_json", field="--admin-file", path=str(path),
                        detail=json_problem(exc)) from exc
    return admin_details(data, field="--admin-file")


def admin_details(data: object, *, field: str) -> dict[str, str]:
    """Check the first administrator's details (a JSON object) and return exactly the needed texts."""
    needed = ("admin_user", "admin_name", "password", "ca_passphrase")
    if not isinstance(data, dict) or any(not isinstance(data.get(k), str) or not data.get(k) for k in needed):
        raise UserError("admin_file.shape", field=field, keys=list(needed))
    return {k: data[k] for k in needed}


def prompt_admin(ask: Any = input, ask_secret: Any = getpass.getpass) -> dict[str, str]:
    """Ask for the first administrator and the CA passphrase (each secret typed twice)."""
    def prompt(key: str, **params: object) -> str:
        return words(None, "security.prompt", label=words(None, key, **params))

    def again(key: str) -> str:
        return words(None, "security.prompt_again", label=words(None, key))

    result = {"admin_user": ask(prompt("security.admin_user")).strip(),
              "admin_name": ask(prompt("security.admin_name")).strip()}
    labels = (("password", "security.admin_password"), ("ca_passphrase", "security.ca_passphrase"))
    for key, label in labels:
        first = ask_secret(prompt(label))
        if ask_secret(again(label)) != first:
            raise UserError("secrets.entries_differ", field=key)
        result[key] = first
    return result
