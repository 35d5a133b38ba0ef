"""Reads for calendars: a feed by its token, what a feed holds, and the contacts an invitation names."""
import hmac
import re
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.followups.queries import alive_target, target_loads
from crm.models import CalendarFeed, Contact, FollowUp, Meeting, token_digest
from crm.models.meeting import meeting_staff

# What secrets.token_urlsafe(32) makes; anything else is not looked up.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
FEED_DAYS_BACK = 30
FEED_LIMIT = 500


def feed_of(user_id: int) -> CalendarFeed | None:
    """The user's feed, or None when they have none."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed this token opens, with its user; None for a wrong, turned-off or inactive user's token."""
    if not _TOKEN_SHAPE.fullmatch(token or ""):
        return None
    digest = token_digest(token)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == digest)
                             .options(selectinload(CalendarFeed.user)))
    if feed is None or not hmac.compare_digest(feed.token_hash, digest) or not feed.user.active:
        return None
    return feed


def feed_meetings(user_id: int, now: datetime) -> list[Meeting]:
    """The meetings the user takes part in (as staff present), from 30 days back, soonest first."""
    stmt = (select(Meeting).join(meeting_staff, meeting_staff.c.meeting_id == Meeting.id)
            .where(meeting_staff.c.user_id == user_id, Meeting.starts_at >= now - timedelta(days=FEED_DAYS_BACK))
            .order_by(Meeting.starts_at, Meeting.id).limit(FEED_LIMIT)
            .options(selectinload(Meeting.startups), selectinload(Meeting.investors)))
    return list(db.session.scalars(stmt))


def feed_follow_ups(user_id: int) -> list[FollowUp]:
    """The user's open follow-ups, by due day."""
    stmt = (select(FollowUp).where(FollowUp.assignee_id == user_id, FollowUp.done_at.is_(None),
                                   alive_target(FollowUp))
            .order_by(FollowUp.due_on, FollowUp.id).limit(FEED_LIMIT).options(*target_loads(FollowUp)))
    return list(db.session.scalars(stmt))


def contacts_with_emails(emails: list[str]) -> list[Contact]:
    """The contacts whose email is one of these (compared without case), with their organisations."""
    if not emails:
        return []
    stmt = (select(Contact).where(func.lower(Contact.email).in_([e.lower() for e in emails]))
            .options(selectinload(Contact.investor), selectinload(Contact.startup)).order_by(Contact.name_sort))
    return list(db.session.scalars(stmt))

