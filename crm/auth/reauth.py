"""Sensitive actions ask for the password again when the sign-in is older than a few minutes."""
from datetime import timedelta
from functools import wraps

from flask import current_app, g, redirect, request, url_for

from crm.common.timeutil import utcnow


def sign_in_is_recent() -> bool:
    row = g.get("user_session")
    minutes = current_app.config["REAUTH_MINUTES"]
    return row is not None and utcnow() - row.authenticated_at <= timedelta(minutes=minutes)


def recent_sign_in_required(view):
    """Send the user to confirm their password first; they come back to the page they were on.

    A POST cannot be replayed after the detour, so it returns to the referring page, where
    the user presses the button again.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not sign_in_is_recent():
            back = request.full_path if request.method == "GET" else (request.referrer or url_for("dashboard.index"))
            return redirect(url_for("auth.confirm", next=_local(back)))
        return view(*args, **kwargs)

    return wrapped


def _local(url: str) -> str:
    """Keep only the path and query of a URL (the referrer is absolute)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
