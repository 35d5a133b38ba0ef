"""Partnering events: the event and who takes part, its grid where each short meeting is logged in one row and
the page comes back to the grid, bad rows kept with their message, the trash, and the dashboard for one event."""
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from crm.common.timeutil import utc_to_local
from crm.models import Event, Meeting, MeetingKind
from tests import factories
from tests.pages import plain, section, table, tile
from tests.test_startups import browser_form, field_errors, input_value, page_text

DAY = date(2026, 3, 16)


@pytest.fixture()
def cast(db, manager_user):
    orn = factories.make_startup(name="Ørn Biologics")
    arvak = factories.make_startup(name="Årvåk")
    outsider = factories.make_startup(name="Glimt Imaging")
    fjord = factories.make_investor(name="Fjordinvest")
    rhein = factories.make_investor(name="Rhein Capital", country="DE")
    event = factories.make_event(name="BIO-Europe Spring", starts_on=DAY, ends_on=DAY + timedelta(days=1),
                                 place="Messe Basel", startups=[orn, arvak], investors=[fjord, rhein])
    db.session.commit()
    return dict(orn=orn, arvak=arvak, outsider=outsider, fjord=fjord, rhein=rhein, event=event,
                manager=manager_user)


def row(c, **changes) -> dict:
    data = {"day": DAY.isoformat(), "time": "09:00", "startup_id": str(c["orn"].id),
            "investor_id": str(c["fjord"].id), "note": "Keen; wants the deck."}
    data.update(changes)
    return data


def selected(response, name: str) -> str | None:
    page = response.get_data(as_text=True)
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    match = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)
    return next(filter(None, match.groups())) if match else None


def test_an_event_is_added_with_its_dates_place_and_who_takes_part(manager_client, cast, db):
    response = manager_client.post("/events/new", data={
        "name": "Investor day at Oslo Science Park", "starts_on": "2026-05-06", "ends_on": "2026-05-06",
        "place": "Oslo Science Park", "slot_minutes": "20", "startup_ids": [str(cast["orn"].id)],
        "investor_ids": [str(cast["fjord"].id), str(cast["rhein"].id)]})
    assert response.status_code == 302
    page = manager_client.get(response.location)
    text = plain(page_text(page)).replace(" ,", ",")
    assert "Investor day at Oslo Science Park" in text
    assert "May 6, 2026 · Oslo Science Park · 20-minute meetings" in text
    assert "Startups Ørn Biologics Investors Fjordinvest, Rhein Capital Foreign" in text
    listing = manager_client.get("/events/")
    assert table(listing, "events-table")[0] == ["Investor day at Oslo Science Park", "May 6, 2026",
                                                 "Oslo Science Park", "0"]


def test_the_last_day_cannot_come_before_the_first(manager_client, cast, db):
    response = manager_client.post("/events/new", data={"name": "Back to front", "starts_on": "2026-05-06",
                                                         "ends_on": "2026-05-05", "slot_minutes": "30"})
    assert response.status_code == 200
    assert "The last day cannot be before the first." in field_errors(response, "ends_on")
    assert input_value(response, "name") == "Back to front"


def test_meetings_are_logged_one_row_each_and_the_page_comes_back_to_the_grid(manager_client, cast, db):
    event = cast["event"]
    page = manager_client.get(f"/events/{event.id}")
    assert selected(page, "day") == "2026-03-16" and input_value(page, "time") == "09:00"

    first = manager_client.post(f"/events/{event.id}/meetings", data=row(cast))
    assert first.status_code == 302 and first.location == f"/events/{event.id}#grid"
    page = manager_client.get(first.location)
    assert "Meeting logged: Ørn Biologics / Fjordinvest at 09:00." in page_text(page)
    assert input_value(page, "time") == "09:30"  # the next slot is offered
    manager_client.post(f"/events/{event.id}/meetings", data=row(
        cast, time="09:30", startup_id=str(cast["arvak"].id), investor_id=str(cast["rhein"].id), note=""))
    manager_client.post(f"/events/{event.id}/meetings", data=row(
        cast, day="2026-03-17", time="08:30", investor_id=str(cast["rhein"].id), note="Too early for them."))

    page = manager_client.get(f"/events/{event.id}")
    assert [cells[:5] for cells in table(page, "grid-table")[:3]] == [
        ["Mon 16 Mar", "09:00", "Ørn Biologics", "Fjordinvest", "Keen; wants the deck."],
        ["Mon 16 Mar", "09:30", "Årvåk", "Rhein Capital", ""],
        ["Tue 17 Mar", "08:30", "Ørn Biologics", "Rhein Capital", "Too early for them."]]
    assert table(page, "matrix-table") == [["Ørn Biologics", "Mon 09:00", "Tue 08:30"],
                                           ["Årvåk", "not met", "Mon 09:30"]]
    assert selected(page, "day") == "2026-03-17" and input_value(page, "time") == "09:00"
    meeting = db.session.scalar(select(Meeting).order_by(Meeting.starts_at))
    assert meeting.starts_at == datetime(2026, 3, 16, 8, 0, tzinfo=timezone.utc)  # 09:00 in Oslo in March
    assert (meeting.kind, meeting.event_id, meeting.duration_minutes, meeting.location, meeting.notes) == (
        MeetingKind.PARTNERING, event.id, 30, "Messe Basel", "Keen; wants the deck.")
    assert [u.id for u in meeting.staff] == [cast["manager"].id]
    assert table(manager_client.get("/events/"), "events-table")[0][-1] == "3"


@pytest.mark.parametrize("changes,field,message", [
    ({"investor_id": "0"}, "investor_id", "Choose the investor."),
    ({"startup_id": "0"}, "startup_id", "Choose the startup."),
    ({"time": "25:00"}, "time", "Not a valid time value."),
    ({"time": ""}, "time", "Enter the time."),
    ({"day": "2026-03-18"}, "day", "Not a valid choice."),
    ({"startup_id": "OUTSIDER"}, "startup_id", "Not a valid choice."),  # not taking part
    ({"note": "x" * 2001}, "note", "Field cannot be longer than 2000 characters."),
])
def test_a_row_that_cannot_be_logged_says_why_by_the_field_and_keeps_what_was_typed(
        manager_client, cast, db, changes, field, message):
    if changes.get("startup_id") == "OUTSIDER":
        changes = dict(changes, startup_id=str(cast["outsider"].id))
    typed = row(cast, note="Ask about the phase I read-out", **{k: v for k, v in changes.items() if k != "note"})
    if "note" in changes:
        typed["note"] = changes["note"]
    response = manager_client.post(f"/events/{cast['event'].id}/meetings", data=typed)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    if field != "note":
        assert input_value(response, "note") == "Ask about the phase I read-out"
    assert "BIO-Europe Spring" in page_text(response)
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_without_listed_participants_the_grid_offers_every_startup_and_investor(manager_client, cast, db):
    bare = factories.make_event(name="Open day", starts_on=DAY)
    db.session.commit()
    page = page_text(manager_client.get(f"/events/{bare.id}"))
    assert "Glimt Imaging" in page and "Fjordinvest" in page
    page = page_text(manager_client.get(f"/events/{cast['event'].id}"))
    assert "Glimt Imaging" not in page  # only the event's own startups


def test_a_viewer_sees_the_grid_without_the_entry_row(viewer_client, cast, db):
    factories.make_meeting([cast["orn"]], [cast["fjord"]], event=cast["event"],
                           starts_at=datetime(2026, 3, 16, 8, 0, tzinfo=timezone.utc))
    db.session.commit()
    page = viewer_client.get(f"/events/{cast['event'].id}")
    assert table(page, "grid-table") == [["Mon 16 Mar", "09:00", "Ørn Biologics", "Fjordinvest", ""]]
    assert 'id="grid-row"' not in page.get_data(as_text=True)
    assert viewer_client.post(f"/events/{cast['event'].id}/meetings", data=row(cast)).status_code == 403


def test_a_meeting_logged_from_its_form_can_belong_to_an_event(manager_client, cast, db):
    form = manager_client.get(f"/meetings/new?event_id={cast['event'].id}")
    assert selected(form, "event_id") == str(cast["event"].id) and selected(form, "kind") == "partnering"
    response = manager_client.post("/meetings/new", data={
        "starts_at": "2026-03-16T11:00", "duration_minutes": "30", "kind": "partnering",
        "startup_ids": [str(cast["orn"].id)], "investor_ids": [str(cast["rhein"].id)],
        "event_id": str(cast["event"].id)})
    assert response.status_code == 302
    page = manager_client.get(response.location)
    assert f'href="/events/{cast["event"].id}">BIO-Europe Spring</a>' in page.get_data(as_text=True)


def test_an_event_in_the_trash_keeps_its_meetings_which_can_still_be_edited(manager_client, cast, db):
    meeting = factories.make_meeting([cast["orn"]], [cast["fjord"]], event=cast["event"], title="At BIO-Europe",
                                     starts_at=datetime(2026, 3, 16, 8, 0, tzinfo=timezone.utc))
    db.session.commit()
    assert manager_client.post(f"/events/{cast['event'].id}/delete").status_code == 302
    assert "No events yet." in page_text(manager_client.get("/events/"))
    assert "BIO-Europe Spring" not in page_text(manager_client.get(f"/meetings/{meeting.id}"))
    edit = manager_client.get(f"/meetings/{meeting.id}/edit")
    assert "(an event in the trash)" in page_text(edit)
    assert manager_client.post(f"/meetings/{meeting.id}/edit", data=browser_form(edit, "starts_at")).status_code == 302
    assert manager_client.post(f"/trash/events/{cast['event'].id}/restore").status_code == 302
    assert "BIO-Europe Spring" in page_text(manager_client.get(f"/meetings/{meeting.id}"))
    assert db.session.get(Event, cast["event"].id).deleted_at is None


def test_the_dashboard_for_one_event_counts_its_meetings_its_deals_and_their_follow_ups(viewer_client, cast, db):
    now = datetime.now(timezone.utc)
    met_on = utc_to_local(now - timedelta(days=1)).date()  # yesterday in Oslo: its follow-ups are overdue today
    orn, fjord, rhein = cast["orn"], cast["fjord"], cast["rhein"]
    event = factories.make_event(name="Nordic Life Science Days", starts_on=met_on,
                                 startups=[orn], investors=[rhein])
    there = factories.make_meeting([orn], [rhein], event=event, title="Ørn and Rhein at the event",
                                   starts_at=now - timedelta(days=1), follow_up_on=met_on,
                                   follow_up_title="Send Rhein the deck")
    factories.make_meeting([orn], [fjord], title="Ørn and Fjordinvest at home", starts_at=now - timedelta(days=1),
                           follow_up_on=met_on, follow_up_title="Call Fjordinvest")
    factories.make_deal(orn, rhein)
    factories.make_deal(orn, fjord)
    db.session.commit()

    everything = viewer_client.get("/")
    assert table(everything, "open-table")[0][:2] == ["Identified", "2"]
    assert tile(everything, "overdue") == "2 Overdue follow-ups"

    one = viewer_client.get("/", query_string={"event": event.id})
    assert "For the chosen event" in page_text(one)
    assert table(one, "open-table")[0][:2] == ["Identified", "1"]  # Ørn and Rhein met there
    assert tile(one, "foreign_met") == "1 Foreign investors met in the period"
    assert tile(one, "overdue") == "1 Overdue follow-ups"
    assert "Send Rhein the deck" in section(one, "follow-ups-overdue")
    assert "Call Fjordinvest" not in page_text(one)
    latest = plain(page_text(one).split("Latest meetings", 1)[1])
    assert there.display_title in latest and "at home" not in latest
    assert f'href="/?event={event.id}"' in viewer_client.get(f"/events/{event.id}").get_data(as_text=True)
    csv = viewer_client.get("/dashboard.csv", query_string={"event": event.id}).get_data(as_text=True)
    assert f"period,,event,{event.id}," in csv
