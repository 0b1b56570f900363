"""Lots for the lots and approval screens: plain rows read on the worker thread, and the Qt table models
that show them (the lots with their mass balance, the loads that may join a lot, the approval queue).

Reading happens in the ``fetch_*`` functions (no Qt: they run on the ``Ops`` worker); a model only holds
the rows it was last given, so a view never touches the database from the GUI thread.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from sqlalchemy import select
from sqlmodel import col

from inspector.errors import InspectorError
from inspector.lots.version import latest_decisions, members
from inspector.services import lots as svc
from inspector.standard.ruleset import RuleSet
from inspector.states import LoadState, LotState
from inspector.storage.db import Store
from inspector.storage.models.core import Load, Supplier

LOT_NO_ROLE = Qt.ItemDataRole.UserRole + 1
LOAD_ID_ROLE = Qt.ItemDataRole.UserRole + 2

RulesetOf = Callable[[str, str], RuleSet]


def describe(exc: InspectorError) -> str:
    """A service error as one sentence (or two, with the hint) for an inline message."""
    return f"{exc.message} {exc.hint}" if exc.hint else exc.message


def format_mass(value: int | str | None, unit: str = "kg") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        return f"{value:,} {unit}"
    whole, _, fraction = str(value).partition(".")
    return f"{int(whole):,}{'.' + fraction if fraction else ''} {unit}"


class LotTexts(QObject):
    """Translated words for the stored lot states and decisions."""

    def state(self, code: str) -> str:
        labels = {
            LotState.DRAFT.value: self.tr("Draft"),
            LotState.SUBMITTED.value: self.tr("Submitted"),
            LotState.APPROVED.value: self.tr("Approved"),
            LotState.REJECTED.value: self.tr("Rejected"),
            LotState.CERTIFIED.value: self.tr("Certified"),
            LotState.VOID.value: self.tr("Void"),
        }
        return labels.get(code, code)

    def decision(self, code: str) -> str:
        return {"approve": self.tr("Approval"), "reject": self.tr("Rejection")}.get(code, code)

    def outcome(self, code: str | None) -> str:
        if not code:
            return ""
        labels = {"ACCEPT": self.tr("Accept"), "REJECT": self.tr("Reject"), "HOLD": self.tr("Hold"),
                  "INCOMPLETE": self.tr("Incomplete")}
        return labels.get(code.upper(), code)


# --- rows --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LotRow:
    """One lot with its mass balance (as the service computes it for the lot's rule set)."""

    lot_no: str
    state: str
    state_reason: str | None
    category: str
    supplier: str
    contract: str
    load_count: int
    net: int
    dry: str
    reo: str
    treo_pct: str | None
    grade: str | None
    balance_problem: str | None = None


@dataclass(frozen=True)
class MemberRow:
    """A load (or a share of a split load) in a lot."""

    load_id: int
    ticket_no: str
    share: int
    net: int | None
    unit: str
    outcome: str | None
    grade: str | None


@dataclass(frozen=True)
class EligibleLoad:
    """A load that may join a lot, with how much of its net is not yet in any lot."""

    load_id: int
    ticket_no: str
    category: str
    supplier_id: int
    supplier: str
    free: int
    unit: str
    outcome: str
    grade: str | None

    @property
    def group(self) -> tuple[str, int]:
        return self.category, self.supplier_id


@dataclass(frozen=True)
class QueueEntry:
    """A submitted lot as the approval queue shows it (see ``svc.approval_queue``)."""

    lot_no: str
    category: str
    supplier: str
    contract: str
    ruleset: str
    submitted_by: str | None
    balance: dict[str, Any]
    loads: list[dict[str, Any]] = field(default_factory=list)

    @property
    def finding_count(self) -> int:
        return sum(len(ld.get("findings") or []) for ld in self.loads)


@dataclass(frozen=True)
class HeldLoad:
    load_id: int
    ticket_no: str
    category: str
    supplier: str
    net: int | None
    unit: str


def fetch_lot_rows(store: Store, ruleset_of: RulesetOf, *, include_void: bool = False) -> list[LotRow]:
    """Every lot (newest first) with its balance; a lot whose rule set is not installed says so instead
    of failing the whole list."""
    with store.session() as s:
        suppliers = {sp.id: sp.name for sp in s.execute(select(Supplier)).scalars()}
        rows = []
        for lot in reversed(svc.list_lots(s)):
            if lot.state == LotState.VOID.value and not include_void:
                continue
            shares = svc.members_of(s, lot)
            net, dry, reo, treo, grade, problem = sum(m.share for m in shares), "", "", None, None, None
            try:
                bal = svc.lot_balance(s, lot, ruleset_of(lot.ruleset_id, lot.ruleset_version)).to_json()
                net, dry, reo, treo, grade = bal["net"], bal["dry"], bal["reo"], bal["treo_pct"], bal["grade"]
            except InspectorError as exc:
                problem = describe(exc)
            rows.append(LotRow(lot_no=lot.lot_no, state=lot.state, state_reason=lot.state_reason,
                               category=lot.category, supplier=suppliers.get(lot.supplier_id, ""),
                               contract=lot.contract, load_count=len(shares), net=net, dry=dry, reo=reo,
                               treo_pct=treo, grade=grade, balance_problem=problem))
        return rows


def fetch_members(store: Store, lot_no: str) -> list[MemberRow]:
    with store.session() as s:
        lot = svc.get_lot(s, lot_no)
        return [MemberRow(load_id=ld.id or 0, ticket_no=ld.ticket_no, share=m.share, net=ld.net,
                          unit=ld.weight_unit, outcome=ld.outcome, grade=ld.grade)
                for m, ld in members(s, lot)]


def fetch_eligible_loads(store: Store) -> list[EligibleLoad]:
    """Finally classified loads that may join a lot and still have net mass outside every lot."""
    with store.session() as s:
        stmt = (select(Load).where(col(Load.state) == LoadState.CLASSIFIED.value,
                                   col(Load.classification_status) == "final")
                .order_by(col(Load.ticket_no)))
        loads = list(s.execute(stmt).scalars())
        decisions = latest_decisions(s, [ld.id or 0 for ld in loads])
        suppliers = {sp.id: sp.name for sp in s.execute(select(Supplier)).scalars()}
        result = []
        for ld in loads:
            if svc.ineligibility(ld, decisions.get(ld.id or 0)) is not None:
                continue
            free = (ld.net or 0) - svc.allocated(s, ld.id or 0)
            if free <= 0:
                continue
            result.append(EligibleLoad(load_id=ld.id or 0, ticket_no=ld.ticket_no,
                                       category=ld.assigned_category or "", supplier_id=ld.supplier_id,
                                       supplier=suppliers.get(ld.supplier_id, ""), free=free,
                                       unit=ld.weight_unit, outcome=ld.outcome or "", grade=ld.grade))
        return result


def fetch_queue(store: Store, ruleset_of: RulesetOf) -> tuple[list[QueueEntry], list[HeldLoad]]:
    with store.session() as s:
        entries = [QueueEntry(lot_no=e["lot_no"], category=e["category"], supplier=e["supplier"],
                              contract=e["contract"], ruleset=e["ruleset"], submitted_by=e["submitted_by"],
                              balance=e["balance"], loads=e["loads"])
                   for e in svc.approval_queue(s, ruleset_of=ruleset_of)]
        suppliers = {sp.id: sp.name for sp in s.execute(select(Supplier)).scalars()}
        held = [HeldLoad(load_id=ld.id or 0, ticket_no=ld.ticket_no, category=ld.assigned_category or "",
                         supplier=suppliers.get(ld.supplier_id, ""), net=ld.net, unit=ld.weight_unit)
                for ld in svc.held_loads(s)]
        return entries, held


# --- models ------------------------------------------------------------------------------------------------

class _RowsModel(QAbstractTableModel):
    """A read-only table of frozen rows replaced as a whole by ``set_rows``."""

    COLUMNS: type[enum.IntEnum]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._texts = LotTexts(self)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.COLUMNS)):
            return self._headers()[section]
        return None

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
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))


_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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


class LotListModel(_RowsModel):
    """Lots, one per row, with state, category, supplier and mass balance."""

    COLUMNS = LotColumn

    def _headers(self) -> list[str]:
        return [self.tr("Lot"), self.tr("State"), self.tr("Category"), self.tr("Supplier"), self.tr("Loads"),
                self.tr("Net mass"), self.tr("Dry mass"), self.tr("Contained REO"), self.tr("TREO %"),
                self.tr("Grade")]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lot: LotRow | None = self._row_at(index)
        if lot is None:
            return None
        column = LotColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(lot, column)
        if role == LOT_NO_ROLE:
            return lot.lot_no
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC_LOT_COLUMNS:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == LotColumn.STATE and lot.state_reason:
                return lot.state_reason
            if lot.balance_problem:
                return lot.balance_problem
        return None

    def _display(self, lot: LotRow, column: LotColumn) -> str:
        values = {
            LotColumn.LOT: lot.lot_no,
            LotColumn.STATE: self._texts.state(lot.state),
            LotColumn.CATEGORY: lot.category,
            LotColumn.SUPPLIER: lot.supplier + (f" / {lot.contract}" if lot.contract else ""),
            LotColumn.LOADS: str(lot.load_count),
            LotColumn.NET: format_mass(lot.net),
            LotColumn.DRY: format_mass(lot.dry),
            LotColumn.REO: format_mass(lot.reo),
            LotColumn.TREO: lot.treo_pct or "",
            LotColumn.GRADE: lot.grade or (self.tr("below grade") if lot.treo_pct else ""),
        }
        return values[column]

    def find(self, lot_no: str) -> int:
        for number, lot in enumerate(self._rows):
            if lot.lot_no == lot_no:
                return number
        return -1


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
        m: MemberRow | None = self._row_at(index)
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
            return format_mass(m.share, m.unit)
        if column == MemberColumn.NET:
            return format_mass(m.net, m.unit)
        outcome = self._texts.outcome(m.outcome)
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
            return ld.category
        if column == EligibleColumn.SUPPLIER:
            return ld.supplier
        if column == EligibleColumn.FREE:
            return format_mass(ld.free, ld.unit)
        outcome = self._texts.outcome(ld.outcome)
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


class ApprovalQueueModel(_RowsModel):
    """Submitted lots waiting for a supervisor's decision."""

    COLUMNS = QueueColumn

    def _headers(self) -> list[str]:
        return [self.tr("Lot"), self.tr("Category"), self.tr("Supplier"), self.tr("Loads"),
                self.tr("Net mass"), self.tr("Grade"), self.tr("Failed checks"), self.tr("Rule set"),
                self.tr("Submitted by")]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry: QueueEntry | None = self._row_at(index)
        if entry is None:
            return None
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
            QueueColumn.CATEGORY: entry.category,
            QueueColumn.SUPPLIER: entry.supplier + (f" / {entry.contract}" if entry.contract else ""),
            QueueColumn.LOADS: str(len(entry.loads)),
            QueueColumn.NET: format_mass(entry.balance.get("net")),
            QueueColumn.GRADE: entry.balance.get("grade") or "",
            QueueColumn.FINDINGS: str(entry.finding_count),
            QueueColumn.RULESET: entry.ruleset,
            QueueColumn.SUBMITTED_BY: entry.submitted_by or "",
        }
        return values[column]

    def find(self, lot_no: str) -> int:
        for number, entry in enumerate(self._rows):
            if entry.lot_no == lot_no:
                return number
        return -1


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
        return {HeldColumn.TICKET: ld.ticket_no, HeldColumn.CATEGORY: ld.category,
                HeldColumn.SUPPLIER: ld.supplier, HeldColumn.NET: format_mass(ld.net, ld.unit)}[column]
