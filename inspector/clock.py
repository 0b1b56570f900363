"""Time as the records need it: UTC instants with the local UTC offset stored beside them.

Services take a ``Clock`` so tests can freeze time; nothing else calls ``datetime.now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone


@dataclass(frozen=True)
class Stamp:
    """A UTC instant and the local offset (minutes east of UTC) in force when it was taken."""

    utc: datetime
    offset_minutes: int

    def local(self) -> datetime:
        return self.utc.astimezone(timezone(timedelta(minutes=self.offset_minutes)))

    def iso_local(self) -> str:
        """ISO 8601 with the offset, e.g. ``2026-11-29T16:05:00+08:00``: how records print a time."""
        return self.local().isoformat(timespec="seconds")


class Clock:
    """The system clock. Subclass or use ``FixedClock`` in tests."""

    def now(self) -> Stamp:
        utc = datetime.now(UTC)
        local = utc.astimezone()
        offset = local.utcoffset() or timedelta(0)
        return Stamp(utc=utc, offset_minutes=int(offset.total_seconds() // 60))


class FixedClock(Clock):
    """A clock that returns a set instant, advanced by hand (tests, deterministic demos)."""

    def __init__(self, utc: datetime, offset_minutes: int = 480) -> None:
        if utc.tzinfo is None:
            raise ValueError("FixedClock needs an aware UTC datetime")
        self._utc = utc.astimezone(UTC)
        self._offset = offset_minutes

    def now(self) -> Stamp:
        return Stamp(utc=self._utc, offset_minutes=self._offset)

    def advance(self, **delta: float) -> None:
        self._utc += timedelta(**delta)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored datetime is UTC, so re-attach the zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
