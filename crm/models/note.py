"""Internal notes on a startup, investor, contact or deal: a line of text, who wrote it and when."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models.base import UTCDateTime
from crm.models.followup import RecordLinkMixin, exactly_one_link


class Note(RecordLinkMixin, db.Model):
    """A note is written once and never edited, so that the timeline says what was known when."""

    __tablename__ = "notes"
    __audited__ = True
    # The log records that a note was written; its text stays in the note alone, so that erasing a
    # person (the GDPR) has one place to take it from.
    __audit_exclude__ = frozenset({"text"})

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    author: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (exactly_one_link(RecordLinkMixin.LINKS),)

    @property
    def display_title(self) -> str:
        """The start of the text: what the audit log names the note by."""
        return self.text[:60]
