"""Writes to the exchange rates (administrators only). Each function flushes; the view commits."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.common.money import DEFAULT_CURRENCY, Rate
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import ExchangeRate, User

MAX_RATE = Decimal("1000000")


@dataclass
class RateData:
    currency: str
    valid_from: date
    rate_to_nok: Decimal


def set_exchange_rate(data: RateData, acting_user: User | None) -> ExchangeRate:
    """Add the rate of a currency from a date, or correct the one already given for that date."""
    currency = (data.currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError("currency", _l("Enter a three-letter currency code, like EUR."))
    if currency == DEFAULT_CURRENCY:
        raise ValidationError("currency", _l("NOK is what the rates convert to: its rate is always 1."))
    if data.rate_to_nok is None or data.rate_to_nok <= 0:
        raise ValidationError("rate_to_nok", _l("The rate must be more than zero."))
    if data.rate_to_nok >= MAX_RATE:
        raise ValidationError("rate_to_nok", _l("The rate is too large."))
    if data.rate_to_nok != data.rate_to_nok.quantize(Decimal(1).scaleb(-Rate.places)):
        raise ValidationError("rate_to_nok", _l("Use at most %(n)s decimals.", n=Rate.places))
    rate = db.session.scalar(select(ExchangeRate).where(ExchangeRate.currency == currency,
                                                        ExchangeRate.valid_from == data.valid_from))
    if rate is None:
        rate = ExchangeRate(currency=currency, valid_from=data.valid_from)
        db.session.add(rate)
    rate.rate_to_nok = data.rate_to_nok
    rate.updated_by = acting_user
    db.session.flush()
    return rate


def delete_exchange_rate(rate: ExchangeRate, acting_user: User | None) -> None:
    """Remove a rate; amounts in that currency then use the rate before it, or none."""
    db.session.delete(rate)
    db.session.flush()
