"""Domain exceptions raised by services, and the app's own error pages."""
from flask import Blueprint, Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """Base class for errors a service raises and a view turns into a message."""


class ValidationError(DomainError):
    """A business rule failed for one form field (``field`` may be None for the whole form)."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class ConflictError(DomainError):
    """The record changed since the user loaded it; ``changes`` lists what the other person changed."""

    def __init__(self, message: str, changes: list[tuple[str, object, object]] | None = None):
        super().__init__(message)
        self.message = message
        self.changes = changes or []


ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    410: _l("Gone"),
    413: _l("Request too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}

ERROR_TEXTS = {
    400: _l("The request could not be understood. Go back and try again."),
    403: _l("Your account is not allowed to do this. Ask an administrator if you need access."),
    404: _l("There is nothing at this address. It may have been deleted, or the link is wrong."),
    405: _l("This address does not accept this kind of request."),
    410: _l("This is no longer available."),
    413: _l("What you sent is larger than the server accepts."),
    429: _l("Too many attempts. Wait a little and try again."),
    500: _l("The error has been logged. Try again, and tell an administrator if it happens again."),
}


def render_error(code: int, text: str | None = None, template: str = "errors/error.html"):
    """Render the app's error page (or ``template``) for an HTTP status code."""
    title = ERROR_TITLES.get(code, ERROR_TITLES[500])
    return render_template(template, code=code, title=title, text=text or ERROR_TEXTS.get(code, "")), code


def register_error_handlers(app: Flask | Blueprint, template: str = "errors/error.html") -> None:
    """Show every HTTP error and every unexpected exception with the app's own page.

    A blueprint whose pages look different (the public share pages) registers them again with its own template.
    """

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask_babel import gettext as _
        return render_error(400, _("The form had expired or was not sent from this site. "
                                   "Reload the page and try again."), template)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        body, code = render_error(error.code, template=template)
        # Keep the headers the status needs (Allow on 405, Retry-After on 429); the page sets its own type.
        headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        return body, code, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        current_app.logger.exception("Unhandled exception")
        from crm.extensions import db
        db.session.rollback()
        return render_error(500, template=template)
