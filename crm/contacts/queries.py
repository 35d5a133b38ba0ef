"""Reads for the contact pages."""
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from crm.common.text import like_pattern
from crm.extensions import db
from crm.models import Contact


SORTS = {"name": Contact.name_sort, "email": func.lower(Contact.email), "created": Contact.created_at}


def contact_list(q: str = "", sort: str = "name") -> Select:
    """Contacts matching a name or email, with their organisation; by name (Norwegian order) unless ``sort`` says
    otherwise ("email", "created"; a leading "-" reverses it)."""
    stmt = select(Contact).options(selectinload(Contact.investor), selectinload(Contact.startup))
    if q:
        pattern = like_pattern(q)
        stmt = stmt.where(or_(Contact.name_search.like(pattern, escape="\\"),
                              func.lower(Contact.email).like(pattern, escape="\\")))
    column = SORTS.get(sort.lstrip("-"), Contact.name_sort)
    order = column.desc() if sort.startswith("-") else column.asc()
    return stmt.order_by(order, Contact.name_sort, Contact.id)


def get_contact(contact_id: int) -> Contact:
    """:raise 404: when there is no such contact."""
    stmt = (select(Contact).where(Contact.id == contact_id)
            .options(selectinload(Contact.investor), selectinload(Contact.startup)))
    return db.first_or_404(stmt)


def contact_choices(investors_only: bool = False) -> list[tuple[int, str]]:
    """Every contact (or every investor's contact) as (id, 'Name (Organisation)'), for pickers."""
    stmt = select(Contact).options(selectinload(Contact.investor), selectinload(Contact.startup)) \
        .order_by(Contact.name_sort)
    if investors_only:
        stmt = stmt.where(Contact.investor_id.is_not(None))
    return [(c.id, f"{c.name} ({c.organisation.name})") for c in db.session.scalars(stmt)]
