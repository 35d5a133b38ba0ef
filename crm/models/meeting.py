"""Meetings between investors and startups, with who took part."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from crm.common.text import fold

from crm.extensions import db
from crm.models.base import (LabelledEnum, SoftDeleteMixin, TimestampMixin, UTCDateTime, VersionedMixin, enum_column,
                             link_table)


class MeetingKind(LabelledEnum):
    INTRO = "intro"
    PITCH = "pitch"
    FOLLOW_UP = "follow_up"
    DUE_DILIGENCE = "due_diligence"
    PARTNERING = "partnering"

    @classmethod
    def labels(cls):
        return {
            cls.INTRO: _l("Introduction"),
            cls.PITCH: _l("Pitch"),
            cls.FOLLOW_UP: _l("Follow-up"),
            cls.DUE_DILIGENCE: _l("Due diligence"),
            cls.PARTNERING: _l("Partnering event"),
        }


meeting_startups = link_table("meeting_startups", "meetings", "startup_id", "startups")
meeting_investors = link_table("meeting_investors", "meetings", "investor_id", "investors")
meeting_contacts = link_table("meeting_contacts", "meetings", "contact_id", "contacts")
meeting_staff = link_table("meeting_staff", "meetings", "user_id", "users")


class Meeting(TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    duration_minutes: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=60)
    kind: Mapped[MeetingKind] = enum_column(MeetingKind, nullable=False)
    title: Mapped[str | None] = mapped_column(sa.String(200))
    title_search: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    location: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    next_steps: Mapped[str | None] = mapped_column(sa.Text)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    # Participants in the trash are hidden from the meeting, and come back when restored.
    startups: Mapped[list["Startup"]] = relationship(  # noqa: F821
        secondary=meeting_startups, order_by="Startup.name_sort",
        secondaryjoin="and_(Startup.id == meeting_startups.c.startup_id, Startup.deleted_at.is_(None))")
    investors: Mapped[list["Investor"]] = relationship(  # noqa: F821
        secondary=meeting_investors, order_by="Investor.name_sort",
        secondaryjoin="and_(Investor.id == meeting_investors.c.investor_id, Investor.deleted_at.is_(None))")
    contacts: Mapped[list["Contact"]] = relationship(  # noqa: F821
        secondary=meeting_contacts, order_by="Contact.name_sort",
        secondaryjoin="and_(Contact.id == meeting_contacts.c.contact_id, Contact.deleted_at.is_(None))")
    staff: Mapped[list["User"]] = relationship(  # noqa: F821
        secondary=meeting_staff, order_by="User.name_sort")
    event: Mapped["Event | None"] = relationship()  # noqa: F821
    # Read-only: follow-ups are written through their own service, and the trash hides them here too.
    follow_ups: Mapped[list["FollowUp"]] = relationship(  # noqa: F821
        primaryjoin="and_(Meeting.id == FollowUp.meeting_id, FollowUp.deleted_at.is_(None))",
        viewonly=True, order_by="(FollowUp.due_on, FollowUp.id)")

    __audited__ = True

    @validates("title")
    def _keep_title_search(self, key: str, title: str | None) -> str | None:
        self.title_search = fold(title)
        return title

    @property
    def display_title(self) -> str:
        """The title, or the startups and investors that met."""
        if self.title:
            return self.title
        names = [s.name for s in self.startups] + [i.name for i in self.investors]
        return " / ".join(names) or str(self.kind.label)
