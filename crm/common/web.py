"""Small helpers the views share: putting service errors on forms, reading list parameters."""
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Form

from crm.errors import ConflictError, ValidationError
from crm.extensions import db


def add_form_error(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to its field, or above the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def is_safe_next(target: str | None) -> bool:
    """True for a path on this site ('/investors/3'), never for another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def page_number() -> int:
    """The ?page= parameter as a positive int; anything else is page 1."""
    value = request.args.get("page", "1")
    # isdecimal, not isdigit: "²" is a digit that int() refuses; and int() refuses 4,300 digits or more.
    return int(value) if value.isdecimal() and len(value) <= 5 and 0 < int(value) < 100000 else 1


def list_args(**overrides) -> dict:
    """The current list's query parameters with some replaced, for sort and page links."""
    args = {key: value for key, value in request.args.items(multi=False) if value}
    args.update(overrides)
    return {key: value for key, value in args.items() if value not in (None, "")}


def clean_choice_filters(form: Form) -> None:
    """Blank out select filters whose value is not one of their choices (bad URLs are ignored)."""
    for field in form:
        choices = getattr(field, "choices", None)
        if choices is not None and field.data not in {str(value) for value, _label in choices}:
            field.data = ""


@dataclass
class Outcome:
    ok: bool
    value: object = None
    conflict: ConflictError | None = None


def save(form: Form, action: Callable[[], object]) -> Outcome:
    """Run a service call and commit: the one commit of a form request.

    A ValidationError goes next to its field; a ConflictError (or SQLAlchemy's StaleDataError,
    when two saves race) comes back as ``conflict``; either way the transaction is rolled
    back and nothing the user typed is lost, since the form is shown again.
    """
    try:
        value = action()
        db.session.commit()
    except ValidationError as error:
        db.session.rollback()
        add_form_error(form, error)
        return Outcome(False)
    except ConflictError as error:
        db.session.rollback()
        return Outcome(False, conflict=error)
    except StaleDataError:
        db.session.rollback()
        return Outcome(False, conflict=ConflictError(
            _l("Somebody else saved this record at the same moment. Check it and save again.")))
    return Outcome(True, value)
