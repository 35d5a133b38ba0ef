"""The dashboard, the page after sign-in: figures for a period and optionally one startup, and their CSV."""
from flask import Blueprint, Response, render_template, request

from crm.common.timeutil import local_today, utcnow
from crm.dashboard.figures import csv_text, key_figures, sections, show
from crm.dashboard.forms import DashboardForm
from crm.dashboard.queries import choices, dashboard

bp = Blueprint("dashboard", __name__)


def _figures():
    startups, events = choices()
    form = DashboardForm(request.args, startups=startups, events=events)
    today = local_today()
    return form, dashboard(form.period(today), utcnow(), today)


@bp.route("/")
def index():
    """Every figure as a chart with its table; the period and startup are in the URL."""
    form, figures = _figures()
    return render_template("dashboard/index.html", form=form, d=figures, tiles=key_figures(figures),
                           sections=sections(figures), show=show)


@bp.route("/dashboard.csv")
def csv():
    """The same figures as a CSV file (UTF-8 with a byte-order mark, so that spreadsheets read æ, ø, å)."""
    form, figures = _figures()
    name = f"dashboard-{figures.period.first.isoformat()}-{figures.period.last.isoformat()}.csv"
    return Response("\ufeff" + csv_text(figures), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
