"""Calendar pages: a meeting as .ics, the personal feed (public, by its secret address) and its settings."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import public, requires
from crm.calendar import ics, queries, services
from crm.calendar.forms import CalendarDownloadForm
from crm.common.forms import ActionForm
from crm.common import timeutil
from crm.extensions import db
from crm.followups.targets import target_label, target_url
from crm.meetings.queries import get_meeting
from crm.models import Role

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

ICS_TYPE = "text/calendar; charset=utf-8"


def _meeting_url(meeting) -> str:
    return url_for("meetings.detail", meeting_id=meeting.id, _external=True)


@bp.route("/meetings/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    """One meeting as a calendar file; ``?emails=y`` adds the attendees' addresses. :raise 404: no such meeting."""
    meeting = get_meeting(meeting_id)
    with_emails = CalendarDownloadForm(request.args).emails.data
    body = ics.meeting_calendar(meeting, _meeting_url(meeting), with_emails)
    return Response(body, content_type=ICS_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"'})


@bp.route("/")
def settings():
    """The signed-in user's feed: whether it is on, when a calendar last fetched it, and the buttons."""
    return render_template("calendar/settings.html", feed=queries.feed_of(current_user.id), action_form=ActionForm())


@bp.route("/feed", methods=["POST"])
@requires(Role.VIEWER)  # everyone's own calendar: viewers attend meetings too
def create_feed():
    """Make a new feed address (the old one stops working) and show it, this once."""
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("calendar.settings"))
    feed, token = services.create_feed(current_user, current_user)
    db.session.commit()
    url = url_for("calendar.feed", feed_token=token, _external=True)
    return render_template("calendar/created.html", feed=feed, url=url,
                           webcal_url="webcal://" + url.split("://", 1)[1])


@bp.route("/feed/off", methods=["POST"])
@requires(Role.VIEWER)
def revoke_feed():
    """Turn the feed off: calendars subscribed to it get nothing more."""
    if ActionForm().validate_on_submit() and services.revoke_feed(current_user, current_user):
        db.session.commit()
        flash(_("Your calendar feed is turned off. Its address no longer works."), "success")
    return redirect(url_for("calendar.settings"))


def _follow_up_about(follow_up) -> tuple[str, str]:
    kind, record = follow_up.target_kind, follow_up.target
    return target_label(kind, record), target_url(kind, record.id, _external=True)


@bp.route("/feed/<feed_token>.ics")
@public
def feed(feed_token: str):
    """A user's meetings and open follow-ups for a calendar app; no notes.

    Not rate-limited: calendar services fetch many users' feeds from a few shared addresses, and a
    256-bit token cannot be guessed. :raise 404: for a token that opens no live feed.
    """
    found = queries.feed_for_token(feed_token)
    if found is None:
        abort(404)
    now = timeutil.utcnow()
    user = found.user
    body = ics.feed_calendar(_("CRM: %(name)s", name=user.name), queries.feed_meetings(user.id, now),
                             queries.feed_follow_ups(user.id), _meeting_url, _follow_up_about)
    if request.method == "GET":
        services.record_fetch(found, now)
        db.session.commit()
    return Response(body, content_type=ICS_TYPE)
