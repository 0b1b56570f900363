"""Operations of the certificate register screen: issue, void and reissue a certificate, preview and print
it (each print counted).

Issuing, voiding, reissuing and printing announce ``Change.CERTIFICATES`` and ``Change.LOTS`` (a certificate
moves its lot's state; a print changes the register's count). A print's pages are rasterised on the worker
too, so the window only paints ready images.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.security.actor import Actor
from inspector.services import certificates as svc
from ui.ops import Door

PRINT_DPI = 150
# Issuing, voiding and reissuing move the lot's state too; a print only counts on the certificate.
CHANGES = (Change.CERTIFICATES, Change.LOTS)

OnError = Callable[[InspectorError], None] | None


@dataclass(frozen=True)
class PageImage:
    """A rasterised PDF page: RGB888 bytes, made on the worker, turned into a QImage on the GUI thread."""

    width: int
    height: int
    stride: int
    data: bytes

    def image(self) -> QImage:
        return QImage(self.data, self.width, self.height, self.stride, QImage.Format.Format_RGB888).copy()


@dataclass(frozen=True)
class PrintSheet:
    """What the worker hands the GUI for one certificate: its pages and whether they carry COPY."""

    reference: str
    marked_copy: bool
    pages: tuple[PageImage, ...]


def rasterise(pdf: bytes, dpi: int = PRINT_DPI) -> tuple[PageImage, ...]:
    """Every page of ``pdf`` as an RGB image (call on the worker: pdfium is used from one thread only)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            pages.append(PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)))
            page.close()
        return tuple(pages)
    finally:
        document.close()


def _sheet(paper: svc.PaperSheet) -> PrintSheet:
    return PrintSheet(paper.reference, paper.marked_copy, rasterise(paper.pdf))


def issue_certificate(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_no: str,
                      password: str, passphrase: str, on_done: Callable[[str], None] | None = None,
                      on_error: OnError = None) -> int:
    """Issue the certificate of an approved lot, signed by its approving supervisor; done with its
    reference."""
    data_dir = door.data_dir
    return door.write(
        lambda s: svc.issue_certificate(s, actor=actor, clock=clock, data_dir=data_dir, lot_no=lot_no,
                                        password=password, passphrase=passphrase).reference,
        on_done, on_error, changes=CHANGES, owner=owner)


def void_certificate(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, number: str,
                     revision: int, reason: str, on_done: Callable[[str], None] | None = None,
                     on_error: OnError = None) -> int:
    """A supervisor voids a certificate revision with a reason; done with its reference."""
    return door.write(
        lambda s: svc.void_certificate(s, actor=actor, clock=clock, number=number, revision=revision,
                                       reason=reason).reference,
        on_done, on_error, changes=CHANGES, owner=owner)


def reissue_certificate(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, number: str,
                        password: str, passphrase: str, on_done: Callable[[str], None] | None = None,
                        on_error: OnError = None) -> int:
    """Issue the next revision of a voided certificate; done with the new revision's reference."""
    data_dir = door.data_dir
    return door.write(
        lambda s: svc.reissue_certificate(s, actor=actor, clock=clock, data_dir=data_dir, number=number,
                                          password=password, passphrase=passphrase).reference,
        on_done, on_error, changes=CHANGES, owner=owner)


def preview_certificate(door: Door, *, owner: QObject | None, number: str, revision: int,
                        on_done: Callable[[PrintSheet], None], on_error: OnError = None) -> int:
    """The pages the next print of a certificate would put on paper (original or COPY); nothing is
    counted."""
    data_dir = door.data_dir
    return door.read(lambda s: _sheet(svc.next_print(s, data_dir=data_dir, number=number, revision=revision)),
                     on_done, on_error, owner=owner)


def print_certificate(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, number: str,
                      revision: int, on_done: Callable[[PrintSheet], None],
                      on_error: OnError = None) -> int:
    """Count one paper print of a certificate and hand back its pages to paint (original or COPY)."""
    data_dir = door.data_dir
    return door.write(
        lambda s: _sheet(svc.print_certificate(s, actor=actor, clock=clock, data_dir=data_dir, number=number,
                                               revision=revision)),
        on_done, on_error, changes=[Change.CERTIFICATES], owner=owner)
