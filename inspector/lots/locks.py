"""A load inside a lot that a supervisor is deciding on, has approved or has certified is locked.

Its weights and its classification are what the approval signed and the certificate states, so they may
not change underneath: take the load out of the lot first (which voids the approval and any certificate,
with a reason) and change it then.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from inspector.errors import ConflictError
from inspector.states import LotState
from inspector.storage.models.lots import Lot, LotLoad

LOCKED_STATES = (LotState.SUBMITTED.value, LotState.APPROVED.value, LotState.CERTIFIED.value)


def require_load_unlocked(session: Session, load_id: int, *, action: str) -> None:
    lot = session.exec(
        select(Lot).join(LotLoad, col(LotLoad.lot_id) == col(Lot.id))
        .where(col(LotLoad.load_id) == load_id, col(Lot.state).in_(LOCKED_STATES))
    ).first()
    if lot is not None:
        raise ConflictError(
            f"The load is in lot {lot.lot_no}, which is {lot.state}: it cannot {action} now.",
            field="load",
            hint=f"Remove the load from lot {lot.lot_no} first (with a reason; that voids the lot's approval "
            "and any certificate), then try again.",
        )
