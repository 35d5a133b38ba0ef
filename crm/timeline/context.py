"""What the pages of a startup, investor, contact and deal show of their activity: the views share it from here."""
from flask import current_app

from crm.common import timeutil
from crm.common.timeutil import local_today
from crm.common.web import page_number
from crm.timeline.forms import NoteForm
from crm.timeline.queries import open_follow_ups, timeline


def record_activity(kind: str, record_id: int) -> dict:
    """The template values for a record's open follow-ups, its note form and one page (``?page=``) of its timeline."""
    return {"timeline": timeline(kind, record_id, page_number(), current_app.config["PER_PAGE"], timeutil.utcnow()),
            "follow_ups": open_follow_ups(kind, record_id), "note_form": NoteForm(formdata=None),
            "activity_kind": kind, "activity_id": record_id, "today": local_today()}
