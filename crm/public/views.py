"""The share page a link opens, without signing in. HTTP only.

A reader gets no cookie: these pages use no flash and no CSRF token, recognise a signed-in staff member by
reading the session rather than through current_user, and the app's session interface (crm.public.session)
never saves the session on them.
"""
from flask import Blueprint, abort, current_app, render_template, request, session
from flask_babel import gettext as _

from crm.auth.access import load_user, public
from crm.common import timeutil
from crm.errors import register_error_handlers
from crm.extensions import db, limiter
from crm.models import ShareLinkStatus, User
from crm.public.session import SHARE_PREFIX, is_share_page
from crm.sharing import queries, services

bp = Blueprint("public", __name__, url_prefix=SHARE_PREFIX.rstrip("/"))
register_error_handlers(bp, template="public/message.html")

SECURITY_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never pass it on to a linked site
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",  # a revoked link must not live on in a cache
}


def share_rate_limit() -> str:
    return current_app.config["SHARE_RATE_LIMIT"]


@bp.after_app_request
def protect(response):
    # Every address under /s/, not only the routed ones: a 405 or a bare /s/ is answered by the app.
    if is_share_page():
        response.headers.update(SECURITY_HEADERS)
    return response


def _signed_in_staff() -> User | None:
    """The staff member whose session this request carries, read without writing to the session."""
    user_id = session.get("_user_id")
    return load_user(str(user_id)) if user_id else None


@bp.route("/<token>")
@public
@limiter.limit(share_rate_limit)
def profile(token: str):
    """The profile a link shows. :raise 404: for a token that opens nothing. :raise 410: when it no longer works."""
    now = timeutil.utcnow()
    opened = queries.open_link(token, timeutil.local_today(now))
    if opened is None:
        abort(404)
    link = opened.link
    status = link.status(now)
    if status is not ShareLinkStatus.ACTIVE:
        text = (_("This link expired.") if status is ShareLinkStatus.EXPIRED
                else _("This link has been withdrawn by the person who sent it."))
        return render_template("public/message.html", code=410, title=_("This link no longer works"), text=text,
                               sender=queries.link_sender(link)), 410
    # The page is put together before the view is saved: the commit would expire the link and its parties.
    shown = queries.opened_profile(opened, now, queries.link_sender(link))
    if request.method == "GET":  # HEAD comes from link checkers, not readers
        services.record_share_view(link, request.headers.get("User-Agent"), request.remote_addr,
                                   viewer=_signed_in_staff(), now=now)
        db.session.commit()
    return render_template("public/profile.html", profile=shown)
