"""Access control for every request, in one place.

Every endpoint needs a signed-in, active user with a live server-side session unless its
view is marked ``@public`` (or ``@token_authenticated``: the JSON API checks for itself).
Reading (GET, HEAD, OPTIONS) needs the viewer role; anything else needs the manager role
unless the view is marked with ``@requires(...)``. A view that shows a form for a change
(new, edit, delete confirmation) is marked ``@requires(Role.MANAGER)`` so that a viewer
gets 403 for the page too. Forgetting a mark can never open a write to a viewer.
"""
from datetime import timedelta

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import and_, select

from crm.audit.recorder import bind_actor
from crm.auth.sessions import live_session
from crm.common.web import parse_id
from crm.extensions import db, login_manager
from crm.models import AppSetting, Role, User, UserSession

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})
# What a user who must first set up two-factor sign-in may still reach.
TWO_FACTOR_SETUP_ENDPOINTS = frozenset({"auth.two_factor", "auth.two_factor_enable", "auth.logout", "auth.language"})


def public(view):
    """Mark a view as reachable without signing in."""
    view.is_public = True
    return view


def token_authenticated(view):
    """Mark an API view: the session guard leaves it alone, and the API checks its bearer token (or
    session) and role itself, answering 401 and 403 as JSON instead of sending anyone to sign in."""
    view.checks_own_access = True
    return view


def requires(role: Role):
    """Mark a view as needing at least ``role`` for every method."""

    def mark(view):
        view.required_role = role
        return view

    return mark


def required_role(view, method: str) -> Role:
    """The least role that may call ``view`` with ``method``."""
    marked = getattr(view, "required_role", None)
    if marked is not None:
        return marked
    return Role.VIEWER if method in SAFE_METHODS else Role.MANAGER


def enforce_access():
    """before_request hook: sign-in first, then the role the endpoint and method need."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None  # unknown URLs fall through to 404 / 405
    view = current_app.view_functions[endpoint]
    if getattr(view, "is_public", False) or getattr(view, "checks_own_access", False):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    bind_actor(db.session, current_user)
    if g.get("must_set_up_two_factor") and endpoint not in TWO_FACTOR_SETUP_ENDPOINTS:
        return redirect(url_for("auth.two_factor"))
    if not current_user.has_role(required_role(view, request.method)):
        abort(403)
    return None


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of a live session, and only an active one.

    A cookie whose server-side session has ended (sign-out, new password, deactivation,
    idle time-out) signs nobody in, even though its signature is still valid.
    """
    from crm.auth.two_factor import REQUIRE_SETTING, must_set_up_two_factor

    number = parse_id(user_id) if isinstance(user_id, str) else None  # the cookie is signed, but be strict
    if number is None:
        return None
    # One statement for the user, the session (live_session then finds it in the identity map) and the
    # two-factor setting, since every signed-in request runs it.
    sid = session.get("sid")
    setting = select(AppSetting.value).where(AppSetting.key == REQUIRE_SETTING).scalar_subquery()
    found = db.session.execute(
        select(User, UserSession, setting).where(User.id == number)
        .outerjoin(UserSession, and_(UserSession.id == (sid if isinstance(sid, str) else None),
                                     UserSession.user_id == User.id))).first()
    user = found[0] if found else None
    if user is None or not user.active:
        return None
    idle = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    row = live_session(sid, user.id, idle)
    if db.session.dirty:
        db.session.commit()  # an idled-out session recorded as ended, or a live one's last-seen time moved on
    if row is None:
        session.clear()
        return None
    g.user_session = row
    g.must_set_up_two_factor = must_set_up_two_factor(user, required=found[2] == "1")
    return user


def blueprint_requires(role: Role):
    """A before_request hook for a blueprint whose every page needs ``role`` (the admin pages)."""

    def check():
        if current_user.is_authenticated and not current_user.has_role(role):
            abort(403)

    return check
