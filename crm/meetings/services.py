"""Writes to meetings, and the follow-up logged with one. Each function flushes; the view commits."""
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from crm.common.records import check_version, load_chosen
from crm.common.timeutil import utc_to_local, utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.followups.services import FollowUpData, create_follow_up
from crm.followups.targets import Target
from crm.trash.services import move_to_trash
from crm.models import Contact, Event, Investor, Meeting, MeetingKind, Startup, User


@dataclass
class NextStep:
    """A follow-up logged in the meeting's form: the day is needed, the title and the person have defaults."""

    due_on: date
    title: str | None = None
    assignee_id: int | None = None


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
    event_id: int | None = None
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
    # Load every participant before assigning any: a query between two assignments would
    # autoflush half the edit, and the audit log would show one save as several changes.
    # Only a newly chosen event is checked: one that went to the trash stays on its meetings.
    if data.event_id is not None and data.event_id != meeting.event_id and db.session.get(Event, data.event_id) is None:
        raise ValidationError("event_id", _l("This event no longer exists. Choose again."))
    participants = {attr: load_chosen(model, getattr(data, name), name)
                    for name, (attr, model) in _PARTICIPANTS.items()}
    for name, value in vars(data).items():
        if name not in _PARTICIPANTS:
            setattr(meeting, name, value)
    for attr, rows in participants.items():
        setattr(meeting, attr, rows)


def _check_next_step(data: MeetingData, next_step: NextStep | None) -> None:
    if next_step is not None and next_step.due_on < utc_to_local(data.starts_at).date():
        raise ValidationError("follow_up_on", _l("The follow-up date cannot be before the meeting."))


_NEXT_STEP_FIELDS = {"title": "follow_up_title", "due_on": "follow_up_on", "assignee_id": "follow_up_assignee_id"}


def _add_next_step(meeting: Meeting, next_step: NextStep, acting_user: User | None) -> None:
    """The follow-up of the meeting's next steps: by default named by their first line, for who logged it."""
    title = next_step.title or next(iter((meeting.next_steps or "").splitlines()), "").strip()[:200] \
        or str(_l("Follow up on %(meeting)s", meeting=meeting.display_title))[:200]
    assignee_id = next_step.assignee_id or (acting_user.id if acting_user else None)
    try:
        create_follow_up(FollowUpData(title=title, due_on=next_step.due_on, assignee_id=assignee_id),
                         Target("meeting", meeting.id), acting_user)
    except ValidationError as error:  # the meeting form names these fields follow_up_*
        raise ValidationError(_NEXT_STEP_FIELDS.get(error.field, error.field), error.message) from error


def create_meeting(data: MeetingData, acting_user: User | None, next_step: NextStep | None = None) -> Meeting:
    """Log a meeting with everyone who took part, and the follow-up of its next steps when one is given."""
    _check_next_step(data, next_step)
    meeting = Meeting(created_by=acting_user)
    _apply(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    if next_step is not None:
        _add_next_step(meeting, next_step, acting_user)
    return meeting


def update_meeting(meeting: Meeting, data: MeetingData, expected_version, acting_user: User,
                   next_step: NextStep | None = None) -> Meeting:
    """Save an edit (and add a follow-up when one is given); raises ConflictError when the record changed meanwhile."""
    check_version(meeting.version, expected_version, meeting_data(meeting), data)
    _check_next_step(data, next_step)
    _apply(meeting, data)
    meeting.updated_at = utcnow()  # a change of participants alone must still bump the version
    db.session.flush()
    if next_step is not None:
        _add_next_step(meeting, next_step, acting_user)
    return meeting


def delete_meeting(meeting: Meeting, acting_user: User) -> None:
    """Move to the trash (restorable for 30 days); who took part is untouched."""
    move_to_trash(meeting, acting_user)
