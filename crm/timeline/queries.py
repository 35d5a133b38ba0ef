"""The timeline of a startup, investor, contact or deal: meetings, stage changes, share-link views, follow-ups
added and done, and notes, newest first.

One UNION ALL of small selects gives the page's (kind, time, id) rows with their count (a window count; a
second query only for a page past the end); then one query per kind on the page loads its records, with
what they name joined in, so a page runs the same statements whether the timeline holds fifty items or
five thousand. Each select reads an index: a follow-up or note is about the record through exactly one
link (the record itself, or one of its deals, people or meetings), so each link is a select of its own
rather than one OR that would read every follow-up.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from crm.extensions import db
from crm.followups.targets import MODELS
from crm.models import Contact, Deal, DealStageChange, FollowUp, Investor, Meeting, Note, ShareLink, ShareView
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


def _pair_meetings(deal_id: int) -> Select:
    """The meetings in which the deal's startup and investor both took part."""
    return (select(meeting_startups.c.meeting_id)
            .join(meeting_investors, meeting_investors.c.meeting_id == meeting_startups.c.meeting_id)
            .join(Deal, (Deal.startup_id == meeting_startups.c.startup_id)
                  & (Deal.investor_id == meeting_investors.c.investor_id))
            .where(Deal.id == deal_id))


def links_to(model, kind: str, record_id: int) -> list:
    """The conditions, one per link, for a follow-up or note to be about a live record or something of it.

    As ``crm.followups.queries.linked_to`` with ``alive_target``: a startup's or an investor's own, those of
    its deals, people and meetings; a contact's own and its meetings'; a deal's own and the meetings of its
    startup and investor together. Each condition reads one index of ``model``.
    """
    own = MODELS[kind]
    conditions = [(getattr(model, f"{kind}_id") == record_id)
                  & getattr(model, f"{kind}_id").in_(select(own.id).where(own.id == record_id,
                                                                          own.deleted_at.is_(None)))]
    if kind in ("startup", "investor"):
        conditions += [
            model.deal_id.in_(select(Deal.id).where(getattr(Deal, f"{kind}_id") == record_id,
                                                    Deal.deleted_at.is_(None))),
            model.contact_id.in_(select(Contact.id).where(getattr(Contact, f"{kind}_id") == record_id,
                                                          Contact.deleted_at.is_(None)))]
        table = meeting_startups if kind == "startup" else meeting_investors
        meetings = select(table.c.meeting_id).where(getattr(table.c, f"{kind}_id") == record_id)
    elif kind == "contact":
        meetings = select(meeting_contacts.c.meeting_id).where(meeting_contacts.c.contact_id == record_id)
    else:
        meetings = _pair_meetings(record_id)
    if "meeting" in model.LINKS:
        live = select(Meeting.id).where(Meeting.id.in_(meetings), Meeting.deleted_at.is_(None))
        conditions.append(model.meeting_id.in_(live))
    return conditions


def _union(kind: str, record_id: int, now: datetime):
    selects = [_meetings(kind, record_id, now), _stage_changes(kind, record_id), _share_views(kind, record_id)]
    for about in links_to(FollowUp, kind, record_id):
        selects += [_row(FOLLOW_UP, FollowUp.created_at, FollowUp.id).where(FollowUp.deleted_at.is_(None), about),
                    _row(FOLLOW_UP_DONE, FollowUp.done_at, FollowUp.id)
                    .where(FollowUp.deleted_at.is_(None), FollowUp.done_at.is_not(None), about)]
    selects += [_row(NOTE, Note.created_at, Note.id).where(about) for about in links_to(Note, kind, record_id)]
    return union_all(*[s for s in selects if s is not None]).subquery("timeline")


# One statement per kind (a meeting's two lists aside): what an item names is joined in (an investor's focus is not shown, so not loaded).
def open_follow_ups(kind: str, record_id: int, limit: int = 20) -> list[FollowUp]:
    """The open follow-ups about a record (or what belongs to it), soonest due first, with what they are about.

    As ``crm.followups.queries.open_follow_ups``, read through the indexes of ``links_to`` and with the records
    they name joined in (a meeting's startups and investors, for its title, come in two more when one is shown).
    """
    about = union_all(*[select(FollowUp.id).where(condition) for condition in links_to(FollowUp, kind, record_id)])
    stmt = (select(FollowUp).where(FollowUp.done_at.is_(None), FollowUp.deleted_at.is_(None), FollowUp.id.in_(about))
            .order_by(FollowUp.due_on, FollowUp.id).limit(limit)
            .options(joinedload(FollowUp.assignee), joinedload(FollowUp.done_by), joinedload(FollowUp.startup),
                     joinedload(FollowUp.investor).lazyload(Investor.focus), joinedload(FollowUp.contact),
                     joinedload(FollowUp.deal).joinedload(Deal.startup),
                     joinedload(FollowUp.deal).joinedload(Deal.investor).lazyload(Investor.focus),
                     joinedload(FollowUp.meeting).selectinload(Meeting.startups),
                     joinedload(FollowUp.meeting).selectinload(Meeting.investors).lazyload(Investor.focus)))
    return list(db.session.scalars(stmt))


_LOADERS = {
    MEETING: lambda ids: select(Meeting).where(Meeting.id.in_(ids)).options(
        selectinload(Meeting.startups), selectinload(Meeting.investors).lazyload(Investor.focus),
        joinedload(Meeting.created_by)),  # joining both lists made SQLite read whole tables
    STAGE: lambda ids: select(DealStageChange).where(DealStageChange.id.in_(ids)).options(
        joinedload(DealStageChange.user), joinedload(DealStageChange.deal).joinedload(Deal.startup),
        joinedload(DealStageChange.deal).joinedload(Deal.investor).lazyload(Investor.focus)),
    VIEW: lambda ids: select(ShareView).where(ShareView.id.in_(ids)).options(
        joinedload(ShareView.link).joinedload(ShareLink.startup),
        joinedload(ShareView.link).joinedload(ShareLink.investor).lazyload(Investor.focus),
        joinedload(ShareView.link).joinedload(ShareLink.contact)),
    FOLLOW_UP: lambda ids: select(FollowUp).where(FollowUp.id.in_(ids)).options(
        joinedload(FollowUp.assignee), joinedload(FollowUp.created_by), joinedload(FollowUp.done_by)),
    NOTE: lambda ids: select(Note).where(Note.id.in_(ids)).options(joinedload(Note.author)),
}


class TimelinePage(Pagination):
    """One page of a timeline; reads like Flask-SQLAlchemy's page (items, total, has_next, ...)."""

    def _query_items(self) -> list[TimelineItem]:
        union = self._query_args["union"]
        rows = db.session.execute(select(union.c.kind, union.c.at, union.c.record_id,
                                         func.count().over().label("total"))
                                  .order_by(union.c.at.desc(), union.c.kind, union.c.record_id.desc())
                                  .limit(self.per_page).offset((self.page - 1) * self.per_page)).all()
        self._total = rows[0].total if rows else None
        wanted: dict[str, set[int]] = {}
        for kind, _at, record_id, _total in rows:
            wanted.setdefault(FOLLOW_UP if kind == FOLLOW_UP_DONE else kind, set()).add(record_id)
        records = {}
        for kind, ids in wanted.items():
            for record in db.session.scalars(_LOADERS[kind](ids)).unique():
                records[(kind, record.id)] = record
        items = []
        for kind, at, record_id, _total in rows:
            record = records.get((FOLLOW_UP if kind == FOLLOW_UP_DONE else kind, record_id))
            if record is not None:
                items.append(TimelineItem(kind, at, record))
        return items

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        return db.session.scalar(select(func.count()).select_from(self._query_args["union"]))


def timeline(kind: str, record_id: int, page: int, per_page: int, now: datetime) -> TimelinePage:
    """One page of the timeline of a startup, investor, contact or deal, newest first."""
    return TimelinePage(page=page, per_page=per_page, error_out=False, union=_union(kind, record_id, now))
