"""The timeline of a startup, investor, contact or deal: meetings, stage changes, share-link views, follow-ups
added and done, and notes, newest first.

One UNION ALL of small selects gives the page's (kind, time, id) rows and one more query their count; then
one query per kind loads that page's records (with their loads), so a page runs the same statements
whether the timeline holds five items or five thousand.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.followups.queries import alive_target, linked_to
from crm.models import Deal, DealStageChange, FollowUp, Meeting, Note, ShareLink, ShareView
from crm.models.meeting import meeting_contacts, meeting_investors, meeting_startups

MEETING, STAGE, VIEW, FOLLOW_UP, FOLLOW_UP_DONE, NOTE = (
    "meeting", "stage_change", "share_view", "follow_up", "follow_up_done", "note")


@dataclass
class TimelineItem:
    kind: str
    at: datetime
    record: object  # a Meeting, DealStageChange, ShareView, FollowUp or Note


def _row(kind: str, at, record_id) -> Select:
    return select(literal(kind).label("kind"), at.label("at"), record_id.label("record_id"))


def _meetings(kind: str, record_id: int, now: datetime) -> Select:
    """Meetings held (not planned) with the record: for a deal, those of its startup and investor together."""
    stmt = _row(MEETING, Meeting.starts_at, Meeting.id).where(Meeting.starts_at <= now, Meeting.deleted_at.is_(None))
    if kind == "deal":
        pair = (select(meeting_startups.c.meeting_id)
                .join(meeting_investors, meeting_investors.c.meeting_id == meeting_startups.c.meeting_id)
                .join(Deal, (Deal.startup_id == meeting_startups.c.startup_id)
                      & (Deal.investor_id == meeting_investors.c.investor_id))
                .where(Deal.id == record_id))
        return stmt.where(Meeting.id.in_(pair))
    table = {"startup": meeting_startups, "investor": meeting_investors, "contact": meeting_contacts}[kind]
    return stmt.join(table, table.c.meeting_id == Meeting.id).where(getattr(table.c, f"{kind}_id") == record_id)


def _stage_changes(kind: str, record_id: int) -> Select | None:
    if kind == "contact":
        return None
    column = Deal.id if kind == "deal" else getattr(Deal, f"{kind}_id")
    return (_row(STAGE, DealStageChange.at, DealStageChange.id).join(Deal, Deal.id == DealStageChange.deal_id)
            .where(column == record_id, Deal.deleted_at.is_(None)))


def _share_views(kind: str, record_id: int) -> Select:
    stmt = _row(VIEW, ShareView.viewed_at, ShareView.id).join(ShareLink, ShareLink.id == ShareView.link_id)
    if kind == "deal":
        deal = select(Deal.startup_id, Deal.investor_id).where(Deal.id == record_id).subquery()
        return stmt.join(deal, (deal.c.startup_id == ShareLink.startup_id)
                         & (deal.c.investor_id == ShareLink.investor_id))
    return stmt.where(getattr(ShareLink, f"{kind}_id") == record_id)


def _union(kind: str, record_id: int, now: datetime):
    about = linked_to(FollowUp, kind, record_id)
    follow_ups = (FollowUp.deleted_at.is_(None), alive_target(FollowUp), about)
    selects = [
        _meetings(kind, record_id, now),
        _stage_changes(kind, record_id),
        _share_views(kind, record_id),
        _row(FOLLOW_UP, FollowUp.created_at, FollowUp.id).where(*follow_ups),
        _row(FOLLOW_UP_DONE, FollowUp.done_at, FollowUp.id).where(FollowUp.done_at.is_not(None), *follow_ups),
        _row(NOTE, Note.created_at, Note.id).where(linked_to(Note, kind, record_id), alive_target(Note)),
    ]
    return union_all(*[s for s in selects if s is not None]).subquery("timeline")


_LOADERS = {
    MEETING: lambda ids: select(Meeting).where(Meeting.id.in_(ids)).options(
        selectinload(Meeting.startups), selectinload(Meeting.investors), selectinload(Meeting.created_by)),
    STAGE: lambda ids: select(DealStageChange).where(DealStageChange.id.in_(ids)).options(
        selectinload(DealStageChange.user), selectinload(DealStageChange.deal).selectinload(Deal.startup),
        selectinload(DealStageChange.deal).selectinload(Deal.investor)),
    VIEW: lambda ids: select(ShareView).where(ShareView.id.in_(ids)).options(
        selectinload(ShareView.link).selectinload(ShareLink.startup),
        selectinload(ShareView.link).selectinload(ShareLink.investor),
        selectinload(ShareView.link).selectinload(ShareLink.contact)),
    FOLLOW_UP: lambda ids: select(FollowUp).where(FollowUp.id.in_(ids)).options(
        selectinload(FollowUp.assignee), selectinload(FollowUp.created_by), selectinload(FollowUp.done_by)),
    NOTE: lambda ids: select(Note).where(Note.id.in_(ids)).options(selectinload(Note.author)),
}


class TimelinePage(Pagination):
    """One page of a timeline; reads like Flask-SQLAlchemy's page (items, total, has_next, ...)."""

    def _query_items(self) -> list[TimelineItem]:
        union = self._query_args["union"]
        rows = db.session.execute(select(union.c.kind, union.c.at, union.c.record_id)
                                  .order_by(union.c.at.desc(), union.c.kind, union.c.record_id.desc())
                                  .limit(self.per_page).offset((self.page - 1) * self.per_page)).all()
        wanted: dict[str, set[int]] = {}
        for kind, _at, record_id in rows:
            wanted.setdefault(FOLLOW_UP if kind == FOLLOW_UP_DONE else kind, set()).add(record_id)
        records = {}
        for kind, ids in wanted.items():
            for record in db.session.scalars(_LOADERS[kind](ids)):
                records[(kind, record.id)] = record
        items = []
        for kind, at, record_id in rows:
            record = records.get((FOLLOW_UP if kind == FOLLOW_UP_DONE else kind, record_id))
            if record is not None:
                items.append(TimelineItem(kind, at, record))
        return items

    def _query_count(self) -> int:
        return db.session.scalar(select(func.count()).select_from(self._query_args["union"]))


def timeline(kind: str, record_id: int, page: int, per_page: int, now: datetime) -> TimelinePage:
    """One page of the timeline of a startup, investor, contact or deal, newest first."""
    return TimelinePage(page=page, per_page=per_page, error_out=False, union=_union(kind, record_id, now))
