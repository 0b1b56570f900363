"""Verification of the evidence: database integrity, the audit hash chain, every business row against the
event that last wrote it, and every signed checkpoint against the chain.

Each finding is a ``Problem`` saying what is wrong and where (the first broken event of the chain, or the
table and id of a row), as a code with parameters worded in the reader's language (``words(lang)``;
``message`` is the English). ``verify_all`` is what ``yard-inspector check`` and the GUI's start
run; ``verify_data_dir`` opens the database read-only for the foundation's ``check``.

Business rows are found generically: every table on ``SQLModel.metadata`` with ``row_hash`` and
``audit_seq`` columns.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography import x509
from sqlalchemy import Column, Table, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from inspector.canonical import certificate_fingerprint, jsonable
from inspector.datadir import DataDir
from inspector.messages import Language, Term, formats
from inspector.messages.notice import Notice, Worded
from inspector.security import checkpoints as cp
from inspector.security import keys
from inspector.security.audit import GENESIS_HASH
from inspector.security.users import PASSWORD_SET_ACTION, password_fingerprint
from inspector.storage.db import Store
from inspector.storage.integrity import CheckReport, check_file, connection_problems
from inspector.storage.raw import read_only_engine, stream_rows, trigger_names
from inspector.storage.types import DecimalText, JSONText, UTCDateTime

_ROW_META = ("row_hash", "audit_seq")
# The most findings listed per kind; beyond that a count is enough to act on.
MAX_LISTED = 50
_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
# The JSON spelling of a string as json.dumps(ensure_ascii=False) writes it (the C implementation).
_encode_str: Callable[[str], str] = json.encoder.encode_basestring


@dataclass(frozen=True)
class Problem(Worded):
    """One finding. ``kind``: integrity, chain, row, checkpoint, keys, schema or series. ``code`` and
    ``params``: what it says (``words(lang)``, ``message`` in English)."""

    kind: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    seq: int | None = None
    table: str | None = None
    row_id: str | None = None

    def to_json(self, lang: Language = "en") -> dict[str, Any]:
        return {**super().to_json(lang), "kind": self.kind, "seq": self.seq, "table": self.table,
                "row_id": self.row_id}


def _problem(kind: str, said: Notice, *, seq: int | None = None, table: str | None = None,
             row_id: str | None = None) -> Problem:
    return Problem(kind=kind, code=said.code, params=said.params, seq=seq, table=table, row_id=row_id)


@dataclass(frozen=True)
class Anchor:
    """A chain head held outside the database: printed on a certificate, or an exported digest.

    ``source`` names it as people know it (the certificate number, the digest's file); ``kind`` says what
    it is (``words.anchor``: certificate or digest)."""

    seq: int
    hash: str
    source: str
    kind: str = "certificate"


def audited_tables() -> list[Table]:
    """Every table whose rows carry a row hash and the sequence of the event that last wrote them."""
    import inspector.storage.models  # noqa: F401  (registers every table)

    # By name, not ``sorted_tables``: foreign-key cycles between other areas' tables make sorting warn.
    tables = sorted(SQLModel.metadata.tables.values(), key=lambda t: t.name)
    return [t for t in tables
            if all(name in t.columns for name in _ROW_META) and len(t.primary_key.columns) == 1]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical_at(raw: Any) -> Any:
    """The ``at`` value as ``jsonable`` spells it (the app stores exactly that spelling)."""
    try:
        return jsonable(datetime.fromisoformat(raw)) if isinstance(raw, str) else raw
    except ValueError:
        return raw


def _load_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@dataclass
class _ChainResult:
    max_seq: int
    count: int
    hashes: dict[int, str]
    latest_write: dict[tuple[str, str], tuple[int, str | None]]
    writes_by_seq: dict[int, tuple[str, str, str]]
    # user id -> (seq, fingerprint of the password hash it set)
    passwords: dict[str, tuple[int, str]] = field(default_factory=dict)


def _text(value: Any) -> str:
    return "null" if value is None else _encode_str(value)


def _fast_event_text(seq: Any, at: Any, offset: Any, actor: Any, role: Any, action: Any, entity: Any,
                     entity_id: Any, old_t: Any, new_t: Any, reason: Any, source: Any, prev: Any) -> str:
    """The canonical JSON of an event's payload, assembled from the stored texts (the app stores the old
    and new values, and the time, exactly as ``canonical_json`` spells them) without parsing them."""
    if not (isinstance(seq, int) and isinstance(offset, int) and isinstance(at, str)):
        raise TypeError("not as the application stores it")
    return "".join((
        '{"action":', _text(action), ',"actor":', _text(actor), ',"at":', _encode_str(at),
        ',"entity":', _text(entity), ',"entity_id":', _text(entity_id),
        ',"new":', "null" if new_t is None else new_t, ',"offset_minutes":', str(offset),
        ',"old":', "null" if old_t is None else old_t, ',"prev_hash":', _text(prev),
        ',"reason":', _text(reason), ',"role":', _text(role), ',"seq":', str(seq),
        ',"source":', _text(source), "}",
    ))


def _slow_event_check(fields: tuple[Any, ...], stored: str) -> Notice | None:
    """Parse and re-canonicalise an event whose stored texts are not spelled canonically; returns what is
    wrong, or None if it still matches its hash."""
    seq, at, offset, actor, role, action, entity, entity_id, old_t, new_t, reason, source, prev = fields
    try:
        old, new = _load_json(old_t), _load_json(new_t)
    except ValueError:
        return Notice("audit.chain.event_unreadable", seq=seq)
    payload = {"seq": seq, "at": at, "offset_minutes": offset, "actor": actor, "role": role,
               "action": action, "entity": entity, "entity_id": entity_id, "old": old, "new": new,
               "reason": reason, "source": source, "prev_hash": prev}
    if _sha(_dumps(payload)) == stored:
        return None
    payload["at"] = _canonical_at(at)
    if _sha(_dumps(payload)) == stored:
        return None
    return Notice("audit.chain.event_changed", seq=seq)


def verify_chain(conn: Connection, problems: list[Problem], *, want_hashes: set[int]) -> _ChainResult:
    """Walk the trail in sequence order, recomputing every hash; report the first place the chain breaks."""
    pk_of = {t.name: next(iter(t.primary_key.columns)).name for t in audited_tables()}
    result = _ChainResult(max_seq=0, count=0, hashes={}, latest_write={}, writes_by_seq={})
    expected, prev_hash = 1, GENESIS_HASH
    broken = False
    rows = stream_rows(
        conn,
        "SELECT seq, at, offset_minutes, actor, role, action, entity, entity_id, old, new, reason, source, "
        "prev_hash, hash FROM audit_event ORDER BY seq",
    )
    for row in rows:
        fields = tuple(row[:13])
        seq, action, entity, entity_id, new_t = row[0], row[5], row[6], row[7], row[9]
        prev, stored = row[12], row[13]
        result.count += 1
        result.max_seq = seq
        if seq in want_hashes:
            result.hashes[seq] = stored
        canonical = False
        if not broken:
            message: Notice | None = None
            broken_at = seq
            if seq != expected:
                if seq > expected and expected > 1:
                    message = Notice("audit.chain.event_missing", seq=expected, before=expected - 1,
                                     after=seq)
                elif seq > expected:
                    message = Notice("audit.chain.start_missing", seq=seq)
                else:
                    message = Notice("audit.chain.out_of_order", seq=seq, before=expected - 1)
                broken_at = expected
            elif prev != prev_hash:
                message = Notice("audit.chain.broken", before=seq - 1, seq=seq)
            else:
                try:
                    canonical = _sha(_fast_event_text(*fields)) == stored
                except TypeError:
                    canonical = False
                if not canonical:
                    message = _slow_event_check(fields, stored)
            if message is not None:
                problems.append(_problem("chain", message, seq=broken_at))
                broken = True
        if entity == "user_credential" and action == PASSWORD_SET_ACTION:
            try:
                fingerprint = _load_json(new_t).get("password_fingerprint")
            except (ValueError, AttributeError):
                fingerprint = None
            result.passwords[entity_id] = (seq, str(fingerprint))
        pk = pk_of.get(entity)
        if pk is not None:
            try:
                new = _load_json(new_t)
            except ValueError:
                new = None
            if isinstance(new, dict) and str(new.get(pk)) == entity_id:
                # A verified event stores its new values canonically: hash the text as it is.
                digest = _sha(new_t) if canonical else _sha(_dumps(new))
                result.latest_write[(entity, entity_id)] = (seq, digest)
                result.writes_by_seq[seq] = (entity, entity_id, digest)
            elif new is None and action.endswith(("delete", "deleted")):
                result.latest_write[(entity, entity_id)] = (seq, None)
        expected, prev_hash = seq + 1, stored
    return result


def _check_row(chain: _ChainResult, table: str, row_id: str, stored_hash: str | None, audit_seq: int | None,
               content_hash: str) -> Problem | None:
    """What is wrong with one business row, or None."""
    if stored_hash is None or audit_seq is None:
        return _row_problem("audit.row.unaudited", table, row_id)
    if content_hash != stored_hash:
        return _row_problem("audit.row.changed", table, row_id, seq=audit_seq)
    write = chain.writes_by_seq.get(audit_seq)
    if write is None or write[:2] != (table, row_id):
        return _row_problem("audit.row.wrong_event", table, row_id, seq=audit_seq)
    if write[2] != content_hash:
        return _row_problem("audit.row.rewritten", table, row_id, seq=audit_seq)
    latest = chain.latest_write.get((table, row_id))
    if latest is not None and latest[0] != audit_seq:
        return _row_problem("audit.row.put_back", table, row_id, seq=audit_seq, later=latest[0])
    return None


def _row_problem(code: str, table: str, row_id: str, **params: object) -> Problem:
    """A finding about one row: its words name the table and the row (``table``, ``row``)."""
    return Problem(kind="row", code=code, params={"table": table, "row": row_id, **params}, table=table,
                   row_id=row_id)


def _column_kind(column: Column[Any]) -> str | None:
    """How a column's stored value reads as canonical JSON without the column type's conversion, or None
    when only the type can say (the row is then hashed through SQLAlchemy)."""
    kind = column.type
    if isinstance(kind, JSONText):
        return "json"
    if isinstance(kind, sa.Boolean):
        return "bool"
    if isinstance(kind, sa.Enum):
        return None
    if isinstance(kind, UTCDateTime | DecimalText | AutoString | sa.String | sa.Integer | sa.Float):
        return "plain"
    return None


def _plain_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _encode_str(value)
    if isinstance(value, int):
        return str(value)
    return _dumps(value)


def _fast_row_hash(names: list[str], kinds: list[str], values: tuple[Any, ...]) -> str | None:
    """The content hash of a row from its stored values (as the application stores them), or None."""
    parts = []
    for name, kind, value in zip(names, kinds, values, strict=True):
        if value is None:
            text = "null"
        elif kind == "json":
            if not isinstance(value, str):
                return None
            text = value
        elif kind == "bool":
            if value not in (0, 1):
                return None
            text = "true" if value else "false"
        else:
            text = _plain_text(value)
        parts.append(_encode_str(name) + ":" + text)
    return _sha("{" + ",".join(parts) + "}")


def verify_rows(conn: Connection, chain: _ChainResult, problems: list[Problem]) -> None:
    """Each business row against its own hash and against the audit event that last wrote it."""
    db = inspect(conn)
    existing = set(db.get_table_names())
    for table in audited_tables():
        if table.name not in existing:
            continue
        db_columns = {c["name"] for c in db.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in db_columns]
        if missing:
            problems.append(Problem(kind="schema", table=table.name, code="audit.table.columns_missing",
                                    params={"table": table.name, "columns": missing}))
            continue
        pk_column = next(iter(table.primary_key.columns))
        columns = sorted((c for c in table.columns if c.name not in _ROW_META), key=lambda c: c.name)
        names = [c.name for c in columns]
        kinds = [_column_kind(c) for c in columns]
        fast = all(k is not None for k in kinds)
        fast_kinds = [k or "" for k in kinds]
        quoted = ", ".join(f'"{n}"' for n in [pk_column.name, "row_hash", "audit_seq", *names])
        seen: set[str] = set()
        found: list[Problem] = []
        select_all = f'SELECT {quoted} FROM "{table.name}"'
        for pk_value, stored_hash, audit_seq, *values in stream_rows(conn, select_all):
            row_id = str(pk_value)
            seen.add(row_id)
            content_hash = _fast_row_hash(names, fast_kinds, tuple(values)) if fast else None
            if content_hash is None or content_hash != stored_hash:
                # Not spelled as the application stores it: let the column types read it.
                typed = conn.execute(select(table).where(pk_column == pk_value)).mappings().one()
                content_hash = _sha(_dumps({name: jsonable(typed[name]) for name in names}))
            problem = _check_row(chain, table.name, row_id, stored_hash, audit_seq, content_hash)
            if problem is not None:
                found.append(problem)
        for (entity, row_id), (seq, digest) in chain.latest_write.items():
            if entity == table.name and digest is not None and row_id not in seen:
                found.append(_row_problem("audit.row.deleted", table.name, row_id, seq=seq))
        problems.extend(found[:MAX_LISTED])
        if len(found) > MAX_LISTED:
            problems.append(Problem(kind="row", table=table.name, code="audit.row.more",
                                    params={"table": table.name, "count": len(found) - MAX_LISTED}))


def verify_credentials(conn: Connection, chain: _ChainResult, problems: list[Problem]) -> None:
    """Each password hash against the fingerprint the trail recorded when it was set."""
    tables = set(inspect(conn).get_table_names())
    if not {"user_credential", "user_account"} <= tables:
        return
    rows = conn.exec_driver_sql(
        "SELECT a.username, c.password_hash FROM user_credential c JOIN user_account a ON a.id = c.user_id"
    )
    for username, phc in rows:
        recorded = chain.passwords.get(username)
        if recorded is None or recorded[1] != password_fingerprint(str(phc)):
            said = (Notice("audit.password.replaced", user=username, seq=recorded[0]) if recorded
                    else Notice("audit.password.unrecorded", user=username))
            problems.append(_problem("row", said, table="user_credential", row_id=username))


@dataclass
class _Checkpoint:
    path: Path
    document: dict[str, Any] | None
    error: Notice | None = None


def _read_checkpoints(data_dir: DataDir) -> list[_Checkpoint]:
    folder = cp.checkpoints_dir(data_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("cp-*.json")):
        try:
            found.append(_Checkpoint(path, cp.read_checkpoint(path)))
        except cp.CheckpointFileError as exc:
            found.append(_Checkpoint(path, None, Notice(exc.code, file=path.name)))
        except OSError as exc:
            found.append(_Checkpoint(path, None, Notice("checkpoint.file_unreadable", file=path.name,
                                                        detail=str(exc.strerror or exc))))
        except (ValueError, UnicodeDecodeError):  # not JSON, or not text at all
            found.append(_Checkpoint(path, None, Notice("checkpoint.file_damaged", file=path.name)))
    return found


def _key_registry(conn: Connection) -> tuple[list[x509.Certificate], dict[str, dict[str, Any]]]:
    if "signing_key" not in inspect(conn).get_table_names():
        return [], {}
    cas: list[x509.Certificate] = []
    personal: dict[str, dict[str, Any]] = {}
    rows = conn.exec_driver_sql(
        "SELECT kind, fingerprint, username, origin, status, status_changed_at, certificate_pem "
        "FROM signing_key"
    )
    for kind, fingerprint, username, origin, status, changed, pem in rows:
        if kind == "ca":
            try:
                cas.append(keys.load_pem_certificate(pem))
            except ValueError:
                continue
        else:
            personal[fingerprint] = {"username": username, "origin": origin, "status": status,
                                     "status_changed_at": changed}
    return cas, personal


def _check_pinned_ca(data_dir: DataDir, cas: list[x509.Certificate], problems: list[Problem]) -> None:
    pinned = data_dir.keys / keys.CA_CERT_FILE
    if not cas or not pinned.exists():
        return
    try:
        pinned_fp = certificate_fingerprint(keys.load_pem_certificate(pinned.read_bytes()))
    except (OSError, ValueError):
        problems.append(_problem("keys", Notice("ca.certificate_damaged", path=str(pinned))))
        return
    if pinned_fp not in {certificate_fingerprint(c) for c in cas}:
        problems.append(_problem("keys", Notice("ca.certificate_differs", path=str(pinned))))


def verify_checkpoints(conn: Connection, data_dir: DataDir, found: list[_Checkpoint], chain: _ChainResult,
                       problems: list[Problem], anchors: Iterable[Anchor] = ()) -> None:
    cas, personal = _key_registry(conn)
    _check_pinned_ca(data_dir, cas, problems)
    for item in found:
        name = item.path.name
        if item.document is None:
            said = item.error or Notice("checkpoint.file_damaged", file=name)
            problems.append(_problem("checkpoint", said))
            continue
        payload = item.document["payload"]
        try:
            cert = keys.load_pem_certificate(str(item.document["certificate"]))
            signature = base64.b64decode(str(item.document["signature"]), validate=True)
            seq, head_hash = int(payload["seq"]), str(payload["head_hash"])
            signer, at = str(payload.get("signer")), str(payload.get("at"))
            offset = int(payload.get("offset_minutes") or 0)
        except (KeyError, TypeError, ValueError, binascii.Error):
            problems.append(_problem("checkpoint", Notice("checkpoint.incomplete", file=name)))
            continue
        if not keys.verify_signature(cert, signature, cp.signed_bytes(payload)):
            said = Notice("checkpoint.signature_invalid", file=name)
            problems.append(_problem("checkpoint", said, seq=seq))
            continue
        fp = certificate_fingerprint(cert)
        registered = personal.get(fp)
        trusted = registered is not None and payload.get("key_fingerprint") == fp and (
            registered["origin"] == "external" or any(keys.issued_by(cert, ca) for ca in cas))
        if not trusted:
            said = Notice("checkpoint.unknown_signer", file=name, subject=cert.subject.rfc4514_string())
            problems.append(_problem("checkpoint", said, seq=seq))
            continue
        assert registered is not None
        if registered["status"] == "revoked" and registered["status_changed_at"] and \
                str(registered["status_changed_at"]) < at:
            said = Notice("checkpoint.signed_after_revocation", file=name, user=signer)
            problems.append(_problem("checkpoint", said, seq=seq))
        _compare_head(seq, head_hash, chain, problems, "checkpoint", file=name, user=signer,
                      at=formats.stored_moment(at, offset))
    for anchor in anchors:
        _compare_head(anchor.seq, anchor.hash, chain, problems, "anchor", anchor=Term("anchor", anchor.kind),
                      source=anchor.source)
    if "checkpoint_record" in inspect(conn).get_table_names():
        on_disk = {item.path.name for item in found}
        rows = conn.exec_driver_sql(
            "SELECT seq, signer, at, offset_minutes, file_name FROM checkpoint_record ORDER BY seq")
        for seq, signer, at, offset, file_name in rows:
            if file_name not in on_disk:
                said = Notice("checkpoint.file_missing", seq=seq, user=signer,
                              at=formats.stored_moment(at, int(offset or 0)), file=file_name)
                problems.append(_problem("checkpoint", said, seq=seq))


def _compare_head(seq: int, head_hash: str, chain: _ChainResult, problems: list[Problem], by: str,
                  **source: object) -> None:
    """The chain head vouched for ``by`` a checkpoint (``file``, ``user``, ``at``) or an anchor (``anchor``,
    ``source``) against the trail."""
    if seq > chain.max_seq:
        code = "checkpoint.beyond_trail" if by == "checkpoint" else "anchor.beyond_trail"
        params = {"seq": seq, "last": chain.max_seq, **source}
        problems.append(Problem(kind="checkpoint", code=code, params=params, seq=seq))
    elif chain.hashes.get(seq) != head_hash:
        code = "checkpoint.mismatch" if by == "checkpoint" else "anchor.mismatch"
        problems.append(Problem(kind="checkpoint", code=code, params={"seq": seq, **source}, seq=seq))


def verify_integrity(conn: Connection, problems: list[Problem]) -> None:
    for found in connection_problems(conn, quick=True):
        problems.append(Problem(kind="integrity", code=found.code, params=found.params, table=found.table,
                                row_id=found.row_id))


# The database's own refusals of changes to append-only records; a missing one was dropped by hand.
GUARD_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete", "classification_no_update",
                  "classification_no_delete", "ruleset_published_no_update")
# Gapless number series: the table and the (year, number) columns of the rows that use them.
NUMBER_SERIES = {"ticket": ("load", "ticket_year", "ticket_seq"), "lot": ("lot", "lot_year", "lot_seq"),
                 "certificate": ("certificate", "year", "seq")}


def verify_guards(conn: Connection, problems: list[Problem]) -> None:
    """The append-only triggers are in place."""
    present = trigger_names(conn)
    for name in GUARD_TRIGGERS:
        if name not in present:
            problems.append(_problem("schema", Notice("audit.guard_removed", name=name)))


def verify_series(conn: Connection, problems: list[Problem]) -> None:
    """Each gapless series issued exactly the numbers its rows use: 1 to its last, none missing."""
    counters = {(str(series), int(year)): int(last) for series, year, last in
                stream_rows(conn, "SELECT series, year, last FROM numberseries")}
    for series, (table, year_col, seq_col) in NUMBER_SERIES.items():
        used: dict[int, set[int]] = {}
        for year, seq in stream_rows(conn, f"SELECT DISTINCT {year_col}, {seq_col} FROM {table}"):
            used.setdefault(int(year), set()).add(int(seq))
        for year in sorted(set(used) | {y for (s, y) in counters if s == series}):
            numbers = used.get(year, set())
            last = counters.get((series, year), 0)
            missing = sorted(set(range(1, last + 1)) - numbers)
            beyond = sorted(n for n in numbers if n > last)
            if missing:
                shown = [str(n) for n in missing[:5]] + (["…"] if len(missing) > 5 else [])
                said = Notice("audit.series.gap", series=Term("number_series", series), year=year,
                              numbers=shown, count=len(missing))
                problems.append(_problem("series", said, table=table))
            if beyond:
                said = Notice("audit.series.behind", series=Term("number_series", series), year=year,
                              last=last, used=beyond[0])
                problems.append(_problem("series", said, table=table))


def verify_connection(conn: Connection, data_dir: DataDir, *, integrity: bool = True,
                      anchors: Iterable[Anchor] = ()) -> list[Problem]:
    problems: list[Problem] = []
    try:
        if integrity:
            verify_integrity(conn, problems)
            if problems:
                return problems
        found = _read_checkpoints(data_dir)
        anchors = list(anchors)
        want = {int(i.document["payload"].get("seq", 0)) for i in found
                if i.document is not None and isinstance(i.document["payload"].get("seq"), int)}
        want |= {a.seq for a in anchors}
        chain = verify_chain(conn, problems, want_hashes=want)
        verify_guards(conn, problems)
        verify_series(conn, problems)
        verify_rows(conn, chain, problems)
        verify_credentials(conn, chain, problems)
        verify_checkpoints(conn, data_dir, found, chain, problems, anchors)
    except DatabaseError as exc:
        said = Notice("storage.check.unreadable", detail=str(exc.orig or exc))
        problems.append(_problem("integrity", said))
    return problems


def verify_all(store: Store, data_dir: DataDir, *, anchors: Iterable[Anchor] = ()) -> list[Problem]:
    """Every check over an open store: integrity, chain, row hashes, checkpoints (and given anchors)."""
    with store.engine.connect() as conn:
        return verify_connection(conn, data_dir, anchors=anchors)


def verify_data_dir(data_dir: DataDir) -> list[Problem]:
    """The chain, row and checkpoint checks on the data directory's database opened read-only (the caller
    has run SQLite's own integrity check)."""
    engine = read_only_engine(data_dir.database)
    try:
        with engine.connect() as conn:
            return verify_connection(conn, data_dir, integrity=False)
    finally:
        engine.dispose()


def check_data_dir(data_dir: DataDir) -> CheckReport:
    """Every check: the file, then (when the file is sound) the audit trail and the rows it vouches for."""
    report = check_file(data_dir)
    if report.ok:
        report.problems.extend(verify_data_dir(data_dir))
    return report
