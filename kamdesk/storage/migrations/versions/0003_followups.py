"""follow-ups: why an activity is on the agenda, call and e-mail details, generated keys, cadence rules

Revision ID: 0003
Revises: 0002
"""
import datetime
import json
import uuid

from alembic import op
import sqlalchemy as sa

from kamdesk.domain import clock

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=30), server_default='manual', nullable=False))
        batch_op.add_column(sa.Column('reason_detail', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('start_time', sa.String(length=5), server_default='', nullable=False))
        batch_op.add_column(sa.Column('location', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reply_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reply_received_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('prep_json', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('review_json', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('generated_key', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_activities_generated_key'), ['generated_key'])

    op.create_table('cadence_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_class', sa.String(length=1), nullable=False),
    sa.Column('rank_tier', sa.String(length=20), nullable=True),
    sa.Column('business_days', sa.Integer(), nullable=True),
    sa.Column('care_min_days', sa.Integer(), nullable=True),
    sa.Column('care_max_days', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadence_rules')),
    sa.UniqueConstraint('account_class', 'rank_tier', name=op.f('uq_cadence_rules_account_class'))
    )
    # The file's own lasting id, so calendar exports keep their event UIDs even from a read-only copy.
    settings = sa.table('settings', sa.column('key', sa.String), sa.column('value_json', sa.Text),
                        sa.column('version', sa.Integer), sa.column('created_at', sa.DateTime),
                        sa.column('updated_at', sa.DateTime), sa.column('updated_by', sa.String))
    now = clock.utc_now()
    op.bulk_insert(settings, [{'key': 'file_id', 'value_json': json.dumps(uuid.uuid4().hex), 'version': 1,
                               'created_at': now, 'updated_at': now, 'updated_by': 'kamdesk'}])


def downgrade() -> None:
    op.execute("DELETE FROM settings WHERE key = 'file_id'")
    op.drop_table('cadence_rules')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_activities_generated_key'), type_='unique')
        for column in ('generated_key', 'review_json', 'prep_json', 'reply_received_on', 'reply_due_on',
                       'location', 'start_time', 'reason_detail', 'reason'):
            batch_op.drop_column(column)
