"""English and Norwegian: which language a page is in, and the pages, messages, exports, amounts, dates and
country names a Norwegian reader sees."""
import csv
import io
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from flask_babel import format_decimal
from sqlalchemy import select
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from crm.common.formatting import date_local, datetime_local, money
from crm.common.language import browser_language, language_of
from crm.common.validators import country_choices, country_name
from crm.models import DevelopmentStage, InvestorKind, ProfileField as F, RoundKind, User
from tests import factories
from tests.conftest import NOW, sign_in
from tests.pages import plain

NB = {"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-GB,en;q=0.8"}


def text(response) -> str:
    return plain(response.get_data(as_text=True))


def html_lang(response) -> str:
    page = response.get_data(as_text=True)
    start = page.index('<html lang="') + len('<html lang="')
    return page[start:page.index('"', start)]


def saved_language(db, user) -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(User.locale).where(User.id == user.id))


# --- how the language is chosen ---------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, language", [
    ("nb", "nb"), ("nb-NO", "nb"), ("no", "nb"), ("nn", "nb"), ("nn-NO", "nb"), ("NO", "nb"), ("nb_NO", "nb"),
    ("en", "en"), ("en-US", "en"), ("en-GB", "en"), ("de", None), ("sv-SE", None), ("", None), (None, None)])
def test_language_tags_map_to_the_two_catalogues(tag, language):
    assert language_of(tag) == language


@pytest.mark.parametrize("header, language", [
    ("nb-NO,nb;q=0.9,en;q=0.5", "nb"),
    ("no", "nb"),
    ("nn", "nb"),
    ("de-DE,de;q=0.9,nb;q=0.5", "nb"),   # the first the app speaks
    ("en-US,en;q=0.9,nb;q=0.8", "en"),
    ("sv,no;q=0.4,en;q=0.5", "en"),      # by quality, not by order
    ("nb;q=0,en;q=0.1", "en"),           # q=0 means "not this one"
    ("nb;q=0", None),
    ("de", None),
    ("", None),
])
def test_the_browser_language_is_the_best_one_the_app_speaks(header, language):
    assert browser_language(parse_accept_header(header, LanguageAccept)) == language


def test_a_signed_out_page_follows_the_browser_and_english_is_the_default(client):
    norwegian = client.get("/auth/login", headers=NB)
    assert html_lang(norwegian) == "nb"
    assert "Logg inn" in text(norwegian) and "Passord" in text(norwegian)
    for headers in ({}, EN, {"Accept-Language": "de-DE,fr;q=0.5"}):
        english = client.get("/auth/login", headers=headers)
        assert html_lang(english) == "en"
        assert "Sign in" in text(english) and "Logg inn" not in text(english)


def test_a_signed_in_page_follows_the_browser_until_a_language_is_chosen(manager_client, manager_user, db):
    assert saved_language(db, manager_user) is None
    dashboard = manager_client.get("/", headers={"Accept-Language": "no"})
    assert html_lang(dashboard) == "nb"
    for words in ("Oversikt", "Oppstartsselskaper", "Investorer", "Møter", "Oppfølginger", "Kommende oppfølginger",
                  "Logg ut"):
        assert words in text(dashboard)
    assert "Dashboard" not in text(dashboard)
    english = manager_client.get("/")
    assert html_lang(english) == "en" and "Dashboard" in text(english) and "Oversikt" not in text(english)


def test_the_saved_choice_beats_the_browser(manager_client, manager_user, db):
    response = manager_client.post("/auth/language", data={"language": "nb", "next": "/investors/?q=fjord"},
                                   headers=EN)
    assert response.status_code == 302 and response.location == "/investors/?q=fjord"
    assert saved_language(db, manager_user) == "nb"
    page = manager_client.get("/investors/", headers=EN)
    assert html_lang(page) == "nb" and "Legg til investor" in text(page)

    manager_client.post("/auth/language", data={"language": "en", "next": "/investors/"}, headers=NB)
    assert saved_language(db, manager_user) == "en"
    page = manager_client.get("/investors/", headers=NB)
    assert html_lang(page) == "en" and "Add investor" in text(page)


def test_the_choice_is_kept_on_the_account_across_sign_ins(app, manager_user, db):
    first = sign_in(app.test_client(), manager_user)
    first.post("/auth/language", data={"language": "nb", "next": "/"})
    second = sign_in(app.test_client(), manager_user)  # another browser, with English as its language
    assert "Oversikt" in text(second.get("/", headers=EN))


def test_the_switch_goes_back_only_to_a_page_of_this_site(manager_client):
    for unsafe in ("https://evil.example/", "//evil.example/x", "", "investors"):
        response = manager_client.post("/auth/language", data={"language": "nb", "next": unsafe})
        assert response.status_code == 302 and response.location == "/"


def test_an_unknown_language_or_a_forged_post_changes_nothing(manager_client, manager_user, db):
    response = manager_client.post("/auth/language", data={"language": "de", "next": "/investors"},
                                   follow_redirects=True)
    assert "The language was not changed." in text(response)
    forged = manager_client.post("/auth/language", data={"language": "nb", "next": "/"}, csrf=False)
    assert forged.status_code == 400
    assert saved_language(db, manager_user) is None


def test_a_viewer_may_choose_a_language_too(viewer_client, viewer_user, db):
    assert viewer_client.post("/auth/language", data={"language": "nb", "next": "/"}).status_code == 302
    assert saved_language(db, viewer_user) == "nb"


@pytest.mark.parametrize("path", ["/", "/investors/", "/startups/", "/meetings/", "/deals/", "/followups",
                                  "/auth/password", "/investors/?origin=foreign&sort=name"])
def test_every_signed_in_page_has_the_switch_back_to_itself(manager_client, path):
    page = manager_client.get(path).get_data(as_text=True)
    assert 'action="/auth/language"' in page
    assert f'name="next" value="{path.replace("&", "&amp;")}"' in page
    assert 'value="nb"' in page and 'lang="nb">Norsk</span>' in page
    norwegian = manager_client.get(path, headers=NB).get_data(as_text=True)
    assert 'lang="en">English</span>' in norwegian


def test_the_sign_in_page_has_no_switch(client):
    assert 'action="/auth/language"' not in client.get("/auth/login").get_data(as_text=True)


# --- pages, forms, messages in Norwegian -------------------------------------------------------------------------

@pytest.fixture()
def swedish(db, manager_user):
    investor = factories.make_investor(name="Stockholm Onko", country="SE", kind=InvestorKind.VENTURE_FUND,
                                       ticket_min=Decimal("1234567"), currency="NOK")
    db.session.commit()
    return investor


def test_a_list_in_norwegian_shows_labels_countries_and_amounts_in_norwegian(manager_client, swedish):
    page = text(manager_client.get("/investors/", headers=NB))
    for words in ("Investorer", "Legg til investor", "Stockholm Onko", "Sverige", "Venturefond", "Utenlandsk"):
        assert words in page
    detail = text(manager_client.get(f"/investors/{swedish.id}", headers=NB))
    assert "1 234 567 kr" in detail  # no-break spaces, read as spaces
    english = text(manager_client.get(f"/investors/{swedish.id}"))
    assert "Sweden" in english and "Venture fund" in english and "NOK 1,234,567" in english


def test_a_records_history_names_its_fields_in_the_readers_language(manager_client, swedish):
    history = text(manager_client.get(f"/investors/{swedish.id}", headers=NB)).split("Historikk", 1)[1]
    assert "Opprettet" in history and "Land: — → SE" in history and "Investering fra: — → 1234567" in history
    history = text(manager_client.get(f"/investors/{swedish.id}")).split("History", 1)[1]
    assert "Created" in history and "Country: — → SE" in history and "Ticket from: — → 1234567" in history


def test_the_audit_log_in_norwegian_names_kinds_and_fields(admin_client, swedish):
    page = text(admin_client.get("/audit/", headers=NB))
    assert "Revisjonslogg" in page and f"Investorer #{swedish.id} · Stockholm Onko" in page
    assert "Opprettet" in page and "Land: — → SE" in page
    assert f"Investors #{swedish.id} · Stockholm Onko" in text(admin_client.get("/audit/"))


def test_a_form_in_norwegian_shows_its_errors_in_norwegian_and_keeps_what_was_typed(manager_client):
    response = manager_client.post("/investors/new", headers=NB, data={
        "name": "", "kind": "venture_fund", "status": "active", "country": "NO", "org_number": "", "website": "",
        "ticket_min": "mange penger", "ticket_max": "", "currency": "NOK", "owner_id": "0", "description": "",
        "notes": ""})
    assert response.status_code == 200
    page = text(response)
    assert "Dette feltet er påkrevd." in page                  # WTForms' own Norwegian catalogue
    assert "Skriv inn et beløp, som 1 500 000." in page       # the app's
    assert "Rett opp feltene som er merket nedenfor." in page
    assert 'value="mange penger"' in response.get_data(as_text=True)
    assert "Norge" in page  # the country list


def test_a_flash_message_in_norwegian(manager_client):
    response = manager_client.post("/investors/new", headers=NB, follow_redirects=True, data={
        "name": "Fjord Kapital", "kind": "venture_fund", "status": "active", "country": "NO", "org_number": "",
        "website": "", "ticket_min": "", "ticket_max": "", "currency": "NOK", "owner_id": "0", "description": "",
        "notes": ""})
    assert "Investoren Fjord Kapital er lagt til." in text(response)


def test_error_pages_in_norwegian(manager_client, client):
    missing = manager_client.get("/investors/999999", headers=NB)
    assert missing.status_code == 404
    assert "Ikke funnet" in text(missing) and "Det finnes ingenting på denne adressen." in text(missing)
    assert "Gå til oversikten" in text(missing)
    english = manager_client.get("/investors/999999")
    assert "Not found" in text(english) and "Ikke funnet" not in text(english)
    assert "Ikke funnet" in text(client.get("/no-such-page", headers={"Accept-Language": "nn"}))


@pytest.mark.parametrize("days, shown", [(1, "(1 dag)"), (10, "(10 dager)")])
def test_a_plural_in_norwegian(manager_client, db, days, shown):
    startup = factories.make_startup(name="Lysaker Onkologi", round_kind=RoundKind.SEED)
    investor = factories.make_investor(name="Fjord Kapital")
    deal = factories.make_deal(startup, investor, at=datetime.now(timezone.utc) - timedelta(days=days, hours=1))
    db.session.commit()
    page = text(manager_client.get(f"/deals/{deal.id}", headers=NB))
    assert shown in page and "Identifisert siden" in page


# --- the share page ------------------------------------------------------------------------------------------------

@pytest.fixture()
def shared(db, manager_user, clock):
    startup = factories.make_startup(name="Nordlys Onkologi", round_kind=RoundKind.SERIES_A,
                                     round_target=Decimal("12345000"), round_currency="EUR",
                                     development_stage=DevelopmentStage.PHASE_2)
    factories.make_profile(startup, public=[F.NAME, F.ROUND, F.DEVELOPMENT_STAGE])
    link, token = factories.make_share_link(startup, label="Board", now=NOW, by=manager_user)
    db.session.commit()
    return link, token


def test_the_share_page_follows_the_readers_browser_and_sets_no_cookie(client, shared):
    _link, token = shared
    norwegian = client.get(f"/s/{token}", headers=NB)
    assert norwegian.status_code == 200 and html_lang(norwegian) == "nb"
    page = text(norwegian)
    assert "Utviklingsfase Fase II" in page and "Nåværende runde Serie A · mål 12 345 000 €" in page
    assert "Delt av Manager User" in page and "Denne siden er tilgjengelig til 1. april 2026." in page
    assert "Set-Cookie" not in norwegian.headers
    english = client.get(f"/s/{token}")
    assert html_lang(english) == "en" and "Current round Series A · target €12,345,000" in text(english)
    assert "This page is available until April 1, 2026." in text(english) and "Set-Cookie" not in english.headers


def test_the_share_page_ignores_the_language_saved_on_a_staff_account(app, manager_user, db, shared):
    _link, token = shared
    staff = sign_in(app.test_client(), manager_user)
    staff.post("/auth/language", data={"language": "nb", "next": "/"})
    page = staff.get(f"/s/{token}", headers=EN)
    assert html_lang(page) == "en" and "Development stage Phase II" in text(page)
    assert "Set-Cookie" not in page.headers


def test_a_withdrawn_link_says_so_in_norwegian(client, shared, db):
    link, token = shared
    link.revoked_at = NOW
    db.session.commit()
    response = client.get(f"/s/{token}", headers=NB)
    assert response.status_code == 410
    assert "Denne lenken virker ikke lenger" in text(response)
    assert "Denne lenken er trukket tilbake av den som sendte den." in text(response)
    assert "Ikke funnet" in text(client.get("/s/" + "x" * 43, headers=NB))


# --- exports -------------------------------------------------------------------------------------------------------

def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8")[1:])))


def test_an_export_has_headers_labels_and_countries_in_the_users_language(manager_client, swedish):
    header, row = _csv(manager_client.get("/exports/investors.csv", headers=NB))
    assert header[:6] == ["Id", "Navn", "Type", "Status", "Land", "Norsk eller utenlandsk"]
    assert row[1:6] == ["Stockholm Onko", "Venturefond", "Aktiv relasjon", "Sverige", "Utenlandsk"]
    header, row = _csv(manager_client.get("/exports/investors.csv"))
    assert header[:6] == ["Id", "Name", "Type", "Status", "Country", "Norwegian or foreign"]
    assert row[1:6] == ["Stockholm Onko", "Venture fund", "Active relationship", "Sweden", "Foreign"]


# --- formatting ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount, currency, norwegian, english", [
    ("1234567", "NOK", "1\xa0234\xa0567\xa0kr", "NOK\xa01,234,567"),
    ("1500000.50", "NOK", "1\xa0500\xa0000,50\xa0kr", "NOK\xa01,500,000.50"),
    ("1500000.50", "EUR", "1\xa0500\xa0000,50\xa0€", "€1,500,000.50"),
    ("800000", "CHF", "800\xa0000\xa0CHF", "CHF\xa0800,000"),
    ("0", "NOK", "0\xa0kr", "NOK\xa00"),
])
def test_amounts_are_written_as_each_language_writes_them(app, amount, currency, norwegian, english):
    with app.test_request_context(headers=NB):
        assert money(Decimal(amount), currency) == norwegian
    with app.test_request_context():
        assert money(Decimal(amount), currency) == english
        assert money(None) == ""


def test_dates_times_and_numbers_in_each_language_in_oslo_time(app):
    moment = datetime(2026, 3, 2, 11, 0, tzinfo=timezone.utc)  # 12:00 in Oslo (CET)
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)  # already 2 July in Oslo (CEST)
    with app.test_request_context(headers=NB):
        assert date_local(date(2026, 3, 2)) == "2. mars 2026"
        assert date_local(date(2026, 3, 16), "EEE d MMM") == "man. 16. mars"
        assert datetime_local(moment, "short") == "02.03.2026, 12:00"
        assert datetime_local(summer, "short") == "02.07.2026, 00:30"
        assert format_decimal(Decimal("1234567.5")) == "1\xa0234\xa0567,5"
    with app.test_request_context():
        assert date_local(date(2026, 3, 2)) == "Mar 2, 2026"
        assert date_local(date(2026, 3, 16), "EEE d MMM") == "Mon 16 Mar"
        assert datetime_local(moment, "short").startswith("3/2/26, 12:00")
        assert format_decimal(Decimal("1234567.5")) == "1,234,567.5"


def test_country_names_and_their_order_follow_the_language(app):
    with app.test_request_context(headers=NB):
        names = [name for _code, name in country_choices()]
        assert country_name("NO") == "Norge" and country_name("se") == "Sverige" and country_name("XX") == "XX"
        assert names.index("Tyskland") < names.index("Zimbabwe") < names.index("Østerrike") < names.index("Åland")
    with app.test_request_context():
        names = [name for _code, name in country_choices()]
        assert country_name("NO") == "Norway" and country_name(None) == ""
        assert names[0] == "Afghanistan" and "Germany" in names
