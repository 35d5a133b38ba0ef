"""The session as share pages see it: readable, never written, so that a reader of a link gets no cookie."""
from flask import request
from flask.sessions import SecureCookieSessionInterface

SHARE_PREFIX = "/s/"


def is_share_page() -> bool:
    """True for every address under /s/, whether or not a route answers it."""
    return request.path.startswith(SHARE_PREFIX)


class ShareSafeSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a response from a share page never sets or clears the cookie."""

    def save_session(self, app, session, response):
        # Flask-Login's template context processor loads the user on every render, and its session
        # protection may then mark the session (_fresh); on a share page that must not become a cookie.
        if is_share_page():
            return
        super().save_session(app, session, response)
