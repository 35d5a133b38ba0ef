"""The fields of the API's records: checking a JSON value's type, turning it into form input, and back into JSON."""
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum

from flask_babel import lazy_gettext as _l

from crm.common.timeutil import utc_to_local
from crm.common.web import MAX_RECORD_ID

AMOUNT_PATTERN = r"^[0-9]{1,13}(\.[0-9]{1,2})?$"


@dataclass(frozen=True)
class ApiField:
    """One field: ``kind`` is string, text, integer, id, amount, date, datetime, enum, enums or ids."""

    name: str
    kind: str = "string"
    choices: tuple = ()
    required: bool = False  # on create
    write: bool = True  # False: shown, never written
    create_only: bool = False  # set when the record is made, not changed later
    minimum: int = 1
    maximum: int = MAX_RECORD_ID
    max_length: int | None = None

    @property
    def nullable(self) -> bool:
        return not self.required and self.kind not in ("enums", "ids")


def _text(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")  # a lone surrogate from a JSON escape cannot be stored
    except UnicodeEncodeError:
        return False
    return True


def _integer(value, field: ApiField) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and field.minimum <= value <= field.maximum


def type_error(field: ApiField, value) -> str | None:
    """Why ``value`` does not fit the field's JSON type, or None."""
    if value is None:
        return None if field.nullable else str(_l("This field cannot be null."))
    if field.kind in ("integer", "id"):
        return None if _integer(value, field) else str(_l("Send a whole number from %(min)s to %(max)s.",
                                                          min=field.minimum, max=field.maximum))
    if field.kind in ("enums", "ids"):
        if not isinstance(value, list):
            return str(_l("Send a list."))
        check = (lambda v: _integer(v, field)) if field.kind == "ids" else _text
        return None if all(check(v) for v in value) else str(_l("Send a list of valid values."))
    if not _text(value):
        return str(_l("Send text."))
    return None


def form_input(field: ApiField, value) -> list[str]:
    """A JSON value as the form field would receive it from a browser."""
    if value is None:
        return [""]
    if field.kind == "datetime":
        return [_local_minutes(value)]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _local_minutes(value: str) -> str:
    """An ISO 8601 time (UTC when it names no offset) as the form's Oslo wall-clock minutes; unparseable as it is."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return utc_to_local(moment.astimezone(timezone.utc)).strftime("%Y-%m-%dT%H:%M")
    except (OverflowError, ValueError):
        return value


def plain_input(field: ApiField, value) -> list[str]:
    """A saved value (from a service's data class) as form input, for a partial update."""
    if value is None:
        return []
    if field.kind == "datetime":
        return [utc_to_local(value).strftime("%Y-%m-%dT%H:%M")]
    if isinstance(value, list):
        return [str(v.value if isinstance(v, Enum) else v) for v in value]
    if isinstance(value, Enum):
        return [value.value]
    if isinstance(value, date):
        return [value.isoformat()]
    return [str(value)]


def json_value(value):
    """A record's value as JSON: codes for choices, amounts as text with two decimals, times in UTC."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return str(value)
