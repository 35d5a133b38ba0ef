"""Connection settings the app gives its database."""
import pytest
from sqlalchemy import text


def test_postgresql_connections_run_without_jit(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting; SQLite has no JIT compiler")
    assert db.session.execute(text("SHOW jit")).scalar() == "off"
