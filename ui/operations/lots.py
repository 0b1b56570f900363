"""Operations of the lots screen and the approval queue: building lots, submitting them, the supervisors'
signed decisions on the yard PC, held loads, and the offline packet round trip through files.

Each runs ``inspector.services.lots`` through the door and announces what it changed: ``Change.LOTS`` for
a lot's state, approvals and packets, with ``Change.LOADS`` as well when loads join or leave a lot or a held
load is decided (the loads that may join a lot change with them). Every lot is judged under its own rule
set; the services look it up themselves, so nothing here asks for it first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from inspector.changes import Change
from inspector.clock import Clock
from inspector.errors import InspectorError
from inspector.queries import lots as queries
from inspector.security import keys
from inspector.security.actor import Actor
from inspector.services import lots as svc
from ui.ops import Door

if TYPE_CHECKING:
    from sqlmodel import Session

OnError = Callable[[InspectorError], None] | None
OnDone = Callable[[None], None] | None

_MEMBERSHIP = (Change.LOTS, Change.LOADS)


def create_lot(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, load_ids: Sequence[int],
               on_done: Callable[[str], None] | None = None, on_error: OnError = None) -> int:
    """A draft lot of the loads under the rule set in force; done with its number."""
    data_dir = door.data_dir
    return door.write(
        lambda s: svc.create_lot(s, actor=actor, clock=clock, load_ids=load_ids, data_dir=data_dir).lot_no,
        on_done, on_error, changes=_MEMBERSHIP, owner=owner)


def add_loads(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_no: str,
              load_ids: Sequence[int], reason: str | None, on_done: OnDone = None,
              on_error: OnError = None) -> int:
    """Add loads (their net not yet in a lot) to a lot; a decided lot needs ``reason``."""
    def add(session: Session) -> None:
        svc.add_loads(session, actor=actor, clock=clock, lot_no=lot_no, load_ids=load_ids, reason=reason)

    return door.write(add, on_done, on_error, changes=_MEMBERSHIP, owner=owner)


def remove_loads(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_no: str,
                 load_ids: Sequence[int], reason: str | None, on_done: OnDone = None,
                 on_error: OnError = None) -> int:
    """Take loads out of a lot; a decided lot needs ``reason``."""
    def remove(session: Session) -> None:
        svc.remove_loads(session, actor=actor, clock=clock, lot_no=lot_no, load_ids=load_ids, reason=reason)

    return door.write(remove, on_done, on_error, changes=_MEMBERSHIP, owner=owner)


def split_lot(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_no: str,
              move: Mapping[int, int | None], reason: str | None,
              on_done: Callable[[str], None] | None = None, on_error: OnError = None) -> int:
    """Move loads (or part of one) into a new lot; done with the new lot's number."""
    return door.write(
        lambda s: svc.split_lot(s, actor=actor, clock=clock, lot_no=lot_no, move=move, reason=reason).lot_no,
        on_done, on_error, changes=_MEMBERSHIP, owner=owner)


def merge_lots(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_nos: Sequence[str],
               reason: str | None, on_done: Callable[[str], None] | None = None,
               on_error: OnError = None) -> int:
    """Merge the other lots into the first; done with its number."""
    return door.write(
        lambda s: svc.merge_lots(s, actor=actor, clock=clock, lot_nos=lot_nos, reason=reason).lot_no,
        on_done, on_error, changes=_MEMBERSHIP, owner=owner)


def submit_lot(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_no: str,
               on_done: OnDone = None, on_error: OnError = None) -> int:
    """Put a draft lot in the supervisors' approval queue."""
    data_dir = door.data_dir

    def submit(session: Session) -> None:
        svc.submit_lot(session, actor=actor, clock=clock, lot_no=lot_no, data_dir=data_dir)

    return door.write(submit, on_done, on_error, changes=[Change.LOTS], owner=owner)


def export_packet(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_no: str,
                  passphrase: str, path: Path, on_done: Callable[[svc.ExportedPacket], None] | None = None,
                  on_error: OnError = None) -> int:
    """Sign the approval packet of a submitted lot with the actor's key and write it to ``path``."""
    data_dir = door.data_dir
    return door.write(
        lambda s: svc.export_packet_file(s, actor=actor, clock=clock, data_dir=data_dir, lot_no=lot_no,
                                         passphrase=passphrase, path=path),
        on_done, on_error, changes=[Change.LOTS], owner=owner)


def import_decision(door: Door, *, owner: QObject | None, clock: Clock, path: Path,
                    on_done: Callable[[queries.ApprovalView], None] | None = None,
                    on_error: OnError = None) -> int:
    """Check and record a decision file signed on a supervisor's laptop; done with the decision."""
    data_dir = door.data_dir
    return door.write(
        lambda s: queries.approval_view(svc.import_decision_file(s, clock=clock, path=path,
                                                                 data_dir=data_dir)),
        on_done, on_error, changes=[Change.LOTS], owner=owner)


def preview_decision_files(door: Door, *, owner: QObject | None, paths: Sequence[Path] = (),
                           folder: Path | None = None,
                           on_done: Callable[[list[tuple[Path, svc.DecisionPreview]]], None] | None = None,
                           on_error: OnError = None) -> int:
    """What importing each decision file would do (``paths``, or the ``*.json`` files of ``folder``),
    worked out by the import's own checks; changes nothing."""
    data_dir = door.data_dir

    def preview(session: Session) -> list[tuple[Path, svc.DecisionPreview]]:
        files = list(paths) if folder is None else svc.decision_files_in(folder)
        return [(path, svc.preview_decision_file(session, path=path, data_dir=data_dir)) for path in files]

    return door.read(preview, on_done or (lambda _r: None), on_error, owner=owner)


def sign_decision(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, lot_no: str,
                  decision: str, meaning: str, password: str, passphrase: str,
                  on_done: Callable[[queries.ApprovalView], None] | None = None,
                  on_error: OnError = None) -> int:
    """The signed-in supervisor approves or rejects a submitted lot on this PC; done with the decision."""
    data_dir = door.data_dir
    return door.write(
        lambda s: queries.approval_view(svc.sign_decision(
            s, actor=actor, clock=clock, data_dir=data_dir, lot_no=lot_no, decision=decision, meaning=meaning,
            password=password, passphrase=passphrase)),
        on_done, on_error, changes=[Change.LOTS], owner=owner)


def decide_held_load(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, load_id: int,
                     decision: str, comment: str, answers: Sequence[str] | None = None,
                     on_done: OnDone = None, on_error: OnError = None) -> int:
    """Release a held load into lots (with a comment saying why) or reject it, answering the failed
    findings named in ``answers`` (their rules)."""
    data_dir = door.data_dir

    def decide(session: Session) -> None:
        svc.decide_held_load(session, actor=actor, clock=clock, load_id=load_id, decision=decision,
                             comment=comment, answers=answers, data_dir=data_dir)

    return door.write(decide, on_done, on_error, changes=_MEMBERSHIP, owner=owner)


def open_packet(door: Door, *, owner: QObject | None, path: Path,
                on_done: Callable[[queries.OpenedPacket], None] | None = None,
                on_error: OnError = None) -> int:
    """Open an approval packet read-only, checked against the yard CA certificate kept beside the
    supervisor's key; changes nothing."""
    ca_path = door.data_dir.keys / keys.CA_CERT_FILE
    return door.run(lambda: queries.opened_packet(path, *svc.open_packet_file(path, ca_path=ca_path)),
                    on_done, on_error, owner=owner)


def decide_packet(door: Door, *, owner: QObject | None, clock: Clock, packet: queries.OpenedPacket,
                  key_file: Path, passphrase: str, decision: str, meaning: str, out: Path,
                  on_done: Callable[[svc.DecidedPacket], None] | None = None,
                  on_error: OnError = None) -> int:
    """On a supervisor's laptop: sign a decision on the open packet (the bytes shown) with the key file and
    write the decision file to ``out``; the laptop's own trail notes it."""
    return door.write(
        lambda s: svc.decide_packet_file(s, clock=clock, packet_data=packet.data, key_file=key_file,
                                         passphrase=passphrase, decision=decision, meaning=meaning, out=out),
        on_done, on_error, changes=[Change.LOTS], owner=owner)
