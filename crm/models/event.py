"""Partnering events and investor days: dates, a place, the startups and investors taking part."""
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db
from crm.models.base import NamedMixin, SoftDeleteMixin, TimestampMixin, VersionedMixin, link_table


event_startups = link_table("event_startups", "events", "startup_id", "startups")
event_investors = link_table("event_investors", "events", "investor_id", "investors")


class Event(NamedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    """An event whose meetings are logged from its page, ``slot_minutes`` long each."""

    __tablename__ = "events"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    place: Mapped[str | None] = mapped_column(sa.String(200))
    slot_minutes: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=30)

    # Participants in the trash are hidden from the event, and come back when restored.
    startups: Mapped[list["Startup"]] = relationship(  # noqa: F821
        secondary=event_startups, order_by="Startup.name_sort",
        secondaryjoin="and_(Startup.id == event_startups.c.startup_id, Startup.deleted_at.is_(None))")
    investors: Mapped[list["Investor"]] = relationship(  # noqa: F821
        secondary=event_investors, order_by="Investor.name_sort",
        secondaryjoin="and_(Investor.id == event_investors.c.investor_id, Investor.deleted_at.is_(None))")

    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 480", name="slot_length"),
    )

    @property
    def days(self) -> list[date]:
        """Every day of the event, first to last."""
        return [self.starts_on + timedelta(days=n) for n in range((self.ends_on - self.starts_on).days + 1)]
