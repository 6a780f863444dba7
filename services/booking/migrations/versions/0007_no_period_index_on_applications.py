"""applications are found by period through the R7.7 claims' key, not an index of their own

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Every applied date wrote an entry in ix_application_period_date, which only the close (the
# numbers of a date) and the results (the period's pending applications) read, once a day.
# party_claim's key starts with (period, date) and names each application of the date.


def upgrade():
    op.drop_index('ix_application_period_date', table_name='application')


def downgrade():
    op.create_index('ix_application_period_date', 'application', ['period', 'date'],
                    unique=False)
