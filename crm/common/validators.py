"""WTForms fields and validators built on the libraries made for each kind of value.

Each validator also normalises the value (organisation numbers to 9 digits, phones to
E.164, emails to their normalised form), so forms hand clean values to the services.
"""
import gettext
from decimal import Decimal
from functools import cache

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from crm.common.money import parse_amount
from crm.common.text import sort_key

DEFAULT_PHONE_REGION = "NO"


class OrgNumber:
    """A Norwegian organisation number: 9 digits with a valid mod-11 check digit."""

    def __call__(self, form, field):
        if not field.data:
            field.data = None
            return
        try:
            field.data = orgnr.validate(field.data)
        except StdnumError:
            raise StopValidation(_l("Enter a valid Norwegian organisation number (9 digits)."))


class Email:
    """An email address, checked for syntax only (no DNS look-up), stored normalised."""

    def __call__(self, form, field):
        if not field.data:
            field.data = None
            return
        try:
            field.data = validate_email(field.data.strip(), check_deliverability=False).normalized
        except EmailNotValidError:
            raise StopValidation(_l("Enter a valid email address, like name@example.com."))


class Phone:
    """A phone number, Norwegian by default, stored in E.164 (+4722334455)."""

    def __call__(self, form, field):
        if not field.data:
            field.data = None
            return
        try:
            number = phonenumbers.parse(field.data, DEFAULT_PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise StopValidation(_l("Enter a valid phone number, with the country code if it is not Norwegian."))
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class WebAddress:
    """An http(s) address; a bare domain gets https:// in front."""

    def __call__(self, form, field):
        from urllib.parse import urlsplit

        if not field.data:
            field.data = None
            return
        value = field.data.strip()
        if "://" not in value:
            value = "https://" + value
        try:
            parts = urlsplit(value)
            host = parts.hostname or ""
        except ValueError:  # "http://[" and the like: urlsplit refuses a broken IPv6 host
            raise StopValidation(_l("Enter a web address, like https://example.com."))
        if parts.scheme not in ("http", "https") or "." not in host or " " in value:
            raise StopValidation(_l("Enter a web address, like https://example.com."))
        field.data = value


class AmountField(Field):
    """An exact amount typed as '1 500 000' or '1500000,50'; data is a Decimal or None."""

    widget = TextInput()
    places = 2

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data.normalize() if self.data == self.data.to_integral() else self.data, "f")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            value = parse_amount(valuelist[0])
        except ValueError:
            raise ValueError(_l("Enter an amount, like 1 500 000."))
        if value < 0:
            raise ValueError(_l("The amount cannot be negative."))
        # Before quantize(), which raises for a value with more digits than the context holds ("9" * 400).
        if value >= Decimal("1e15"):
            raise ValueError(_l("The amount is too large."))
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            raise ValueError(_l("Use at most two decimals.") if self.places == 2
                             else _l("Use at most %(n)s decimals.", n=self.places))
        self.data = value


class RateField(AmountField):
    """An exchange rate typed as '11,4825'; up to eight decimals."""

    places = 8


@cache
def _country_names(language: str) -> dict[str, str]:
    """ISO alpha-2 -> the country's name in ``language``, from pycountry's own translations (English without)."""
    names = {c.alpha_2: c.name for c in pycountry.countries}
    if language == "en":
        return names
    try:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return names
    return {code: catalogue.gettext(name) for code, name in names.items()}


@cache
def _sorted_choices(language: str) -> list[tuple[str, str]]:
    names = _country_names(language)
    if language == "en":
        return sorted(names.items(), key=lambda pair: pair[1])
    return sorted(names.items(), key=lambda pair: sort_key(pair[1]))  # Norwegian order: ..., Zambia, Østerrike, Åland


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def country_choices() -> list[tuple[str, str]]:
    """(ISO alpha-2, name) for every country, named and sorted in the user's language."""
    return list(_sorted_choices(_language()))


def country_name(code: str | None) -> str:
    """A country's name in the user's language; an unknown code is shown as it is."""
    if not code:
        return ""
    return _country_names(_language()).get(code.upper() if len(code) == 2 else code, code)


def clean_text(value: str | None) -> str | None:
    """Strip surrounding whitespace and NUL characters (PostgreSQL refuses NUL); empty becomes None."""
    if not isinstance(value, str):
        return value
    return value.replace("\x00", "").strip() or None


NUL_MESSAGE = _l("Remove the invisible control character (NUL) from this text; it cannot be saved.")


def _clean_form_text(field) -> None:
    """Surrounding whitespace stripped, empty made None; a NUL (never typed, only forged) is a field error."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValueError(NUL_MESSAGE)
    field.data = clean_text(field.data)


class StrippedStringField(StringField):
    """A one-line text field: surrounding whitespace stripped, empty is None, a NUL character refused."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        _clean_form_text(self)


class TextField(TextAreaField):
    """A multi-line text field: surrounding whitespace stripped, empty is None, a NUL character refused."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        _clean_form_text(self)


__all__ = ["OrgNumber", "Email", "Phone", "WebAddress", "AmountField", "RateField", "StrippedStringField", "TextField",
           "clean_text", "country_choices", "country_name", "ValidationError"]
