"""The browser suite's fixtures: the app served on 127.0.0.1 from a fresh SQLite file, and Debian's Chromium.

The server is the real app (CSRF, Content-Security-Policy, sessions) run by werkzeug in a thread, with
its schema built by the migrations and one user per role. It has nothing to do with the main suite's
``app`` fixture, which keeps its own database. Every page a test opens goes through a route that lets
only 127.0.0.1 through: a request anywhere else is refused and fails the test.

Chromium comes from ``apt-get install chromium`` (the Playwright download is not used). Without it the
suite is skipped with a message, except in CI (``CI=true``), where that is a failure.
"""
import os
import re
import shutil
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from crm import create_app
from crm.extensions import db

CHROMIUM = os.environ.get("CRM_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery"
ROLES = ("admin", "manager", "viewer")


def email_of(role: str) -> str:
    return f"{role}@browser.example"


@dataclass
class LiveServer:
    app: object
    url: str

    def data(self):
        """An app context for setting up records directly (commit before the page reads them)."""
        return self.app.app_context()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # a line per request would drown a failure's output
        pass


def _buffered(app):
    """The app with each response read whole and closed at once.

    werkzeug's server closes a response (and the static file behind it) only after draining the
    socket, which raises when the browser has already gone (a page closed while a font loads): the
    file would be left open, a ResourceWarning. Pages and assets are small, so holding them is cheap.
    """

    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(database_file, seed, **overrides) -> tuple[LiveServer, object]:
    """Migrate a fresh SQLite file, run ``seed()`` in the app, start the server; returns it and its stopper."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_file}", **overrides})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        seed()
        db.session.commit()
    server = make_server("127.0.0.1", _free_port(), _buffered(app), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="browser-suite-server", daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        thread.join(10)
        with app.app_context():
            db.engine.dispose()

    return LiveServer(app, f"http://127.0.0.1:{server.server_port}"), stop


def seed_users():
    from crm.models import Role
    from crm.users.services import UserData, create_user
    for role in ROLES:
        create_user(UserData(email=email_of(role), name=f"{role.title()} Person", role=Role(role)), PASSWORD)


def pytest_collection_modifyitems(config, items):
    """In the PostgreSQL pass (TEST_DATABASE_URL set) skip this folder before its server or browser starts."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="the browser suite runs on its own SQLite database, so only in the SQLite pass")
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(skip)


@pytest.fixture(scope="package")
def live_server(tmp_path_factory):
    server, stop = serve(tmp_path_factory.mktemp("browser") / "crm.sqlite3", seed_users)
    yield server
    stop()


@pytest.fixture(scope="package")
def chromium():
    """Debian's Chromium through Playwright, headless; skipped (failed in CI) when it is not installed."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium): browser tests not run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture()
def outside_requests():
    """Every request a page tried to make to somewhere other than 127.0.0.1."""
    return []


def guarded_context(browser, server: LiveServer, outside: list, **options):
    """A fresh browser context on ``server`` whose requests outside 127.0.0.1 are refused and noted in ``outside``."""

    def guard(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    options.setdefault("locale", "en-GB")
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=server.url, **options)
    context.set_default_timeout(10_000)
    context.route("**/*", guard)
    return context


@pytest.fixture()
def open_context(chromium, live_server, outside_requests):
    """Make browser contexts (a fresh, signed-out browser each) that may talk only to 127.0.0.1."""
    contexts = []

    def make(server=None, **options):
        context = guarded_context(chromium, server or live_server, outside_requests, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert outside_requests == [], f"pages requested addresses outside 127.0.0.1: {outside_requests}"


@pytest.fixture()
def tab(open_context):
    """A page in a fresh, signed-out browser (not pytest-playwright's ``page``: this one is guarded)."""
    return open_context().new_page()


def sign_in(page, role: str, password: str = PASSWORD, email: str | None = None):
    """Sign in through the form, as a person does (in the page's language: English or Norwegian)."""
    page.goto("/auth/login")
    page.get_by_label(re.compile("^(Email|E-post)$")).fill(email or email_of(role))
    page.get_by_label(re.compile("^(Password|Passord)$")).fill(password)
    page.get_by_role("button", name=re.compile("^(Sign in|Logg inn)$")).click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
    return page


@pytest.fixture()
def manager_page(tab):
    return sign_in(tab, "manager")


@pytest.fixture()
def viewer_page(tab):
    return sign_in(tab, "viewer")
