"""Sign-in attempts are limited per address and per account, with one message for every failure; only
failures count; the 429 is the app's own page. Runs on an app of its own with small limits switched on."""
from datetime import timedelta

import pyotp
import pytest

from crm import create_app
from crm.common.timeutil import utcnow
from crm.extensions import db, limiter
from tests import factories
from tests.conftest import PASSWORD, BrowserClient
from tests.test_startups import page_text

LOGIN_FAILED = "Wrong email or password, or the account is deactivated."
PER_ADDRESS, PER_ACCOUNT = 6, 3


@pytest.fixture()
def limited_app(tmp_path):
    """An app with rate limits on (off in the shared test app), its own SQLite file, and two users."""
    switched_on_before = limiter.enabled
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "limits.sqlite3"),
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_LIMIT_PER_ADDRESS": f"{PER_ADDRESS} per minute", "LOGIN_LIMIT_PER_ACCOUNT": f"{PER_ACCOUNT} per minute",
    })
    app.test_client_class = BrowserClient
    with app.app_context():
        db.create_all()
        factories.make_user(role="manager", email="manager@example.com", password=PASSWORD)
        factories.make_user(role="viewer", email="viewer@example.com", password=PASSWORD)
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()
    # Flask-Limiter keeps its on/off switch on the one Limiter object that every app in this process shares.
    limiter.enabled = switched_on_before


def attempt(app, email, password, address="192.0.2.1"):
    """One sign-in from a fresh browser at ``address``."""
    client = app.test_client()
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def assert_too_many(response):
    assert response.status_code == 429
    page = page_text(response)
    assert "Too many requests" in page
    assert "Too many attempts. Wait a little and try again." in page
    assert "<nav" in page  # the app's own page, not Flask-Limiter's plain text
    assert int(response.headers["Retry-After"]) > 0
    assert "Content-Security-Policy" in response.headers


def test_an_account_is_locked_for_a_while_after_a_few_wrong_passwords_from_any_address(limited_app):
    for n, email in enumerate(["manager@example.com", "Manager@Example.com", " MANAGER@example.com"]):
        response = attempt(limited_app, email, "wrong password!!", address=f"198.51.100.{n}")
        assert response.status_code == 200 and LOGIN_FAILED in page_text(response)

    assert_too_many(attempt(limited_app, "manager@example.com", "wrong password!!", address="203.0.113.9"))
    # Even the right password waits now: the limit is on the account, not on the guesses.
    assert_too_many(attempt(limited_app, "manager@example.com", PASSWORD, address="203.0.113.10"))
    # Other accounts are not affected.
    assert attempt(limited_app, "viewer@example.com", PASSWORD, address="198.51.100.0").status_code == 302


def test_an_address_is_limited_across_accounts(limited_app):
    for n in range(PER_ADDRESS):
        response = attempt(limited_app, f"guess{n}@example.com", "wrong password!!")
        assert response.status_code == 200 and LOGIN_FAILED in page_text(response)

    assert_too_many(attempt(limited_app, "viewer@example.com", PASSWORD))
    assert attempt(limited_app, "viewer@example.com", PASSWORD, address="192.0.2.77").status_code == 302


def test_a_wrong_email_and_a_wrong_password_get_the_same_answers_up_to_the_same_limit(limited_app):
    answers = {}
    for email in ("manager@example.com", "nobody@example.com"):
        answers[email] = []
        for n in range(PER_ACCOUNT + 1):
            response = attempt(limited_app, email, "wrong password!!", address=f"198.51.100.{n}")
            text = page_text(response)
            answers[email].append((response.status_code, LOGIN_FAILED in text, "Too many attempts" in text))
    assert answers["manager@example.com"] == answers["nobody@example.com"]
    assert answers["nobody@example.com"] == [(200, True, False)] * PER_ACCOUNT + [(429, False, True)]


def test_successful_sign_ins_do_not_count(limited_app):
    for _ in range(PER_ADDRESS + PER_ACCOUNT):
        client = limited_app.test_client()
        response = client.post("/auth/login", data={"email": "manager@example.com", "password": PASSWORD})
        assert response.status_code == 302
        client.post("/auth/logout")
    for _ in range(PER_ACCOUNT):
        assert attempt(limited_app, "manager@example.com", "wrong password!!").status_code == 200
    assert_too_many(attempt(limited_app, "manager@example.com", "wrong password!!"))


def test_opening_the_sign_in_page_is_not_limited(limited_app):
    client = limited_app.test_client()
    for _ in range(PER_ADDRESS * 2):
        assert client.get("/auth/login").status_code == 200


def test_guessing_the_second_factor_is_limited_too(limited_app):
    from crm.models import User
    from sqlalchemy import select
    secret = pyotp.random_base32()
    user = db.session.scalar(select(User).where(User.email == "manager@example.com"))
    user.totp_secret, user.totp_enabled_at = secret, utcnow() - timedelta(days=1)
    db.session.commit()
    totp = pyotp.TOTP(secret)
    wrong = next(code for code in ("123456", "654321", "111111") if not totp.verify(code, valid_window=1))

    client = limited_app.test_client()
    assert client.post("/auth/login", data={"email": "manager@example.com", "password": PASSWORD}).status_code == 302
    for _ in range(PER_ACCOUNT):
        assert client.post("/auth/login/code", data={"code": wrong}).status_code == 200
    assert_too_many(client.post("/auth/login/code", data={"code": totp.now()}))
