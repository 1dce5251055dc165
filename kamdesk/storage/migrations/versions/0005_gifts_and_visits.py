"""gifts and visits: planned gifts with delivery and approval date, the gift catalogue, visits

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [sa.Column('version', sa.Integer(), nullable=False),
            sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('updated_by', sa.String(length=100), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='done', nullable=False))
        batch_op.add_column(sa.Column('delivery', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('people_ours', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('people_theirs', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('approved_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_key', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_gifts_planned_key'), ['planned_key'])
    op.create_table('gift_catalogue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit_cost_cents', sa.BigInteger(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_versioned(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gift_catalogue')),
    )
    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='SET NULL',
                                                         name='fk_visits_account_id_accounts'), nullable=True),
    sa.Column('contact_id', sa.Integer(), sa.ForeignKey('contacts.id', ondelete='SET NULL',
                                                         name='fk_visits_contact_id_contacts'), nullable=True),
    sa.Column('people_theirs', sa.String(length=300), nullable=False),
    sa.Column('member_id', sa.Integer(), sa.ForeignKey('team_members.id', ondelete='SET NULL',
                                                        name='fk_visits_member_id_team_members'), nullable=True),
    sa.Column('people_ours', sa.String(length=300), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('plan_meal', sa.Boolean(), nullable=False),
    sa.Column('plan_gift', sa.String(length=300), nullable=False),
    sa.Column('plan_activity', sa.String(length=300), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('budget_cents', sa.BigInteger(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    *_versioned(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
    )
    op.create_index('ix_visits_starts_at', 'visits', ['starts_at'])
    op.create_index('ix_visits_account_id', 'visits', ['account_id'])
    op.create_index('ix_visits_member_starts', 'visits', ['member_id', 'starts_at'])


def downgrade() -> None:
    op.drop_table('visits')
    op.drop_table('gift_catalogue')
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_gifts_planned_key'), type_='unique')
        for column in ('planned_key', 'approved_on', 'people_theirs', 'people_ours', 'delivery', 'status'):
            batch_op.drop_column(column)
