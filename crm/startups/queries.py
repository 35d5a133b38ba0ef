"""Reads for the startup pages."""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import Select, case, select
from sqlalchemy.orm import joinedload

from crm.common.text import like_pattern
from crm.extensions import db
from crm.models import DevelopmentStage, IncubatorStatus, Modality, Startup, TherapeuticArea

# Development stages sort in pipeline order, not alphabetically.
_STAGE_ORDER = case({stage.value: index for index, stage in enumerate(DevelopmentStage)},
                    value=Startup.development_stage)

SORTS = {"name": Startup.name_sort, "stage": _STAGE_ORDER, "status": Startup.incubator_status,
         "created": Startup.created_at}


@dataclass
class StartupFilters:
    q: str = ""
    status: str = ""
    area: str = ""
    modality: str = ""
    stage: str = ""
    sort: str = "name"


def startup_list(filters: StartupFilters) -> Select:
    """Startups matching the filters, sorted; paginate the result."""
    stmt = select(Startup)
    if filters.q:
        stmt = stmt.where(Startup.name_search.like(like_pattern(filters.q), escape="\\"))
    if filters.status:
        stmt = stmt.where(Startup.incubator_status == IncubatorStatus(filters.status))
    if filters.area:
        stmt = stmt.where(Startup.therapeutic_area == TherapeuticArea(filters.area))
    if filters.modality:
        stmt = stmt.where(Startup.modality == Modality(filters.modality))
    if filters.stage:
        stmt = stmt.where(Startup.development_stage == DevelopmentStage(filters.stage))
    column = SORTS.get(filters.sort.lstrip("-"), Startup.name_sort)
    order = column.desc() if filters.sort.startswith("-") else column.asc()
    return stmt.order_by(order, Startup.name_sort, Startup.id)


def get_startup(startup_id: int) -> Startup:
    """One startup with its contacts. :raise 404: when there is none."""
    stmt = select(Startup).where(Startup.id == startup_id).options(joinedload(Startup.contacts))
    startup = db.session.scalars(stmt).unique().first()
    if startup is None:
        abort(404)
    return startup


def startup_choices() -> list[tuple[int, str]]:
    """Every startup as (id, name) in Norwegian order, for pickers."""
    rows = db.session.execute(select(Startup.id, Startup.name).order_by(Startup.name_sort))
    return [(row.id, row.name) for row in rows]
