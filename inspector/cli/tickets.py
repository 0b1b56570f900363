"""``yard-inspector loads ticket TICKET --out FILE.pdf [--format a4|a5|80mm] --as USER``: write a load's weigh
ticket as PDF, through the same service the window prints with (the print is counted: the first is the
original, later ones are marked COPY).

``add_ticket_command(sub, common, signed)`` adds the command to the ``loads`` group: ``sub`` is that group's
sub-parsers, ``common`` the parent giving ``--data-dir`` and ``--lang``, ``signed`` the parent giving ``--as``
and ``--secrets-file``. Bad input exits 2 naming the field, and nothing is recorded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector.cli.common import say
from inspector.errors import EnvironmentProblemError, UserError
from inspector.messages import Term, os_problem


def add_ticket_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser,
    signed: argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    """Add ``ticket`` to a command group; returns its parser."""
    parser = sub.add_parser(
        "ticket", parents=[common, signed],
        help="write a load's weigh ticket as PDF (counted: a reprint is marked COPY)",
        description="Write the weigh ticket of a load as PDF, sealed with this station's ticket-signing key "
        "when it has one. Every ticket written is counted in the audit trail; the first is the original, "
        "later ones are marked COPY.",
    )
    parser.add_argument("ticket", metavar="TICKET", help="the load's ticket number, e.g. T2026-000123")
    parser.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the ticket")
    parser.add_argument("--format", dest="paper", metavar="a4|a5|80mm",
                        help="the paper (default: this station's ticket paper)")
    parser.set_defaults(handler=cmd_ticket)
    return parser


def cmd_ticket(args: argparse.Namespace) -> int:
    from inspector.certificates.ticket import check_paper
    from inspector.cli.security import _open, _sign_in
    from inspector.clock import Clock
    from inspector.queries.loads import load_id_of_ticket
    from inspector.services import tickets as svc

    paper = check_paper(args.paper, field="--format") if args.paper is not None else None
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise UserError("ticket.out_is_folder", field="--out", path=str(out))
    clock, store = Clock(), _open(args)
    try:
        actor = _sign_in(store, args, clock)
        with store.session() as session:
            try:
                load_id = load_id_of_ticket(session, args.ticket)
            except UserError as exc:
                exc.field = "TICKET"  # the argument as this command line names it
                raise
            ticket = svc.issue_ticket(session, actor=actor, clock=clock, data_dir=store.data_dir,
                                      load_id=load_id, paper=paper, output="pdf")
            # Written inside the transaction: a ticket that cannot be written is not counted.
            try:
                out.write_bytes(ticket.pdf)
            except OSError as exc:
                raise EnvironmentProblemError("ticket.write_failed", path=str(out),
                                              detail=os_problem(exc)) from exc
        say(args, "tickets.written", ticket=ticket.ticket_no, paper=Term("ticket_paper", ticket.paper),
            copy=ticket.copy, path=str(out))
        if not ticket.signed:
            say(args, "tickets.unsigned")
        return 0
    finally:
        store.close()
