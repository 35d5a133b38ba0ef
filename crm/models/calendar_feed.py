"""A user's personal calendar feed: the address is secret, and only its fingerprint is kept."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models.base import UTCDateTime


class CalendarFeed(db.Model):
    """At most one per user: making a new address replaces the old one, turning it off deletes the row."""

    __tablename__ = "calendar_feeds"
    __audited__ = True
    __audit_exclude__ = frozenset({"token_hash", "last_fetched_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()  # noqa: F821

