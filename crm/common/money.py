"""Exact amounts and exchange rates: Decimal in Python, scaled integers in the database."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

DEFAULT_CURRENCY = "NOK"
# Currencies offered in forms; any ISO 4217 code is accepted by the model.
CURRENCIES = ["NOK", "EUR", "USD", "SEK", "DKK", "GBP", "CHF"]

_CENT = Decimal("0.01")


class ScaledDecimal(TypeDecorator):
    """A Decimal stored exactly as a BigInteger of 10**-places units.

    SQLite has no decimal type (SQLAlchemy would go through float and warn), so exact
    values are kept as integers on every database.
    """

    impl = BigInteger
    cache_ok = True
    places = 2

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        scaled = Decimal(value).scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimals")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)) / Decimal(10) ** self.places

    @property
    def python_type(self):
        return Decimal


class Amount(ScaledDecimal):
    """A money amount stored exactly as a BigInteger of hundredths (øre, cents)."""

    cache_ok = True  # SQLAlchemy asks each subclass again
    places = 2


class Rate(ScaledDecimal):
    """An exchange rate stored exactly as a BigInteger of hundred-millionths."""

    cache_ok = True
    places = 8


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


def convert(amount: Decimal, currency: str, to: str, rates: Mapping[str, Decimal]) -> Decimal | None:
    """``amount`` in ``currency`` expressed in ``to`` through the NOK rates, to the øre/cent; None without a rate."""
    if currency == to:
        return amount
    if currency not in rates or to not in rates:
        return None
    return (amount * rates[currency] / rates[to]).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass
class NokTotal:
    """A sum in NOK, and per currency what could not be converted for want of a rate.

    An amount without a rate is kept apart so that it is shown as what it is, never
    silently counted as NOK.
    """

    nok: Decimal = Decimal("0.00")
    apart: dict[str, Decimal] = field(default_factory=dict)

    def add(self, amount: Decimal | None, currency: str, rates: Mapping[str, Decimal]) -> "NokTotal":
        if amount is None:
            return self
        converted = convert(amount, currency, DEFAULT_CURRENCY, rates)
        if converted is None:
            self.apart[currency] = self.apart.get(currency, Decimal("0.00")) + amount
        else:
            self.nok += converted
        return self

    def __add__(self, other: "NokTotal") -> "NokTotal":
        apart = dict(self.apart)
        for currency, amount in other.apart.items():
            apart[currency] = apart.get(currency, Decimal("0.00")) + amount
        return NokTotal(self.nok + other.nok, apart)

    @property
    def apart_items(self) -> list[tuple[str, Decimal]]:
        return sorted(self.apart.items())
