"""Sign-in, sign-out and the signed-in user's own password."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from crm.auth.access import public, requires
from crm.auth.forms import ChangePasswordForm, LoginForm
from crm.common.web import add_form_error, is_safe_next
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import Role
from crm.users import services as user_services

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in; ``next`` is followed only to a path on this site."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = user_services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Wrong email or password, or the account is deactivated."))
        else:
            db.session.commit()
            login_user(user)
            target = form.next.data if is_safe_next(form.next.data) else url_for("dashboard.index")
            return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires(Role.VIEWER)
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@requires(Role.VIEWER)
def password():
    """Change one's own password (every role may)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user_services.change_own_password(current_user, form.current_password.data, form.new_password.data)
        except ValidationError as error:
            add_form_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)
