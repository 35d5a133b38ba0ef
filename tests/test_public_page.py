"""The share page as an outside reader meets it: exactly the chosen fields, the confidential tier, expiry,
revocation, wrong tokens, view counting, its headers, no cookie, and the rate limit."""
import html
import secrets
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm import create_app
from crm.extensions import db as _db, limiter
from crm.models import (ConfidentialItemKind, DevelopmentStage, Modality, ProfileField as F, RoundKind, ShareLink,
                        ShareView, TherapeuticArea)
from crm.sharing import services
from tests import factories
from tests.conftest import NOW, sign_in

SECRET = "Zx9SECRETqV7"
ORG_NUMBER = "923609016"


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))



@pytest.fixture()
def world(db, manager_user, clock):
    """A startup with a secret in every internal field, around it an investor, another investor, meetings, links."""
    startup = factories.make_startup(
        name="Nordlys Onkologi", org_number=ORG_NUMBER, therapeutic_area=TherapeuticArea.HAEMATOLOGICAL,
        indication="Relapsed AML INDICATION-7a1", modality=Modality.CELL_THERAPY,
        development_stage=DevelopmentStage.PHASE_2, round_kind=RoundKind.SERIES_A, round_target=Decimal("12345000"),
        round_currency="EUR", pitch="PITCH-7a1 NK cells that survive.", team="TEAM-7a1 Kari, CEO",
        website="https://nordlys-web.example.com", notes=f"{SECRET} startup notes")
    founder = factories.make_contact(startup, name="Kari Grunnlegger", email="kari@nordlys.example.com",
                                     phone="+4722334455", notes=f"{SECRET} founder notes")
    investor = factories.make_investor(name="Fjordkapital Vekst", notes=f"{SECRET} investor notes",
                                       description=f"{SECRET} description", ticket_min=Decimal("987654321"))
    partner = factories.make_contact(investor, name="Per Partner", email="per@fjord.example.com",
                                     notes=f"{SECRET} partner notes")
    other = factories.make_investor(name=f"{SECRET} Other Capital", notes=SECRET, ticket_max=Decimal("987654321"))
    other_person = factories.make_contact(other, name=f"{SECRET} Other Person")
    factories.make_meeting(startups=[startup], investors=[investor, other], contacts=[founder, partner, other_person],
                           title=f"{SECRET} title", location=f"{SECRET} place", notes=f"{SECRET} meeting notes",
                           outcome=f"{SECRET} outcome", next_steps=f"{SECRET} next steps")
    factories.make_profile(startup, public=[F.NAME])
    factories.make_item(startup, title="Deck ITEM-7a1", url="https://dataroom.example.com/nordlys")
    factories.make_item(startup, title="Patents ITEM-7b2", kind=ConfidentialItemKind.PATENTS, url=None,
                        text="Two families granted ITEM-TEXT-7c3")
    factories.make_agreement(other, startup, signed_on=date(2026, 1, 1))
    factories.make_share_link(startup, other, label=f"{SECRET} other label", now=NOW)
    factories.make_share_link(startup, label=f"{SECRET} general label", now=NOW)
    link, token = factories.make_share_link(startup, investor, contact=partner, label=f"{SECRET} link label",
                                            now=NOW, by=manager_user)
    _db.session.commit()
    return {"startup": startup, "investor": investor, "founder": founder, "link": link, "token": token}


def show(world, public=(), confidential=(), tagline="Lys i mørket TAGLINE-7a1"):
    """Save the profile settings of the world's startup."""
    factories.make_profile(world["startup"], public=public, confidential=confidential, tagline=tagline,
                           contact=world["founder"])
    _db.session.commit()


def agree(world, signed_on=date(2026, 1, 1), expires_on=date(2026, 12, 31)):
    factories.make_agreement(world["investor"], world["startup"], signed_on=signed_on, expires_on=expires_on)
    _db.session.commit()


def open_link(client, world, **kwargs):
    return client.get(f"/s/{world['token']}", **kwargs)


# What each field puts on the page; the logo is the initials, which show only with the name.
MARKERS = {
    F.NAME: ["Nordlys Onkologi"],
    F.LOGO: ['class="profile-logo"'],
    F.TAGLINE: ["TAGLINE-7a1"],
    F.PITCH: ["PITCH-7a1"],
    F.THERAPEUTIC_AREA: ["Haematological cancers"],
    F.INDICATION: ["INDICATION-7a1"],
    F.MODALITY: ["Cell therapy"],
    F.DEVELOPMENT_STAGE: ["Phase II"],
    F.ROUND: ["Series A", "€12,345,000"],
    F.TEAM: ["TEAM-7a1"],
    F.WEBSITE: ["https://nordlys-web.example.com"],
    F.CONTACT: ["Kari Grunnlegger", "kari@nordlys.example.com"],
}
ITEM_MARKERS = ["ITEM-7a1", "ITEM-7b2", "ITEM-TEXT-7c3", "https://dataroom.example.com/nordlys"]
NEVER = [SECRET, ORG_NUMBER, "923 609 016", "987654321", "987,654,321", "Incubatee", "+47", "Per Partner",
         "/startups/", "/investors/", "/auth/", "csrf_token"]

ALL = list(F)
CASES = {
    **{f"only {field.value}": (dict(public=[field]), False) for field in F},
    "name and logo": (dict(public=[F.NAME, F.LOGO]), False),
    "everything public": (dict(public=ALL), False),
    "everything public, under an agreement": (dict(public=ALL), True),
    "everything confidential, no agreement": (dict(confidential=ALL), False),
    "everything confidential, under an agreement": (dict(confidential=ALL), True),
    "pitch public, the rest confidential, under an agreement": (
        dict(public=[F.NAME, F.PITCH], confidential=[f for f in F if f not in (F.NAME, F.PITCH)]), True),
    "nothing at all": (dict(), False),
}


def _visible(settings: dict, agreement: bool) -> set:
    return set(settings.get("public", ())) | (set(settings.get("confidential", ())) if agreement else set())


@pytest.mark.parametrize("settings,agreement", CASES.values(), ids=CASES.keys())
def test_the_page_shows_exactly_the_chosen_fields_and_nothing_internal(client, world, settings, agreement):
    show(world, **settings)
    if agreement:
        agree(world)
    response = open_link(client, world)
    assert response.status_code == 200
    page = page_text(response)
    raw = response.get_data(as_text=True)
    visible = _visible(settings, agreement)
    for field, markers in MARKERS.items():
        expected = field in visible and (field is not F.LOGO or F.NAME in visible)
        for marker in markers:
            assert (marker in page) is expected, (field, marker)
    for marker in ITEM_MARKERS:
        assert (marker in page) is agreement
    for text in NEVER:
        assert text not in page and text not in raw, text
    assert SECRET not in str(response.headers)
    assert "Prepared for Fjordkapital Vekst." in page


def test_a_profile_with_the_name_hidden_is_anonymous(client, world):
    show(world, public=[F.LOGO, F.PITCH])
    page = page_text(open_link(client, world))
    assert "A startup in our incubator" in page
    assert "Nordlys" not in page and ">NO<" not in page


# --- the confidential tier ------------------------------------------------------------------

def test_confidential_fields_and_material_show_only_under_a_valid_agreement(client, world, clock):
    show(world, public=[F.NAME], confidential=[F.TEAM])
    page = page_text(open_link(client, world))
    assert "TEAM-7a1" not in page and "ITEM-7a1" not in page
    assert "available under a confidentiality agreement" in page

    agree(world, signed_on=date(2026, 2, 1), expires_on=date(2026, 3, 31))
    page = page_text(open_link(client, world))
    assert "TEAM-7a1" in page and "ITEM-7a1" in page and "ITEM-TEXT-7c3" in page
    assert "Confidential" in page
    assert "available under a confidentiality agreement" not in page

    clock(datetime(2026, 3, 31, 21, 59, tzinfo=timezone.utc))  # 23:59 in Oslo on the last day it covers
    assert "TEAM-7a1" in page_text(open_link(client, world))
    clock(datetime(2026, 3, 31, 22, 0, tzinfo=timezone.utc))  # midnight in Oslo: the agreement has expired
    page = page_text(open_link(client, world))
    assert "TEAM-7a1" not in page and "ITEM-7a1" not in page
    assert "available under a confidentiality agreement" in page


def test_another_investors_agreement_or_one_with_another_startup_opens_nothing(client, world):
    show(world, public=[F.NAME], confidential=[F.TEAM])
    other_startup = factories.make_startup(name="Annen Startup")
    factories.make_agreement(world["investor"], other_startup)  # and the world has one for another investor
    _db.session.commit()
    assert "TEAM-7a1" not in page_text(open_link(client, world))


def test_a_general_link_never_shows_the_confidential_tier(client, world, manager_user):
    show(world, public=[F.NAME], confidential=[F.TEAM])
    agree(world)
    _link, token = factories.make_share_link(world["startup"], label="Partnering event", now=NOW)
    _db.session.commit()
    page = page_text(client.get(f"/s/{token}"))
    assert "Nordlys Onkologi" in page
    assert "TEAM-7a1" not in page and "ITEM-7a1" not in page
    assert "Prepared for" not in page and "Partnering event" not in page


# --- expiry, revocation, wrong tokens --------------------------------------------------------

def test_a_link_works_to_the_end_of_its_last_day_then_says_it_expired(client, world, clock):
    link_last_day = world["link"].valid_through
    assert link_last_day == date(2026, 4, 1)  # 30 days from 2 March
    clock(datetime(2026, 4, 1, 21, 59, tzinfo=timezone.utc))  # 23:59 in Oslo (CEST)
    assert open_link(client, world).status_code == 200

    clock(datetime(2026, 4, 1, 22, 0, tzinfo=timezone.utc))
    response = open_link(client, world)
    assert response.status_code == 410
    page = page_text(response)
    assert "This link no longer works" in page and "This link expired." in page
    assert "Manager User" in page and "manager@example.com" in page
    assert "Nordlys" not in page and "Fjordkapital" not in page


def test_a_revoked_link_says_it_was_withdrawn_and_whom_to_contact(client, world, manager_user):
    services.revoke_share_link(world["link"], manager_user)
    _db.session.commit()
    response = open_link(client, world)
    assert response.status_code == 410
    page = page_text(response)
    assert "This link has been withdrawn by the person who sent it." in page
    assert "For a new link, contact:" in page and "manager@example.com" in page
    assert "Nordlys" not in page and SECRET not in page


def test_when_the_maker_has_left_the_reader_is_sent_to_the_cluster(app, client, world, manager_user, monkeypatch):
    monkeypatch.setitem(app.config, "CLUSTER_NAME", "Oslo Incubator Team")
    monkeypatch.setitem(app.config, "CLUSTER_EMAIL", "incubator@cluster.example.com")
    manager_user.active = False
    services.revoke_share_link(world["link"], manager_user)
    _db.session.commit()
    page = page_text(open_link(client, world))
    assert "Oslo Incubator Team" in page and "incubator@cluster.example.com" in page
    assert "manager@example.com" not in page


def _tampered(token: str) -> str:
    replacement = "A" if token[5] != "A" else "B"
    return token[:5] + replacement + token[6:]


@pytest.mark.parametrize("make_url", [
    lambda token: "/s/" + secrets.token_urlsafe(32),
    lambda token: "/s/" + _tampered(token),
    lambda token: "/s/" + token[:-1],
    lambda token: "/s/" + token + "x",
    lambda token: "/s/" + token.upper(),
    lambda token: "/s/%00" + token[1:],
    lambda token: "/s/" + "x" * 5000,
], ids=["random", "one character changed", "too short", "too long", "upper case", "nul", "huge"])
def test_a_wrong_or_tampered_token_gets_a_plain_not_found(client, world, make_url):
    response = client.get(make_url(world["token"]))
    assert response.status_code == 404
    page = page_text(response)
    assert "Nordlys" not in page and "no longer works" not in page
    assert "Set-Cookie" not in response.headers
    assert _db.session.scalar(select(func.count(ShareView.id))) == 0


# --- views -----------------------------------------------------------------------------------

def _views():
    _db.session.expire_all()
    return list(_db.session.scalars(select(ShareView).order_by(ShareView.id)))


def test_each_opening_is_recorded_with_its_time_the_browser_and_only_the_network(app, world, clock):
    reader = app.test_client()
    reader.get(f"/s/{world['token']}", headers={"User-Agent": "Mozilla/5.0 " + "x" * 500},
               environ_base={"REMOTE_ADDR": "203.0.113.77"})
    clock(NOW + timedelta(hours=1))
    reader.get(f"/s/{world['token']}", environ_base={"REMOTE_ADDR": "2001:db8:1234:5678::1"})
    views = _views()
    assert [v.viewed_at for v in views] == [NOW, NOW + timedelta(hours=1)]
    assert [v.network for v in views] == ["203.0.113.0/24", "2001:db8:1234::/48"]
    assert len(views[0].user_agent) == 300 and views[0].user_agent.startswith("Mozilla/5.0 ")
    assert all(v.link_id == world["link"].id for v in views)
    stored = " ".join(str(row) for row in _db.session.execute(select(ShareView.__table__)))
    assert "203.0.113.77" not in stored and "5678" not in stored


def test_the_maker_signed_in_is_not_counted_but_a_colleague_and_an_anonymous_reader_are(app, world, manager_user):
    maker = sign_in(app.test_client(), manager_user)
    assert maker.get(f"/s/{world['token']}").status_code == 200
    assert _views() == []

    colleague = factories.make_user("viewer", email="colleague@example.com")
    _db.session.commit()
    sign_in(app.test_client(), colleague).get(f"/s/{world['token']}")
    app.test_client().get(f"/s/{world['token']}")
    assert len(_views()) == 2


def test_previews_link_checkers_and_dead_links_record_no_view(app, manager_client, world, manager_user):
    startup_id, link_id = world["startup"].id, world["link"].id
    assert manager_client.get(f"/startups/{startup_id}/profile/preview?link={link_id}").status_code == 200
    reader = app.test_client()
    assert reader.head(f"/s/{world['token']}").status_code == 200
    reader.get(f"/s/{world['token']}", headers={"User-Agent": "Slackbot-LinkExpanding 1.0"})
    services.revoke_share_link(world["link"], manager_user)
    _db.session.commit()
    assert reader.get(f"/s/{world['token']}").status_code == 410
    assert _views() == []


# --- headers and cookies ---------------------------------------------------------------------

def _assert_protected(response):
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in response.headers


def test_the_page_and_its_error_pages_are_not_indexed_framed_referred_or_given_a_cookie(app, client, world,
                                                                                        manager_user):
    ok = open_link(client, world)
    _assert_protected(ok)
    assert '<meta name="robots" content="noindex' in ok.get_data(as_text=True)
    assert "<script" not in ok.get_data(as_text=True)
    _assert_protected(client.get("/s/" + secrets.token_urlsafe(32)))
    _assert_protected(client.post(f"/s/{world['token']}", csrf=False))
    assert "X-Robots-Tag" not in client.get("/auth/login").headers  # the CRM's own pages are left as they are
    # a browser that carries a session from the sign-in page (a CSRF token) gets it neither renewed nor changed
    _assert_protected(open_link(client, world))
    # a signed-in staff member's session is read, not rewritten
    _assert_protected(sign_in(app.test_client(), manager_user).get(f"/s/{world['token']}"))
    services.revoke_share_link(world["link"], manager_user)
    _db.session.commit()
    gone = open_link(client, world)
    _assert_protected(gone)
    assert '<meta name="robots" content="noindex' in gone.get_data(as_text=True)


def test_the_page_has_a_print_stylesheet_for_a4(client, world):
    page = open_link(client, world).get_data(as_text=True)
    assert "/static/public.css" in page
    with client.get("/static/public.css") as response:
        css = response.get_data(as_text=True)
    assert "@media print" in css and "size: A4" in css


def test_tokens_are_stored_only_as_hashes(world):
    rows = _db.session.execute(select(ShareLink.__table__)).all()
    assert len(rows) == 3
    assert world["token"] not in " ".join(str(value) for row in rows for value in row)
    assert len(world["token"]) >= 43  # 32 random bytes: 256 bits


# --- the rate limit --------------------------------------------------------------------------

@pytest.fixture()
def limited_app(app, db):
    """The app with rate limiting on (the test config turns it off) and a small limit for share pages."""
    was_enabled = limiter.enabled
    limited = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                     "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                                     "SHARE_RATE_LIMIT": "3 per minute"})
    yield limited
    # The limiter is one object shared by every app in this process: switch it off again for the other tests.
    limiter.enabled = was_enabled
    with limited.app_context():
        _db.engine.dispose()


def test_guessing_tokens_from_one_address_is_stopped_after_the_limit(limited_app):
    guesser = limited_app.test_client()
    for _ in range(3):
        response = guesser.get("/s/" + secrets.token_urlsafe(32), environ_base={"REMOTE_ADDR": "198.51.100.9"})
        assert response.status_code == 404
    refused = guesser.get("/s/" + secrets.token_urlsafe(32), environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    _assert_protected(refused)
    other = guesser.get("/s/" + secrets.token_urlsafe(32), environ_base={"REMOTE_ADDR": "198.51.100.10"})
    assert other.status_code == 404
