"""Exchange rates to NOK that the administrators maintain, each valid from a date."""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.money import Rate
from crm.extensions import db
from crm.models.base import TimestampMixin


class ExchangeRate(TimestampMixin, db.Model):
    """One unit of ``currency`` is worth ``rate_to_nok`` NOK from ``valid_from`` until the next rate."""

    __tablename__ = "exchange_rates"

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(sa.String(3), nullable=False)
    valid_from: Mapped[date] = mapped_column(sa.Date, nullable=False)
    rate_to_nok: Mapped[Decimal] = mapped_column(Rate, nullable=False)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        # Also the index for "the latest rate on or before a day" per currency.
        sa.UniqueConstraint("currency", "valid_from", name="uq_exchange_rates_currency_valid_from"),
        sa.CheckConstraint("rate_to_nok > 0", name="positive_rate"),
    )
