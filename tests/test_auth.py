"""Signing in and out, where sign-in leads, CSRF refusals, and changing one's own password."""
import re

import pytest
from flask import g
from sqlalchemy import func, select

from crm.extensions import db as _db
from crm.models import Investor
from tests import factories
from tests.conftest import PASSWORD, BrowserClient

LOGIN_FAILED = "Wrong email or password, or the account is deactivated."
NEW_PASSWORD = "a much longer passphrase"


class Browser(BrowserClient):
    """One person's browser; several may be open in one test.

    The ``db`` fixture keeps one app context open for the whole test and Flask reuses it
    for every request, so Flask-Login's cached user (``g._login_user``) would carry one
    browser's sign-in over to the next request of another browser. A real server starts
    every request with an empty ``g``; so does this client.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture()
def browser(app, db):
    """Open a new browser, signed in as ``email`` when one is given."""

    def open_browser(email=None, password=PASSWORD):
        client = Browser(app, app.response_class, use_cookies=True)
        if email:
            response = log_in(client, email, password)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return open_browser


def log_in(client, email, password, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def field_errors(page: str, field_id: str) -> str:
    """The error text shown under one form field ('' when there is none)."""
    match = re.search(rf'<div id="{field_id}-errors"[^>]*>(.*?)</div>', page, re.S)
    return match.group(1).strip() if match else ""


def is_signed_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert "/auth/login" in response.location
        return False
    assert response.status_code == 200
    return True


# --- signing in -------------------------------------------------------------------------

def test_the_login_page_shows_the_sign_in_form(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in" in page
    assert 'name="email"' in page and 'name="password"' in page


def test_signing_in_lands_on_the_dashboard_with_ones_name(client, manager_user):
    response = log_in(client, "manager@example.com", PASSWORD)
    assert response.status_code == 302
    assert response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "<h1 class=\"h3 mb-0\">Dashboard</h1>" in page
    assert "Manager User" in page


def test_signing_in_ignores_the_case_of_the_email(client, manager_user):
    assert log_in(client, "Manager@Example.COM", PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_last_sign_in_is_shown_on_the_user_list(browser, admin_user, manager_user):
    browser("manager@example.com")
    page = browser("admin@example.com").get("/users/").get_data(as_text=True)
    row = page.split("manager@example.com", 1)[1].split("</tr>", 1)[0]
    assert "—" not in row


@pytest.mark.parametrize("email,password", [
    ("manager@example.com", "wrong password here"),
    ("nobody@example.com", PASSWORD),
    ("nobody@example.com", "wrong password here"),
])
def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client, manager_user, email, password):
    response = log_in(client, email, password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert LOGIN_FAILED in page
    assert "does not exist" not in page and "unknown" not in page.lower()
    assert f'value="{email}"' in page  # what was typed stays
    assert not is_signed_in(client)


def test_a_deactivated_user_cannot_sign_in_and_gets_the_same_message(client, db, manager_user):
    manager_user.active = False
    db.session.commit()
    response = log_in(client, "manager@example.com", PASSWORD)
    assert response.status_code == 200
    assert LOGIN_FAILED in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_an_empty_login_form_asks_for_the_fields(client):
    response = log_in(client, "", "")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_errors(page, "email")
    assert field_errors(page, "password")
    assert not is_signed_in(client)


def test_a_signed_in_user_opening_the_login_page_goes_to_the_dashboard(manager_client):
    response = manager_client.get("/auth/login")
    assert response.status_code == 302
    assert response.location == "/"


# --- where sign-in leads ----------------------------------------------------------------

def test_a_page_asked_for_before_sign_in_opens_after_sign_in(client, manager_user):
    response = client.get("/investors/")
    assert response.status_code == 302
    login_url = response.location
    assert login_url.startswith("/auth/login?next=")
    page = client.get(login_url).get_data(as_text=True)
    assert 'value="/investors/"' in page  # the hidden next field
    response = log_in(client, "manager@example.com", PASSWORD, next="/investors/")
    assert response.status_code == 302
    assert response.location == "/investors/"
    assert "Investors" in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize("target,lands_on", [
    ("/investors/", "/investors/"),
    ("/investors/?q=fjord&page=2", "/investors/?q=fjord&page=2"),
    ("https://evil.example", "/"),
    ("https://evil.example/auth/login", "/"),
    ("//evil.example", "/"),
    ("//evil.example/investors/", "/"),
    ("/\\evil.example", "/"),
    ("\\\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("http:/evil.example", "/"),
    ("", "/"),
])
def test_next_is_followed_only_to_a_page_on_this_site(client, manager_user, target, lands_on):
    response = log_in(client, "manager@example.com", PASSWORD, next=target)
    assert response.status_code == 302
    assert response.location == lands_on


# --- signing out ------------------------------------------------------------------------

def test_sign_out_is_not_a_link_get_is_refused_with_405(manager_client):
    response = manager_client.get("/auth/logout")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)
    assert is_signed_in(manager_client)


def test_after_signing_out_pages_redirect_to_the_login(manager_client):
    response = manager_client.post("/auth/logout")
    assert response.status_code == 302
    assert response.location == "/auth/login"
    assert "You are signed out." in manager_client.get("/auth/login").get_data(as_text=True)
    for url in ("/", "/investors/", "/auth/password"):
        response = manager_client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.location


def test_a_user_deactivated_by_an_admin_is_signed_out_at_their_next_request(browser, admin_user, viewer_user):
    viewer = browser("viewer@example.com")
    admin = browser("admin@example.com")
    assert is_signed_in(viewer)

    response = admin.post(f"/users/{viewer_user.id}/active", follow_redirects=True)
    assert "viewer@example.com is deactivated and can no longer sign in." in response.get_data(as_text=True)

    response = viewer.get("/investors/")
    assert response.status_code == 302
    assert "/auth/login" in response.location
    assert not is_signed_in(viewer)
    assert is_signed_in(admin)


# --- CSRF -------------------------------------------------------------------------------

def _investor_count():
    return _db.session.scalar(select(func.count(Investor.id)))


def test_a_login_post_without_csrf_token_is_refused(client, manager_user):
    response = client.post("/auth/login", data={"email": "manager@example.com", "password": PASSWORD},
                           csrf=False)
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_a_create_form_post_without_csrf_token_is_refused_and_nothing_is_created(manager_client):
    data = {"name": "Forged Capital", "kind": "venture_fund", "status": "active", "country": "NO",
            "currency": "NOK", "owner_id": "0"}
    response = manager_client.post("/investors/new", data=data, csrf=False)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The form had expired" in page
    assert "Traceback" not in page
    assert _investor_count() == 0
    assert "Forged Capital" not in manager_client.get("/investors/").get_data(as_text=True)

    # The same form with its token is accepted: the refusal was the token, not the data.
    response = manager_client.post("/investors/new", data=data)
    assert response.status_code == 302
    assert _investor_count() == 1


def test_a_delete_post_without_csrf_token_is_refused_and_the_record_stays(db, manager_client):
    investor = factories.make_investor(name="Fjordkapital Vekst")
    db.session.commit()
    response = manager_client.post(f"/investors/{investor.id}/delete", csrf=False)
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    page = manager_client.get(f"/investors/{investor.id}")
    assert page.status_code == 200
    assert "Fjordkapital Vekst" in page.get_data(as_text=True)


def test_a_logout_post_without_csrf_token_is_refused_and_one_stays_signed_in(manager_client):
    response = manager_client.post("/auth/logout", csrf=False)
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert is_signed_in(manager_client)


# --- one's own password -----------------------------------------------------------------

def test_the_change_password_page_is_open_to_a_viewer(viewer_client):
    response = viewer_client.get("/auth/password")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Change password" in page
    assert "At least 12 characters." in page


@pytest.mark.parametrize("current,new,confirm,field,message", [
    ("not my password!", NEW_PASSWORD, NEW_PASSWORD, "current_password", "This is not your current password."),
    (PASSWORD, "short pw", "short pw", "new_password", "Use at least 12 characters."),
    (PASSWORD, "eleven char", "eleven char", "new_password", "Use at least 12 characters."),
    (PASSWORD, "viewer@example.com", "viewer@example.com", "new_password",
     "The password cannot be the email address."),
    (PASSWORD, "VIEWER@example.com", "VIEWER@example.com", "new_password",
     "The password cannot be the email address."),
    (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "confirm", "The passwords differ."),
])
def test_a_refused_password_change_shows_the_message_next_to_the_field(viewer_client, current, new, confirm,
                                                                       field, message):
    response = viewer_client.post("/auth/password", data={"current_password": current, "new_password": new,
                                                          "confirm": confirm})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in field_errors(page, field)
    assert "Your password is changed." not in page

    viewer_client.post("/auth/logout")
    assert log_in(viewer_client, "viewer@example.com", PASSWORD).status_code == 302  # the old one still works


@pytest.mark.parametrize("role", ["viewer", "manager", "admin"])
def test_after_changing_the_password_only_the_new_one_signs_in(app, request, role):
    client = request.getfixturevalue(f"{role}_client")
    response = client.post("/auth/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"
    assert "Your password is changed." in client.get("/").get_data(as_text=True)
    client.post("/auth/logout")

    response = log_in(client, f"{role}@example.com", PASSWORD)
    assert response.status_code == 200
    assert LOGIN_FAILED in response.get_data(as_text=True)
    assert log_in(client, f"{role}@example.com", NEW_PASSWORD).status_code == 302
    assert is_signed_in(client)

