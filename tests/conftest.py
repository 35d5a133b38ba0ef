"""Fixtures: the app on a fresh schema, a client that sends CSRF tokens like a browser, one user per role.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL names one.
"""
import hashlib
import os
import tempfile
from datetime import datetime, timezone

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from itsdangerous import URLSafeTimedSerializer

from crm import create_app
from crm.common import timeutil
from crm.extensions import db as _db
from tests import factories

# Property-based tests: few examples so that the suite stays quick, no deadline (a request may wait for the
# database), and no example database; what Hypothesis still caches goes to the temporary folder, not into
# a .hypothesis directory in the working tree.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "crm-tests-hypothesis"))
settings.register_profile("crm", max_examples=25, deadline=None, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile("crm")

PASSWORD = "correct horse battery"
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=timezone.utc)  # noon in Oslo, the time a frozen clock starts at


class BrowserClient(FlaskClient):
    """A test client that behaves like one browser talking to a real server.

    Each request runs in an app context of its own, as in production: the ``db`` fixture
    keeps an app context open for the test, and without this every request would reuse
    it, sharing ``g`` (and so the signed-in user) between clients. Form posts carry a
    valid CSRF token, as a browser's would; pass ``csrf=False`` to post without one.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            if "csrf_token" not in session:
                session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
            raw = session["csrf_token"]
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    overrides = {}
    if not os.environ.get("TEST_DATABASE_URL"):
        overrides["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app("testing", overrides)
    app.test_client_class = BrowserClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()  # tests only; the app's schema comes from migrations (see test_migrations)
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database inside an app context, emptied after each test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


def _user(db, role):
    user = factories.make_user(role=role, email=f"{role}@example.com", name=f"{role.title()} User",
                               password=PASSWORD)
    db.session.commit()
    return user


@pytest.fixture()
def admin_user(db):
    return _user(db, "admin")


@pytest.fixture()
def manager_user(db):
    return _user(db, "manager")


@pytest.fixture()
def viewer_user(db):
    return _user(db, "viewer")


def sign_in(client, user, password=PASSWORD):
    """Sign in through the login form, as a person would."""
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture()
def cluster(db, manager_user):
    """The fixed data set of tests/dataset.py, whose figures the pipeline and dashboard tests work out by hand."""
    from tests import dataset
    return dataset.build()


@pytest.fixture()
def admin_client(app, admin_user):
    return sign_in(app.test_client(), admin_user)


@pytest.fixture()
def manager_client(app, manager_user):
    return sign_in(app.test_client(), manager_user)


@pytest.fixture()
def viewer_client(app, viewer_user):
    return sign_in(app.test_client(), viewer_user)


@pytest.fixture()
def clock(monkeypatch):
    """Freezes the time the app sees at NOW; ``clock(moment)`` moves it (code that reads timeutil.utcnow)."""

    def set_time(moment: datetime):
        monkeypatch.setattr(timeutil, "utcnow", lambda: moment)

    set_time(NOW)
    return set_time
