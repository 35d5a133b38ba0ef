"""The interface language of a request: the account's choice, then the browser's Accept-Language, then English."""
from flask import current_app, has_request_context, request
from flask_login import current_user

from crm.public.session import is_share_page

DEFAULT_LANGUAGE = "en"
# Each language is named in itself in the switch, so that a reader who cannot read the other one finds theirs.
LANGUAGES = {"en": "English", "nb": "Norsk"}
# Browsers send "no" (Norwegian), "nb" (Bokmål) or "nn" (Nynorsk); Bokmål is the catalogue all three can read.
_ALIASES = {"en": "en", "nb": "nb", "no": "nb", "nn": "nb"}


def language_of(tag: str | None) -> str | None:
    """The catalogue for a language tag ('nb-NO' -> 'nb', 'en_GB' -> 'en'), or None when there is none."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return _ALIASES.get(primary)


def browser_language(accept_languages) -> str | None:
    """The first language the browser asks for, in order of preference, that the app speaks."""
    for tag, quality in accept_languages:  # werkzeug's LanguageAccept: best first
        if quality > 0 and (language := language_of(tag)) is not None:
            return language
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector.

    A share page (/s/<token>) follows only the reader's browser: it must not read the account of a staff
    member who happens to be signed in, and it never writes the session.
    """
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    if not has_request_context():
        return default
    if not is_share_page() and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    return browser_language(request.accept_languages) or default
