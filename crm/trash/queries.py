"""What the trash page lists."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models import User
from crm.trash.services import RETENTION, TRASHABLE


@dataclass
class TrashItem:
    kind: str
    id: int
    label: str
    deleted_at: datetime
    deleted_by: str
    restorable_until: datetime


def trash_items(now: datetime | None = None) -> list[TrashItem]:
    """Everything deleted in the last 30 days, newest first: one query per kind of record."""
    since = (now or utcnow()) - RETENTION
    items = []
    for kind, model in TRASHABLE.items():
        label = model.name if "name" in model.__table__.c else model.title
        stmt = (select(model.id, label, model.deleted_at, User.name)
                .outerjoin(User, User.id == model.deleted_by_id)
                .where(model.deleted_at.is_not(None), model.deleted_at >= since)
                .execution_options(include_deleted=True))
        for row in db.session.execute(stmt):
            items.append(TrashItem(kind, row[0], row[1] or f"#{row[0]}", row[2], row[3] or "",
                                   row[2] + RETENTION))
    return sorted(items, key=lambda item: item.deleted_at, reverse=True)
