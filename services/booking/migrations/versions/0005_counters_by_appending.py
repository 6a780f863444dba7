"""the six-day counts: submissions append increments, the scheduler folds them in

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Every submission used to update one of 16 shard rows per date: concurrent submissions waited
# on each other's row locks, and each update left a dead version of a hot row behind (the
# upsert walked hundreds of buffers by the end of a 20-second rush). Now a submission appends
# one row per date to a table without an index, and the scheduler folds them into one row per
# period and date.


def upgrade():
    op.create_table('date_counter_increment',
                    sa.Column('period', sa.Date(), nullable=False),
                    sa.Column('date', sa.Date(), nullable=False),
                    sa.Column('applicants', sa.SmallInteger(), nullable=False))
    op.execute("""
        CREATE TABLE date_counter_folded AS
        SELECT period, date, SUM(applications)::integer AS applications,
               SUM(applicants)::integer AS applicants
        FROM date_counter GROUP BY period, date""")
    op.drop_table('date_counter')
    op.rename_table('date_counter_folded', 'date_counter')
    op.alter_column('date_counter', 'period', nullable=False)
    op.alter_column('date_counter', 'date', nullable=False)
    op.alter_column('date_counter', 'applications', nullable=False)
    op.alter_column('date_counter', 'applicants', nullable=False)
    op.create_primary_key('date_counter_pkey', 'date_counter', ['period', 'date'])


def downgrade():
    op.execute("""
        INSERT INTO date_counter (period, date, applications, applicants)
        SELECT period, date, count(*), SUM(applicants) FROM date_counter_increment
        GROUP BY period, date
        ON CONFLICT (period, date) DO UPDATE SET
            applications = date_counter.applications + EXCLUDED.applications,
            applicants = date_counter.applicants + EXCLUDED.applicants""")
    op.drop_table('date_counter_increment')
    op.add_column('date_counter', sa.Column('shard', sa.SmallInteger(), nullable=False,
                                            server_default='0'))
    op.drop_constraint('date_counter_pkey', 'date_counter', type_='primary')
    op.create_primary_key('date_counter_pkey', 'date_counter', ['period', 'date', 'shard'])
    op.alter_column('date_counter', 'shard', server_default=None)
