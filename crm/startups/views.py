"""Startup pages: HTTP only; reads come from queries, writes go through services."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.audit.queries import history_of
from crm.auth.access import requires
from crm.common import timeutil
from crm.common.forms import ActionForm
from crm.common.timeutil import local_today, utcnow
from crm.common.web import confirm_delete, page_number, save
from crm.deals.queries import deals_deleted_too, deals_of, round_summary
from crm.extensions import db
from crm.matching.queries import match_investors
from crm.models import Role
from crm.sharing.queries import startup_sharing
from crm.rates.queries import rates_on
from crm.startups import queries, services
from crm.startups.forms import StartupFilterForm, StartupForm
from crm.timeline.context import record_activity
from crm.timeline.queries import recent_meetings

bp = Blueprint("startups", __name__, url_prefix="/startups")


@bp.route("/")
def index():
    """The startup list: search, filters and sort from the query string; bad values are ignored."""
    filters = StartupFilterForm(request.args)
    stmt = queries.startup_list(queries.StartupFilters(
        q=filters.q.data, status=filters.status.data, area=filters.area.data,
        modality=filters.modality.data, stage=filters.stage.data, sort=filters.sort.data))
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("startups/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    form = StartupForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_startup(form.to_data(), current_user))
        if outcome.ok:
            flash(_("Startup %(name)s added.", name=outcome.value.name), "success")
            return redirect(url_for("startups.detail", startup_id=outcome.value.id))
    return render_template("startups/form.html", form=form, startup=None)


@bp.route("/<int:startup_id>")
def detail(startup_id: int):
    """:raise 404: when there is no such startup."""
    startup = queries.get_startup(startup_id)
    rates = rates_on(local_today())
    return render_template("startups/detail.html", startup=startup, meetings=recent_meetings("startup", startup_id),
                           sharing=startup_sharing(startup_id, timeutil.utcnow()), action_form=ActionForm(),
                           round=round_summary(startup, rates, utcnow()),
                           matches=match_investors(startup, rates, limit=3),
                           deals=deals_of("startup", startup_id), history=history_of("startups", startup_id),
                           **record_activity("startup", startup_id))


@bp.route("/<int:startup_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(startup_id: int):
    """:raise 404: when there is no such startup. A save over somebody else's shows a conflict."""
    startup = queries.get_startup(startup_id)
    form = StartupForm(obj=startup) if request.method == "GET" else StartupForm()
    conflict = None
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_startup(startup, form.to_data(), form.version.data,
                                                             current_user), record=startup)
        if outcome.ok:
            flash(_("Startup %(name)s saved.", name=startup.name), "success")
            return redirect(url_for("startups.detail", startup_id=startup.id))
        conflict = outcome.conflict
    return render_template("startups/form.html", form=form, startup=startup, conflict=conflict)


@bp.route("/<int:startup_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(startup_id: int):
    """GET asks for confirmation; POST deletes. :raise 404: when there is no such startup."""
    startup = queries.get_startup(startup_id)
    return confirm_delete(
        ActionForm(), title=_("Delete startup"),
        question=_("Delete %(name)s and its %(count)s contacts? Meetings stay, without this startup.",
                   name=startup.name, count=len(startup.contacts))
                 + deals_deleted_too(startup_id=startup.id),
        cancel_url=url_for("startups.detail", startup_id=startup.id),
        delete=lambda: services.delete_startup(startup, current_user),
        done_url=url_for("startups.index"), done_message=_("Startup %(name)s deleted.", name=startup.name))
