"""Incubator startups and their current funding round."""
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.money import DEFAULT_CURRENCY, Amount
from crm.extensions import db
from crm.models.base import (LabelledEnum, NamedMixin, SoftDeleteMixin, TimestampMixin, VersionedMixin, enum_column,
                             trigram_index)
from crm.models.taxonomy import DevelopmentStage, Modality, RoundKind, TherapeuticArea


class IncubatorStatus(LabelledEnum):
    APPLICANT = "applicant"
    INCUBATEE = "incubatee"
    ALUMNUS = "alumnus"

    @classmethod
    def labels(cls):
        return {cls.APPLICANT: _l("Applicant"), cls.INCUBATEE: _l("Incubatee"), cls.ALUMNUS: _l("Alumnus")}


class Startup(NamedMixin, TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "startups"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_number: Mapped[str | None] = mapped_column(sa.String(9), unique=True)
    incubator_status: Mapped[IncubatorStatus] = enum_column(IncubatorStatus, nullable=False, index=True)
    therapeutic_area: Mapped[TherapeuticArea] = enum_column(TherapeuticArea, nullable=False, index=True)
    indication: Mapped[str | None] = mapped_column(sa.String(200))
    modality: Mapped[Modality] = enum_column(Modality, nullable=False, index=True)
    development_stage: Mapped[DevelopmentStage] = enum_column(DevelopmentStage, nullable=False, index=True)
    round_kind: Mapped[RoundKind | None] = enum_column(RoundKind)
    round_target: Mapped[Decimal | None] = mapped_column(Amount)
    round_currency: Mapped[str] = mapped_column(sa.String(3), nullable=False, default=DEFAULT_CURRENCY)
    pitch: Mapped[str | None] = mapped_column(sa.Text)
    team: Mapped[str | None] = mapped_column(sa.Text)
    website: Mapped[str | None] = mapped_column(sa.String(300))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    # The live contacts only; deleting a startup moves its contacts to the trash with it.
    contacts: Mapped[list["Contact"]] = relationship(  # noqa: F821
        primaryjoin="and_(Startup.id == Contact.startup_id, Contact.deleted_at.is_(None))",
        viewonly=True, order_by="Contact.name_sort")

    __audited__ = True

    __table_args__ = (
        sa.Index("ix_startups_deleted_at_name_sort", "deleted_at", "name_sort"),
        trigram_index("startups", "name_search"),
    )
