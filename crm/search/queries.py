"""Reads for the search page: the first few matches of each kind, with how many there are."""
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from crm.contacts.queries import contact_list
from crm.extensions import db
from crm.investors.queries import InvestorFilters, investor_list
from crm.startups.queries import StartupFilters, startup_list


@dataclass
class Hits:
    """Up to ``limit`` records of one kind, and how many match in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


@dataclass
class SearchResults:
    investors: Hits
    contacts: Hits
    startups: Hits

    @property
    def total(self) -> int:
        return self.investors.total + self.contacts.total + self.startups.total


def _hits(stmt: Select, limit: int) -> Hits:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(limit))) if total else []
    return Hits(items, total or 0)


def search_everything(term: str, limit: int) -> SearchResults:
    """The list pages' own searches (folded names; contacts also by email), so a "see all" link shows the same rows."""
    return SearchResults(investors=_hits(investor_list(InvestorFilters(q=term)), limit),
                         contacts=_hits(contact_list(term), limit),
                         startups=_hits(startup_list(StartupFilters(q=term)), limit))
