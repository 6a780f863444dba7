"""spent captchas; the period guard of the one-statement submission

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The submission is one INSERT ... WITH statement (adapters/repository.py submit). Its snapshot
# is taken before it waits for the period's shared advisory lock, so the period's state must be
# read after the lock, in a statement of its own: a VOLATILE function's queries take a fresh
# snapshot each (READ COMMITTED). The close holds the same lock exclusively.
HOLD_OPEN_PERIOD = """
CREATE FUNCTION booking_hold_open_period(p date, lock_key bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    period_state text;
BEGIN
    PERFORM pg_advisory_xact_lock_shared(lock_key);
    SELECT state INTO period_state FROM period WHERE period = p;
    IF period_state IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'period % is not open', p USING ERRCODE = 'HSB01';
    END IF;
    RETURN true;
END $$;
"""


def upgrade():
    op.create_table('spent_captcha',
    sa.Column('captcha_id', sa.String(length=36), nullable=False),
    sa.Column('spent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('captcha_id')
    )
    op.create_index(op.f('ix_spent_captcha_spent_at'), 'spent_captcha', ['spent_at'], unique=False)
    op.execute(HOLD_OPEN_PERIOD)


def downgrade():
    op.execute("DROP FUNCTION booking_hold_open_period(date, bigint)")
    op.drop_index(op.f('ix_spent_captcha_spent_at'), table_name='spent_captcha')
    op.drop_table('spent_captcha')
