"""Figures for the overview page, each one aggregate query."""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models import NORWAY, IncubatorStatus, Investor, Meeting, Startup


@dataclass
class Overview:
    investors: int
    foreign_investors: int
    incubatees: int
    meetings_30_days: int


def overview() -> Overview:
    """Counts of investors (and how many are foreign), incubatees and recent meetings."""
    investors, foreign = db.session.execute(
        select(func.count(Investor.id), func.count(Investor.id).filter(Investor.country != NORWAY))).one()
    incubatees = db.session.scalar(
        select(func.count(Startup.id)).where(Startup.incubator_status == IncubatorStatus.INCUBATEE))
    now = utcnow()
    meetings = db.session.scalar(  # meetings planned for later are not in the last 30 days
        select(func.count(Meeting.id)).where(Meeting.starts_at >= now - timedelta(days=30), Meeting.starts_at <= now))
    return Overview(investors or 0, foreign or 0, incubatees or 0, meetings or 0)
