"""Figures and times in the window, written by the core's rules (``inspector.messages.formats``) in the
window's language, so a mass or a time reads the same on a screen, a certificate and the command line.

Times are the yard's local time without the zone; a screen names the zone once (``with_zone`` on a column
title). A time recorded under another offset than the yard's today (a record from before a clock change)
carries its own zone, so it is never misread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from inspector.messages import formats
from ui.words import language

_chosen_offset: int | None = None


def yard_offset() -> int:
    """Minutes east of UTC of the yard's zone: this computer's local time now, unless one was chosen."""
    if _chosen_offset is not None:
        return _chosen_offset
    offset = datetime.now(UTC).astimezone().utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def choose_yard_offset(minutes: int | None) -> None:
    """Show times in this zone instead of the computer's (the screenshots draw the demo yard as it is seen
    at the yard, on whatever computer they are made); None goes back to the computer's."""
    global _chosen_offset
    _chosen_offset = minutes


def mass(value: int | Decimal | str | None, unit: str = "kg", *, division: int | None = None) -> str:
    """``33,040 kg``; empty for no value."""
    return formats.mass(value, unit, language(), division=division)


def number(value: int | Decimal | str) -> str:
    return formats.number(value, language())


def moment(utc: datetime | None, offset_minutes: int | None, *, seconds: bool = False) -> str:
    """The local time of an instant (``2026年11月05日 14:03`` in Chinese); empty for none."""
    if utc is None:
        return ""
    offset = yard_offset() if offset_minutes is None else offset_minutes
    return formats.moment(utc, offset, language(), seconds=seconds, zone_shown=offset != yard_offset())


def day(value: datetime | None) -> str:
    return "" if value is None else formats.day(value, language())


def zone() -> str:
    """The yard's zone, written once per screen (``北京时间（UTC+08:00）``)."""
    return formats.zone(yard_offset(), language())


def with_zone(title: str) -> str:
    """A time column's title naming the zone its times are in: ``Arrived (UTC+08:00)``."""
    return f"{title}（{zone()}）" if language() == "zh_CN" else f"{title} ({zone()})"
