"""The navigation's search: investors, contacts and startups by name, æøå folded, the trash left out."""
import re

from crm.investors.services import delete_investor
from tests import factories
from tests.pages import plain


def _section(page: str, kind: str) -> str:
    """The text of one kind's results on the search page."""
    match = re.search(rf'<section[^>]*aria-labelledby="results-{kind}".*?</section>', page, re.S)
    return plain(match.group(0)) if match else ""


def test_the_search_box_is_in_the_navigation_of_every_page(viewer_client):
    page = viewer_client.get("/investors/").get_data(as_text=True)
    assert re.search(r'<form[^>]*class="nav-search[^"]*"[^>]*action="/search"', page)
    assert 'name="q"' in page


def test_search_finds_investors_contacts_and_startups_ignoring_case_of_æøå(db, viewer_client):
    investor = factories.make_investor(name="Øst Kapital AS")
    factories.make_contact(investor, name="Åse Østby", email="ase@ost.example")
    factories.make_startup(name="ØstBio AS")
    factories.make_investor(name="Vest Fond")
    db.session.commit()

    response = viewer_client.get("/search?q=øst")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Øst Kapital AS" in _section(page, "investors")
    assert "Vest Fond" not in page
    assert "Åse Østby" in _section(page, "contacts")
    assert "Øst Kapital AS" in _section(page, "contacts")  # the contact's organisation
    assert "ØstBio AS" in _section(page, "startups")
    assert "3 matches for “øst”" in plain(page)
    assert f'href="/investors/{investor.id}"' in page


def test_search_by_upper_case_finds_lower_case_names(db, viewer_client):
    factories.make_startup(name="blåbær therapeutics")
    db.session.commit()
    page = viewer_client.get("/search?q=BLÅBÆR").get_data(as_text=True)
    assert "blåbær therapeutics" in _section(page, "startups")


def test_a_search_with_no_match_says_so_and_what_to_try(db, viewer_client):
    factories.make_investor(name="Nordic Fund")
    db.session.commit()
    text = plain(viewer_client.get("/search?q=zzzz").get_data(as_text=True))
    assert "Nothing matches “zzzz”" in text
    assert "Nordic Fund" not in text


def test_an_empty_search_asks_for_a_name(viewer_client):
    text = plain(viewer_client.get("/search?q=+").get_data(as_text=True))
    assert "Type a name" in text


def test_wildcards_in_the_search_are_taken_literally(db, viewer_client):
    factories.make_investor(name="Fund A")
    factories.make_investor(name="100% Capital")
    db.session.commit()
    page = viewer_client.get("/search?q=%25").get_data(as_text=True)
    assert "100% Capital" in _section(page, "investors")
    assert "Fund A" not in page


def test_trashed_records_are_not_found(db, viewer_client, manager_user):
    gone = factories.make_investor(name="Gone Kapital")
    factories.make_contact(gone, name="Gone Person")
    factories.make_investor(name="Gone Too Kapital")
    db.session.flush()
    delete_investor(gone, manager_user)
    db.session.commit()
    page = viewer_client.get("/search?q=gone").get_data(as_text=True)
    assert "Gone Too Kapital" in _section(page, "investors")
    assert "Gone Kapital" not in _section(page, "investors")
    assert "Gone Person" not in page


def test_each_kind_shows_ten_and_links_to_all_of_them_in_its_list(db, viewer_client):
    for n in range(12):
        factories.make_startup(name=f"Onko {n:02d}")
    db.session.commit()
    page = viewer_client.get("/search?q=onko").get_data(as_text=True)
    startups = _section(page, "startups")
    assert startups.count("Onko ") == 10
    assert "See all 12 in the list" in startups
    assert 'href="/startups/?q=onko"' in page
    # the list it links to shows the same twelve
    listed = plain(viewer_client.get("/startups/?q=onko").get_data(as_text=True))
    assert "of 12 startups" in listed


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/search?q=x")
    assert response.status_code == 302 and "/auth/login" in response.location
