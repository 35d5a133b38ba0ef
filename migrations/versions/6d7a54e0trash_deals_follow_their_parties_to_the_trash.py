"""Deals go to the trash with their startup or investor (and come back with it).

Revision ID: 6d7a54e0trash
Revises: 4dea1s0001ab
Create Date: 2026-11-30 02:13:35.572375

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d7a54e0trash'
down_revision = '4dea1s0001ab'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deals_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deals_deleted_by_id_users'), 'users', ['deleted_by_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deals_deleted_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deals_deleted_at'))
        batch_op.drop_column('deleted_by_id')
        batch_op.drop_column('deleted_at')

