"""The check against lost updates, shared by every edit form."""
from dataclasses import fields

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.errors import ConflictError, ValidationError
from crm.extensions import db


def _plain(value):
    if isinstance(value, list):  # a multiple choice: its order carries no meaning
        return sorted(_plain(v) for v in value)
    return value.value if hasattr(value, "value") else value


def check_version(current_version: int, expected_version, saved=None, typed=None) -> None:
    """Refuse a save made from an outdated form: somebody saved the record in between.

    ``saved`` and ``typed`` are the same dataclass filled from the record and from the
    form; the error lists the fields where they differ, so the page can show the other
    person's values beside the ones this user typed (which stay in the form). A form that
    names no version at all (a hand-made request) is refused the same way.
    """
    if str(current_version) == str(expected_version):
        return
    changes = []
    if saved is not None and typed is not None:
        for f in fields(saved):
            before, after = _plain(getattr(saved, f.name)), _plain(getattr(typed, f.name))
            if before != after:
                changes.append((f.name, before, after))
    raise ConflictError(_l("Somebody else saved this record while you were editing it. "
                           "Their saved values are shown below; save again to replace them with yours."),
                        changes)


def assign(record, data) -> None:
    """Copy every field of the dataclass ``data`` onto ``record``."""
    for f in fields(data):
        setattr(record, f.name, getattr(data, f.name))


def load_chosen(model, ids: list[int], field_name: str) -> list:
    """The records a form chose by id; raises ValidationError on ``field_name`` if one has gone since."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    rows = list(db.session.scalars(select(model).where(model.id.in_(ids))))
    if len(rows) != len(ids):
        raise ValidationError(field_name, _l("One of the chosen entries no longer exists. Choose again."))
    return rows
