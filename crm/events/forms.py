"""The event form (add and edit) and the grid's row for logging one short meeting."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from crm.common.formatting import date_local
from crm.common.validators import StrippedStringField
from crm.events.services import EventData, GridMeeting


class EventForm(FlaskForm):
    name = StrippedStringField(_l("Name"), validators=[DataRequired(), Length(max=200)],
                               description=_l("For example: BIO-Europe Spring 2026, or Investor day at Oslo "
                                              "Science Park."))
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day."))])
    place = StrippedStringField(_l("Place"), validators=[Length(max=200)])
    slot_minutes = IntegerField(_l("Meeting slot (minutes)"), default=30,
                                validators=[InputRequired(), NumberRange(min=5, max=480)],
                                description=_l("How long each meeting logged from the event's grid lasts."))
    startup_ids = SelectMultipleField(_l("Startups taking part"), coerce=int)
    investor_ids = SelectMultipleField(_l("Investors taking part"), coerce=int)
    version = HiddenField()

    def __init__(self, *args, startups=(), investors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.startup_ids.choices = list(startups)
        self.investor_ids.choices = list(investors)
        for picker in (self.startup_ids, self.investor_ids):
            picker.render_kw = {"size": min(10, max(3, len(picker.choices)))}

    def to_data(self) -> EventData:
        return EventData(name=self.name.data, starts_on=self.starts_on.data, ends_on=self.ends_on.data,
                         place=self.place.data, slot_minutes=self.slot_minutes.data,
                         startup_ids=self.startup_ids.data or [], investor_ids=self.investor_ids.data or [])


class GridMeetingForm(FlaskForm):
    """One row of the grid: day, time, startup, investor and a short note."""

    day = SelectField(_l("Day"))
    time = TimeField(_l("Time"), format="%H:%M", validators=[InputRequired(_l("Enter the time."))])
    startup_id = SelectField(_l("Startup"), coerce=int, default=0)
    investor_id = SelectField(_l("Investor"), coerce=int, default=0)
    note = StrippedStringField(_l("Note"), validators=[Length(max=2000)])

    def __init__(self, *args, days=(), startups=(), investors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.day.choices = [(day.isoformat(), date_local(day, "EEE d MMM")) for day in days]
        self.startup_id.choices = [(0, _l("Startup"))] + list(startups)
        self.investor_id.choices = [(0, _l("Investor"))] + list(investors)

    def to_row(self) -> GridMeeting:
        return GridMeeting(day=date.fromisoformat(self.day.data), time=self.time.data,
                           startup_id=self.startup_id.data or None, investor_id=self.investor_id.data or None,
                           note=self.note.data)
