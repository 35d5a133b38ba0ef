"""Hostile and broken requests: open redirects through ``next``, tampered session cookies, oversized and
malformed requests. Each gets a clear 4xx answer or a message next to the field, never a server error."""
import re
from urllib.parse import urlsplit

import pyotp
import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select, text

from crm.extensions import db
from crm.models import Deal, DealStage, FollowUp, Investor, Meeting
from tests import factories
from tests.conftest import PASSWORD, sign_in
from tests.test_startups import field_errors, page_text
from tests.test_two_factor import log_in, set_up_two_factor

EVIL_TARGETS = ["//evil.example", "//evil.example/investors/", "https://evil.example", "http:/evil.example",
                "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "javascript:alert(1)",
                "JavaScript:alert(1)", "/\t/evil.example", " //evil.example", "/%0a/evil.example",
                "data:text/html,<script>alert(1)</script>", "evil.example", "\x00//evil.example"]


def assert_stays_on_this_site(response, fallback):
    """The redirect is a path on this site, as a browser reads it (browsers drop tabs and newlines); a target
    that is no such path falls back to ``fallback``."""
    assert response.status_code == 302
    location = response.location
    as_read = "".join(ch for ch in location if ch not in "\t\r\n")
    parts = urlsplit(as_read)
    assert not parts.scheme and not parts.netloc, location
    assert as_read.startswith("/") and not as_read.startswith("//") and "\\" not in as_read, location
    assert location == fallback or location.startswith("/%"), location  # "/%0a/evil.example" is a local path


# --- open redirects ---------------------------------------------------------------------------------

@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_sign_in_never_follows_next_to_another_site(client, manager_user, target):
    response = client.post("/auth/login", data={"email": manager_user.email, "password": PASSWORD, "next": target})
    assert_stays_on_this_site(response, "/")


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_the_sign_in_page_does_not_carry_a_foreign_next_into_a_link(client, target):
    page = client.get("/auth/login", query_string={"next": target}).get_data(as_text=True)
    assert not re.search(r'href="(https?:)?//evil', page)


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_the_two_factor_step_never_follows_next_to_another_site(app, manager_client, target):
    secret, _codes = set_up_two_factor(manager_client)
    client = app.test_client()
    log_in(client, "manager@example.com")
    response = client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).now(), "next": target})
    assert_stays_on_this_site(response, "/")


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_confirming_the_password_never_follows_next_to_another_site(manager_client, target):
    response = manager_client.post("/auth/confirm", data={"password": PASSWORD, "next": target})
    assert_stays_on_this_site(response, "/")


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_moving_a_deal_never_follows_next_to_another_site(db, manager_client, target):
    deal = factories.make_deal(factories.make_startup(), factories.make_investor())
    db.session.commit()
    response = manager_client.post(f"/deals/{deal.id}/move", data={"stage": "contacted", "version": deal.version,
                                                                    "next": target})
    assert_stays_on_this_site(response, f"/deals/{deal.id}")
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).stage is DealStage.CONTACTED


def test_a_local_next_is_still_followed(manager_client):
    """The other side: the tests above would pass if next were never followed at all."""
    response = manager_client.post("/auth/confirm", data={"password": PASSWORD, "next": "/investors/?q=fjord"})
    assert response.location == "/investors/?q=fjord"


# --- tampered session cookies -----------------------------------------------------------------------

def _signed(app, payload, secret=None):
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    if secret is not None:
        serializer = URLSafeTimedSerializer(secret, salt="cookie-session", serializer=serializer.serializer,
                                            signer_kwargs=serializer.signer_kwargs)
    return serializer.dumps(payload)


def _session_cookie(manager_client) -> str:
    return manager_client.get_cookie("session").value


def _flip_signature(cookie: str) -> str:
    """The cookie with the first character of its signature changed (every bit of it counts)."""
    rest, signature = cookie.rsplit(".", 1)
    return f"{rest}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


COOKIES = {
    "garbage": lambda app, real: "garbage",
    "empty": lambda app, real: "",
    "truncated": lambda app, real: real[:-6],
    # The signature's first character: its last one may carry only padding bits, which decoding ignores.
    "flipped signature": lambda app, real: _flip_signature(real),
    "other payload, same signature": lambda app, real: _signed(app, {"_user_id": "1"}).split(".")[0] + "." +
    ".".join(real.split(".")[1:]),
    "signed with another key": lambda app, real: _signed(app, {"_user_id": "1", "sid": 1}, secret="guessed"),
    "unknown session id": lambda app, real: _signed(app, {"_user_id": "1", "sid": 987654}),
    "wrong types": lambda app, real: _signed(app, {"_user_id": ["1"], "sid": {"x": 1}, "_fresh": "yes"}),
    "huge user id": lambda app, real: _signed(app, {"_user_id": "9" * 400, "sid": "9" * 400}),
    "pending two-factor forged": lambda app, real: _signed(app, {"pending_user_id": "1", "pending_since": "never"}),
    "pending two-factor bad time": lambda app, real: _signed(app, {"pending_user_id": 1, "pending_since": "never"}),
    "pending two-factor huge id": lambda app, real: _signed(app, {"pending_user_id": 10 ** 30,
                                                                  "pending_since": "2026-01-01T00:00:00"}),
    "not utf-8": lambda app, real: "\u00ff\u00fe.abc.def",
}


@pytest.mark.parametrize("kind", sorted(COOKIES))
def test_a_tampered_session_cookie_gets_the_sign_in_page(app, manager_client, kind):
    cookie = COOKIES[kind](app, _session_cookie(manager_client))
    client = app.test_client()
    client.set_cookie("session", cookie)

    response = client.get("/investors/")
    assert response.status_code == 302 and response.location.startswith("/auth/login")
    login = client.get("/auth/login")
    assert login.status_code == 200 and "Sign in" in login.get_data(as_text=True)
    code_step = client.get("/auth/login/code")
    assert code_step.status_code == 302 and code_step.location == "/auth/login"


# --- oversized requests -----------------------------------------------------------------------------

OVERSIZED = "x" * (2 * 1024 * 1024 + 1)


@pytest.mark.parametrize("url", ["/auth/login", "/investors/new", "/meetings/new", "/deals/new", "/api/v1/investors"])
def test_a_body_over_the_limit_gets_413_and_saves_nothing(manager_client, url):
    response = manager_client.post(url, data={"name": "Huge Capital", "notes": OVERSIZED})
    assert response.status_code == 413
    assert db.session.scalar(select(func.count(Investor.id))) == 0


# Imports take more (CRM_IMPORT_MAX_BYTES): test_imports.test_uploads_may_be_larger_than_forms_up_to_their_own_limit.


# --- malformed requests -----------------------------------------------------------------------------

def test_a_very_long_name_gets_a_message_next_to_the_field_and_keeps_what_was_typed(manager_client):
    typed = "Fjordinvest " * 1000
    response = manager_client.post("/investors/new", data={"name": typed, "kind": "bank", "country": "NO"})
    assert response.status_code == 200
    assert "Field cannot be longer than 200 characters." in field_errors(response, "name")
    assert typed.strip() in page_text(response)


@pytest.fixture()
def deal(db, manager_user):
    record = factories.make_deal(factories.make_startup(name="Malformed Startup"),
                                 factories.make_investor(name="Malformed Investor"))
    db.session.commit()
    return record


def _form_cases(deal):
    new_meeting = {"kind": "pitch", "duration_minutes": "60", "startup_ids": str(deal.startup_id)}
    return [
        ("/meetings/new", {**new_meeting, "starts_at": "2026-02-31T10:00"}, "starts_at"),
        ("/meetings/new", {**new_meeting, "starts_at": "yesterday"}, "starts_at"),
        ("/meetings/new", {**new_meeting, "starts_at": "99999-01-01T10:00"}, "starts_at"),
        ("/meetings/new", {**new_meeting, "starts_at": "2026-03-01T10:00", "duration_minutes": "1e9"},
         "duration_minutes"),
        ("/meetings/new", {**new_meeting, "starts_at": "2026-03-01T10:00", "follow_up_on": "0000-00-00"},
         "follow_up_on"),
        (f"/follow-ups/new?deal_id={deal.id}", {"title": "Call", "due_on": "31.02.2026"}, "due_on"),
        (f"/follow-ups/new?deal_id={deal.id}", {"title": "Call", "due_on": "2026-13-01"}, "due_on"),
        (f"/deals/{deal.id}/edit", {"stage": "identified", "startup_id": deal.startup_id,
                                    "investor_id": deal.investor_id, "round_kind": "seed", "currency": "NOK",
                                    "version": deal.version, "expected_amount": "abc"}, "expected_amount"),
    ] + [
        (f"/deals/{deal.id}/edit", {"stage": "identified", "startup_id": deal.startup_id,
                                    "investor_id": deal.investor_id, "round_kind": "seed", "currency": "NOK",
                                    "version": deal.version, "expected_amount": amount}, "expected_amount")
        for amount in ("1e400", "-5", "NaN", "Infinity", "1,2,3", "12.345", "9" * 400, "1e-400")
    ] + [
        ("/investors/new", {"name": "Ticket AS", "kind": "bank", "country": "NO", "ticket_min": amount},
         "ticket_min") for amount in ("sNaN", "0x10", "--1", "1 000 000 000 000 000")
    ]


def test_bad_dates_and_amounts_get_a_message_next_to_the_field_never_a_server_error(manager_client, deal):
    meetings = db.session.scalar(select(func.count(Meeting.id)))
    follow_ups = db.session.scalar(select(func.count(FollowUp.id)))
    for url, data, field in _form_cases(deal):
        response = manager_client.post(url, data=data)
        assert response.status_code == 200, (url, data, response.status_code)
        assert field_errors(response, field), (url, data)
    assert db.session.scalar(select(func.count(Meeting.id))) == meetings
    assert db.session.scalar(select(func.count(FollowUp.id))) == follow_ups
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).expected_amount is None


@pytest.mark.parametrize("field", ["name", "description", "notes", "website"])
def test_a_nul_character_in_a_text_field_gets_a_message_next_to_it(manager_client, field):
    data = {"name": "Nul Capital", "kind": "bank", "country": "NO", field: "Nul\x00Capital"}
    response = manager_client.post("/investors/new", data=data)
    assert response.status_code == 200
    assert "control character (NUL)" in field_errors(response, field)
    assert db.session.scalar(select(func.count(Investor.id))) == 0


@pytest.mark.parametrize("url", ["/investors/?q=%FF%FE", "/startups/?q=caf%E9", "/meetings/?sort=%C3",
                                 "/deals/table?stage=%80", "/follow-ups/?user=%FF"])
def test_an_address_that_is_not_utf8_gets_a_clear_400(manager_client, url):
    response = manager_client.get(url)
    assert response.status_code == 400
    assert "not UTF-8 text" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [b"name=Caf\xe9+AS&kind=bank&country=NO", b"name=Caf%E9+AS&kind=bank&country=NO",
                                  b"name=%C3&kind=bank&country=NO"], ids=["raw latin-1", "escaped latin-1",
                                                                          "cut sequence"])
def test_a_form_body_that_is_not_utf8_gets_a_clear_400_and_saves_nothing(manager_client, body):
    token = manager_client.csrf_token().encode()
    response = manager_client.post("/investors/new", data=b"csrf_token=" + token + b"&" + body,
                                   content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not UTF-8 text" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Investor.id))) == 0


def test_utf8_text_in_the_address_and_the_form_is_taken_as_it_is(manager_client):
    response = manager_client.post("/investors/new", data={"name": "Blåbær Ødegård AS", "kind": "bank",
                                                           "country": "NO"})
    assert response.status_code == 302
    page = page_text(manager_client.get("/investors/", query_string={"q": "blåbær"}))
    assert "Blåbær Ødegård AS" in page


def test_the_api_answers_a_body_that_is_not_utf8_in_json(app, manager_user):
    from crm.api.tokens import create_token
    _row, secret = create_token(manager_user, "ci", manager_user)
    db.session.commit()
    response = app.test_client().open("/api/v1/investors", method="POST", data=b'{"name": "Caf\xe9"}',
                                      headers={"Authorization": f"Bearer {secret}"},
                                      content_type="application/json")
    assert 400 <= response.status_code < 500 and response.is_json


BAD_IDS = ["abc", "-1", "0", "1.5", "99999999999999999999", "1%00", "%00", "1 OR 1=1", "²", "1e3", "0x1"]


@pytest.mark.parametrize("url", ["/contacts/new?investor_id={}", "/contacts/new?startup_id={}",
                                 "/follow-ups/new?deal_id={}", "/timeline/notes/new?startup_id={}",
                                 "/deals/new?startup_id={}", "/deals/new?investor_id={}", "/meetings/new?startup_id={}",
                                 "/meetings/new?investor_id={}", "/follow-ups/?user={}",
                                 "/?startup={}", "/?date_from={}"])
def test_a_bad_record_id_in_the_address_gets_a_clear_answer(manager_client, deal, url):
    for bad in BAD_IDS:
        response = manager_client.get(url.format(bad))
        assert response.status_code in (200, 302, 400, 404), (url, bad, response.status_code)


def test_the_database_still_answers_after_all_this(manager_client):
    assert db.session.execute(text("SELECT 1")).scalar() == 1
    assert manager_client.get("/investors/").status_code == 200
