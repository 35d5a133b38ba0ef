"""Writes to follow-ups: add, edit, mark done or open again, delete. Each function flushes; the view commits."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from crm.common.records import check_version
from crm.common import timeutil
from crm.errors import ValidationError
from crm.extensions import db
from crm.followups.targets import MODELS, Target
from crm.models import FollowUp, User
from crm.trash.services import move_to_trash


@dataclass
class FollowUpData:
    title: str
    due_on: date
    assignee_id: int | None = None


def follow_up_data(follow_up: FollowUp) -> FollowUpData:
    """The record's saved values, for the edit form and the conflict check."""
    return FollowUpData(title=follow_up.title, due_on=follow_up.due_on, assignee_id=follow_up.assignee_id)


def _check(data: FollowUpData) -> None:
    if not data.title:
        raise ValidationError("title", _l("Say what is to be done."))
    if data.due_on is None:
        raise ValidationError("due_on", _l("Enter the day it is due."))
    assignee = db.session.get(User, data.assignee_id) if data.assignee_id else None
    if assignee is None or not assignee.active:
        raise ValidationError("assignee_id", _l("Choose an active user from the list."))


def create_follow_up(data: FollowUpData, target: Target, acting_user: User | None) -> FollowUp:
    """Add an open follow-up about ``target``; raises ValidationError when it has gone in the meantime."""
    _check(data)
    if target.kind not in FollowUp.LINKS or db.session.get(MODELS[target.kind], target.id) is None:
        raise ValidationError(None, _l("What this follow-up is about no longer exists."))
    follow_up = FollowUp(title=data.title, due_on=data.due_on, assignee_id=data.assignee_id,
                         created_by_id=acting_user.id if acting_user else None, **{target.column: target.id})
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def update_follow_up(follow_up: FollowUp, data: FollowUpData, expected_version, acting_user: User) -> FollowUp:
    """Save an edit; raises ConflictError when somebody saved it since the form was loaded."""
    check_version(follow_up.version, expected_version, follow_up_data(follow_up), data)
    _check(data)
    follow_up.title, follow_up.due_on, follow_up.assignee_id = data.title, data.due_on, data.assignee_id
    db.session.flush()
    return follow_up


def mark_done(follow_up: FollowUp, acting_user: User | None, now: datetime | None = None) -> FollowUp:
    """Record it as done, by whom and when; a second click keeps the first time."""
    if follow_up.done_at is None:
        follow_up.done_at = now or timeutil.utcnow()
        follow_up.done_by_id = acting_user.id if acting_user else None
        db.session.flush()
    return follow_up


def mark_open(follow_up: FollowUp, acting_user: User | None) -> FollowUp:
    """Open a follow-up marked done by mistake again."""
    follow_up.done_at = None
    follow_up.done_by_id = None
    db.session.flush()
    return follow_up


def delete_follow_up(follow_up: FollowUp, acting_user: User | None) -> None:
    """Move to the trash (restorable for 30 days)."""
    move_to_trash(follow_up, acting_user)
