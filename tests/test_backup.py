"""Backups: `flask --app crm backup PATH` while the app runs, then `restore PATH --yes` brings the old data
back. On a SQLite file and, when TEST_DATABASE_URL names a server, on a scratch PostgreSQL database."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import normalize_database_url
from crm import create_app
from crm.extensions import db
from tests import factories
from tests.conftest import PASSWORD, BrowserClient, sign_in
from tests.test_startups import browser_form, page_text

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture()
def database_url(request, tmp_path):
    """A new, empty database of the given kind, dropped afterwards (never the shared test database)."""
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "live.sqlite3")
        return
    server = sa.make_url(normalize_database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"crm_backup_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture()
def live_app(database_url):
    """The app on its own database, with an admin, an investor and a person there."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = BrowserClient
    with app.app_context():
        db.create_all()
        factories.make_user(role="admin", email="admin@example.com", name="Admin User", password=PASSWORD)
        fjord = factories.make_investor(name="Fjordinvest Øst")
        factories.make_contact(fjord, name="Kari Nordmann", email="kari@fjordinvest.no")
        db.session.commit()
        db.session.remove()
        yield app
        db.session.remove()
        db.engine.dispose()


def admin_browser(app):
    from crm.models import User
    user = db.session.scalar(sa.select(User).where(User.email == "admin@example.com"))
    client = sign_in(app.test_client(), user)
    db.session.remove()
    return client


def investor_id(name):
    from crm.models import Investor
    found = db.session.scalar(sa.select(Investor.id).where(Investor.name == name))
    db.session.remove()
    return found


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_a_backup_taken_while_the_app_runs_restores_the_old_data(live_app, tmp_path):
    runner = live_app.test_cli_runner()
    browser = admin_browser(live_app)
    fjord_id = investor_id("Fjordinvest Øst")
    assert "Fjordinvest Øst" in page_text(browser.get("/investors/"))
    target = tmp_path / "backups" / "crm.backup"

    # Somebody is in the middle of a save while the backup runs: a consistent copy leaves it out.
    with db.engine.connect() as other_worker:
        other_worker.execute(sa.text("UPDATE investors SET name = 'Half-saved' WHERE id = :id"), {"id": fjord_id})
        result = runner.invoke(args=["backup", str(target)])
        other_worker.rollback()

    assert result.exit_code == 0, result.output
    assert f"Backup written to {target}" in result.output
    assert target.is_file() and target.stat().st_size > 0

    later = admin_browser(live_app)  # signs in after the backup
    form = browser_form(browser.get(f"/investors/{fjord_id}/edit"), "name")
    form["name"] = ["Fjordinvest Vest"]
    assert browser.post(f"/investors/{fjord_id}/edit", data=form).status_code == 302
    assert browser.post("/investors/new", data={"name": "Added After Backup", "kind": "bank", "status": "active",
                                                "country": "NO", "currency": "NOK", "owner_id": "0"}).status_code == 302
    assert "Fjordinvest Vest" in page_text(browser.get("/investors/"))

    result = runner.invoke(args=["restore", str(target), "--yes"])

    assert result.exit_code == 0, result.output
    assert f"Restored from {target}" in result.output
    # A session begun after the backup is unknown to the restored database; one from before still works.
    assert later.get("/investors/").status_code == 302
    listing = page_text(browser.get("/investors/"))
    assert "Fjordinvest Øst" in listing
    assert "Fjordinvest Vest" not in listing and "Added After Backup" not in listing and "Half-saved" not in listing
    detail = page_text(browser.get(f"/investors/{fjord_id}"))
    assert "Kari Nordmann" in detail
    # The restored database takes new writes.
    assert browser.post("/investors/new", data={"name": "Added After Restore", "kind": "bank", "status": "active",
                                                "country": "NO", "currency": "NOK", "owner_id": "0"}).status_code == 302
    assert "Added After Restore" in page_text(browser.get("/investors/"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_restore_asks_first_and_answering_no_changes_nothing(live_app, tmp_path):
    runner = live_app.test_cli_runner()
    target = tmp_path / "crm.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    browser = admin_browser(live_app)
    browser.post("/investors/new", data={"name": "Kept", "kind": "bank", "status": "active", "country": "NO",
                                         "currency": "NOK", "owner_id": "0"})

    result = runner.invoke(args=["restore", str(target)], input="n\n")

    assert result.exit_code != 0
    assert "This replaces everything in the database with the backup." in result.output
    assert investor_id("Kept") is not None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_restore_from_a_missing_file_fails_clearly(live_app, tmp_path):
    result = live_app.test_cli_runner().invoke(args=["restore", str(tmp_path / "nothing.backup"), "--yes"])
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert investor_id("Fjordinvest Øst") is not None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_flask_command_backs_up_and_restores_the_database_named_in_the_environment(live_app, database_url,
                                                                                        tmp_path):
    """What an operator types, in a process of its own, with the settings from the environment."""
    flask = str(Path(sys.executable).with_name("flask"))
    env = {**os.environ, "CRM_ENV": "development", "DATABASE_URL": database_url}
    env.pop("TEST_DATABASE_URL", None)
    target = tmp_path / "nightly.backup"

    done = subprocess.run([flask, "--app", "crm", "backup", str(target)], env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE investors SET name = 'Changed Later'"))
    db.engine.dispose()
    done = subprocess.run([flask, "--app", "crm", "restore", str(target), "--yes"], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr

    assert investor_id("Fjordinvest Øst") is not None
    assert investor_id("Changed Later") is None
