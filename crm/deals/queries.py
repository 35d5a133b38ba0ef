"""Reads for the pipeline: the board's columns and totals, the table, one deal, and the deals on other pages."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import ngettext
from sqlalchemy import Select, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from crm.common.money import DEFAULT_CURRENCY, NokTotal, convert
from crm.common.timeutil import local_today
from crm.extensions import db
from crm.models import (BOARD_STAGES, NORWAY, Deal, DealStage, DealStageChange, ExchangeRate, FollowUp, Investor,
                        Meeting, RoundKind, Startup, TherapeuticArea, User)
from crm.models.meeting import meeting_investors, meeting_startups


@dataclass
class DealFilters:
    startup: int | None = None
    round: str = ""
    owner: int | None = None
    country: str = ""
    origin: str = ""  # "norwegian", "foreign" or ""
    area: str = ""  # the startup's therapeutic area
    stage: str = ""  # the table only; the board has a column per stage
    event: int | None = None  # deals whose startup and investor met at this event
    sort: str = "stage"


def filtered(stmt: Select, filters: DealFilters) -> Select:
    """``stmt`` (over deals) narrowed to the deals the filters keep."""
    if filters.startup:
        stmt = stmt.where(Deal.startup_id == filters.startup)
    if filters.round:
        stmt = stmt.where(Deal.round_kind == RoundKind(filters.round))
    if filters.owner:
        stmt = stmt.where(Deal.owner_id == filters.owner)
    if filters.stage:
        stmt = stmt.where(Deal.stage == DealStage(filters.stage))
    if filters.event:
        stmt = stmt.where(met_at(filters.event))
    investor_conditions = []
    if filters.country:
        investor_conditions.append(Investor.country == filters.country)
    if filters.origin == "norwegian":
        investor_conditions.append(Investor.country == NORWAY)
    elif filters.origin == "foreign":
        investor_conditions.append(Investor.country != NORWAY)
    if investor_conditions:
        stmt = stmt.where(Deal.investor_id.in_(select(Investor.id).where(*investor_conditions)))
    if filters.area:
        stmt = stmt.where(Deal.startup_id.in_(
            select(Startup.id).where(Startup.therapeutic_area == TherapeuticArea(filters.area))))
    return stmt


# --- the board ---------------------------------------------------------------------------------

@dataclass
class StageTotal:
    """One stage's deals: how many, and their amounts per currency and in NOK."""

    stage: DealStage
    count: int = 0
    expected_by_currency: dict[str, Decimal] = field(default_factory=dict)
    committed_by_currency: dict[str, Decimal] = field(default_factory=dict)
    expected: NokTotal = field(default_factory=NokTotal)
    committed: NokTotal = field(default_factory=NokTotal)


def stage_totals(filters: DealFilters, rates: Mapping[str, Decimal]) -> dict[DealStage, StageTotal]:
    """Per stage, the number of deals and their expected and committed amounts, from one GROUP BY stage, currency."""
    stmt = filtered(select(Deal.stage, Deal.currency, func.count(Deal.id), func.sum(Deal.expected_amount),
                           func.sum(Deal.committed_amount)).group_by(Deal.stage, Deal.currency), filters)
    totals = {stage: StageTotal(stage) for stage in DealStage}
    for stage, currency, count, expected, committed in db.session.execute(stmt):
        total = totals[stage]
        total.count += count
        for amount, by_currency, nok in ((expected, total.expected_by_currency, total.expected),
                                         (committed, total.committed_by_currency, total.committed)):
            if amount is not None:
                by_currency[currency] = by_currency.get(currency, Decimal(0)) + amount
                nok.add(amount, currency, rates)
    return totals


def _pair_meetings(*columns) -> Select:
    """Meetings in which the deal's startup and investor both took part (correlated to Deal)."""
    return (select(*columns).select_from(Meeting)
            .join(meeting_startups, meeting_startups.c.meeting_id == Meeting.id)
            .join(meeting_investors, meeting_investors.c.meeting_id == Meeting.id)
            .where(meeting_startups.c.startup_id == Deal.startup_id,
                   meeting_investors.c.investor_id == Deal.investor_id))


def met_at(event_id: int):
    """The condition (correlated to Deal) that the deal's startup and investor met at an event."""
    return _pair_meetings(Meeting.id).where(Meeting.event_id == event_id, Meeting.deleted_at.is_(None)).exists()


def deals_met_at(event_id: int) -> Select:
    """The ids of the deals whose startup and investor met at an event."""
    return select(Deal.id).where(met_at(event_id))


def first_open_follow_up():
    """The due day of the deal's earliest open follow-up, or NULL (a scalar subquery correlated to Deal).

    A follow-up counts when it is on the deal itself or on a meeting of the deal's startup and
    investor together; one on the startup or the investor alone is not about this deal. The
    caller compares the day with today: a ``due_on < today`` here would make SQLite walk the
    due-date index through nearly every follow-up for each deal.
    """
    still_open = (FollowUp.done_at.is_(None), FollowUp.deleted_at.is_(None))
    on_deal = select(FollowUp.due_on).where(*still_open, FollowUp.deal_id == Deal.id).correlate(Deal)
    # From the investor's meetings (a few dozen, where a startup has hundreds), those the startup took part in.
    on_pair_meetings = (
        select(FollowUp.due_on).select_from(meeting_investors)
        .join(Meeting, Meeting.id == meeting_investors.c.meeting_id)
        .join(FollowUp, FollowUp.meeting_id == meeting_investors.c.meeting_id)
        .where(meeting_investors.c.investor_id == Deal.investor_id, Meeting.deleted_at.is_(None), *still_open,
               select(meeting_startups.c.meeting_id)
               .where(meeting_startups.c.meeting_id == meeting_investors.c.meeting_id,
                      meeting_startups.c.startup_id == Deal.startup_id)
               .correlate_except(meeting_startups).exists())
        .correlate(Deal))
    days = union_all(on_deal, on_pair_meetings).subquery()
    return select(func.min(days.c.due_on)).correlate(Deal).scalar_subquery()


@dataclass
class Card:
    deal: Deal
    overdue_since: date | None = None  # the longest-overdue open follow-up's day (open deals only)

    def days_in_stage(self, now: datetime) -> int:
        return max(0, (now - self.deal.stage_changed_at).days)

    @property
    def follow_up_overdue(self) -> bool:
        return self.deal.stage.is_open and self.overdue_since is not None


def _with_parties(stmt: Select) -> Select:
    # Many-to-one, so joined into the deals' own statement; the investor's focus is not shown with a deal.
    return stmt.options(joinedload(Deal.startup), joinedload(Deal.investor).lazyload(Investor.focus),
                        joinedload(Deal.owner))


def board_cards(filters: DealFilters, per_column: int, now: datetime) -> dict[DealStage, list[Card]]:
    """The first ``per_column`` deals of each stage, newest activity first, in one statement (and its loads).

    Each column's deals come from their own ``ORDER BY ... LIMIT`` on the (stage, deleted_at, updated_at)
    index, joined with UNION ALL, so that the board reads its cards and not every deal; the overdue
    follow-ups are looked up for those cards alone.
    """
    activity = (Deal.updated_at.desc(), Deal.id.desc())
    firsts = [filtered(select(Deal.id).where(Deal.stage == stage, Deal.deleted_at.is_(None)), filters)
              .order_by(*activity).limit(per_column).subquery() for stage in BOARD_STAGES]
    shown = union_all(*[select(first.c.id) for first in firsts])
    stmt = _with_parties(select(Deal, first_open_follow_up()).where(Deal.id.in_(shown)).order_by(*activity))
    today = local_today(now)
    columns: dict[DealStage, list[Card]] = {stage: [] for stage in BOARD_STAGES}
    for deal, first_due in db.session.execute(stmt):
        columns[deal.stage].append(Card(deal, first_due if first_due is not None and first_due < today else None))
    return columns


# --- the table ---------------------------------------------------------------------------------

STAGE_ORDER = case({stage.value: index for index, stage in enumerate(BOARD_STAGES)}, value=Deal.stage)


def _nok_order(rates: Mapping[str, Decimal]):
    # For sorting only: the expected amount in NOK, as near as a float gets; no rate sorts last.
    return case({currency: Deal.expected_amount * literal(float(rate)) for currency, rate in rates.items()},
                value=Deal.currency, else_=None)


def deal_table(filters: DealFilters, rates: Mapping[str, Decimal]) -> Select:
    """The deals the filters keep, sorted by ``filters.sort``; paginate the result."""
    sorts = {"startup": select(Startup.name_sort).where(Startup.id == Deal.startup_id).scalar_subquery(),
             "investor": select(Investor.name_sort).where(Investor.id == Deal.investor_id).scalar_subquery(),
             "owner": select(User.name_sort).where(User.id == Deal.owner_id).scalar_subquery(),
             "stage": STAGE_ORDER, "amount": _nok_order(rates), "changed": Deal.stage_changed_at,
             "updated": Deal.updated_at}
    key = filters.sort.lstrip("-")
    column = sorts.get(key, STAGE_ORDER)
    order = column.desc() if filters.sort.startswith("-") else column.asc()
    return _with_parties(filtered(select(Deal), filters)).order_by(order.nulls_last(), Deal.updated_at.desc(),
                                                                   Deal.id.desc())


# --- one deal, and the deals on other pages ----------------------------------------------------------

def get_deal(deal_id: int) -> Deal:
    """One deal with its parties, owner and stage history. :raise 404: when there is none."""
    stmt = _with_parties(select(Deal).where(Deal.id == deal_id)).options(
        selectinload(Deal.changes).selectinload(DealStageChange.user))
    return db.first_or_404(stmt)


def deals_of(kind: str, record_id: int, limit: int = 50) -> list[Deal]:
    """The deals of a startup or an investor, along the pipeline and then by name."""
    column, other = ((Deal.startup_id, Investor) if kind == "startup" else (Deal.investor_id, Startup))
    other_id = Deal.investor_id if kind == "startup" else Deal.startup_id
    stmt = (select(Deal).join(other, other.id == other_id).where(column == record_id)
            .order_by(STAGE_ORDER, other.name_sort, Deal.id).limit(limit))
    return list(db.session.scalars(_with_parties(stmt)))


def deals_to_offer_meeting_held(startup_ids: list[int], investor_ids: list[int]) -> list[Deal]:
    """Open deals between these startups and investors that are still before "meeting held"."""
    if not startup_ids or not investor_ids:
        return []
    earlier = [stage for stage in DealStage if stage.rank is not None and stage.rank < DealStage.MEETING_HELD.rank]
    stmt = (select(Deal).where(Deal.startup_id.in_(startup_ids), Deal.investor_id.in_(investor_ids),
                               Deal.stage.in_(earlier)).order_by(Deal.id))
    return list(db.session.scalars(_with_parties(stmt)))


@dataclass
class RoundSummary:
    """A startup's current round: the target, what is committed, the deals by stage, the investors met."""

    target: Decimal | None
    currency: str
    committed: Decimal = Decimal(0)
    committed_apart: dict[str, Decimal] = field(default_factory=dict)  # currencies without a rate
    by_stage: list[tuple[DealStage, int]] = field(default_factory=list)
    investors_met: list[tuple[Investor, datetime]] = field(default_factory=list)
    investors_met_total: int = 0

    @property
    def deal_count(self) -> int:
        return sum(count for _stage, count in self.by_stage)

    @property
    def share_of_target(self) -> int | None:
        if not self.target:
            return None
        return int(min(100, self.committed * 100 / self.target))


def round_summary(startup: Startup, rates: Mapping[str, Decimal], now: datetime, limit: int = 20) -> RoundSummary:
    """The startup's current round, with committed amounts converted to the round's currency."""
    summary = RoundSummary(startup.round_target, startup.round_currency)
    if startup.round_kind is not None:
        totals = stage_totals(DealFilters(startup=startup.id, round=startup.round_kind.value), rates)
        summary.by_stage = [(stage, totals[stage].count) for stage in BOARD_STAGES if totals[stage].count]
        for currency, amount in totals[DealStage.COMMITTED].committed_by_currency.items():
            converted = convert(amount, currency, startup.round_currency, rates)
            if converted is None:
                summary.committed_apart[currency] = amount
            else:
                summary.committed += converted
    last_met = func.max(Meeting.starts_at).label("last_met")
    rows = db.session.execute(
        select(Investor, last_met, func.count().over().label("total"))
        .join(meeting_investors, meeting_investors.c.investor_id == Investor.id)
        .join(Meeting, Meeting.id == meeting_investors.c.meeting_id)
        .join(meeting_startups, meeting_startups.c.meeting_id == Meeting.id)
        .where(meeting_startups.c.startup_id == startup.id, Meeting.starts_at <= now)
        .group_by(Investor.id).order_by(last_met.desc(), Investor.id).limit(limit)).all()
    summary.investors_met = [(row.Investor, row.last_met) for row in rows]
    summary.investors_met_total = rows[0].total if rows else 0
    return summary


# --- pickers -------------------------------------------------------------------------------------

def investors_outside_round(startup: Startup) -> list[tuple[int, str, bool]]:
    """(id, name, foreign) of the investors not yet in the pipeline of the startup's current round."""
    in_round = select(Deal.investor_id).where(Deal.startup_id == startup.id, Deal.round_kind == startup.round_kind)
    rows = db.session.execute(select(Investor.id, Investor.name, Investor.country)
                              .where(Investor.id.not_in(in_round)).order_by(Investor.name_sort))
    return [(row.id, row.name, row.country != NORWAY) for row in rows]


def startups_open_for(investor: Investor) -> list[tuple[int, str, RoundKind]]:
    """(id, name, round) of the startups with a round open whose pipeline the investor is not in yet."""
    in_round = select(Deal.id).where(Deal.startup_id == Startup.id, Deal.investor_id == investor.id,
                                     Deal.round_kind == Startup.round_kind)
    rows = db.session.execute(select(Startup.id, Startup.name, Startup.round_kind)
                              .where(Startup.round_kind.is_not(None), ~in_round.exists())
                              .order_by(Startup.name_sort))
    return [(row.id, row.name, row.round_kind) for row in rows]


def deals_deleted_too(startup_id: int | None = None, investor_id: int | None = None) -> str:
    """The sentence a delete confirmation adds for the deals that go with the startup or investor."""
    stmt = select(func.count(Deal.id))
    if startup_id is not None:
        stmt = stmt.where(Deal.startup_id == startup_id)
    if investor_id is not None:
        stmt = stmt.where(Deal.investor_id == investor_id)
    count = db.session.scalar(stmt) or 0
    if not count:
        return ""
    return " " + ngettext("Its deal goes to the trash with it.",
                          "Its %(num)s deals go to the trash with it.", count)



@dataclass
class BoardLookups:
    startups: list[tuple[int, str]]  # the startup menu: every startup, (id, name) in Norwegian order
    owners: list[tuple[int, str]]  # the owner menu: every active user
    rates: dict[str, Decimal]  # each currency's rate to NOK on the day, as crm.rates.queries.rates_on gives


def board_lookups(day: date) -> BoardLookups:
    """The board's startup and owner menus and the exchange rates of ``day``, in one statement (UNION ALL).

    The rates are those ``rates_on(day)`` reads: each currency's latest rate valid from ``day`` or before;
    NOK is 1.
    """
    rate_type = ExchangeRate.rate_to_nok.type
    startups = select(literal(0).label("part"), Startup.id, Startup.name, Startup.name_sort,
                      cast(null(), rate_type).label("rate"))
    owners = select(literal(1), User.id, User.name, User.name_sort, null()).where(User.active)
    latest = (select(ExchangeRate.currency, func.max(ExchangeRate.valid_from).label("valid_from"))
              .where(ExchangeRate.valid_from <= day).group_by(ExchangeRate.currency).subquery())
    rates = (select(literal(2), null(), ExchangeRate.currency, ExchangeRate.currency, ExchangeRate.rate_to_nok)
             .join(latest, (latest.c.currency == ExchangeRate.currency)
                   & (latest.c.valid_from == ExchangeRate.valid_from)))
    both = union_all(startups, owners, rates).subquery()
    rows = db.session.execute(select(both.c.part, both.c.id, both.c.name, both.c.rate)
                              .order_by(both.c.part, both.c.name_sort, both.c.id))
    found = BoardLookups([], [], {})
    for part, record_id, name, rate in rows:
        if part == 2:
            found.rates[name] = rate
        else:
            (found.startups if part == 0 else found.owners).append((record_id, name))
    found.rates[DEFAULT_CURRENCY] = Decimal(1)
    return found
