"""R6.3: party revisions, restorations, the lock's deciding revision

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

JSONB = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.add_column('cohabitant_lock', sa.Column('party_revision', sa.Integer(), nullable=True))
    op.create_table('party_revision',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('cohabitants', JSONB, nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
              nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'revision')
    )
    op.create_table('cohabitant_restoration',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('application_number', sa.String(length=40), nullable=False),
    sa.Column('party_revision', sa.Integer(), nullable=False),
    sa.Column('changes', JSONB, nullable=False),
    sa.Column('restored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_cohabitant_restoration_account_id'), 'cohabitant_restoration',
                    ['account_id'], unique=False)
    # Every account's current revision, so that an application booking already checked
    # against it can still be restored to (the same fields as handlers.cohabitant_state).
    op.execute("""
        INSERT INTO party_revision (account_id, revision, cohabitants, recorded_at)
        SELECT a.account_id, a.revision, COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'cohabitant_id', c.cohabitant_id, 'name', c.name, 'sex', c.sex,
                'nationality', c.nationality, 'document_type', c.document_type,
                'document_number', c.document_number,
                'document_expiry', to_char(c.document_expiry, 'YYYY-MM-DD'),
                'date_of_birth', to_char(c.date_of_birth, 'YYYY-MM-DD'),
                'relation', c.relation, 'category', c.category,
                'mainland_id_number', c.mainland_id_number, 'no_mainland_id', c.no_mainland_id,
                'review_state', c.review_state, 'rejection_reason', c.rejection_reason,
                'rejection_note', c.rejection_note) ORDER BY c.seq)
            FROM cohabitant c WHERE c.account_id = a.account_id AND c.deleted_at IS NULL),
            '[]'::jsonb), now()
        FROM account a WHERE a.revision > 0
    """)


def downgrade() -> None:
    op.drop_index(op.f('ix_cohabitant_restoration_account_id'),
                  table_name='cohabitant_restoration')
    op.drop_table('cohabitant_restoration')
    op.drop_table('party_revision')
    op.drop_column('cohabitant_lock', 'party_revision')
