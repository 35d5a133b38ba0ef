"""Follow-up pages: "My follow-ups", adding one about a record, editing, done and open again, deleting."""
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import requires
from crm.common.forms import ActionForm
from crm.common import timeutil
from crm.common.timeutil import local_today
from crm.common.web import confirm_delete, is_safe_next, save
from crm.followups import queries, services
from crm.followups.forms import AgendaFilterForm, FollowUpForm
from crm.followups.targets import load_target, target_from_args, target_label, target_url
from crm.models import FollowUp, Role
from crm.users.queries import staff_choices

bp = Blueprint("followups", __name__, url_prefix="/follow-ups")

DONE_SHOWN_DAYS = 7


@bp.route("/")
def index():
    """One person's follow-ups: overdue, due today, this week and later, and what was done in the last week."""
    staff = staff_choices()
    form = AgendaFilterForm(request.args, staff=staff, me=current_user.id)
    today = local_today()
    agenda = queries.agenda(int(form.user.data), today, timeutil.utcnow() - timedelta(days=DONE_SHOWN_DAYS))
    return render_template("followups/index.html", agenda=agenda, form=form, today=today,
                           mine=int(form.user.data) == current_user.id, action_form=ActionForm())


def _back_url(default: str) -> str:
    wanted = request.values.get("next")
    return wanted if is_safe_next(wanted) else default


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    """Add a follow-up about ``?startup_id=``, ``?investor_id=``, ``?contact_id=``, ``?deal_id=`` or ``?meeting_id=``.

    :raise 404: when none of them names a record.
    """
    target = target_from_args(request.args, FollowUp.LINKS)
    record = load_target(target)
    form = FollowUpForm(staff=staff_choices())
    if request.method == "GET":
        form.assignee_id.data = current_user.id
        form.due_on.data = local_today() + timedelta(days=7)
    back = target_url(target.kind, target.id)
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_follow_up(form.to_data(), target, current_user))
        if outcome.ok:
            flash(_("Follow-up added: %(title)s.", title=outcome.value.title), "success")
            return redirect(back)
    return render_template("followups/form.html", form=form, follow_up=None, cancel_url=back,
                           about=target_label(target.kind, record))


@bp.route("/<int:follow_up_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(follow_up_id: int):
    """:raise 404: when there is no such follow-up. A save over somebody else's shows a conflict."""
    follow_up = queries.get_follow_up(follow_up_id)
    if request.method == "GET":
        form = FollowUpForm(obj=services.follow_up_data(follow_up), staff=staff_choices(),
                            version=follow_up.version)
    else:
        form = FollowUpForm(staff=staff_choices())
    conflict = None
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_follow_up(follow_up, form.to_data(), form.version.data,
                                                               current_user), record=follow_up)
        if outcome.ok:
            flash(_("Follow-up saved."), "success")
            return redirect(url_for("followups.index"))
        conflict = outcome.conflict
    return render_template("followups/form.html", form=form, follow_up=follow_up, conflict=conflict,
                           cancel_url=url_for("followups.index"), about=_about(follow_up))


def _about(follow_up: FollowUp) -> str:
    return target_label(follow_up.target_kind, follow_up.target) if follow_up.target is not None else ""


def _toggle(follow_up_id: int, change, message: str):
    """Run a one-click change (done, open again) and go back where the button was."""
    follow_up = queries.get_follow_up(follow_up_id)
    form = ActionForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: change(follow_up, current_user), record=follow_up)
        if outcome.ok:
            flash(message % {"title": follow_up.title}, "success")
        else:
            flash(outcome.conflict.message if outcome.conflict else _("Nothing was changed."), "warning")
    return redirect(_back_url(url_for("followups.index")))


@bp.route("/<int:follow_up_id>/done", methods=["POST"])
def done(follow_up_id: int):
    """Mark a follow-up done. :raise 404: when there is no such follow-up."""
    return _toggle(follow_up_id, services.mark_done, _("Done: %(title)s."))


@bp.route("/<int:follow_up_id>/open", methods=["POST"])
def reopen(follow_up_id: int):
    """Open a follow-up marked done by mistake again. :raise 404: when there is no such follow-up."""
    return _toggle(follow_up_id, services.mark_open, _("Open again: %(title)s."))


@bp.route("/<int:follow_up_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(follow_up_id: int):
    """GET asks for confirmation; POST moves it to the trash. :raise 404: when there is no such follow-up."""
    follow_up = queries.get_follow_up(follow_up_id)
    return confirm_delete(
        ActionForm(), title=_("Delete follow-up"),
        question=_("Delete the follow-up “%(title)s”?", title=follow_up.title),
        cancel_url=url_for("followups.edit", follow_up_id=follow_up.id),
        delete=lambda: services.delete_follow_up(follow_up, current_user),
        done_url=url_for("followups.index"), done_message=_("Follow-up deleted."))
