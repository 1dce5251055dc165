"""initial schema: accounts, contacts, team, links, activities, gifts, settings, change log, presence

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 03:11:08.554498
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('row_id', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('changes_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_log_by'), ['by'], unique=False)
        batch_op.create_index('ix_change_log_table_row', ['table_name', 'row_id'], unique=False)

    op.create_table('presence',
    sa.Column('session_id', sa.String(length=40), nullable=False),
    sa.Column('user_name', sa.String(length=100), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
    sa.Column('heartbeat_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_presence'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_pinyin', sa.String(length=400), nullable=False),
    sa.Column('name_initials', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('rank_tier', sa.String(length=20), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members'))
    )
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_pinyin', sa.String(length=600), nullable=False),
    sa.Column('name_initials', sa.String(length=150), nullable=False),
    sa.Column('industry', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('province', sa.String(length=100), nullable=False),
    sa.Column('personality_type', sa.String(length=30), nullable=True),
    sa.Column('sales_stage', sa.String(length=30), nullable=True),
    sa.Column('relationship_type', sa.String(length=30), nullable=True),
    sa.Column('cycle_stage', sa.String(length=30), nullable=True),
    sa.Column('attractiveness', sa.String(length=10), nullable=True),
    sa.Column('relationship_state', sa.String(length=30), nullable=True),
    sa.Column('potential_cents', sa.BigInteger(), nullable=True),
    sa.Column('potential_margin_pct', sa.Integer(), nullable=True),
    sa.Column('value_cents', sa.BigInteger(), nullable=True),
    sa.Column('computed_class', sa.String(length=1), nullable=True),
    sa.Column('pinned_class', sa.String(length=1), nullable=True),
    sa.Column('pin_reason', sa.Text(), nullable=False),
    sa.Column('pinned_by', sa.String(length=100), nullable=False),
    sa.Column('pinned_at', sa.DateTime(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('last_contact_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['team_members.id'], name=op.f('fk_accounts_owner_id_team_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_city'), ['city'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_computed_class'), ['computed_class'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_last_contact_on'), ['last_contact_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_name_initials'), ['name_initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_name_pinyin'), ['name_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_sales_stage'), ['sales_stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_value_cents'), ['value_cents'], unique=False)

    op.create_table('account_class_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('old_class', sa.String(length=1), nullable=True),
    sa.Column('new_class', sa.String(length=1), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_class_history_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_class_history'))
    )
    with op.batch_alter_table('account_class_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_class_history_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_class_history_changed_at'), ['changed_at'], unique=False)

    op.create_table('account_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_team_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_account_team_member_id_team_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_team')),
    sa.UniqueConstraint('account_id', 'member_id', 'role', name=op.f('uq_account_team_account_id'))
    )
    with op.batch_alter_table('account_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_team_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_team_member_id'), ['member_id'], unique=False)

    op.create_table('account_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('revenue_cents', sa.BigInteger(), nullable=False),
    sa.Column('profit_cents', sa.BigInteger(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_values_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_values')),
    sa.UniqueConstraint('account_id', 'period', name=op.f('uq_account_values_account_id'))
    )
    with op.batch_alter_table('account_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_values_account_id'), ['account_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_pinyin', sa.String(length=400), nullable=False),
    sa.Column('name_initials', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('rank_tier', sa.String(length=20), nullable=True),
    sa.Column('buying_role', sa.String(length=20), nullable=True),
    sa.Column('reports_to_id', sa.Integer(), nullable=True),
    sa.Column('relationship_stage', sa.String(length=20), nullable=False),
    sa.Column('mobile', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('wechat', sa.String(length=100), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('birthday_calendar', sa.String(length=10), nullable=True),
    sa.Column('birthday_year', sa.Integer(), nullable=True),
    sa.Column('birthday_month', sa.Integer(), nullable=True),
    sa.Column('birthday_day', sa.Integer(), nullable=True),
    sa.Column('birthday_leap_month', sa.Boolean(), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('hometown', sa.String(length=100), nullable=False),
    sa.Column('interests', sa.Text(), nullable=False),
    sa.Column('preferences', sa.Text(), nullable=False),
    sa.Column('taboos', sa.Text(), nullable=False),
    sa.Column('personality_type', sa.String(length=30), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('last_contact_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_contacts_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reports_to_id'], ['contacts.id'], name=op.f('fk_contacts_reports_to_id_contacts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_city'), ['city'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_hometown'), ['hometown'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_name_initials'), ['name_initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_name_pinyin'), ['name_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_rank_tier'), ['rank_tier'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('important', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_activities_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_activities_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_activities_member_id_team_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_account_occurred', ['account_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_activities_contact_occurred', ['contact_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_activities_member_status_due', ['member_id', 'status', 'due_on'], unique=False)

    op.create_table('contact_stage_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_stage_history_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_stage_history'))
    )
    with op.batch_alter_table('contact_stage_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_stage_history_contact_id'), ['contact_id'], unique=False)

    op.create_table('family_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relation', sa.String(length=50), nullable=False),
    sa.Column('birthday_calendar', sa.String(length=10), nullable=True),
    sa.Column('birthday_year', sa.Integer(), nullable=True),
    sa.Column('birthday_month', sa.Integer(), nullable=True),
    sa.Column('birthday_day', sa.Integer(), nullable=True),
    sa.Column('birthday_leap_month', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_family_members_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_members'))
    )
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_members_contact_id'), ['contact_id'], unique=False)

    op.create_table('gifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item', sa.String(length=300), nullable=False),
    sa.Column('value_cents', sa.BigInteger(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('occasion', sa.String(length=200), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_gifts_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_gifts_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_gifts_member_id_team_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gifts'))
    )
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gifts_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_gifts_contact_date', ['contact_id', 'given_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_gifts_given_on'), ['given_on'], unique=False)

    op.create_table('links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('relationship_stage', sa.String(length=20), nullable=False),
    sa.Column('last_contact_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_links_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_links_member_id_team_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links')),
    sa.UniqueConstraint('member_id', 'contact_id', name=op.f('uq_links_member_id'))
    )
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_links_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_links_member_id'), ['member_id'], unique=False)

    op.create_table('personal_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('calendar', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('leap_month', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_personal_dates_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_dates'))
    )
    with op.batch_alter_table('personal_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_dates_contact_id'), ['contact_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('personal_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_dates_contact_id'))

    op.drop_table('personal_dates')
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_links_member_id'))
        batch_op.drop_index(batch_op.f('ix_links_contact_id'))

    op.drop_table('links')
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gifts_given_on'))
        batch_op.drop_index('ix_gifts_contact_date')
        batch_op.drop_index(batch_op.f('ix_gifts_account_id'))

    op.drop_table('gifts')
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_members_contact_id'))

    op.drop_table('family_members')
    with op.batch_alter_table('contact_stage_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_stage_history_contact_id'))

    op.drop_table('contact_stage_history')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_member_status_due')
        batch_op.drop_index('ix_activities_contact_occurred')
        batch_op.drop_index('ix_activities_account_occurred')

    op.drop_table('activities')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_rank_tier'))
        batch_op.drop_index(batch_op.f('ix_contacts_name_pinyin'))
        batch_op.drop_index(batch_op.f('ix_contacts_name_initials'))
        batch_op.drop_index(batch_op.f('ix_contacts_hometown'))
        batch_op.drop_index(batch_op.f('ix_contacts_email'))
        batch_op.drop_index(batch_op.f('ix_contacts_city'))
        batch_op.drop_index(batch_op.f('ix_contacts_account_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('account_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_values_account_id'))

    op.drop_table('account_values')
    with op.batch_alter_table('account_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_team_member_id'))
        batch_op.drop_index(batch_op.f('ix_account_team_account_id'))

    op.drop_table('account_team')
    with op.batch_alter_table('account_class_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_class_history_changed_at'))
        batch_op.drop_index(batch_op.f('ix_account_class_history_account_id'))

    op.drop_table('account_class_history')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_value_cents'))
        batch_op.drop_index(batch_op.f('ix_accounts_sales_stage'))
        batch_op.drop_index(batch_op.f('ix_accounts_owner_id'))
        batch_op.drop_index(batch_op.f('ix_accounts_name_pinyin'))
        batch_op.drop_index(batch_op.f('ix_accounts_name_initials'))
        batch_op.drop_index(batch_op.f('ix_accounts_last_contact_on'))
        batch_op.drop_index(batch_op.f('ix_accounts_computed_class'))
        batch_op.drop_index(batch_op.f('ix_accounts_city'))

    op.drop_table('accounts')
    op.drop_table('team_members')
    op.drop_table('settings')
    op.drop_table('presence')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_table_row')
        batch_op.drop_index(batch_op.f('ix_change_log_by'))
        batch_op.drop_index(batch_op.f('ix_change_log_at'))

    op.drop_table('change_log')
