"""Index for the dashboard: deal stage changes by time, so that the median days in each stage only look at the
deals that changed stage in the period.

Revision ID: a8dashidx001
Revises: a7indexes001
Create Date: 2026-11-30 06:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a8dashidx001'
down_revision = 'a7indexes001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_deal_stage_changes_at_deal_id", "deal_stage_changes", ["at", "deal_id"], unique=False)


def downgrade():
    op.drop_index("ix_deal_stage_changes_at_deal_id", table_name="deal_stage_changes")
