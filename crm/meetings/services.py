"""Writes to meetings. Each function flushes; the view commits."""
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from crm.common.records import check_version, load_chosen
from crm.common.timeutil import utc_to_local, utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.trash.services import move_to_trash
from crm.models import Contact, Investor, Meeting, MeetingKind, Startup, User


@dataclass
class MeetingData:
    starts_at: datetime  # aware, UTC
    kind: MeetingKind
    duration_minutes: int = 60
    title: str | None = None
    location: str | None = None
    notes: str | None = None
    outcome: str | None = None
    next_steps: str | None = None
    follow_up_on: date | None = None
    startup_ids: list[int] = field(default_factory=list)
    investor_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    staff_ids: list[int] = field(default_factory=list)


_PARTICIPANTS = {"startup_ids": ("startups", Startup), "investor_ids": ("investors", Investor),
                 "contact_ids": ("contacts", Contact), "staff_ids": ("staff", User)}


def meeting_data(meeting: Meeting) -> MeetingData:
    """The record's saved values, for the edit form and the conflict check."""
    plain = {name: getattr(meeting, name) for name in MeetingData.__dataclass_fields__ if name not in _PARTICIPANTS}
    ids = {name: sorted(p.id for p in getattr(meeting, attr)) for name, (attr, _m) in _PARTICIPANTS.items()}
    return MeetingData(**plain, **ids)


def _apply(meeting: Meeting, data: MeetingData) -> None:
    if not data.startup_ids and not data.investor_ids:
        raise ValidationError("startup_ids", _l("Choose at least one startup or investor."))
    if data.follow_up_on is not None and data.follow_up_on < utc_to_local(data.starts_at).date():
        raise ValidationError("follow_up_on", _l("The follow-up date cannot be before the meeting."))
    # Load every participant before assigning any: a query between two assignments would
    # autoflush half the edit, and the audit log would show one save as several changes.
    participants = {attr: load_chosen(model, getattr(data, name), name)
                    for name, (attr, model) in _PARTICIPANTS.items()}
    for name, value in vars(data).items():
        if name not in _PARTICIPANTS:
            setattr(meeting, name, value)
    for attr, rows in participants.items():
        setattr(meeting, attr, rows)


def create_meeting(data: MeetingData, acting_user: User) -> Meeting:
    """Log a meeting with everyone who took part."""
    meeting = Meeting(created_by=acting_user)
    _apply(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, data: MeetingData, expected_version, acting_user: User) -> Meeting:
    """Save an edit; raises ConflictError when the record changed since the form was loaded."""
    check_version(meeting.version, expected_version, meeting_data(meeting), data)
    _apply(meeting, data)
    meeting.updated_at = utcnow()  # a change of participants alone must still bump the version
    db.session.flush()
    return meeting


def delete_meeting(meeting: Meeting, acting_user: User) -> None:
    """Move to the trash (restorable for 30 days); who took part is untouched."""
    move_to_trash(meeting, acting_user)
