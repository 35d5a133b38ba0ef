"""Dashboard figures about meetings: per month, foreign investors met, incubatees gone quiet."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, case, distinct, exists, false, func, or_, select

from crm.common.timeutil import local_to_utc, month_start
from crm.extensions import db
from crm.models import NORWAY, IncubatorStatus, Investor, Meeting, Startup, event_startups
from crm.models.meeting import meeting_investors, meeting_startups

QUIET_DAYS = 60


@dataclass
class Overview:
    investors: int
    foreign_investors: int
    incubatees: int
    meetings_30_days: int


def live(model):
    """"Not in the trash", for statements run with ``include_deleted``, in a form SQLite cannot serve from the
    ``deleted_at`` index: without statistics it would walk that index (every live row) rather than the
    ``starts_at`` range. The same on PostgreSQL, whose planner goes by its statistics anyway."""
    return func.coalesce(model.deleted_at.is_(None), false())


def overview_columns(now: datetime) -> list:
    """Counts of investors (and how many are foreign), incubatees and meetings held in the last 30 days,
    as labelled scalar subqueries for the key figures' one SELECT (run with ``include_deleted``)."""
    return [
        select(func.count(Investor.id)).where(Investor.deleted_at.is_(None)).scalar_subquery().label("investors"),
        select(func.count(Investor.id)).where(Investor.deleted_at.is_(None), Investor.country != NORWAY)
        .scalar_subquery().label("foreign_investors"),
        select(func.count(Startup.id)).where(Startup.incubator_status == IncubatorStatus.INCUBATEE,
                                             Startup.deleted_at.is_(None)).scalar_subquery().label("incubatees"),
        # Meetings planned for later are not in the last 30 days.
        select(func.count(Meeting.id)).where(Meeting.starts_at >= now - timedelta(days=30), Meeting.starts_at <= now,
                                             live(Meeting)).scalar_subquery().label("meetings_30_days"),
    ]


def _of_startup(stmt: Select, startup_id: int | None, event_id: int | None = None) -> Select:
    """Only the meetings the startup took part in, and only those held at the event, when one is chosen."""
    if event_id is not None:
        stmt = stmt.where(Meeting.event_id == event_id)
    if startup_id is None:
        return stmt
    return stmt.where(exists().where(meeting_startups.c.meeting_id == Meeting.id,
                                     meeting_startups.c.startup_id == startup_id))


def _with_investors(stmt: Select) -> Select:
    """Meetings with the investors who took part, both out of the trash (for ``include_deleted`` statements)."""
    return (stmt.select_from(Meeting).join(meeting_investors, meeting_investors.c.meeting_id == Meeting.id)
            .join(Investor, Investor.id == meeting_investors.c.investor_id).where(live(Meeting), live(Investor)))


@dataclass
class MonthCount:
    month: date
    norwegian: int = 0
    foreign: int = 0


def _months(last_month: date) -> list[date]:
    return [month_start(last_month, back) for back in range(11, -1, -1)]


def meetings_per_month_rows(last_month: date, startup_id: int | None, now: datetime, event_id: int | None,
                            shape: list):
    """Meetings held in each of the 12 Oslo months up to ``last_month``, with Norwegian and with foreign investors,
    as rows of the dashboard's series (``shape``: its columns, of which key, n1 and n2 are set here).

    A meeting with both counts once on each side; a meeting without investors is not counted.
    """
    months = _months(last_month)
    bounds = [local_to_utc(datetime.combine(m, time())) for m in months + [month_start(last_month, -1)]]
    bucket = case(*[(Meeting.starts_at < bounds[i + 1], i) for i in range(12)])
    norwegian = case((Investor.country == NORWAY, 1), else_=0)
    inner = _of_startup(_with_investors(select(bucket.label("month"), Meeting.id.label("meeting_id"),
                                               norwegian.label("norwegian")))
                        .where(Meeting.starts_at >= bounds[0], Meeting.starts_at < bounds[12],
                               Meeting.starts_at <= now), startup_id, event_id).subquery()
    counts = {"key": inner.c.month,
              "n1": func.count(distinct(case((inner.c.norwegian == 1, inner.c.meeting_id)))),
              "n2": func.count(distinct(case((inner.c.norwegian == 0, inner.c.meeting_id))))}
    columns = [counts[c.name].label(c.name) if c.name in counts else c for c in shape]
    return select(*columns).group_by(inner.c.month)


def meetings_per_month(last_month: date, rows) -> list[MonthCount]:
    counts = [MonthCount(month) for month in _months(last_month)]
    for row in rows:
        counts[row.key].norwegian, counts[row.key].foreign = row.n1, row.n2
    return counts


def foreign_investors_met(start: datetime, end: datetime, startup_id: int | None, now: datetime,
                          event_id: int | None = None):
    """How many different foreign investors took part in a meeting held in the period (a scalar subquery,
    for a statement run with ``include_deleted``)."""
    return _of_startup(_with_investors(select(func.count(distinct(Investor.id))))
                       .where(Investor.country != NORWAY, Meeting.starts_at >= start, Meeting.starts_at < end,
                              Meeting.starts_at <= now), startup_id, event_id).scalar_subquery()


@dataclass(frozen=True)
class StartupLine:
    id: int
    name: str


@dataclass
class QuietIncubatees:
    startups: list[tuple[StartupLine, datetime | None]]
    total: int


def quiet_incubatees(now: datetime, startup_id: int | None, limit: int = 20,
                     event_id: int | None = None) -> QuietIncubatees:
    """Incubatees with no meeting with an investor in the last 60 days, longest quiet first.

    With an event chosen, only the startups taking part in it.
    """
    since = now - timedelta(days=QUIET_DAYS)
    with_investor = exists().where(meeting_investors.c.meeting_id == Meeting.id)
    # Those that met an investor lately, from the period's few meetings (the start-time index): only the others
    # need their last meeting looked up.
    met_lately = (select(meeting_startups.c.startup_id).join(Meeting, Meeting.id == meeting_startups.c.meeting_id)
                  .where(Meeting.starts_at >= since, Meeting.starts_at <= now, live(Meeting), with_investor))
    last_met = (select(func.max(Meeting.starts_at))
                .join(meeting_startups, meeting_startups.c.meeting_id == Meeting.id)
                .where(meeting_startups.c.startup_id == Startup.id, Meeting.starts_at <= now, live(Meeting),
                       with_investor)
                .correlate(Startup).scalar_subquery())
    inner = (select(Startup.id, last_met.label("last_met"))
             .where(Startup.incubator_status == IncubatorStatus.INCUBATEE, Startup.deleted_at.is_(None),
                    Startup.id.not_in(met_lately)))
    if startup_id is not None:
        inner = inner.where(Startup.id == startup_id)
    if event_id is not None:
        inner = inner.where(Startup.id.in_(select(event_startups.c.startup_id)
                                           .where(event_startups.c.event_id == event_id)))
    # Materialized, so that the look-up runs once per startup and not once for each use of last_met below.
    inner = inner.cte("incubatees").prefix_with("MATERIALIZED")
    stmt = (select(Startup.id, Startup.name, inner.c.last_met, func.count().over().label("total"))
            .join(inner, inner.c.id == Startup.id)
            .where(or_(inner.c.last_met.is_(None), inner.c.last_met < now - timedelta(days=QUIET_DAYS)))
            .order_by(inner.c.last_met.is_(None).desc(), inner.c.last_met, Startup.name_sort).limit(limit)
            .execution_options(include_deleted=True))  # the trash is left out by hand, above
    rows = db.session.execute(stmt).all()
    return QuietIncubatees([(StartupLine(row.id, row.name), row.last_met) for row in rows],
                           rows[0].total if rows else 0)
