"""Meetings and follow-ups as iCalendar (RFC 5545) text, built with the icalendar package.

Times carry the display time zone (Europe/Oslo) with its VTIMEZONE, so calendars abroad show them right.
Internal notes, outcomes and next steps are never written: a calendar leaves the CRM's protection.
"""
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress

from crm.common.timeutil import local_today, local_zone, utcnow
from crm.models import FollowUp, Meeting

PRODID = "-//Cluster CRM//Meetings and follow-ups//EN"
UID_DOMAIN = "cluster-crm"
# ATTENDEE needs an address (a URI); without the email, this placeholder stands in and the name is in CN.
NO_ADDRESS = "invalid:nomail"


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _attendee(name: str, email: str | None, with_emails: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}" if with_emails and email else NO_ADDRESS)
    address.params["cn"] = name
    address.params["cutype"] = "INDIVIDUAL"
    return address


def _description(meeting: Meeting, url: str) -> str:
    lines = [meeting.kind.label]
    if meeting.startups:
        lines.append(_("Startups: %(names)s", names=", ".join(s.name for s in meeting.startups)))
    if meeting.investors:
        lines.append(_("Investors: %(names)s", names=", ".join(i.name for i in meeting.investors)))
    lines.append(_("In the CRM: %(url)s", url=url))
    return "\n".join(lines)


def meeting_event(meeting: Meeting, url: str, *, attendees: bool, with_emails: bool = False) -> Event:
    """One meeting as a VEVENT in the display time zone; attendees (contacts and staff) by name unless asked."""
    zone = local_zone()
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{UID_DOMAIN}")
    event.add("dtstamp", utcnow())
    event.add("summary", meeting.display_title)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", (meeting.starts_at + timedelta(minutes=meeting.duration_minutes)).astimezone(zone))
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", _description(meeting, url))
    event.add("url", url)
    if attendees:
        for contact in meeting.contacts:
            event.add("attendee", _attendee(contact.name, contact.email, with_emails), encode=0)
        for user in meeting.staff:
            event.add("attendee", _attendee(user.name, user.email, with_emails), encode=0)
    return event


def follow_up_event(follow_up: FollowUp, about: str, url: str) -> Event:
    """An open follow-up as an all-day event on its due day (calendars show VTODOs poorly, if at all)."""
    event = Event()
    event.add("uid", f"follow-up-{follow_up.id}@{UID_DOMAIN}")
    event.add("dtstamp", utcnow())
    event.add("summary", _("Follow-up: %(title)s", title=follow_up.title))
    event.add("dtstart", follow_up.due_on)
    event.add("dtend", follow_up.due_on + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    event.add("description", "\n".join(filter(None, [about, _("In the CRM: %(url)s", url=url)])))
    return event


def _finish(calendar: Calendar, days: Iterable[date]) -> bytes:
    """Add the VTIMEZONE for the years the events fall in, and serialise."""
    days = list(days) or [local_today()]
    calendar.add_missing_timezones(first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1))
    return calendar.to_ical()


def meeting_calendar(meeting: Meeting, url: str, with_emails: bool) -> bytes:
    """A calendar file with one meeting, for download."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(meeting_event(meeting, url, attendees=True, with_emails=with_emails))
    return _finish(calendar, [meeting.starts_at.date()])


def feed_calendar(name: str, meetings: list[Meeting], follow_ups: list[FollowUp],
                  meeting_url: Callable[[Meeting], str],
                  follow_up_about: Callable[[FollowUp], tuple[str, str]]) -> bytes:
    """A user's feed: their meetings (no attendees, no email addresses) and open follow-ups."""
    calendar = _calendar(name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, meeting_url(meeting), attendees=False))
    for follow_up in follow_ups:
        about, url = follow_up_about(follow_up)
        calendar.add_component(follow_up_event(follow_up, about, url))
    days = [m.starts_at.date() for m in meetings] + [f.due_on for f in follow_ups]
    return _finish(calendar, days)


