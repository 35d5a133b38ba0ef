"""Contact pages through the test client: adding from an organisation, validation, edit, delete, search."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from crm.models import Contact, Investor, Meeting
from tests import factories
# The HTML reader and the two-editor helper live with the investor tests (only these two files are ours).
from tests.test_investors import Page, _count, two_managers

EMAIL_MESSAGE = "Enter a valid email address, like name@example.com."
PHONE_MESSAGE = "Enter a valid phone number, with the country code if it is not Norwegian."


def contact_form(**overrides) -> dict:
    data = {"name": "Kari Nordmann", "title": "Partner", "email": "kari@fjord.example.no", "phone": "22 33 44 55",
            "notes": ""}
    data.update(overrides)
    return data


def _contact(db, name) -> Contact | None:
    db.session.expire_all()
    return db.session.scalar(select(Contact).where(Contact.name == name))


@pytest.fixture()
def investor(db):
    investor = factories.make_investor(name="Fjord Capital")
    db.session.commit()
    return investor


@pytest.fixture()
def startup(db):
    startup = factories.make_startup(name="Tumorix")
    db.session.commit()
    return startup


# --- adding -----------------------------------------------------------------------------------------------

def test_a_contact_added_from_an_investors_page_is_shown_there(db, manager_client, investor):
    add_url = f"/contacts/new?investor_id={investor.id}"
    assert f'href="{add_url}"' in Page(manager_client.get(f"/investors/{investor.id}")).html
    assert "Add a contact to Fjord Capital" in Page(manager_client.get(add_url)).text

    response = manager_client.post(add_url, data=contact_form(notes="Møtte henne i Bergen."))

    assert response.status_code == 302
    assert response.location.endswith(f"/investors/{investor.id}")
    contact = _contact(db, "Kari Nordmann")
    assert contact.investor_id == investor.id and contact.startup_id is None
    assert contact.phone == "+4722334455"
    assert contact.notes == "Møtte henne i Bergen."
    text = Page(manager_client.get(response.location)).text
    assert "Contact Kari Nordmann added to Fjord Capital." in text
    assert "Kari Nordmann · Partner" in text
    assert "kari@fjord.example.no · +47 22 33 44 55" in text
    assert "No contacts yet." not in text


def test_a_contact_added_from_a_startups_page_is_shown_there(db, manager_client, startup):
    add_url = f"/contacts/new?startup_id={startup.id}"
    assert f'href="{add_url}"' in Page(manager_client.get(f"/startups/{startup.id}")).html
    assert "Add a contact to Tumorix" in Page(manager_client.get(add_url)).text

    response = manager_client.post(add_url, data=contact_form(name="Åse Berg", title="CEO"))

    assert response.status_code == 302
    assert response.location.endswith(f"/startups/{startup.id}")
    contact = _contact(db, "Åse Berg")
    assert contact.startup_id == startup.id and contact.investor_id is None
    text = Page(manager_client.get(response.location)).text
    assert "Contact Åse Berg added to Tumorix." in text
    assert "Åse Berg · CEO" in text


@pytest.mark.parametrize("query", [
    "", "?investor_id=999999", "?startup_id=999999", "?investor_id=abc", "?investor_id=", "?investor_id=-1",
    "?investor_id=0", "?investor_id=99999999999999999999", "?startup_id=%C2%B2", "?other_id=1",
])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_adding_a_contact_without_an_existing_organisation_shows_not_found(db, manager_client, investor, query,
                                                                         method):
    url = "/contacts/new" + query
    response = manager_client.get(url) if method == "GET" else manager_client.post(url, data=contact_form())

    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)
    assert _count(db, Contact) == 0


@pytest.mark.parametrize("email", ["kari@", "kari", "kari@@fjord.no", "kari nordmann@fjord.no", "@fjord.no",
                                   "kari@fjord"])
def test_a_bad_email_shows_a_message_and_keeps_what_was_typed(db, manager_client, investor, email):
    response = manager_client.post(f"/contacts/new?investor_id={investor.id}",
                                   data=contact_form(email=email, notes="Viktig."))

    assert response.status_code == 200
    page = Page(response)
    assert page.error("email") == EMAIL_MESSAGE
    assert page.fields["email"] == email
    assert page.fields["name"] == "Kari Nordmann"
    assert page.fields["phone"] == "+4722334455"
    assert page.fields["notes"] == "Viktig."
    assert _count(db, Contact) == 0


def test_an_email_is_stored_normalised(db, manager_client, investor):
    response = manager_client.post(f"/contacts/new?investor_id={investor.id}",
                                   data=contact_form(email="  Kari.Nordmann@FJORD.Example.NO "))

    assert response.status_code == 302
    assert _contact(db, "Kari Nordmann").email == "Kari.Nordmann@fjord.example.no"


def test_email_and_phone_may_be_left_empty(db, manager_client, investor):
    response = manager_client.post(f"/contacts/new?investor_id={investor.id}", data=contact_form(email="", phone=""))

    assert response.status_code == 302
    contact = _contact(db, "Kari Nordmann")
    assert contact.email is None and contact.phone is None


@pytest.mark.parametrize("typed,stored,shown", [
    ("22 33 44 55", "+4722334455", "+47 22 33 44 55"),
    ("22334455", "+4722334455", "+47 22 33 44 55"),
    ("+47 22 33 44 55", "+4722334455", "+47 22 33 44 55"),
    ("0047 22 33 44 55", "+4722334455", "+47 22 33 44 55"),
    ("912 34 567", "+4791234567", "+47 91 23 45 67"),  # libphonenumber's grouping for Norwegian mobiles
    ("+46 70 123 45 67", "+46701234567", "+46 70 123 45 67"),
])
def test_a_phone_is_stored_in_international_form_and_shown_formatted(db, manager_client, investor, typed, stored,
                                                                     shown):
    response = manager_client.post(f"/contacts/new?investor_id={investor.id}", data=contact_form(phone=typed))

    assert response.status_code == 302
    contact = _contact(db, "Kari Nordmann")
    assert contact.phone == stored
    assert shown in Page(manager_client.get(f"/investors/{investor.id}")).text
    assert shown in Page(manager_client.get(f"/contacts/{contact.id}")).text
    assert shown in Page(manager_client.get("/contacts/")).text


@pytest.mark.parametrize("phone", ["12", "abc", "+47 123", "22 33 44 55 66 77 88", "+999 123 456"])
def test_a_bad_phone_shows_a_message_and_keeps_what_was_typed(db, manager_client, investor, phone):
    response = manager_client.post(f"/contacts/new?investor_id={investor.id}", data=contact_form(phone=phone))

    assert response.status_code == 200
    page = Page(response)
    assert page.error("phone") == PHONE_MESSAGE
    assert page.fields["phone"] == phone
    assert page.fields["email"] == "kari@fjord.example.no"
    assert _count(db, Contact) == 0


def test_a_contact_needs_a_name(db, manager_client, investor):
    page = Page(manager_client.post(f"/contacts/new?investor_id={investor.id}", data=contact_form(name="  ")))

    assert page.error("name") == "This field is required."
    assert page.fields["title"] == "Partner"
    assert _count(db, Contact) == 0


# --- detail -----------------------------------------------------------------------------------------------

def test_contact_detail_lists_the_meetings_they_attended_newest_first(db, viewer_client, investor, startup):
    kari = factories.make_contact(investor, name="Kari Nordmann", title="Partner", email="kari@fjord.example.no",
                                  phone="+4722334455")
    other = factories.make_contact(investor, name="Ola Hansen")
    factories.make_meeting(startups=[startup], investors=[investor], contacts=[kari], title="Første møte",
                           starts_at=datetime(2026, 1, 12, 8, 0, tzinfo=timezone.utc))
    factories.make_meeting(startups=[startup], investors=[investor], contacts=[kari, other], title="Oppfølging",
                           starts_at=datetime(2026, 2, 3, 14, 0, tzinfo=timezone.utc))
    factories.make_meeting(startups=[startup], investors=[investor], contacts=[other], title="Uten Kari",
                           starts_at=datetime(2026, 2, 20, 9, 0, tzinfo=timezone.utc))
    db.session.commit()

    response = viewer_client.get(f"/contacts/{kari.id}")

    assert response.status_code == 200
    text = Page(response).text
    for shown in ["Kari Nordmann", "Partner, Fjord Capital", "kari@fjord.example.no", "+47 22 33 44 55",
                  "Meetings attended"]:
        assert shown in text
    assert text.index("Oppfølging") < text.index("Første møte")
    assert "Uten Kari" not in text


def test_a_contact_without_meetings_says_so(db, viewer_client, startup):
    contact = factories.make_contact(startup, name="Åse Berg")
    db.session.commit()

    text = Page(viewer_client.get(f"/contacts/{contact.id}")).text

    assert "Tumorix" in text
    assert "No meetings yet." in text


@pytest.mark.parametrize("url", ["/contacts/999999", "/contacts/999999/edit", "/contacts/999999/delete",
                                 "/contacts/99999999999999999999"])
def test_a_missing_contact_shows_not_found(db, manager_client, url):
    assert manager_client.get(url).status_code == 404


# --- edit -------------------------------------------------------------------------------------------------

def test_editing_a_contact_saves_it(db, manager_client, investor):
    contact = factories.make_contact(investor, name="Kari Nordmann", title="Partner", email="kari@fjord.example.no",
                                     phone="+4722334455")
    db.session.commit()
    form_page = Page(manager_client.get(f"/contacts/{contact.id}/edit"))
    assert form_page.fields["name"] == "Kari Nordmann"
    assert form_page.fields["phone"] == "+4722334455"
    form = form_page.form_data()
    form.update(name="Kari Nordmann-Ødegård", title="Managing Partner", phone="+46 70 123 45 67",
                email="Kari@Fjord.Example.no")

    response = manager_client.post(f"/contacts/{contact.id}/edit", data=form)

    assert response.status_code == 302
    assert response.location.endswith(f"/contacts/{contact.id}")
    saved = _contact(db, "Kari Nordmann-Ødegård")
    assert saved.id == contact.id
    assert saved.phone == "+46701234567"
    assert saved.email == "Kari@fjord.example.no"
    text = Page(manager_client.get(response.location)).text
    assert "Contact Kari Nordmann-Ødegård saved." in text
    assert "Managing Partner" in text and "+46 70 123 45 67" in text


def test_a_bad_phone_on_edit_keeps_the_typed_values_and_saves_nothing(db, manager_client, investor):
    contact = factories.make_contact(investor, name="Kari Nordmann", phone="+4722334455")
    db.session.commit()
    form = Page(manager_client.get(f"/contacts/{contact.id}/edit")).form_data()
    form.update(title="Partner", phone="12")

    page = Page(manager_client.post(f"/contacts/{contact.id}/edit", data=form))

    assert page.error("phone") == PHONE_MESSAGE
    assert page.fields["phone"] == "12" and page.fields["title"] == "Partner"
    saved = _contact(db, "Kari Nordmann")
    assert saved.phone == "+4722334455" and saved.title is None


def test_a_contact_save_over_somebody_elses_is_refused_and_the_typed_value_is_kept(app, db, manager_client,
                                                                                   investor):
    contact = factories.make_contact(investor, name="Kari Nordmann", title="Partner")
    db.session.commit()
    first_client, other_client = two_managers(app, db, manager_client)
    url = f"/contacts/{contact.id}/edit"
    first_form = Page(first_client.get(url)).form_data()
    second_form = Page(other_client.get(url)).form_data()

    first_form.update(title="Managing Partner")
    assert first_client.post(url, data=first_form).status_code == 302
    second_form.update(notes="Ringte 3. mars om runden.")
    response = other_client.post(url, data=second_form)

    assert response.status_code == 200
    page = Page(response)
    assert "Somebody else saved this record" in page.text
    assert ["Title", "Managing Partner", "Partner"] in page.rows
    assert ["Internal notes", "—", "Ringte 3. mars om runden."] in page.rows
    assert page.fields["notes"] == "Ringte 3. mars om runden."
    assert _contact(db, "Kari Nordmann").title == "Managing Partner"
    assert _contact(db, "Kari Nordmann").notes is None

    again = other_client.post(url, data=page.form_data())

    assert again.status_code == 302
    saved = _contact(db, "Kari Nordmann")
    assert saved.notes == "Ringte 3. mars om runden."
    assert saved.title == "Partner"  # saving again deliberately replaces the other's values


# --- delete -----------------------------------------------------------------------------------------------

@pytest.fixture()
def contact_with_meeting(db, investor, startup):
    contact = factories.make_contact(investor, name="Kari Nordmann")
    meeting = factories.make_meeting(startups=[startup], investors=[investor], contacts=[contact],
                                     title="Pitch på Oslo Cancer Cluster")
    db.session.commit()
    return contact.id, meeting.id


def test_delete_asks_for_confirmation_and_deletes_nothing_yet(db, manager_client, contact_with_meeting):
    contact_id, _meeting_id = contact_with_meeting

    response = manager_client.get(f"/contacts/{contact_id}/delete")

    assert response.status_code == 200
    assert "Delete Kari Nordmann? Meetings they attended stay, without them." in Page(response).text
    assert _count(db, Contact) == 1


def test_deleting_a_contact_keeps_the_meetings_they_attended(db, manager_client, investor, contact_with_meeting):
    contact_id, meeting_id = contact_with_meeting

    response = manager_client.post(f"/contacts/{contact_id}/delete")

    assert response.status_code == 302
    assert response.location.endswith(f"/investors/{investor.id}")
    db.session.expire_all()
    assert db.session.get(Contact, contact_id) is None
    assert db.session.get(Investor, investor.id) is not None
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting is not None and meeting.contacts == []
    text = Page(manager_client.get(response.location)).text
    assert "Contact Kari Nordmann deleted." in text
    assert "No contacts yet." in text
    meeting_page = manager_client.get(f"/meetings/{meeting_id}")
    assert meeting_page.status_code == 200
    meeting_text = Page(meeting_page).text
    assert "Pitch på Oslo Cancer Cluster" in meeting_text and "Fjord Capital" in meeting_text
    attending = meeting_text.split("Attending contacts")[1].split("Staff present")[0]
    assert "Kari Nordmann" not in attending  # the meeting's history still says she was there
    assert manager_client.get(f"/contacts/{contact_id}").status_code == 404


def test_deleting_a_startup_contact_goes_back_to_the_startup(db, manager_client, startup):
    contact = factories.make_contact(startup, name="Åse Berg")
    db.session.commit()

    response = manager_client.post(f"/contacts/{contact.id}/delete")

    assert response.status_code == 302
    assert response.location.endswith(f"/startups/{startup.id}")
    assert _count(db, Contact) == 0


def test_a_contact_delete_without_csrf_token_deletes_nothing(db, manager_client, contact_with_meeting):
    contact_id, _meeting_id = contact_with_meeting

    assert manager_client.post(f"/contacts/{contact_id}/delete", csrf=False).status_code == 400
    assert _count(db, Contact) == 1


# --- the list ---------------------------------------------------------------------------------------------

@pytest.fixture()
def people(db, investor, startup):
    factories.make_contact(investor, name="Øystein Ås", email="oystein@fjord.example.no")
    factories.make_contact(startup, name="Åse Berg", email="ase@tumorix.example.no")
    factories.make_contact(investor, name="Kari Nordmann", email="Kari.Nordmann@fjord.example.no",
                           phone="+4722334455")
    factories.make_contact(startup, name="Ærlig Dahl", email="post@aerlig.example.no")
    factories.make_contact(investor, name="Zara Ziegler")
    db.session.commit()


def test_contact_list_shows_everyone_in_norwegian_order_with_their_organisation(people, viewer_client):
    page = Page(viewer_client.get("/contacts/"))

    assert page.table_names() == ["Kari Nordmann", "Zara Ziegler", "Ærlig Dahl", "Øystein Ås", "Åse Berg"]
    assert ["Kari Nordmann", "Fjord Capital", "Kari.Nordmann@fjord.example.no", "+47 22 33 44 55"] in page.rows
    assert ["Åse Berg", "Tumorix", "ase@tumorix.example.no", ""] in page.rows
    assert "1–5 of 5 contacts" in page.text


def test_contact_list_sorts_by_email_and_back_keeping_the_search(people, viewer_client):
    page = Page(viewer_client.get("/contacts/?q=example&sort=email"))
    assert page.table_names() == ["Åse Berg", "Kari Nordmann", "Øystein Ås", "Ærlig Dahl"]  # ase, kari, oystein, post
    # the header links reverse the order and keep the search in the URL
    assert 'href="/contacts/?q=example&amp;sort=-email"' in page.html
    page = Page(viewer_client.get("/contacts/?q=example&sort=-email"))
    assert page.table_names() == ["Ærlig Dahl", "Øystein Ås", "Kari Nordmann", "Åse Berg"]
    assert Page(viewer_client.get("/contacts/?sort=nonsense")).table_names()[0] == "Kari Nordmann"


@pytest.mark.parametrize("q,found", [
    ("øy", {"Øystein Ås"}),
    ("ØYSTEIN", {"Øystein Ås"}),
    ("ås", {"Øystein Ås", "Åse Berg"}),
    ("ÅSE", {"Åse Berg"}),
    ("æ", {"Ærlig Dahl"}),
    ("å", {"Øystein Ås", "Åse Berg"}),
    ("aerlig", {"Ærlig Dahl"}),
    ("fjord.example", {"Øystein Ås", "Kari Nordmann"}),
    ("kari.nordmann@", {"Kari Nordmann"}),
    ("KARI.NORDMANN@FJORD", {"Kari Nordmann"}),
    ("%", set()),
    ("_", set()),
    ("nobody", set()),
])
def test_contact_search_by_name_or_email_ignores_case(people, viewer_client, q, found):
    page = Page(viewer_client.get("/contacts/", query_string={"q": q}))

    assert set(page.table_names()) == found
    assert page.fields["q"] == q
    if not found:
        assert "No contacts found." in page.text


@pytest.mark.parametrize("query", ["page=abc", "page=%C2%B2", "page=-3", "q=%00", "q=%00%00&page=x"])
def test_bad_contact_list_parameters_give_the_list_not_an_error(people, viewer_client, query):
    response = viewer_client.get(f"/contacts/?{query}")

    assert response.status_code == 200
    assert len(Page(response).table_names()) == 5


def test_contact_list_has_a_second_page(db, viewer_client, investor):
    for n in range(1, 14):
        factories.make_contact(investor, name=f"Person {n:02d}")
    db.session.commit()

    first = Page(viewer_client.get("/contacts/"))
    second = Page(viewer_client.get("/contacts/?page=2"))

    assert "1–10 of 13 contacts" in first.text
    assert "11–13 of 13 contacts" in second.text
    assert second.table_names() == ["Person 11", "Person 12", "Person 13"]
