"""Indexes for the pages at a decade of data: live records in list order, board columns, column totals, and
trigram indexes for name search on PostgreSQL.

Revision ID: a7indexes001
Revises: a6userlocale
Create Date: 2026-11-30 05:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7indexes001'
down_revision = 'a6userlocale'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_investors_deleted_at_name_sort", "investors", ["deleted_at", "name_sort"]),
    ("ix_startups_deleted_at_name_sort", "startups", ["deleted_at", "name_sort"]),
    ("ix_deals_stage_deleted_at_updated_at", "deals", ["stage", "deleted_at", "updated_at"]),
    ("ix_deals_totals", "deals", ["stage", "deleted_at", "currency", "expected_amount", "committed_amount"]),
]
TRIGRAM = ["investors", "startups", "contacts"]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Trusted since PostgreSQL 13: the database owner may create it. It stays on downgrade, since
        # other objects may use it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in TRIGRAM:
            op.create_index(f"ix_{table}_name_search_trgm", table, ["name_search"], unique=False,
                            postgresql_using="gin", postgresql_ops={"name_search": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TRIGRAM:
            op.drop_index(f"ix_{table}_name_search_trgm", table_name=table)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
