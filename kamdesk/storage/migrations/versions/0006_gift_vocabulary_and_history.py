"""gift vocabulary and history: catalogue occasions/category/attributes/origin, contacts' like and
taboo tags, sensitive contact events, the history of an account's stages, and narrow indexes for the
dashboard's time and target figures

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [sa.Column('version', sa.Integer(), nullable=False),
            sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('updated_by', sa.String(length=100), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table('gift_catalogue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occasions', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('category', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('attributes', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('origin', sa.String(length=100), server_default='', nullable=False))
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('like_tags', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('taboo_tags', sa.String(length=300), server_default='', nullable=False))
    op.create_table('contact_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), sa.ForeignKey('contacts.id', ondelete='CASCADE',
                                                         name='fk_contact_events_contact_id_contacts'), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    *_versioned(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_events')),
    )
    op.create_index('ix_contact_events_contact_id', 'contact_events', ['contact_id'])
    op.create_table('account_stage_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE',
                                                         name='fk_account_stage_history_account_id_accounts'),
              nullable=False),
    sa.Column('field', sa.String(length=30), nullable=False),
    sa.Column('old_value', sa.String(length=30), nullable=True),
    sa.Column('new_value', sa.String(length=30), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_stage_history')),
    )
    op.create_index('ix_account_stage_history_account_field', 'account_stage_history',
                    ['account_id', 'field', 'changed_at'])
    op.create_index('ix_activities_status_occurred', 'activities',
                    ['status', 'occurred_at', 'account_id', 'member_id', 'duration_minutes'])
    op.create_index('ix_activities_status_due', 'activities',
                    ['status', 'due_on', 'account_id', 'member_id', 'kind', 'duration_minutes'])
    op.create_index('ix_gifts_status_given', 'gifts',
                    ['status', 'given_on', 'direction', 'account_id', 'kind', 'value_cents'])
    op.create_index('ix_contacts_account_rank_stage', 'contacts', ['account_id', 'rank_tier', 'relationship_stage'])


def downgrade() -> None:
    op.drop_index('ix_gifts_status_given', table_name='gifts')
    op.drop_index('ix_contacts_account_rank_stage', table_name='contacts')
    op.drop_index('ix_activities_status_due', table_name='activities')
    op.drop_index('ix_activities_status_occurred', table_name='activities')
    op.drop_table('account_stage_history')
    op.drop_table('contact_events')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        for column in ('taboo_tags', 'like_tags'):
            batch_op.drop_column(column)
    with op.batch_alter_table('gift_catalogue', schema=None) as batch_op:
        for column in ('origin', 'attributes', 'category', 'occasions'):
            batch_op.drop_column(column)
