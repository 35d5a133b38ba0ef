"""UTC storage and Europe/Oslo display: conversions used by forms and templates."""
from datetime import date, datetime, timezone
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
