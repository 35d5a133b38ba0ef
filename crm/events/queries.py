"""Reads for the event pages: the list, one event, and its grid of meetings."""
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from crm.common.timeutil import utc_to_local
from crm.extensions import db
from crm.models import Event, Investor, Meeting, Startup


def event_choices() -> list[tuple[int, str]]:
    """Every event as (id, 'Name (first day)'), newest first, for pickers."""
    rows = db.session.execute(select(Event.id, Event.name, Event.starts_on)
                              .order_by(Event.starts_on.desc(), Event.name_sort))
    return [(row.id, f"{row.name} ({row.starts_on.isoformat()})") for row in rows]


def event_list() -> Select:
    """Events, newest first; paginate the result."""
    return select(Event).order_by(Event.starts_on.desc(), Event.name_sort, Event.id)


def meeting_counts(event_ids: list[int]) -> dict[int, int]:
    """How many meetings were logged at each of these events, in one GROUP BY."""
    if not event_ids:
        return {}
    rows = db.session.execute(select(Meeting.event_id, func.count(Meeting.id))
                              .where(Meeting.event_id.in_(event_ids)).group_by(Meeting.event_id))
    return {event_id: count for event_id, count in rows}


def get_event(event_id: int) -> Event:
    """One event with the startups and investors taking part. :raise 404: when there is none."""
    stmt = (select(Event).where(Event.id == event_id)
            .options(selectinload(Event.startups), selectinload(Event.investors)))
    return db.first_or_404(stmt)


@dataclass
class EventGrid:
    """The meetings held at an event by time, and who met whom: startups as rows, investors as columns."""

    meetings: list[Meeting]
    startups: list[Startup]
    investors: list[Investor]
    cells: dict[tuple[int, int], list[Meeting]] = field(default_factory=dict)
    next_day: date | None = None  # where the next row's slot is suggested
    next_time: time | None = None

    def cell(self, startup_id: int, investor_id: int) -> list[Meeting]:
        return self.cells.get((startup_id, investor_id), [])


def event_grid(event: Event, today: date) -> EventGrid:
    """The event's meetings with their participants (one query and its loads), and the slot after the last one."""
    stmt = (select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.starts_at, Meeting.id)
            .options(selectinload(Meeting.startups), selectinload(Meeting.investors)))
    meetings = list(db.session.scalars(stmt))
    startups = {s.id: s for s in event.startups}
    investors = {i.id: i for i in event.investors}
    grid = EventGrid(meetings, [], [])
    for meeting in meetings:
        for startup in meeting.startups:
            startups.setdefault(startup.id, startup)
            for investor in meeting.investors:
                grid.cells.setdefault((startup.id, investor.id), []).append(meeting)
        for investor in meeting.investors:
            investors.setdefault(investor.id, investor)
    grid.startups = sorted(startups.values(), key=lambda s: s.name_sort)
    grid.investors = sorted(investors.values(), key=lambda i: i.name_sort)
    if meetings:
        last = max(meetings, key=lambda m: m.starts_at + timedelta(minutes=m.duration_minutes))
        end = utc_to_local(last.starts_at + timedelta(minutes=last.duration_minutes))
        grid.next_day, grid.next_time = end.date(), end.time().replace(second=0, microsecond=0)
    else:
        grid.next_day = today if event.starts_on <= today <= event.ends_on else event.starts_on
        grid.next_time = time(9, 0)
    return grid
