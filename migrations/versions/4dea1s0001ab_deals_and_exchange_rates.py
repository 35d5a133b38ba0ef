"""Deals, their stage changes and exchange rates.

Amounts are integers of hundredths and rates integers of hundred-millionths (the app's
Amount and Rate types), exact on SQLite and PostgreSQL alike.

Revision ID: 4dea1s0001ab
Revises: 5a1e0000share
Create Date: 2026-11-30 01:45:04.337793

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4dea1s0001ab'
down_revision = "5a1e0000share"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('rate_to_nok', sa.BigInteger(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('rate_to_nok > 0', name=op.f('ck_exchange_rates_positive_rate')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_exchange_rates_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rates')),
    sa.UniqueConstraint('currency', 'valid_from', name='uq_exchange_rates_currency_valid_from')
    )
    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.Column('round_kind', sa.Enum('pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'bridge', 'grant', name='roundkind', native_enum=False, length=32), nullable=False),
    sa.Column('stage', sa.Enum('identified', 'contacted', 'meeting_held', 'due_diligence', 'term_sheet', 'committed', 'passed', 'on_hold', name='dealstage', native_enum=False, length=32), nullable=False),
    sa.Column('stage_changed_at', sa.DateTime(), nullable=False),
    sa.Column('pass_reason', sa.Enum('not_in_focus', 'too_early', 'ticket_size', 'team', 'other', name='passreason', native_enum=False, length=32), nullable=True),
    sa.Column('pass_reason_text', sa.String(length=500), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('expected_amount', sa.BigInteger(), nullable=True),
    sa.Column('committed_amount', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_deals_investor_id_investors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_deals_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_deals_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals')),
    sa.UniqueConstraint('startup_id', 'investor_id', 'round_kind', name='uq_deals_startup_investor_round')
    )

    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index('ix_deals_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_deals_stage_stage_changed_at', ['stage', 'stage_changed_at'], unique=False)
        batch_op.create_index('ix_deals_stage_updated_at', ['stage', 'updated_at'], unique=False)

    op.create_table('deal_stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.Enum('identified', 'contacted', 'meeting_held', 'due_diligence', 'term_sheet', 'committed', 'passed', 'on_hold', name='dealstage', native_enum=False, length=32), nullable=True),
    sa.Column('to_stage', sa.Enum('identified', 'contacted', 'meeting_held', 'due_diligence', 'term_sheet', 'committed', 'passed', 'on_hold', name='dealstage', native_enum=False, length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_stage_changes_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deal_stage_changes_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_stage_changes'))
    )
    with op.batch_alter_table('deal_stage_changes', schema=None) as batch_op:
        batch_op.create_index('ix_deal_stage_changes_deal_id_at', ['deal_id', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('deal_stage_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_stage_changes_deal_id_at')

    op.drop_table('deal_stage_changes')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_stage_updated_at')
        batch_op.drop_index('ix_deals_stage_stage_changed_at')
        batch_op.drop_index(batch_op.f('ix_deals_owner_id'))
        batch_op.drop_index(batch_op.f('ix_deals_investor_id'))
        batch_op.drop_index('ix_deals_created_at')

    op.drop_table('deals')
    op.drop_table('exchange_rates')
