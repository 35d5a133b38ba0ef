"""Dashboard figures about deals, each from an aggregate query, and the whole dashboard put together."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Date, Float, Integer, String, case, cast, func, literal, null, or_, select, type_coerce, union_all
from sqlalchemy.orm import selectinload, with_loader_criteria

from crm.common.money import NokTotal
from crm.common.sql import days_between
from crm.common.timeutil import local_days_to_utc, month_start
from crm.dashboard import activity
from crm.deals.queries import DealFilters, StageTotal, filtered, met_at
from crm.extensions import db
from crm.followups import queries as follow_ups
from crm.followups.queries import FollowUpList
from crm.meetings.queries import event_meetings, meetings_of
from crm.models import (NORWAY, OPEN_STAGES, PIPELINE_STAGES, Deal, DealStage, DealStageChange, Event, Investor,
                        Meeting, Startup)
from crm.models.meeting import meeting_investors, meeting_startups
from crm.rates.queries import rates_on

STALE_DAYS = 30
FOLLOW_UP_DAYS = 14


@dataclass(frozen=True)
class Period:
    """Whole Oslo days ``first`` to ``last``, and the one startup and one event the figures are about (None: all)."""

    first: date
    last: date
    startup_id: int | None = None
    event_id: int | None = None

    @classmethod
    def year_of(cls, day: date, startup_id: int | None = None) -> "Period":
        return cls(date(day.year, 1, 1), date(day.year, 12, 31), startup_id)

    @property
    def utc_bounds(self) -> tuple[datetime, datetime]:
        return local_days_to_utc(self.first, self.last)


def _of_startup(stmt, period: Period):
    """Only the startup's deals, and only deals whose startup and investor met at the event, when chosen."""
    if period.event_id:
        stmt = stmt.where(met_at(period.event_id))
    return stmt.where(Deal.startup_id == period.startup_id) if period.startup_id else stmt



# --- the grouped series, from one UNION ALL -------------------------------------------------------
# Each series is a SELECT of the same columns: which series (kind), a number key, a text key, two counts,
# two amounts and a name with its sort key. The page's grouped figures then take one statement.
OPEN_TOTALS, MONTHS, STAGE_TIMES, COMMITTED = range(4)


def _shaped(kind: int, key=None, text=None, n1=None, n2=None, a1=None, a2=None, days=None, name=None,
            name_sort=None) -> list:
    """The series' columns; amounts (a1, a2) keep the amount column's type (its storage), days are a float."""
    amount = Deal.expected_amount.type

    def column(value, type_, label):
        return (cast(null(), type_) if value is None else type_coerce(value, type_)).label(label)

    return [literal(kind, Integer).label("kind"), column(key, Integer(), "key"), column(text, String(), "text"),
            column(n1, Integer(), "n1"), column(n2, Integer(), "n2"), column(a1, amount, "a1"),
            column(a2, amount, "a2"), column(days, Float(), "days"), column(name, String(), "name"),
            column(name_sort, String(), "name_sort")]


@dataclass
class FunnelStep:
    stage: DealStage
    reached: int
    share: Decimal | None  # of the deals created in the period, in per cent


def _funnel_row(period: Period):
    """One row: the deals created in the period, and of them how many reached each stage of the pipeline (by now).

    Reaching a stage counts every stage before it too: a deal moved straight from identified
    to meeting held has been contacted. Passed and on hold reach nothing.
    """
    start, end = period.utc_bounds
    rank = case({stage.value: index for index, stage in enumerate(PIPELINE_STAGES)}, value=DealStageChange.to_stage)
    per_deal = _of_startup(select(DealStageChange.deal_id, func.max(rank).label("reached"))
                           .join(Deal, Deal.id == DealStageChange.deal_id)
                           .where(Deal.created_at >= start, Deal.created_at < end, Deal.deleted_at.is_(None)),
                           period).group_by(DealStageChange.deal_id).subquery()
    return select(func.count().label("created"), *[
        func.coalesce(func.sum(case((per_deal.c.reached >= index, 1), else_=0)), 0).label(f"reached_{index}")
        for index in range(len(PIPELINE_STAGES))]).subquery("funnel")


@dataclass
class KeyFigures:
    overview: activity.Overview
    foreign_investors_met: int
    created: int
    funnel: list["FunnelStep"]


def key_figures(period: Period, now: datetime) -> KeyFigures:
    """The single-number figures (the overview, foreign investors met, the funnel) from one SELECT.

    Runs with ``include_deleted``: every table's "not in the trash" is written out (``activity.live``).
    """
    start, end = period.utc_bounds
    funnel_row = _funnel_row(period)
    stmt = (select(funnel_row, *activity.overview_columns(now),
                   activity.foreign_investors_met(start, end, period.startup_id, now, period.event_id)
                   .label("foreign_met"))
            .execution_options(include_deleted=True))
    row = db.session.execute(stmt).one()
    created = row.created
    reached = [row._mapping[f"reached_{index}"] for index in range(len(PIPELINE_STAGES))]
    return KeyFigures(
        activity.Overview(row.investors or 0, row.foreign_investors or 0, row.incubatees or 0,
                          row.meetings_30_days or 0),
        row.foreign_met or 0, created,
        [FunnelStep(stage, count, _percent(count, created)) for stage, count in zip(PIPELINE_STAGES, reached)])


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class StageTime:
    stage: DealStage
    median_days: Decimal | None
    stays: int


def _stage_time_rows(period: Period):
    """The median days a deal spent in each open stage, over the stays that ended in the period.

    A stay runs from the change into a stage to the deal's next change; deals still in a
    stage are not counted until they leave it (the board shows how long they have been there).
    """
    start, end = period.utc_bounds
    order = (DealStageChange.at, DealStageChange.id)
    left_at = func.lead(DealStageChange.at, type_=DealStageChange.at.type).over(
        partition_by=DealStageChange.deal_id, order_by=order)
    # Only the deals with a change in the period can have a stay that ended in it: the window runs over
    # their changes alone (the index on the changes' time finds them), not over every deal's history.
    changed = select(DealStageChange.deal_id).where(DealStageChange.at >= start, DealStageChange.at < end)
    stays = _of_startup(select(DealStageChange.to_stage.label("stage"), DealStageChange.at.label("entered_at"),
                               left_at.label("left_at")).join(Deal, Deal.id == DealStageChange.deal_id)
                        .where(DealStageChange.deal_id.in_(changed), Deal.deleted_at.is_(None)), period).subquery()
    ended = (select(stays.c.stage, days_between(stays.c.entered_at, stays.c.left_at).label("days"))
             .where(stays.c.left_at >= start, stays.c.left_at < end, stays.c.stage.in_(OPEN_STAGES)).subquery())
    ranked = select(ended.c.stage, ended.c.days,
                    func.row_number().over(partition_by=ended.c.stage, order_by=ended.c.days).label("position"),
                    func.count().over(partition_by=ended.c.stage).label("stays")).subquery()
    # The middle row, or the mean of the two middle rows: the median, on SQLite and PostgreSQL alike.
    middle = or_(ranked.c.position == (ranked.c.stays + 1) // 2, ranked.c.position == (ranked.c.stays + 2) // 2)
    return (select(*_shaped(STAGE_TIMES, text=ranked.c.stage, n1=func.max(ranked.c.stays),
                            days=func.avg(ranked.c.days)))
            .where(middle).group_by(ranked.c.stage))


def _stage_times(rows) -> list[StageTime]:
    found = {DealStage(row.text): (Decimal(str(row.days)).quantize(Decimal("0.1")), row.n1) for row in rows}
    return [StageTime(stage, *found.get(stage, (None, 0))) for stage in OPEN_STAGES]


@dataclass(frozen=True)
class StartupName:
    id: int
    name: str
    name_sort: str


@dataclass
class Commitments:
    """Capital committed in the period, in NOK, split three ways."""

    total: NokTotal = field(default_factory=NokTotal)
    norwegian: NokTotal = field(default_factory=NokTotal)
    foreign: NokTotal = field(default_factory=NokTotal)
    brokered: NokTotal = field(default_factory=NokTotal)  # a meeting between them was logged before
    unbrokered: NokTotal = field(default_factory=NokTotal)
    per_startup: list[tuple[StartupName, NokTotal]] = field(default_factory=list)


def _commitment_rows(period: Period):
    """Committed amounts of the deals committed in the period, by startup, origin, brokered or not, currency.

    A deal is brokered when a meeting between its startup and its investor took place
    before the commitment: capital the cluster's own work led to.
    """
    start, end = period.utc_bounds
    # From the investor's meetings (a few dozen, where a startup has hundreds), one the startup took part in.
    met_before = (select(meeting_investors.c.meeting_id)
                  .join(Meeting, Meeting.id == meeting_investors.c.meeting_id)
                  .where(meeting_investors.c.investor_id == Deal.investor_id,
                         Meeting.starts_at < Deal.stage_changed_at, Meeting.deleted_at.is_(None),
                         select(meeting_startups.c.meeting_id)
                         .where(meeting_startups.c.meeting_id == meeting_investors.c.meeting_id,
                                meeting_startups.c.startup_id == Deal.startup_id)
                         .correlate_except(meeting_startups).exists())
                  .correlate(Deal).exists())
    # A subquery with the brokered flag worked out once per deal, then grouped.
    inner = _of_startup(select(Deal.startup_id, Deal.currency, Deal.committed_amount,
                               case((Investor.country == NORWAY, 0), else_=1).label("foreign"),
                               case((met_before, 1), else_=0).label("brokered"))
                        .join(Investor, Investor.id == Deal.investor_id)
                        .where(Deal.stage == DealStage.COMMITTED, Deal.stage_changed_at >= start,
                               Deal.stage_changed_at < end, Deal.deleted_at.is_(None), Investor.deleted_at.is_(None)),
                        period).subquery("committed")
    return (select(*_shaped(COMMITTED, key=Startup.id, text=inner.c.currency, n1=inner.c.foreign,
                            n2=inner.c.brokered, a1=func.sum(inner.c.committed_amount), name=Startup.name,
                            name_sort=Startup.name_sort))
            .join(inner, inner.c.startup_id == Startup.id).where(Startup.deleted_at.is_(None))
            .group_by(Startup.id, Startup.name, Startup.name_sort, inner.c.foreign, inner.c.brokered,
                      inner.c.currency))


def _commitments(rows, rates: Mapping[str, Decimal]) -> Commitments:
    result = Commitments()
    per_startup: dict[int, tuple[StartupName, NokTotal]] = {}
    for row in rows:
        for total in (result.total, result.foreign if row.n1 else result.norwegian,
                      result.brokered if row.n2 else result.unbrokered,
                      per_startup.setdefault(row.key, (StartupName(row.key, row.name, row.name_sort), NokTotal()))[1]):
            total.add(row.a1, row.text, rates)
    result.per_startup = sorted(per_startup.values(), key=lambda pair: (-pair[1].nok, pair[0].name_sort))
    return result


def _open_total_rows(period: Period):
    """All open deals now, per stage and currency (the pipeline's column totals, on the same filters)."""
    return filtered(select(*_shaped(OPEN_TOTALS, text=Deal.stage, n1=func.count(Deal.id),
                                    a1=func.sum(Deal.expected_amount), a2=func.sum(Deal.committed_amount),
                                    name=Deal.currency))
                    .where(Deal.deleted_at.is_(None)).group_by(Deal.stage, Deal.currency),
                    DealFilters(startup=period.startup_id, event=period.event_id))


def _open_totals(rows, rates: Mapping[str, Decimal]) -> list[StageTotal]:
    """As the pipeline's ``stage_totals`` sums them."""
    totals = {stage: StageTotal(stage) for stage in OPEN_STAGES}
    for row in rows:
        total = totals.get(DealStage(row.text))
        if total is None:
            continue
        total.count += row.n1
        for amount, by_currency, nok in ((row.a1, total.expected_by_currency, total.expected),
                                         (row.a2, total.committed_by_currency, total.committed)):
            if amount is not None:
                by_currency[row.name] = by_currency.get(row.name, Decimal(0)) + amount
                nok.add(amount, row.name, rates)
    return [totals[stage] for stage in OPEN_STAGES]


@dataclass(frozen=True)
class Party:
    """A deal's startup or investor as the lists name it."""

    id: int
    name: str
    country: str | None = None

    @property
    def is_foreign(self) -> bool:
        return self.country is not None and self.country != NORWAY


@dataclass(frozen=True)
class DealLine:
    id: int
    stage: DealStage
    startup: Party
    investor: Party


@dataclass
class StaleDeals:
    deals: list[tuple[DealLine, datetime]]  # with the last stage change or meeting
    total: int


def stale_deals(now: datetime, startup_id: int | None, limit: int = 10, event_id: int | None = None) -> StaleDeals:
    """Open deals with no stage change and no meeting between their parties for 30 days, quietest first."""
    # From the investor's meetings (a few dozen, where a startup has hundreds), those the startup took part in.
    last_met = (select(func.max(Meeting.starts_at)).select_from(meeting_investors)
                .join(Meeting, Meeting.id == meeting_investors.c.meeting_id)
                .where(meeting_investors.c.investor_id == Deal.investor_id, Meeting.starts_at <= now,
                       select(meeting_startups.c.meeting_id)
                       .where(meeting_startups.c.meeting_id == meeting_investors.c.meeting_id,
                              meeting_startups.c.startup_id == Deal.startup_id)
                       .correlate_except(meeting_startups).exists())
                .correlate(Deal).scalar_subquery())
    inner = select(Deal.id, Deal.stage_changed_at, last_met.label("last_met")).where(
        Deal.stage.in_(OPEN_STAGES), Deal.stage_changed_at < now - timedelta(days=STALE_DAYS))
    if startup_id is not None:
        inner = inner.where(Deal.startup_id == startup_id)
    if event_id is not None:
        inner = inner.where(met_at(event_id))
    # Materialized, so that the look-up runs once per deal and not once for each use of last_met below.
    inner = inner.cte("open_deals").prefix_with("MATERIALIZED")
    cutoff = now - timedelta(days=STALE_DAYS)
    last_activity = case((inner.c.last_met > inner.c.stage_changed_at, inner.c.last_met),
                         else_=inner.c.stage_changed_at)
    # The columns the list shows, not the deals, startups and investors as objects.
    stmt = (select(Deal.id, Deal.stage, Startup.id.label("startup_id"), Startup.name.label("startup_name"),
                   Investor.id.label("investor_id"), Investor.name.label("investor_name"), Investor.country,
                   last_activity.label("last_activity"), func.count().over().label("total"))
            .join(inner, inner.c.id == Deal.id)
            .join(Startup, Startup.id == Deal.startup_id).join(Investor, Investor.id == Deal.investor_id)
            .where(inner.c.stage_changed_at < cutoff, or_(inner.c.last_met.is_(None), inner.c.last_met < cutoff))
            .order_by(last_activity, Deal.id).limit(limit))
    rows = db.session.execute(stmt).all()
    return StaleDeals([(DealLine(row.id, row.stage, Party(row.startup_id, row.startup_name),
                                 Party(row.investor_id, row.investor_name, row.country)), row.last_activity)
                       for row in rows], rows[0].total if rows else 0)


@dataclass
class Dashboard:
    period: Period
    today: date
    rates_day: date  # the period's amounts are converted at this day's rates; open deals at today's
    overview: activity.Overview
    open_by_stage: list[StageTotal]
    created: int
    funnel: list[FunnelStep]
    stage_times: list[StageTime]
    months: list[activity.MonthCount]
    commitments: Commitments
    foreign_investors_met: int
    stale: StaleDeals
    due: FollowUpList
    overdue: FollowUpList
    quiet: activity.QuietIncubatees
    recent_meetings: list[Meeting]

    @property
    def open_total(self) -> StageTotal:
        total = StageTotal(DealStage.IDENTIFIED)
        for column in self.open_by_stage:
            total.count += column.count
            total.expected = total.expected + column.expected
        return total


def dashboard(period: Period, now: datetime, today: date) -> Dashboard:
    """Every figure of the dashboard for the period (and startup), amounts in NOK.

    What is about now (the open deals) is converted at today's rates, as on the pipeline;
    what is about the period (commitments) at the rates of its last day, or today's while it runs.
    """
    rates_day = min(period.last, today)
    rates_now = rates_on(today)
    rates = rates_now if rates_day == today else rates_on(rates_day)
    figures = key_figures(period, now)
    last_month = month_start(rates_day)
    series = (union_all(_open_total_rows(period),
                        activity.meetings_per_month_rows(last_month, period.startup_id, now, period.event_id,
                                                         _shaped(MONTHS)),
                        _stage_time_rows(period), _commitment_rows(period))
              .execution_options(include_deleted=True))  # every part leaves the trash out itself
    by_kind: dict[int, list] = {OPEN_TOTALS: [], MONTHS: [], STAGE_TIMES: [], COMMITTED: []}
    for row in db.session.execute(series):
        by_kind[row.kind].append(row)
    due, overdue = follow_ups.due_and_overdue(today, FOLLOW_UP_DAYS, period.startup_id, period.event_id)
    return Dashboard(
        period=period, today=today, rates_day=rates_day, overview=figures.overview,
        open_by_stage=_open_totals(by_kind[OPEN_TOTALS], rates_now), created=figures.created,
        funnel=figures.funnel, stage_times=_stage_times(by_kind[STAGE_TIMES]),
        months=activity.meetings_per_month(last_month, by_kind[MONTHS]),
        commitments=_commitments(by_kind[COMMITTED], rates),
        foreign_investors_met=figures.foreign_investors_met,
        stale=stale_deals(now, period.startup_id, event_id=period.event_id),
        due=due, overdue=overdue,
        quiet=activity.quiet_incubatees(now, period.startup_id, event_id=period.event_id),
        recent_meetings=_recent_meetings(period),
    )


def _recent_meetings(period: Period) -> list[Meeting]:
    if period.event_id:
        return event_meetings(period.event_id, period.startup_id, 8)
    if period.startup_id:
        return meetings_of("startup", period.startup_id, 8)
    # The newest meetings from the start-time index. Run with ``include_deleted`` (the trash is left out by hand,
    # for the meetings and for the startups and investors loaded with them): SQLite, without statistics, would
    # otherwise read every live meeting through the deleted_at index and sort them all.
    stmt = (select(Meeting).where(activity.live(Meeting)).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(8).execution_options(include_deleted=True)
            .options(selectinload(Meeting.startups), selectinload(Meeting.investors).lazyload(Investor.focus),
                     with_loader_criteria(Startup, activity.live(Startup)),
                     with_loader_criteria(Investor, activity.live(Investor))))
    return list(db.session.scalars(stmt))


def choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The pickers' startups (Norwegian order) and events (newest first, "Name (first day)"), from one statement."""
    startups = select(literal(0, Integer).label("kind"), Startup.id, Startup.name, Startup.name_sort.label("sort"),
                      cast(null(), Date).label("starts_on"))
    events = select(literal(1, Integer).label("kind"), Event.id, Event.name, Event.name_sort.label("sort"),
                    Event.starts_on)
    both = union_all(startups, events).subquery("choices")
    rows = db.session.execute(select(both).order_by(both.c.kind, both.c.starts_on.desc(), both.c.sort))
    found: tuple[list, list] = ([], [])
    for row in rows:
        found[row.kind].append((row.id, row.name) if row.kind == 0 else
                               (row.id, f"{row.name} ({row.starts_on.isoformat()})"))
    return found
