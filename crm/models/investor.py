"""Investors: organisations and individual angels, Norwegian and foreign."""
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.money import DEFAULT_CURRENCY, Amount
from crm.extensions import db
from crm.models.taxonomy import DevelopmentStage, Modality, TherapeuticArea
from crm.models.base import (LabelledEnum, NamedMixin, SoftDeleteMixin, TimestampMixin, VersionedMixin, enum_column,
                             trigram_index)

NORWAY = "NO"


class InvestorKind(LabelledEnum):
    VENTURE_FUND = "venture_fund"
    CORPORATE_VC = "corporate_vc"
    PHARMA_STRATEGIC = "pharma_strategic"
    ANGEL_NETWORK = "angel_network"
    FAMILY_OFFICE = "family_office"
    PUBLIC_FUND = "public_fund"
    FOUNDATION = "foundation"
    BANK = "bank"
    ANGEL = "angel"

    @classmethod
    def labels(cls):
        return {
            cls.VENTURE_FUND: _l("Venture fund"),
            cls.CORPORATE_VC: _l("Corporate VC"),
            cls.PHARMA_STRATEGIC: _l("Pharma strategic"),
            cls.ANGEL_NETWORK: _l("Angel network"),
            cls.FAMILY_OFFICE: _l("Family office"),
            cls.PUBLIC_FUND: _l("Public fund"),
            cls.FOUNDATION: _l("Foundation"),
            cls.BANK: _l("Bank"),
            cls.ANGEL: _l("Individual angel"),
        }


class InvestorStatus(LabelledEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    INACTIVE = "inactive"

    @classmethod
    def labels(cls):
        return {cls.PROSPECT: _l("Prospect"), cls.ACTIVE: _l("Active relationship"),
                cls.INACTIVE: _l("Inactive")}


class FocusDimension(LabelledEnum):
    AREA = "area"
    MODALITY = "modality"
    STAGE = "stage"


class InvestorFocus(db.Model):
    """One therapeutic area, modality or development stage an investor invests in."""

    __tablename__ = "investor_focus"

    investor_id: Mapped[int] = mapped_column(sa.ForeignKey("investors.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[FocusDimension] = enum_column(FocusDimension, primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(32), primary_key=True)

    investor: Mapped["Investor"] = relationship(back_populates="focus")

    __table_args__ = (sa.Index("ix_investor_focus_dimension_value", "dimension", "value"),)


class Investor(NamedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "investors"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InvestorKind] = enum_column(InvestorKind, nullable=False, index=True)
    status: Mapped[InvestorStatus] = enum_column(InvestorStatus, nullable=False, default=InvestorStatus.PROSPECT)
    country: Mapped[str] = mapped_column(sa.String(2), nullable=False, index=True)
    org_number: Mapped[str | None] = mapped_column(sa.String(9), unique=True)
    website: Mapped[str | None] = mapped_column(sa.String(300))
    ticket_min: Mapped[Decimal | None] = mapped_column(Amount)
    ticket_max: Mapped[Decimal | None] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(sa.String(3), nullable=False, default=DEFAULT_CURRENCY)
    description: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    owner: Mapped["User | None"] = relationship(foreign_keys=[owner_id])  # noqa: F821
    focus: Mapped[list[InvestorFocus]] = relationship(
        back_populates="investor", cascade="all, delete-orphan", lazy="selectin")
    # The live contacts only; deleting an investor moves its contacts to the trash with it.
    contacts: Mapped[list["Contact"]] = relationship(  # noqa: F821
        primaryjoin="and_(Investor.id == Contact.investor_id, Contact.deleted_at.is_(None))",
        viewonly=True, order_by="Contact.name_sort")

    __audited__ = True

    __table_args__ = (
        # The list: live investors in name order, read from the index without a sort.
        sa.Index("ix_investors_deleted_at_name_sort", "deleted_at", "name_sort"),
        trigram_index("investors", "name_search"),
    )

    @property
    def is_foreign(self) -> bool:
        return self.country != NORWAY

    def focus_values(self, dimension: FocusDimension) -> list[str]:
        return sorted(f.value for f in self.focus if f.dimension == dimension)

    def focus_labels(self, dimension: FocusDimension) -> list[str]:
        vocabulary = {FocusDimension.AREA: TherapeuticArea, FocusDimension.MODALITY: Modality,
                      FocusDimension.STAGE: DevelopmentStage}[dimension]
        return [vocabulary(v).label for v in self.focus_values(dimension) if v in vocabulary._value2member_map_]

    def set_focus(self, dimension: FocusDimension, values: list[str]) -> None:
        keep = [f for f in self.focus if f.dimension != dimension]
        existing = {f.value: f for f in self.focus if f.dimension == dimension}
        self.focus = keep + [existing.get(v) or InvestorFocus(dimension=dimension, value=v)
                             for v in dict.fromkeys(values)]
