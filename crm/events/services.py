"""Writes to events, and the short meetings logged from an event's grid. Each function flushes; the view commits."""
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from crm.common.records import check_version, load_chosen
from crm.common.timeutil import local_to_utc, utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.meetings.services import MeetingData, create_meeting
from crm.models import Event, Investor, Meeting, MeetingKind, Startup, User
from crm.trash.services import move_to_trash


@dataclass
class EventData:
    name: str
    starts_on: date
    ends_on: date
    place: str | None = None
    slot_minutes: int = 30
    startup_ids: list[int] = field(default_factory=list)
    investor_ids: list[int] = field(default_factory=list)


def event_data(event: Event) -> EventData:
    """The record's saved values, for the edit form and the conflict check."""
    return EventData(name=event.name, starts_on=event.starts_on, ends_on=event.ends_on, place=event.place,
                     slot_minutes=event.slot_minutes, startup_ids=sorted(s.id for s in event.startups),
                     investor_ids=sorted(i.id for i in event.investors))


def _apply(event: Event, data: EventData) -> None:
    if data.ends_on < data.starts_on:
        raise ValidationError("ends_on", _l("The last day cannot be before the first."))
    if (data.ends_on - data.starts_on).days > 31:
        raise ValidationError("ends_on", _l("An event lasts a month at the most."))
    event.name, event.starts_on, event.ends_on = data.name, data.starts_on, data.ends_on
    event.place, event.slot_minutes = data.place, data.slot_minutes
    event.startups = load_chosen(Startup, data.startup_ids, "startup_ids")
    event.investors = load_chosen(Investor, data.investor_ids, "investor_ids")


def create_event(data: EventData, acting_user: User) -> Event:
    """Add an event with the startups and investors taking part."""
    event = Event()
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, data: EventData, expected_version, acting_user: User) -> Event:
    """Save an edit; raises ConflictError when somebody saved it since the form was loaded."""
    check_version(event.version, expected_version, event_data(event), data)
    _apply(event, data)
    event.updated_at = utcnow()  # a change of participants alone must still bump the version
    db.session.flush()
    return event


def delete_event(event: Event, acting_user: User) -> None:
    """Move to the trash; its meetings stay, and show it again if it is restored."""
    move_to_trash(event, acting_user)


@dataclass
class GridMeeting:
    """One row of an event's grid: a short meeting between one startup and one investor."""

    day: date
    time: time
    startup_id: int | None
    investor_id: int | None
    note: str | None = None


def log_event_meeting(event: Event, row: GridMeeting, acting_user: User) -> Meeting:
    """Log a meeting at the event, one slot long, at its place, with the user present."""
    if row.day not in event.days:
        raise ValidationError("day", _l("Choose one of the event's days."))
    if not row.startup_id:
        raise ValidationError("startup_id", _l("Choose the startup."))
    if not row.investor_id:
        raise ValidationError("investor_id", _l("Choose the investor."))
    data = MeetingData(starts_at=local_to_utc(datetime.combine(row.day, row.time)), kind=MeetingKind.PARTNERING,
                       duration_minutes=event.slot_minutes, location=event.place, notes=row.note, event_id=event.id,
                       startup_ids=[row.startup_id], investor_ids=[row.investor_id],
                       staff_ids=[acting_user.id] if acting_user else [])
    try:
        return create_meeting(data, acting_user)
    except ValidationError as error:  # the grid's row names the pickers startup_id and investor_id
        field = {"startup_ids": "startup_id", "investor_ids": "investor_id"}.get(error.field, error.field)
        raise ValidationError(field, error.message) from error
