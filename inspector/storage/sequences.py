"""Gapless numbers per series and year (tickets, certificates), issued inside the caller's transaction.

The counter row is updated in the same transaction as the row that uses the number, so a rolled-back
operation gives its number back and no number is ever skipped or issued twice.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from inspector.storage.models.core import NumberSeries


def next_number(session: Session, *, series: str, year: int) -> int:
    result = session.execute(
        update(NumberSeries)
        .where(col(NumberSeries.series) == series, col(NumberSeries.year) == year)
        .values(last=col(NumberSeries.last) + 1)
        .returning(col(NumberSeries.last))
    ).scalar_one_or_none()
    if result is not None:
        return int(result)
    session.add(NumberSeries(series=series, year=year, last=1))
    session.flush()
    return 1


def last_number(session: Session, *, series: str, year: int) -> int:
    row = session.exec(
        select(NumberSeries).where(NumberSeries.series == series, NumberSeries.year == year)
    ).first()
    return row.last if row else 0
