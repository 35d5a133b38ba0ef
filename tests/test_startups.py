"""The startup pages through the test client: list, search, filters, sort, create, edit, conflict, delete."""
import html
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from crm.models import (Contact, DevelopmentStage, IncubatorStatus, Meeting, Modality, RoundKind, Startup,
                        TherapeuticArea)
from tests import factories
from tests.conftest import PASSWORD

VALID_ORG_NUMBER = "923609016"
OTHER_ORG_NUMBER = "974760673"


# --- helpers ---------------------------------------------------------------------------------

def page_text(response) -> str:
    """The page as a reader sees it: entities decoded."""
    return html.unescape(response.get_data(as_text=True))


class _FormReader(HTMLParser):
    """Collects what a browser would submit for each <form> on a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._select = None  # [name, multiple, options [(value, selected)]]
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((a["name"], a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select":
            self._select = [a.get("name"), "multiple" in a, []]
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select[2].append(self._option)
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            chosen = [o for o in options if o[1]]
            if not multiple and not chosen and options:
                chosen = options[:1]  # a browser submits the first option when none is selected
            if not multiple:
                chosen = chosen[-1:]
            for value, _selected, label in chosen:
                self._form.append((name, value if value is not None else label))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            if value.startswith("\r\n"):
                value = value[2:]
            elif value.startswith("\n"):
                value = value[1:]
            self._form.append((name, value))
            self._textarea = None
        elif tag == "form":
            self._form = None


def browser_form(response, field: str) -> dict[str, list[str]]:
    """The values a browser would post from the page's form that holds ``field``, unchanged."""
    reader = _FormReader()
    reader.feed(response.get_data(as_text=True))
    for form in reader.forms:
        if any(name == field for name, _v in form):
            data: dict[str, list[str]] = {}
            for name, value in form:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form with a field {field!r} on the page")


def startup_form(**changes) -> dict:
    data = {"name": "Nordlys Onkologi", "org_number": "", "incubator_status": "incubatee",
            "therapeutic_area": "solid_tumours", "indication": "", "modality": "small_molecule",
            "development_stage": "preclinical", "round_kind": "", "round_target": "", "round_currency": "NOK",
            "website": "", "pitch": "", "team": "", "notes": ""}
    data.update(changes)
    return data


def listed_names(response) -> list[str]:
    """The startup names in the list's table, top to bottom."""
    return re.findall(r'<a class="fw-semibold" href="/startups/\d+">([^<]*)</a>', page_text(response))


def field_errors(response, field: str) -> str:
    match = re.search(rf'<div id="{field}-errors"[^>]*>(.*?)</div>', page_text(response), re.S)
    return match.group(1) if match else ""


def input_value(response, field: str) -> str | None:
    match = re.search(rf'<input[^>]*\bname="{field}"[^>]*>', response.get_data(as_text=True))
    if not match:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else ""


class OwnContextClient:
    """A signed-in client whose every request runs in a fresh app context, as in production.

    The db fixture keeps one app context pushed for the whole test and Flask reuses it for each
    request, so flask.g (Flask-Login's current user, Flask-WTF's CSRF token) would carry over from
    one client's request into another's: two of conftest's role clients in one test are not two users.
    """

    def __init__(self, app, user):
        self.app = app
        self.client = app.test_client()
        self.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert self.get("/auth/password").status_code == 200

    def get(self, *args, **kwargs):
        with self.app.app_context():
            return self.client.get(*args, **kwargs)

    def post(self, *args, **kwargs):
        with self.app.app_context():
            return self.client.post(*args, **kwargs)


def startup_count(db) -> int:
    return db.session.scalar(select(func.count(Startup.id)))


# --- list: search, filters, sort, pagination -------------------------------------------------

@pytest.fixture()
def norwegian_startups(db):
    for name in ["Ørn Biologics", "Årvåk", "Zeta Onco", "Ærlig Diagnostikk", "Alfa Therapeutics"]:
        factories.make_startup(name=name)
    db.session.commit()


@pytest.mark.parametrize("query,found,not_found", [
    ("ø", ["Ørn Biologics"], ["Årvåk", "Zeta Onco", "Alfa Therapeutics"]),
    ("Ø", ["Ørn Biologics"], ["Årvåk"]),
    ("ÅRVÅK", ["Årvåk"], ["Ørn Biologics"]),
    ("ærlig", ["Ærlig Diagnostikk"], ["Årvåk"]),
    ("  orn biologics ", [], ["Ørn Biologics"]),  # o is not ø in Norwegian
    ("onco", ["Zeta Onco"], ["Ørn Biologics"]),
])
def test_search_finds_names_whatever_the_case_of_æ_ø_å(viewer_client, norwegian_startups, query, found, not_found):
    response = viewer_client.get("/startups/", query_string={"q": query})
    assert response.status_code == 200
    names = listed_names(response)
    assert set(found) <= set(names)
    assert not set(not_found) & set(names)


@pytest.mark.parametrize("query", ["%", "_", "zzz"])
def test_search_without_a_match_says_that_nothing_matches(viewer_client, norwegian_startups, query):
    response = viewer_client.get("/startups/", query_string={"q": query})
    assert response.status_code == 200
    assert listed_names(response) == []
    assert "No startup matches these filters" in page_text(response)


@pytest.fixture()
def varied_startups(db):
    factories.make_startup(name="Applicant Antibody", incubator_status=IncubatorStatus.APPLICANT,
                           therapeutic_area=TherapeuticArea.HAEMATOLOGICAL, modality=Modality.ANTIBODY,
                           development_stage=DevelopmentStage.DISCOVERY)
    factories.make_startup(name="Alumnus Vaccine", incubator_status=IncubatorStatus.ALUMNUS,
                           therapeutic_area=TherapeuticArea.IMMUNO_ONCOLOGY, modality=Modality.VACCINE,
                           development_stage=DevelopmentStage.PHASE_2)
    factories.make_startup(name="Incubatee Molecule", incubator_status=IncubatorStatus.INCUBATEE,
                           therapeutic_area=TherapeuticArea.SOLID_TUMOURS, modality=Modality.SMALL_MOLECULE,
                           development_stage=DevelopmentStage.PRECLINICAL)
    db.session.commit()


@pytest.mark.parametrize("params,expected", [
    ({"status": "applicant"}, ["Applicant Antibody"]),
    ({"status": "alumnus"}, ["Alumnus Vaccine"]),
    ({"status": "incubatee"}, ["Incubatee Molecule"]),
    ({"area": "haematological"}, ["Applicant Antibody"]),
    ({"area": "immuno_oncology"}, ["Alumnus Vaccine"]),
    ({"modality": "vaccine"}, ["Alumnus Vaccine"]),
    ({"modality": "small_molecule"}, ["Incubatee Molecule"]),
    ({"stage": "discovery"}, ["Applicant Antibody"]),
    ({"stage": "phase_2"}, ["Alumnus Vaccine"]),
    ({"status": "alumnus", "modality": "vaccine", "stage": "phase_2"}, ["Alumnus Vaccine"]),
    ({"status": "alumnus", "modality": "antibody"}, []),
])
def test_list_filters_show_only_the_matching_startups(viewer_client, varied_startups, params, expected):
    response = viewer_client.get("/startups/", query_string=params)
    assert response.status_code == 200
    assert listed_names(response) == expected
    for name, value in params.items():  # the chosen filter stays chosen
        assert re.search(rf'<select[^>]*name="{name}".*?<option selected value="{value}">', page_text(response),
                         re.S)


@pytest.mark.parametrize("sort,expected", [
    ("name", ["Alfa Therapeutics", "Zeta Onco", "Ærlig Diagnostikk", "Ørn Biologics", "Årvåk"]),
    ("-name", ["Årvåk", "Ørn Biologics", "Ærlig Diagnostikk", "Zeta Onco", "Alfa Therapeutics"]),
    ("", ["Alfa Therapeutics", "Zeta Onco", "Ærlig Diagnostikk", "Ørn Biologics", "Årvåk"]),
])
def test_sorting_by_name_puts_æ_ø_å_after_z(viewer_client, norwegian_startups, sort, expected):
    response = viewer_client.get("/startups/", query_string={"sort": sort} if sort else {})
    assert listed_names(response) == expected


@pytest.mark.parametrize("sort,expected", [
    ("stage", ["Disco", "Precli", "One", "Two", "Three", "Market"]),
    ("-stage", ["Market", "Three", "Two", "One", "Precli", "Disco"]),
])
def test_sorting_by_stage_follows_the_pipeline_not_the_alphabet(viewer_client, db, sort, expected):
    for name, stage in [("Two", DevelopmentStage.PHASE_2), ("Market", DevelopmentStage.APPROVED),
                        ("Disco", DevelopmentStage.DISCOVERY), ("Three", DevelopmentStage.PHASE_3),
                        ("Precli", DevelopmentStage.PRECLINICAL), ("One", DevelopmentStage.PHASE_1)]:
        factories.make_startup(name=name, development_stage=stage)
    db.session.commit()
    response = viewer_client.get("/startups/", query_string={"sort": sort})
    assert response.status_code == 200
    assert listed_names(response) == expected


def test_list_says_which_startups_of_how_many_are_shown_and_pages_on(viewer_client, db):
    for n in range(12):  # the test config shows 10 per page
        factories.make_startup(name=f"Startup {n:02d}")
    db.session.commit()

    first = viewer_client.get("/startups/")
    assert "1–10 of 12 startups" in page_text(first)
    assert listed_names(first) == [f"Startup {n:02d}" for n in range(10)]
    assert 'href="/startups/?page=2"' in first.get_data(as_text=True)

    second = viewer_client.get("/startups/?page=2")
    assert "11–12 of 12 startups" in page_text(second)
    assert listed_names(second) == ["Startup 10", "Startup 11"]


def test_filters_are_kept_in_the_page_links(viewer_client, db):
    for n in range(11):
        factories.make_startup(name=f"Seed {n:02d}", development_stage=DevelopmentStage.DISCOVERY)
    factories.make_startup(name="Later", development_stage=DevelopmentStage.PHASE_1)
    db.session.commit()
    response = viewer_client.get("/startups/?stage=discovery")
    assert "1–10 of 11 startups" in page_text(response)
    second = viewer_client.get("/startups/?stage=discovery&page=2")
    assert listed_names(second) == ["Seed 10"]


@pytest.mark.parametrize("query_string", [
    "status=bogus", "area=lungs", "modality=<script>", "stage=PHASE_1", "sort=;drop table startups",
    "sort=-", "page=abc", "page=-3", "page=0", "page=²", "page=1.5", "q=%00", "q=" + "x" * 500 + "&page=1",
    "unknown=1", "status=&area=&modality=&stage=&q=",
])
def test_bad_list_parameters_are_ignored(viewer_client, norwegian_startups, query_string):
    response = viewer_client.get("/startups/?" + query_string)
    assert response.status_code == 200
    if not query_string.startswith("q=x"):
        assert len(listed_names(response)) == 5


def test_a_page_past_the_end_shows_an_empty_list_not_an_error(viewer_client, norwegian_startups):
    response = viewer_client.get("/startups/?page=99")
    assert response.status_code == 200
    assert listed_names(response) == []


# --- create ----------------------------------------------------------------------------------

def test_adding_a_startup_with_every_field_saves_it_exactly_and_shows_it(manager_client, db):
    response = manager_client.post("/startups/new", data=startup_form(
        name="Ørn Biologics", org_number="923 609 016", incubator_status="alumnus",
        therapeutic_area="haematological", indication="Relapsed acute myeloid leukaemia",
        modality="antibody", development_stage="phase_1", round_kind="series_a", round_target="15 000 000",
        round_currency="EUR", pitch="Bispecific antibodies for AML.\nFirst patient dosed.",
        team="Kari Nordmann, CEO\nOla Nordmann, CSO", website="ornbio.no", notes="Met at BIO Europe."))
    assert response.status_code == 302
    startup = db.session.scalar(select(Startup).where(Startup.name == "Ørn Biologics"))
    assert response.location == f"/startups/{startup.id}"

    assert startup.org_number == VALID_ORG_NUMBER
    assert startup.incubator_status is IncubatorStatus.ALUMNUS
    assert startup.therapeutic_area is TherapeuticArea.HAEMATOLOGICAL
    assert startup.indication == "Relapsed acute myeloid leukaemia"
    assert startup.modality is Modality.ANTIBODY
    assert startup.development_stage is DevelopmentStage.PHASE_1
    assert startup.round_kind is RoundKind.SERIES_A
    assert isinstance(startup.round_target, Decimal) and startup.round_target == Decimal("15000000")
    assert startup.round_currency == "EUR"
    assert startup.pitch == "Bispecific antibodies for AML.\nFirst patient dosed."
    assert startup.team == "Kari Nordmann, CEO\nOla Nordmann, CSO"
    assert startup.website == "https://ornbio.no"
    assert startup.notes == "Met at BIO Europe."

    detail = manager_client.get(response.location)
    page = page_text(detail)
    assert "Startup Ørn Biologics added." in page
    assert "Series A · €15,000,000" in page
    assert "Alumnus · Haematological cancers · Antibody · Phase I" in page
    assert "923 609 016" in page
    assert 'href="https://ornbio.no"' in page
    assert "Bispecific antibodies for AML." in page
    assert "Ola Nordmann, CSO" in page
    assert "Relapsed acute myeloid leukaemia" in page

    listing = page_text(manager_client.get("/startups/"))
    assert "€15,000,000" in listing


def test_a_startup_added_with_only_the_required_fields_gets_no_round_and_nok(manager_client, db):
    form_page = manager_client.get("/startups/new")
    defaults = browser_form(form_page, "name")
    assert defaults["incubator_status"] == ["incubatee"]
    assert defaults["round_currency"] == ["NOK"]
    assert defaults["round_kind"] == [""]

    defaults.update(name=["Kreftfri"])
    response = manager_client.post("/startups/new", data=defaults)
    assert response.status_code == 302
    startup = db.session.scalar(select(Startup).where(Startup.name == "Kreftfri"))
    assert startup.round_kind is None and startup.round_target is None
    assert startup.round_currency == "NOK"
    assert startup.org_number is None and startup.website is None
    assert "No round open." in page_text(manager_client.get(response.location))


def test_a_round_target_in_nok_is_shown_with_its_currency(manager_client, db):
    response = manager_client.post("/startups/new", data=startup_form(
        name="Fjord Cell", round_kind="seed", round_target="1500000,50"))
    assert response.status_code == 302
    startup = db.session.scalar(select(Startup).where(Startup.name == "Fjord Cell"))
    assert startup.round_target == Decimal("1500000.50")
    assert re.search(r"NOK\s?1,500,000\.50", page_text(manager_client.get(response.location)))


@pytest.mark.parametrize("changes,field,message,kept", [
    ({"org_number": "123456789"}, "org_number",
     "Enter a valid Norwegian organisation number (9 digits).", "123456789"),
    ({"org_number": "12345"}, "org_number", "Enter a valid Norwegian organisation number (9 digits).", "12345"),
    ({"org_number": OTHER_ORG_NUMBER}, "org_number", "Kreftfri Ærlig already has this organisation number.",
     OTHER_ORG_NUMBER),
    ({"round_target": "2 000 000"}, "round_kind", "Choose the round that the target amount is for.", None),
    ({"round_kind": "seed", "round_target": "lots"}, "round_target", "Enter an amount, like 1 500 000.", "lots"),
    ({"round_kind": "seed", "round_target": "-5"}, "round_target", "The amount cannot be negative.", "-5"),
    ({"round_kind": "seed", "round_target": "10.123"}, "round_target", "Use at most two decimals.", "10.123"),
    ({"round_kind": "seed", "round_target": "1e20"}, "round_target", "The amount is too large.", "1e20"),
    ({"website": "not a website"}, "website", "Enter a web address, like https://example.com.", "not a website"),
    ({"website": "ftp://files.example.com"}, "website", "Enter a web address, like https://example.com.",
     "ftp://files.example.com"),
    ({"name": "   "}, "name", "This field is required.", None),
])
def test_invalid_startup_shows_a_message_by_the_field_and_keeps_what_was_typed(
        manager_client, db, changes, field, message, kept):
    factories.make_startup(name="Kreftfri Ærlig", org_number=OTHER_ORG_NUMBER)
    db.session.commit()
    typed = startup_form(name="Nye Vekst Onkologi", indication="Glioblastoma i barn", pitch="Vår pitch: æøå",
                         **{k: v for k, v in changes.items() if k != "name"})
    if "name" in changes:
        typed["name"] = changes["name"]

    response = manager_client.post("/startups/new", data=typed)

    assert response.status_code == 200
    assert message in field_errors(response, field)
    page = page_text(response)
    assert "Please correct the fields marked below." in page
    if kept is not None:
        assert input_value(response, field) == kept
    if "name" not in changes:
        assert input_value(response, "name") == "Nye Vekst Onkologi"
    assert input_value(response, "indication") == "Glioblastoma i barn"
    assert "Vår pitch: æøå" in page
    assert startup_count(db) == 1


def test_a_startup_can_keep_its_own_organisation_number_when_edited(manager_client, db):
    startup = factories.make_startup(name="Egen", org_number=VALID_ORG_NUMBER)
    db.session.commit()
    data = browser_form(manager_client.get(f"/startups/{startup.id}/edit"), "name")
    data["indication"] = ["Melanoma"]
    response = manager_client.post(f"/startups/{startup.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Startup, startup.id).indication == "Melanoma"


def test_a_viewer_sees_no_add_or_edit_buttons(viewer_client, db):
    startup = factories.make_startup(name="Leseliste")
    db.session.commit()
    assert "Add startup" not in page_text(viewer_client.get("/startups/"))
    detail = page_text(viewer_client.get(f"/startups/{startup.id}"))
    assert "Leseliste" in detail
    assert f"/startups/{startup.id}/edit" not in detail
    assert "Log meeting" not in detail


def test_an_unknown_startup_shows_not_found(viewer_client, db):
    response = viewer_client.get("/startups/999999")
    assert response.status_code == 404
    assert "Not found" in page_text(response)


# --- edit ------------------------------------------------------------------------------------

@pytest.fixture()
def full_startup(db):
    startup = factories.make_startup(
        name="Ørn Biologics", org_number=VALID_ORG_NUMBER, incubator_status=IncubatorStatus.ALUMNUS,
        therapeutic_area=TherapeuticArea.HAEMATOLOGICAL, indication="AML", modality=Modality.ANTIBODY,
        development_stage=DevelopmentStage.PHASE_1, round_kind=RoundKind.SERIES_A,
        round_target=Decimal("15000000"), round_currency="EUR", pitch="Pitch", team="Team",
        website="https://ornbio.no", notes="Internal")
    db.session.commit()
    return startup


def test_edit_form_shows_every_saved_value(manager_client, full_startup):
    response = manager_client.get(f"/startups/{full_startup.id}/edit")
    assert response.status_code == 200
    assert "Edit Ørn Biologics" in page_text(response)
    shown = browser_form(response, "name")
    assert shown["name"] == ["Ørn Biologics"]
    assert shown["org_number"] == [VALID_ORG_NUMBER]
    assert shown["incubator_status"] == ["alumnus"]
    assert shown["therapeutic_area"] == ["haematological"]
    assert shown["modality"] == ["antibody"]
    assert shown["development_stage"] == ["phase_1"]
    assert shown["round_kind"] == ["series_a"]
    assert shown["round_target"] == ["15000000"]
    assert shown["round_currency"] == ["EUR"]
    assert shown["pitch"] == ["Pitch"] and shown["team"] == ["Team"] and shown["notes"] == ["Internal"]


def test_saving_the_edit_form_unchanged_keeps_every_value(manager_client, db, full_startup):
    before = {name: getattr(full_startup, name) for name in
              ("name", "org_number", "incubator_status", "therapeutic_area", "indication", "modality",
               "development_stage", "round_kind", "round_target", "round_currency", "pitch", "team",
               "website", "notes")}
    data = browser_form(manager_client.get(f"/startups/{full_startup.id}/edit"), "name")

    response = manager_client.post(f"/startups/{full_startup.id}/edit", data=data)

    assert response.status_code == 302, field_errors(response, "round_kind")
    db.session.expire_all()
    after = db.session.get(Startup, full_startup.id)
    assert {name: getattr(after, name) for name in before} == before


def test_editing_a_startup_saves_the_changes_and_shows_them(manager_client, db, full_startup):
    data = browser_form(manager_client.get(f"/startups/{full_startup.id}/edit"), "name")
    data.update(development_stage=["phase_2"], round_target=["20 000 000,50"], round_currency=["USD"],
                indication=["Myelodysplastic syndrome"], website=[""])

    response = manager_client.post(f"/startups/{full_startup.id}/edit", data=data)

    assert response.status_code == 302
    assert response.location == f"/startups/{full_startup.id}"
    db.session.expire_all()
    startup = db.session.get(Startup, full_startup.id)
    assert startup.development_stage is DevelopmentStage.PHASE_2
    assert startup.round_target == Decimal("20000000.50")
    assert startup.round_currency == "USD"
    assert startup.website is None
    page = page_text(manager_client.get(response.location))
    assert "Startup Ørn Biologics saved." in page
    assert "$20,000,000.50" in page
    assert "Phase II" in page
    assert "Myelodysplastic syndrome" in page


def test_edit_with_a_bad_value_shows_the_message_and_saves_nothing(manager_client, db, full_startup):
    data = browser_form(manager_client.get(f"/startups/{full_startup.id}/edit"), "name")
    data.update(org_number=["923609017"], indication=["Typed but not saved"])
    response = manager_client.post(f"/startups/{full_startup.id}/edit", data=data)
    assert response.status_code == 200
    assert "Enter a valid Norwegian organisation number" in field_errors(response, "org_number")
    assert input_value(response, "indication") == "Typed but not saved"
    db.session.expire_all()
    assert db.session.get(Startup, full_startup.id).indication == "AML"


def test_a_second_save_over_somebody_elses_is_refused_and_keeps_what_was_typed(
        app, manager_user, admin_user, db, full_startup):
    manager_client, admin_client = OwnContextClient(app, manager_user), OwnContextClient(app, admin_user)
    url = f"/startups/{full_startup.id}/edit"
    mine = browser_form(manager_client.get(url), "name")
    theirs = browser_form(admin_client.get(url), "name")

    theirs["indication"] = ["Their indication"]
    assert admin_client.post(url, data=theirs).status_code == 302

    mine["indication"] = ["My indication"]
    refused = manager_client.post(url, data=mine)

    assert refused.status_code == 200
    page = page_text(refused)
    assert "Somebody else saved this record" in page
    assert "Their indication" in page  # their saved value is shown beside mine
    assert input_value(refused, "indication") == "My indication"
    db.session.expire_all()
    assert db.session.get(Startup, full_startup.id).indication == "Their indication"

    again = manager_client.post(url, data=browser_form(refused, "name"))
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Startup, full_startup.id).indication == "My indication"


# --- delete ----------------------------------------------------------------------------------

def test_delete_asks_first_then_removes_the_startup_and_its_contacts_but_keeps_its_meetings(manager_client, db):
    startup = factories.make_startup(name="Slettes AS")
    other = factories.make_startup(name="Blir Igjen")
    investor = factories.make_investor(name="Fjordinvest")
    person = factories.make_contact(startup, name="Kari Kontakt")
    factories.make_contact(startup, name="Per Kontakt")
    meeting = factories.make_meeting(startups=[startup, other], investors=[investor], contacts=[person],
                                     title="Investor day")
    db.session.commit()
    startup_id, meeting_id = startup.id, meeting.id

    confirm = manager_client.get(f"/startups/{startup_id}/delete")
    assert confirm.status_code == 200
    assert "Delete Slettes AS and its 2 contacts? Meetings stay, without this startup." in page_text(confirm)
    assert db.session.get(Startup, startup_id) is not None

    response = manager_client.post(f"/startups/{startup_id}/delete")
    assert response.status_code == 302
    assert response.location == "/startups/"
    assert "Startup Slettes AS deleted." in page_text(manager_client.get(response.location))

    db.session.expunge_all()  # a fresh identity map, as in the next request
    assert db.session.get(Startup, startup_id) is None
    assert db.session.scalar(select(func.count(Contact.id)).where(Contact.startup_id == startup_id)) == 0
    kept = db.session.get(Meeting, meeting_id)
    assert kept is not None
    assert [s.name for s in kept.startups] == ["Blir Igjen"]
    assert [i.name for i in kept.investors] == ["Fjordinvest"]
    assert kept.contacts == []
    assert manager_client.get(f"/startups/{startup_id}").status_code == 404
    assert "Investor day" in page_text(manager_client.get(f"/meetings/{meeting_id}"))


def test_delete_without_a_csrf_token_deletes_nothing(manager_client, db):
    startup = factories.make_startup(name="Trygg")
    db.session.commit()
    response = manager_client.post(f"/startups/{startup.id}/delete", csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Startup, startup.id) is not None
