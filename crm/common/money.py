"""Exact amounts: Decimal in Python, an integer number of hundredths in the database."""
from decimal import Decimal, InvalidOperation

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

DEFAULT_CURRENCY = "NOK"
# Currencies offered in forms; any ISO 4217 code is accepted by the model.
CURRENCIES = ["NOK", "EUR", "USD", "SEK", "DKK", "GBP", "CHF"]

_HUNDRED = Decimal(100)


class Amount(TypeDecorator):
    """A money amount stored exactly as a BigInteger of hundredths (øre, cents)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        scaled = Decimal(value) * _HUNDRED
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than two decimals")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)) / _HUNDRED

    @property
    def python_type(self):
        return Decimal


def parse_amount(text: str) -> Decimal:
    """Parse '1 234 567,50' or '1234567.50' into a Decimal; raise ValueError if it is not an amount."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("_", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value
