"""The form for an exchange rate."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from crm.common.money import CURRENCIES, DEFAULT_CURRENCY
from crm.common.validators import RateField
from crm.rates.services import RateData


class RateForm(FlaskForm):
    currency = SelectField(_l("Currency"))
    rate_to_nok = RateField(_l("NOK for one unit"), validators=[InputRequired(_l("Enter the rate."))],
                            description=_l("For example 11,4825 for one euro."))
    valid_from = DateField(_l("Valid from"), validators=[InputRequired(_l("Enter the date the rate applies from."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = [(c, c) for c in CURRENCIES if c != DEFAULT_CURRENCY]

    def to_data(self) -> RateData:
        return RateData(currency=self.currency.data, valid_from=self.valid_from.data,
                        rate_to_nok=self.rate_to_nok.data)
