"""Reads of follow-ups: a user's agenda, the open ones about a record, the dashboard's lists, and the
conditions that tie follow-ups and notes to the records they are about."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, false, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload, with_loader_criteria

from crm.deals.queries import deals_met_at
from crm.extensions import db
from crm.followups.targets import MODELS
from crm.models import Contact, Deal, FollowUp, Investor, Meeting
from crm.models.base import SoftDeleteMixin
from crm.models.meeting import meeting_contacts, meeting_investors, meeting_startups


def _pair_meeting_ids(deal_id: int) -> Select:
    """The meetings in which the deal's startup and investor both took part."""
    return (select(meeting_startups.c.meeting_id)
            .join(meeting_investors, meeting_investors.c.meeting_id == meeting_startups.c.meeting_id)
            .join(Deal, and_(Deal.startup_id == meeting_startups.c.startup_id,
                             Deal.investor_id == meeting_investors.c.investor_id))
            .where(Deal.id == deal_id))


def linked_to(model, kind: str, record_id: int):
    """The condition for a follow-up or note (``model``) to be about a record, directly or through what belongs to it.

    A startup's or an investor's take in their deals, their people and their meetings; a contact's the
    meetings the person attended; a deal's the meetings of its startup and investor; a meeting's only itself.
    """
    direct = getattr(model, f"{kind}_id") == record_id
    has_meeting = "meeting" in model.LINKS
    if kind in ("startup", "investor"):
        party = getattr(Deal, f"{kind}_id")
        people = getattr(Contact, f"{kind}_id")
        table = meeting_startups if kind == "startup" else meeting_investors
        conditions = [direct, model.deal_id.in_(select(Deal.id).where(party == record_id)),
                      model.contact_id.in_(select(Contact.id).where(people == record_id))]
        meetings = select(table.c.meeting_id).where(getattr(table.c, f"{kind}_id") == record_id)
    elif kind == "contact":
        conditions = [direct]
        meetings = select(meeting_contacts.c.meeting_id).where(meeting_contacts.c.contact_id == record_id)
    elif kind == "deal":
        conditions = [direct]
        meetings = _pair_meeting_ids(record_id)
    else:
        return direct
    if has_meeting:
        conditions.append(model.meeting_id.in_(meetings))
    return or_(*conditions)


def alive_target(model):
    """The condition that what a follow-up or note is about is not in the trash (it comes back with it)."""
    conditions = []
    for kind in model.LINKS:
        column, target = getattr(model, f"{kind}_id"), MODELS[kind]
        conditions.append(or_(column.is_(None), column.in_(select(target.id).where(target.deleted_at.is_(None)))))
    return and_(*conditions)


def target_loads(model) -> list:
    """The loader options that name each item's record without a query per item."""
    options = [selectinload(model.startup), selectinload(model.investor), selectinload(model.contact),
               selectinload(model.deal).selectinload(Deal.startup),
               selectinload(model.deal).selectinload(Deal.investor)]
    if "meeting" in model.LINKS:
        options += [selectinload(model.meeting).selectinload(Meeting.startups),
                    selectinload(model.meeting).selectinload(Meeting.investors)]
    return options


def _listed(stmt: Select) -> Select:
    return stmt.where(alive_target(FollowUp)).options(*target_loads(FollowUp), selectinload(FollowUp.assignee),
                                                      selectinload(FollowUp.done_by))


def get_follow_up(follow_up_id: int) -> FollowUp:
    """One follow-up with its record and people. :raise 404: when there is none."""
    return db.first_or_404(_listed(select(FollowUp).where(FollowUp.id == follow_up_id)))


def follow_up_list(user_id: int | None, status: str | None) -> Select:
    """Follow-ups whose record is not in the trash, soonest due first: one person's or everybody's, open or done."""
    stmt = select(FollowUp)
    if user_id is not None:
        stmt = stmt.where(FollowUp.assignee_id == user_id)
    if status == "open":
        stmt = stmt.where(FollowUp.done_at.is_(None))
    elif status == "done":
        stmt = stmt.where(FollowUp.done_at.is_not(None))
    return _listed(stmt.order_by(FollowUp.due_on, FollowUp.id))


@dataclass
class Agenda:
    """One user's follow-ups, as "My follow-ups" groups them."""

    overdue: list[FollowUp] = field(default_factory=list)
    today: list[FollowUp] = field(default_factory=list)
    this_week: list[FollowUp] = field(default_factory=list)
    later: list[FollowUp] = field(default_factory=list)
    done: list[FollowUp] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.this_week) + len(self.later)


def end_of_week(today: date) -> date:
    """The Sunday that ends today's week (weeks start on Monday in Norway)."""
    return today + timedelta(days=6 - today.weekday())


def agenda(user_id: int, today: date, done_since: datetime, limit: int = 500) -> Agenda:
    """A user's open follow-ups by when they are due, and the ones done since ``done_since``, in one query."""
    stmt = _listed(select(FollowUp).where(FollowUp.assignee_id == user_id,
                                          or_(FollowUp.done_at.is_(None), FollowUp.done_at >= done_since))
                   .order_by(FollowUp.due_on, FollowUp.id).limit(limit))
    result, week_end = Agenda(), end_of_week(today)
    for follow_up in db.session.scalars(stmt):
        if follow_up.done_at is not None:
            result.done.append(follow_up)
        elif follow_up.due_on < today:
            result.overdue.append(follow_up)
        elif follow_up.due_on == today:
            result.today.append(follow_up)
        elif follow_up.due_on <= week_end:
            result.this_week.append(follow_up)
        else:
            result.later.append(follow_up)
    result.done.sort(key=lambda f: f.done_at, reverse=True)
    return result


def open_follow_ups(kind: str, record_id: int, limit: int = 20) -> list[FollowUp]:
    """The open follow-ups about a record (or what belongs to it), soonest due first."""
    stmt = (select(FollowUp).where(FollowUp.done_at.is_(None), linked_to(FollowUp, kind, record_id))
            .order_by(FollowUp.due_on, FollowUp.id).limit(limit))
    return list(db.session.scalars(_listed(stmt)))


@dataclass
class FollowUpList:
    items: list[FollowUp]
    total: int


def in_scope(startup_id: int | None, event_id: int | None) -> list:
    """The dashboard's narrowing, as conditions: follow-ups about one startup, and those of one event's meetings
    and of the deals whose startup and investor met there."""
    conditions = []
    if startup_id is not None:
        conditions.append(linked_to(FollowUp, "startup", startup_id))
    if event_id is not None:
        conditions.append(or_(FollowUp.meeting_id.in_(select(Meeting.id).where(Meeting.event_id == event_id)),
                              FollowUp.deal_id.in_(deals_met_at(event_id))))
    return conditions


def _due_soon(today: date, days: int, startup_id: int | None, event_id: int | None) -> Select:
    """Open follow-ups due from today to ``days`` days ahead."""
    return select(FollowUp.id).where(FollowUp.done_at.is_(None), FollowUp.due_on >= today,
                                     FollowUp.due_on <= today + timedelta(days=days), *in_scope(startup_id, event_id))


def _overdue(today: date, startup_id: int | None, event_id: int | None) -> Select:
    """Open follow-ups whose day has passed."""
    return select(FollowUp.id).where(FollowUp.done_at.is_(None), FollowUp.due_on < today,
                                     *in_scope(startup_id, event_id))


def _joined_targets() -> list:
    """Each follow-up's record joined into the same statement (at most twenty rows: no query per kind); the
    participants of a meeting in one query each (a join of those collections makes SQLite build them all)."""
    # The investors' focus (loaded with them by default) is not shown in these lists.
    return [joinedload(FollowUp.startup), joinedload(FollowUp.investor).lazyload(Investor.focus),
            joinedload(FollowUp.contact), joinedload(FollowUp.deal).joinedload(Deal.startup),
            joinedload(FollowUp.deal).joinedload(Deal.investor).lazyload(Investor.focus),
            joinedload(FollowUp.meeting).selectinload(Meeting.startups),
            joinedload(FollowUp.meeting).selectinload(Meeting.investors).lazyload(Investor.focus)]


def due_and_overdue(today: date, days: int, startup_id: int | None = None, event_id: int | None = None,
                    limit: int = 10) -> tuple[FollowUpList, FollowUpList]:
    """The dashboard's two lists from one statement: the open follow-ups due from today to ``days`` days ahead
    and those whose day has passed, each soonest (longest overdue) first, the first ``limit`` with how many there are.
    """
    parts = []
    for number, stmt in enumerate((_due_soon(today, days, startup_id, event_id),
                                   _overdue(today, startup_id, event_id))):
        part = (stmt.where(alive_target(FollowUp))
                .add_columns(literal(number).label("list"), func.count().over().label("total"))
                .order_by(FollowUp.due_on, FollowUp.id).limit(limit).subquery())
        parts.append(select(part.c.id, part.c.list, part.c.total))
    chosen = union_all(*parts).subquery("chosen")
    stmt = (select(FollowUp, chosen.c.list, chosen.c.total).join(chosen, chosen.c.id == FollowUp.id)
            .order_by(chosen.c.list, FollowUp.due_on, FollowUp.id)
            .options(*_joined_targets(), joinedload(FollowUp.assignee),
                     # "Not in the trash" in a form that SQLite cannot take for a reason to walk the deleted_at
                     # indexes in the joins instead of looking each record up by its key.
                     with_loader_criteria(SoftDeleteMixin, lambda cls: func.coalesce(cls.deleted_at.is_(None), false()),
                                          include_aliases=True))
            .execution_options(include_deleted=True))
    lists = (FollowUpList([], 0), FollowUpList([], 0))
    for row in db.session.execute(stmt).unique():
        lists[row.list].items.append(row.FollowUp)
        lists[row.list].total = row.total
    return lists
