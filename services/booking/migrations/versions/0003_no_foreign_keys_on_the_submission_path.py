"""no foreign keys on the submission's path

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# application -> period took FOR KEY SHARE on the single period row for every application (a
# hot multixact at 09:00); party_claim -> application checked rows inserted by the same
# statement. The submission's guard (booking_hold_open_period) checks the period under its lock.


def upgrade():
    op.drop_constraint('application_period_fkey', 'application', type_='foreignkey')
    op.drop_constraint('party_claim_application_number_fkey', 'party_claim', type_='foreignkey')


def downgrade():
    op.create_foreign_key('party_claim_application_number_fkey', 'party_claim', 'application',
                          ['application_number'], ['application_number'])
    op.create_foreign_key('application_period_fkey', 'application', 'period',
                          ['period'], ['period'])
