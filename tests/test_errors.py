"""The app's own error pages, and settings that refuse to start a broken production."""
import importlib

import pytest
from sqlalchemy import func, select

import config
from crm import create_app
from crm.auth.access import public
from crm.extensions import db as _db
from crm.models import Role, User


def assert_own_error_page(response, code, title, text=None):
    assert response.status_code == code
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert title in page
    if text:
        assert text in page
    assert "Go to the overview" in page  # the app's page, not Werkzeug's
    assert "Traceback" not in page
    assert "werkzeug" not in page.lower()
    return page


# --- 404 and 405 ----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/investors/999999",
    "/investors/999999/edit",
    "/startups/999999",
    "/contacts/999999",
    "/meetings/999999",
    "/users/999999/edit",
    "/users/999999/password",
])
def test_a_missing_record_shows_the_apps_not_found_page(admin_client, url):
    assert_own_error_page(admin_client.get(url), 404, "Not found",
                          "There is nothing at this address. It may have been deleted, or the link is wrong.")


def test_deleting_a_missing_record_shows_not_found(admin_client):
    assert_own_error_page(admin_client.post("/investors/999999/delete"), 404, "Not found")


@pytest.mark.parametrize("url", ["/no-such-page", "/investors/not-a-number", "/investors/1/nothing", "/admin"])
def test_an_unknown_address_shows_not_found_to_a_signed_in_user(manager_client, url):
    assert_own_error_page(manager_client.get(url), 404, "Not found")


def test_an_unknown_address_shows_not_found_without_signing_in(client):
    assert_own_error_page(client.get("/no-such-page"), 404, "Not found")


@pytest.mark.parametrize("method,url,allowed", [
    ("GET", "/auth/logout", "POST"),
    ("PUT", "/auth/login", "GET"),
    ("DELETE", "/investors/", "GET"),
    ("PATCH", "/", "GET"),
])
def test_a_wrong_method_shows_method_not_allowed(manager_client, method, url, allowed):
    response = manager_client.open(url, method=method)
    assert_own_error_page(response, 405, "Method not allowed", "This address does not accept this kind of request.")
    assert allowed in response.headers.get("Allow", "")  # HTTP requires it on a 405
    assert method not in response.headers.get("Allow", "")


# --- 413 ------------------------------------------------------------------------------------

OVERSIZED = "x" * (2 * 1024 * 1024 + 1)


def test_an_oversized_login_post_is_refused_with_413(client, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    response = client.post("/auth/login", data={"email": "a@example.com", "password": OVERSIZED})
    assert_own_error_page(response, 413, "Request too large", "What you sent is larger than the server accepts.")


def test_an_oversized_form_post_saves_nothing(manager_client):
    response = manager_client.post("/investors/new", data={"name": "Huge Capital", "kind": "venture_fund",
                                                           "country": "NO", "notes": OVERSIZED})
    assert_own_error_page(response, 413, "Request too large")
    assert "Huge Capital" not in manager_client.get("/investors/").get_data(as_text=True)


def test_a_post_just_under_the_limit_is_not_refused(client):
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "x" * (1024 * 1024)})
    assert response.status_code == 200


# --- 500 ------------------------------------------------------------------------------------

@pytest.fixture()
def crashing_app(tmp_path):
    """A separate app with views that fail, on its own SQLite file."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "crash.sqlite3")})

    @public
    def crash():
        raise RuntimeError("kaboom: secret internals")

    @public
    def crash_after_write():
        _db.session.add(User(email="half@example.com", name="Half Saved", role=Role.ADMIN, password_hash="x"))
        _db.session.flush()
        raise KeyError("boom")

    app.add_url_rule("/crash", "crash", crash)
    app.add_url_rule("/crash-after-write", "crash_after_write", crash_after_write)
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


def test_an_unexpected_error_shows_the_apps_own_page_without_a_traceback(crashing_app, caplog):
    response = crashing_app.test_client().get("/crash")
    page = assert_own_error_page(response, 500, "Something went wrong",
                                 "The error has been logged. Try again, and tell an administrator")
    assert "kaboom" not in page and "secret internals" not in page
    assert "RuntimeError" not in page
    assert any(r.exc_info and "kaboom" in str(r.exc_info[1]) for r in caplog.records)  # it is logged


def test_an_unexpected_error_after_a_write_leaves_nothing_half_saved(crashing_app):
    response = crashing_app.test_client().get("/crash-after-write")
    assert_own_error_page(response, 500, "Something went wrong")
    with crashing_app.app_context():
        assert _db.session.scalar(select(func.count(User.id))) == 0


def test_the_app_keeps_working_after_an_unexpected_error(crashing_app):
    client = crashing_app.test_client()
    assert client.get("/crash-after-write").status_code == 500
    assert client.get("/auth/login").status_code == 200


# --- settings -------------------------------------------------------------------------------

@pytest.fixture()
def environment(monkeypatch):
    """Set or unset environment variables, then re-read config.py as a new process would."""

    def apply(**variables):
        for name, value in variables.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        importlib.reload(config)

    yield apply
    monkeypatch.undo()
    importlib.reload(config)


def test_production_refuses_to_start_without_a_secret_key(environment):
    environment(SECRET_KEY=None, DATABASE_URL=None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_an_empty_secret_key(environment):
    environment(SECRET_KEY="", DATABASE_URL=None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_with_a_postgresql_url_uses_the_psycopg_driver(environment):
    environment(SECRET_KEY="a real secret from the environment",
                DATABASE_URL="postgresql://crm:pw@db.example:5432/crm")
    app = create_app("production")
    try:
        assert app.config["SECRET_KEY"] == "a real secret from the environment"
        assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://crm:pw@db.example:5432/crm"
        assert not app.config.get("TESTING")
        with app.app_context():
            assert _db.engine.dialect.driver == "psycopg"
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.parametrize("url,expected", [
    ("postgresql://crm:pw@localhost:5432/crm", "postgresql+psycopg://crm:pw@localhost:5432/crm"),
    ("postgres://crm:pw@localhost/crm", "postgresql+psycopg://crm:pw@localhost/crm"),
    ("postgresql://u@h/db?sslmode=require", "postgresql+psycopg://u@h/db?sslmode=require"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////var/lib/crm/crm.sqlite3", "sqlite:////var/lib/crm/crm.sqlite3"),
    (None, None),
    ("", ""),
])
def test_database_urls_are_normalised_to_the_psycopg_driver(url, expected):
    assert config.normalize_database_url(url) == expected
