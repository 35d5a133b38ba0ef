"""Sessions end on the server: a copied cookie is worthless after sign-out, a new password or deactivation;
a new session at every sign-in; idle time-out; cookie flags; forms that assign only what they show; 413."""
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from crm import create_app
from crm.common.timeutil import utcnow
from crm.extensions import db as _db
from crm.models import Contact, Role, User, UserSession
from tests import factories
from tests.conftest import PASSWORD, BrowserClient, sign_in
from tests.test_startups import browser_form, page_text

NEW_PASSWORD = "a much longer passphrase"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def age_sign_in(db, user, minutes: int) -> None:
    """Make every session of ``user`` look as if its password was typed ``minutes`` ago."""
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id)
                       .values(authenticated_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def idle_for(db, user, minutes: int) -> None:
    """Make every session of ``user`` look as if its last request was ``minutes`` ago."""
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id)
                       .values(last_seen_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie: str):
    """Open a page in another browser that was given a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/investors/")


def signs_in(response) -> bool:
    if response.status_code == 302:
        assert response.location.startswith("/auth/login"), response.location
        return False
    assert response.status_code == 200
    return True


def session_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("sid")


# --- a copied cookie stops working ----------------------------------------------------------------

def test_a_cookie_copied_before_sign_out_gets_the_sign_in_page_afterwards(app, manager_client):
    copied = session_cookie(manager_client)
    assert signs_in(replay(app, copied))  # the copy works while the session lives: the test can tell

    manager_client.post("/auth/logout")

    response = replay(app, copied)
    assert response.status_code == 302 and response.location == "/auth/login?next=%2Finvestors%2F"
    assert "Sign in" in page_text(app.test_client().get(response.location))


def test_a_cookie_copied_before_a_password_change_gets_the_sign_in_page_afterwards(app, manager_client,
                                                                                  manager_user):
    copied = session_cookie(manager_client)
    other_device = sign_in(app.test_client(), manager_user)
    assert signs_in(replay(app, copied))

    response = manager_client.post("/auth/password", data={"current_password": PASSWORD,
                                                           "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert not signs_in(replay(app, copied))
    assert not signs_in(other_device.get("/investors/"))
    assert signs_in(manager_client.get("/investors/"))  # this browser got a new session with the new password
    assert session_cookie(manager_client) != copied


def test_a_cookie_copied_before_an_admin_resets_the_password_gets_the_sign_in_page(app, manager_client,
                                                                                   admin_client, manager_user):
    copied = session_cookie(manager_client)
    admin_client.post(f"/users/{manager_user.id}/password", data={"password": NEW_PASSWORD,
                                                                  "confirm": NEW_PASSWORD})
    assert not signs_in(replay(app, copied))
    assert not signs_in(manager_client.get("/investors/"))
    assert signs_in(admin_client.get("/investors/"))


def test_a_cookie_copied_before_deactivation_gets_the_sign_in_page_even_after_reactivation(
        app, manager_client, admin_client, manager_user):
    copied = session_cookie(manager_client)

    admin_client.post(f"/users/{manager_user.id}/active")
    assert not signs_in(replay(app, copied))

    admin_client.post(f"/users/{manager_user.id}/active")  # active again: the old session stays ended
    assert not signs_in(replay(app, copied))
    assert not signs_in(manager_client.get("/investors/"))
    assert signs_in(sign_in(app.test_client(), manager_user).get("/investors/"))


def test_signing_out_in_one_browser_leaves_the_other_signed_in(app, manager_user):
    laptop = sign_in(app.test_client(), manager_user)
    phone = sign_in(app.test_client(), manager_user)
    laptop.post("/auth/logout")
    assert not signs_in(laptop.get("/investors/"))
    assert signs_in(phone.get("/investors/"))


# --- a new session at every sign-in -------------------------------------------------------------

def test_signing_in_starts_a_new_session_and_the_cookie_from_before_is_not_reused(app, client, manager_user):
    client.get("/auth/login")
    before = session_cookie(client)

    sign_in(client, manager_user)

    after = session_cookie(client)
    assert after != before
    assert not signs_in(replay(app, before))
    assert signs_in(replay(app, after))


def test_a_session_id_planted_before_sign_in_is_replaced(app, client, manager_user):
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["sid"] = "planted-by-somebody-else"  # as if an attacker had fixed the id beforehand

    sign_in(client, manager_user)

    assert session_id(client) not in (None, "planted-by-somebody-else")
    assert signs_in(client.get("/investors/"))


def test_every_sign_in_gets_its_own_session_id(app, client, manager_user):
    sign_in(client, manager_user)
    first = session_id(client)
    client.post("/auth/logout")
    sign_in(client, manager_user)
    assert session_id(client) not in (None, first)
    assert len(first) >= 40  # 32 random bytes


def test_the_cookie_holds_no_password_or_user_data(client, manager_user):
    sign_in(client, manager_user)
    with client.session_transaction() as session:
        assert set(session) <= {"sid", "_user_id", "_fresh", "_id", "csrf_token", "_flashes"}


# --- idle time-out ----------------------------------------------------------------------------------

def test_a_session_idle_for_longer_than_the_time_out_ends(app, db, manager_client, manager_user):
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 60
    idle_for(db, manager_user, minutes=61)

    response = manager_client.get("/investors/")

    assert response.status_code == 302 and response.location.startswith("/auth/login")
    db.session.expire_all()
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == manager_user.id))
    assert row.ended_at is not None
    idle_for(db, manager_user, minutes=0)  # the clock cannot bring it back: it is ended
    assert not signs_in(manager_client.get("/investors/"))


def test_a_session_used_within_the_time_out_stays_and_its_clock_restarts(app, db, manager_client, manager_user):
    idle_for(db, manager_user, minutes=59)
    assert signs_in(manager_client.get("/investors/"))
    db.session.expire_all()
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == manager_user.id))
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    idle_for(db, manager_user, minutes=59)
    assert signs_in(manager_client.get("/investors/"))


def test_the_idle_time_out_is_configurable(app, db, manager_client, manager_user, monkeypatch):
    monkeypatch.setitem(app.config, "IDLE_TIMEOUT_MINUTES", 5)
    idle_for(db, manager_user, minutes=4)
    assert signs_in(manager_client.get("/investors/"))
    idle_for(db, manager_user, minutes=6)
    assert not signs_in(manager_client.get("/investors/"))


# --- cookie flags ---------------------------------------------------------------------------------

def _session_set_cookie(response) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert headers, response.headers
    return headers[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax_and_not_secure_over_http(client, manager_user):
    response = client.post("/auth/login", data={"email": manager_user.email, "password": PASSWORD})
    header = _session_set_cookie(response)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


@pytest.fixture()
def secure_app(tmp_path):
    """An app configured as for HTTPS, on its own SQLite file, with one manager."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "secure.sqlite3"),
                                 "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True})
    app.test_client_class = BrowserClient
    with app.app_context():
        _db.create_all()
        factories.make_user(role="manager", email="manager@example.com", password=PASSWORD)
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_with_secure_cookies_on_the_session_cookie_is_also_secure(secure_app):
    client = secure_app.test_client()
    response = client.post("/auth/login", data={"email": "manager@example.com", "password": PASSWORD},
                           base_url="https://localhost",
                           headers={"Referer": "https://localhost/auth/login"})  # CSRF checks it over HTTPS
    assert response.status_code == 302
    header = _session_set_cookie(response)
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
    assert client.get("/investors/", base_url="https://localhost").status_code == 200


def test_crm_secure_cookies_1_turns_on_secure_session_and_remember_cookies():
    code = ("import config; c = config.Config; "
            "print(c.SESSION_COOKIE_SECURE, c.REMEMBER_COOKIE_SECURE, c.SESSION_COOKIE_HTTPONLY, "
            "c.REMEMBER_COOKIE_HTTPONLY, c.SESSION_COOKIE_SAMESITE, c.REMEMBER_COOKIE_SAMESITE)")
    env = {k: v for k, v in os.environ.items() if k != "CRM_SECURE_COOKIES"}
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "CRM_SECURE_COOKIES": "1"},
                        capture_output=True, text=True, check=True)
    assert off.stdout.split() == ["False", "False", "True", "True", "Lax", "Lax"]
    assert on.stdout.split() == ["True", "True", "True", "True", "Lax", "Lax"]


# --- forms assign only the fields they show ----------------------------------------------------------

SMUGGLED = {"role": "admin", "active": "0", "password_hash": "x", "totp_secret": "JBSWY3DPEHPK3PXP",
            "totp_enabled_at": "2026-01-01", "deleted_at": "2026-01-01", "erased_at": "2026-01-01",
            "id": "999", "version": "1"}


def test_an_admin_editing_a_user_cannot_smuggle_a_password_or_two_factor_secret(db, admin_client, manager_user):
    data = {**SMUGGLED, "name": "Marte Sæther", "email": "manager@example.com", "role": "manager"}
    assert admin_client.post(f"/users/{manager_user.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, manager_user.id)
    assert user.name == "Marte Sæther" and user.role is Role.MANAGER and user.active
    assert user.check_password(PASSWORD) and user.totp_secret is None and user.totp_enabled_at is None


def test_a_manager_editing_a_contact_cannot_smuggle_trash_or_erasure_fields(db, manager_client):
    investor = factories.make_investor(name="Fjordinvest")
    contact = factories.make_contact(investor, name="Kari Nordmann")
    db.session.commit()
    form = browser_form(manager_client.get(f"/contacts/{contact.id}/edit"), "name")
    form.update({k: [v] for k, v in SMUGGLED.items() if k != "version"})
    form["title"] = ["Partner"]
    assert manager_client.post(f"/contacts/{contact.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Contact, contact.id)
    assert saved.title == "Partner" and saved.deleted_at is None and saved.erased_at is None
    assert manager_client.get(f"/contacts/{contact.id}").status_code == 200


def test_the_two_factor_setup_form_cannot_change_the_role(db, viewer_client, viewer_user):
    import pyotp
    secret = pyotp.random_base32()
    response = viewer_client.post("/auth/two-factor/enable", data={"secret": secret, "code": pyotp.TOTP(secret).now(),
                                                                   "role": "admin", "email": "x@example.com"})
    assert response.status_code == 200
    db.session.expire_all()
    user = db.session.get(User, viewer_user.id)
    assert user.role is Role.VIEWER and user.email == "viewer@example.com" and user.has_two_factor
    assert viewer_client.get("/users/").status_code == 403


# --- request size ---------------------------------------------------------------------------------

def test_the_request_size_limit_is_the_configured_one(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "small.sqlite3"),
                                 "MAX_CONTENT_LENGTH": 4096})
    app.test_client_class = BrowserClient
    client = app.test_client()
    # No email: the form is refused before any database query, so this app needs no tables.
    small = client.post("/auth/login", data={"email": "", "password": "x" * 3000})
    large = client.post("/auth/login", data={"email": "", "password": "x" * 5000})
    assert small.status_code == 200
    assert large.status_code == 413
    assert "Request too large" in page_text(large)
    with app.app_context():
        _db.engine.dispose()
