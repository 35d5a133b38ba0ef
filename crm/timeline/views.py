"""Writing a note from a record's page; the timeline itself is part of each record's page."""
from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import requires
from crm.common.web import save
from crm.followups.targets import load_target, target_from_args, target_label, target_url
from crm.models import Note, Role
from crm.timeline import services
from crm.timeline.forms import NoteForm

bp = Blueprint("timeline", __name__, url_prefix="/timeline")


@bp.route("/notes/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new_note():
    """Write a note on ``?startup_id=``, ``?investor_id=``, ``?contact_id=`` or ``?deal_id=``.

    The record's page posts here; a note that cannot be saved comes back on this page with the message
    and the text kept. :raise 404: when none of them names a record.
    """
    target = target_from_args(request.args, Note.LINKS)
    record = load_target(target)
    form = NoteForm()
    back = target_url(target.kind, target.id, _anchor="timeline")
    if form.validate_on_submit():
        outcome = save(form, lambda: services.add_note(form.text.data, target, current_user))
        if outcome.ok:
            flash(_("Note added."), "success")
            return redirect(back)
    return render_template("timeline/note.html", form=form, cancel_url=back,
                           about=target_label(target.kind, record))
