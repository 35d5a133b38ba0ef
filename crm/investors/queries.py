"""Reads for the investor pages: the filtered list and one investor with what its page shows."""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import joinedload, lazyload

from crm.common.text import like_pattern
from crm.extensions import db
from crm.models import NORWAY, FocusDimension, Investor, InvestorFocus, InvestorKind

SORTS = {
    "name": Investor.name_sort,
    "country": Investor.country,
    "kind": Investor.kind,
    "created": Investor.created_at,
}


@dataclass
class InvestorFilters:
    q: str = ""
    country: str = ""
    origin: str = ""  # "norwegian", "foreign" or ""
    kind: str = ""
    focus: str = ""  # a therapeutic area or modality value
    sort: str = "name"


def investor_list(filters: InvestorFilters, with_focus: bool = True) -> Select:
    """The investors matching the filters, sorted; paginate the result.

    ``with_focus=False`` leaves out their focus rows (loaded with investors by default), which the list page
    does not show.
    """
    stmt = select(Investor).options(joinedload(Investor.owner))
    if not with_focus:
        stmt = stmt.options(lazyload(Investor.focus))
    if filters.q:
        stmt = stmt.where(Investor.name_search.like(like_pattern(filters.q), escape="\\"))
    if filters.country:
        stmt = stmt.where(Investor.country == filters.country)
    if filters.origin == "norwegian":
        stmt = stmt.where(Investor.country == NORWAY)
    elif filters.origin == "foreign":
        stmt = stmt.where(Investor.country != NORWAY)
    if filters.kind:
        stmt = stmt.where(Investor.kind == InvestorKind(filters.kind))
    if filters.focus:
        stmt = stmt.where(exists().where(
            InvestorFocus.investor_id == Investor.id,
            InvestorFocus.dimension.in_([FocusDimension.AREA, FocusDimension.MODALITY]),
            InvestorFocus.value == filters.focus,
        ))
    key = filters.sort.lstrip("-")
    column = SORTS.get(key, Investor.name_sort)
    order = column.desc() if filters.sort.startswith("-") else column.asc()
    return stmt.order_by(order, Investor.id)


def get_investor(investor_id: int) -> Investor:
    """One investor with its owner, focus and contacts, in one statement; 404 if there is none."""
    stmt = (select(Investor).where(Investor.id == investor_id)
            .options(joinedload(Investor.owner), joinedload(Investor.focus), joinedload(Investor.contacts)))
    investor = db.session.scalars(stmt).unique().first()
    if investor is None:
        abort(404)
    return investor


def investor_choices() -> list[tuple[int, str]]:
    """Every investor as (id, name) in Norwegian order, for pickers."""
    rows = db.session.execute(select(Investor.id, Investor.name).order_by(Investor.name_sort))
    return [(row.id, row.name) for row in rows]
