"""The trash: deleting hides a record everywhere for 30 days, managers restore, admins empty it, and the
pages of related records keep working."""
import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from crm.common.timeutil import utcnow
from crm.errors import ValidationError
from crm.models import Contact, IncubatorStatus, Investor, Meeting, Startup
from crm.trash import services as trash
from tests import factories
from tests.conftest import PASSWORD
from tests.test_sessions import age_sign_in
from tests.test_startups import browser_form, page_text

MODELS = {"investors": Investor, "startups": Startup, "contacts": Contact, "meetings": Meeting}


@pytest.fixture()
def world(db):
    """An investor with two people, a startup with one, and a meeting of them all (held yesterday)."""
    fjord = factories.make_investor(name="Fjordinvest Øst", country="DE")
    kari = factories.make_contact(fjord, name="Kari Nordmann")
    ola = factories.make_contact(fjord, name="Ola Hansen")
    arvak = factories.make_startup(name="Årvåk Bio", incubator_status=IncubatorStatus.INCUBATEE)
    siri = factories.make_contact(arvak, name="Siri Dahl")
    rhein = factories.make_investor(name="Rhein Capital", country="DE")
    meeting = factories.make_meeting(startups=[arvak], investors=[fjord, rhein], contacts=[kari, siri],
                                     title="Styremøte i Oslo", starts_at=utcnow() - timedelta(days=1))
    db.session.commit()
    return SimpleNamespace(fjord=fjord, kari=kari, ola=ola, arvak=arvak, siri=siri, rhein=rhein, meeting=meeting)


def trash_it(client, kind, record_id) -> None:
    """Delete through the page, as a user does (following the redirect, which shows the message)."""
    response = client.post(f"/{kind}/{record_id}/delete", follow_redirects=True)
    assert response.status_code == 200
    assert "deleted." in page_text(response)


def record_of(world, kind):
    return {"investors": world.fjord, "startups": world.arvak, "contacts": world.ola,
            "meetings": world.meeting}[kind]


def label_of(record) -> str:
    return getattr(record, "title", None) or record.name


def is_in_trash(db, kind, record_id) -> bool:
    db.session.expire_all()
    return trash.find_in_trash(kind, record_id) is not None


def exists(db, kind, record_id) -> bool:
    db.session.expire_all()
    model = MODELS[kind]
    stmt = select(func.count(model.id)).where(model.id == record_id).execution_options(include_deleted=True)
    return db.session.scalar(stmt) == 1


def trash_rows(response) -> list[str]:
    """The record names listed on the trash page."""
    return re.findall(r'<td class="fw-semibold">([^<]*)</td>', page_text(response))


def picker_options(client, picker) -> str:
    page = page_text(client.get("/meetings/new"))
    return re.search(rf'<select[^>]*name="{picker}"[^>]*>(.*?)</select>', page, re.S).group(1)


def overview_figure(client, label) -> int:
    text = page_text(client.get("/"))
    match = re.search(rf'<div class="fs-3 fw-semibold">([\d,]+)</div>\s*<div class="text-body-secondary">{label}</div>',
                      text)
    return int(match.group(1).replace(",", ""))


# --- deleting hides the record everywhere -----------------------------------------------------------

@pytest.mark.parametrize("kind", ["investors", "startups", "contacts", "meetings"])
def test_a_deleted_record_is_gone_from_lists_search_and_its_page_but_is_in_the_trash(db, world, manager_client,
                                                                                      kind):
    record = record_of(world, kind)
    record_id, label = record.id, label_of(record)
    listing = f"/{kind}/"
    assert label in page_text(manager_client.get(listing))

    response = manager_client.post(f"/{kind}/{record_id}/delete")

    assert response.status_code == 302
    assert "deleted" in page_text(manager_client.get(response.location))
    assert label not in page_text(manager_client.get(listing))
    assert label not in page_text(manager_client.get(listing, query_string={"q": label[:6]}))
    assert manager_client.get(f"/{kind}/{record_id}").status_code == 404
    assert manager_client.get(f"/{kind}/{record_id}/edit").status_code == 404
    assert manager_client.get(f"/{kind}/{record_id}/delete").status_code == 404
    assert label in trash_rows(manager_client.get("/trash/"))
    assert is_in_trash(db, kind, record_id)


@pytest.mark.parametrize("kind,picker", [("investors", "investor_ids"), ("startups", "startup_ids"),
                                         ("contacts", "contact_ids")])
def test_a_deleted_record_is_not_offered_in_the_meeting_form(db, world, manager_client, kind, picker):
    record = record_of(world, kind)
    assert f'value="{record.id}"' in picker_options(manager_client, picker)

    manager_client.post(f"/{kind}/{record.id}/delete")

    options = picker_options(manager_client, picker)
    assert f'value="{record.id}"' not in options and record.name not in options
    if kind != "contacts":  # the meeting list filters by startup and investor
        assert record.name not in page_text(manager_client.get("/meetings/"))


def test_a_deleted_record_is_left_out_of_the_overview_figures(db, world, manager_client):
    assert overview_figure(manager_client, "Investors") == 2
    assert overview_figure(manager_client, "Foreign investors") == 2
    assert overview_figure(manager_client, "Incubatees") == 1
    assert overview_figure(manager_client, "Meetings in the last 30 days") == 1

    for kind, record in (("investors", world.fjord), ("startups", world.arvak), ("meetings", world.meeting)):
        trash_it(manager_client, kind, record.id)

    assert overview_figure(manager_client, "Investors") == 1
    assert overview_figure(manager_client, "Foreign investors") == 1
    assert overview_figure(manager_client, "Incubatees") == 0
    assert overview_figure(manager_client, "Meetings in the last 30 days") == 0
    assert "Styremøte i Oslo" not in page_text(manager_client.get("/"))


def test_the_trash_says_who_deleted_what_and_until_when_it_can_be_restored(db, world, manager_client):
    trash_it(manager_client, "investors", world.rhein.id)
    page = page_text(manager_client.get("/trash/"))
    row = page.split('<td class="fw-semibold">Rhein Capital</td>', 1)[1].split("</tr>", 1)[0]
    assert "Investor" in row and "Manager User" in row
    until = (utcnow() + timedelta(days=30)).astimezone(ZoneInfo("Europe/Oslo"))
    assert f"{until:%b} {until.day}, {until.year}" in row


# --- an organisation's people go with it, and come back with it --------------------------------------

def test_deleting_an_investor_takes_its_contacts_along_and_restoring_brings_them_back(db, world, manager_client):
    trash_it(manager_client, "contacts", world.ola.id)  # deleted on its own, earlier
    trash_it(manager_client, "investors", world.fjord.id)

    assert manager_client.get(f"/contacts/{world.kari.id}").status_code == 404
    assert "Kari Nordmann" not in page_text(manager_client.get("/contacts/"))
    assert set(trash_rows(manager_client.get("/trash/"))) == {"Fjordinvest Øst", "Kari Nordmann", "Ola Hansen"}

    response = manager_client.post(f"/trash/investors/{world.fjord.id}/restore", follow_redirects=True)

    assert "Fjordinvest Øst is restored." in page_text(response)
    assert manager_client.get(f"/contacts/{world.kari.id}").status_code == 200
    assert "Kari Nordmann" in page_text(manager_client.get(f"/investors/{world.fjord.id}"))
    # The one deleted on its own stays in the trash.
    assert trash_rows(manager_client.get("/trash/")) == ["Ola Hansen"]
    assert manager_client.get(f"/contacts/{world.ola.id}").status_code == 404


def test_deleting_a_startup_takes_its_contacts_along_and_restoring_brings_them_back(db, world, manager_client):
    trash_it(manager_client, "startups", world.arvak.id)
    assert manager_client.get(f"/contacts/{world.siri.id}").status_code == 404
    manager_client.post(f"/trash/startups/{world.arvak.id}/restore")
    assert manager_client.get(f"/contacts/{world.siri.id}").status_code == 200


def test_a_contact_of_a_deleted_investor_cannot_be_restored_on_its_own(db, world, manager_client):
    trash_it(manager_client, "investors", world.fjord.id)

    response = manager_client.post(f"/trash/contacts/{world.kari.id}/restore", follow_redirects=True)

    assert "Restore Fjordinvest Øst first: this person belongs to it." in page_text(response)
    assert is_in_trash(db, "contacts", world.kari.id)
    assert manager_client.get(f"/contacts/{world.kari.id}").status_code == 404


# --- who may restore ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["investors", "startups", "contacts", "meetings"])
def test_a_manager_restores_a_record_and_it_is_back_everywhere(db, world, manager_client, kind):
    record = record_of(world, kind)
    record_id, label = record.id, label_of(record)
    manager_client.post(f"/{kind}/{record_id}/delete")

    response = manager_client.post(f"/trash/{kind}/{record_id}/restore")

    assert response.status_code == 302 and response.location == "/trash/"
    assert f"{label} is restored." in page_text(manager_client.get("/trash/"))
    assert manager_client.get(f"/{kind}/{record_id}").status_code == 200
    assert label in page_text(manager_client.get(f"/{kind}/"))
    assert not is_in_trash(db, kind, record_id)


def test_a_viewer_sees_the_trash_but_cannot_restore(db, world, manager_client, viewer_client):
    trash_it(manager_client, "investors", world.rhein.id)

    page = viewer_client.get("/trash/")
    assert "Rhein Capital" in trash_rows(page)
    assert "/restore" not in page_text(page) and "Empty the trash" not in page_text(page)
    response = viewer_client.post(f"/trash/investors/{world.rhein.id}/restore")
    assert response.status_code == 403
    assert is_in_trash(db, "investors", world.rhein.id)


def test_restoring_a_record_that_is_not_in_the_trash_is_not_found(db, world, manager_client):
    assert manager_client.post(f"/trash/investors/{world.rhein.id}/restore").status_code == 404
    assert manager_client.post("/trash/investors/999999/restore").status_code == 404
    assert manager_client.post(f"/trash/users/{world.rhein.id}/restore").status_code == 404


# --- 30 days ------------------------------------------------------------------------------------------

def test_a_record_can_be_restored_up_to_30_days_after_it_was_deleted(db, world, manager_user):
    deleted_on = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    trash.move_to_trash(world.rhein, manager_user, now=deleted_on)
    trash.restore(world.rhein, manager_user, now=deleted_on + timedelta(days=30))
    assert not world.rhein.is_deleted

    trash.move_to_trash(world.rhein, manager_user, now=deleted_on)
    with pytest.raises(ValidationError) as refused:
        trash.restore(world.rhein, manager_user, now=deleted_on + timedelta(days=30, seconds=1))
    assert "more than 30 days ago" in str(refused.value.message)
    assert world.rhein.is_deleted


def test_after_30_days_a_record_leaves_the_trash_page_and_cannot_be_restored(db, world, manager_client,
                                                                             manager_user):
    trash.move_to_trash(world.rhein, manager_user, now=utcnow() - timedelta(days=31))
    trash.move_to_trash(world.fjord, manager_user, now=utcnow() - timedelta(days=29))
    db.session.commit()

    assert sorted(trash_rows(manager_client.get("/trash/"))) == ["Fjordinvest Øst", "Kari Nordmann", "Ola Hansen"]
    response = manager_client.post(f"/trash/investors/{world.rhein.id}/restore", follow_redirects=True)
    assert "This was deleted more than 30 days ago and can no longer be restored." in page_text(response)
    assert manager_client.get(f"/investors/{world.rhein.id}").status_code == 404
    assert manager_client.post(f"/trash/investors/{world.fjord.id}/restore").status_code == 302
    assert manager_client.get(f"/investors/{world.fjord.id}").status_code == 200


# --- emptying the trash --------------------------------------------------------------------------------

def test_an_admin_empties_the_trash_and_everything_in_it_is_gone_for_good(db, world, admin_client):
    gone = [("investors", world.fjord.id), ("contacts", world.kari.id), ("contacts", world.ola.id),
            ("meetings", world.meeting.id)]
    trash_it(admin_client, "investors", world.fjord.id)
    trash_it(admin_client, "meetings", world.meeting.id)

    response = admin_client.post("/trash/empty", headers={"Referer": "http://localhost/trash/"})

    assert response.status_code == 302 and response.location == "/trash/"
    page = page_text(admin_client.get("/trash/"))
    assert "The trash is empty: 4 records deleted for good." in page
    assert "The trash is empty." in page
    for kind, record_id in gone:
        assert not exists(db, kind, record_id)
    assert exists(db, "investors", world.rhein.id) and exists(db, "startups", world.arvak.id)


def test_emptying_the_trash_after_an_old_sign_in_asks_for_the_password_first(db, world, admin_client, admin_user):
    rhein_id = world.rhein.id
    trash_it(admin_client, "investors", rhein_id)
    age_sign_in(db, admin_user, minutes=6)  # CRM_REAUTH_MINUTES is 5

    response = admin_client.post("/trash/empty", headers={"Referer": "http://localhost/trash/"})

    assert response.status_code == 302
    assert response.location == "/auth/confirm?next=/trash/"
    assert exists(db, "investors", world.rhein.id)
    page = admin_client.get(response.location)
    assert "Confirm your password" in page_text(page)

    wrong = admin_client.post("/auth/confirm", data={"password": "not my password!", "next": "/trash/"})
    assert wrong.status_code == 200 and "This is not your password." in page_text(wrong)
    assert admin_client.post("/trash/empty").location.startswith("/auth/confirm")

    confirmed = admin_client.post("/auth/confirm", data={"password": PASSWORD, "next": "/trash/"})
    assert confirmed.status_code == 302 and confirmed.location == "/trash/"
    assert admin_client.post("/trash/empty").status_code == 302
    assert not exists(db, "investors", rhein_id)


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_only_an_admin_may_empty_the_trash(request, db, world, manager_client, role):
    trash_it(manager_client, "investors", world.rhein.id)
    client = manager_client if role == "manager" else request.getfixturevalue("viewer_client")
    assert "Empty the trash" not in page_text(client.get("/trash/"))
    assert client.post("/trash/empty").status_code == 403
    assert is_in_trash(db, "investors", world.rhein.id)


def test_purge_trash_deletes_only_what_has_been_in_the_trash_for_more_than_30_days(db, world, runner,
                                                                                  manager_user):
    gone = [("investors", world.fjord.id), ("contacts", world.kari.id), ("contacts", world.ola.id),
            ("meetings", world.meeting.id)]
    trash.move_to_trash(world.fjord, manager_user, now=utcnow() - timedelta(days=31))
    trash.move_to_trash(world.meeting, manager_user, now=utcnow() - timedelta(days=40))
    trash.move_to_trash(world.rhein, manager_user, now=utcnow() - timedelta(days=29))
    trash.move_to_trash(world.siri, manager_user, now=utcnow() - timedelta(days=1))
    db.session.commit()

    result = runner.invoke(args=["purge-trash"])

    assert result.exit_code == 0, result.output
    assert "4 records deleted for good." in result.output  # the investor, its two people, the meeting
    db.session.expire_all()
    for kind, record_id in gone:
        assert not exists(db, kind, record_id), (kind, record_id)
    assert is_in_trash(db, "investors", world.rhein.id) and is_in_trash(db, "contacts", world.siri.id)
    assert exists(db, "startups", world.arvak.id)
    assert "0 records deleted for good." in runner.invoke(args=["purge-trash"]).output


# --- related pages never break ----------------------------------------------------------------------

def test_a_meeting_whose_investor_is_in_the_trash_opens_and_lists_the_others(db, world, manager_client):
    trash_it(manager_client, "investors", world.fjord.id)

    response = manager_client.get(f"/meetings/{world.meeting.id}")

    assert response.status_code == 200
    page = page_text(response).split("History", 1)[0]
    assert "Rhein Capital" in page and "Årvåk Bio" in page and "Siri Dahl" in page
    assert "Fjordinvest Øst" not in page and "Kari Nordmann" not in page  # she went with her investor
    assert "Styremøte i Oslo" in page_text(manager_client.get("/meetings/"))
    for url in (f"/startups/{world.arvak.id}", f"/investors/{world.rhein.id}", f"/contacts/{world.siri.id}", "/"):
        assert manager_client.get(url).status_code == 200, url


def test_the_pages_of_a_deleted_meetings_participants_still_open_without_it(db, world, manager_client):
    trash_it(manager_client, "meetings", world.meeting.id)
    for url in (f"/startups/{world.arvak.id}", f"/investors/{world.fjord.id}", f"/contacts/{world.kari.id}"):
        response = manager_client.get(url)
        assert response.status_code == 200, url
        assert f'href="/meetings/{world.meeting.id}"' not in response.get_data(as_text=True)


def test_a_meeting_whose_only_startup_and_investors_are_deleted_still_opens(db, world, manager_client):
    for kind, record in (("investors", world.fjord), ("investors", world.rhein), ("startups", world.arvak)):
        trash_it(manager_client, kind, record.id)
    for url in (f"/meetings/{world.meeting.id}", "/meetings/", "/", f"/meetings/{world.meeting.id}/edit"):
        assert manager_client.get(url).status_code == 200, url


def test_a_meeting_edited_while_a_participant_is_in_the_trash_gets_it_back_on_restore(db, world, manager_client):
    trash_it(manager_client, "investors", world.fjord.id)
    form = browser_form(manager_client.get(f"/meetings/{world.meeting.id}/edit"), "starts_at")
    assert form["investor_ids"] == [str(world.rhein.id)]
    form["notes"] = ["Fulgt opp på telefon"]
    assert manager_client.post(f"/meetings/{world.meeting.id}/edit", data=form).status_code == 302

    manager_client.post(f"/trash/investors/{world.fjord.id}/restore")

    page = page_text(manager_client.get(f"/meetings/{world.meeting.id}")).split("History", 1)[0]
    assert "Fjordinvest Øst" in page and "Kari Nordmann" in page and "Fulgt opp på telefon" in page


def test_a_meeting_still_opens_after_its_investor_is_deleted_for_good(db, world, admin_client):
    trash_it(admin_client, "investors", world.fjord.id)
    admin_client.post("/trash/empty")

    response = admin_client.get(f"/meetings/{world.meeting.id}")

    assert response.status_code == 200
    page = page_text(response).split("History", 1)[0]
    assert "Rhein Capital" in page and "Siri Dahl" in page and "Fjordinvest Øst" not in page
    assert admin_client.get(f"/meetings/{world.meeting.id}/edit").status_code == 200


@pytest.mark.parametrize("kind,offer", [("investors", "Add investor"), ("startups", "Add startup"),
                                        ("meetings", "Log meeting")])
def test_deleting_the_last_record_leaves_an_empty_list_that_still_opens(db, manager_client, viewer_client, kind,
                                                                        offer):
    record = {"investors": lambda: factories.make_investor(name="Eneste Fond"),
              "startups": lambda: factories.make_startup(name="Eneste Bio"),
              "meetings": lambda: factories.make_meeting(startups=[factories.make_startup()], title="Eneste")}[kind]()
    db.session.commit()
    trash_it(manager_client, kind, record.id)

    page = manager_client.get(f"/{kind}/")
    assert page.status_code == 200
    assert offer in page_text(page).split("</nav>", 1)[1]
    page = viewer_client.get(f"/{kind}/")
    assert page.status_code == 200
    assert f'href="/{kind}/new"' not in page_text(page)
