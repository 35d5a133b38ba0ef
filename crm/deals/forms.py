"""The deal form (create and edit), the move form, the bulk pickers and the pipeline filters."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, SelectField
from wtforms.validators import Length, Optional

from crm.common.forms import MultiCheckboxField
from crm.common.money import CURRENCIES, DEFAULT_CURRENCY
from crm.common.validators import AmountField, StrippedStringField, TextField, country_choices
from crm.common.web import clean_choice_filters, parse_id
from crm.deals.queries import DealFilters
from crm.deals.services import DealData, MoveData
from crm.models import BOARD_STAGES, DealStage, PassReason, RoundKind, TherapeuticArea


class MoveForm(FlaskForm):
    """Move a deal to another stage: the card's one-field form, or the full one on the move page."""

    stage = SelectField(_l("Stage"), default=DealStage.IDENTIFIED.value)
    committed_amount = AmountField(_l("Committed amount"), validators=[Optional()],
                                   description=_l("Needed when the deal is committed; in the deal's currency."))
    pass_reason = SelectField(_l("Why the investor passed"), default="")
    pass_reason_text = StrippedStringField(_l("The reason in words"), validators=[Length(max=500)],
                                           description=_l("Needed when the reason is “Other”."))
    version = HiddenField()
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [(stage.value, stage.label) for stage in BOARD_STAGES]
        self.pass_reason.choices = [("", "—")] + PassReason.choices()

    def to_move(self) -> MoveData:
        return MoveData(stage=DealStage(self.stage.data), committed_amount=self.committed_amount.data,
                        pass_reason=PassReason(self.pass_reason.data) if self.pass_reason.data else None,
                        pass_reason_text=self.pass_reason_text.data)


class DealForm(MoveForm):
    startup_id = SelectField(_l("Startup"), coerce=int, default=0)
    investor_id = SelectField(_l("Investor"), coerce=int, default=0)
    round_kind = SelectField(_l("Round"))
    owner_id = SelectField(_l("Owner"), coerce=int, default=0)
    expected_amount = AmountField(_l("Expected amount"), validators=[Optional()])
    currency = SelectField(_l("Currency"), default=DEFAULT_CURRENCY)
    notes = TextField(_l("Notes"), validators=[Length(max=20000)], description=_l("Never shown outside the CRM."))

    def __init__(self, *args, startups=(), investors=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.startup_id.choices = [(0, _l("Choose a startup"))] + list(startups)
        self.investor_id.choices = [(0, _l("Choose an investor"))] + list(investors)
        self.round_kind.choices = [("", _l("Choose a round"))] + RoundKind.choices()
        self.owner_id.choices = [(0, _l("Nobody"))] + list(owners)
        self.currency.choices = [(c, c) for c in CURRENCIES]

    def to_data(self) -> DealData:
        move = self.to_move()
        return DealData(
            stage=move.stage, committed_amount=move.committed_amount, pass_reason=move.pass_reason,
            pass_reason_text=move.pass_reason_text, startup_id=self.startup_id.data or None,
            investor_id=self.investor_id.data or None,
            round_kind=RoundKind(self.round_kind.data) if self.round_kind.data else None,
            owner_id=self.owner_id.data or None, expected_amount=self.expected_amount.data,
            currency=self.currency.data, notes=self.notes.data)


class AddInvestorsForm(FlaskForm):
    investor_ids = MultiCheckboxField(_l("Investors"), coerce=int)


class AddStartupsForm(FlaskForm):
    startup_ids = MultiCheckboxField(_l("Startups"), coerce=int)


SORT_KEYS = {f"{sign}{key}" for sign in ("", "-")
             for key in ("startup", "investor", "stage", "amount", "owner", "changed", "updated")}


class DealFilterForm(Form):
    """The pipeline's filters, read from the query string (no CSRF: GET only); bad values are ignored."""

    startup = SelectField(_l("Startup"))
    round = SelectField(_l("Round"))
    owner = SelectField(_l("Owner"))
    origin = SelectField(_l("Norwegian or foreign"))
    country = SelectField(_l("Investor country"))
    area = SelectField(_l("Therapeutic area"))
    stage = SelectField(_l("Stage"))
    sort = HiddenField(default="stage")

    def __init__(self, formdata, startups=(), owners=(), **kwargs):
        super().__init__(formdata, **kwargs)
        everything = [("", _l("All"))]
        self.startup.choices = everything + [(str(i), n) for i, n in startups]
        self.round.choices = everything + RoundKind.choices()
        self.owner.choices = everything + [(str(i), n) for i, n in owners]
        self.origin.choices = everything + [("norwegian", _l("Norwegian")), ("foreign", _l("Foreign"))]
        self.country.choices = everything + country_choices()
        self.area.choices = everything + TherapeuticArea.choices()
        self.stage.choices = everything + [(stage.value, stage.label) for stage in BOARD_STAGES]
        clean_choice_filters(self)
        if self.sort.data not in SORT_KEYS:
            self.sort.data = "stage"

    def to_filters(self) -> DealFilters:
        return DealFilters(startup=parse_id(self.startup.data), round=self.round.data, owner=parse_id(self.owner.data),
                           country=self.country.data, origin=self.origin.data, area=self.area.data,
                           stage=self.stage.data, sort=self.sort.data)
