"""The startup form (create and edit) and the list filters."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from crm.common.money import CURRENCIES, DEFAULT_CURRENCY
from crm.common.validators import AmountField, OrgNumber, StrippedStringField, TextField, WebAddress
from crm.common.web import clean_choice_filters
from crm.models import DevelopmentStage, IncubatorStatus, Modality, RoundKind, TherapeuticArea
from crm.startups.services import StartupData


class StartupForm(FlaskForm):
    name = StrippedStringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    org_number = StrippedStringField(_l("Organisation number"), validators=[OrgNumber()])
    incubator_status = SelectField(_l("Incubator status"), default=IncubatorStatus.INCUBATEE.value)
    therapeutic_area = SelectField(_l("Therapeutic area"), validators=[DataRequired()])
    indication = StrippedStringField(_l("Indication"), validators=[Length(max=200)],
                                     description=_l("For example: relapsed acute myeloid leukaemia."))
    modality = SelectField(_l("Modality"), validators=[DataRequired()])
    development_stage = SelectField(_l("Development stage"), validators=[DataRequired()])
    round_kind = SelectField(_l("Current round"))
    round_target = AmountField(_l("Round target"), validators=[Optional()])
    round_currency = SelectField(_l("Currency"), default=DEFAULT_CURRENCY)
    website = StrippedStringField(_l("Website"), validators=[Length(max=300), WebAddress()])
    pitch = TextField(_l("Pitch"), validators=[Length(max=5000)],
                      description=_l("The public pitch: what outside investors may read."))
    team = TextField(_l("Team"), validators=[Length(max=5000)])
    notes = TextField(_l("Internal notes"), validators=[Length(max=20000)],
                      description=_l("Never shown outside the CRM."))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.incubator_status.choices = IncubatorStatus.choices()
        self.therapeutic_area.choices = TherapeuticArea.choices()
        self.modality.choices = Modality.choices()
        self.development_stage.choices = DevelopmentStage.choices()
        self.round_kind.choices = [("", _l("No round open"))] + RoundKind.choices()
        self.round_currency.choices = [(c, c) for c in CURRENCIES]

    def to_data(self) -> StartupData:
        return StartupData(
            name=self.name.data, org_number=self.org_number.data,
            incubator_status=IncubatorStatus(self.incubator_status.data),
            therapeutic_area=TherapeuticArea(self.therapeutic_area.data), indication=self.indication.data,
            modality=Modality(self.modality.data), development_stage=DevelopmentStage(self.development_stage.data),
            round_kind=RoundKind(self.round_kind.data) if self.round_kind.data else None,
            round_target=self.round_target.data, round_currency=self.round_currency.data,
            pitch=self.pitch.data, team=self.team.data, website=self.website.data, notes=self.notes.data,
        )


SORT_KEYS = {"name", "-name", "stage", "-stage", "status", "-status", "created", "-created"}


class StartupFilterForm(Form):
    q = StringField(_l("Search"))
    status = SelectField(_l("Incubator status"))
    area = SelectField(_l("Therapeutic area"))
    modality = SelectField(_l("Modality"))
    stage = SelectField(_l("Development stage"))
    sort = HiddenField(default="name")

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        everything = [("", _l("All"))]
        self.status.choices = everything + IncubatorStatus.choices()
        self.area.choices = everything + TherapeuticArea.choices()
        self.modality.choices = everything + Modality.choices()
        self.stage.choices = everything + DevelopmentStage.choices()
        clean_choice_filters(self)
        if self.sort.data not in SORT_KEYS:
            self.sort.data = "name"
        self.q.data = (self.q.data or "").strip()[:100]
