"""Small helpers the views share: putting service errors on forms, reading list parameters."""
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
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


MAX_RECORD_ID = 2**31 - 1  # PostgreSQL's integer


def parse_id(value: str | None) -> int | None:
    """A record id typed in a URL, or None: "²" passes isdigit() but not int(), and ids end at MAX_RECORD_ID."""
    if not value or not value.isdecimal() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_RECORD_ID else None


def id_arg(name: str) -> int | None:
    """The query parameter ``name`` as a record id, or None."""
    return parse_id(request.args.get(name))


def id_args(name: str) -> list[int]:
    """Every valid record id among the repeated query parameter ``name``."""
    return [number for value in request.args.getlist(name) if (number := parse_id(value)) is not None]


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


def save(form: Form, action: Callable[[], object], record=None) -> Outcome:
    """Run a service call and commit: the one commit of a form request.

    A ValidationError goes next to its field; a ConflictError (or SQLAlchemy's StaleDataError,
    when two saves race) comes back as ``conflict``; either way the transaction is rolled
    back and nothing the user typed is lost, since the form is shown again. On a conflict
    the form takes the ``record``'s saved version, so that saving again is a deliberate
    overwrite of what the other person saved. A unique constraint that fires at the commit (two
    people saving the same new record at the same instant, past the service's own check) is a
    message above the form as well.
    """
    try:
        value = action()
        db.session.commit()
    except ValidationError as error:
        db.session.rollback()
        add_form_error(form, error)
        return Outcome(False)
    except (ConflictError, StaleDataError) as error:
        db.session.rollback()
        if record is not None and hasattr(form, "version"):
            form.version.data = record.version  # the rollback expired it: this reads the saved one
        if isinstance(error, StaleDataError):
            error = ConflictError(_l("Somebody else saved this record at the same moment. Check it and save again."))
        return Outcome(False, conflict=error)
    except IntegrityError:
        db.session.rollback()
        add_form_error(form, ValidationError(None, _l(
            "Somebody else saved the same record at the same moment, so this one would be a duplicate. "
            "Check the list, then save again if it is still needed.")))
        return Outcome(False)
    return Outcome(True, value)


def confirm_delete(form: Form, *, title: str, question: str, cancel_url: str, delete: Callable[[], None],
                   done_url: str, done_message: str):
    """GET shows a confirmation page; a valid POST deletes, commits and goes to ``done_url``."""
    if form.validate_on_submit():
        delete()
        db.session.commit()
        flash(done_message, "success")
        return redirect(done_url)
    return render_template("confirm_delete.html", form=form, title=title, question=question, cancel_url=cancel_url)
