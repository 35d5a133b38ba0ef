"""Suggesting investors for a startup's current round, each with the reasons it fits and a score.

An investor is suggested when it is not in the round's pipeline yet, is not inactive, is in the chosen
region, and nothing it has recorded rules the startup out: a focus it states (therapeutic areas,
modalities, development stages) must include the startup's, and its smallest ticket must not exceed the
round's target (converted to the investor's currency at the given rates). What it has not recorded
neither counts for it nor against it. Each criterion met earns points (area 3, modality 2, stage 2,
ticket 2); at least one must be met, and suggestions rank by points, then by name. Investors that passed
on an earlier round of this startup are listed apart, with their reason.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm.common.formatting import money
from crm.common.money import convert
from crm.common.validators import country_name
from crm.extensions import db
from crm.models import (NORWAY, Deal, DealStage, DevelopmentStage, FocusDimension, Investor, InvestorStatus,
                        Modality, Startup, TherapeuticArea)

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


def match_investors(startup: Startup, rates: Mapping[str, Decimal], region: str = "any") -> Matches:
    """The investors to suggest for the startup's current round, best first, in three queries."""
    if startup.round_kind is None:
        return Matches()
    in_round = select(Deal.investor_id).where(Deal.startup_id == startup.id, Deal.round_kind == startup.round_kind)
    candidates = db.session.scalars(
        select(Investor).where(Investor.status != InvestorStatus.INACTIVE, Investor.id.not_in(in_round))
        .order_by(Investor.name_sort, Investor.id))  # focus rows come with them (selectin)
    passes = db.session.scalars(
        select(Deal).where(Deal.startup_id == startup.id, Deal.stage == DealStage.PASSED,
                           Deal.round_kind != startup.round_kind)
        .order_by(Deal.stage_changed_at))
    passed = {deal.investor_id: deal for deal in passes}  # the latest pass wins
    result = Matches()
    for investor in candidates:
        if not in_region(investor.country, region):
            continue
        suggestion = assess(investor, startup, rates)
        if suggestion is None:
            continue
        suggestion.passed = passed.get(investor.id)
        (result.passed_before if suggestion.passed else result.suggestions).append(suggestion)
    for group in (result.suggestions, result.passed_before):
        group.sort(key=lambda s: -s.score)  # stable: equal scores stay in name order
    return result
