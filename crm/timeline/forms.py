"""The note form on the timeline of a startup, investor, contact or deal."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Length

from crm.common.validators import TextField
from crm.timeline.services import MAX_NOTE


class NoteForm(FlaskForm):
    text = TextField(_l("Note"), validators=[InputRequired(_l("Write the note first.")), Length(max=MAX_NOTE)],
                     description=_l("Internal: never shown outside the CRM. A note cannot be changed once saved."))
