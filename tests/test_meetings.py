"""The meeting pages through the test client: logging in Oslo time, participants, pre-fill, validation,
edit, conflict, delete, list filters; and the overview page's figures and follow-ups."""
import re
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from crm.models import Contact, Investor, Meeting, MeetingKind, Startup
from crm.models import IncubatorStatus
from tests import factories
from tests.test_startups import OwnContextClient, browser_form, field_errors, input_value, page_text

OSLO = ZoneInfo("Europe/Oslo")
NOTES = "Kari mentioned a Q3 close – ærlig talt, før ølet på Årvåk"


def meeting_form(**changes) -> dict:
    data = {"starts_at": "2026-06-15T10:00", "duration_minutes": "60", "kind": "pitch", "title": "",
            "location": "", "notes": "", "outcome": "", "next_steps": "", "follow_up_on": ""}
    data.update(changes)
    return data


def shown_text(response) -> str:
    """The page text with the narrow and no-break spaces that CLDR puts in times made plain."""
    return page_text(response).replace("\u202f", " ").replace("\xa0", " ")


def listed_meetings(response) -> list[str]:
    """The meeting titles in the meeting list, top to bottom."""
    return re.findall(r'<a class="fw-semibold" href="/meetings/\d+">([^<]*)</a>', page_text(response))


def links_to_meeting(response, meeting_id: int) -> bool:
    return f'href="/meetings/{meeting_id}"' in response.get_data(as_text=True)


def meeting_count(db) -> int:
    return db.session.scalar(select(func.count(Meeting.id)))


def oslo(*args) -> datetime:
    """An Oslo wall-clock time as an aware UTC datetime."""
    return datetime(*args, tzinfo=OSLO).astimezone(timezone.utc)


@pytest.fixture()
def cast(db):
    """Two startups, a Norwegian and a foreign investor, and a person at the Norwegian one."""
    orn = factories.make_startup(name="Ørn Biologics")
    arvak = factories.make_startup(name="Årvåk")
    fjord = factories.make_investor(name="Fjordinvest", country="NO")
    rhein = factories.make_investor(name="Rhein Capital", country="DE")
    kari = factories.make_contact(fjord, name="Kari Nordmann")
    db.session.commit()
    return SimpleNamespace(orn=orn, arvak=arvak, fjord=fjord, rhein=rhein, kari=kari)


# --- logging a meeting: Oslo time in, UTC stored ------------------------------------------------

@pytest.mark.parametrize("typed,stored,shown,listed", [
    ("2026-06-15T10:00", datetime(2026, 6, 15, 8, 0, tzinfo=timezone.utc),
     "Monday, June 15, 2026, 10:00:00 AM Central European Summer Time", "6/15/26, 10:00 AM"),
    ("2026-01-15T10:00", datetime(2026, 1, 15, 9, 0, tzinfo=timezone.utc),
     "Thursday, January 15, 2026, 10:00:00 AM Central European Standard Time", "1/15/26, 10:00 AM"),
    ("2026-06-16T00:30", datetime(2026, 6, 15, 22, 30, tzinfo=timezone.utc),
     "Tuesday, June 16, 2026, 12:30:00 AM Central European Summer Time", "6/16/26, 12:30 AM"),
])
def test_the_time_typed_is_oslo_time_stored_in_utc_and_shown_in_oslo_time_again(
        manager_client, db, cast, typed, stored, shown, listed):
    response = manager_client.post("/meetings/new", data=meeting_form(
        starts_at=typed, startup_ids=[str(cast.orn.id)], investor_ids=[str(cast.fjord.id)]))

    assert response.status_code == 302
    meeting_id = int(response.location.rsplit("/", 1)[1])
    db.session.expire_all()
    saved = db.session.get(Meeting, meeting_id).starts_at
    assert saved == stored
    assert saved.utcoffset() == timedelta(0)

    detail = shown_text(manager_client.get(response.location))
    assert "Meeting logged." in detail
    assert shown in detail
    assert listed in shown_text(manager_client.get("/meetings/"))
    assert input_value(manager_client.get(f"/meetings/{meeting_id}/edit"), "starts_at") == typed


def test_a_meeting_with_two_startups_two_investors_and_a_contact_shows_on_all_their_pages(
        manager_client, manager_user, db, cast):
    response = manager_client.post("/meetings/new", data=meeting_form(
        kind="partnering", title="Oslo Cancer Cluster investor day", location="Oslo Science Park",
        startup_ids=[str(cast.orn.id), str(cast.arvak.id)],
        investor_ids=[str(cast.fjord.id), str(cast.rhein.id)], contact_ids=[str(cast.kari.id)],
        staff_ids=[str(manager_user.id)], outcome="Both asked for the data room.", next_steps="Send decks",
        follow_up_on="2026-06-22"))
    assert response.status_code == 302
    meeting_id = int(response.location.rsplit("/", 1)[1])

    meeting = db.session.get(Meeting, meeting_id)
    assert sorted(s.name for s in meeting.startups) == ["Årvåk", "Ørn Biologics"]
    assert sorted(i.name for i in meeting.investors) == ["Fjordinvest", "Rhein Capital"]
    assert [c.name for c in meeting.contacts] == ["Kari Nordmann"]
    assert [u.name for u in meeting.staff] == ["Manager User"]
    assert meeting.kind is MeetingKind.PARTNERING
    assert [(f.title, f.due_on, f.assignee_id) for f in meeting.follow_ups] == [
        ("Send decks", date(2026, 6, 22), manager_user.id)]  # the next steps' first line, for who logged it

    for url in [f"/startups/{cast.orn.id}", f"/startups/{cast.arvak.id}", f"/investors/{cast.fjord.id}",
                f"/investors/{cast.rhein.id}", f"/contacts/{cast.kari.id}"]:
        page = manager_client.get(url)
        assert page.status_code == 200
        assert links_to_meeting(page, meeting_id), url
        assert "Oslo Cancer Cluster investor day" in page_text(page), url

    listing = manager_client.get("/meetings/")
    assert listed_meetings(listing) == ["Oslo Cancer Cluster investor day"]
    row = page_text(listing)
    for name in ["Ørn Biologics", "Årvåk", "Fjordinvest", "Rhein Capital"]:
        assert name in row

    detail = page_text(manager_client.get(response.location))
    assert "Partnering event" in detail
    assert "Oslo Science Park" in detail
    assert "Kari Nordmann" in detail and "Manager User" in detail
    assert "Both asked for the data room." in detail
    assert re.search(r"Rhein Capital</a> <span[^>]*>Foreign</span>", detail)
    assert not re.search(r"Fjordinvest</a> <span[^>]*>Foreign</span>", detail)


def test_a_meeting_without_a_title_is_named_after_who_met(manager_client, db, cast):
    response = manager_client.post("/meetings/new", data=meeting_form(
        startup_ids=[str(cast.orn.id)], investor_ids=[str(cast.rhein.id)]))
    assert response.status_code == 302
    assert listed_meetings(manager_client.get("/meetings/")) == ["Ørn Biologics / Rhein Capital"]


# --- pre-fill from a startup or an investor -------------------------------------------------------

def test_log_meeting_form_is_prefilled_with_the_startup_the_investor_and_me(manager_client, manager_user, db, cast):
    other_staff = factories.make_user(name="Other Staff")
    db.session.commit()
    response = manager_client.get(f"/meetings/new?startup_id={cast.arvak.id}&investor_id={cast.rhein.id}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<option selected value="{cast.arvak.id}">Årvåk</option>' in page
    assert f'<option value="{cast.orn.id}">Ørn Biologics</option>' in page
    assert f'<option selected value="{cast.rhein.id}">Rhein Capital</option>' in page
    assert f'<option value="{cast.fjord.id}">Fjordinvest</option>' in page
    chosen = browser_form(response, "starts_at")
    assert chosen["startup_ids"] == [str(cast.arvak.id)]
    assert chosen["investor_ids"] == [str(cast.rhein.id)]
    assert chosen["staff_ids"] == [str(manager_user.id)]
    assert str(other_staff.id) not in chosen["staff_ids"]
    assert "contact_ids" not in chosen
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:(00|15|30|45)", chosen["starts_at"][0])


@pytest.mark.parametrize("kind,param", [("startups", "startup_id"), ("investors", "investor_id")])
def test_log_meeting_button_on_a_startup_or_investor_page_opens_the_prefilled_form(
        manager_client, db, cast, kind, param):
    record = cast.orn if kind == "startups" else cast.fjord
    detail = manager_client.get(f"/{kind}/{record.id}").get_data(as_text=True)
    link = re.search(r'<a [^>]*href="([^"]*)"[^>]*>[^<]*<i [^>]*></i> Log meeting</a>', detail)
    assert link is not None
    assert link.group(1) == f"/meetings/new?{param}={record.id}"

    form = browser_form(manager_client.get(link.group(1)), "starts_at")
    assert form[param + "s"] == [str(record.id)]

    chosen = {k: v for k, v in form.items() if k != "csrf_token"}
    chosen.update(notes=["Logged from the record's page"])
    response = manager_client.post(link.group(1), data=chosen)
    assert response.status_code == 302
    assert links_to_meeting(manager_client.get(f"/{kind}/{record.id}"), int(response.location.rsplit("/", 1)[1]))


@pytest.mark.parametrize("query_string", [
    "startup_id=999999", "startup_id=abc", "startup_id=²", "investor_id=-1", "investor_id=١٢", "startup_id=",
])
def test_log_meeting_form_ignores_unknown_or_malformed_prefill_ids(manager_client, db, cast, query_string):
    response = manager_client.get("/meetings/new?" + query_string)
    assert response.status_code == 200
    chosen = browser_form(response, "starts_at")
    assert "startup_ids" not in chosen and "investor_ids" not in chosen


# --- validation -----------------------------------------------------------------------------------

@pytest.mark.parametrize("changes,field,message", [
    ({"startup_ids": [], "investor_ids": []}, "startup_ids", "Choose at least one startup or investor."),
    ({"follow_up_on": "2026-06-14"}, "follow_up_on", "The follow-up date cannot be before the meeting."),
    ({"starts_at": "2026-06-16T00:30", "follow_up_on": "2026-06-15"}, "follow_up_on",
     "The follow-up date cannot be before the meeting."),  # 22:30 UTC on the 15th, but the 16th in Oslo
    ({"starts_at": ""}, "starts_at", "Enter the date and time."),
    ({"starts_at": "next tuesday"}, "starts_at", "Not a valid datetime value."),
    ({"starts_at": "2026-02-30T10:00"}, "starts_at", "Not a valid datetime value."),
    ({"starts_at": "15.06.2026 10:00"}, "starts_at", "Not a valid datetime value."),
    ({"starts_at": "0001-01-01T00:00"}, "starts_at", "Not a valid datetime value."),
    ({"follow_up_on": "soon"}, "follow_up_on", "Not a valid date value."),
    ({"startup_ids": ["999999"]}, "startup_ids", "'999999' is not a valid choice for this field."),
    ({"investor_ids": ["abc"]}, "investor_ids", "Invalid choice(s): one or more data inputs could not be coerced."),
    ({"contact_ids": ["123456"]}, "contact_ids", "'123456' is not a valid choice for this field."),
    ({"duration_minutes": "3"}, "duration_minutes", "Number must be between 5 and 1440."),
    ({"duration_minutes": "1441"}, "duration_minutes", "Number must be between 5 and 1440."),
    ({"duration_minutes": "-60"}, "duration_minutes", "Number must be between 5 and 1440."),
    ({"duration_minutes": "an hour"}, "duration_minutes", "Not a valid integer value."),
    ({"kind": "party"}, "kind", "Not a valid choice."),
    ({"title": "x" * 201}, "title", "Field cannot be longer than 200 characters."),
])
def test_invalid_meeting_shows_a_message_by_the_field_and_keeps_the_notes(manager_client, db, cast, changes,
                                                                           field, message):
    typed = meeting_form(startup_ids=[str(cast.orn.id)], investor_ids=[str(cast.fjord.id)], notes=NOTES,
                         next_steps="Send the deck", location="Gaustadbekkdalen")
    typed.update(changes)

    response = manager_client.post("/meetings/new", data=typed)

    assert response.status_code == 200
    assert message in field_errors(response, field)
    page = page_text(response)
    assert "Log a meeting" in page
    assert NOTES in page
    assert "Send the deck" in page
    assert input_value(response, "location") == "Gaustadbekkdalen"
    if field != "starts_at":
        assert input_value(response, "starts_at") == typed["starts_at"]
    assert meeting_count(db) == 0


def test_a_meeting_with_only_an_investor_is_fine(manager_client, db, cast):
    response = manager_client.post("/meetings/new", data=meeting_form(investor_ids=[str(cast.rhein.id)],
                                                                      kind="intro", duration_minutes="5"))
    assert response.status_code == 302
    assert meeting_count(db) == 1


# --- edit, conflict, delete -----------------------------------------------------------------------

def test_changing_the_investors_moves_the_meeting_from_the_old_investors_page_to_the_new_one(
        manager_client, db, cast):
    meeting = factories.make_meeting(startups=[cast.orn], investors=[cast.fjord], title="Second pitch")
    db.session.commit()
    assert links_to_meeting(manager_client.get(f"/investors/{cast.fjord.id}"), meeting.id)

    data = browser_form(manager_client.get(f"/meetings/{meeting.id}/edit"), "starts_at")
    assert data["investor_ids"] == [str(cast.fjord.id)]
    data["investor_ids"] = [str(cast.rhein.id)]
    data["startup_ids"] = [str(cast.orn.id), str(cast.arvak.id)]
    response = manager_client.post(f"/meetings/{meeting.id}/edit", data=data)

    assert response.status_code == 302
    assert "Meeting saved." in page_text(manager_client.get(response.location))
    assert not links_to_meeting(manager_client.get(f"/investors/{cast.fjord.id}"), meeting.id)
    assert links_to_meeting(manager_client.get(f"/investors/{cast.rhein.id}"), meeting.id)
    assert links_to_meeting(manager_client.get(f"/startups/{cast.arvak.id}"), meeting.id)
    db.session.expire_all()
    assert [i.name for i in db.session.get(Meeting, meeting.id).investors] == ["Rhein Capital"]


def test_saving_the_meeting_edit_form_unchanged_keeps_every_value(manager_client, manager_user, db, cast):
    meeting = factories.make_meeting(
        startups=[cast.orn], investors=[cast.rhein], contacts=[cast.kari], staff_ids=[manager_user.id],
        starts_at=oslo(2026, 6, 15, 10, 0), kind=MeetingKind.DUE_DILIGENCE, duration_minutes=90,
        title="DD session", location="Zoom", notes="Internal", outcome="Good", next_steps="Term sheet",
        follow_up_on=date(2026, 7, 1))
    db.session.commit()
    fields = ("starts_at", "kind", "duration_minutes", "title", "location", "notes", "outcome", "next_steps",
              "event_id")
    before = {name: getattr(meeting, name) for name in fields}

    edit = manager_client.get(f"/meetings/{meeting.id}/edit")
    assert "Edit meeting" in page_text(edit)
    response = manager_client.post(f"/meetings/{meeting.id}/edit", data=browser_form(edit, "starts_at"))

    assert response.status_code == 302
    db.session.expire_all()
    after = db.session.get(Meeting, meeting.id)
    assert {name: getattr(after, name) for name in fields} == before
    assert [c.name for c in after.contacts] == ["Kari Nordmann"]
    assert [f.due_on for f in after.follow_ups] == [date(2026, 7, 1)]  # saving adds no second follow-up
    assert [u.id for u in after.staff] == [manager_user.id]


def test_a_second_save_over_somebody_elses_meeting_edit_is_refused_and_keeps_what_was_typed(
        app, manager_user, admin_user, db, cast):
    meeting = factories.make_meeting(startups=[cast.orn], investors=[cast.fjord], title="Pitch at Fjordinvest",
                                     notes="First notes")
    db.session.commit()
    url = f"/meetings/{meeting.id}/edit"
    mine, theirs = OwnContextClient(app, manager_user), OwnContextClient(app, admin_user)
    my_form = browser_form(mine.get(url), "starts_at")
    their_form = browser_form(theirs.get(url), "starts_at")

    their_form["investor_ids"] = [str(cast.fjord.id), str(cast.rhein.id)]  # only the participants change
    assert theirs.post(url, data=their_form).status_code == 302

    my_form["notes"] = ["My notes, typed at the event"]
    refused = mine.post(url, data=my_form)

    assert refused.status_code == 200
    page = page_text(refused)
    assert "Somebody else saved this record" in page
    assert "My notes, typed at the event" in page
    db.session.expire_all()
    saved = db.session.get(Meeting, meeting.id)
    assert saved.notes == "First notes"
    assert sorted(i.name for i in saved.investors) == ["Fjordinvest", "Rhein Capital"]

    again = browser_form(refused, "starts_at")
    again["investor_ids"] = [str(cast.fjord.id), str(cast.rhein.id)]
    assert mine.post(url, data=again).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Meeting, meeting.id)
    assert saved.notes == "My notes, typed at the event"
    assert sorted(i.name for i in saved.investors) == ["Fjordinvest", "Rhein Capital"]


def test_delete_asks_first_then_removes_the_meeting_but_not_who_took_part(manager_client, db, cast):
    meeting = factories.make_meeting(startups=[cast.orn], investors=[cast.fjord], contacts=[cast.kari],
                                     title="Investor day", starts_at=datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc))
    db.session.commit()
    meeting_id, orn_id, fjord_id, kari_id = meeting.id, cast.orn.id, cast.fjord.id, cast.kari.id

    confirm = manager_client.get(f"/meetings/{meeting_id}/delete")
    assert confirm.status_code == 200
    question = page_text(confirm)
    assert "Delete the meeting “Investor day” of 3/10/26" in question
    assert "10:00" in question  # Oslo time, shown in the user's date format
    assert meeting_count(db) == 1

    response = manager_client.post(f"/meetings/{meeting_id}/delete")
    assert response.status_code == 302
    assert response.location == "/meetings/"
    assert "Meeting deleted." in page_text(manager_client.get(response.location))

    db.session.expunge_all()  # a fresh identity map, as in the next request
    assert db.session.get(Meeting, meeting_id) is None
    assert db.session.get(Startup, orn_id) is not None
    assert db.session.get(Investor, fjord_id) is not None
    assert db.session.get(Contact, kari_id) is not None
    assert not links_to_meeting(manager_client.get(f"/startups/{orn_id}"), meeting_id)
    assert manager_client.get(f"/meetings/{meeting_id}").status_code == 404


def test_an_unknown_meeting_shows_not_found(viewer_client, db):
    response = viewer_client.get("/meetings/999999")
    assert response.status_code == 404
    assert "Not found" in page_text(response)


# --- the meeting list -------------------------------------------------------------------------------

@pytest.fixture()
def agenda(db, cast):
    """Three meetings in three kinds, with different participants."""
    factories.make_meeting(startups=[cast.orn], investors=[cast.fjord], kind=MeetingKind.PITCH,
                           title="Ørn pitches Fjord", starts_at=oslo(2026, 2, 10, 9, 0))
    factories.make_meeting(startups=[cast.arvak], investors=[cast.rhein], kind=MeetingKind.DUE_DILIGENCE,
                           title="Årvåk DD with Rhein", starts_at=oslo(2026, 4, 20, 14, 0))
    factories.make_meeting(startups=[cast.orn, cast.arvak], investors=[cast.fjord, cast.rhein],
                           kind=MeetingKind.PARTNERING, title="Investor day", starts_at=oslo(2026, 3, 5, 8, 30))
    db.session.commit()
    return cast


@pytest.mark.parametrize("param,value,expected", [
    ("kind", "pitch", ["Ørn pitches Fjord"]),
    ("kind", "due_diligence", ["Årvåk DD with Rhein"]),
    ("kind", "partnering", ["Investor day"]),
    ("kind", "intro", []),
    ("startup", "orn", ["Investor day", "Ørn pitches Fjord"]),
    ("startup", "arvak", ["Årvåk DD with Rhein", "Investor day"]),
    ("investor", "fjord", ["Investor day", "Ørn pitches Fjord"]),
    ("investor", "rhein", ["Årvåk DD with Rhein", "Investor day"]),
    ("q", "investor", ["Investor day"]),
    ("q", "ÅRVÅK", ["Årvåk DD with Rhein"]),
])
def test_meeting_list_filters_show_only_the_matching_meetings(viewer_client, agenda, param, value, expected):
    if param in ("startup", "investor"):
        value = str(getattr(agenda, value).id)
    response = viewer_client.get("/meetings/", query_string={param: value})
    assert response.status_code == 200
    assert listed_meetings(response) == expected
    if not expected:
        assert "No meeting matches these filters." in page_text(response)


def test_meeting_list_combines_filters(viewer_client, agenda):
    response = viewer_client.get("/meetings/", query_string={"startup": agenda.orn.id, "investor": agenda.rhein.id})
    assert listed_meetings(response) == ["Investor day"]
    response = viewer_client.get("/meetings/", query_string={"startup": agenda.orn.id, "kind": "due_diligence"})
    assert listed_meetings(response) == []


@pytest.mark.parametrize("params,expected", [
    ({"date_from": "2026-06-15", "date_to": "2026-06-15"}, ["Late on the 15th"]),
    ({"date_from": "2026-06-16", "date_to": "2026-06-16"}, ["Just after midnight on the 16th"]),
    ({"date_to": "2026-06-15"}, ["Late on the 15th", "Last minute of the 14th", "Winter night"]),
    ({"date_from": "2026-06-15"}, ["Start of the 17th", "Just after midnight on the 16th", "Late on the 15th"]),
    ({"date_from": "2026-06-15", "date_to": "2026-06-16"}, ["Just after midnight on the 16th", "Late on the 15th"]),
    ({"date_from": "2026-01-16", "date_to": "2026-01-16"}, ["Winter night"]),
    ({"date_to": "2026-01-15"}, []),
    ({"date_from": "2026-06-18"}, []),
])
def test_date_range_filter_uses_oslo_dates_and_includes_the_to_day(viewer_client, db, cast, params, expected):
    for title, starts_at in [
        ("Last minute of the 14th", oslo(2026, 6, 14, 23, 59)),
        ("Late on the 15th", oslo(2026, 6, 15, 23, 30)),
        ("Just after midnight on the 16th", oslo(2026, 6, 16, 0, 30)),  # still the 15th in UTC
        ("Start of the 17th", oslo(2026, 6, 17, 0, 0)),
        ("Winter night", oslo(2026, 1, 16, 0, 30)),  # 23:30 UTC on the 15th
    ]:
        factories.make_meeting(investors=[cast.fjord], title=title, starts_at=starts_at)
    db.session.commit()
    response = viewer_client.get("/meetings/", query_string=params)
    assert response.status_code == 200
    assert listed_meetings(response) == expected


@pytest.mark.parametrize("sort,expected", [
    ("date", ["Ørn pitches Fjord", "Investor day", "Årvåk DD with Rhein"]),
    ("-date", ["Årvåk DD with Rhein", "Investor day", "Ørn pitches Fjord"]),
    (None, ["Årvåk DD with Rhein", "Investor day", "Ørn pitches Fjord"]),
])
def test_meeting_list_sorts_by_date_either_way_newest_first_by_default(viewer_client, agenda, sort, expected):
    response = viewer_client.get("/meetings/", query_string={"sort": sort} if sort else {})
    assert listed_meetings(response) == expected


@pytest.mark.parametrize("query_string", [
    "date_from=yesterday", "date_to=2026-02-30", "date_from=15.06.2026", "date_from=0001-01-01",
    "date_to=9999-12-31", "date_from=0001-01-01&date_to=9999-12-31", "kind=party", "startup=abc",
    "startup=999999", "investor=²", "investor=-1", "sort=random", "page=²", "page=abc", "q=%00",
])
def test_bad_meeting_list_parameters_are_ignored(viewer_client, agenda, query_string):
    response = viewer_client.get("/meetings/?" + query_string)
    assert response.status_code == 200
    assert len(listed_meetings(response)) == 3


def test_meeting_list_says_which_meetings_of_how_many_are_shown(viewer_client, db, cast):
    for n in range(12):
        factories.make_meeting(startups=[cast.orn], title=f"Meeting {n:02d}",
                               starts_at=oslo(2026, 5, 1, 8, 0) + timedelta(days=n))
    db.session.commit()
    first = viewer_client.get("/meetings/")
    assert "1–10 of 12 meetings" in page_text(first)
    assert listed_meetings(first)[0] == "Meeting 11"
    second = viewer_client.get("/meetings/?page=2")
    assert "11–12 of 12 meetings" in page_text(second)
    assert listed_meetings(second) == ["Meeting 01", "Meeting 00"]


# --- the overview ---------------------------------------------------------------------------------

def figure(response, label: str) -> int:
    match = re.search(rf'<div class="fs-3 fw-semibold">([\d,]+)</div>\s*<div class="text-body-secondary">{label}</div>',
                      page_text(response))
    assert match, label
    return int(match.group(1).replace(",", ""))


def follow_up_titles(response) -> list[str]:
    page = page_text(response)
    section = page.split("Follow-ups coming up", 1)[1].split("Overdue follow-ups", 1)[0]
    return re.findall(r'<a href="/meetings/\d+">([^<]*)</a>', section)


def test_overview_counts_investors_foreign_investors_incubatees_and_recent_meetings(viewer_client, db):
    norwegian = factories.make_investor(name="Fjordinvest", country="NO")
    factories.make_investor(name="Rhein Capital", country="DE")
    factories.make_investor(name="Boston Bio Ventures", country="US")
    factories.make_investor(name="Nordnorsk Engel", country="NO")
    for n, status in enumerate([IncubatorStatus.INCUBATEE, IncubatorStatus.INCUBATEE, IncubatorStatus.INCUBATEE,
                                IncubatorStatus.APPLICANT, IncubatorStatus.ALUMNUS]):
        factories.make_startup(name=f"Startup {n}", incubator_status=status)
    now = datetime.now(timezone.utc)
    for days_ago in (1, 10, 29, 31, 45, -3):  # -3: a meeting planned for three days from now
        factories.make_meeting(investors=[norwegian], title=f"{days_ago} days ago",
                               starts_at=now - timedelta(days=days_ago))
    db.session.commit()

    response = viewer_client.get("/")

    assert response.status_code == 200
    assert figure(response, "Investors") == 4
    assert figure(response, "Foreign investors") == 2
    assert figure(response, "Incubatees") == 3
    assert figure(response, "Meetings in the last 30 days") == 3


def test_overview_with_nothing_yet_shows_zeros_and_no_follow_ups(viewer_client, db):
    response = viewer_client.get("/")
    assert response.status_code == 200
    for label in ("Investors", "Foreign investors", "Incubatees", "Meetings in the last 30 days"):
        assert figure(response, label) == 0
    assert "No follow-ups planned." in page_text(response)


def test_overview_lists_the_follow_ups_coming_up_soonest_first(viewer_client, db):
    investor = factories.make_investor(name="Fjordinvest")
    today = datetime.now(OSLO).date()
    now = datetime.now(timezone.utc)
    factories.make_meeting(investors=[investor], title="Follow up in a week", starts_at=now - timedelta(days=2),
                           follow_up_on=today + timedelta(days=7))
    factories.make_meeting(investors=[investor], title="Follow up today", starts_at=now - timedelta(days=3),
                           follow_up_on=today)
    factories.make_meeting(investors=[investor], title="Follow-up missed", starts_at=now - timedelta(days=40),
                           follow_up_on=today - timedelta(days=30))
    factories.make_meeting(investors=[investor], title="No follow-up", starts_at=now - timedelta(days=1))
    db.session.commit()

    response = viewer_client.get("/")

    assert follow_up_titles(response) == ["Follow up today", "Follow up in a week"]
    assert "Follow-up missed" in page_text(response)  # still among the latest meetings


@pytest.mark.parametrize("param,value,expected", [
    ("startup_name", "ØRN", ["Investor day", "Ørn pitches Fjord"]),
    ("startup_name", "årv", ["Årvåk DD with Rhein", "Investor day"]),
    ("investor_name", "rhein", ["Årvåk DD with Rhein", "Investor day"]),
    ("investor_name", "xyzzy", []),
])
def test_meeting_list_finds_a_startup_or_investor_by_part_of_its_name(viewer_client, agenda, param, value, expected):
    response = viewer_client.get("/meetings/", query_string={param: value})
    assert listed_meetings(response) == expected
    assert re.search(rf'<input[^>]*name="{param}"[^>]*value="{re.escape(value)}"', page_text(response))


def test_meeting_list_chosen_by_id_shows_only_that_choice_and_no_menu_of_everyone(viewer_client, agenda):
    response = viewer_client.get(f"/meetings/?startup={agenda.arvak.id}")
    page = page_text(response)
    assert listed_meetings(response) == ["Årvåk DD with Rhein", "Investor day"]
    assert f'<option selected value="{agenda.arvak.id}">Årvåk</option>' in page
    assert "Ørn Biologics</option>" not in page and "Fjordinvest</option>" not in page
    assert 'name="investor_name"' in page


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_meeting_list_leaves_out_meetings_and_participants_in_the_trash(viewer_client, db, agenda, sort):
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == "Investor day"))
    meeting.deleted_at = datetime.now(timezone.utc)
    agenda.rhein.deleted_at = datetime.now(timezone.utc)
    db.session.commit()
    response = viewer_client.get("/meetings/", query_string={"sort": sort})
    assert sorted(listed_meetings(response)) == ["Årvåk DD with Rhein", "Ørn pitches Fjord"]
    assert "1–2 of 2 meetings" in page_text(response)
    assert "Rhein Capital</a>" not in page_text(response)
