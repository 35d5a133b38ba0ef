"""Reading a calendar invitation (.ics) to pre-fill the meeting form: time, title, place and who was invited."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from icalendar import Calendar

from crm.common.timeutil import local_to_utc

DEFAULT_MINUTES = 60


class NotAnInvitation(ValueError):
    """The file is not a calendar, or has no event to log; ``message`` says which, for the form."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Invitation:
    starts_at: datetime  # aware, UTC
    duration_minutes: int = DEFAULT_MINUTES
    title: str | None = None
    location: str | None = None
    emails: list[str] = field(default_factory=list)  # organiser and attendees, lower case, in order


def _email(address) -> str | None:
    text = str(address).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    return text.lower() if "@" in text else None


def _start(value) -> datetime:
    """DTSTART as UTC: a time with a zone as it says, a floating one as Oslo time, a whole day from 09:00."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return local_to_utc(value)
        return value.astimezone(timezone.utc)
    if isinstance(value, date):
        return local_to_utc(datetime.combine(value, time(9, 0)))
    raise NotAnInvitation(_l("The invitation has no start time."))


def _minutes(event, starts_at: datetime) -> int:
    end = event.decoded("dtend", None)
    if isinstance(end, datetime):
        span = (end if end.tzinfo else local_to_utc(end)) - starts_at
    elif "duration" in event:
        span = event.decoded("duration")
    else:
        return DEFAULT_MINUTES
    minutes = int(span.total_seconds() // 60) if isinstance(span, timedelta) else 0
    return minutes if 5 <= minutes <= 24 * 60 else DEFAULT_MINUTES


def _text(event, name: str, limit: int) -> str | None:
    value = event.get(name)
    if value is None:
        return None
    return str(value).replace("\x00", "").strip()[:limit] or None


def read_invitation(data: bytes) -> Invitation:
    """The first event of an .ics file. :raise NotAnInvitation: for anything that is not a calendar with an event."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise NotAnInvitation(_l("This is not a calendar file. Choose the invitation saved as .ics."))
    try:
        calendar = Calendar.from_ical(text)
        event = next(iter(calendar.walk("VEVENT")), None)
        if event is None:
            raise NotAnInvitation(_l("The calendar file holds no meeting."))
        if "dtstart" not in event:
            raise NotAnInvitation(_l("The invitation has no start time."))
        starts_at = _start(event.decoded("dtstart"))
        attendees = event.get("attendee", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        emails = [_email(a) for a in [event.get("organizer"), *attendees] if a is not None]
        return Invitation(starts_at=starts_at, duration_minutes=_minutes(event, starts_at),
                          title=_text(event, "summary", 200), location=_text(event, "location", 200),
                          emails=list(dict.fromkeys(e for e in emails if e)))
    except NotAnInvitation:
        raise
    except Exception as error:  # a parser of untrusted files: any failure is the file's, never a server error
        raise NotAnInvitation(_l("The calendar file could not be read. Save the invitation again and retry.")) \
            from error
