"""event tables, email, contact

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from shared.events import event_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    md = sa.MetaData()
    event_tables(md)
    md.create_all(op.get_bind())
    op.create_table(
        "email",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("ref", sa.String(80), nullable=False, server_default=""),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("reply_to", sa.String(254)),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("body_html", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False, server_default="queued"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("message_id", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("resent_count", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("event_id", "kind", "recipient", "ref",
                            name="uq_email_event_kind_recipient"),
        sa.CheckConstraint("state IN ('queued', 'sending', 'sent', 'failed')",
                           name="ck_email_state"),
    )
    op.create_index("ix_email_kind", "email", ["kind"])
    op.create_index("ix_email_state", "email", ["state"])
    # The sender's claim query: due queued rows, in order.
    op.create_index("ix_email_due", "email", ["next_attempt_at"],
                    postgresql_where=sa.text("state IN ('queued', 'sending')"))
    op.create_table(
        "contact",
        sa.Column("account_id", sa.String(64), primary_key=True),
        sa.Column("email", sa.String(254)),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("revision", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("contact")
    op.drop_table("email")
