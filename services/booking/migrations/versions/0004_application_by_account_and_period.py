"""the submission's read of the account's first application of a period by one index

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# The eligibility read (FACTS_SQL) asks for the account's first application of the period. With
# only (account_id, date) the generic plan, made while the table was small, combined it with the
# (period, date) index: a bitmap of every application of the period, per submission, all day.


def upgrade():
    op.create_index('ix_application_account_period', 'application',
                    ['account_id', 'period', 'submitted_at'], unique=False)
    op.drop_index('ix_application_account', table_name='application')


def downgrade():
    op.create_index('ix_application_account', 'application', ['account_id', 'date'], unique=False)
    op.drop_index('ix_application_account_period', table_name='application')
