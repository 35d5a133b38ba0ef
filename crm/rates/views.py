"""The administrators' exchange-rate page: the rates to NOK by date, add or correct one, delete one."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import blueprint_requires
from crm.common.forms import ActionForm
from crm.common.timeutil import local_today
from crm.common.web import page_number, save
from crm.extensions import db
from crm.models import ExchangeRate, Role
from crm.rates import queries, services
from crm.rates.forms import RateForm

bp = Blueprint("rates", __name__, url_prefix="/rates")
bp.before_request(blueprint_requires(Role.ADMIN))


@bp.route("/", methods=["GET", "POST"])
def index():
    """The rates, and the form to add one (a rate for a currency and date already there replaces it)."""
    form = RateForm()
    if request.method == "GET":
        form.valid_from.data = local_today()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.set_exchange_rate(form.to_data(), current_user))
        if outcome.ok:
            flash(_("Rate for %(currency)s from %(day)s saved.", currency=outcome.value.currency,
                    day=outcome.value.valid_from.isoformat()), "success")
            return redirect(url_for("rates.index"))
    page = db.paginate(queries.rate_list(), page=page_number(), per_page=50, error_out=False)
    return render_template("rates/index.html", form=form, page=page, in_force=queries.rates_on(local_today()),
                           action_form=ActionForm())


@bp.route("/<int:rate_id>/delete", methods=["POST"])
def delete(rate_id: int):
    """Delete one rate. :raise 404: when there is no such rate."""
    rate = db.get_or_404(ExchangeRate, rate_id)
    if ActionForm().validate_on_submit():
        services.delete_exchange_rate(rate, current_user)
        db.session.commit()
        flash(_("Rate for %(currency)s from %(day)s deleted.", currency=rate.currency,
                day=rate.valid_from.isoformat()), "success")
    return redirect(url_for("rates.index"))
