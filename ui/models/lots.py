"""Qt table models for the lots screen and the approval queue, over the read models of
``inspector.queries.lots``.

The lots and the queue grow with the yard: they are ``PagedTableModel`` s, read a page at a time by key on
the door's worker. The loads of one lot, the loads that may join a lot and the held loads are short work
lists, each read whole by its screen and handed to its model with ``set_rows``. No model reads the database
on the GUI thread.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from sqlmodel import Session

from inspector.datadir import DataDir
from inspector.errors import InspectorError
from inspector.queries.lots import (
    ApprovalView,
    EligibleLoad,
    HeldLoad,
    LotKey,
    LotMember,
    LotSummary,
    QueueEntry,
    approval_queue_page,
    lots_page,
)
from inspector.services.lots import DecisionPreview
from ui import formats, words
from ui.models.paged import PAGE_SIZE, PagedTableModel
from ui.ops import Door

LOT_NO_ROLE = Qt.ItemDataRole.UserRole + 1
LOAD_ID_ROLE = Qt.ItemDataRole.UserRole + 2


# --- models ------------------------------------------------------------------------------------------------

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _header(model: QAbstractTableModel, headers: list[str], section: int, orientation: Qt.Orientation,
            role: int) -> Any:
    if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
            and 0 <= section < len(headers):
        return headers[section]
    return None


def _retranslate(model: QAbstractTableModel, columns: int) -> None:
    model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
    rows = model.rowCount()
    if rows:
        model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))


class _RowsModel(QAbstractTableModel):
    """A read-only table of frozen rows replaced as a whole by ``set_rows``."""

    COLUMNS: type[enum.IntEnum]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return _header(self, self._headers(), section, orientation, role)

    def _headers(self) -> list[str]:
        raise NotImplementedError

    def _row_at(self, index: QModelIndex | QPersistentModelIndex) -> Any | None:
        if not index.isValid() or index.parent().isValid():
            return None
        if not (0 <= index.row() < len(self._rows) and 0 <= index.column() < len(self.COLUMNS)):
            return None
        return self._rows[index.row()]

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row(self, number: int) -> Any:
        return self._rows[number]

    def retranslate(self) -> None:
        _retranslate(self, len(self.COLUMNS))


class LotColumn(enum.IntEnum):
    LOT = 0
    STATE = 1
    CATEGORY = 2
    SUPPLIER = 3
    LOADS = 4
    NET = 5
    DRY = 6
    REO = 7
    TREO = 8
    GRADE = 9


_NUMERIC_LOT_COLUMNS = (LotColumn.LOADS, LotColumn.NET, LotColumn.DRY, LotColumn.REO, LotColumn.TREO)


@dataclass(frozen=True)
class LotsQuery:
    """Which lots the list shows (newest first): void ones only when asked."""

    include_void: bool = False


class LotListModel(PagedTableModel[LotSummary, LotsQuery]):
    """Lots, newest first, one per row, with state, category, supplier and mass balance; read a page at
    a time by lot number."""

    def __init__(self, door: Door, *, query: LotsQuery | None = None, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(door, query or LotsQuery(), page_size=page_size, parent=parent)
        self._data_dir: DataDir = door.data_dir

    def read_page(self, session: Session, query: LotsQuery, after: tuple[Any, ...] | None,
                  limit: int) -> Sequence[LotSummary]:
        key: LotKey | None = None if after is None else (int(after[0]), int(after[1]))
        return lots_page(session, after=key, limit=limit, include_void=query.include_void,
                         data_dir=self._data_dir)

    def page_key(self, row: LotSummary, query: LotsQuery) -> tuple[Any, ...]:
        return row.key

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LotColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        headers = [self.tr("Lot"), self.tr("State"), self.tr("Category"), self.tr("Supplier"),
                   self.tr("Loads"), self.tr("Net mass"), self.tr("Dry mass"), self.tr("Contained REO"),
                   self.tr("TREO %"), self.tr("Grade")]
        return _header(self, headers, section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()) \
                or not (0 <= index.column() < len(LotColumn)):
            return None
        lot = self.row_at(index.row())
        column = LotColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(lot, column)
        if role == LOT_NO_ROLE:
            return lot.lot_no
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC_LOT_COLUMNS:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == LotColumn.STATE and lot.state_reason:
                return lot.state_reason_words(words.language())
            if lot.balance_problem:
                return words.error(lot.balance_problem)
        return None

    def _display(self, lot: LotSummary, column: LotColumn) -> str:
        balance = lot.balance
        treo = "" if balance is None or balance.treo_pct is None else str(balance.treo_pct)
        values = {
            LotColumn.LOT: lot.lot_no,
            LotColumn.STATE: words.lot_state(lot.state),
            LotColumn.CATEGORY: words.category(lot.category),
            LotColumn.SUPPLIER: lot.supplier + (f" / {lot.contract}" if lot.contract else ""),
            LotColumn.LOADS: str(lot.load_count),
            LotColumn.NET: formats.mass(lot.net),
            LotColumn.DRY: "" if balance is None else formats.mass(balance.dry, division=1),
            LotColumn.REO: "" if balance is None else formats.mass(balance.reo, division=1),
            LotColumn.TREO: treo,
            LotColumn.GRADE: (balance.grade if balance is not None else None)
            or (self.tr("below grade") if treo else ""),
        }
        return values[column]

    def find(self, lot_no: str) -> int:
        """The row of a lot among those read so far, or -1."""
        for number, lot in enumerate(self.rows):
            if lot.lot_no == lot_no:
                return number
        return -1

    def retranslate(self) -> None:
        _retranslate(self, len(LotColumn))


class MemberColumn(enum.IntEnum):
    TICKET = 0
    SHARE = 1
    NET = 2
    OUTCOME = 3


class LotMembersModel(_RowsModel):
    """The loads of one lot (the share in the lot, and the load's whole net when only part is in it)."""

    COLUMNS = MemberColumn

    def _headers(self) -> list[str]:
        return [self.tr("Ticket"), self.tr("In this lot"), self.tr("Load net"), self.tr("Outcome / grade")]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        m: LotMember | None = self._row_at(index)
        if m is None:
            return None
        column = MemberColumn(index.column())
        if role == LOAD_ID_ROLE:
            return m.load_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (MemberColumn.SHARE, MemberColumn.NET):
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == MemberColumn.TICKET:
            return m.ticket_no
        if column == MemberColumn.SHARE:
            return formats.mass(m.share, m.unit)
        if column == MemberColumn.NET:
            return formats.mass(m.net, m.unit)
        outcome = words.outcome(m.outcome)
        return f"{outcome} {m.grade}" if outcome and m.grade else outcome


class EligibleColumn(enum.IntEnum):
    TICKET = 0
    CATEGORY = 1
    SUPPLIER = 2
    FREE = 3
    OUTCOME = 4


class EligibleLoadsModel(_RowsModel):
    """The picker of loads for a new lot (or to add to one): checkable rows of one category and supplier."""

    COLUMNS = EligibleColumn

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checked: set[int] = set()

    def _headers(self) -> list[str]:
        return [self.tr("Ticket"), self.tr("Category"), self.tr("Supplier"), self.tr("Not yet in a lot"),
                self.tr("Outcome / grade")]

    def set_rows(self, rows: Sequence[Any]) -> None:
        ids = {r.load_id for r in rows}
        self._checked &= ids
        super().set_rows(rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if self._row_at(index) is not None and index.column() == EligibleColumn.TICKET:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        ld: EligibleLoad | None = self._row_at(index)
        if ld is None:
            return None
        column = EligibleColumn(index.column())
        if role == LOAD_ID_ROLE:
            return ld.load_id
        if role == Qt.ItemDataRole.CheckStateRole and column == EligibleColumn.TICKET:
            return (Qt.CheckState.Checked if ld.load_id in self._checked else Qt.CheckState.Unchecked).value
        if role == Qt.ItemDataRole.TextAlignmentRole and column == EligibleColumn.FREE:
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == EligibleColumn.TICKET:
            return ld.ticket_no
        if column == EligibleColumn.CATEGORY:
            return words.category(ld.category)
        if column == EligibleColumn.SUPPLIER:
            return ld.supplier
        if column == EligibleColumn.FREE:
            return formats.mass(ld.free, ld.unit)
        outcome = words.outcome(ld.outcome)
        return f"{outcome} {ld.grade}" if outcome and ld.grade else outcome

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        ld: EligibleLoad | None = self._row_at(index)
        if ld is None or role != Qt.ItemDataRole.CheckStateRole or index.column() != EligibleColumn.TICKET:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        if state == Qt.CheckState.Checked.value:
            self._checked.add(ld.load_id)
        else:
            self._checked.discard(ld.load_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_checked(self, load_id: int, checked: bool) -> None:
        for number, ld in enumerate(self._rows):
            if ld.load_id == load_id:
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                self.setData(self.index(number, EligibleColumn.TICKET), state.value,
                             Qt.ItemDataRole.CheckStateRole)
                return

    def checked_ids(self) -> list[int]:
        return [ld.load_id for ld in self._rows if ld.load_id in self._checked]


class QueueColumn(enum.IntEnum):
    LOT = 0
    CATEGORY = 1
    SUPPLIER = 2
    LOADS = 3
    NET = 4
    GRADE = 5
    FINDINGS = 6
    RULESET = 7
    SUBMITTED_BY = 8


# Each lot in the queue costs its mass balance and its loads' findings (~0.5 ms); the queue shows about
# ten at 768 px, so a page of 30 keeps the read of its first page well under 50 ms; scrolling reads on.
QUEUE_PAGE_SIZE = 30


class ApprovalQueueModel(PagedTableModel[QueueEntry, None]):
    """Submitted lots waiting for a supervisor's decision, oldest first, read a page at a time by lot
    number."""

    def __init__(self, door: Door, *, page_size: int = QUEUE_PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(door, None, page_size=page_size, parent=parent)
        self._data_dir: DataDir = door.data_dir

    def read_page(self, session: Session, query: None, after: tuple[Any, ...] | None,
                  limit: int) -> Sequence[QueueEntry]:
        key: LotKey | None = None if after is None else (int(after[0]), int(after[1]))
        return approval_queue_page(session, after=key, limit=limit, data_dir=self._data_dir)

    def page_key(self, row: QueueEntry, query: None) -> tuple[Any, ...]:
        return row.key

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(QueueColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        headers = [self.tr("Lot"), self.tr("Category"), self.tr("Supplier"), self.tr("Loads"),
                   self.tr("Net mass"), self.tr("Grade"), self.tr("Failed checks"), self.tr("Rule set"),
                   self.tr("Submitted by")]
        return _header(self, headers, section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()) \
                or not (0 <= index.column() < len(QueueColumn)):
            return None
        entry = self.row_at(index.row())
        column = QueueColumn(index.column())
        if role == LOT_NO_ROLE:
            return entry.lot_no
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (QueueColumn.LOADS, QueueColumn.NET,
                                                                   QueueColumn.FINDINGS):
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = {
            QueueColumn.LOT: entry.lot_no,
            QueueColumn.CATEGORY: words.category(entry.category),
            QueueColumn.SUPPLIER: entry.supplier + (f" / {entry.contract}" if entry.contract else ""),
            QueueColumn.LOADS: str(len(entry.loads)),
            QueueColumn.NET: formats.mass(entry.balance.net),
            QueueColumn.GRADE: entry.balance.grade or "",
            QueueColumn.FINDINGS: str(entry.finding_count),
            QueueColumn.RULESET: entry.ruleset,
            QueueColumn.SUBMITTED_BY: entry.submitted_by or "",
        }
        return values[column]

    def find(self, lot_no: str) -> int:
        """The row of a lot among those read so far, or -1."""
        for number, entry in enumerate(self.rows):
            if entry.lot_no == lot_no:
                return number
        return -1

    def retranslate(self) -> None:
        _retranslate(self, len(QueueColumn))


class HeldColumn(enum.IntEnum):
    TICKET = 0
    CATEGORY = 1
    SUPPLIER = 2
    NET = 3


class HeldLoadsModel(_RowsModel):
    """Loads on HOLD that wait for a supervisor to release or reject them."""

    COLUMNS = HeldColumn

    def _headers(self) -> list[str]:
        return [self.tr("Ticket"), self.tr("Category"), self.tr("Supplier"), self.tr("Net mass")]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        ld: HeldLoad | None = self._row_at(index)
        if ld is None:
            return None
        column = HeldColumn(index.column())
        if role == LOAD_ID_ROLE:
            return ld.load_id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {HeldColumn.TICKET: ld.ticket_no, HeldColumn.CATEGORY: words.category(ld.category),
                HeldColumn.SUPPLIER: ld.supplier, HeldColumn.NET: formats.mass(ld.net, ld.unit)}[column]


@dataclass(frozen=True)
class DecisionFile:
    """A decision file in the import dialog: what importing it would do, and (once imported) what it did.

    ``same_packet_as`` names an earlier file of the same batch deciding the same packet: only the first
    is imported."""

    path: Path
    preview: DecisionPreview
    same_packet_as: Path | None = None
    recorded: ApprovalView | None = None
    failed: InspectorError | None = None

    @property
    def importable(self) -> bool:
        return self.preview.acceptable and self.same_packet_as is None

    @property
    def refusal(self) -> InspectorError | None:
        """Why the file is not (or was not) recorded, if it was refused."""
        return self.failed if self.failed is not None else self.preview.refusal


class DecisionFileColumn(enum.IntEnum):
    FILE = 0
    LOT = 1
    DECISION = 2
    SIGNER = 3
    VERSION = 4
    OUTCOME = 5


_REFUSED = QColor("#b00020")


class DecisionFilesModel(_RowsModel):
    """Decision files to import: per file the lot, the decision, the signer, the lot version it was made on
    (and whether the lot is still at it), and what importing it does or did."""

    COLUMNS = DecisionFileColumn

    def _headers(self) -> list[str]:
        return [self.tr("File"), self.tr("Lot"), self.tr("Decision"), self.tr("Signed by"),
                self.tr("Lot version"), self.tr("What happens")]

    def outcome(self, row: DecisionFile) -> str:
        """What importing the file does (before) or did (after), in words."""
        if row.recorded is not None:
            return words.word("decision_import", "recorded")
        refusal = row.refusal
        if refusal is not None:
            return words.word("decision_import", "refused") + words.aside(words.error(refusal))
        if row.same_packet_as is not None:
            return words.word("decision_import", "same_packet") + words.aside(row.same_packet_as.name)
        return words.word("decision_import", "will_record")

    def _version(self, preview: DecisionPreview) -> str:
        if not preview.version_hash:
            return "—"
        text = preview.version_hash[:12] + "…"
        if preview.version_matches is True:
            return text + words.aside(words.word("decision_import", "matches"))
        if preview.version_matches is False:
            return text + words.aside(words.word("decision_import", "changed"))
        return text

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: DecisionFile | None = self._row_at(index)
        if row is None:
            return None
        column = DecisionFileColumn(index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_REFUSED) if row.refusal is not None and column == DecisionFileColumn.OUTCOME \
                else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(row.path) if column == DecisionFileColumn.FILE else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        p = row.preview
        if column == DecisionFileColumn.FILE:
            return row.path.name
        if column == DecisionFileColumn.LOT:
            return p.lot_no or "—"
        if column == DecisionFileColumn.DECISION:
            return words.decision(p.decision) if p.decision in ("approve", "reject") else "—"
        if column == DecisionFileColumn.SIGNER:
            signer = p.printed_name or p.user_id or "—"
            when = formats.moment(p.signed_at, p.offset_minutes)
            return f"{signer} {when}".strip()
        if column == DecisionFileColumn.VERSION:
            return self._version(p)
        return self.outcome(row)
