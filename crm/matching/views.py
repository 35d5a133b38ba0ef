"""The suggested investors for a startup's round, and adding the chosen ones to its pipeline."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.common.timeutil import local_today
from crm.common.web import save
from crm.deals.services import add_investors_to_round
from crm.matching.forms import ChooseInvestorsForm, RegionForm
from crm.matching.queries import MAX_SCORE, match_investors
from crm.rates.queries import rates_on
from crm.startups.queries import get_startup

bp = Blueprint("matching", __name__, url_prefix="/startups")


@bp.route("/<int:startup_id>/matches", methods=["GET", "POST"])
def suggestions(startup_id: int):
    """GET lists the suggestions with their reasons; POST (managers) adds the chosen ones as identified.

    :raise 404: when there is no such startup.
    """
    startup = get_startup(startup_id)
    regions = RegionForm(request.args)
    matches = match_investors(startup, rates_on(local_today()), regions.region.data)
    form = ChooseInvestorsForm()
    form.investor_ids.choices = [(s.investor.id, s.investor.name) for s in matches.all]
    if form.validate_on_submit():
        outcome = save(form, lambda: add_investors_to_round(startup, form.investor_ids.data, current_user))
        if outcome.ok:
            flash(_("%(n)s investors added to the pipeline as identified.", n=len(outcome.value.created)), "success")
            if outcome.value.skipped:
                flash(_("Already in the pipeline for this round, so left as they were: %(names)s.",
                        names=", ".join(outcome.value.skipped)), "info")
            return redirect(url_for("startups.detail", startup_id=startup.id))
    return render_template("matching/suggestions.html", startup=startup, matches=matches, form=form,
                           regions=regions, max_score=MAX_SCORE)
