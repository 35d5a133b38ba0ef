"""Follow-ups through the pages: adding one about a record or with a meeting, "My follow-ups" by when they
are due, done and open again in one click, editing, the trash, and the dashboard's lists."""
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from crm.errors import ValidationError
from crm.followups.services import FollowUpData, create_follow_up
from crm.followups.targets import Target
from crm.models import FollowUp
from crm.users.services import set_active
from tests import factories
from tests.conftest import NOW
from tests.pages import plain, section
from tests.test_startups import field_errors, input_value, page_text

TODAY = date(2026, 3, 2)  # NOW, a Monday, in Oslo


@pytest.fixture()
def cast(db, manager_user):
    startup = factories.make_startup(name="Ørn Biologics")
    investor = factories.make_investor(name="Fjordinvest")
    colleague = factories.make_user(name="Tobias Lie", email="tobias@example.com")
    db.session.commit()
    return startup, investor, colleague


def titles(response, element_id: str) -> list[str]:
    """The follow-up titles listed in a section, top to bottom."""
    part = page_text(response).split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<span class="fw-semibold[^"]*">([^<]+)</span>', part)


def test_a_follow_up_added_from_a_startups_page_shows_there_and_in_my_follow_ups(manager_client, manager_user, clock,
                                                                                  cast):
    startup, _investor, _colleague = cast
    page = manager_client.get(f"/startups/{startup.id}")
    assert f'href="/follow-ups/new?startup_id={startup.id}"' in page.get_data(as_text=True)
    form = manager_client.get(f"/follow-ups/new?startup_id={startup.id}")
    assert "About Ørn Biologics" in page_text(form)
    assert input_value(form, "due_on") == "2026-03-09"  # a week from today by default

    response = manager_client.post(f"/follow-ups/new?startup_id={startup.id}", data={
        "title": "Send Ørn the term sheet template", "due_on": "2026-03-04", "assignee_id": str(manager_user.id)})

    assert response.status_code == 302 and response.location == f"/startups/{startup.id}"
    page = manager_client.get(response.location)
    assert "Follow-up added: Send Ørn the term sheet template." in page_text(page)
    assert "Send Ørn the term sheet template" in section(page, "follow-ups")
    agenda = manager_client.get("/follow-ups/")
    assert titles(agenda, "this-week") == ["Send Ørn the term sheet template"]
    assert "Ørn Biologics" in section(agenda, "this-week")


def test_my_follow_ups_are_grouped_overdue_today_this_week_and_later(manager_client, manager_user, clock, cast, db):
    startup, investor, colleague = cast
    make = factories.make_follow_up
    make(startup, TODAY - timedelta(days=3), "Chase the signed NDA", manager_user)
    make(investor, TODAY, "Call Fjordinvest", manager_user)
    make(startup, date(2026, 3, 8), "Prepare the Sunday pitch", manager_user)  # Sunday: still this week
    make(investor, date(2026, 3, 9), "Book the follow-up meeting", manager_user)  # next Monday: later
    make(investor, TODAY, "Tobias's call", colleague)
    make(startup, TODAY - timedelta(days=1), "Sent the deck", manager_user, done_at=NOW - timedelta(days=1))
    make(startup, TODAY - timedelta(days=20), "Done long ago", manager_user, done_at=NOW - timedelta(days=10))
    db.session.commit()

    agenda = manager_client.get("/follow-ups/")

    assert "My follow-ups" in page_text(agenda)
    assert titles(agenda, "overdue") == ["Chase the signed NDA"]
    assert "Overdue" in section(agenda, "overdue")
    assert titles(agenda, "today") == ["Call Fjordinvest"]
    assert titles(agenda, "this-week") == ["Prepare the Sunday pitch"]
    assert titles(agenda, "later") == ["Book the follow-up meeting"]
    assert titles(agenda, "done") == ["Sent the deck"]  # done in the last 7 days only
    assert "Tobias's call" not in page_text(agenda)

    theirs = manager_client.get(f"/follow-ups/?user={colleague.id}")
    assert titles(theirs, "today") == ["Tobias's call"]
    assert "My follow-ups" not in page_text(theirs)


def test_done_and_open_again_each_take_one_click_and_go_back_where_the_button_was(
        manager_client, manager_user, clock, cast, db):
    startup, _investor, _colleague = cast
    follow_up = factories.make_follow_up(startup, TODAY, "Call the CEO", manager_user)
    db.session.commit()

    response = manager_client.post(f"/follow-ups/{follow_up.id}/done", data={"next": f"/startups/{startup.id}"})

    assert response.status_code == 302 and response.location == f"/startups/{startup.id}"
    page = manager_client.get(response.location)
    assert "Done: Call the CEO." in page_text(page)
    assert "Call the CEO" not in section(page, "follow-ups")
    db.session.expire_all()
    saved = db.session.get(FollowUp, follow_up.id)
    assert saved.done_at == NOW and saved.done_by_id == manager_user.id
    assert "Done 3/2/26, 12:00" in plain(page_text(manager_client.get("/follow-ups/")).replace("\u202f", " "))

    response = manager_client.post(f"/follow-ups/{follow_up.id}/open", data={"next": "https://evil.example.com/"})
    assert response.location == "/follow-ups/"  # only a page on this site is gone back to
    agenda = manager_client.get("/follow-ups/")
    assert titles(agenda, "today") == ["Call the CEO"]
    db.session.expire_all()
    assert db.session.get(FollowUp, follow_up.id).done_at is None


def test_a_viewer_sees_follow_ups_without_buttons_and_cannot_mark_them_done(viewer_client, manager_user, cast, db):
    startup, _investor, _colleague = cast
    follow_up = factories.make_follow_up(startup, TODAY, "Call the CEO", manager_user)
    db.session.commit()
    page = viewer_client.get(f"/startups/{startup.id}")
    assert "Call the CEO" in section(page, "follow-ups")
    assert f"/follow-ups/{follow_up.id}/done" not in page.get_data(as_text=True)
    assert "Add follow-up" not in page_text(page)
    assert viewer_client.post(f"/follow-ups/{follow_up.id}/done").status_code == 403


@pytest.mark.parametrize("changes,field,message", [
    ({"title": ""}, "title", "Say what is to be done."),
    ({"title": "x" * 201}, "title", "Field cannot be longer than 200 characters."),
    ({"due_on": ""}, "due_on", "Enter the day it is due."),
    ({"due_on": "next week"}, "due_on", "Not a valid date value."),
    ({"assignee_id": "0"}, "assignee_id", "Choose an active user from the list."),
    ({"assignee_id": "999999"}, "assignee_id", "Not a valid choice."),
])
def test_a_follow_up_needs_a_title_a_day_and_a_person(manager_client, manager_user, cast, db, changes, field,
                                                      message):
    startup, _investor, _colleague = cast
    typed = {"title": "Send the data room link", "due_on": "2026-03-04", "assignee_id": str(manager_user.id)}
    typed.update(changes)
    response = manager_client.post(f"/follow-ups/new?startup_id={startup.id}", data=typed)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    if field != "title":
        assert input_value(response, "title") == "Send the data room link"
    assert db.session.scalar(select(FollowUp.id)) is None


@pytest.mark.parametrize("query", ["", "startup_id=999999", "startup_id=abc", "event_id=1"])
def test_a_follow_up_about_nothing_is_not_found(manager_client, db, query):
    assert manager_client.get(f"/follow-ups/new?{query}").status_code == 404


def test_a_follow_up_cannot_be_given_to_a_deactivated_user(db, manager_user, cast):
    startup, _investor, colleague = cast
    set_active(colleague, False, manager_user)
    with pytest.raises(ValidationError) as error:
        create_follow_up(FollowUpData("Call", TODAY, colleague.id), Target("startup", startup.id), manager_user)
    assert error.value.field == "assignee_id"


def test_editing_moves_the_day_and_a_stale_form_shows_the_conflict(manager_client, manager_user, cast, db):
    startup, _investor, colleague = cast
    follow_up = factories.make_follow_up(startup, TODAY, "Call the CEO", manager_user)
    db.session.commit()
    form = {"title": "Call the CEO", "due_on": "2026-03-10", "assignee_id": str(colleague.id),
            "version": str(follow_up.version)}
    assert manager_client.post(f"/follow-ups/{follow_up.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    saved = db.session.get(FollowUp, follow_up.id)
    assert (saved.due_on, saved.assignee_id) == (date(2026, 3, 10), colleague.id)

    response = manager_client.post(f"/follow-ups/{follow_up.id}/edit", data=dict(form, due_on="2026-03-12"))
    assert response.status_code == 200
    assert "Somebody else saved this record" in page_text(response)


def test_a_deleted_follow_up_goes_to_the_trash_and_comes_back(manager_client, manager_user, cast, db):
    startup, _investor, _colleague = cast
    follow_up = factories.make_follow_up(startup, TODAY, "Call the CEO", manager_user)
    db.session.commit()
    assert manager_client.post(f"/follow-ups/{follow_up.id}/delete").status_code == 302
    assert "Call the CEO" not in page_text(manager_client.get("/follow-ups/"))
    trash = manager_client.get("/trash/")
    assert "Call the CEO" in page_text(trash) and "Follow-up" in page_text(trash)
    assert manager_client.post(f"/trash/follow_ups/{follow_up.id}/restore").status_code == 302
    assert "Call the CEO" in page_text(manager_client.get("/follow-ups/"))


def test_follow_ups_about_a_startup_in_the_trash_are_hidden_until_it_is_restored(
        manager_client, manager_user, cast, db):
    startup, investor, _colleague = cast
    deal = factories.make_deal(startup, investor)
    factories.make_follow_up(startup, TODAY, "About the startup", manager_user)
    factories.make_follow_up(deal, TODAY, "About the deal", manager_user)
    db.session.commit()
    assert manager_client.post(f"/startups/{startup.id}/delete").status_code == 302
    assert "About the" not in page_text(manager_client.get("/follow-ups/"))
    assert manager_client.post(f"/trash/startups/{startup.id}/restore").status_code == 302
    agenda = page_text(manager_client.get("/follow-ups/"))
    assert "About the startup" in agenda and "About the deal" in agenda


def test_a_meeting_logged_with_a_follow_up_day_adds_the_follow_up_of_its_next_steps(
        manager_client, manager_user, cast, db):
    startup, investor, colleague = cast
    base = {"starts_at": "2026-06-15T10:00", "duration_minutes": "60", "kind": "pitch", "title": "",
            "location": "", "notes": "", "outcome": "", "startup_ids": [str(startup.id)],
            "investor_ids": [str(investor.id)], "event_id": "0"}
    manager_client.post("/meetings/new", data=dict(base, next_steps="Send the deck\nThen call",
                                                   follow_up_on="2026-06-22"))
    manager_client.post("/meetings/new", data=dict(base, next_steps="", follow_up_on="2026-06-23",
                                                   follow_up_title="Ask for the DD list",
                                                   follow_up_assignee_id=str(colleague.id)))
    manager_client.post("/meetings/new", data=dict(base, next_steps="", follow_up_on=""))

    rows = db.session.execute(select(FollowUp.title, FollowUp.due_on, FollowUp.assignee_id)
                              .order_by(FollowUp.due_on)).all()
    assert [tuple(r) for r in rows] == [
        ("Send the deck", date(2026, 6, 22), manager_user.id),
        ("Ask for the DD list", date(2026, 6, 23), colleague.id)]
    first_meeting = db.session.scalar(select(FollowUp.meeting_id).order_by(FollowUp.due_on).limit(1))
    meeting_page = manager_client.get(f"/meetings/{first_meeting}")
    assert "Send the deck" in section(meeting_page, "follow-ups")


def test_a_follow_up_title_without_a_day_asks_for_the_day(manager_client, cast, db):
    startup, _investor, _colleague = cast
    response = manager_client.post("/meetings/new", data={
        "starts_at": "2026-06-15T10:00", "duration_minutes": "60", "kind": "pitch", "event_id": "0",
        "startup_ids": [str(startup.id)], "follow_up_title": "Ask for the DD list", "follow_up_on": ""})
    assert response.status_code == 200
    assert "Enter the day the follow-up is due." in field_errors(response, "follow_up_on")
    assert input_value(response, "follow_up_title") == "Ask for the DD list"


def test_the_dashboard_lists_open_follow_ups_due_soon_and_overdue_and_narrows_them_to_a_startup(
        viewer_client, manager_user, cast, db):
    startup, investor, _colleague = cast
    other = factories.make_startup(name="Årvåk")
    deal = factories.make_deal(startup, investor)
    today = datetime.now(timezone.utc).date()
    factories.make_follow_up(deal, today + timedelta(days=2), "Due on the deal", manager_user)
    factories.make_follow_up(other, today - timedelta(days=4), "Overdue at Årvåk", manager_user)
    factories.make_follow_up(investor, today - timedelta(days=1), "Done already", manager_user,
                             done_at=datetime.now(timezone.utc))
    factories.make_follow_up(startup, today + timedelta(days=30), "Far off", manager_user)
    db.session.commit()

    everything = viewer_client.get("/")
    assert "Due on the deal" in section(everything, "follow-ups-due")
    assert "Ørn Biologics · Fjordinvest" in section(everything, "follow-ups-due")
    assert "Far off" not in page_text(everything) and "Done already" not in page_text(everything)
    assert "Overdue at Årvåk" in section(everything, "follow-ups-overdue")

    orn = viewer_client.get("/", query_string={"startup": startup.id})
    assert "Due on the deal" in section(orn, "follow-ups-due")  # through the startup's deal
    assert "Overdue at Årvåk" not in page_text(orn)
