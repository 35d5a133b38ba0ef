"""Sign-in (with an optional second factor), sign-out, one's own password and two-factor settings."""
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from crm.auth import sessions
from crm.auth import two_factor as tfa
from crm.auth.access import public, requires
from crm.auth.forms import (ChangePasswordForm, CodeForm, ConfirmPasswordForm, DisableTwoFactorForm,
                            EnableTwoFactorForm, LanguageForm, LoginForm)
from crm.common.forms import ActionForm
from crm.common.text import fold
from crm.common.timeutil import utcnow
from crm.common.web import MAX_RECORD_ID, add_form_error, is_safe_next, save
from crm.errors import ValidationError
from crm.extensions import db, limiter
from crm.models import Role, User
from crm.users import services as user_services

bp = Blueprint("auth", __name__, url_prefix="/auth")
PENDING_TTL = timedelta(minutes=5)


def _failed(response) -> bool:
    """Only failed attempts count against the limits (a success redirects)."""
    return response.status_code != 302


def _account_key() -> str:
    return "account:" + fold(request.form.get("email", ""))[:254]


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _pending_key() -> str:
    return "pending:" + str(session.get("pending_user_id", ""))


def _next_target(value: str | None) -> str:
    return value if is_safe_next(value) else url_for("dashboard.index")


def _complete_sign_in(user: User, target: str):
    """Start a fresh session (a new cookie, so a planted one is worthless) and sign in."""
    session.clear()
    row = sessions.start_session(user, request.user_agent.string)
    db.session.commit()
    session["sid"] = row.id
    login_user(user)
    return redirect(target)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    """Sign in; ``next`` is followed only to a path on this site. The same message for every failure."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = user_services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Wrong email or password, or the account is deactivated."))
        elif user.has_two_factor:
            db.session.commit()
            session.clear()
            session["pending_user_id"] = user.id
            session["pending_since"] = utcnow().isoformat()
            return redirect(url_for("auth.login_code", next=_next_target(form.next.data)))
        else:
            db.session.commit()
            return _complete_sign_in(user, _next_target(form.next.data))
    return render_template("auth/login.html", form=form)


def _pending_since(value) -> datetime | None:
    """When the password step was passed, as the session keeps it; None for anything else."""
    try:
        return datetime.fromisoformat(value).astimezone(timezone.utc) if isinstance(value, str) else None
    except (ValueError, OverflowError):
        return None


@bp.route("/login/code", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, methods=["POST"], key_func=_pending_key, deduct_when=_failed)
def login_code():
    """The second step for users with two-factor sign-in: a TOTP code or a recovery code."""
    user_id = session.get("pending_user_id")
    since = _pending_since(session.get("pending_since"))
    user = db.session.get(User, user_id) if isinstance(user_id, int) and 0 < user_id <= MAX_RECORD_ID else None
    if user is None or not user.active or since is None or utcnow() - since > PENDING_TTL:
        session.clear()
        flash(_("Sign in again: the code was not entered in time."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        if tfa.verify_second_factor(user, form.code.data):
            return _complete_sign_in(user, _next_target(form.next.data))
        form.code.errors = [_("That code is not right. Try the newest code from your app.")]
    return render_template("auth/code.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires(Role.VIEWER)
def logout():
    """End the session on the server too: a copy of the cookie no longer signs anybody in."""
    sessions.end_session(session.get("sid"))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@requires(Role.VIEWER)
def language():
    """Save the interface language on the account and go back to the page the switch was on."""
    form = LanguageForm()
    if form.validate_on_submit():
        save(form, lambda: user_services.set_language(current_user, form.language.data))
    else:
        flash(_("The language was not changed. Reload the page and try again."), "danger")
    return redirect(_next_target(form.next.data))


@bp.route("/password", methods=["GET", "POST"])
@requires(Role.VIEWER)
def password():
    """Change one's own password (every role may); every other session of this user ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: user_services.change_own_password(
            current_user, form.current_password.data, form.new_password.data))
        if outcome.ok:
            response = _complete_sign_in(db.session.get(User, current_user.id), url_for("dashboard.index"))
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return response
    return render_template("auth/password.html", form=form)


@bp.route("/confirm", methods=["GET", "POST"])
@requires(Role.VIEWER)
def confirm():
    """Type the password again before a sensitive action."""
    form = ConfirmPasswordForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            sessions.confirm_identity(g.user_session)
            db.session.commit()
            return redirect(_next_target(form.next.data))
        form.password.errors = [_("This is not your password.")]
    return render_template("auth/confirm.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@requires(Role.VIEWER)
def two_factor():
    """The user's two-factor settings; POST starts the setup with a new secret and its QR code."""
    enable_form = None
    if request.method == "POST" and ActionForm().validate_on_submit():
        secret = tfa.new_secret()
        enable_form = EnableTwoFactorForm(secret=secret)
        uri = tfa.provisioning_uri(current_user, secret)
        return render_template("auth/two_factor_setup.html", form=enable_form, secret=secret,
                               qr=tfa.qr_svg(uri))
    return render_template("auth/two_factor.html", action_form=ActionForm(), disable_form=DisableTwoFactorForm(),
                           required=g.get("must_set_up_two_factor", False),
                           unused_codes=tfa.unused_recovery_codes(current_user))


@bp.route("/two-factor/enable", methods=["POST"])
@requires(Role.VIEWER)
def two_factor_enable():
    form = EnableTwoFactorForm()
    if not tfa.is_valid_secret(form.secret.data):
        flash(_("Start the setup again."), "info")
        return redirect(url_for("auth.two_factor"))
    if form.validate_on_submit():
        try:
            codes = tfa.enable_two_factor(current_user, form.secret.data, form.code.data)
        except ValidationError as error:
            db.session.rollback()
            add_form_error(form, error)
        else:
            db.session.commit()
            flash(_("Two-factor sign-in is on."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
    uri = tfa.provisioning_uri(current_user, form.secret.data or "")
    return render_template("auth/two_factor_setup.html", form=form, secret=form.secret.data,
                           qr=tfa.qr_svg(uri))


@bp.route("/two-factor/disable", methods=["POST"])
@requires(Role.VIEWER)
def two_factor_disable():
    """Turning it off asks for the password; it cannot be turned off while an admin requires it."""
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            flash(_("This is not your password: two-factor sign-in stays on."), "danger")
        elif tfa.two_factor_required() and current_user.has_role(Role.MANAGER):
            flash(_("Two-factor sign-in is required for your role and cannot be turned off."), "danger")
        else:
            tfa.disable_two_factor(current_user)
            db.session.commit()
            flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("auth.two_factor"))
