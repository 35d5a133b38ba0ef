"""UTC storage and Europe/Oslo display: conversions used by forms and templates."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (used as a column default callable)."""
    return datetime.now(timezone.utc)


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def local_to_utc(naive_local: datetime) -> datetime:
    """Interpret a naive wall-clock time as local (Europe/Oslo) and return it in UTC."""
    return naive_local.replace(tzinfo=local_zone()).astimezone(timezone.utc)


def utc_to_local(value: datetime) -> datetime:
    """Return an aware UTC time as a naive local wall-clock time, for form fields."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(local_zone()).replace(tzinfo=None)


def local_today(now: datetime | None = None) -> date:
    """Today in the display time zone; at ``now`` when given, for code that takes the time as an argument."""
    return (now or utcnow()).astimezone(local_zone()).date()


def local_days_to_utc(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """The UTC bounds of the whole local days ``first`` to ``last``: start included, end excluded.

    A missing date, or one at the edge of the calendar with no UTC equivalent, leaves that side open.
    """
    try:
        start = local_to_utc(datetime.combine(first, time())) if first else None
    except OverflowError:  # 0001-01-01 in Oslo is before the first UTC datetime
        start = None
    try:
        end = local_to_utc(datetime.combine(last + timedelta(days=1), time())) if last else None
    except OverflowError:  # 9999-12-31 has no next day
        end = None
    return start, end


def month_start(day: date, months_back: int = 0) -> date:
    """The first day of the month ``months_back`` months before the month of ``day``."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)
