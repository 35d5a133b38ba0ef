"""Template filters: dates in Europe/Oslo, amounts with currency, phones, countries, org numbers."""
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache

import phonenumbers
from babel import Locale, numbers
from babel.numbers import get_currency_symbol
from flask import Flask
from markupsafe import Markup
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from stdnum.no import orgnr

from crm.common.forms import FastSelect
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
    locale = get_locale() or Locale.parse("en")
    whole = amount == amount.to_integral_value()
    quick = _quick_money(str(locale), currency, whole) if isinstance(amount, Decimal) and amount >= 0 else None
    if quick is not None:
        return quick(amount)
    return format_currency(amount, currency, format=_currency_pattern(locale, currency, whole), currency_digits=False)


_PROBES = ("0", "7", "999", "1000", "1234567", "1500000", "1000000000", "0.5", "1234.5", "99.995", "1.005")


@cache
def _quick_money(locale_id: str, currency: str, whole: bool) -> Callable[[Decimal], str] | None:
    """What ``money`` gives for a positive amount, as Python's own number formatting with the language's
    signs, prefix and suffix put in: Babel applies the parsed pattern anew for every amount, and a list
    shows a hundred. Read off Babel's own output for this language, currency and kind of amount, and used
    only when it gives Babel's output for every probe; None otherwise (Babel then formats each amount)."""
    locale = Locale.parse(locale_id)
    pattern = _currency_pattern(locale, currency, whole)

    def babel(amount: Decimal) -> str:
        return numbers.format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)

    places = 0 if whole else 2
    sample = babel(Decimal("1234567.89") if places else Decimal("1234567"))
    found = re.fullmatch(r"(\D*)1(\D+)234(\D+)567(?:(\D+)89)?(\D*)", sample)
    if not found or found.group(2) != found.group(3) or bool(found.group(4)) != bool(places):
        return None
    prefix, group, decimal, suffix = found.group(1), found.group(2), found.group(4) or "", found.group(5)

    def quick(amount: Decimal) -> str:
        digits = f"{amount:,.{places}f}".replace(",", "\0").replace(".", decimal).replace("\0", group)
        return f"{prefix}{digits}{suffix}"

    for probe in map(Decimal, _PROBES):
        if (probe == probe.to_integral_value()) == whole and quick(probe) != babel(probe):
            return None
    return quick


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


_FAST_SELECT = FastSelect()


def select_field(field, **kwargs) -> Markup:
    """A select field as ``field(**kwargs)`` writes it, one string per option (crm.common.forms.FastSelect)."""
    return _FAST_SELECT(field, **kwargs)


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
    app.add_template_global(select_field)
    app.add_template_global(field_value)
    app.add_template_global(lambda: str(get_locale() or 'en'), 'current_locale_code')
    app.add_template_global(LANGUAGES, "interface_languages")
