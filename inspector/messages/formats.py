"""How numbers, masses, percentages, dates and times are written for a person, in either language.

One set of rules for the window, the certificate and the command line, so a figure reads the same on all
three: thousands grouped (``33,040 kg``), masses in whole units of the scale's division, percentages with
the decimals the rule set writes, times in the yard's local time. The zone is written once per screen or
page (``zone``), not after every time. Stored values are never rounded here beyond what they hold: a
division or a number of decimals only pads or groups, it never invents precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, Decimal

from inspector.messages import Language


def number(value: int | Decimal | str, lang: Language = "en", *, places: int | None = None) -> str:
    """``33040`` → ``33,040``; ``places`` fixes the decimals (half-even, as GB/T 8170 rounds)."""
    del lang  # Chinese and English both group by thousands with "," and use "." for decimals
    amount = value if isinstance(value, int) else Decimal(str(value))
    if places is not None:
        amount = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return f"{amount:,}" if isinstance(amount, int) else f"{amount:,f}"


def mass(value: int | Decimal | str | None, unit: str = "kg", lang: Language = "en", *,
         division: int | None = None) -> str:
    """A mass with its unit: ``33,040 kg``. With the scale's ``division`` (kg per step) the value is
    written in whole units of it, so a computed dry mass reads like the weights it came from."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    if division:
        step = Decimal(division)
        amount = (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_EVEN) * step
        return f"{number(int(amount), lang)} {unit}"
    return f"{number(amount, lang)} {unit}"


def percent(value: Decimal | str | None, lang: Language = "en", *, places: int | None = None) -> str:
    """``26.5`` → ``26.5 %`` (``places`` as the rule set writes the figure)."""
    if value is None or value == "":
        return ""
    return f"{number(Decimal(str(value)), lang, places=places)} %"


def _local(utc: datetime, offset_minutes: int) -> datetime:
    return utc.astimezone(timezone(timedelta(minutes=offset_minutes)))


def day(value: date | datetime, lang: Language = "en", *, offset_minutes: int | None = None) -> str:
    """``2026年11月05日`` in Chinese, ``2026-11-05`` in English (an instant is taken in local time)."""
    if isinstance(value, datetime) and offset_minutes is not None:
        value = _local(value, offset_minutes)
    if lang == "zh_CN":
        return f"{value.year:04d}年{value.month:02d}月{value.day:02d}日"
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def moment(utc: datetime | None, offset_minutes: int | None, lang: Language = "en", *,
           seconds: bool = False, zone_shown: bool = False) -> str:
    """The yard's local time of an instant: ``2026-11-05 14:03`` (``2026年11月05日 14:03`` in Chinese).

    The zone is left to one ``zone`` label per screen; ``zone_shown`` appends it where a time stands alone.
    """
    if utc is None:
        return ""
    offset = offset_minutes or 0
    local = _local(utc, offset)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    text = f"{day(local, lang)} {clock}"
    return f"{text} {zone(offset, lang)}" if zone_shown else text


def zone(offset_minutes: int, lang: Language = "en") -> str:
    """``UTC+08:00`` (``北京时间 UTC+08:00`` in Chinese at +8, the zone the yards keep)."""
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    label = f"UTC{sign}{hours:02d}:{minutes:02d}"
    if lang == "zh_CN" and offset_minutes == 480:
        return f"北京时间 {label}"
    return label


@dataclass(frozen=True)
class Moment:
    """An instant as a message parameter: written as the yard's local time in the reader's language
    (``2026年11月05日 14:03`` or ``2026-11-05 14:03``) when the message is worded."""

    utc: datetime
    offset_minutes: int
    seconds: bool = False
    zone_shown: bool = False

    def words(self, lang: Language) -> str:
        return moment(self.utc, self.offset_minutes, lang, seconds=self.seconds, zone_shown=self.zone_shown)

    @property
    def zh(self) -> str:
        return self.words("zh_CN")

    @property
    def en(self) -> str:
        return self.words("en")

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Day:
    """A date (or an instant's local date) as a message parameter, in the reader's language."""

    value: date | datetime
    offset_minutes: int | None = None

    @property
    def zh(self) -> str:
        return day(self.value, "zh_CN", offset_minutes=self.offset_minutes)

    @property
    def en(self) -> str:
        return day(self.value, "en", offset_minutes=self.offset_minutes)

    def __str__(self) -> str:
        return self.en


def stored_moment(stored: object, offset_minutes: int, *, seconds: bool = False) -> Moment | str:
    """A time stored as ISO text in UTC (audit details, a checkpoint) as a parameter in the yard's local
    time; shown as stored if it is not a time."""
    try:
        at = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    except ValueError:
        return str(stored)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return Moment(at.astimezone(UTC), offset_minutes, seconds=seconds)
