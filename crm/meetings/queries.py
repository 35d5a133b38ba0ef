"""Reads for the meeting pages, and the meeting lists on other records' pages."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, literal, select, union_all
from sqlalchemy.orm import selectinload, with_loader_criteria

from crm.common.sql import likely
from crm.common.text import like_pattern
from crm.extensions import db
from crm.models import Investor, Meeting, MeetingKind, Startup
from crm.models.base import SoftDeleteMixin
from crm.models.meeting import meeting_contacts, meeting_investors, meeting_startups

_LINKS = {
    "investor": (meeting_investors, meeting_investors.c.investor_id),
    "startup": (meeting_startups, meeting_startups.c.startup_id),
    "contact": (meeting_contacts, meeting_contacts.c.contact_id),
}


def _with_participants(stmt: Select) -> Select:
    # The investors' focus (loaded with them by default) is not shown with a meeting.
    return stmt.options(selectinload(Meeting.startups), selectinload(Meeting.investors).lazyload(Investor.focus))


def meetings_of(kind: str, record_id: int, limit: int = 20) -> list[Meeting]:
    """The meetings an investor, startup or contact took part in, newest first."""
    table, column = _LINKS[kind]
    stmt = (select(Meeting).join(table, table.c.meeting_id == Meeting.id).where(column == record_id)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit))
    return list(db.session.scalars(_with_participants(stmt)))


@dataclass
class MeetingFilters:
    q: str = ""
    kind: str = ""
    investor: int | None = None
    startup: int | None = None
    investor_name: str = ""  # part of the name of an investor who took part
    startup_name: str = ""  # part of the name of a startup that took part
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-date"


def meeting_list(filters: MeetingFilters, start_utc=None, end_utc=None) -> Select:
    """Meetings matching the filters, newest first by default; paginate the result.

    ``start_utc``/``end_utc`` are the UTC bounds of the local date range.
    """
    stmt = _with_participants(select(Meeting)).options(selectinload(Meeting.follow_ups))
    if filters.kind:
        stmt = stmt.where(Meeting.kind == MeetingKind(filters.kind))
    for kind, record_id in (("investor", filters.investor), ("startup", filters.startup)):
        if record_id:
            table, column = _LINKS[kind]
            stmt = stmt.where(exists().where(table.c.meeting_id == Meeting.id, column == record_id))
    for kind, model, name in (("investor", Investor, filters.investor_name), ("startup", Startup, filters.startup_name)):
        if name:
            table, column = _LINKS[kind]
            stmt = stmt.where(exists().where(table.c.meeting_id == Meeting.id, column == model.id,
                                             model.name_search.like(like_pattern(name), escape="\\")))
    if start_utc is not None:
        stmt = stmt.where(Meeting.starts_at >= start_utc)
    if end_utc is not None:
        stmt = stmt.where(Meeting.starts_at < end_utc)
    if filters.q:
        stmt = stmt.where(Meeting.title_search.like(like_pattern(filters.q), escape="\\"))
    # Records in the trash are left out as everywhere, but with the condition marked as true for nearly every
    # row: SQLite then walks the starts_at index in list order and stops at the page's end, instead of reading
    # every live meeting through the deleted_at index and sorting them (18 ms at 10,000 meetings, 1 ms so).
    stmt = stmt.execution_options(include_deleted=True).options(
        with_loader_criteria(SoftDeleteMixin, lambda cls: likely(cls.deleted_at.is_(None)), include_aliases=True))
    if filters.sort == "date":
        return stmt.order_by(Meeting.starts_at.asc(), Meeting.id)
    return stmt.order_by(Meeting.starts_at.desc(), Meeting.id.desc())


def get_meeting(meeting_id: int) -> Meeting:
    """One meeting with everyone who took part. :raise 404: when there is none."""
    stmt = (select(Meeting).where(Meeting.id == meeting_id)
            .options(selectinload(Meeting.startups), selectinload(Meeting.investors),
                     selectinload(Meeting.contacts), selectinload(Meeting.staff),
                     selectinload(Meeting.created_by), selectinload(Meeting.event)))
    return db.first_or_404(stmt)


def event_meetings(event_id: int, startup_id: int | None = None, limit: int = 8) -> list[Meeting]:
    """The latest meetings held at an event (those of one startup, when given), newest first."""
    stmt = select(Meeting).where(Meeting.event_id == event_id)
    if startup_id is not None:
        table, column = _LINKS["startup"]
        stmt = stmt.where(exists().where(table.c.meeting_id == Meeting.id, column == startup_id))
    stmt = stmt.order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit)
    return list(db.session.scalars(_with_participants(stmt)))


def recent_meetings(limit: int = 8) -> list[Meeting]:
    stmt = select(Meeting).order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit)
    return list(db.session.scalars(_with_participants(stmt)))


def meetings_between(startup_id: int, investor_id: int, limit: int = 20) -> list[Meeting]:
    """The meetings in which both this startup and this investor took part, newest first."""
    stmt = (select(Meeting)
            .join(meeting_startups, meeting_startups.c.meeting_id == Meeting.id)
            .join(meeting_investors, meeting_investors.c.meeting_id == Meeting.id)
            .where(meeting_startups.c.startup_id == startup_id, meeting_investors.c.investor_id == investor_id)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit))
    return list(db.session.scalars(_with_participants(stmt)))


def chosen_names(startup_id: int | None, investor_id: int | None) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The startup and the investor a meeting list is filtered by, as (id, name) (none for an id that names
    nobody), in one statement; none is read when neither is chosen."""
    if not startup_id and not investor_id:
        return [], []
    parts = [select(literal(0).label("part"), Startup.id, Startup.name).where(Startup.id == (startup_id or 0)),
             select(literal(1), Investor.id, Investor.name).where(Investor.id == (investor_id or 0))]
    found: tuple[list, list] = ([], [])
    for part, record_id, name in db.session.execute(union_all(*parts)):
        found[part].append((record_id, name))
    return found
