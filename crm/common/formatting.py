"""Template filters: dates in Europe/Oslo, amounts with currency, phones, countries, org numbers."""
from datetime import date, datetime
from decimal import Decimal

import phonenumbers
from babel import Locale
from babel.numbers import get_currency_symbol
from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from stdnum.no import orgnr

from crm.common.language import LANGUAGES
from crm.common.validators import country_name
from crm.common.web import list_args


def _currency_pattern(locale: Locale, currency: str, whole: bool) -> str:
    """The language's own currency pattern ('#,##0.00 ¤' in Norwegian), without decimals for whole amounts.

    A currency shown by its code ('NOK', 'CHF') is set apart from the digits by a no-break space,
    as CLDR's currency spacing asks and Babel does not do: 'NOK 1,500,000', but '€1,500,000'.
    """
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    if whole:
        pattern = pattern.replace(".00", "")
    if get_currency_symbol(currency, locale)[-1:].isalpha():
        pattern = pattern.replace("¤#", "¤\xa0#")
    return pattern


def money(amount: Decimal | None, currency: str | None = "NOK") -> str:
    """'NOK 1,500,000' in English, '1 500 000 kr' in Norwegian; whole amounts without decimals."""
    if amount is None:
        return ""
    currency = currency or "NOK"
    pattern = _currency_pattern(get_locale() or Locale.parse("en"), currency, amount == amount.to_integral_value())
    return format_currency(amount, currency, format=pattern, currency_digits=False)


def rate(value: Decimal | None) -> str:
    """An exchange rate with every decimal it has (up to eight), never rounded to three."""
    return format_decimal(value, format="#,##0.00######") if value is not None else ""


def datetime_local(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC time shown in the display time zone (Europe/Oslo)."""
    return format_datetime(value, fmt) if value else ""


# Patterns the templates give by hand, as each language writes them: Norwegian puts a full stop after the day.
_PATTERNS = {"nb": {"EEE d MMM": "EEE d. MMM"}}


def date_local(value: date | None, fmt: str = "medium") -> str:
    """A day in the user's language ('Mon 16 Mar', 'man. 16. mars'); a time is first put in the display time zone."""
    if not value:
        return ""
    language = get_locale().language if get_locale() is not None else "en"
    return format_date(value, _PATTERNS.get(language, {}).get(fmt, fmt))


def phone(value: str | None) -> str:
    """An E.164 number shown in international format: +47 22 33 44 55."""
    if not value:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(value), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return value


def org_number(value: str | None) -> str:
    return orgnr.format(value) if value else ""


def field_value(field, value) -> str:
    """A saved or typed value as the form shows it: choice labels, not stored codes or ids."""
    if value in (None, "", []):
        return "—"
    values = value if isinstance(value, list) else [value]
    labels = {str(key): str(label) for key, label in (getattr(field, "choices", None) or [])}
    shown = []
    for item in values:
        if str(item) in labels:
            shown.append(labels[str(item)])
        elif isinstance(item, Decimal):
            shown.append(format_decimal(item))
        elif isinstance(item, datetime):
            shown.append(datetime_local(item, "short"))
        elif isinstance(item, date):
            shown.append(date_local(item))
        else:
            shown.append(str(item))
    return ", ".join(shown)


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(rate)
    app.add_template_filter(datetime_local)
    app.add_template_filter(date_local)
    app.add_template_filter(phone)
    app.add_template_filter(org_number)
    app.add_template_filter(country_name, "country")
    app.add_template_filter(format_decimal, "number")
    app.add_template_global(list_args)
    app.add_template_global(field_value)
    app.add_template_global(lambda: str(get_locale() or 'en'), 'current_locale_code')
    app.add_template_global(LANGUAGES, "interface_languages")
