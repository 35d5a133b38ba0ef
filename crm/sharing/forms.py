"""Forms for sharing: the profile settings, confidential material, share links and agreements."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length

from crm.common.validators import StrippedStringField, TextField, WebAddress
from crm.models import ConfidentialItemKind, ProfileField, Visibility
from crm.sharing.services import AgreementData, ItemData, LinkData, ProfileData, visibility_key


class ProfileForm(FlaskForm):
    """Which fields the profile shows, and which of them only under a confidentiality agreement.

    One select per ProfileField, named by visibility_key(), is added below the class.
    """

    tagline = StrippedStringField(_l("One-line pitch"), validators=[Length(max=200)],
                                  description=_l("Shown under the name, for example: "
                                                 "“Antibodies that open pancreatic tumours to chemotherapy.”"))
    contact_id = SelectField(_l("Contact person"), coerce=int,
                             description=_l("One of the startup's contacts, shown with name and email."))
    version = HiddenField()

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_id.choices = [(0, _l("Nobody"))] + list(contacts)
        for field in ProfileField:
            self[visibility_key(field)].choices = [("", _l("Not shown"))] + Visibility.choices()

    def visibility_fields(self) -> list:
        return [self[visibility_key(field)] for field in ProfileField]

    def to_data(self):
        chosen = {key: Visibility(self[key].data) if self[key].data else None
                  for key in (visibility_key(field) for field in ProfileField)}
        return ProfileData(tagline=self.tagline.data, contact_id=self.contact_id.data or None, **chosen)


for _field in ProfileField:
    setattr(ProfileForm, visibility_key(_field), SelectField(
        ProfileField.labels()[_field],
        description=_l("Shown only together with the name.") if _field is ProfileField.LOGO else None))
del _field


class ItemForm(FlaskForm):
    kind = SelectField(_l("Kind"), default=ConfidentialItemKind.DECK.value, validators=[DataRequired()])
    title = StrippedStringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    url = StrippedStringField(_l("Link"), validators=[Length(max=500), WebAddress()],
                              description=_l("Where the reader opens it: a data room, a shared folder."))
    text = TextField(_l("Text"), validators=[Length(max=5000)],
                     description=_l("For example the patent families and their status, or the cap table in brief."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = ConfidentialItemKind.choices()

    def to_data(self) -> ItemData:
        return ItemData(kind=ConfidentialItemKind(self.kind.data), title=self.title.data, url=self.url.data,
                        text=self.text.data)


class LinkForm(FlaskForm):
    investor_id = SelectField(_l("Investor"), coerce=int)
    contact_id = SelectField(_l("Contact at the investor"), coerce=int,
                             description=_l("Optional; the investor is taken from the contact when none is chosen."))
    label = StrippedStringField(_l("Label"), validators=[Length(max=200)],
                                description=_l("For your own use, to tell links apart; the reader does not see it. "
                                               "Needed for a link for no particular investor."))
    expires_on = DateField(_l("Valid until"), validators=[InputRequired(_l("Enter the last day the link works."))],
                           description=_l("The link works to the end of this day, Oslo time; one year at most."))

    def __init__(self, *args, investors=(), contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.investor_id.choices = [(0, _l("No particular investor (a general link)"))] + list(investors)
        self.contact_id.choices = [(0, _l("Nobody in particular"))] + list(contacts)

    def to_data(self) -> LinkData:
        return LinkData(expires_on=self.expires_on.data, investor_id=self.investor_id.data or None,
                        contact_id=self.contact_id.data or None, label=self.label.data)


class AgreementForm(FlaskForm):
    startup_id = SelectField(_l("Startup"), coerce=int, validators=[DataRequired(_l("Choose a startup."))])
    signed_on = DateField(_l("Signed on"), validators=[InputRequired(_l("Enter the date it was signed."))])
    expires_on = DateField(_l("Expires on"), validators=[InputRequired(_l("Enter the last day it covers."))],
                           description=_l("The last day the agreement covers; its links hide the confidential "
                                          "material from the day after."))

    def __init__(self, *args, startups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.startup_id.choices = [(0, _l("Choose a startup"))] + list(startups)

    def to_data(self) -> AgreementData:
        return AgreementData(startup_id=self.startup_id.data, signed_on=self.signed_on.data,
                             expires_on=self.expires_on.data)
