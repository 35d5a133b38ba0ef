"""The overview: figures, follow-ups coming up, and the latest meetings."""
from flask import Blueprint, render_template

from crm.common.timeutil import local_today
from crm.main.queries import overview
from crm.meetings.queries import recent_meetings, upcoming_follow_ups

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return render_template("main/index.html", figures=overview(),
                           follow_ups=upcoming_follow_ups(local_today()), meetings=recent_meetings())
