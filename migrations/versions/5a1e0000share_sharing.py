"""Sharing: public profile settings, confidential items, confidentiality agreements, share links and views.

Revision ID: 5a1e0000share
Revises: 3a0d17e5c0a1
Create Date: 2026-11-30 01:42:04.102443

Share links keep only the SHA-256 of their token; views keep the reader's network, never the whole address.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1e0000share'
down_revision = "3a0d17e5c0a1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('confidential_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('deck', 'data', 'patents', 'cap_table', 'document', name='confidentialitemkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('url IS NOT NULL OR text IS NOT NULL', name=op.f('ck_confidential_items_has_content')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_confidential_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_confidential_items_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidential_items'))
    )
    with op.batch_alter_table('confidential_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confidential_items_startup_id'), ['startup_id'], unique=False)

    op.create_table('confidentiality_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('expires_on >= signed_on', name=op.f('ck_confidentiality_agreements_ends_after_signing')),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_confidentiality_agreements_investor_id_investors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_confidentiality_agreements_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_confidentiality_agreements_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidentiality_agreements'))
    )
    with op.batch_alter_table('confidentiality_agreements', schema=None) as batch_op:
        batch_op.create_index('ix_confidentiality_agreements_investor_id_startup_id', ['investor_id', 'startup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_confidentiality_agreements_startup_id'), ['startup_id'], unique=False)

    op.create_table('share_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('investor_id IS NOT NULL OR label IS NOT NULL', name=op.f('ck_share_links_recipient_or_label')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_share_links_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_share_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_share_links_investor_id_investors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_share_links_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_share_links_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_share_links_token_hash'))
    )
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_links_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_links_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_links_startup_id'), ['startup_id'], unique=False)

    op.create_table('startup_profiles',
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('tagline', sa.String(length=200), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_startup_profiles_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_startup_profiles_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('startup_id', name=op.f('pk_startup_profiles'))
    )
    with op.batch_alter_table('startup_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_startup_profiles_contact_id'), ['contact_id'], unique=False)

    op.create_table('share_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('viewed_at', sa.DateTime(), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.Column('network', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['share_links.id'], name=op.f('fk_share_views_link_id_share_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_views'))
    )
    with op.batch_alter_table('share_views', schema=None) as batch_op:
        batch_op.create_index('ix_share_views_link_id_viewed_at', ['link_id', 'viewed_at'], unique=False)

    op.create_table('startup_profile_fields',
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.Enum('name', 'logo', 'tagline', 'pitch', 'therapeutic_area', 'indication', 'modality', 'development_stage', 'round', 'team', 'website', 'contact', name='profilefield', native_enum=False, length=32), nullable=False),
    sa.Column('visibility', sa.Enum('public', 'confidential', name='visibility', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['startup_id'], ['startup_profiles.startup_id'], name=op.f('fk_startup_profile_fields_startup_id_startup_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('startup_id', 'field', name=op.f('pk_startup_profile_fields'))
    )


def downgrade():
    # Dropping a table drops its indexes; children before the tables they refer to.
    for table in ("startup_profile_fields", "share_views", "startup_profiles", "share_links",
                  "confidentiality_agreements", "confidential_items"):
        op.drop_table(table)
