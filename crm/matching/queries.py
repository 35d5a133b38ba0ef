"""Suggesting investors for a startup's current round, each with the reasons it fits and a score.

An investor is suggested when it is not in the round's pipeline yet, is not inactive, is in the chosen
region, and nothing it has recorded rules the startup out: a focus it states (therapeutic areas,
modalities, development stages) must include the startup's, and its smallest ticket must not exceed the
round's target (converted to the investor's currency at the given rates). What it has not recorded
neither counts for it nor against it. Each criterion met earns points (area 3, modality 2, stage 2,
ticket 2); at least one must be met, and suggestions rank by points, then by name. Investors that passed
on an earlier round of this startup are listed apart, with their reason.

The rules are applied in SQL (``_ranked``), so a page never loads the investors that do not fit: the
startup's page asks for the three best with the two counts (one statement, and one to load those three),
the suggestions page for all that fit. The reasons are then written in Python by ``assess``, from the same
rules, for the investors shown.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, false, func, literal, null, or_, select
from sqlalchemy.orm import joinedload

from crm.common.formatting import money
from crm.common.money import Amount, convert
from crm.common.validators import country_name
from crm.extensions import db
from crm.models import (NORWAY, Deal, DealStage, DevelopmentStage, FocusDimension, Investor, InvestorStatus,
                        InvestorFocus, Modality, Startup, TherapeuticArea)

POINTS = {"area": 3, "modality": 2, "stage": 2, "ticket": 2}
MAX_SCORE = sum(POINTS.values())
NORDIC = frozenset({"NO", "SE", "DK", "FI", "IS", "FO", "GL", "AX"})
EUROPE = NORDIC | frozenset({
    "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "EE", "ES", "FR", "GB", "GG", "GI", "GR", "HR",
    "HU", "IE", "IM", "IT", "JE", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "PL", "PT", "RO", "RS",
    "SI", "SJ", "SK", "SM", "UA", "VA", "XK"})
REGIONS = {"any": None, "norway": frozenset({NORWAY}), "abroad": None, "nordic": NORDIC, "europe": EUROPE}


def in_region(country: str, region: str) -> bool:
    """Whether an investor's country lies in the region chosen on the page ("abroad": anywhere but Norway)."""
    if region == "abroad":
        return country != NORWAY
    countries = REGIONS.get(region)
    return countries is None or country in countries


@dataclass
class Suggestion:
    investor: Investor
    score: int = 0
    reasons: list[str] = field(default_factory=list)  # why it fits
    unknown: list[str] = field(default_factory=list)  # what it has not recorded, so could not be compared
    passed: Deal | None = None  # an earlier round in which it passed on this startup


@dataclass
class Matches:
    suggestions: list[Suggestion] = field(default_factory=list)
    passed_before: list[Suggestion] = field(default_factory=list)
    # How many there are in all; more than the lists hold when only the first few were asked for.
    suggestions_total: int = 0
    passed_total: int = 0

    @property
    def all(self) -> list[Suggestion]:
        return self.suggestions + self.passed_before


def _focus(suggestion: Suggestion, key: str, dimension: FocusDimension, value, vocabulary, unknown: str) -> bool:
    """Score one focus dimension; False when the investor's stated focus leaves the startup out."""
    stated = suggestion.investor.focus_values(dimension)
    if not stated:
        suggestion.unknown.append(unknown)
        return True
    if value.value not in stated:
        return False
    suggestion.score += POINTS[key]
    suggestion.reasons.append({"area": _("Focus area: %(label)s"), "modality": _("Modality: %(label)s"),
                               "stage": _("Stage: %(label)s")}[key] % {"label": vocabulary(value).label})
    return True


def _ticket(suggestion: Suggestion, startup: Startup, rates: Mapping[str, Decimal]) -> bool:
    """Score the ticket; False when the investor's smallest ticket is more than the whole round."""
    investor = suggestion.investor
    if investor.ticket_min is None and investor.ticket_max is None:
        suggestion.unknown.append(_("No ticket size recorded"))
        return True
    if startup.round_target is None:
        suggestion.unknown.append(_("The round has no target"))
        return True
    target = convert(startup.round_target, startup.round_currency, investor.currency, rates)
    if target is None:
        suggestion.unknown.append(_("No exchange rate for %(currency)s", currency=(
            startup.round_currency if startup.round_currency not in rates else investor.currency)))
        return True
    if investor.ticket_min is not None and investor.ticket_min > target:
        return False
    low, high = (money(amount, investor.currency) or "…" for amount in (investor.ticket_min, investor.ticket_max))
    span = f"{low}–{high}"
    round_text = money(startup.round_target, startup.round_currency)
    if investor.currency != startup.round_currency:
        round_text += f" ({money(target, investor.currency)})"
    suggestion.score += POINTS["ticket"]
    suggestion.reasons.append(_("Ticket %(span)s fits a round of %(target)s", span=span, target=round_text))
    return True


def assess(investor: Investor, startup: Startup, rates: Mapping[str, Decimal]) -> Suggestion | None:
    """How well one investor fits the startup's round: a Suggestion, or None when something rules it out."""
    suggestion = Suggestion(investor)
    fits = (_focus(suggestion, "area", FocusDimension.AREA, startup.therapeutic_area, TherapeuticArea,
                   _("No therapeutic areas recorded"))
            and _focus(suggestion, "modality", FocusDimension.MODALITY, startup.modality, Modality,
                       _("No modalities recorded"))
            and _focus(suggestion, "stage", FocusDimension.STAGE, startup.development_stage, DevelopmentStage,
                       _("No development stages recorded"))
            and _ticket(suggestion, startup, rates))
    if not fits or suggestion.score == 0:
        return None
    suggestion.reasons.append(_("Based in %(country)s", country=country_name(investor.country)))
    return suggestion


def _region_filter(region: str):
    if region == "abroad":
        return Investor.country != NORWAY
    countries = REGIONS.get(region)
    return None if countries is None else Investor.country.in_(sorted(countries))


def _focus_terms(dimension: FocusDimension, value) -> tuple:
    """(fits, points) in SQL: an investor fits unless it states this dimension without the startup's value."""
    about = (InvestorFocus.investor_id == Investor.id, InvestorFocus.dimension == dimension)
    hit = exists().where(*about, InvestorFocus.value == value.value)
    return or_(~exists().where(*about), hit), hit


def _ticket_terms(startup: Startup, rates: Mapping[str, Decimal]) -> tuple:
    """(fits, met) in SQL, as ``_ticket``: the round's target in each currency it converts to, by a CASE."""
    if startup.round_target is None:
        return None, false()
    targets = {}
    for currency in sorted({startup.round_currency, *rates}):
        target = convert(startup.round_target, startup.round_currency, currency, rates)
        if target is not None:
            targets[currency] = literal(target, Amount)
    if not targets:
        return None, false()
    target = case(targets, value=Investor.currency, else_=null())
    fits = or_(Investor.ticket_min.is_(None), target.is_(None), Investor.ticket_min <= target)
    met = and_(or_(Investor.ticket_min.is_not(None), Investor.ticket_max.is_not(None)), target.is_not(None),
               or_(Investor.ticket_min.is_(None), Investor.ticket_min <= target))
    return fits, met


def _ranked(startup: Startup, rates: Mapping[str, Decimal], region: str):
    """Every investor that fits, as (id, score, passed before, name_sort) rows of a subquery."""
    terms = [_focus_terms(FocusDimension.AREA, startup.therapeutic_area),
             _focus_terms(FocusDimension.MODALITY, startup.modality),
             _focus_terms(FocusDimension.STAGE, startup.development_stage)]
    ticket_fits, ticket_met = _ticket_terms(startup, rates)
    score = (case((terms[0][1], POINTS["area"]), else_=0) + case((terms[1][1], POINTS["modality"]), else_=0)
             + case((terms[2][1], POINTS["stage"]), else_=0) + case((ticket_met, POINTS["ticket"]), else_=0))
    in_round = select(Deal.investor_id).where(Deal.startup_id == startup.id, Deal.round_kind == startup.round_kind,
                                              Deal.deleted_at.is_(None))
    passed = exists().where(Deal.investor_id == Investor.id, Deal.startup_id == startup.id,
                            Deal.stage == DealStage.PASSED, Deal.round_kind != startup.round_kind,
                            Deal.deleted_at.is_(None))
    conditions = [Investor.deleted_at.is_(None), Investor.status != InvestorStatus.INACTIVE,
                  Investor.id.not_in(in_round), *(fits for fits, _hit in terms), score > 0]
    for extra in (ticket_fits, _region_filter(region)):
        if extra is not None:
            conditions.append(extra)
    return (select(Investor.id.label("id"), score.label("score"),
                   case((passed, 1), else_=0).label("passed"), Investor.name_sort.label("name_sort"))
            .where(*conditions).subquery("fitting"))


def match_investors(startup: Startup, rates: Mapping[str, Decimal], region: str = "any",
                    limit: int | None = None) -> Matches:
    """The investors to suggest for the startup's current round, best first, with their totals.

    ``limit``: only the first so many of each list are loaded (the totals still count them all).
    """
    if startup.round_kind is None:
        return Matches()
    fitting = _ranked(startup, rates, region)
    order = (fitting.c.score.desc(), fitting.c.name_sort, fitting.c.id)
    ranked = select(fitting.c.id, fitting.c.passed,
                    func.row_number().over(partition_by=fitting.c.passed, order_by=order).label("place"),
                    func.count().over(partition_by=fitting.c.passed).label("total")).subquery("ranked")
    stmt = select(ranked.c.id, ranked.c.passed, ranked.c.total).order_by(ranked.c.passed, ranked.c.place)
    if limit is not None:  # of those who passed before, only the total: one row carries it
        stmt = stmt.where(ranked.c.place <= case((ranked.c.passed == 1, 1), else_=limit))
    rows = db.session.execute(stmt).all()
    result = Matches()
    for row in rows:
        if row.passed:
            result.passed_total = row.total
        else:
            result.suggestions_total = row.total
    if limit is not None:
        rows = [row for row in rows if not row.passed]
    ids = [row.id for row in rows]
    investors = {investor.id: investor for investor in db.session.scalars(
        select(Investor).where(Investor.id.in_(ids)).options(joinedload(Investor.focus))).unique()}
    passed = {}
    if result.passed_total:
        passes = db.session.scalars(
            select(Deal).where(Deal.startup_id == startup.id, Deal.stage == DealStage.PASSED,
                               Deal.round_kind != startup.round_kind,
                               Deal.investor_id.in_([row.id for row in rows if row.passed]))
            .order_by(Deal.stage_changed_at))
        passed = {deal.investor_id: deal for deal in passes}  # the latest pass wins
    for row in rows:
        suggestion = assess(investors[row.id], startup, rates)
        if suggestion is None:  # the SQL and Python rules disagree: never expected, never shown
            continue
        suggestion.passed = passed.get(row.id)
        (result.passed_before if row.passed else result.suggestions).append(suggestion)
    return result
