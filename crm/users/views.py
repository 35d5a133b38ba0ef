"""The admin's user pages: add accounts, change roles, reset passwords, deactivate."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import blueprint_requires
from crm.common.forms import ActionForm
from crm.common.web import page_number, save
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import Role, User
from crm.users import queries, services
from crm.auth.two_factor import set_two_factor_required, two_factor_required
from crm.users.forms import NewUserForm, SetPasswordForm, TwoFactorPolicyForm, UserForm

bp = Blueprint("users", __name__, url_prefix="/users")
bp.before_request(blueprint_requires(Role.ADMIN))


@bp.route("/")
def index():
    page = db.paginate(queries.user_list(), page=page_number(), per_page=50, error_out=False)
    return render_template("users/index.html", page=page, action_form=ActionForm())


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewUserForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_user(form.to_data(), form.password.data))
        if outcome.ok:
            flash(_("Account for %(email)s created.", email=outcome.value.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    """:raise 404: when there is no such user."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_user(user, form.to_data(), current_user))
        if outcome.ok:
            flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
def password(user_id: int):
    """Reset another user's password. :raise 404: when there is no such user."""
    user = db.get_or_404(User, user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.set_password(user, form.password.data))
        if outcome.ok:
            flash(_("New password set for %(email)s.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/password.html", form=form, user=user)


@bp.route("/<int:user_id>/active", methods=["POST"])
def toggle_active(user_id: int):
    """Deactivate an active account or reactivate an inactive one. :raise 404: when there is no such user."""
    user = db.get_or_404(User, user_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            services.set_active(user, not user.active, current_user)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("%(email)s is active again.", email=user.email) if user.active
                  else _("%(email)s is deactivated and can no longer sign in.", email=user.email), "success")
    return redirect(url_for("users.index"))


@bp.route("/security", methods=["GET", "POST"])
def security():
    """Require two-factor sign-in for administrators and managers."""
    form = TwoFactorPolicyForm(required=two_factor_required())
    if form.validate_on_submit():
        set_two_factor_required(form.required.data)
        db.session.commit()
        flash(_("Two-factor sign-in is now required for administrators and managers.") if form.required.data
              else _("Two-factor sign-in is now optional."), "success")
        return redirect(url_for("users.security"))
    return render_template("users/security.html", form=form)
