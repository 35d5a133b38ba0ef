"""Writes to startups. Each function flushes; the view commits."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.common.money import DEFAULT_CURRENCY
from crm.common.records import assign, check_version
from crm.errors import ValidationError
from crm.extensions import db
from crm.trash.services import move_to_trash
from crm.models import DevelopmentStage, IncubatorStatus, Modality, RoundKind, Startup, TherapeuticArea, User


@dataclass
class StartupData:
    name: str
    incubator_status: IncubatorStatus
    therapeutic_area: TherapeuticArea
    modality: Modality
    development_stage: DevelopmentStage
    org_number: str | None = None
    indication: str | None = None
    round_kind: RoundKind | None = None
    round_target: Decimal | None = None
    round_currency: str = DEFAULT_CURRENCY
    pitch: str | None = None
    team: str | None = None
    website: str | None = None
    notes: str | None = None


def startup_data(startup: Startup) -> StartupData:
    """The record's saved values, for the edit form and the conflict check."""
    return StartupData(**{name: getattr(startup, name) for name in StartupData.__dataclass_fields__})


def _validate(data: StartupData, startup: Startup | None) -> None:
    if data.org_number:
        other = db.session.scalar(select(Startup).where(Startup.org_number == data.org_number)
                                  .execution_options(include_deleted=True))
        if other is not None and (startup is None or other.id != startup.id):
            raise ValidationError("org_number", _l("%(name)s already has this organisation number.", name=other.name)
                                  if not other.is_deleted else
                                  _l("%(name)s, in the trash, has this organisation number.", name=other.name))
    if data.round_target is not None and data.round_kind is None:
        raise ValidationError("round_kind", _l("Choose the round that the target amount is for."))


def check_startup(data: StartupData, startup: Startup | None = None) -> None:
    """The rules a save checks, without saving (an import's preview checks its rows with them)."""
    _validate(data, startup)


def create_startup(data: StartupData, acting_user: User, *, flush: bool = True) -> Startup:
    """Add a startup; raises ValidationError for a duplicate organisation number (``flush``: see create_investor)."""
    _validate(data, None)
    startup = Startup()
    assign(startup, data)
    db.session.add(startup)
    if flush:
        db.session.flush()
    return startup


def update_startup(startup: Startup, data: StartupData, expected_version, acting_user: User, *,
                   flush: bool = True) -> Startup:
    """Save an edit; raises ConflictError when the record changed since the form was loaded."""
    check_version(startup.version, expected_version, startup_data(startup), data)
    _validate(data, startup)
    assign(startup, data)
    if flush:
        db.session.flush()
    return startup


def delete_startup(startup: Startup, acting_user: User) -> None:
    """Move to the trash (restorable for 30 days)."""
    move_to_trash(startup, acting_user)
