"""Writes to deals: create, edit, move through the stages, delete, add many at once; each flushes, the view commits."""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.common.money import DEFAULT_CURRENCY
from crm.common.records import check_version, load_chosen
from crm.common.timeutil import utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import Deal, DealStage, DealStageChange, Investor, PassReason, RoundKind, Startup, User


@dataclass
class MoveData:
    """What a move to another stage needs: the amount at committed, the reason at passed."""

    stage: DealStage
    committed_amount: Decimal | None = None
    pass_reason: PassReason | None = None
    pass_reason_text: str | None = None


@dataclass
class DealData(MoveData):
    startup_id: int | None = None
    investor_id: int | None = None
    round_kind: RoundKind | None = None
    owner_id: int | None = None
    expected_amount: Decimal | None = None
    currency: str = DEFAULT_CURRENCY
    notes: str | None = None


@dataclass
class BulkResult:
    """The deals a bulk add created, and the names it left out because they were in the round already."""

    created: list[Deal] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def deal_data(deal: Deal) -> DealData:
    """The record's saved values, for the edit form and the conflict check."""
    return DealData(**{name: getattr(deal, name) for name in DealData.__dataclass_fields__})


def move_data(deal: Deal) -> MoveData:
    """The saved stage fields, for the move form and its conflict check."""
    return MoveData(**{name: getattr(deal, name) for name in MoveData.__dataclass_fields__})


def _check_stage_rules(data: MoveData) -> None:
    """Passed needs a reason (and words for "other"); committed needs the amount committed."""
    if data.stage is DealStage.PASSED:
        if data.pass_reason is None:
            raise ValidationError("pass_reason", _l("Choose why the investor passed."))
        if data.pass_reason is PassReason.OTHER and not data.pass_reason_text:
            raise ValidationError("pass_reason_text", _l("Say in a few words why the investor passed."))
    if data.stage is DealStage.COMMITTED:
        if data.committed_amount is None:
            raise ValidationError("committed_amount", _l("Enter the amount the investor committed."))
        if data.committed_amount <= 0:
            raise ValidationError("committed_amount", _l("The committed amount must be more than zero."))


def _check_parties(data: DealData, deal: Deal | None) -> tuple[Startup, Investor]:
    startup = db.session.get(Startup, data.startup_id) if data.startup_id else None
    if startup is None:
        raise ValidationError("startup_id", _l("Choose a startup from the list."))
    investor = db.session.get(Investor, data.investor_id) if data.investor_id else None
    if investor is None:
        raise ValidationError("investor_id", _l("Choose an investor from the list."))
    if data.round_kind is None:
        raise ValidationError("round_kind", _l("Choose the round this deal is for."))
    if data.owner_id is not None and db.session.get(User, data.owner_id) is None:
        raise ValidationError("owner_id", _l("Choose a user from the list."))
    other = db.session.scalar(select(Deal.id).where(
        Deal.startup_id == startup.id, Deal.investor_id == investor.id, Deal.round_kind == data.round_kind))
    if other is not None and (deal is None or other != deal.id):
        raise ValidationError("investor_id", _l("%(investor)s is already in the pipeline for %(startup)s's %(round)s.",
                                                investor=investor.name, startup=startup.name,
                                                round=data.round_kind.label))
    return startup, investor


def _apply_stage_fields(deal: Deal, data: MoveData) -> None:
    if data.committed_amount is not None:
        deal.committed_amount = data.committed_amount
    # A reason belongs to the pass; a deal taken up again carries none.
    passed = data.stage is DealStage.PASSED
    deal.pass_reason = data.pass_reason if passed else None
    deal.pass_reason_text = data.pass_reason_text if passed else None


def _enter_stage(deal: Deal, data: MoveData, acting_user: User | None, at: datetime) -> None:
    """Put the deal in ``data.stage`` and record the change (who, when, from, to)."""
    deal.changes.append(DealStageChange(from_stage=deal.stage, to_stage=data.stage, user=acting_user, at=at))
    deal.stage = data.stage
    deal.stage_changed_at = at
    deal.updated_at = at
    _apply_stage_fields(deal, data)


def create_deal(data: DealData, acting_user: User | None, at: datetime | None = None) -> Deal:
    """Add a deal at its first stage; ``at`` back-dates it (imports, demo data), by default now."""
    at = at or utcnow()
    _check_parties(data, None)
    _check_stage_rules(data)
    deal = Deal(startup_id=data.startup_id, investor_id=data.investor_id, round_kind=data.round_kind,
                owner_id=data.owner_id, expected_amount=data.expected_amount, currency=data.currency,
                notes=data.notes, created_at=at, stage=None)
    _enter_stage(deal, data, acting_user, at)
    db.session.add(deal)
    db.session.flush()
    return deal


def update_deal(deal: Deal, data: DealData, expected_version, acting_user: User | None,
                at: datetime | None = None) -> Deal:
    """Save an edit; a new stage is recorded as a move. Raises ConflictError when the deal changed meanwhile."""
    check_version(deal.version, expected_version, deal_data(deal), data)
    _check_parties(data, deal)
    _check_stage_rules(data)
    for name in ("startup_id", "investor_id", "round_kind", "owner_id", "expected_amount", "committed_amount",
                 "currency", "notes"):
        setattr(deal, name, getattr(data, name))
    if data.stage is not deal.stage:
        _enter_stage(deal, data, acting_user, at or utcnow())
    else:
        _apply_stage_fields(deal, data)
        deal.updated_at = at or utcnow()
    db.session.flush()
    return deal


def move_deal(deal: Deal, data: MoveData, expected_version, acting_user: User | None,
              at: datetime | None = None) -> Deal:
    """Move a deal to another stage and record it; raises ValidationError for a broken stage rule."""
    check_version(deal.version, expected_version, move_data(deal), data)
    if data.stage is deal.stage:
        raise ValidationError("stage", _l("The deal is at this stage already."))
    _check_stage_rules(data)
    _enter_stage(deal, data, acting_user, at or utcnow())
    db.session.flush()
    return deal


def delete_deal(deal: Deal, acting_user: User | None) -> None:
    """Delete a deal with its stage history."""
    db.session.delete(deal)
    db.session.flush()


def _add_pairs(pairs: list[tuple[Startup, Investor]], acting_user: User | None, at: datetime | None) -> BulkResult:
    """Create an identified deal for each pair in the startup's current round; pairs in it already are skipped."""
    result = BulkResult()
    startup_ids = {s.id for s, _i in pairs}
    investor_ids = {i.id for _s, i in pairs}
    existing = {tuple(row) for row in db.session.execute(
        select(Deal.startup_id, Deal.investor_id, Deal.round_kind)
        .where(Deal.startup_id.in_(startup_ids), Deal.investor_id.in_(investor_ids)))}
    for startup, investor in pairs:
        if (startup.id, investor.id, startup.round_kind) in existing:
            result.skipped.append(investor.name if len(startup_ids) == 1 else startup.name)
            continue
        result.created.append(create_deal(DealData(
            stage=DealStage.IDENTIFIED, startup_id=startup.id, investor_id=investor.id,
            round_kind=startup.round_kind, owner_id=acting_user.id if acting_user else None,
            currency=startup.round_currency), acting_user, at))
    return result


def add_investors_to_round(startup: Startup, investor_ids: list[int], acting_user: User | None,
                           at: datetime | None = None) -> BulkResult:
    """Put the chosen investors in the pipeline of the startup's current round, as identified."""
    if startup.round_kind is None:
        raise ValidationError("investor_ids", _l("%(name)s has no round open. Open one on the startup first.",
                                                 name=startup.name))
    investors = load_chosen(Investor, investor_ids, "investor_ids")
    if not investors:
        raise ValidationError("investor_ids", _l("Choose at least one investor."))
    return _add_pairs([(startup, investor) for investor in investors], acting_user, at)


def add_startups_for_investor(investor: Investor, startup_ids: list[int], acting_user: User | None,
                              at: datetime | None = None) -> BulkResult:
    """Put the investor in the pipeline of each chosen startup's current round, as identified."""
    startups = load_chosen(Startup, startup_ids, "startup_ids")
    if not startups:
        raise ValidationError("startup_ids", _l("Choose at least one startup."))
    closed = [s.name for s in startups if s.round_kind is None]
    if closed:
        raise ValidationError("startup_ids", _l("No round open at %(names)s. Open one on the startup first.",
                                                names=", ".join(closed)))
    return _add_pairs([(startup, investor) for startup in startups], acting_user, at)
