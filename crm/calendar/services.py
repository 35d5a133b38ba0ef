"""Writes for personal calendar feeds: make (or remake) a user's secret address, turn it off, note a fetch."""
import secrets
from datetime import datetime

from sqlalchemy import select

from crm.common import timeutil
from crm.extensions import db
from crm.models import CalendarFeed, User, token_digest


def create_feed(user: User, acting_user: User, now: datetime | None = None) -> tuple[CalendarFeed, str]:
    """Give ``user`` a new feed address and return it with its token; an old address stops working at once."""
    token = secrets.token_urlsafe(32)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    # Only the fingerprint is stored: a copy of the database holds no working address.
    feed.token_hash = token_digest(token)
    feed.created_at = now or timeutil.utcnow()
    feed.last_fetched_at = None
    db.session.flush()
    return feed, token


def revoke_feed(user: User, acting_user: User) -> bool:
    """Turn the user's feed off: its address answers 404 from now on. False when there was none."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def record_fetch(feed: CalendarFeed, now: datetime | None = None) -> None:
    """Note when a calendar last fetched the feed, so that its owner sees that the subscription works."""
    feed.last_fetched_at = now or timeutil.utcnow()
    db.session.flush()
