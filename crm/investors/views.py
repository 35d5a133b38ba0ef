"""Investor pages: HTTP only; reads come from queries, writes go through services."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.audit.queries import history_of
from crm.auth.access import requires
from crm.common import timeutil
from crm.common.forms import ActionForm
from crm.common.web import confirm_delete, page_number, save
from crm.deals.queries import deals_deleted_too, deals_of
from crm.extensions import db
from crm.investors import queries, services
from crm.investors.forms import InvestorFilterForm, InvestorForm, investor_data_from
from crm.models import Role
from crm.sharing.queries import investor_sharing
from crm.timeline.context import record_activity
from crm.timeline.queries import recent_meetings
from crm.users.queries import staff_choices

bp = Blueprint("investors", __name__, url_prefix="/investors")


@bp.route("/")
def index():
    """The investor list: search, filters and sort from the query string; bad values are ignored."""
    filters = InvestorFilterForm(request.args)
    stmt = queries.investor_list(queries.InvestorFilters(
        q=filters.q.data, country=filters.country.data, origin=filters.origin.data,
        kind=filters.kind.data, focus=filters.focus.data, sort=filters.sort.data), with_focus=False)
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("investors/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    form = InvestorForm(owner_choices=staff_choices())
    if request.method == "GET":
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_investor(investor_data_from(form), current_user))
        if outcome.ok:
            flash(_("Investor %(name)s added.", name=outcome.value.name), "success")
            return redirect(url_for("investors.detail", investor_id=outcome.value.id))
    return render_template("investors/form.html", form=form, investor=None)


@bp.route("/<int:investor_id>")
def detail(investor_id: int):
    """:raise 404: when there is no such investor."""
    investor = queries.get_investor(investor_id)
    meetings = recent_meetings("investor", investor_id)
    return render_template("investors/detail.html", investor=investor, meetings=meetings,
                           sharing=investor_sharing(investor_id, timeutil.utcnow()), action_form=ActionForm(),
                           deals=deals_of("investor", investor_id), history=history_of("investors", investor_id),
                           **record_activity("investor", investor_id))


@bp.route("/<int:investor_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(investor_id: int):
    """:raise 404: when there is no such investor. A save over somebody else's shows a conflict."""
    investor = queries.get_investor(investor_id)
    conflict = None
    if request.method == "GET":
        form = InvestorForm(obj=services.investor_data(investor), owner_choices=staff_choices())
        form.owner_id.data = investor.owner_id or 0
        form.version.data = investor.version
    else:
        form = InvestorForm(owner_choices=staff_choices())
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_investor(
            investor, investor_data_from(form), form.version.data, current_user), record=investor)
        if outcome.ok:
            flash(_("Investor %(name)s saved.", name=investor.name), "success")
            return redirect(url_for("investors.detail", investor_id=investor.id))
        conflict = outcome.conflict
    return render_template("investors/form.html", form=form, investor=investor, conflict=conflict)


@bp.route("/<int:investor_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(investor_id: int):
    """GET asks for confirmation; POST deletes. :raise 404: when there is no such investor."""
    investor = queries.get_investor(investor_id)
    return confirm_delete(
        ActionForm(), title=_("Delete investor"),
        question=_("Delete %(name)s and its %(count)s contacts? Meetings stay, without this investor.",
                   name=investor.name, count=len(investor.contacts))
                 + deals_deleted_too(investor_id=investor.id),
        cancel_url=url_for("investors.detail", investor_id=investor.id),
        delete=lambda: services.delete_investor(investor, current_user),
        done_url=url_for("investors.index"), done_message=_("Investor %(name)s deleted.", name=investor.name))
