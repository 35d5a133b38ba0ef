"""Confidentiality agreements between an investor and a startup."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db
from crm.models.base import TimestampMixin


class ConfidentialityAgreement(TimestampMixin, db.Model):
    """A signed agreement; while it runs, the investor's share links show the startup's confidential tier."""

    __tablename__ = "confidentiality_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(sa.ForeignKey("investors.id", ondelete="CASCADE"), nullable=False)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startups.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    signed_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    expires_on: Mapped[date] = mapped_column(sa.Date, nullable=False)  # the last day it covers
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    investor: Mapped["Investor"] = relationship()  # noqa: F821
    startup: Mapped["Startup"] = relationship()  # noqa: F821
    recorded_by: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        sa.Index("ix_confidentiality_agreements_investor_id_startup_id", "investor_id", "startup_id"),
        sa.CheckConstraint("expires_on >= signed_on", name="ends_after_signing"),
    )

    def is_valid_on(self, day: date) -> bool:
        return self.signed_on <= day <= self.expires_on
