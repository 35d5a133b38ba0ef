"""Reads of the exchange rates: the rates in force on a day, and the list the administrators keep."""
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from crm.common.money import DEFAULT_CURRENCY
from crm.extensions import db
from crm.models import ExchangeRate


def rates_on(day: date) -> dict[str, Decimal]:
    """Each currency's rate to NOK in force on ``day`` (the latest valid from that day or before); NOK is 1.

    A currency whose first rate starts after ``day`` has none on that day, and its amounts
    are counted apart rather than guessed.
    """
    latest = (select(ExchangeRate.currency, func.max(ExchangeRate.valid_from).label("valid_from"))
              .where(ExchangeRate.valid_from <= day).group_by(ExchangeRate.currency).subquery())
    rows = db.session.execute(
        select(ExchangeRate.currency, ExchangeRate.rate_to_nok)
        .join(latest, (latest.c.currency == ExchangeRate.currency) & (latest.c.valid_from == ExchangeRate.valid_from)))
    rates = {row.currency: row.rate_to_nok for row in rows}
    rates[DEFAULT_CURRENCY] = Decimal(1)
    return rates


def rate_list() -> Select:
    """Every rate, by currency and newest first; paginate the result."""
    return (select(ExchangeRate).options(selectinload(ExchangeRate.updated_by))
            .order_by(ExchangeRate.currency, ExchangeRate.valid_from.desc()))
