"""The .ics download's option and the invitation upload."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, Form


class CalendarDownloadForm(Form):
    """A GET form on the meeting's page: nothing is written, so no CSRF token."""

    emails = BooleanField(_l("Include the attendees’ email addresses"),
                          description=_l("Without them, attendees are listed by name only."))


class InvitationForm(FlaskForm):
    file = FileField(_l("Invitation file (.ics)"),
                     validators=[FileRequired(_l("Choose the .ics file of the invitation."))],
                     description=_l("Save the invitation from Outlook, Google Calendar or Apple Calendar as an .ics "
                                    "file and choose it here."),
                     render_kw={"accept": ".ics,text/calendar"})
