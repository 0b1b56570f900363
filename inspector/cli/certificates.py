"""Command groups for certificates: ``verify`` a signed PDF or a scanned QR text, and ``certificates``
(the register: list, issue, void, reissue, print).

``yard-inspector verify FILE.pdf [--trust CA.pem] [--data-dir DIR]`` and
``yard-inspector verify --qr TEXT [--trust CA.pem] [--data-dir DIR]`` (a certificate's QR, or a weigh
ticket's, sealed by the station that printed it): exit 0 valid, 1 invalid (the reason
is printed), 2 usage. The trust root is ``--trust``, else the data directory's ``keys/yard-ca.pem``. When the
data directory holds a yard, the certificate is also checked against its register: the number must exist,
not be void, and carry the same content hash.

``certificates issue|void|reissue|print`` sign the acting user in (``--as USER``). Secrets are never
arguments: they are asked with ``getpass`` or read from ``--secrets-file FILE``, a JSON object with
``password`` (the acting user's), ``key_passphrase`` (the approving supervisor's key) and, when someone else
issues, ``signer_password`` (the approving supervisor's password, re-entered for the signature).
"""

from __future__ import annotations

import argparse
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from inspector.cli.common import data_dir_from, language_of, print_json, say, store_from, words
from inspector.errors import EnvironmentProblemError, UserError
from inspector.messages import Language, formats


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "verify",
        parents=[common],
        help="check a signed certificate PDF or the text of its QR code, offline",
        description="Check that a certificate PDF is intact, signed over the whole file and chained to the "
        "yard CA, or that a QR code's text carries a valid signature of the yard. Exit 0 valid, 1 invalid "
        "(with the reason), 2 usage.",
    )
    parser.add_argument("file", nargs="?", metavar="FILE.pdf", help="the signed certificate to check")
    parser.add_argument("--qr", metavar="TEXT",
                        help="the text read from a certificate's or a weigh ticket's QR code")
    parser.add_argument("--trust", metavar="CA.pem",
                        help="the yard CA certificate (PEM); default: keys/yard-ca.pem in the data directory")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.set_defaults(handler=verify_command)
    _register_group(subparsers, common)


def verify_command(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.qr is None):
        raise UserError("certificate.verify_usage", field="FILE.pdf")
    lang = language_of(args)
    trust = _trust(args)
    result: Any
    ticket = False
    if args.qr is not None:
        from inspector.certificates.qr import TicketQrVerification, verify_any_qr

        result = verify_any_qr(args.qr, trust=trust, signers=_signer_candidates(args))
        if isinstance(result, TicketQrVerification):
            # A weigh ticket is in no certificate register: it is checked against the load it receipts.
            ticket = True
            from inspector.services.tickets import ticket_summary

            summary = ticket_summary(result, lang) if result.ticket_no else ""
        else:
            summary = _qr_summary(args, result, lang) if result.number else ""
    else:
        from inspector.certificates.verify import verify_pdf

        result = verify_pdf(_read_file(Path(args.file)), trust=trust)
        summary = _pdf_summary(args, result) if result.number else ""
    register = _ticket_check(args, result) if ticket else _register_check(args, result)
    valid = result.valid and (register is None or register.in_force)
    if args.json:
        # Stable English keys and codes; "reason" stays the English words, "message" is the user's language.
        document = {f.name: _plain(getattr(result, f.name)) for f in fields(result) if f.name != "reason"}
        document.update(_finding_json(result.reason, lang))
        document["valid"] = valid
        if register is not None:
            document["register"] = {"status": register.status.value, **_finding_json(register.reason, lang)}
        print_json(document)
    elif valid and register is not None:
        say(args, "certificates.valid_in_register", summary=summary, reason=result.reason.words(lang),
            register=register.reason.words(lang))
    elif valid:
        say(args, "certificates.valid", summary=summary, reason=result.reason.words(lang))
    elif result.valid and register is not None:
        say(args, "certificates.not_in_force", register=register.reason.words(lang), summary=summary)
    elif summary:
        say(args, "certificates.invalid_claiming", reason=result.reason.words(lang), summary=summary)
    else:
        say(args, "certificates.invalid", reason=result.reason.words(lang))
    return 0 if valid else 1


def _finding_json(finding: Any, lang: Language) -> dict[str, Any]:
    """A verdict in the JSON output: its code and parameters, ``reason`` (English) and ``message``."""
    found = finding.to_json(lang)
    return {"code": found["code"], "params": found["params"], "reason": found["english"],
            "message": found["message"]}


def _pdf_summary(args: argparse.Namespace, result: Any) -> str:
    """What a signed PDF says it is: number, revision, signer, time and meaning of the signature."""
    which = {"number": result.number, "revision": result.revision, "signer": result.signer_name or "",
             "meaning": result.meaning or ""}
    at: datetime | None = result.signing_time
    offset = at.utcoffset() if at is not None else None
    if at is None or offset is None:
        return words(args, "certificates.pdf_summary_untimed", **which)
    minutes = int(offset.total_seconds() // 60)
    return words(args, "certificates.pdf_summary", **which,
                 time=formats.Moment(at, minutes, seconds=True, zone_shown=True))


def _qr_summary(args: argparse.Namespace, result: Any, lang: Language) -> str:
    """What a QR code says the certificate is: number, revision, lot, category, grade, net mass, date."""
    return words(args, "certificates.qr_summary", number=result.number, revision=result.revision,
                 lot=result.lot_number, category=result.category_code, grade=result.grade,
                 net=formats.mass(result.net_mass_kg, "kg", lang),
                 date=formats.day(result.issue_date, lang) if result.issue_date else "")


def _has_yard(args: argparse.Namespace) -> bool:
    return data_dir_from(args).database.is_file()


def _register_check(args: argparse.Namespace, result: Any) -> Any:
    """The register's verdict when a yard's data directory is named (or its CA is the trust root), else
    None: a certificate of another yard checked with ``--trust`` alone is not looked up in this PC's own
    register."""
    if (args.trust and getattr(args, "data_dir", None) is None) or not _has_yard(args):
        return None
    from inspector.certificates.verify import check_against_register
    from inspector.queries.certificates import register_lookup

    store = store_from(args)
    try:
        with store.session() as session:
            return check_against_register(result, register_lookup(session))
    finally:
        store.close()


def _ticket_check(args: argparse.Namespace, result: Any) -> Any:
    """How a ticket stands against this yard's loads, when the data directory holds a yard (as
    ``_register_check`` for certificates), else None."""
    if (args.trust and getattr(args, "data_dir", None) is None) or not _has_yard(args):
        return None
    from inspector.services.tickets import check_ticket_against_loads

    store = store_from(args)
    try:
        with store.session() as session:
            return check_ticket_against_loads(session, result, data_dir=data_dir_from(args))
    finally:
        store.close()


def _plain(value: Any) -> Any:
    """Times keep the offset they were signed with (print_json would turn them into UTC)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _trust(args: argparse.Namespace) -> list[Any]:
    from inspector.certificates.trust import load_certificates, yard_ca_path

    if args.trust:
        return load_certificates(Path(args.trust))
    path = yard_ca_path(data_dir_from(args))
    if not path.is_file():
        raise UserError("certificate.trust_root_missing", field="--trust", path=str(path))
    return load_certificates(path)


def _signer_candidates(args: argparse.Namespace) -> list[Any]:
    """Signer certificates a QR may name by fingerprint: those stored in the data directory's keys/, and
    the personal and station certificates the yard registered (their keys live in PKCS#12 files)."""
    from inspector.certificates.trust import certificates_in_folder

    found = certificates_in_folder(data_dir_from(args).keys)
    if _has_yard(args):
        from inspector.queries.certificates import signer_certificates
        from inspector.security.keys import station_certificates

        store = store_from(args)
        try:
            with store.session() as session:
                found.extend(signer_certificates(session))
                found.extend(station_certificates(session))
        finally:
            store.close()
    return found


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError("certificate.file_missing", field="FILE.pdf", path=str(path)) from exc
    except IsADirectoryError as exc:
        raise UserError("certificate.file_is_folder", field="FILE.pdf", path=str(path)) from exc
    except OSError as exc:
        raise EnvironmentProblemError("certificate.read_failed", path=str(path),
                                      detail=exc.strerror or str(exc)) from exc


# --- the register ------------------------------------------------------------------------------------------

def _register_group(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                    common: argparse.ArgumentParser) -> None:
    signed = argparse.ArgumentParser(add_help=False)
    signed.add_argument("--as", dest="as_user", metavar="USER", required=True,
                        help="sign in as this user (asks the password)")
    signed.add_argument("--secrets-file", dest="secrets_file", metavar="FILE",
                        help="JSON with password / key_passphrase / signer_password (scripts)")

    group = subparsers.add_parser("certificates", parents=[common],
                                  help="the certificate register: list, issue, void, reissue, print")
    sub = group.add_subparsers(dest="certificates_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", parents=[common], help="list the register (one JSON object per line)")
    p.add_argument("--number", help="a certificate number or its beginning, e.g. 2026-0001")
    p.add_argument("--lot", help="a lot number")
    p.add_argument("--supplier", help="part of the supplier's name, or its USCC")
    p.add_argument("--status", choices=["issued", "void"])
    p.add_argument("--from", dest="issued_from", type=_date, metavar="YYYY-MM-DD", help="issued on or after")
    p.add_argument("--to", dest="issued_to", type=_date, metavar="YYYY-MM-DD", help="issued on or before")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("issue", parents=[common, signed],
                       help="issue the signed certificate of an approved lot (its approver signs)")
    p.add_argument("lot", metavar="LOT")
    p.set_defaults(handler=cmd_issue)

    p = sub.add_parser("void", parents=[common, signed],
                       help="void a certificate (a supervisor, with a reason)")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--reason", required=True, help="why it is voided (printed in the register)")
    p.add_argument("--revision", type=int, help="the revision to void (default: the latest)")
    p.set_defaults(handler=cmd_void)

    p = sub.add_parser("reissue", parents=[common, signed],
                       help="issue the next revision of a voided certificate (same number)")
    p.add_argument("number", metavar="NUMBER")
    p.set_defaults(handler=cmd_reissue)

    p = sub.add_parser("print", parents=[common, signed],
                       help="write a COPY of a certificate as PDF (counted in the audit trail)")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--revision", type=int, help="the revision to print (default: the latest)")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the COPY")
    p.set_defaults(handler=cmd_print)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from exc


def _row_json(row: Any) -> dict[str, Any]:
    return {
        "number": row.number, "revision": row.revision, "status": row.status, "lot": row.lot_no,
        "supplier": row.supplier_name, "category": row.category, "grade": row.grade,
        "net_mass_kg": row.net_mass_kg, "issued_at": _local_iso(row.issued_at, row.issued_offset),
        "issued_by": row.issued_by, "signer": row.signer_user, "file": row.file_name,
        "content_sha256": row.content_sha256, "prints": row.print_count, "void_reason": row.void_reason,
    }


def _local_iso(utc: Any, offset: int) -> str:
    from inspector.clock import Stamp, as_utc

    return Stamp(as_utc(utc), offset).iso_local()


def cmd_list(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open
    from inspector.queries.certificates import RegisterQuery, iter_register

    query = RegisterQuery(number=args.number, lot_no=args.lot, supplier=args.supplier, status=args.status,
                          issued_from=args.issued_from, issued_to=args.issued_to)
    store = _open(args)
    try:
        with store.session() as session:
            for row in iter_register(session, query):
                print_json(_row_json(row))
    finally:
        store.close()
    return 0


def _signing_secrets(args: argparse.Namespace, actor: Any, approver: str) -> tuple[str, str]:
    """The approving supervisor's password (the acting user's, when they are the approver) and key
    passphrase."""
    from inspector.cli.security import _secret

    if approver == actor.user_id:
        password = _secret(args, "password", words(args, "certificates.ask_password", user=approver))
    else:
        password = _secret(args, "signer_password", words(args, "certificates.ask_signer_password",
                                                          user=approver))
    passphrase = _secret(args, "key_passphrase",
                         words(args, "certificates.ask_key_passphrase", user=approver))
    return password, passphrase


def _approver_of_lot(store: Any, lot_no: str) -> str:
    from inspector.services import lots as lot_services

    with store.session() as session:
        lot = lot_services.get_lot(session, lot_no)
        approval = lot_services.current_approval(session, lot)
    if approval is None or approval.decision != "approve":
        raise UserError("certificate.lot_without_approval", field="LOT", lot=lot.lot_no)
    return approval.user_id


def _print_row(args: argparse.Namespace, row: Any, key: str) -> None:
    say(args, f"certificates.{key}", number=row.number, revision=row.revision, lot=row.lot_no,
        file=row.file_name)


def cmd_issue(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.services import certificates as svc

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        password, passphrase = _signing_secrets(args, actor, _approver_of_lot(store, args.lot))
        with store.session() as session:
            row = svc.issue_certificate(session, actor=actor, clock=clock, data_dir=store.data_dir,
                                        lot_no=args.lot, password=password, passphrase=passphrase)
        _print_row(args, row, "issued")
    finally:
        store.close()
    return 0


def cmd_void(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.services import certificates as svc

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            row = svc.void_certificate(session, actor=actor, clock=clock, number=args.number,
                                       reason=args.reason, revision=args.revision)
        say(args, "certificates.voided", number=row.number, revision=row.revision,
            reason=row.void_reason or "")
    finally:
        store.close()
    return 0


def cmd_reissue(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.services import certificates as svc

    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            latest = svc.get_certificate(session, args.number)
        password, passphrase = _signing_secrets(args, actor, _approver_of_lot(store, latest.lot_no))
        with store.session() as session:
            row = svc.reissue_certificate(session, actor=actor, clock=clock, data_dir=store.data_dir,
                                          number=args.number, password=password, passphrase=passphrase)
        _print_row(args, row, "reissued")
    finally:
        store.close()
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.services import certificates as svc

    out = Path(args.out)
    if out.exists() and out.is_dir():
        raise UserError("certificate.out_is_folder", field="--out", path=str(out))
    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            row = svc.get_certificate(session, args.number, args.revision)
            # Render before counting: a print that cannot be produced is not recorded.
            pdf = svc.print_document(store.data_dir, row, marked_copy=True)
            svc.record_print(session, actor=actor, clock=clock, number=row.number, revision=row.revision,
                             kind="pdf")
            try:
                out.write_bytes(pdf)
            except OSError as exc:
                raise EnvironmentProblemError("certificate.copy_write_failed", path=str(out),
                                              detail=exc.strerror or str(exc)) from exc
        say(args, "certificates.copy_written", number=row.number, revision=row.revision, path=str(out))
    finally:
        store.close()
    return 0
