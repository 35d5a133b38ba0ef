"""The follow-up form (add and edit) and the agenda's choice of whose follow-ups to show."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, HiddenField, SelectField
from wtforms.validators import InputRequired, Length

from crm.common.validators import StrippedStringField
from crm.common.web import clean_choice_filters
from crm.followups.services import FollowUpData


class FollowUpForm(FlaskForm):
    title = StrippedStringField(_l("What to do"), validators=[InputRequired(_l("Say what is to be done.")),
                                                              Length(max=200)])
    due_on = DateField(_l("Due"), validators=[InputRequired(_l("Enter the day it is due."))])
    assignee_id = SelectField(_l("Whose it is"), coerce=int, default=0)
    version = HiddenField()

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee_id.choices = [(0, _l("Choose a person"))] + list(staff)

    def to_data(self) -> FollowUpData:
        return FollowUpData(title=self.title.data, due_on=self.due_on.data, assignee_id=self.assignee_id.data or None)


class AgendaFilterForm(Form):
    """Whose follow-ups "My follow-ups" shows (the signed-in user's by default); read from the query string."""

    user = SelectField(_l("Follow-ups of"))

    def __init__(self, formdata, staff=(), me=None, **kwargs):
        super().__init__(formdata, **kwargs)
        self.user.choices = [(str(i), n) for i, n in staff]
        if self.user.data not in {value for value, _label in self.user.choices}:
            self.user.data = str(me)


class FollowUpFilterForm(Form):
    """The follow-ups an export or the API lists: whose, and open or done; read from the query string."""

    user = SelectField(_l("Follow-ups of"))
    status = SelectField(_l("Status"))

    def __init__(self, formdata, staff=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.user.choices = [("", _l("Everybody"))] + [(str(i), n) for i, n in staff]
        self.status.choices = [("", _l("Open and done")), ("open", _l("Open")), ("done", _l("Done"))]
        clean_choice_filters(self)
