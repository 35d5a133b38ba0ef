"""The records follow-ups and notes are about: reading one from the URL, loading it, and its page."""
from collections.abc import Mapping
from dataclasses import dataclass

from flask import abort, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.common.web import parse_id
from crm.extensions import db
from crm.models import Contact, Deal, Investor, Meeting, Startup

MODELS = {"startup": Startup, "investor": Investor, "contact": Contact, "deal": Deal, "meeting": Meeting}
_LOADS = {"contact": (selectinload(Contact.investor), selectinload(Contact.startup)),
          "deal": (selectinload(Deal.startup), selectinload(Deal.investor)),
          "meeting": (selectinload(Meeting.startups), selectinload(Meeting.investors))}


@dataclass(frozen=True)
class Target:
    """One record by kind ('startup', 'investor', 'contact', 'deal', 'meeting') and id."""

    kind: str
    id: int

    @property
    def column(self) -> str:
        return f"{self.kind}_id"


def target_from_args(args: Mapping, kinds) -> Target | None:
    """The first of ``?startup_id=``, ``?investor_id=``, ... (only ``kinds``) that holds a valid id."""
    for kind in kinds:
        record_id = parse_id(args.get(f"{kind}_id"))
        if record_id is not None:
            return Target(kind, record_id)
    return None


def load_target(target: Target | None):
    """The record, with what its name needs. :raise 404: when there is none (or it is in the trash)."""
    if target is None or target.kind not in MODELS:
        abort(404)
    model = MODELS[target.kind]
    return db.first_or_404(select(model).where(model.id == target.id).options(*_LOADS.get(target.kind, ())))


def target_label(kind: str, record) -> str:
    """How a record is named where a follow-up or a note points at it."""
    if kind == "deal":
        return f"{record.startup.name} · {record.investor.name}"
    if kind == "meeting":
        return record.display_title
    return record.name


def target_url(kind: str, record_id: int, **values) -> str:
    """The page of a record."""
    return url_for(f"{MODELS[kind].__tablename__}.detail", **{f"{kind}_id": record_id}, **values)
