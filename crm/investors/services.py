"""Writes to investors. Each function flushes; the view commits."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.common.records import check_version
from crm.common.timeutil import utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.trash.services import move_to_trash
from crm.models import FocusDimension, Investor, InvestorKind, InvestorStatus, User


@dataclass
class InvestorData:
    name: str
    kind: InvestorKind
    status: InvestorStatus
    country: str
    org_number: str | None = None
    website: str | None = None
    ticket_min: Decimal | None = None
    ticket_max: Decimal | None = None
    currency: str = "NOK"
    owner_id: int | None = None
    description: str | None = None
    notes: str | None = None
    focus_areas: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    stage_focus: list[str] = field(default_factory=list)


_FOCUS = {"focus_areas": FocusDimension.AREA, "modalities": FocusDimension.MODALITY,
          "stage_focus": FocusDimension.STAGE}


def _validate(data: InvestorData, investor: Investor | None) -> None:
    if data.ticket_min is not None and data.ticket_max is not None and data.ticket_max < data.ticket_min:
        raise ValidationError("ticket_max", _l("The largest ticket must be at least the smallest."))
    if data.org_number:
        if data.country != "NO":
            raise ValidationError("org_number", _l("Only Norwegian investors have a Norwegian organisation number."))
        other = db.session.scalar(select(Investor).where(Investor.org_number == data.org_number)
                                  .execution_options(include_deleted=True))
        if other is not None and (investor is None or other.id != investor.id):
            raise ValidationError("org_number", _l("%(name)s already has this organisation number.", name=other.name)
                                  if not other.is_deleted else
                                  _l("%(name)s, in the trash, has this organisation number.", name=other.name))
    if data.owner_id is not None and db.session.get(User, data.owner_id) is None:
        raise ValidationError("owner_id", _l("Choose a user from the list."))


def _apply(investor: Investor, data: InvestorData) -> None:
    for key, value in vars(data).items():
        if key in _FOCUS:
            investor.set_focus(_FOCUS[key], value)
        else:
            setattr(investor, key, value)


def investor_data(investor: Investor) -> InvestorData:
    """The record's saved values, in the shape the form and the conflict check use."""
    values = {f: getattr(investor, f) for f in InvestorData.__dataclass_fields__ if f not in _FOCUS}
    values.update({name: investor.focus_values(dim) for name, dim in _FOCUS.items()})
    return InvestorData(**values)


def check_investor(data: InvestorData, investor: Investor | None = None) -> None:
    """The rules a save checks, without saving (an import's preview checks its rows with them)."""
    _validate(data, investor)


def create_investor(data: InvestorData, acting_user: User, *, flush: bool = True) -> Investor:
    """Add an investor; raises ValidationError for a duplicate organisation number.

    An import passes ``flush=False`` and flushes its rows in batches: a flush per row is ten times slower.
    """
    _validate(data, None)
    investor = Investor()
    _apply(investor, data)
    db.session.add(investor)
    if flush:
        db.session.flush()
    return investor


def update_investor(investor: Investor, data: InvestorData, expected_version, acting_user: User, *,
                    flush: bool = True) -> Investor:
    """Save an edit; raises ConflictError when the record changed since the form was loaded."""
    check_version(investor.version, expected_version, investor_data(investor), data)
    _validate(data, investor)
    _apply(investor, data)
    investor.updated_at = utcnow()  # a change to focus alone must still bump the version
    if flush:
        db.session.flush()
    return investor


def delete_investor(investor: Investor, acting_user: User) -> None:
    """Move to the trash (restorable for 30 days)."""
    move_to_trash(investor, acting_user)
