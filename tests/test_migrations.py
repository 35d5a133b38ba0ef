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
from crm.models.base import for_this_database


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
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": for_this_database(conn.dialect.name)})
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


def test_meetings_follow_up_dates_become_follow_ups_and_none_is_lost(empty_database_url):
    """8da11y000001 moves each meeting's follow-up date into a follow-up on that meeting; one that a later
    meeting of the same startup and investor settled is recorded as done at that meeting's time."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    stamp = "'2026-01-01 10:00:00'"
    with app.app_context():
        upgrade(revision="6d7a54e0trash")
        with db.engine.begin() as conn:
            run = lambda sql: conn.execute(sa.text(sql))  # noqa: E731
            run("INSERT INTO users (id, email, password_hash, role, active, name, name_search, name_sort, "
                f"created_at, updated_at) VALUES (1, 'mari@example.com', 'x', 'manager', true, 'Mari Haugen', "
                f"'mari haugen', 'mari haugen', {stamp}, {stamp})")
            run("INSERT INTO startups (id, name, name_search, name_sort, incubator_status, therapeutic_area, "
                "modality, development_stage, round_currency, created_at, updated_at, version) VALUES (1, 'Ørn', "
                f"'ørn', '|rn', 'incubatee', 'solid_tumours', 'antibody', 'discovery', 'NOK', {stamp}, {stamp}, 1)")
            run("INSERT INTO investors (id, name, name_search, name_sort, kind, status, country, currency, "
                f"created_at, updated_at, version) VALUES (1, 'Fjord', 'fjord', 'fjord', 'bank', 'active', 'NO', "
                f"'NOK', {stamp}, {stamp}, 1)")
            meetings = [  # id, starts_at, follow_up_on, next_steps, title
                (1, "2026-01-05 09:00:00", "'2026-01-20'", "'Send the deck\nand the data'", "NULL"),
                (2, "2026-01-12 09:00:00", "NULL", "NULL", "'Second pitch'"),  # held later: settles meeting 1
                (3, "2026-01-15 09:00:00", "'2026-02-01'", "NULL", "'DD kick-off'"),  # nothing after it
                (4, "2026-01-16 09:00:00", "'2026-02-02'", "NULL", "NULL"),  # only the investor took part
            ]
            for meeting_id, starts_at, follow_up_on, next_steps, title in meetings:
                run("INSERT INTO meetings (id, starts_at, duration_minutes, kind, title, title_search, next_steps, "
                    f"follow_up_on, created_by_id, created_at, updated_at, version) VALUES ({meeting_id}, "
                    f"'{starts_at}', 60, 'pitch', {title}, '', {next_steps}, {follow_up_on}, 1, {stamp}, {stamp}, 1)")
            for meeting_id in (1, 2, 3):
                run(f"INSERT INTO meeting_startups (meeting_id, startup_id) VALUES ({meeting_id}, 1)")
            for meeting_id in (1, 2, 3, 4):
                run(f"INSERT INTO meeting_investors (meeting_id, investor_id) VALUES ({meeting_id}, 1)")
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT meeting_id, title, due_on, assignee_id, created_by_id, done_at, version FROM follow_ups "
                "ORDER BY meeting_id")).all()
            kept = conn.execute(sa.text("SELECT count(*) FROM meetings")).scalar()
        assert kept == 4
        assert [(r[0], r[1], str(r[2]), r[3], r[4], str(r[5])[:19] if r[5] else None, r[6]) for r in rows] == [
            (1, "Send the deck", "2026-01-20", 1, 1, "2026-01-12 09:00:00", 1),
            (3, "Follow up on DD kick-off", "2026-02-01", 1, 1, None, 1),
            (4, "Follow up on the meeting of 2026-01-16", "2026-02-02", 1, 1, None, 1),
        ]
        downgrade(revision="6d7a54e0trash")
        with db.engine.connect() as conn:
            dates = conn.execute(sa.text("SELECT id, follow_up_on FROM meetings ORDER BY id")).all()
        assert [(i, str(d) if d else None) for i, d in dates] == [
            (1, "2026-01-20"), (2, None), (3, "2026-02-01"), (4, "2026-02-02")]
        db.engine.dispose()
