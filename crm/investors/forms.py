"""The investor form (create and edit) and the list filters."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from crm.common.forms import FastSelect, MultiCheckboxField
from crm.common.money import CURRENCIES, DEFAULT_CURRENCY
from crm.common.validators import (AmountField, OrgNumber, StrippedStringField, TextField, WebAddress,
                                   country_choices)
from crm.common.web import clean_choice_filters
from crm.investors.services import InvestorData
from crm.models import DevelopmentStage, InvestorKind, InvestorStatus, Modality, TherapeuticArea


class InvestorForm(FlaskForm):
    name = StrippedStringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Type"), validators=[DataRequired()])
    status = SelectField(_l("Status"), default=InvestorStatus.PROSPECT.value)
    country = SelectField(_l("Country"), default="NO", validators=[DataRequired()])
    org_number = StrippedStringField(_l("Organisation number"), validators=[OrgNumber()],
                                     description=_l("Norwegian organisations only: 9 digits."))
    website = StrippedStringField(_l("Website"), validators=[Length(max=300), WebAddress()])
    focus_areas = MultiCheckboxField(_l("Therapeutic areas"))
    modalities = MultiCheckboxField(_l("Modalities"))
    stage_focus = MultiCheckboxField(_l("Development stages"))
    ticket_min = AmountField(_l("Ticket from"), validators=[Optional()])
    ticket_max = AmountField(_l("Ticket up to"), validators=[Optional()])
    currency = SelectField(_l("Currency"), default=DEFAULT_CURRENCY)
    owner_id = SelectField(_l("Relationship owner"), coerce=int, default=0)
    description = TextField(_l("Description"), validators=[Length(max=5000)])
    notes = TextField(_l("Internal notes"), validators=[Length(max=20000)],
                      description=_l("Never shown outside the CRM."))
    version = HiddenField()

    def __init__(self, *args, owner_choices: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = InvestorKind.choices()
        self.status.choices = InvestorStatus.choices()
        self.country.choices = country_choices()
        self.focus_areas.choices = TherapeuticArea.choices()
        self.modalities.choices = Modality.choices()
        self.stage_focus.choices = DevelopmentStage.choices()
        self.currency.choices = [(c, c) for c in CURRENCIES]
        self.owner_id.choices = [(0, _l("Nobody"))] + list(owner_choices)

    def validate_ticket_max(self, field):
        if field.data is not None and self.ticket_min.data is not None and field.data < self.ticket_min.data:
            from wtforms.validators import ValidationError
            raise ValidationError(_l("The largest ticket must be at least the smallest."))


class InvestorFilterForm(Form):
    """The list's filters, read from the query string (no CSRF: GET only)."""

    q = StringField(_l("Search"))
    country = SelectField(_l("Country"), widget=FastSelect())
    origin = SelectField(_l("Norwegian or foreign"), widget=FastSelect())
    kind = SelectField(_l("Type"), widget=FastSelect())
    focus = SelectField(_l("Focus"), widget=FastSelect())
    sort = HiddenField(default="name")

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        everything = [("", _l("All"))]
        self.country.choices = everything + country_choices()
        self.origin.choices = everything + [("norwegian", _l("Norwegian")), ("foreign", _l("Foreign"))]
        self.kind.choices = everything + InvestorKind.choices()
        self.focus.choices = everything + TherapeuticArea.choices() + Modality.choices()
        clean_choice_filters(self)
        if self.sort.data not in SORT_KEYS:
            self.sort.data = "name"
        self.q.data = (self.q.data or "").strip()[:100]


SORT_KEYS = {"name", "-name", "country", "-country", "kind", "-kind", "created", "-created"}


def investor_data_from(form: InvestorForm) -> InvestorData:
    """The form's values as the service's InvestorData."""
    return InvestorData(
        name=form.name.data, kind=InvestorKind(form.kind.data), status=InvestorStatus(form.status.data),
        country=form.country.data, org_number=form.org_number.data, website=form.website.data,
        ticket_min=form.ticket_min.data, ticket_max=form.ticket_max.data, currency=form.currency.data,
        owner_id=form.owner_id.data or None, description=form.description.data, notes=form.notes.data,
        focus_areas=form.focus_areas.data or [], modalities=form.modalities.data or [],
        stage_focus=form.stage_focus.data or [],
    )
