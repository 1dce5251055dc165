"""account plans: plans per account and period, SMART objectives, action steps, relationship reviews

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [sa.Column('version', sa.Integer(), nullable=False),
            sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('updated_by', sa.String(length=100), nullable=False)]


def _member(name: str, table: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey('team_members.id', ondelete='SET NULL',
                                                        name=f'fk_{table}_{name}_team_members'), nullable=True)


def upgrade() -> None:
    op.create_table('account_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE',
                                                         name='fk_account_plans_account_id_accounts'), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('content_json', sa.Text(), nullable=False),
    _member('owner_id', 'account_plans'),
    _member('sponsor_id', 'account_plans'),
    _member('sales_manager_id', 'account_plans'),
    sa.Column('sponsor_reviewed_by', sa.String(length=100), nullable=False),
    sa.Column('sponsor_reviewed_on', sa.Date(), nullable=True),
    *_versioned(),
    sa.PrimaryKeyConstraint('id', name='pk_account_plans'),
    sa.UniqueConstraint('account_id', 'period', name='uq_account_plans_account_id'),
    )
    op.create_index('ix_account_plans_account_id', 'account_plans', ['account_id'])
    op.create_table('plan_objectives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), sa.ForeignKey('account_plans.id', ondelete='CASCADE',
                                                      name='fk_plan_objectives_plan_id_account_plans'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('measure', sa.Text(), nullable=False),
    sa.Column('target_value', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    _member('owner_id', 'plan_objectives'),
    *_versioned(),
    sa.PrimaryKeyConstraint('id', name='pk_plan_objectives'),
    )
    op.create_index('ix_plan_objectives_plan_id', 'plan_objectives', ['plan_id'])
    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), sa.ForeignKey('account_plans.id', ondelete='CASCADE',
                                                      name='fk_plan_actions_plan_id_account_plans'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    _member('owner_id', 'plan_actions'),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), sa.ForeignKey('plan_objectives.id', ondelete='SET NULL',
                                                           name='fk_plan_actions_objective_id_plan_objectives'),
              nullable=True),
    sa.Column('done_by', sa.String(length=100), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    *_versioned(),
    sa.PrimaryKeyConstraint('id', name='pk_plan_actions'),
    )
    op.create_index('ix_plan_actions_plan_id', 'plan_actions', ['plan_id'])
    op.create_index('ix_plan_actions_owner_status_deadline', 'plan_actions', ['owner_id', 'status', 'deadline'])
    op.create_table('plan_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), sa.ForeignKey('account_plans.id', ondelete='CASCADE',
                                                      name='fk_plan_reviews_plan_id_account_plans'), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('scores_json', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=100), nullable=False),
    *_versioned(),
    sa.PrimaryKeyConstraint('id', name='pk_plan_reviews'),
    )
    op.create_index('ix_plan_reviews_plan_id', 'plan_reviews', ['plan_id'])


def downgrade() -> None:
    for table in ('plan_reviews', 'plan_actions', 'plan_objectives', 'account_plans'):
        op.drop_table(table)
