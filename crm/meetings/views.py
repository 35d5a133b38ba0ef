"""Meeting pages: the list, logging a meeting (pre-filled from a startup or investor), detail, edit."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.audit.queries import history_of
from crm.auth.access import requires
from crm.common.forms import ActionForm
from crm.calendar.forms import CalendarDownloadForm, InvitationForm
from crm.calendar.invitations import NotAnInvitation, read_invitation
from crm.calendar.queries import contacts_with_emails
from crm.common.timeutil import local_today, utc_to_local, utcnow
from crm.common.web import confirm_delete, id_arg, id_args, page_number, save
from crm.common.formatting import datetime_local
from crm.contacts.queries import contact_choices
from crm.deals.queries import deals_to_offer_meeting_held
from crm.events.queries import event_choices
from crm.extensions import db
from crm.followups.queries import open_follow_ups
from crm.investors.queries import investor_choices
from crm.meetings import queries, services
from crm.meetings.forms import MeetingFilterForm, MeetingForm
from crm.models import DealStage, MeetingKind, Role
from crm.startups.queries import startup_choices
from crm.users.queries import staff_choices

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _meeting_form(keep_event_id: int | None = None, **kwargs) -> MeetingForm:
    """The meeting form with its pickers; ``keep_event_id`` stays a choice even while that event is in the trash."""
    events = event_choices()
    if keep_event_id and keep_event_id not in {event_id for event_id, _name in events}:
        events.append((keep_event_id, _("(an event in the trash)")))
    return MeetingForm(startups=startup_choices(), investors=investor_choices(), contacts=contact_choices(),
                       staff=staff_choices(), events=events, **kwargs)


@bp.route("/")
def index():
    """Meetings, newest first, filtered by kind, startup, investor and local date range."""
    # Only a startup or investor chosen by id (a link from its page) is read for the menus, not all of them.
    startups, investors = queries.chosen_names(id_arg("startup"), id_arg("investor"))
    filters = MeetingFilterForm(request.args, startups=startups, investors=investors)
    start, end = filters.utc_range()
    stmt = queries.meeting_list(queries.MeetingFilters(
        q=filters.q.data, kind=filters.kind.data,
        investor=int(filters.investor.data) if filters.investor.data else None,
        startup=int(filters.startup.data) if filters.startup.data else None,
        investor_name=filters.investor_name.data, startup_name=filters.startup_name.data, sort=filters.sort.data),
        start_utc=start, end_utc=end, with_related=False)
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)
    details = queries.list_details([meeting.id for meeting in page.items])
    return render_template("meetings/index.html", page=page, filters=filters, details=details)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    """Log a meeting; ``?startup_id=`` and ``?investor_id=`` pre-fill who took part."""
    form = _meeting_form()
    if request.method == "GET":
        now = utc_to_local(utcnow())
        form.starts_at.data = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
        form.startup_ids.data = id_args("startup_id")
        form.investor_ids.data = id_args("investor_id")
        form.staff_ids.data = [current_user.id]
        event_id = id_arg("event_id")
        if event_id in {value for value, _label in form.event_id.choices}:
            form.event_id.data, form.kind.data = event_id, MeetingKind.PARTNERING.value
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_meeting(form.to_data(), current_user, form.next_step()))
        if outcome.ok:
            flash(_("Meeting logged."), "success")
            return redirect(url_for("meetings.detail", meeting_id=outcome.value.id))
    return render_template("meetings/form.html", form=form, meeting=None)


@bp.route("/import", methods=["GET", "POST"])
@requires(Role.MANAGER)
def import_invitation():
    """Start logging a meeting from an .ics invitation: the meeting form comes back pre-filled, not yet saved.

    Attendees whose email belongs to a contact are chosen, with their startups and investors; a file that is
    not a calendar gets a message by the field.
    """
    upload = InvitationForm()
    if upload.validate_on_submit():
        try:
            invitation = read_invitation(upload.file.data.read())
        except NotAnInvitation as error:
            upload.file.errors = [error.message]
        else:
            form = _meeting_form(formdata=None)
            contacts = contacts_with_emails(invitation.emails)
            known = {c.email.lower() for c in contacts}
            form.starts_at.data = utc_to_local(invitation.starts_at)
            form.duration_minutes.data = invitation.duration_minutes
            form.title.data, form.location.data = invitation.title, invitation.location
            form.contact_ids.data = [c.id for c in contacts]
            form.startup_ids.data = list(dict.fromkeys(c.startup_id for c in contacts if c.startup_id))
            form.investor_ids.data = list(dict.fromkeys(c.investor_id for c in contacts if c.investor_id))
            form.staff_ids.data = [current_user.id]
            return render_template("meetings/form.html", form=form, meeting=None, action=url_for("meetings.new"),
                                   imported=invitation, matched=contacts,
                                   unknown=[e for e in invitation.emails if e not in known])
    return render_template("meetings/import.html", form=upload)


@bp.route("/<int:meeting_id>")
def detail(meeting_id: int):
    """The meeting; once held, it offers to move open deals between its parties on to "meeting held".

    :raise 404: when there is no such meeting.
    """
    meeting = queries.get_meeting(meeting_id)
    offers = []
    if current_user.can_edit and meeting.starts_at <= utcnow():
        offers = deals_to_offer_meeting_held([s.id for s in meeting.startups], [i.id for i in meeting.investors])
    return render_template("meetings/detail.html", meeting=meeting, offers=offers, meeting_held=DealStage.MEETING_HELD,
                           history=history_of("meetings", meeting_id), today=local_today(),
                           follow_ups=open_follow_ups("meeting", meeting_id), calendar_form=CalendarDownloadForm())


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(meeting_id: int):
    """:raise 404: when there is no such meeting. A save over somebody else's shows a conflict."""
    meeting = queries.get_meeting(meeting_id)
    conflict = None
    if request.method == "GET":
        form = _meeting_form(meeting.event_id, obj=services.meeting_data(meeting))
        form.starts_at.data = utc_to_local(meeting.starts_at)
        form.event_id.data = meeting.event_id or 0
        form.version.data = meeting.version
    else:
        form = _meeting_form(meeting.event_id)
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_meeting(meeting, form.to_data(), form.version.data,
                                                             current_user, form.next_step()), record=meeting)
        if outcome.ok:
            flash(_("Meeting saved."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
        conflict = outcome.conflict
    return render_template("meetings/form.html", form=form, meeting=meeting, conflict=conflict)


@bp.route("/<int:meeting_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(meeting_id: int):
    """GET asks for confirmation; POST deletes. :raise 404: when there is no such meeting."""
    meeting = queries.get_meeting(meeting_id)
    return confirm_delete(
        ActionForm(), title=_("Delete meeting"),
        question=_("Delete the meeting “%(title)s” of %(when)s?", title=meeting.display_title,
                   when=datetime_local(meeting.starts_at, "short")),
        cancel_url=url_for("meetings.detail", meeting_id=meeting.id),
        delete=lambda: services.delete_meeting(meeting, current_user),
        done_url=url_for("meetings.index"), done_message=_("Meeting deleted."))
