"""Signed checkpoints of the audit chain head, written as files outside the database.

A hash chain inside the database can be rebuilt by anyone who can write the file. At every approval and
every certificate the signing supervisor's key signs the chain head (sequence + hash) into
``<data dir>/checkpoints/``; ``check`` then compares every checkpoint with the chain. Rewriting history
before a checkpoint needs that supervisor's passphrase.

The file is written only once the transaction that holds the checkpointed events has committed, so a
rolled-back approval never leaves a checkpoint of events that do not exist.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from inspector.canonical import canonical_json, jsonable
from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, UserError
from inspector.files import write_atomically
from inspector.security.audit import chain_head
from inspector.security.keys import Signer, certificate_pem
from inspector.storage.models.security import CheckpointRecord

FORMAT = "yard-inspector-checkpoint/1"
_PENDING = "yard_inspector_pending_checkpoints"


def checkpoints_dir(data_dir: DataDir) -> Path:
    return data_dir.root / "checkpoints"


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


def current_head(session: Session) -> ChainHead | None:
    """The chain head to print on a certificate (sequence and hash), or None for an empty trail."""
    head = chain_head(session)
    return None if head is None else ChainHead(seq=head.seq, hash=head.hash)


def signed_bytes(payload: dict[str, Any]) -> bytes:
    return canonical_json(payload).encode("utf-8")


def write_checkpoint(
    session: Session, *, data_dir: DataDir, signer: Signer, clock: Clock, purpose: str, reference: str = ""
) -> CheckpointRecord:
    """Sign the current chain head with ``signer`` (call it after the approval's or certificate's events
    are recorded, in the same transaction); the file is written when that transaction commits."""
    head = chain_head(session)
    if head is None:
        raise UserError("checkpoint.empty_trail", field="audit")
    stamp = clock.now()
    payload = {
        "format": FORMAT,
        "seq": head.seq,
        "head_hash": head.hash,
        "at": jsonable(stamp.utc),
        "offset_minutes": stamp.offset_minutes,
        "signer": signer.username,
        "key_fingerprint": signer.fingerprint,
        "purpose": purpose[:40],
        "reference": reference[:100],
    }
    document = {
        "payload": payload,
        "signature": base64.b64encode(signer.sign(signed_bytes(payload))).decode("ascii"),
        "certificate": certificate_pem(signer.certificate),
        "chain": [certificate_pem(c) for c in signer.chain],
    }
    file_name = f"cp-{head.seq:010d}-{head.hash[:12]}-{signer.fingerprint[:8]}-{purpose[:20]}.json"
    same = session.exec(select(CheckpointRecord).where(col(CheckpointRecord.file_name) == file_name)).first()
    if same is not None:
        return same  # this signer already vouched for this very head
    record = CheckpointRecord(
        seq=head.seq, head_hash=head.hash, at=stamp.utc, offset_minutes=stamp.offset_minutes,
        signer=signer.username, key_fingerprint=signer.fingerprint, purpose=purpose[:40],
        reference=reference[:100], file_name=file_name,
    )
    session.add(record)
    session.flush()
    text = json.dumps(document, indent=2, sort_keys=True)
    _queue_file(session, checkpoints_dir(data_dir) / file_name, text)
    return record


def _queue_file(session: Session, path: Path, text: str) -> None:
    pending: list[tuple[Path, str]] | None = session.info.get(_PENDING)
    if pending is None:
        pending = []
        session.info[_PENDING] = pending
        event.listen(session, "after_commit", _write_pending)
        event.listen(session, "after_rollback", _drop_pending)
    pending.append((path, text))


def _drop_pending(session: Session) -> None:
    session.info.get(_PENDING, []).clear()


def _write_pending(session: Session) -> None:
    pending: list[tuple[Path, str]] = session.info.get(_PENDING, [])
    items = list(pending)
    pending.clear()
    for path, text in items:
        write_file_durably(path, text)


def write_file_durably(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically and fsync it (a checkpoint must survive a power cut)."""
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise EnvironmentProblemError("checkpoint.unwritable", path=str(path),
                                      detail=str(exc.strerror or exc)) from exc


class CheckpointFileError(ValueError):
    """A file of the checkpoints folder that is not a checkpoint this version reads; ``code`` is the
    verification's finding about it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def read_checkpoint(path: Path) -> dict[str, Any]:
    """The parsed checkpoint document (raises ValueError if it is not one: ``CheckpointFileError`` when
    the JSON is readable but not a checkpoint of this format)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("payload"), dict):
        raise CheckpointFileError("checkpoint.not_a_checkpoint")
    if document["payload"].get("format") != FORMAT:
        raise CheckpointFileError("checkpoint.unknown_format")
    return document
