"""Reads of user accounts."""
from sqlalchemy import Select, select

from crm.extensions import db
from crm.models import User


def staff_choices() -> list[tuple[int, str]]:
    """Active users as (id, name), for owner and staff pickers."""
    rows = db.session.execute(select(User.id, User.name).where(User.active).order_by(User.name_sort))
    return [(row.id, row.name) for row in rows]


def user_list() -> Select:
    """Every account, active ones first, by name."""
    return select(User).order_by(User.active.desc(), User.name_sort)
