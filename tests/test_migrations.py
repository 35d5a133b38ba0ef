"""The migrations alone build exactly the models' schema, on SQLite and on PostgreSQL, and undo cleanly."""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import normalize_database_url
from crm import create_app
from crm.extensions import db


@pytest.fixture()
def empty_database_url(tmp_path):
    """A URL of a new, empty database of the kind the suite runs on."""
    test_url = os.environ.get("TEST_DATABASE_URL")
    if not test_url:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    server = sa.make_url(normalize_database_url(test_url))
    name = f"crm_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _schema_differences(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_build_exactly_the_models_schema(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        assert _schema_differences(app) == []
        db.engine.dispose()


def test_migrations_undo_to_an_empty_database(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_upgrading_keeps_the_rows_that_were_there(empty_database_url):
    """Each migration runs on a database with data: nothing saved before is lost."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="569ba638439c")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO investors (id, name, name_search, name_sort, kind, status, country, currency, "
                "created_at, updated_at, version) VALUES (1, 'Fjord Øst', 'fjord øst', 'fjord |st', 'bank', "
                "'active', 'NO', 'NOK', '2026-01-01 10:00:00', '2026-01-01 10:00:00', 1)"))
            conn.execute(sa.text(
                "INSERT INTO contacts (id, investor_id, name, name_search, name_sort, email, created_at, updated_at, "
                "version) VALUES (1, 1, 'Kari Nordmann', 'kari nordmann', 'kari nordmann', 'kari@example.com', "
                "'2026-01-01 10:00:00', '2026-01-01 10:00:00', 1)"))
        upgrade()
        with db.engine.connect() as conn:
            investor = conn.execute(sa.text("SELECT name, deleted_at FROM investors")).one()
            contact = conn.execute(sa.text("SELECT name, email, legal_basis FROM contacts")).one()
        assert tuple(investor) == ("Fjord Øst", None)
        assert tuple(contact) == ("Kari Nordmann", "kari@example.com", "legitimate_interest")
        db.engine.dispose()
