"""Command group for certificates: ``verify`` a signed PDF or a scanned QR text, offline.

``yard-inspector verify FILE.pdf [--trust CA.pem] [--data-dir DIR]`` and
``yard-inspector verify --qr TEXT [--trust CA.pem] [--data-dir DIR]``: exit 0 valid, 1 invalid (the reason
is printed), 2 usage. The trust root is ``--trust``, else the data directory's ``keys/yard-ca.pem``.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from inspector.cli.common import data_dir_from, print_json
from inspector.errors import EnvironmentProblemError, UserError


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
    parser.add_argument("--qr", metavar="TEXT", help="the text read from a certificate's QR code")
    parser.add_argument("--trust", metavar="CA.pem",
                        help="the yard CA certificate (PEM); default: keys/yard-ca.pem in the data directory")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.set_defaults(handler=verify_command)


def verify_command(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.qr is None):
        raise UserError("Give either a PDF file or --qr TEXT, not both and not neither.", field="FILE.pdf",
                        hint="e.g. yard-inspector verify certificate.pdf --trust yard-ca.pem")
    trust = _trust(args)
    result: Any
    if args.qr is not None:
        from inspector.certificates.qr import verify_qr

        result = verify_qr(args.qr, trust=trust, signers=_signer_candidates(args))
        summary = (f"certificate {result.number} rev {result.revision}, lot {result.lot_number}, "
                   f"{result.category_code} grade {result.grade}, net {result.net_mass_kg} kg, "
                   f"issued {result.issue_date}" if result.number else "")
    else:
        from inspector.certificates.verify import verify_pdf

        result = verify_pdf(_read_file(Path(args.file)), trust=trust)
        when = result.signing_time.isoformat() if result.signing_time else "unknown time"
        summary = (f"certificate {result.number} rev {result.revision}, signed by {result.signer_name} at "
                   f"{when}, meaning: {result.meaning}" if result.number else "")
    if args.json:
        print_json({key: _plain(value) for key, value in asdict(result).items()})
    elif result.valid:
        print(f"VALID: {summary}. {result.reason}.")
    else:
        print(f"INVALID: {result.reason}." + (f" ({summary})" if summary else ""))
    return 0 if result.valid else 1


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
        raise UserError(f"No trust root: {path} does not exist.", field="--trust",
                        hint="Pass --trust CA.pem (from 'yard-inspector ca export'), or --data-dir of a yard "
                        "whose keys/ folder holds yard-ca.pem.")
    return load_certificates(path)


def _signer_candidates(args: argparse.Namespace) -> list[Any]:
    """Signer certificates a QR may name by fingerprint: those stored in the data directory's keys/."""
    from inspector.certificates.trust import certificates_in_folder

    return certificates_in_folder(data_dir_from(args).keys)


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError(f"{path} does not exist.", field="FILE.pdf", hint="Check the path.") from exc
    except IsADirectoryError as exc:
        raise UserError(f"{path} is a folder, not a PDF file.", field="FILE.pdf") from exc
    except OSError as exc:
        raise EnvironmentProblemError(f"Cannot read {path}: {exc.strerror or exc}.",
                                      hint="Check the file's permissions.") from exc
