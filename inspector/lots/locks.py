"""A load inside a lot that a supervisor is deciding on, has approved or has certified is locked.

Its weights and its classification are what the approval signed and the certificate states, so they may
not change underneath: take the load out of the lot first (which voids the approval and any certificate,
with a reason) and change it then.
"""

from __future__ import annotations

from typing import Literal

from sqlmodel import Session, col, select

from inspector.errors import ConflictError
from inspector.messages import Term
from inspector.states import LotState
from inspector.storage.models.lots import Lot, LotLoad

LOCKED_STATES = (LotState.SUBMITTED.value, LotState.APPROVED.value, LotState.CERTIFIED.value)
# What a locked load may not undergo, worded as ``words.lot_locked_action.<action>``.
LockedAction = Literal["weigh", "classify"]


def require_load_unlocked(session: Session, load_id: int, *, action: LockedAction) -> None:
    """Refuse to ``action`` (``"weigh"`` or ``"classify"``) a load while a lot it is in is locked."""
    lot = session.exec(
        select(Lot).join(LotLoad, col(LotLoad.lot_id) == col(Lot.id))
        .where(col(LotLoad.load_id) == load_id, col(Lot.state).in_(LOCKED_STATES))
    ).first()
    if lot is not None:
        raise ConflictError("lot.load_locked", field="load", lot=lot.lot_no,
                            state=Term("lot_state", lot.state),
                            action=Term("lot_locked_action", action))
