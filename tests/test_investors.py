"""Investor pages through the test client: the list, detail, create, edit (with lost-update protection), delete."""
import contextvars
import re
from datetime import datetime, timezone
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from stdnum.no import orgnr

from crm.models import Contact, Investor, InvestorKind, InvestorStatus, Meeting, Modality, TherapeuticArea
from tests import factories
from tests.conftest import PASSWORD, sign_in

VALID_ORG_NUMBER = "923609016"
INVALID_ORG_NUMBER = "123456789"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """What a person sees on a page: its text, the values in its form fields, its tables, its field errors."""

    def __init__(self, response):
        super().__init__(convert_charrefs=True)
        self.html = response.get_data(as_text=True)
        self._text, self._open, self._by_id = [], [], {}
        self.fields, self.checked, self.rows = {}, {}, []
        self._select = self._textarea = self._row = self._cell = None
        self._skip = 0
        self.feed(self.html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "input":
            kind, name = a.get("type", "text"), a.get("name")
            if kind == "checkbox":
                self.checked.setdefault(name, [])
                if "checked" in a:
                    self.checked[name].append(a.get("value"))
            elif name and kind not in ("submit", "button"):
                self.fields[name] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
            self.fields.setdefault(self._select, None)
        elif tag == "option" and self._select and ("selected" in a or self.fields[self._select] is None):
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea] = ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag not in VOID:
            self._open.append((tag, a.get("id")))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            # A browser drops the newline that follows <textarea>.
            value = self.fields[self._textarea]
            self.fields[self._textarea] = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self._textarea = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(_squeeze("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        while self._open:
            open_tag, _id = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._skip:
            return
        if self._textarea:
            self.fields[self._textarea] += data
            return
        self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        for _tag, element_id in self._open:
            if element_id:
                self._by_id.setdefault(element_id, []).append(data)

    @property
    def text(self) -> str:
        return _squeeze(" ".join(self._text))

    def element_text(self, element_id: str) -> str:
        return _squeeze(" ".join(self._by_id.get(element_id, [])))

    def error(self, field: str) -> str:
        """The message shown under a form field ("" when there is none)."""
        return self.element_text(f"{field}-errors")

    def form_data(self) -> dict:
        """What the browser would send when the user presses Save without changing anything."""
        data = {name: value for name, value in self.fields.items() if name and value is not None}
        data.update({name: values for name, values in self.checked.items() if name})
        return data

    def table_names(self) -> list[str]:
        """The first cell of each body row of the page's table."""
        return [row[0] for row in self.rows if row and not row[0].startswith("Name")]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _investor(db, name) -> Investor:
    db.session.expire_all()
    return db.session.scalar(select(Investor).where(Investor.name == name))


def investor_form(**overrides) -> dict:
    data = {"name": "Fjord Capital", "kind": "venture_fund", "status": "active", "country": "NO",
            "org_number": "", "website": "", "ticket_min": "", "ticket_max": "", "currency": "NOK",
            "owner_id": "0", "description": "", "notes": ""}
    data.update(overrides)
    return data


class OwnContext:
    """A client whose every request runs in an empty context, so two people editing at once share nothing but
    the database: not ``g`` (Flask-Login's user, Flask-WTF's CSRF token), not the test's app context or session.
    """

    def __init__(self, client):
        self.client = client

    def get(self, *args, **kwargs):
        return contextvars.Context().run(self.client.get, *args, **kwargs)

    def post(self, *args, **kwargs):
        return contextvars.Context().run(self.client.post, *args, **kwargs)


def two_managers(app, db, manager_client):
    """The signed-in manager and a second manager, each on their own laptop."""
    user = factories.make_user(role="manager", email="manager2@example.com", name="Second Manager",
                               password=PASSWORD)
    db.session.commit()
    db.session.refresh(user)  # sign_in reads user.email outside this test's app context
    second = contextvars.Context().run(sign_in, app.test_client(), user)
    return OwnContext(manager_client), OwnContext(second)


def test_the_org_numbers_used_here_are_what_stdnum_says():
    assert orgnr.is_valid(VALID_ORG_NUMBER)
    assert not orgnr.is_valid(INVALID_ORG_NUMBER)


# --- the list ---------------------------------------------------------------------------------------------

SEARCH_NAMES = ["Øresund Ventures", "Åsgard Kapital", "Østlandet Invest", "Ås Fond", "Bergen Vekst"]


@pytest.mark.parametrize("q,found", [
    ("ø", {"Øresund Ventures", "Østlandet Invest"}),
    ("Ø", {"Øresund Ventures", "Østlandet Invest"}),
    ("ås", {"Åsgard Kapital", "Ås Fond"}),
    ("ÅS", {"Åsgard Kapital", "Ås Fond"}),
    ("a\u030as", {"Åsgard Kapital", "Ås Fond"}),  # å typed as a + combining ring
    ("ØST", {"Østlandet Invest"}),
    ("  østlandet  ", {"Østlandet Invest"}),
    ("VEKST", {"Bergen Vekst"}),
    # Documented decision: "a" and "å" are different letters, so "a" does not find "Ås Fond".
    ("a", {"Åsgard Kapital", "Østlandet Invest"}),
    ("zzz", set()),
])
def test_search_by_name_ignores_case_for_norwegian_letters(db, viewer_client, q, found):
    for name in SEARCH_NAMES:
        factories.make_investor(name=name)
    db.session.commit()

    page = Page(viewer_client.get("/investors/", query_string={"q": q}))

    assert set(page.table_names()) == found
    assert page.fields["q"] == q.strip()
    if not found:
        assert "No investor matches these filters" in page.text


@pytest.fixture()
def filter_investors(db):
    factories.make_investor(name="Oslo Fond", country="NO", kind=InvestorKind.VENTURE_FUND,
                            focus_areas=[TherapeuticArea.IMMUNO_ONCOLOGY.value])
    factories.make_investor(name="Bergen Engler", country="NO", kind=InvestorKind.ANGEL_NETWORK,
                            modalities=[Modality.CELL_THERAPY.value])
    factories.make_investor(name="Stockholm Life", country="SE", kind=InvestorKind.VENTURE_FUND,
                            focus_areas=[TherapeuticArea.HAEMATOLOGICAL.value],
                            modalities=[Modality.CELL_THERAPY.value])
    factories.make_investor(name="København Pharma", country="DK", kind=InvestorKind.PHARMA_STRATEGIC,
                            focus_areas=[TherapeuticArea.IMMUNO_ONCOLOGY.value])
    db.session.commit()


@pytest.mark.parametrize("args,found", [
    ({"country": "SE"}, {"Stockholm Life"}),
    ({"country": "NO"}, {"Oslo Fond", "Bergen Engler"}),
    ({"country": "FI"}, set()),
    ({"origin": "norwegian"}, {"Oslo Fond", "Bergen Engler"}),
    ({"origin": "foreign"}, {"Stockholm Life", "København Pharma"}),
    ({"kind": "venture_fund"}, {"Oslo Fond", "Stockholm Life"}),
    ({"kind": "angel_network"}, {"Bergen Engler"}),
    ({"focus": "immuno_oncology"}, {"Oslo Fond", "København Pharma"}),
    ({"focus": "cell_therapy"}, {"Bergen Engler", "Stockholm Life"}),
    ({"origin": "foreign", "focus": "immuno_oncology"}, {"København Pharma"}),
    ({"kind": "venture_fund", "origin": "norwegian", "q": "oslo"}, {"Oslo Fond"}),
])
def test_filters_show_only_matching_investors_and_stay_selected(filter_investors, viewer_client, args, found):
    page = Page(viewer_client.get("/investors/", query_string=args))

    assert set(page.table_names()) == found
    for name, value in args.items():
        assert page.fields[name] == value


@pytest.mark.parametrize("sort,expected", [
    ("name", ["Aase Invest", "Alfa Bio", "Zeta Capital", "Æger Fond", "Ødegård Holding", "Åsen Kapital"]),
    ("-name", ["Åsen Kapital", "Ødegård Holding", "Æger Fond", "Zeta Capital", "Alfa Bio", "Aase Invest"]),
])
def test_sort_by_name_puts_ae_oe_aa_after_z(db, viewer_client, sort, expected):
    for name in ["Åsen Kapital", "Zeta Capital", "Ødegård Holding", "Alfa Bio", "Æger Fond", "Aase Invest"]:
        factories.make_investor(name=name)
    db.session.commit()

    page = Page(viewer_client.get("/investors/", query_string={"sort": sort}))

    assert page.table_names() == expected


def test_list_is_sorted_by_name_when_no_sort_is_given(db, viewer_client):
    for name in ["ødegård", "Zeta", "Æger", "Åsen", "alfa"]:
        factories.make_investor(name=name)
    db.session.commit()

    assert Page(viewer_client.get("/investors/")).table_names() == ["alfa", "Zeta", "Æger", "ødegård", "Åsen"]


def test_list_shows_ten_per_page_with_a_count_and_a_second_page(db, viewer_client):
    for n in range(1, 13):
        factories.make_investor(name=f"Investor {n:02d}")
    db.session.commit()

    first = Page(viewer_client.get("/investors/"))
    assert "1–10 of 12 investors" in first.text
    assert first.table_names() == [f"Investor {n:02d}" for n in range(1, 11)]
    assert 'href="/investors/?page=2"' in first.html

    second = Page(viewer_client.get("/investors/?page=2"))
    assert "11–12 of 12 investors" in second.text
    assert second.table_names() == ["Investor 11", "Investor 12"]


def test_page_links_keep_the_filters(db, viewer_client):
    for n in range(1, 13):
        factories.make_investor(name=f"Svensk {n:02d}", country="SE")
    factories.make_investor(name="Norsk", country="NO")
    db.session.commit()

    page = Page(viewer_client.get("/investors/?origin=foreign&sort=-name"))

    assert "1–10 of 12 investors" in page.text
    link = re.search(r'href="(/investors/\?[^"]*page=2[^"]*)"', page.html).group(1)
    second = Page(viewer_client.get(link.replace("&amp;", "&")))
    assert second.table_names() == ["Svensk 02", "Svensk 01"]


@pytest.mark.parametrize("query", [
    "page=abc", "page=0", "page=-1", "page=99999999999999999999", "page=1.5", "page=%C2%B2", "page=" + "9" * 5000,
    "sort=drop", "sort=name;DROP TABLE investors", "sort=-", "sort=owner",
    "country=XX", "country=no", "origin=mars", "kind=nope", "kind=VENTURE_FUND", "focus=phase_1",
    "q=", "q=%20%20", "page=abc&sort=drop&country=XX&kind=nope",
])
def test_bad_list_parameters_are_ignored(db, viewer_client, query):
    for name in ["Alfa Bio", "Beta Fond"]:
        factories.make_investor(name=name)
    db.session.commit()

    response = viewer_client.get(f"/investors/?{query}")

    assert response.status_code == 200
    assert Page(response).table_names() == ["Alfa Bio", "Beta Fond"]


def test_a_page_past_the_end_shows_no_rows_and_no_error(db, viewer_client):
    factories.make_investor(name="Alfa Bio")
    db.session.commit()

    response = viewer_client.get("/investors/?page=7")

    assert response.status_code == 200
    assert Page(response).table_names() == []


@pytest.mark.parametrize("q,found", [
    ("%", {"100% Bio"}),
    ("_", {"Gen_X Capital"}),
    ("%%", set()),
    ("n_x", {"Gen_X Capital"}),  # not "Genex Capital", as a wildcard would
    ("\\", {"Back\\slash Fond"}),
    ("'", {"O'Brien Ventures"}),
])
def test_search_treats_like_wildcards_and_quotes_literally(db, viewer_client, q, found):
    for name in ["100% Bio", "Gen_X Capital", "Genex Capital", "Back\\slash Fond", "O'Brien Ventures"]:
        factories.make_investor(name=name)
    db.session.commit()

    response = viewer_client.get("/investors/", query_string={"q": q})

    assert response.status_code == 200
    assert set(Page(response).table_names()) == found


def test_a_search_with_a_nul_character_shows_the_list_and_no_error(db, viewer_client):
    factories.make_investor(name="Alfa Bio")
    db.session.commit()

    response = viewer_client.get("/investors/", query_string={"q": "\x00"})

    assert response.status_code == 200
    assert Page(response).table_names() == ["Alfa Bio"]


# --- detail -----------------------------------------------------------------------------------------------

def test_detail_shows_the_investor_its_contacts_and_meetings_newest_first(db, viewer_client):
    owner = factories.make_user(name="Ingrid Eier")
    investor = factories.make_investor(
        name="Fjord Capital", org_number=VALID_ORG_NUMBER, website="https://fjord.example.no",
        ticket_min=Decimal("500000"), ticket_max=Decimal("2500000.50"), owner_id=owner.id,
        description="Nordic life-science fund.", focus_areas=["immuno_oncology"], modalities=["antibody"],
        stage_focus=["phase_1"])
    factories.make_contact(investor, name="Kari Nordmann", title="Partner", email="kari@fjord.example.no",
                           phone="+4722334455")
    startup = factories.make_startup(name="Tumorix")
    factories.make_meeting(startups=[startup], investors=[investor], title="Earlier pitch",
                           starts_at=datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc))
    factories.make_meeting(startups=[startup], investors=[investor], title="Later follow-up",
                           starts_at=datetime(2026, 2, 20, 13, 30, tzinfo=timezone.utc))
    factories.make_meeting(startups=[startup], title="Without this investor",
                           starts_at=datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc))
    db.session.commit()

    response = viewer_client.get(f"/investors/{investor.id}")

    assert response.status_code == 200
    text = Page(response).text
    for shown in ["Fjord Capital", "Venture fund", "Norway", "Norwegian", "923 609 016", "https://fjord.example.no",
                  "NOK 500,000 – NOK 2,500,000.50", "Immuno-oncology", "Antibody", "Phase I", "Ingrid Eier",
                  "Nordic life-science fund.", "Kari Nordmann", "Partner", "kari@fjord.example.no",
                  "+47 22 33 44 55"]:
        assert shown in text, shown
    assert text.index("Later follow-up") < text.index("Earlier pitch")
    assert "Without this investor" not in text


def test_detail_of_a_foreign_investor_says_foreign(db, viewer_client):
    investor = factories.make_investor(name="Stockholm Life", country="SE")
    db.session.commit()

    text = Page(viewer_client.get(f"/investors/{investor.id}")).text

    assert "Sweden" in text
    assert "Foreign" in text


def test_detail_without_contacts_or_meetings_says_so(db, viewer_client):
    investor = factories.make_investor(name="Tom Fond")
    db.session.commit()

    text = Page(viewer_client.get(f"/investors/{investor.id}")).text

    assert "No contacts yet." in text
    assert "No meetings yet." in text


@pytest.mark.parametrize("url", ["/investors/999999", "/investors/999999/edit", "/investors/999999/delete",
                                 "/investors/99999999999999999999", "/investors/" + "9" * 5000])
def test_a_missing_investor_shows_not_found(db, manager_client, url):
    response = manager_client.get(url)

    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


# --- create -----------------------------------------------------------------------------------------------

def test_adding_an_investor_saves_it_and_shows_its_page_with_a_message(db, manager_client):
    response = manager_client.post("/investors/new", data=investor_form(
        name="  Fjord Capital  ", org_number="923 609 016", website="fjord.example.no",
        ticket_min="1 500 000,50", ticket_max="3000000", currency="EUR", description="Fond i Bergen."))

    investor = _investor(db, "Fjord Capital")
    assert response.status_code == 302
    assert response.location.endswith(f"/investors/{investor.id}")
    assert investor.org_number == VALID_ORG_NUMBER
    assert investor.website == "https://fjord.example.no"
    assert investor.ticket_min == Decimal("1500000.50")
    assert investor.ticket_max == Decimal("3000000")
    assert investor.currency == "EUR"

    text = Page(manager_client.get(response.location)).text
    assert "Investor Fjord Capital added." in text
    assert "€1,500,000.50 – €3,000,000" in text
    assert "Fond i Bergen." in text


def test_new_investor_form_proposes_norway_nok_and_the_signed_in_user_as_owner(db, manager_user, manager_client):
    page = Page(manager_client.get("/investors/new"))

    assert page.fields["country"] == "NO"
    assert page.fields["currency"] == "NOK"
    assert page.fields["owner_id"] == str(manager_user.id)


@pytest.mark.parametrize("typed", ["1500000.50", "1 500 000,50", "1500000,5", "1\u00a0500\u00a0000.50"])
def test_amounts_are_stored_exactly_and_shown_with_currency(db, manager_client, typed):
    response = manager_client.post("/investors/new", data=investor_form(ticket_min=typed))

    assert response.status_code == 302
    investor = _investor(db, "Fjord Capital")
    assert investor.ticket_min == Decimal("1500000.50")
    assert investor.ticket_max is None
    assert "NOK 1,500,000.50 – …" in Page(manager_client.get(response.location)).text


def test_a_very_large_amount_with_cents_is_stored_exactly(db, manager_client):
    response = manager_client.post("/investors/new", data=investor_form(ticket_max="999 999 999 999,99"))

    assert response.status_code == 302
    assert _investor(db, "Fjord Capital").ticket_max == Decimal("999999999999.99")
    assert "NOK 999,999,999,999.99" in Page(manager_client.get(response.location)).text


def test_focus_areas_modalities_and_stages_are_saved_and_shown(db, manager_client):
    response = manager_client.post("/investors/new", data=investor_form(
        focus_areas=["immuno_oncology", "haematological"], modalities=["cell_therapy"],
        stage_focus=["preclinical", "phase_1"]))

    assert response.status_code == 302
    investor = _investor(db, "Fjord Capital")
    assert investor.focus_values("area") == ["haematological", "immuno_oncology"]
    assert investor.focus_values("modality") == ["cell_therapy"]
    assert investor.focus_values("stage") == ["phase_1", "preclinical"]
    text = Page(manager_client.get(response.location)).text
    for label in ["Immuno-oncology", "Haematological cancers", "Cell therapy", "Preclinical", "Phase I"]:
        assert label in text
    edit = Page(manager_client.get(f"/investors/{investor.id}/edit"))
    assert sorted(edit.checked["focus_areas"]) == ["haematological", "immuno_oncology"]
    assert edit.checked["modalities"] == ["cell_therapy"]
    assert sorted(edit.checked["stage_focus"]) == ["phase_1", "preclinical"]


ORG_MESSAGE = "Enter a valid Norwegian organisation number (9 digits)."
WEB_MESSAGE = "Enter a web address, like https://example.com."
AMOUNT_MESSAGE = "Enter an amount, like 1 500 000."


@pytest.mark.parametrize("typed,field,message", [
    ({"org_number": INVALID_ORG_NUMBER}, "org_number", ORG_MESSAGE),
    ({"org_number": "92360901"}, "org_number", ORG_MESSAGE),
    ({"org_number": "ABCDEFGHI"}, "org_number", ORG_MESSAGE),
    ({"country": "SE", "org_number": VALID_ORG_NUMBER}, "org_number",
     "Only Norwegian investors have a Norwegian organisation number."),
    ({"website": "not a website"}, "website", WEB_MESSAGE),
    ({"website": "ftp://fjord.example.no"}, "website", WEB_MESSAGE),
    ({"website": "localhost"}, "website", WEB_MESSAGE),
    ({"ticket_min": "2 000 000", "ticket_max": "1 000 000"}, "ticket_max",
     "The largest ticket must be at least the smallest."),
    ({"ticket_min": "lots"}, "ticket_min", AMOUNT_MESSAGE),
    ({"ticket_max": "1e6x"}, "ticket_max", AMOUNT_MESSAGE),
    ({"ticket_min": "NaN"}, "ticket_min", AMOUNT_MESSAGE),
    ({"ticket_min": "1500000.505"}, "ticket_min", "Use at most two decimals."),
    ({"ticket_max": "-5"}, "ticket_max", "The amount cannot be negative."),
    ({"ticket_max": "1000000000000000"}, "ticket_max", "The amount is too large."),
    ({"country": "XX"}, "country", "Not a valid choice."),
    ({"name": "   "}, "name", "This field is required."),
    ({"kind": "nope"}, "kind", "Not a valid choice."),
])
def test_a_bad_value_shows_a_message_next_to_its_field_and_keeps_what_was_typed(db, manager_client, typed, field,
                                                                                 message):
    data = investor_form(description="Skrevet av meg.", ticket_min="750 000")
    data.update(typed)

    response = manager_client.post("/investors/new", data=data)

    assert response.status_code == 200
    page = Page(response)
    assert page.error(field) == message
    assert "Please correct the fields marked below." in page.text
    for name, value in data.items():
        if name not in ("csrf_token", "country", "kind", "name"):
            assert page.fields[name] == value, name
    assert page.fields["name"] == data["name"].strip()
    assert _count(db, Investor) == 0


def test_a_duplicate_org_number_names_the_investor_that_has_it(db, manager_client):
    factories.make_investor(name="Eksisterende AS", org_number=VALID_ORG_NUMBER)
    db.session.commit()

    response = manager_client.post("/investors/new", data=investor_form(org_number=VALID_ORG_NUMBER,
                                                                        website="https://fjord.example.no"))

    assert response.status_code == 200
    page = Page(response)
    assert page.error("org_number") == "Eksisterende AS already has this organisation number."
    assert page.fields["org_number"] == VALID_ORG_NUMBER
    assert page.fields["name"] == "Fjord Capital"
    assert page.fields["website"] == "https://fjord.example.no"
    assert _count(db, Investor) == 1


def test_a_form_posted_without_csrf_token_is_refused_and_saves_nothing(db, manager_client):
    response = manager_client.post("/investors/new", data=investor_form(), csrf=False)

    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert _count(db, Investor) == 0


# --- edit -------------------------------------------------------------------------------------------------

def test_edit_form_shows_the_saved_values(db, manager_client):
    investor = factories.make_investor(name="Fjord Capital", org_number=VALID_ORG_NUMBER,
                                       kind=InvestorKind.FAMILY_OFFICE, status=InvestorStatus.INACTIVE,
                                       ticket_min=Decimal("1500000.50"), ticket_max=Decimal("3000000"),
                                       currency="SEK", website="https://fjord.example.no", notes="Ring i mars.")
    db.session.commit()

    page = Page(manager_client.get(f"/investors/{investor.id}/edit"))

    assert page.fields["kind"] == "family_office"
    assert page.fields["status"] == "inactive"
    assert page.fields["country"] == "NO"
    assert page.fields["currency"] == "SEK"
    assert page.fields["owner_id"] == "0"

    assert page.fields["name"] == "Fjord Capital"
    assert page.fields["org_number"] == VALID_ORG_NUMBER
    assert page.fields["ticket_min"] == "1500000.5"
    assert page.fields["ticket_max"] == "3000000"
    assert page.fields["website"] == "https://fjord.example.no"
    assert page.fields["notes"] == "Ring i mars."
    assert page.fields["version"] == str(investor.version)


def test_editing_an_investor_saves_the_changes(db, manager_client):
    investor = factories.make_investor(name="Fjord Capital", focus_areas=["immuno_oncology", "solid_tumours"],
                                       ticket_min=Decimal("100000"))
    db.session.commit()
    form = Page(manager_client.get(f"/investors/{investor.id}/edit")).form_data()
    form.update(name="Fjord Kapital Ø", country="SE", ticket_max="2 500 000,25", focus_areas=["solid_tumours"],
                modalities=["vaccine"], notes="Møtte dem på BIO.")

    response = manager_client.post(f"/investors/{investor.id}/edit", data=form)

    assert response.status_code == 302
    assert response.location.endswith(f"/investors/{investor.id}")
    saved = _investor(db, "Fjord Kapital Ø")
    assert saved.id == investor.id
    assert saved.country == "SE"
    assert saved.ticket_min == Decimal("100000")
    assert saved.ticket_max == Decimal("2500000.25")
    assert saved.focus_values("area") == ["solid_tumours"]
    assert saved.focus_values("modality") == ["vaccine"]
    text = Page(manager_client.get(response.location)).text
    assert "Investor Fjord Kapital Ø saved." in text
    assert "Møtte dem på BIO." in text
    assert "Foreign" in text
    # The search and sort columns follow the new name.
    assert Page(manager_client.get("/investors/", query_string={"q": "kapital ø"})).table_names() == ["Fjord Kapital Ø"]


def test_a_bad_value_on_edit_keeps_the_typed_values_and_saves_nothing(db, manager_client):
    investor = factories.make_investor(name="Fjord Capital")
    db.session.commit()
    form = Page(manager_client.get(f"/investors/{investor.id}/edit")).form_data()
    form.update(name="Nytt Navn", org_number=INVALID_ORG_NUMBER)

    page = Page(manager_client.post(f"/investors/{investor.id}/edit", data=form))

    assert page.error("org_number") == ORG_MESSAGE
    assert page.fields["name"] == "Nytt Navn"
    assert page.fields["org_number"] == INVALID_ORG_NUMBER
    assert _investor(db, "Fjord Capital") is not None


def test_a_save_over_somebody_elses_is_refused_and_the_typed_value_is_kept(app, db, manager_client):
    investor = factories.make_investor(name="Fjord Capital", ticket_min=Decimal("100000"),
                                       ticket_max=Decimal("1000000"),
                                       focus_areas=["solid_tumours", "immuno_oncology"], stage_focus=["phase_1"])
    db.session.commit()
    first_client, other_client = two_managers(app, db, manager_client)
    url = f"/investors/{investor.id}/edit"
    first_form = Page(first_client.get(url)).form_data()
    second_form = Page(other_client.get(url)).form_data()

    first_form.update(name="Fjord Capital II", ticket_max="2 000 000", kind="bank")
    assert first_client.post(url, data=first_form).status_code == 302

    second_form.update(name="Fjord Kapital")
    response = other_client.post(url, data=second_form)

    assert response.status_code == 200
    page = Page(response)
    assert "Somebody else saved this record" in page.text
    assert ["Field", "Saved now", "You typed"] in page.rows
    assert ["Name", "Fjord Capital II", "Fjord Kapital"] in page.rows
    assert ["Ticket up to", "2,000,000", "1,000,000"] in page.rows
    assert ["Type", "Bank", "Venture fund"] in page.rows  # labels, not stored codes
    changed = [row[0] for row in page.rows if row and row[0] != "Field"]
    assert changed == ["Name", "Type", "Ticket up to"]  # only what differs, not the untouched focus areas
    assert page.fields["name"] == "Fjord Kapital"
    assert _investor(db, "Fjord Capital II").ticket_max == Decimal("2000000")

    again = other_client.post(url, data=page.form_data())

    assert again.status_code == 302
    saved = _investor(db, "Fjord Kapital")
    assert saved.id == investor.id
    assert saved.ticket_max == Decimal("1000000")  # saving again is a deliberate overwrite
    assert saved.kind.value == "venture_fund"
    assert saved.focus_values("area") == ["immuno_oncology", "solid_tumours"]


def test_an_edit_changing_only_focus_areas_still_counts_as_a_change_for_the_other_editor(app, db, manager_client):
    investor = factories.make_investor(name="Fjord Capital", focus_areas=["solid_tumours"])
    db.session.commit()
    first_client, other_client = two_managers(app, db, manager_client)
    url = f"/investors/{investor.id}/edit"
    first_form = Page(first_client.get(url)).form_data()
    second_form = Page(other_client.get(url)).form_data()

    first_form.update(focus_areas=["solid_tumours", "paediatric"])
    assert first_client.post(url, data=first_form).status_code == 302
    second_form.update(notes="Mitt notat")
    page = Page(other_client.post(url, data=second_form))

    assert "Somebody else saved this record" in page.text
    assert page.fields["notes"] == "Mitt notat"
    assert _investor(db, "Fjord Capital").focus_values("area") == ["paediatric", "solid_tumours"]


# --- delete -----------------------------------------------------------------------------------------------

@pytest.fixture()
def investor_with_history(db):
    investor = factories.make_investor(name="Fjord Capital")
    kari = factories.make_contact(investor, name="Kari Nordmann")
    factories.make_contact(investor, name="Ola Hansen")
    startup = factories.make_startup(name="Tumorix")
    meeting = factories.make_meeting(startups=[startup], investors=[investor], contacts=[kari], title="Pitch i Oslo")
    db.session.commit()
    return investor.id, meeting.id


def test_delete_asks_for_confirmation_and_deletes_nothing_yet(db, manager_client, investor_with_history):
    investor_id, _meeting_id = investor_with_history

    response = manager_client.get(f"/investors/{investor_id}/delete")

    assert response.status_code == 200
    text = Page(response).text
    assert "Delete Fjord Capital and its 2 contacts? Meetings stay, without this investor." in text
    assert _count(db, Investor) == 1
    assert _count(db, Contact) == 2


def test_deleting_an_investor_removes_its_contacts_but_keeps_its_meetings(db, manager_client, investor_with_history):
    investor_id, meeting_id = investor_with_history

    response = manager_client.post(f"/investors/{investor_id}/delete")

    assert response.status_code == 302
    assert response.location.endswith("/investors/")
    db.session.expire_all()
    assert db.session.get(Investor, investor_id) is None
    assert _count(db, Contact) == 0
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting is not None
    assert meeting.investors == [] and meeting.contacts == []
    assert [s.name for s in meeting.startups] == ["Tumorix"]

    listing = Page(manager_client.get(response.location))
    assert "Investor Fjord Capital deleted." in listing.text
    assert listing.table_names() == []

    meeting_page = manager_client.get(f"/meetings/{meeting_id}")
    assert meeting_page.status_code == 200
    text = Page(meeting_page).text
    assert "Pitch i Oslo" in text and "Tumorix" in text
    participants = text.split("History")[0]  # the meeting's history still says who was there
    assert "Fjord Capital" not in participants and "Kari Nordmann" not in participants
    assert manager_client.get(f"/investors/{investor_id}").status_code == 404


def test_a_delete_without_csrf_token_deletes_nothing(db, manager_client, investor_with_history):
    investor_id, _meeting_id = investor_with_history

    response = manager_client.post(f"/investors/{investor_id}/delete", csrf=False)

    assert response.status_code == 400
    assert _count(db, Investor) == 1
    assert _count(db, Contact) == 2
