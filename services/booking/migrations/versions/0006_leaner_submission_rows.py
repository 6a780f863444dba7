"""fewer index entries and rows per submission: the application number is the key, the spent
captcha has no time index, a submission appends one count increment for all its dates

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Per applied date the submission wrote a sequence step and an entry in a surrogate key nobody
# reads; per submission an index entry on spent_captcha.spent_at that only the once-a-minute
# sweep of day-old tokens used (a scan of a day of tokens is cheap once a minute), and one count
# increment per date.


def upgrade():
    op.drop_constraint('reservation_application_number_fkey', 'reservation', type_='foreignkey')
    op.drop_constraint('application_pkey', 'application', type_='primary')
    op.drop_column('application', 'id')
    op.drop_constraint('application_application_number_key', 'application', type_='unique')
    op.create_primary_key('application_pkey', 'application', ['application_number'])
    op.create_foreign_key('reservation_application_number_fkey', 'reservation', 'application',
                          ['application_number'], ['application_number'])

    op.drop_index('ix_spent_captcha_spent_at', table_name='spent_captcha')

    op.add_column('date_counter_increment',
                  sa.Column('dates', postgresql.ARRAY(sa.Date()), nullable=True))
    op.execute("UPDATE date_counter_increment SET dates = ARRAY[date]")
    op.alter_column('date_counter_increment', 'dates', nullable=False)
    op.drop_column('date_counter_increment', 'date')


def downgrade():
    op.add_column('date_counter_increment', sa.Column('date', sa.Date(), nullable=True))
    op.execute("INSERT INTO date_counter_increment (period, dates, applicants, date) "
               "SELECT period, dates, applicants, unnest(dates) FROM date_counter_increment")
    op.execute("DELETE FROM date_counter_increment WHERE date IS NULL")
    op.alter_column('date_counter_increment', 'date', nullable=False)
    op.drop_column('date_counter_increment', 'dates')

    op.create_index('ix_spent_captcha_spent_at', 'spent_captcha', ['spent_at'], unique=False)

    op.drop_constraint('reservation_application_number_fkey', 'reservation', type_='foreignkey')
    op.drop_constraint('application_pkey', 'application', type_='primary')
    op.create_unique_constraint('application_application_number_key', 'application',
                                ['application_number'])
    op.add_column('application', sa.Column('id', sa.BigInteger(), sa.Identity(), nullable=False))
    op.create_primary_key('application_pkey', 'application', ['id'])
    op.create_foreign_key('reservation_application_number_fkey', 'reservation', 'application',
                          ['application_number'], ['application_number'])
