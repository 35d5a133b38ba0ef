"""The region filter of the suggestions and the choice of investors to add to the pipeline."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, SelectField

from crm.common.forms import MultiCheckboxField


class RegionForm(Form):
    """Where the suggested investors are based; read from the query string, a bad value means anywhere."""

    region = SelectField(_l("Investors based"), default="any")

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        self.region.choices = [("any", _l("Anywhere")), ("norway", _l("In Norway")), ("abroad", _l("Abroad")),
                               ("nordic", _l("In the Nordic countries")), ("europe", _l("In Europe"))]
        if self.region.data not in {value for value, _label in self.region.choices}:
            self.region.data = "any"


class ChooseInvestorsForm(FlaskForm):
    investor_ids = MultiCheckboxField(_l("Investors to add"), coerce=int)
