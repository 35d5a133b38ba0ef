"""Follow-ups: tasks with a due date and an assignee, each about one startup, investor, contact, deal or meeting."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from crm.extensions import db
from crm.models.base import SoftDeleteMixin, TimestampMixin, UTCDateTime, VersionedMixin

# The kinds of record a follow-up or a note can be about, with their tables.
LINK_TABLES = {"startup": "startups", "investor": "investors", "contact": "contacts", "deal": "deals",
               "meeting": "meetings"}


def exactly_one_link(kinds) -> sa.CheckConstraint:
    """A CHECK that exactly one of the ``<kind>_id`` columns is set (CASE, since PostgreSQL cannot add booleans)."""
    sql = " + ".join(f"(CASE WHEN {kind}_id IS NULL THEN 0 ELSE 1 END)" for kind in kinds)
    return sa.CheckConstraint(f"{sql} = 1", name="exactly_one_link")


def _link(kind: str):
    return mapped_column(sa.ForeignKey(f"{LINK_TABLES[kind]}.id", ondelete="CASCADE"), index=True)


class RecordLinkMixin:
    """A link to exactly one startup, investor, contact or deal; ``LINKS`` lists the kinds a model allows."""

    LINKS: tuple[str, ...] = ("startup", "investor", "contact", "deal")

    startup_id: Mapped[int | None] = _link("startup")
    investor_id: Mapped[int | None] = _link("investor")
    contact_id: Mapped[int | None] = _link("contact")
    deal_id: Mapped[int | None] = _link("deal")

    @declared_attr
    def startup(cls) -> Mapped["Startup | None"]:  # noqa: F821
        return relationship("Startup")

    @declared_attr
    def investor(cls) -> Mapped["Investor | None"]:  # noqa: F821
        return relationship("Investor")

    @declared_attr
    def contact(cls) -> Mapped["Contact | None"]:  # noqa: F821
        return relationship("Contact")

    @declared_attr
    def deal(cls) -> Mapped["Deal | None"]:  # noqa: F821
        return relationship("Deal")

    @property
    def target_kind(self) -> str:
        """Which kind of record this is about: 'startup', 'investor', 'contact', 'deal' or 'meeting'."""
        return next(kind for kind in self.LINKS if getattr(self, f"{kind}_id") is not None)

    @property
    def target(self):
        """The record this is about (None while it is in the trash)."""
        return getattr(self, self.target_kind)


class FollowUp(RecordLinkMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    """Something to do by a day, for one user: open until marked done."""

    __tablename__ = "follow_ups"
    __audited__ = True

    LINKS = RecordLinkMixin.LINKS + ("meeting",)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    due_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    # Nullable only for follow-ups moved from meetings whose author's account was gone.
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = _link("meeting")

    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])  # noqa: F821
    done_by: Mapped["User | None"] = relationship(foreign_keys=[done_by_id])  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    meeting: Mapped["Meeting | None"] = relationship()  # noqa: F821

    __table_args__ = (
        exactly_one_link(LINKS),
        # "My follow-ups": one user's, by due date.
        sa.Index("ix_follow_ups_assignee_id_due_on", "assignee_id", "due_on"),
        # The dashboard's and the pipeline's open follow-ups by due date.
        sa.Index("ix_follow_ups_due_on_done_at", "due_on", "done_at"),
    )

    @property
    def display_title(self) -> str:
        """What the audit log and the trash name the follow-up by."""
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today
