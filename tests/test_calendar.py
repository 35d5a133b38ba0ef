"""Calendars: a meeting as an .ics file (Oslo time zone, attendees by name unless asked), the personal feed
(shown once, stored hashed, no notes, 404 once revoked), and logging a meeting from an .ics invitation."""
import hashlib
import io
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from crm.calendar.services import create_feed
from crm.models import CalendarFeed, Meeting
from crm.users.services import set_active
from tests import factories
from tests.test_startups import browser_form, field_errors, input_value, page_text

OSLO = ZoneInfo("Europe/Oslo")
SECRET = "Internal: the CEO is leaving"


@pytest.fixture()
def cast(db, manager_user):
    orn = factories.make_startup(name="Ørn Biologics")
    fjord = factories.make_investor(name="Fjordinvest")
    kari = factories.make_contact(fjord, name="Kari Nordmann", email="kari@fjordinvest.no")
    ola = factories.make_contact(fjord, name="Ola Ødegård")  # no email
    ceo = factories.make_contact(orn, name="Siri Ørnes", email="ceo@orn.no")
    meeting = factories.make_meeting(
        [orn], [fjord], [kari, ola], starts_at=datetime(2026, 6, 15, 8, 0, tzinfo=timezone.utc), duration_minutes=90,
        title="Pitch at Fjordinvest", location="Fjordinvest, Aker Brygge", notes=SECRET, outcome="Positive",
        next_steps="Send the deck", staff_ids=[manager_user.id])
    db.session.commit()
    return dict(orn=orn, fjord=fjord, kari=kari, ceo=ceo, meeting=meeting, manager=manager_user)


def events(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def attendees(event) -> list[tuple[str, str]]:
    found = event.get("attendee", [])
    return [(str(a.params["CN"]), str(a)) for a in (found if isinstance(found, list) else [found])]


def test_a_meeting_downloads_as_an_ics_event_in_oslo_time_with_attendees_by_name_only(viewer_client, cast):
    meeting = cast["meeting"]
    page = viewer_client.get(f"/meetings/{meeting.id}")
    assert f'action="/calendar/meetings/{meeting.id}.ics"' in page.get_data(as_text=True)
    assert "Include the attendees’ email addresses" in page_text(page)

    response = viewer_client.get(f"/calendar/meetings/{meeting.id}.ics")

    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting.id}.ics"'
    calendar = Calendar.from_ical(response.data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Pitch at Fjordinvest"
    assert str(event["LOCATION"]) == "Fjordinvest, Aker Brygge"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start, end) == (datetime(2026, 6, 15, 10, 0, tzinfo=OSLO), datetime(2026, 6, 15, 11, 30, tzinfo=OSLO))
    assert start.tzinfo.key == "Europe/Oslo" and event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert attendees(event) == [("Kari Nordmann", "invalid:nomail"), ("Ola Ødegård", "invalid:nomail"),
                                ("Manager User", "invalid:nomail")]
    text = response.data.decode()
    assert "kari@fjordinvest.no" not in text and "manager@example.com" not in text
    assert SECRET not in text and "Positive" not in text and "Send the deck" not in text
    description = str(event["DESCRIPTION"])
    assert "Startups: Ørn Biologics" in description and "Investors: Fjordinvest" in description
    assert f"http://localhost/meetings/{meeting.id}" in description


def test_the_emails_are_included_only_when_asked(viewer_client, cast):
    response = viewer_client.get(f"/calendar/meetings/{cast['meeting'].id}.ics", query_string={"emails": "y"})
    [event] = events(response.data)
    assert attendees(event) == [("Kari Nordmann", "mailto:kari@fjordinvest.no"), ("Ola Ødegård", "invalid:nomail"),
                                ("Manager User", "mailto:manager@example.com")]


def test_a_meeting_that_is_not_there_has_no_calendar_file(viewer_client, db):
    assert viewer_client.get("/calendar/meetings/999.ics").status_code == 404


# --- the personal feed -----------------------------------------------------------------------------

def _feed_url(response) -> str:
    match = re.search(r'id="feed-url" type="text" value="http://localhost(/calendar/feed/[A-Za-z0-9_-]{43}\.ics)"',
                      response.get_data(as_text=True))
    assert match, "no feed address on the page"
    return match.group(1)


def test_the_feed_address_is_shown_once_and_only_its_fingerprint_is_kept(manager_client, cast, db):
    settings = manager_client.get("/calendar/")
    assert "Your feed is off." in page_text(settings)

    created = manager_client.post("/calendar/feed")

    assert created.status_code == 200
    assert "it is shown only this once" in page_text(created)
    url = _feed_url(created)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert f'href="webcal://localhost{url}"' in created.get_data(as_text=True)
    feed = db.session.scalar(select(CalendarFeed))
    assert feed.user_id == cast["manager"].id
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str([getattr(feed, c.key) for c in CalendarFeed.__table__.columns])
    again = manager_client.get("/calendar/")
    assert "Your feed is on since" in page_text(again) and token not in page_text(again)


def test_the_feed_holds_the_users_meetings_and_open_follow_ups_without_notes_or_emails(app, manager_client, cast, db):
    manager, fjord, orn = cast["manager"], cast["fjord"], cast["orn"]
    now = datetime.now(timezone.utc)
    soon = factories.make_meeting([orn], [fjord], [cast["kari"]], starts_at=now + timedelta(days=3),
                                  title="Second pitch", notes=SECRET, staff_ids=[manager.id])
    factories.make_meeting([orn], [fjord], starts_at=now + timedelta(days=4), title="Without me")
    factories.make_meeting([orn], [fjord], starts_at=now - timedelta(days=40), title="Long ago",
                           staff_ids=[manager.id])
    open_one = factories.make_follow_up(fjord, date(2026, 12, 1), "Call Kari", manager)
    factories.make_follow_up(fjord, date(2026, 12, 2), "Already done", manager, done_at=now)
    factories.make_follow_up(fjord, date(2026, 12, 3), "Somebody else's", factories.make_user(name="Tobias Lie"))
    factories.make_note(fjord, SECRET)
    db.session.commit()
    url = _feed_url(manager_client.post("/calendar/feed"))

    response = app.test_client().get(url)  # a calendar app: no session

    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert "Set-Cookie" not in response.headers
    found = {str(e["SUMMARY"]): e for e in events(response.data)}
    assert set(found) == {"Second pitch", "Follow-up: Call Kari"}
    assert str(found["Second pitch"]["UID"]) == f"meeting-{soon.id}@cluster-crm"
    assert found["Second pitch"]["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert found["Follow-up: Call Kari"].decoded("DTSTART") == date(2026, 12, 1)  # an all-day event
    assert str(found["Follow-up: Call Kari"]["UID"]) == f"follow-up-{open_one.id}@cluster-crm"
    assert "Fjordinvest" in str(found["Follow-up: Call Kari"]["DESCRIPTION"])
    text = response.data.decode()
    assert SECRET not in text and "ATTENDEE" not in text and "kari@fjordinvest.no" not in text
    assert "A calendar last fetched it" in page_text(manager_client.get("/calendar/"))


def test_a_new_address_stops_the_old_one_and_turning_the_feed_off_stops_both(app, viewer_client, viewer_user, db):
    reader = app.test_client()
    first = _feed_url(viewer_client.post("/calendar/feed"))  # a viewer has a calendar too
    assert reader.get(first).status_code == 200
    second = _feed_url(viewer_client.post("/calendar/feed"))
    assert reader.get(first).status_code == 404
    assert reader.get(second).status_code == 200

    response = viewer_client.post("/calendar/feed/off")
    assert response.status_code == 302
    assert "Your calendar feed is turned off." in page_text(viewer_client.get(response.location))
    assert reader.get(second).status_code == 404
    assert db.session.scalar(select(CalendarFeed)) is None


@pytest.mark.parametrize("token", ["A" * 43, "short", "A" * 42 + "!", "%00" * 10])
def test_a_wrong_token_opens_nothing(client, db, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_a_deactivated_users_feed_stops_working(app, db, manager_user, admin_user):
    _feed, token = create_feed(manager_user, manager_user)
    db.session.commit()
    assert app.test_client().get(f"/calendar/feed/{token}.ics").status_code == 200
    set_active(manager_user, False, admin_user)
    db.session.commit()
    assert app.test_client().get(f"/calendar/feed/{token}.ics").status_code == 404


# --- logging a meeting from an invitation ----------------------------------------------------------

def invitation(start="DTSTART;TZID=America/New_York:20260615T040000", end="DTEND;TZID=America/New_York:20260615T053000",
               extra="") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Outlook//EN", "METHOD:REQUEST", "BEGIN:VEVENT",
             "UID:abc-123@example.com", "DTSTAMP:20260601T120000Z", start, end,
             "SUMMARY:Intro: Ørn × Fjordinvest", "LOCATION:Microsoft Teams",
             "ORGANIZER;CN=Kari Nordmann:mailto:KARI@Fjordinvest.no",
             "ATTENDEE;CN=Siri;ROLE=REQ-PARTICIPANT:mailto:ceo@orn.no",
             "ATTENDEE;CN=Stranger:mailto:someone@unknown.example", extra, "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(line for line in lines if line) + "\r\n").encode()


def upload(client, content: bytes, name="invite.ics"):
    return client.post("/meetings/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_an_invitation_fills_in_the_meeting_form_with_known_contacts(manager_client, cast, db):
    assert "Start from an invitation (.ics)" in page_text(manager_client.get("/meetings/new"))

    response = upload(manager_client, invitation())

    assert response.status_code == 200
    text = page_text(response)
    assert "Filled in from the invitation." in text
    assert "Contacts found by email: Kari Nordmann, Siri Ørnes." in text
    assert "Not in the CRM: someone@unknown.example." in text
    assert input_value(response, "starts_at") == "2026-06-15T10:00"  # 04:00 in New York is 10:00 in Oslo
    assert input_value(response, "duration_minutes") == "90"
    assert input_value(response, "title") == "Intro: Ørn × Fjordinvest"
    assert input_value(response, "location") == "Microsoft Teams"
    data = browser_form(response, "starts_at")
    assert sorted(data["contact_ids"]) == sorted([str(cast["kari"].id), str(cast["ceo"].id)])
    assert data["startup_ids"] == [str(cast["orn"].id)] and data["investor_ids"] == [str(cast["fjord"].id)]
    assert 'action="/meetings/new"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Meeting).where(Meeting.title.like("Intro%"))) is None  # nothing saved yet

    saved = manager_client.post("/meetings/new", data=data)
    assert saved.status_code == 302
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == "Intro: Ørn × Fjordinvest"))
    assert meeting.starts_at == datetime(2026, 6, 15, 8, 0, tzinfo=timezone.utc)
    assert sorted(c.name for c in meeting.contacts) == ["Kari Nordmann", "Siri Ørnes"]


@pytest.mark.parametrize("start,end,typed,minutes", [
    ("DTSTART:20260615T080000Z", "DTEND:20260615T083000Z", "2026-06-15T10:00", "30"),
    ("DTSTART:20260615T100000", "", "2026-06-15T10:00", "60"),  # a floating time is taken as Oslo time
    ("DTSTART;VALUE=DATE:20260615", "DTEND;VALUE=DATE:20260616", "2026-06-15T09:00", "60"),  # all day
    ("DTSTART:20260115T100000Z", "DURATION:PT45M", "2026-01-15T11:00", "45"),
])
def test_the_invitations_time_is_read_in_every_form_calendars_write_it(manager_client, cast, start, end, typed,
                                                                       minutes):
    response = upload(manager_client, invitation(start, end))
    assert input_value(response, "starts_at") == typed
    assert input_value(response, "duration_minutes") == minutes


@pytest.mark.parametrize("content,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a calendar file. Choose the invitation saved as .ics."),
    (b"", "This is not a calendar file. Choose the invitation saved as .ics."),
    ("Møte på fredag kl. 10".encode(), "This is not a calendar file. Choose the invitation saved as .ics."),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "The calendar file holds no meeting."),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
     "The invitation has no start time."),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:not-a-time\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
     "The invitation has no start time."),  # the parser keeps what it cannot read as text
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n\xff\xfe garbage", "The calendar file could not be read."),
])
def test_a_file_that_is_not_an_invitation_gets_a_message_by_the_field(manager_client, cast, content, message):
    response = upload(manager_client, content)
    assert response.status_code == 200
    assert message in field_errors(response, "file")


def test_choosing_no_file_asks_for_one(manager_client, cast):
    response = manager_client.post("/meetings/import", data={}, content_type="multipart/form-data")
    assert "Choose the .ics file of the invitation." in field_errors(response, "file")
