"""Operations of the weigh ticket dialog: preview the next ticket, print it or save it as PDF (each counted in
the audit trail), and remember the station's paper.

Printing and saving announce ``Change.LOADS`` (a ticket print is an event on the load); choosing the paper
announces ``Change.SETTINGS``. The PDF is drawn and its page rasterised on the worker, so the window only
paints a ready image; a PDF is written to its file on the worker too, inside the operation, so a ticket that
could not be written is not counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from inspector.changes import Change
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, InspectorError
from inspector.messages import os_problem
from inspector.security.actor import Actor
from inspector.services import tickets as svc
from ui.operations.certificates import PRINT_DPI, PageImage, rasterise
from ui.ops import Door

if TYPE_CHECKING:
    from sqlmodel import Session

OnError = Callable[[InspectorError], None] | None


@dataclass(frozen=True)
class TicketSheet:
    """A ticket as the window shows and prints it: its page image, copy number (1: the original), paper,
    whether it is sealed, and where it was saved (a PDF) or None."""

    ticket_no: str
    copy: int
    paper: str
    signed: bool
    pages: tuple[PageImage, ...]
    saved_to: Path | None = None

    def page_points(self) -> tuple[float, float]:
        """The first page's size in points (1/72 inch), as the PDF draws it: the printer's page size."""
        page = self.pages[0]
        return page.width * 72 / PRINT_DPI, page.height * 72 / PRINT_DPI


def _sheet(ticket: svc.IssuedTicket, saved_to: Path | None = None) -> TicketSheet:
    return TicketSheet(ticket.ticket_no, ticket.copy, ticket.paper, ticket.signed, rasterise(ticket.pdf),
                       saved_to)


def preview_ticket(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, data_dir: DataDir,
                   load_id: int, paper: str | None = None, on_done: Callable[[TicketSheet], None],
                   on_error: OnError = None) -> int:
    """The next ticket of the load as it would print (its copy number included); nothing is counted."""
    return door.read(
        lambda s: _sheet(svc.preview_ticket(s, actor=actor, clock=clock, data_dir=data_dir, load_id=load_id,
                                            paper=paper)),
        on_done, on_error, owner=owner)


def print_ticket(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, data_dir: DataDir,
                 load_id: int, paper: str | None = None, on_done: Callable[[TicketSheet], None],
                 on_error: OnError = None) -> int:
    """Count one paper print of the load's ticket and hand back its page to paint."""
    return door.write(
        lambda s: _sheet(svc.issue_ticket(s, actor=actor, clock=clock, data_dir=data_dir, load_id=load_id,
                                          paper=paper, output="paper")),
        on_done, on_error, changes=[Change.LOADS], owner=owner)


def save_ticket(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, data_dir: DataDir,
                load_id: int, path: Path, paper: str | None = None, on_done: Callable[[TicketSheet], None],
                on_error: OnError = None) -> int:
    """Write the load's ticket as a PDF file at ``path`` (counted as a print); done with the sheet."""
    def save(session: Session) -> TicketSheet:
        ticket = svc.issue_ticket(session, actor=actor, clock=clock, data_dir=data_dir, load_id=load_id,
                                  paper=paper, output="pdf")
        try:
            path.write_bytes(ticket.pdf)
        except OSError as exc:
            raise EnvironmentProblemError("ticket.write_failed", path=str(path),
                                          detail=os_problem(exc)) from exc
        return _sheet(ticket, path)

    return door.write(save, on_done, on_error, changes=[Change.LOADS], owner=owner)


def set_ticket_paper(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, paper: str,
                     on_done: Callable[[str], None] | None = None, on_error: OnError = None) -> int:
    """Remember ``paper`` as this station's ticket paper (audited when it changes); done with it."""
    return door.write(lambda s: svc.set_ticket_paper(s, actor=actor, clock=clock, paper=paper),
                      on_done, on_error, changes=[Change.SETTINGS], owner=owner)
