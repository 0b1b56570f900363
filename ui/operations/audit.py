"""Operations of the audit trail viewer: export the filtered trail to CSV with its chain head, and verify
the whole store (the trail, every audited row, the checkpoints). Neither changes anything stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from inspector.errors import InspectorError
from inspector.queries.audit import TrailExport, export_trail
from inspector.security import verify
from inspector.security.auditlog import EventFilter
from ui.ops import Door

OnError = Callable[[InspectorError], None] | None


def export_audit_trail(door: Door, *, owner: QObject | None, path: Path, flt: EventFilter,
                       on_done: Callable[[TrailExport], None], on_error: OnError = None) -> int:
    """Write the events ``flt`` selects, oldest first, and the chain head to the CSV file ``path``."""
    return door.read(lambda s: export_trail(s, path=path, flt=flt), on_done, on_error, owner=owner)


def verify_records(door: Door, *, owner: QObject | None, on_done: Callable[[list[verify.Problem]], None],
                   on_error: OnError = None) -> int:
    """Every check over the store: integrity, the audit chain, the row hashes and the checkpoints."""
    store, data_dir = door.store, door.data_dir
    return door.run(lambda: verify.verify_all(store, data_dir), on_done, on_error, owner=owner)
