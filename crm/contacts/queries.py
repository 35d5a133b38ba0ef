"""Reads for the contact pages."""
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from crm.common.text import like_pattern
from crm.extensions import db
from crm.models import Contact


def contact_list(q: str = "") -> Select:
    """Contacts matching a name or email, in Norwegian name order, with their organisation."""
    stmt = select(Contact).options(selectinload(Contact.investor), selectinload(Contact.startup))
    if q:
        pattern = like_pattern(q)
        stmt = stmt.where(or_(Contact.name_search.like(pattern, escape="\\"),
                              func.lower(Contact.email).like(pattern, escape="\\")))
    return stmt.order_by(Contact.name_sort, Contact.id)


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
