"""People at investors and startups: personal data under the GDPR."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db
from crm.models.base import NamedMixin, TimestampMixin, VersionedMixin


class Contact(NamedMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("investors.id", ondelete="CASCADE"), index=True)
    startup_id: Mapped[int | None] = mapped_column(sa.ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    investor: Mapped["Investor | None"] = relationship(back_populates="contacts")  # noqa: F821
    startup: Mapped["Startup | None"] = relationship(back_populates="contacts")  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint("(investor_id IS NULL) <> (startup_id IS NULL)", name="one_organisation"),
    )

    @property
    def organisation(self):
        """The investor or startup this person works at."""
        return self.investor or self.startup
