"""Template filters: dates in Europe/Oslo, amounts with currency, phones, countries, org numbers."""
from datetime import date, datetime
from decimal import Decimal

import phonenumbers
from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from stdnum.no import orgnr

from crm.common.validators import country_name
from crm.common.web import list_args


def money(amount: Decimal | None, currency: str | None = "NOK") -> str:
    """'NOK 1,500,000' in English; whole amounts without decimals."""
    if amount is None:
        return ""
    digits = "¤#,##0" if amount == amount.to_integral_value() else "¤#,##0.00"
    return format_currency(amount, currency or "NOK", format=digits, currency_digits=False)


def rate(value: Decimal | None) -> str:
    """An exchange rate with every decimal it has (up to eight), never rounded to three."""
    return format_decimal(value, format="#,##0.00######") if value is not None else ""


def datetime_local(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC time shown in the display time zone (Europe/Oslo)."""
    return format_datetime(value, fmt) if value else ""


def date_local(value: date | None, fmt: str = "medium") -> str:
    return format_date(value, fmt) if value else ""


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
