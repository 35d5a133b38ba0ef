"""The meeting form (log and edit) and the list filters."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, Form, HiddenField, IntegerField, SelectField, \
    SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from crm.common.forms import FastSelect
from crm.common.timeutil import local_days_to_utc, local_to_utc
from crm.common.validators import StrippedStringField, TextField
from crm.common.web import clean_choice_filters
from crm.meetings.services import MeetingData, NextStep
from crm.models import MeetingKind


class MeetingForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired(_l("Enter the date and time."))],
                                   description=_l("Oslo time."))
    duration_minutes = IntegerField(_l("Duration (minutes)"), default=60,
                                    validators=[InputRequired(), NumberRange(min=5, max=24 * 60)])
    kind = SelectField(_l("Kind"), default=MeetingKind.INTRO.value, validators=[DataRequired()])
    title = StrippedStringField(_l("Title"), validators=[Length(max=200)],
                                description=_l("Optional; the names of who met are shown otherwise."))
    location = StrippedStringField(_l("Place"), validators=[Length(max=200)])
    startup_ids = SelectMultipleField(_l("Startups"), coerce=int)
    investor_ids = SelectMultipleField(_l("Investors"), coerce=int)
    contact_ids = SelectMultipleField(_l("Attending contacts"), coerce=int)
    staff_ids = SelectMultipleField(_l("Staff present"), coerce=int)
    notes = TextField(_l("Internal notes"), validators=[Length(max=20000)])
    outcome = TextField(_l("Outcome"), validators=[Length(max=5000)])
    next_steps = TextField(_l("Next steps"), validators=[Length(max=5000)])
    event_id = SelectField(_l("Partnering event"), coerce=int, default=0)
    # An optional follow-up, added with the meeting (and on edit, added as a new one).
    follow_up_on = DateField(_l("Follow-up date"), validators=[Optional()],
                             description=_l("Set a day to add a follow-up for the next steps."))
    follow_up_title = StrippedStringField(_l("Follow-up"), validators=[Length(max=200)],
                                          description=_l("Optional; the first line of the next steps otherwise."))
    follow_up_assignee_id = SelectField(_l("Follow-up for"), coerce=int, default=0)
    version = HiddenField()

    def __init__(self, *args, startups=(), investors=(), contacts=(), staff=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = MeetingKind.choices()
        self.event_id.choices = [(0, _l("None"))] + list(events)
        self.follow_up_assignee_id.choices = [(0, _l("Me"))] + list(staff)
        self.startup_ids.choices = list(startups)
        self.investor_ids.choices = list(investors)
        self.contact_ids.choices = list(contacts)
        self.staff_ids.choices = list(staff)
        for picker in (self.startup_ids, self.investor_ids, self.contact_ids, self.staff_ids):
            picker.render_kw = {"size": min(8, max(3, len(picker.choices)))}

    def validate_starts_at(self, field):
        if field.data is not None:
            try:
                local_to_utc(field.data)
            except OverflowError:  # 0001-01-01 before 01:00 Oslo time has no UTC equivalent
                raise ValidationError(_l("Not a valid datetime value."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        wanted = self.follow_up_title.data or self.follow_up_assignee_id.data
        if wanted and self.follow_up_on.data is None and not self.follow_up_on.errors:
            # Optional() ends the date's own checks when it is empty, so the rule is checked here.
            self.follow_up_on.errors = [_l("Enter the day the follow-up is due.")]
            return False
        return valid

    def next_step(self) -> NextStep | None:
        """The follow-up typed with the meeting, or None when no day was set."""
        if self.follow_up_on.data is None:
            return None
        return NextStep(due_on=self.follow_up_on.data, title=self.follow_up_title.data,
                        assignee_id=self.follow_up_assignee_id.data or None)

    def to_data(self) -> MeetingData:
        return MeetingData(
            starts_at=local_to_utc(self.starts_at.data), kind=MeetingKind(self.kind.data),
            duration_minutes=self.duration_minutes.data, title=self.title.data, location=self.location.data,
            notes=self.notes.data, outcome=self.outcome.data, next_steps=self.next_steps.data,
            event_id=self.event_id.data or None, startup_ids=self.startup_ids.data or [],
            investor_ids=self.investor_ids.data or [], contact_ids=self.contact_ids.data or [],
            staff_ids=self.staff_ids.data or [],
        )


class MeetingFilterForm(Form):
    """The meeting list's filters. A startup or an investor is found by part of its name (``startup_name``,
    ``investor_name``); a link from its page chooses it by id (``startup``, ``investor``), and ``startups`` and
    ``investors`` give the (id, name) choices such an id may take."""

    q = StringField(_l("Title"))
    kind = SelectField(_l("Kind"), widget=FastSelect())
    startup = SelectField(_l("Startup"), widget=FastSelect())
    investor = SelectField(_l("Investor"), widget=FastSelect())
    startup_name = StringField(_l("Startup"))
    investor_name = StringField(_l("Investor"))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    sort = HiddenField(default="-date")

    def __init__(self, formdata, startups=(), investors=(), **kwargs):
        super().__init__(formdata, **kwargs)
        everything = [("", _l("All"))]
        self.kind.choices = everything + MeetingKind.choices()
        self.startup.choices = everything + [(str(i), n) for i, n in startups]
        self.investor.choices = everything + [(str(i), n) for i, n in investors]
        clean_choice_filters(self)
        self.validate()  # unparseable dates become None, and are ignored
        if self.sort.data not in ("date", "-date"):
            self.sort.data = "-date"
        self.q.data = (self.q.data or "").strip()[:100]
        self.startup_name.data = (self.startup_name.data or "").strip()[:100]
        self.investor_name.data = (self.investor_name.data or "").strip()[:100]

    def utc_range(self):
        """The UTC bounds of the chosen local dates; the 'to' date is included whole."""
        return local_days_to_utc(self.date_from.data, self.date_to.data)
