"""Links to a startup's profile page for one outside reader, and every view of them."""
import hashlib
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.timeutil import local_today, utcnow
from crm.extensions import db
from crm.models.base import LabelledEnum, UTCDateTime


class ShareLinkStatus(LabelledEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @classmethod
    def labels(cls):
        return {cls.ACTIVE: _l("Active"), cls.EXPIRED: _l("Expired"), cls.REVOKED: _l("Revoked")}


def token_digest(token: str) -> str:
    """The stored form of a link's token: its SHA-256, hex."""
    # The token carries 256 random bits, so a plain hash cannot be reversed by guessing; no key is
    # needed, and links keep working when SECRET_KEY is rotated.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ShareLink(db.Model):
    """A link for one investor (and optionally one of its contacts), or a general one with a label."""

    __tablename__ = "share_links"
    __audited__ = True
    __audit_exclude__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startups.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    # Deleting the investor deletes its links: kept with a NULL investor they would become general links.
    investor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("investors.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    label: Mapped[str | None] = mapped_column(sa.String(200))
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    startup: Mapped["Startup"] = relationship()  # noqa: F821
    investor: Mapped["Investor | None"] = relationship()  # noqa: F821
    contact: Mapped["Contact | None"] = relationship()  # noqa: F821
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    revoked_by: Mapped["User | None"] = relationship(foreign_keys=[revoked_by_id])  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint("investor_id IS NOT NULL OR label IS NOT NULL", name="recipient_or_label"),
    )

    @property
    def valid_through(self) -> date:
        """The last day the link works on, in the display time zone (it expires at the start of the next)."""
        return local_today(self.expires_at - timedelta(microseconds=1))

    def status(self, now: datetime) -> ShareLinkStatus:
        if self.revoked_at is not None:
            return ShareLinkStatus.REVOKED
        if now >= self.expires_at:
            return ShareLinkStatus.EXPIRED
        return ShareLinkStatus.ACTIVE


class ShareView(db.Model):
    """One opening of a share link; the reader's address is kept only truncated to its network."""

    __tablename__ = "share_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("share_links.id", ondelete="CASCADE"), nullable=False)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    network: Mapped[str | None] = mapped_column(sa.String(64))

    link: Mapped[ShareLink] = relationship()

    __table_args__ = (sa.Index("ix_share_views_link_id_viewed_at", "link_id", "viewed_at"),)
