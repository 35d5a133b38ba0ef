"""Writing a note on a record. The function flushes; the view commits."""
from flask_babel import lazy_gettext as _l

from crm.errors import ValidationError
from crm.extensions import db
from crm.followups.targets import MODELS, Target
from crm.models import Note, User

MAX_NOTE = 5000


def add_note(text: str | None, target: Target, acting_user: User | None) -> Note:
    """Write a note on a startup, investor, contact or deal, signed by the acting user."""
    if not text or not text.strip():
        raise ValidationError("text", _l("Write the note first."))
    if len(text) > MAX_NOTE:
        raise ValidationError("text", _l("A note holds at most %(n)s characters.", n=MAX_NOTE))
    if target.kind not in Note.LINKS or db.session.get(MODELS[target.kind], target.id) is None:
        raise ValidationError(None, _l("What this note is about no longer exists."))
    note = Note(text=text.strip(), author_id=acting_user.id if acting_user else None, **{target.column: target.id})
    db.session.add(note)
    db.session.flush()
    return note
