"""People at investors and startups: personal data under the GDPR."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db
from crm.models.base import (LabelledEnum, NamedMixin, SoftDeleteMixin, TimestampMixin, UTCDateTime, VersionedMixin,
                             enum_column, trigram_index)


class LegalBasis(LabelledEnum):
    LEGITIMATE_INTEREST = "legitimate_interest"
    CONSENT = "consent"

    @classmethod
    def labels(cls):
        return {cls.LEGITIMATE_INTEREST: _l("Legitimate interest"), cls.CONSENT: _l("Consent")}


class Contact(NamedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("investors.id", ondelete="CASCADE"), index=True)
    startup_id: Mapped[int | None] = mapped_column(sa.ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # Where the data came from and why the cluster may keep it (GDPR art. 6 and 14).
    source: Mapped[str | None] = mapped_column(sa.String(200))
    legal_basis: Mapped[LegalBasis] = enum_column(LegalBasis, nullable=False,
                                                  default=LegalBasis.LEGITIMATE_INTEREST)
    consent_on: Mapped[date | None] = mapped_column(sa.Date)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    investor: Mapped["Investor | None"] = relationship()  # noqa: F821
    startup: Mapped["Startup | None"] = relationship()  # noqa: F821

    __audited__ = True

    __table_args__ = (
        sa.CheckConstraint("(investor_id IS NULL) <> (startup_id IS NULL)", name="one_organisation"),
        trigram_index("contacts", "name_search"),
    )

    @property
    def organisation(self):
        """The investor or startup this person works at."""
        return self.investor or self.startup
