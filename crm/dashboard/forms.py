"""The dashboard's period and startup, read from the query string."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectField
from wtforms.validators import Optional

from crm.common.web import clean_choice_filters, parse_id
from crm.dashboard.queries import Period

# Dates the time-zone arithmetic can take at both ends (a month before and after stays on the calendar).
EARLIEST, LATEST = date(1900, 1, 1), date(9998, 12, 31)


class DashboardForm(Form):
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    startup = SelectField(_l("Startup"))
    event = SelectField(_l("Event"))

    def __init__(self, formdata, startups=(), events=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.startup.choices = [("", _l("All startups"))] + [(str(i), n) for i, n in startups]
        self.event.choices = [("", _l("All meetings and deals"))] + [(str(i), n) for i, n in events]
        clean_choice_filters(self)
        self.validate()  # unparseable dates become None: this year's date is used instead

    def period(self, today: date) -> Period:
        """The chosen period; a missing date completes the other's year (this year without either).

        An end before the start gets this year, with a message by the end date.
        """
        year = Period.year_of(today)
        first, last = self.date_from.data, self.date_to.data
        first = first or (date(last.year, 1, 1) if last else year.first)
        last = last or date(first.year, 12, 31)
        first, last = (min(max(day, EARLIEST), LATEST) for day in (first, last))
        if last < first:
            self.date_to.errors = list(self.date_to.errors) + [
                _l("The end is before the start: this year is shown instead.")]
            first, last = year.first, year.last
        self.date_from.data, self.date_to.data = first, last
        return Period(first, last, parse_id(self.startup.data), parse_id(self.event.data))
