"""Follow-ups, notes, partnering events and calendar feeds; meetings' follow-up dates become follow-ups.

Every meeting with a follow-up date gets a follow-up on that meeting, due that day, for the person who
logged the meeting, named by the first line of its next steps. The old rule said a follow-up was settled
once a later meeting had been held with one of the same startups and one of the same investors (only one
side counted when the meeting had no startups, or no investors); such follow-ups are recorded as done at
that later meeting's time, so that nothing becomes overdue that was not before. Downgrading puts each
meeting's earliest follow-up day back in the column; follow-ups about other records, notes, events and
feeds are dropped with their tables.

Revision ID: 8da11y000001
Revises: 6d7a54e0trash
Create Date: 2026-11-30 02:35:46.269133

"""
from collections import defaultdict
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8da11y000001'
down_revision = '6d7a54e0trash'
branch_labels = None
depends_on = None


meetings = sa.table('meetings', sa.column('id', sa.Integer), sa.column('starts_at', sa.DateTime),
                    sa.column('title', sa.String), sa.column('next_steps', sa.Text),
                    sa.column('follow_up_on', sa.Date), sa.column('created_by_id', sa.Integer),
                    sa.column('created_at', sa.DateTime), sa.column('deleted_at', sa.DateTime))
meeting_startups = sa.table('meeting_startups', sa.column('meeting_id', sa.Integer),
                            sa.column('startup_id', sa.Integer))
meeting_investors = sa.table('meeting_investors', sa.column('meeting_id', sa.Integer),
                             sa.column('investor_id', sa.Integer))
follow_ups = sa.table('follow_ups', sa.column('title', sa.String), sa.column('due_on', sa.Date),
                      sa.column('assignee_id', sa.Integer), sa.column('done_at', sa.DateTime),
                      sa.column('created_by_id', sa.Integer), sa.column('meeting_id', sa.Integer),
                      sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime),
                      sa.column('version', sa.Integer), sa.column('deleted_at', sa.DateTime))


def _title(row) -> str:
    first_line = next(iter((row.next_steps or '').splitlines()), '').strip()
    if first_line:
        return first_line[:200]
    return (f'Follow up on {row.title}' if row.title else f'Follow up on the meeting of {row.starts_at:%Y-%m-%d}')[:200]


def _move_follow_up_dates(conn) -> None:
    """Each meeting's follow-up date as a follow-up on the meeting; done when a later meeting settled it."""
    dated = conn.execute(sa.select(meetings).where(meetings.c.follow_up_on.is_not(None))).all()
    if not dated:
        return
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # the columns hold naive UTC
    held = {row.id: row.starts_at for row in conn.execute(
        sa.select(meetings.c.id, meetings.c.starts_at)
        .where(meetings.c.deleted_at.is_(None), meetings.c.starts_at <= now))}
    startups_of, investors_of = defaultdict(set), defaultdict(set)
    with_startup, with_investor = defaultdict(set), defaultdict(set)
    for meeting_id, startup_id in conn.execute(sa.select(meeting_startups.c.meeting_id, meeting_startups.c.startup_id)):
        startups_of[meeting_id].add(startup_id)
        with_startup[startup_id].add(meeting_id)
    for meeting_id, investor_id in conn.execute(
            sa.select(meeting_investors.c.meeting_id, meeting_investors.c.investor_id)):
        investors_of[meeting_id].add(investor_id)
        with_investor[investor_id].add(meeting_id)

    def settled_at(row):
        pairs = ((startups_of[row.id], with_startup), (investors_of[row.id], with_investor))
        sides = [set().union(*(index[key] for key in keys)) for keys, index in pairs if keys]
        later = set.intersection(*sides) if sides else set()
        return min((held[m] for m in later if m in held and held[m] > row.starts_at), default=None)

    conn.execute(follow_ups.insert(), [
        {'title': _title(row), 'due_on': row.follow_up_on, 'assignee_id': row.created_by_id,
         'done_at': settled_at(row), 'created_by_id': row.created_by_id, 'meeting_id': row.id,
         'created_at': row.created_at, 'updated_at': now, 'version': 1, 'deleted_at': None}
        for row in dated])


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_fetched_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_search', sa.String(length=200), nullable=False),
    sa.Column('name_sort', sa.String(length=300).with_variant(sa.String(length=300, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('slot_minutes BETWEEN 5 AND 480', name=op.f('ck_events_slot_length')),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_events_deleted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_name_sort'), ['name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_starts_on'), ['starts_on'], unique=False)

    op.create_table('event_investors',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_investors_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_event_investors_investor_id_investors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'investor_id', name=op.f('pk_event_investors'))
    )
    with op.batch_alter_table('event_investors', schema=None) as batch_op:
        batch_op.create_index('ix_event_investors_investor_id_event_id', ['investor_id', 'event_id'], unique=False)

    op.create_table('event_startups',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_startups_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_event_startups_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'startup_id', name=op.f('pk_event_startups'))
    )
    with op.batch_alter_table('event_startups', schema=None) as batch_op:
        batch_op.create_index('ix_event_startups_startup_id_event_id', ['startup_id', 'event_id'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('startup_id', sa.Integer(), nullable=True),
    sa.Column('investor_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(CASE WHEN startup_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN investor_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN contact_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN deal_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_follow_ups_exactly_one_link')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_follow_ups_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_follow_ups_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_follow_ups_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_follow_ups_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_follow_ups_deleted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_follow_ups_done_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_follow_ups_investor_id_investors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_follow_ups_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_follow_ups_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_assignee_id_due_on', ['assignee_id', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index('ix_follow_ups_due_on_done_at', ['due_on', 'done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_startup_id'), ['startup_id'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=True),
    sa.Column('investor_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(CASE WHEN startup_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN investor_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN contact_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN deal_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_notes_exactly_one_link')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_notes_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_notes_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['investor_id'], ['investors.id'], name=op.f('fk_notes_investor_id_investors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['startups.id'], name=op.f('fk_notes_startup_id_startups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_startup_id'), ['startup_id'], unique=False)

    # Before the column goes: its dates live on as follow-ups.
    _move_follow_up_dates(op.get_bind())
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_meetings_follow_up_on'))
        batch_op.create_index(batch_op.f('ix_meetings_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meetings_event_id_events'), 'events', ['event_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_column('follow_up_on')


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(batch_op.f('fk_meetings_event_id_events'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_event_id'))
        batch_op.create_index(batch_op.f('ix_meetings_follow_up_on'), ['follow_up_on'], unique=False)
        batch_op.drop_column('event_id')
    earliest = (sa.select(sa.func.min(follow_ups.c.due_on))
                .where(follow_ups.c.meeting_id == meetings.c.id, follow_ups.c.deleted_at.is_(None))
                .scalar_subquery())
    op.execute(meetings.update().values(follow_up_on=earliest))

    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_startup_id'))
        batch_op.drop_index(batch_op.f('ix_notes_investor_id'))
        batch_op.drop_index(batch_op.f('ix_notes_deal_id'))
        batch_op.drop_index(batch_op.f('ix_notes_contact_id'))

    op.drop_table('notes')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_startup_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_investor_id'))
        batch_op.drop_index('ix_follow_ups_due_on_done_at')
        batch_op.drop_index(batch_op.f('ix_follow_ups_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_deal_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_contact_id'))
        batch_op.drop_index('ix_follow_ups_assignee_id_due_on')

    op.drop_table('follow_ups')
    with op.batch_alter_table('event_startups', schema=None) as batch_op:
        batch_op.drop_index('ix_event_startups_startup_id_event_id')

    op.drop_table('event_startups')
    with op.batch_alter_table('event_investors', schema=None) as batch_op:
        batch_op.drop_index('ix_event_investors_investor_id_event_id')

    op.drop_table('event_investors')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_starts_on'))
        batch_op.drop_index(batch_op.f('ix_events_name_sort'))
        batch_op.drop_index(batch_op.f('ix_events_deleted_at'))

    op.drop_table('events')
    op.drop_table('calendar_feeds')
