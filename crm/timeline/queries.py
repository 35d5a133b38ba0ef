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
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from crm.extensions import db
from crm.followups.targets import MODELS
from crm.models import (Contact, Deal, DealStageChange, FollowUp, Investor, Meeting, Note, ShareLink, ShareView,
                        Startup)
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


def _live(model):
    """Not in the trash, written so that SQLite does not read the rows through the trash column's index (nearly
    every row is live, so that index finds them all; the record's own index is the one to use)."""
    return func.coalesce(model.deleted_at, None).is_(None)


def with_participants(meetings: list[Meeting]) -> list[Meeting]:
    """Fill the meetings' startups and investors (in name order, those in the trash left out) in two statements.

    The relationships' own loads join through the trash column, and SQLite then reads every investor through
    the index on (deleted_at, name_sort) to save a sort: 15 ms at 5,000 investors. These read the link tables
    by meeting and sort the few names found.
    """
    if not meetings:
        return meetings
    ids = [meeting.id for meeting in meetings]
    found: dict[tuple[str, int], list] = {}
    for name, model, table, column in (("startups", Startup, meeting_startups, meeting_startups.c.startup_id),
                                       ("investors", Investor, meeting_investors, meeting_investors.c.investor_id)):
        stmt = (select(table.c.meeting_id, model).join(model, model.id == column)
                .where(table.c.meeting_id.in_(ids), _live(model)).order_by(model.name_sort, model.id)
                .execution_options(include_deleted=True))
        if model is Investor:
            stmt = stmt.options(lazyload(Investor.focus))
        for meeting_id, record in db.session.execute(stmt):
            found.setdefault((name, meeting_id), []).append(record)
    for meeting in meetings:
        for name in ("startups", "investors"):
            set_committed_value(meeting, name, found.get((name, meeting.id), []))
    return meetings


def recent_meetings(kind: str, record_id: int, limit: int = 20) -> list[Meeting]:
    """The meetings a startup or an investor took part in, newest first (as ``crm.meetings.queries.meetings_of``)."""
    table = meeting_startups if kind == "startup" else meeting_investors
    stmt = (select(Meeting).join(table, table.c.meeting_id == Meeting.id)
            .where(getattr(table.c, f"{kind}_id") == record_id)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit))
    return with_participants(list(db.session.scalars(stmt)))


def _pair_meetings(deal_id: int) -> Select:
    """The meetings in which the deal's startup and investor both took part."""
    return (select(meeting_startups.c.meeting_id)
            .join(meeting_investors, meeting_investors.c.meeting_id == meeting_startups.c.meeting_id)
            .join(Deal, (Deal.startup_id == meeting_startups.c.startup_id)
                  & (Deal.investor_id == meeting_investors.c.investor_id))
            .where(Deal.id == deal_id))


def links_to(model, kind: str, record_id: int) -> list:
    """How a follow-up or note can be about a live record or something of it: one function per link, each
    narrowing a select of ``model`` to the rows about the record through that link.

    As ``crm.followups.queries.linked_to`` with ``alive_target``: a startup's or an investor's own, those of
    its deals, people and meetings; a contact's own and its meetings'; a deal's own and the meetings of its
    startup and investor together. Each starts from the record's own rows and joins ``model`` on its link's
    index (SQLite, left to choose, would read every live follow-up through the trash column's index).
    """
    own = MODELS[kind]
    alive = select(own.id).where(own.id == record_id, own.deleted_at.is_(None))
    links = [lambda stmt: stmt.where(getattr(model, f"{kind}_id") == record_id,
                                     getattr(model, f"{kind}_id").in_(alive))]
    if kind in ("startup", "investor"):
        for target, column in ((Deal, model.deal_id), (Contact, model.contact_id)):
            links.append(lambda stmt, target=target, column=column: stmt.join(target, column == target.id).where(
                getattr(target, f"{kind}_id") == record_id, target.deleted_at.is_(None)))
        table = meeting_startups if kind == "startup" else meeting_investors
        by_meeting = (table, getattr(table.c, f"{kind}_id"))
    elif kind == "contact":
        by_meeting = (meeting_contacts, meeting_contacts.c.contact_id)
    else:
        by_meeting = None
    if "meeting" in model.LINKS:
        if by_meeting is None:
            links.append(lambda stmt: stmt.join(Meeting, model.meeting_id == Meeting.id).where(
                Meeting.id.in_(_pair_meetings(record_id)), Meeting.deleted_at.is_(None)))
        else:
            table, column = by_meeting
            links.append(lambda stmt: stmt.join(table, model.meeting_id == table.c.meeting_id)
                         .join(Meeting, Meeting.id == table.c.meeting_id)
                         .where(column == record_id, Meeting.deleted_at.is_(None)))
    return links


def _union(kind: str, record_id: int, now: datetime):
    selects = [_meetings(kind, record_id, now), _stage_changes(kind, record_id), _share_views(kind, record_id)]
    for about in links_to(FollowUp, kind, record_id):
        selects += [about(_row(FOLLOW_UP, FollowUp.created_at, FollowUp.id).where(_live(FollowUp))),
                    about(_row(FOLLOW_UP_DONE, FollowUp.done_at, FollowUp.id)
                          .where(_live(FollowUp), FollowUp.done_at.is_not(None)))]
    selects += [about(_row(NOTE, Note.created_at, Note.id)) for about in links_to(Note, kind, record_id)]
    return union_all(*[s for s in selects if s is not None]).subquery("timeline")


# One statement per kind (a meeting's two lists come from with_participants): what an item names is joined
# in (an investor's focus is not shown, so not loaded).
def open_follow_ups(kind: str, record_id: int, limit: int = 20) -> list[FollowUp]:
    """The open follow-ups about a record (or what belongs to it), soonest due first, with what they are about.

    As ``crm.followups.queries.open_follow_ups``, read through the indexes of ``links_to`` and with the records
    they name joined in (a meeting's startups and investors, for its title, come in two more when one is shown).
    """
    about = union_all(*[about(select(FollowUp.id).where(_live(FollowUp)))
                        for about in links_to(FollowUp, kind, record_id)])
    # Every record it joins is checked here (the target by ``links_to``), so the automatic trash filter, which
    # would lead SQLite to the trash column's index, is off.
    stmt = (select(FollowUp).where(FollowUp.done_at.is_(None), FollowUp.id.in_(about))
            .order_by(FollowUp.due_on, FollowUp.id).limit(limit).execution_options(include_deleted=True)
            .options(joinedload(FollowUp.assignee), joinedload(FollowUp.done_by), joinedload(FollowUp.startup),
                     joinedload(FollowUp.investor).lazyload(Investor.focus), joinedload(FollowUp.contact),
                     joinedload(FollowUp.deal).joinedload(Deal.startup.and_(Startup.deleted_at.is_(None))),
                     joinedload(FollowUp.deal).joinedload(Deal.investor.and_(Investor.deleted_at.is_(None)))
                     .lazyload(Investor.focus),
                     joinedload(FollowUp.meeting).lazyload(Meeting.startups),
                     joinedload(FollowUp.meeting).lazyload(Meeting.investors)))
    follow_ups = list(db.session.scalars(stmt).unique())
    with_participants([f.meeting for f in follow_ups if f.meeting is not None])
    return follow_ups


_LOADERS = {
    MEETING: lambda ids: select(Meeting).where(Meeting.id.in_(ids)).options(
        lazyload(Meeting.startups), lazyload(Meeting.investors), joinedload(Meeting.created_by)),  # with_participants
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
                                  .limit(self.per_page).offset((self.page - 1) * self.per_page)
                                  .execution_options(include_deleted=True)).all()
        self._total = rows[0].total if rows else None
        wanted: dict[str, set[int]] = {}
        for kind, _at, record_id, _total in rows:
            wanted.setdefault(FOLLOW_UP if kind == FOLLOW_UP_DONE else kind, set()).add(record_id)
        records = {}
        for kind, ids in wanted.items():
            loaded = list(db.session.scalars(_LOADERS[kind](ids)).unique())
            if kind == MEETING:
                with_participants(loaded)
            for record in loaded:
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
        return db.session.scalar(select(func.count()).select_from(self._query_args["union"])
                                 .execution_options(include_deleted=True))


def timeline(kind: str, record_id: int, page: int, per_page: int, now: datetime) -> TimelinePage:
    """One page of the timeline of a startup, investor, contact or deal, newest first."""
    return TimelinePage(page=page, per_page=per_page, error_out=False, union=_union(kind, record_id, now))
