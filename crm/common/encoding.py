"""Requests whose address or form is not UTF-8 text get a clear 400, before any form reads them.

Werkzeug decodes what it cannot read with replacement characters, or drops a whole form body, so
a mangled value would otherwise be saved, or the post refused with the misleading CSRF message.
The JSON API answers for itself (in JSON), and file uploads (multipart) carry binary files.
"""
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask_babel import gettext as _

from crm.errors import render_error

FORM_TYPE = "application/x-www-form-urlencoded"


def _is_utf8(raw: bytes) -> bool:
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def refuse_text_that_is_not_utf8():
    """before_request hook: 400 for a query string or a urlencoded form body that is not UTF-8."""
    if request.blueprint == "api" or request.endpoint in ("static", "bootstrap.static"):
        return None
    if not _is_utf8(request.query_string):
        return render_error(400, _("The address contains characters that are not UTF-8 text. "
                                   "Check the link, or type the address again."))
    if request.mimetype == FORM_TYPE and not _is_utf8(request.get_data(cache=True)):
        return render_error(400, _("The form contained characters that are not UTF-8 text. "
                                   "Reload the page and type them again."))
    return None


def register(app: Flask) -> None:
    """Register the hook; call before CSRF protection is set up, so that it runs first."""
    app.before_request(refuse_text_that_is_not_utf8)
