"""Event pages: the list, one event with its grid of meetings, logging a meeting from the grid, add, edit, delete."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.audit.queries import history_of
from crm.auth.access import requires
from crm.common.forms import ActionForm
from crm.common.timeutil import local_today
from crm.common.web import confirm_delete, page_number, save
from crm.events import queries, services
from crm.events.forms import EventForm, GridMeetingForm
from crm.extensions import db
from crm.investors.queries import investor_choices
from crm.models import Event, Role
from crm.startups.queries import startup_choices

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.route("/")
def index():
    """Events, newest first, with how many meetings were logged at each."""
    page = db.paginate(queries.event_list(), page=page_number(), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("events/index.html", page=page,
                           counts=queries.meeting_counts([event.id for event in page.items]))


def _event_form(**kwargs) -> EventForm:
    return EventForm(startups=startup_choices(), investors=investor_choices(), **kwargs)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    form = _event_form()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_event(form.to_data(), current_user))
        if outcome.ok:
            flash(_("Event %(name)s added.", name=outcome.value.name), "success")
            return redirect(url_for("events.detail", event_id=outcome.value.id))
    return render_template("events/form.html", form=form, event=None)


def _grid_form(event: Event, grid=None, **kwargs) -> GridMeetingForm:
    """The grid's row: the event's startups and investors to choose from (everyone while none are listed)."""
    startups = [(s.id, s.name) for s in event.startups] or startup_choices()
    investors = [(i.id, i.name) for i in event.investors] or investor_choices()
    form = GridMeetingForm(days=event.days, startups=startups, investors=investors, **kwargs)
    if grid is not None and request.method == "GET":
        form.day.data = grid.next_day.isoformat() if grid.next_day in event.days else event.starts_on.isoformat()
        form.time.data = grid.next_time
    return form


def _detail_page(event: Event, form: GridMeetingForm | None = None):
    grid = queries.event_grid(event, local_today())
    form = form or _grid_form(event, grid)
    return render_template("events/detail.html", event=event, grid=grid, form=form,
                           history=history_of("events", event.id))


@bp.route("/<int:event_id>")
def detail(event_id: int):
    """The event and its grid: every meeting held there, and a row to log the next one. :raise 404: no such event."""
    return _detail_page(queries.get_event(event_id))


@bp.route("/<int:event_id>/meetings", methods=["POST"])
def log_meeting(event_id: int):
    """Log one short meeting from the grid and come back to it; bad input shows by the row's field.

    :raise 404: when there is no such event.
    """
    event = queries.get_event(event_id)
    form = _grid_form(event)
    if form.validate_on_submit():
        outcome = save(form, lambda: services.log_event_meeting(event, form.to_row(), current_user))
        if outcome.ok:
            meeting = outcome.value
            flash(_("Meeting logged: %(title)s at %(time)s.", title=meeting.display_title,
                    time=form.time.data.strftime("%H:%M")), "success")
            return redirect(url_for("events.detail", event_id=event.id, _anchor="grid"))
    return _detail_page(event, form)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(event_id: int):
    """:raise 404: when there is no such event. A save over somebody else's shows a conflict."""
    event = queries.get_event(event_id)
    conflict = None
    if request.method == "GET":
        form = _event_form(obj=services.event_data(event), version=event.version)
    else:
        form = _event_form()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_event(event, form.to_data(), form.version.data, current_user),
                       record=event)
        if outcome.ok:
            flash(_("Event %(name)s saved.", name=event.name), "success")
            return redirect(url_for("events.detail", event_id=event.id))
        conflict = outcome.conflict
    return render_template("events/form.html", form=form, event=event, conflict=conflict)


@bp.route("/<int:event_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(event_id: int):
    """GET asks for confirmation; POST moves it to the trash. :raise 404: when there is no such event."""
    event = queries.get_event(event_id)
    return confirm_delete(
        ActionForm(), title=_("Delete event"),
        question=_("Delete %(name)s? Its meetings stay, without the event.", name=event.name),
        cancel_url=url_for("events.detail", event_id=event.id),
        delete=lambda: services.delete_event(event, current_user),
        done_url=url_for("events.index"), done_message=_("Event %(name)s deleted.", name=event.name))
