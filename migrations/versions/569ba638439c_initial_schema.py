"""Initial schema: users, investors with focus, startups, contacts, meetings and who took part.

Revision ID: 569ba638439c
Revises: 
Create Date: 2026-11-30 01:24:23.699958

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '569ba638439c'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('startups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_number', sa.String(length=9), nullable=True),
    sa.Column('incubator_status', sa.Enum('applicant', 'incubatee', 'alumnus', name='incubatorstatus', native_enum=False, length=32), nullable=False),
    sa.Column('therapeutic_area', sa.Enum('solid_tumours', 'haematological', 'immuno_oncology', 'precision_oncology', 'paediatric', 'rare_cancers', 'early_detection', 'supportive_care', name='therapeuticarea', native_enum=False, length=32), nullable=False),
    sa.Column('indication', sa.String(length=200), nullable=True),
    sa.Column('modality', sa.Enum('small_molecule', 'antibody', 'cell_therapy', 'vaccine', 'radiopharmaceutical', 'diagnostic', 'medtech', 'digital', name='modality', native_enum=False, length=32), nullable=False),
    sa.Column('development_stage', sa.Enum('discovery', 'preclinical', 'phase_1', 'phase_2', 'phase_3', 'approved', name='developmentstage', native_enum=False, length=32), nullable=False),
    sa.Column('round_kind', sa.Enum('pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'bridge', 'grant', name='roundkind', native_enum=False, length=32), nullable=True),
    sa.Column('round_target', sa.BigInteger(), nullable=True),
    sa.Column('round_currency', sa.String(length=3), nullable=False),
    sa.Column('pitch', sa.Text(), nullable=True),
    sa.Column('team', sa.Text(), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_search', sa.String(length=200), nullable=False),
    sa.Column('name_sort', sa.String(length=300).with_variant(sa.String(length=300, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_startups')),
    sa.UniqueConstraint('org_number', name=op.f('uq_startups_org_number'))
    )
    with op.batch_alter_table('startups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_startups_development_stage'), ['development_stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_startups_incubator_status'), ['incubator_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_startups_modality'), ['modality'], unique=False)
        batch_op.create_index(batch_op.f('ix_startups_name_sort'), ['name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_startups_therapeutic_area'), ['therapeutic_area'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('admin', 'manager', 'viewer', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_search', sa.String(length=200), nullable=False),
    sa.Column('name_sort', sa.String(length=300).with_variant(sa.String(length=300, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_name_sort'), ['name_sort'], unique=False)

    op.create_table('investors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('venture_fund', 'corporate_vc', 'pharma_strategic', 'angel_network', 'family_office', 'public_fund', 'foundation', 'bank', 'angel', name='investorkind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('prospect', 'active', 'inactive', name='investorstatus', native_enum=False, length=32), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('org_number', sa.String(length=9), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('ticket_min', sa.BigInteger(), nullable=True),
    sa.Column('ticket_max', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_search', sa.String(length=200), nullable=False),
    sa.Column('name_sort', sa.String(length=300).with_variant(sa.String(length=300, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_investors_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investors')),
    sa.UniqueConstraint('org_number', name=op.f('uq_investors_org_number'))
    )
    with op.batch_alter_table('investors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investors_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_investors_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_investors_name_sort'), ['name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_investors_owner_id'), ['owner_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('intro', 'pitch', 'follow_up', 'due_diligence', 'partnering', name='meetingkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('title_search', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_follow_up_on'), ['follow_up_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_starts_at'), ['starts_at'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=True),
    sa.Column('startup_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_search', sa.String(length=200), nullable=False),
    sa.Column('name_sort', sa.String(length=300).with_variant(sa.String(length=300, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(investor_id IS NULL) <> (startup_id IS NULL)', name=op.f('ck_contacts_one_organisation')),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_contacts_investor_id_investors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_contacts_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_name_sort'), ['name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_startup_id'), ['startup_id'], unique=False)

    op.create_table('investor_focus',
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.Enum('area', 'modality', 'stage', name='focusdimension', native_enum=False, length=32), nullable=False),
    sa.Column('value', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_investor_focus_investor_id_investors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('investor_id', 'dimension', 'value', name=op.f('pk_investor_focus'))
    )
    with op.batch_alter_table('investor_focus', schema=None) as batch_op:
        batch_op.create_index('ix_investor_focus_dimension_value', ['dimension', 'value'], unique=False)

    op.create_table('meeting_investors',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_meeting_investors_investor_id_investors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_investors_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'investor_id', name=op.f('pk_meeting_investors'))
    )
    with op.batch_alter_table('meeting_investors', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_investors_investor_id_meeting_id', ['investor_id', 'meeting_id'], unique=False)

    op.create_table('meeting_staff',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_staff_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_staff_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f('pk_meeting_staff'))
    )
    with op.batch_alter_table('meeting_staff', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_staff_user_id_meeting_id', ['user_id', 'meeting_id'], unique=False)

    op.create_table('meeting_startups',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_startups_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_meeting_startups_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'startup_id', name=op.f('pk_meeting_startups'))
    )
    with op.batch_alter_table('meeting_startups', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_startups_startup_id_meeting_id', ['startup_id', 'meeting_id'], unique=False)

    op.create_table('meeting_contacts',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_meeting_contacts_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_contacts_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'contact_id', name=op.f('pk_meeting_contacts'))
    )
    with op.batch_alter_table('meeting_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_contacts_contact_id_meeting_id', ['contact_id', 'meeting_id'], unique=False)




def downgrade():
    
    with op.batch_alter_table('meeting_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_contacts_contact_id_meeting_id')

    op.drop_table('meeting_contacts')
    with op.batch_alter_table('meeting_startups', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_startups_startup_id_meeting_id')

    op.drop_table('meeting_startups')
    with op.batch_alter_table('meeting_staff', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_staff_user_id_meeting_id')

    op.drop_table('meeting_staff')
    with op.batch_alter_table('meeting_investors', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_investors_investor_id_meeting_id')

    op.drop_table('meeting_investors')
    with op.batch_alter_table('investor_focus', schema=None) as batch_op:
        batch_op.drop_index('ix_investor_focus_dimension_value')

    op.drop_table('investor_focus')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_startup_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_name_sort'))
        batch_op.drop_index(batch_op.f('ix_contacts_investor_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_email'))

    op.drop_table('contacts')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meetings_follow_up_on'))

    op.drop_table('meetings')
    with op.batch_alter_table('investors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investors_owner_id'))
        batch_op.drop_index(batch_op.f('ix_investors_name_sort'))
        batch_op.drop_index(batch_op.f('ix_investors_kind'))
        batch_op.drop_index(batch_op.f('ix_investors_country'))

    op.drop_table('investors')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_name_sort'))

    op.drop_table('users')
    with op.batch_alter_table('startups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_startups_therapeutic_area'))
        batch_op.drop_index(batch_op.f('ix_startups_name_sort'))
        batch_op.drop_index(batch_op.f('ix_startups_modality'))
        batch_op.drop_index(batch_op.f('ix_startups_incubator_status'))
        batch_op.drop_index(batch_op.f('ix_startups_development_stage'))

    op.drop_table('startups')

