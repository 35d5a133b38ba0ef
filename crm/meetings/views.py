"""Meeting pages: the list, logging a meeting (pre-filled from a startup or investor), detail, edit."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.audit.queries import history_of
from crm.auth.access import requires
from crm.common.forms import ActionForm
from crm.common.timeutil import utc_to_local, utcnow
from crm.common.web import confirm_delete, id_args, page_number, save
from crm.common.formatting import datetime_local
from crm.contacts.queries import contact_choices
from crm.deals.queries import deals_to_offer_meeting_held
from crm.extensions import db
from crm.investors.queries import investor_choices
from crm.meetings import queries, services
from crm.meetings.forms import MeetingFilterForm, MeetingForm
from crm.models import DealStage, Role
from crm.startups.queries import startup_choices
from crm.users.queries import staff_choices

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _meeting_form(**kwargs) -> MeetingForm:
    return MeetingForm(startups=startup_choices(), investors=investor_choices(), contacts=contact_choices(),
                       staff=staff_choices(), **kwargs)


@bp.route("/")
def index():
    """Meetings, newest first, filtered by kind, startup, investor and local date range."""
    startups, investors = startup_choices(), investor_choices()
    filters = MeetingFilterForm(request.args, startups=startups, investors=investors)
    start, end = filters.utc_range()
    stmt = queries.meeting_list(queries.MeetingFilters(
        q=filters.q.data, kind=filters.kind.data,
        investor=int(filters.investor.data) if filters.investor.data else None,
        startup=int(filters.startup.data) if filters.startup.data else None, sort=filters.sort.data),
        start_utc=start, end_utc=end)
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("meetings/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    """Log a meeting; ``?startup_id=`` and ``?investor_id=`` pre-fill who took part."""
    form = _meeting_form()
    if request.method == "GET":
        now = utc_to_local(utcnow())
        form.starts_at.data = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
        form.startup_ids.data = id_args("startup_id")
        form.investor_ids.data = id_args("investor_id")
        form.staff_ids.data = [current_user.id]
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_meeting(form.to_data(), current_user))
        if outcome.ok:
            flash(_("Meeting logged."), "success")
            return redirect(url_for("meetings.detail", meeting_id=outcome.value.id))
    return render_template("meetings/form.html", form=form, meeting=None)


@bp.route("/<int:meeting_id>")
def detail(meeting_id: int):
    """The meeting; once held, it offers to move open deals between its parties on to "meeting held".

    :raise 404: when there is no such meeting.
    """
    meeting = queries.get_meeting(meeting_id)
    offers = []
    if current_user.can_edit and meeting.starts_at <= utcnow():
        offers = deals_to_offer_meeting_held([s.id for s in meeting.startups], [i.id for i in meeting.investors])
    return render_template("meetings/detail.html", meeting=meeting, offers=offers, meeting_held=DealStage.MEETING_HELD,
                           history=history_of("meetings", meeting_id))


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(meeting_id: int):
    """:raise 404: when there is no such meeting. A save over somebody else's shows a conflict."""
    meeting = queries.get_meeting(meeting_id)
    conflict = None
    if request.method == "GET":
        form = _meeting_form(obj=services.meeting_data(meeting))
        form.starts_at.data = utc_to_local(meeting.starts_at)
        form.version.data = meeting.version
    else:
        form = _meeting_form()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_meeting(meeting, form.to_data(), form.version.data,
                                                             current_user), record=meeting)
        if outcome.ok:
            flash(_("Meeting saved."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
        conflict = outcome.conflict
    return render_template("meetings/form.html", form=form, meeting=meeting, conflict=conflict)


@bp.route("/<int:meeting_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(meeting_id: int):
    """GET asks for confirmation; POST deletes. :raise 404: when there is no such meeting."""
    meeting = queries.get_meeting(meeting_id)
    return confirm_delete(
        ActionForm(), title=_("Delete meeting"),
        question=_("Delete the meeting “%(title)s” of %(when)s?", title=meeting.display_title,
                   when=datetime_local(meeting.starts_at, "short")),
        cancel_url=url_for("meetings.detail", meeting_id=meeting.id),
        delete=lambda: services.delete_meeting(meeting, current_user),
        done_url=url_for("meetings.index"), done_message=_("Meeting deleted."))
