"""initial: event tables, periods, entries, draw results, winners, failures

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from shared.events import event_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    md = sa.MetaData()
    event_tables(md)
    md.create_all(op.get_bind())
    now = sa.text("now()")
    op.create_table(
        "lottery_period",
        sa.Column("period", sa.String(10), primary_key=True),
        sa.Column("dates", JSONB, nullable=False),
        sa.Column("seed", sa.LargeBinary(32), nullable=False),
        sa.Column("seed_hash", sa.String(64), nullable=False),
        sa.Column("pepper", sa.LargeBinary(32), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
        sa.Column("closing", JSONB),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("files_written_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "lottery_entry",
        sa.Column("application_number", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("persons", ARRAY(sa.String(32)), nullable=False),
        sa.Column("party_size", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
    )
    op.create_index("ix_lottery_entry_period_date", "lottery_entry", ["period", "date"])
    op.create_index("ix_lottery_entry_account", "lottery_entry", ["account_id"])
    op.create_table(
        "lottery_draw_result",
        sa.Column("period", sa.String(10), sa.ForeignKey("lottery_period.period"),
                  primary_key=True),
        sa.Column("date", sa.String(10), primary_key=True),
        sa.Column("places", sa.Integer, nullable=False),
        sa.Column("applications", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("winners", JSONB, nullable=False),
        sa.Column("winners_people", sa.Integer, nullable=False),
        sa.Column("overflow", sa.Integer, nullable=False),
        sa.Column("drawn_by", sa.String(120), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False, server_default=now),
    )
    op.create_table(
        "lottery_winner",
        sa.Column("application_number", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    op.create_index("ix_lottery_winner_period_date", "lottery_winner", ["period", "date"])
    op.create_table(
        "lottery_draw_failure",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=now),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=now),
    )
    op.create_index("ux_lottery_draw_failure", "lottery_draw_failure",
                    ["period", "date", "reason"], unique=True)


def downgrade() -> None:
    for table in ("lottery_draw_failure", "lottery_winner", "lottery_draw_result",
                  "lottery_entry", "lottery_period"):
        op.drop_table(table)
