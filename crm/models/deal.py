"""Deals: one startup and one investor in the pipeline for one round, with every stage change."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.money import DEFAULT_CURRENCY, Amount
from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models.base import LabelledEnum, SoftDeleteMixin, TimestampMixin, UTCDateTime, VersionedMixin, enum_column
from crm.models.taxonomy import RoundKind


class DealStage(LabelledEnum):
    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    MEETING_HELD = "meeting_held"
    DUE_DILIGENCE = "due_diligence"
    TERM_SHEET = "term_sheet"
    COMMITTED = "committed"
    PASSED = "passed"
    ON_HOLD = "on_hold"

    @classmethod
    def labels(cls):
        return {
            cls.IDENTIFIED: _l("Identified"),
            cls.CONTACTED: _l("Contacted"),
            cls.MEETING_HELD: _l("Meeting held"),
            cls.DUE_DILIGENCE: _l("Due diligence"),
            cls.TERM_SHEET: _l("Term sheet"),
            cls.COMMITTED: _l("Committed"),
            cls.PASSED: _l("Passed"),
            cls.ON_HOLD: _l("On hold"),
        }

    @property
    def is_open(self) -> bool:
        """Still moving through the pipeline: neither committed nor closed."""
        return self in OPEN_STAGES

    @property
    def rank(self) -> int | None:
        """The position along the pipeline (identified 0 ... committed 5); None for passed and on hold."""
        return PIPELINE_STAGES.index(self) if self in PIPELINE_STAGES else None


# The way through the pipeline, in order; passed and on hold are off it.
OPEN_STAGES = (DealStage.IDENTIFIED, DealStage.CONTACTED, DealStage.MEETING_HELD, DealStage.DUE_DILIGENCE,
               DealStage.TERM_SHEET)
PIPELINE_STAGES = OPEN_STAGES + (DealStage.COMMITTED,)
# The board's columns: the pipeline, then the deals parked or lost.
BOARD_STAGES = PIPELINE_STAGES + (DealStage.ON_HOLD, DealStage.PASSED)


class PassReason(LabelledEnum):
    NOT_IN_FOCUS = "not_in_focus"
    TOO_EARLY = "too_early"
    TICKET_SIZE = "ticket_size"
    TEAM = "team"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.NOT_IN_FOCUS: _l("Not in their focus"),
            cls.TOO_EARLY: _l("Too early"),
            cls.TICKET_SIZE: _l("Ticket size"),
            cls.TEAM: _l("Team"),
            cls.OTHER: _l("Other"),
        }


class Deal(TimestampMixin, VersionedMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "deals"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startups.id", ondelete="CASCADE"), nullable=False)
    investor_id: Mapped[int] = mapped_column(sa.ForeignKey("investors.id", ondelete="CASCADE"), nullable=False,
                                             index=True)
    round_kind: Mapped[RoundKind] = enum_column(RoundKind, nullable=False)
    stage: Mapped[DealStage] = enum_column(DealStage, nullable=False, default=DealStage.IDENTIFIED)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    pass_reason: Mapped[PassReason | None] = enum_column(PassReason)
    pass_reason_text: Mapped[str | None] = mapped_column(sa.String(500))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    expected_amount: Mapped[Decimal | None] = mapped_column(Amount)
    committed_amount: Mapped[Decimal | None] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(sa.String(3), nullable=False, default=DEFAULT_CURRENCY)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    startup: Mapped["Startup"] = relationship()  # noqa: F821
    investor: Mapped["Investor"] = relationship()  # noqa: F821
    owner: Mapped["User | None"] = relationship(foreign_keys=[owner_id])  # noqa: F821
    changes: Mapped[list["DealStageChange"]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: (DealStageChange.at, DealStageChange.id))

    __table_args__ = (
        # One deal per startup, investor and round; it also serves the startup filter.
        sa.UniqueConstraint("startup_id", "investor_id", "round_kind", name="uq_deals_startup_investor_round"),
        # The board's columns (newest activity first) and the GROUP BY stage behind their totals.
        sa.Index("ix_deals_stage_updated_at", "stage", "updated_at"),
        # Commitments in a period, and deals that have not moved for a while.
        sa.Index("ix_deals_stage_stage_changed_at", "stage", "stage_changed_at"),
        # The conversion funnel starts from the deals created in a period.
        sa.Index("ix_deals_created_at", "created_at"),
        # A board column's first cards: live deals of one stage, newest activity first, without a sort.
        sa.Index("ix_deals_stage_deleted_at_updated_at", "stage", "deleted_at", "updated_at"),
        # The column totals (GROUP BY stage, currency) read from this index alone.
        sa.Index("ix_deals_totals", "stage", "deleted_at", "currency", "expected_amount", "committed_amount"),
    )


class DealStageChange(db.Model):
    """One move of a deal from one stage to another (``from_stage`` is None when the deal was created)."""

    __tablename__ = "deal_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(sa.ForeignKey("deals.id", ondelete="CASCADE"), nullable=False)
    from_stage: Mapped[DealStage | None] = enum_column(DealStage)
    to_stage: Mapped[DealStage] = enum_column(DealStage, nullable=False)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    deal: Mapped[Deal] = relationship(back_populates="changes")
    user: Mapped["User | None"] = relationship()  # noqa: F821

    # A deal's history in order: the time spent in each stage is the gap to the next change.
    # The changes in a period (the dashboard's stays that ended in it), with their deals.
    __table_args__ = (sa.Index("ix_deal_stage_changes_deal_id_at", "deal_id", "at"),
                      sa.Index("ix_deal_stage_changes_at_deal_id", "at", "deal_id"))
