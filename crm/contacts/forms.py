"""The contact form (create and edit) and the list filter."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from crm.common.validators import Email, Phone, StrippedStringField, TextField
from crm.contacts.services import ContactData
from crm.models import LegalBasis


class ContactForm(FlaskForm):
    name = StrippedStringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    title = StrippedStringField(_l("Title"), validators=[Length(max=200)])
    email = StrippedStringField(_l("Email"), validators=[Length(max=254), Email()],
                                render_kw={"type": "email", "autocomplete": "off"})
    phone = StrippedStringField(_l("Phone"), validators=[Length(max=40), Phone()],
                                description=_l("With the country code if not Norwegian, e.g. +46 8 123 456 78."),
                                render_kw={"type": "tel"})
    notes = TextField(_l("Internal notes"), validators=[Length(max=20000)])
    source = StrippedStringField(_l("Where the data came from"), validators=[Length(max=200)],
                                 description=_l("For example: business card at BIO-Europe 2026, LinkedIn, introduced by …"))
    legal_basis = SelectField(_l("Legal basis"), default=LegalBasis.LEGITIMATE_INTEREST.value)
    consent_on = DateField(_l("Consent given on"), validators=[Optional()])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_basis.choices = LegalBasis.choices()

    def to_data(self) -> ContactData:
        return ContactData(name=self.name.data, title=self.title.data, email=self.email.data,
                           phone=self.phone.data, notes=self.notes.data, source=self.source.data,
                           legal_basis=LegalBasis(self.legal_basis.data), consent_on=self.consent_on.data)


class ContactFilterForm(Form):
    q = StringField(_l("Search"))
    sort = HiddenField(default="name")

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        self.q.data = (self.q.data or "").strip()[:100]
        if (self.sort.data or "").lstrip("-") not in ("name", "email", "created"):
            self.sort.data = "name"
