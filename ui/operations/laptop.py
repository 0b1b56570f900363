"""Operations of the supervisor's laptop: setting it up from a bundle, opening a packet (checked against
the yard CA and the yard's validity period), signing a decision into a file, and the decisions already
signed here; and, on the yard PC, a supervisor exporting their own bundle.

The set-up runs on the worker before any store exists (``Ops.run``); the rest go through the door.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from inspector.changes import Change
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import InspectorError
from inspector.lots import bundle
from inspector.lots.bundle import LaptopProfile
from inspector.messages import Language
from inspector.queries import laptop as queries
from inspector.queries import lots as lot_queries
from inspector.security import keys
from inspector.security.actor import Actor
from inspector.services import lots as svc
from ui.ops import Door, Ops

OnError = Callable[[InspectorError], None] | None


def setup_laptop(ops: Ops, *, owner: QObject | None, bundle_path: Path, passphrase: str, data_dir: DataDir,
                 on_done: Callable[[LaptopProfile], None] | None = None, on_error: OnError = None) -> int:
    """Make ``data_dir`` a laptop from the bundle at ``bundle_path``; done with the laptop's profile."""

    def job() -> LaptopProfile:
        data = svc.read_file(bundle_path, field="file")
        return bundle.setup_laptop(data, passphrase=passphrase, data_dir=data_dir)

    return ops.run(job, on_done or (lambda _p: None), on_error, owner=owner)


def export_bundle(door: Door, *, owner: QObject | None, actor: Actor, clock: Clock, passphrase: str,
                  out: Path, on_done: Callable[[Path], None] | None = None, on_error: OnError = None) -> int:
    """The signed-in supervisor writes their own bundle to ``out`` (audited)."""
    data_dir = door.data_dir
    return door.write(
        lambda s: bundle.export_supervisor_bundle(s, actor=actor, clock=clock, data_dir=data_dir,
                                                  passphrase=passphrase, out=out),
        on_done, on_error, changes=[Change.USERS], owner=owner)


def open_packet(door: Door, *, owner: QObject | None, profile: LaptopProfile, clock: Clock, path: Path,
                on_done: Callable[[lot_queries.OpenedPacket], None] | None = None,
                on_error: OnError = None) -> int:
    """Open a packet read-only: checked against the laptop's yard CA, refused once older than the yard's
    period; changes nothing."""
    ca_path = door.data_dir.keys / keys.CA_CERT_FILE
    days = profile.packet_valid_days
    return door.run(
        lambda: lot_queries.opened_packet(path, *svc.open_packet_file(path, ca_path=ca_path, valid_days=days,
                                                                      clock=clock)),
        on_done, on_error, owner=owner)


def decide_packet(door: Door, *, owner: QObject | None, profile: LaptopProfile, clock: Clock,
                  packet: lot_queries.OpenedPacket, passphrase: str, decision: str, meaning: str, out: Path,
                  lang: Language, on_done: Callable[[svc.DecidedPacket], None] | None = None,
                  on_error: OnError = None) -> int:
    """Sign a decision on the open packet (the bytes shown) with the laptop's key and write the decision
    file to ``out``; the laptop's own trail notes it."""
    key_file = bundle.laptop_key_file(door.data_dir, profile)
    days = profile.packet_valid_days
    return door.write(
        lambda s: svc.decide_packet_file(s, clock=clock, packet_data=packet.data, key_file=key_file,
                                         passphrase=passphrase, decision=decision, meaning=meaning or None,
                                         out=out, lang=lang, valid_days=days),
        on_done, on_error, changes=[Change.LOTS], owner=owner)


def decided_packets(door: Door, *, owner: QObject | None,
                    on_done: Callable[[list[queries.LaptopDecision]], None],
                    on_error: OnError = None) -> int:
    """The decisions signed on this laptop, newest first."""
    return door.read(lambda s: queries.decided_packets(s), on_done, on_error, owner=owner)
