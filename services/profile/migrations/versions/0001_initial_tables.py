"""initial tables

Revision ID: 0001
Revises: 
Create Date: 2026-12-03 19:09:26.834774
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('nationality', sa.String(length=8), nullable=True),
    sa.Column('document_type', sa.String(length=40), nullable=True),
    sa.Column('document_number', sa.String(length=40), nullable=True),
    sa.Column('lang', sa.String(length=10), nullable=False),
    sa.Column('registered_at', sa.String(length=40), nullable=True),
    sa.Column('known_from_identity', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('cohabitant_lock',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unlocked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('account_id', 'period')
    )
    op.create_table('event_outbox',
    sa.Column('seq', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=120), nullable=False),
    sa.Column('body', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('state', sa.String(length=20), server_default='not-published', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index(op.f('ix_event_outbox_state'), 'event_outbox', ['state'], unique=False)
    op.create_table('processed_event',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('consumer', sa.String(length=80), nullable=False),
    sa.Column('event_type', sa.String(length=120), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'consumer')
    )
    op.create_table('published_period',
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('period')
    )
    op.create_table('reference_document',
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('document_type', 'document_number')
    )
    op.create_table('review_case',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('case_reason', sa.String(length=60), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_index(op.f('ix_review_case_account_id'), 'review_case', ['account_id'], unique=False)
    op.create_index(op.f('ix_review_case_state'), 'review_case', ['state'], unique=False)
    op.create_table('state_change',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('subject_kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason_code', sa.String(length=60), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_state_change_account_id'), 'state_change', ['account_id'], unique=False)
    op.create_index(op.f('ix_state_change_case_id'), 'state_change', ['case_id'], unique=False)
    op.create_index(op.f('ix_state_change_subject_id'), 'state_change', ['subject_id'], unique=False)
    op.create_table('cohabitant',
    sa.Column('cohabitant_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=False),
    sa.Column('nationality', sa.String(length=8), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('document_expiry', sa.Date(), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('relation', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('mainland_id_number', sa.String(length=40), nullable=True),
    sa.Column('no_mainland_id', sa.Boolean(), nullable=False),
    sa.Column('review_state', sa.String(length=20), nullable=False),
    sa.Column('rejection_reason', sa.String(length=40), nullable=True),
    sa.Column('rejection_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.account_id'], ),
    sa.PrimaryKeyConstraint('cohabitant_id'),
    sa.UniqueConstraint('seq')
    )
    op.create_index(op.f('ix_cohabitant_account_id'), 'cohabitant', ['account_id'], unique=False)
    op.create_index('uq_cohabitant_document', 'cohabitant', ['account_id', 'document_type', 'document_number'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_table('person',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('hk_mobile', sa.String(length=20), nullable=True),
    sa.Column('mainland_mobile', sa.String(length=20), nullable=True),
    sa.Column('document_expiry', sa.Date(), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('destination', sa.String(length=20), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_state', sa.String(length=20), nullable=False),
    sa.Column('rejection_reason', sa.String(length=40), nullable=True),
    sa.Column('rejection_note', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.account_id'], ),
    sa.PrimaryKeyConstraint('account_id')
    )


def downgrade() -> None:
    op.drop_table('person')
    op.drop_index('uq_cohabitant_document', table_name='cohabitant', postgresql_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_cohabitant_account_id'), table_name='cohabitant')
    op.drop_table('cohabitant')
    op.drop_index(op.f('ix_state_change_subject_id'), table_name='state_change')
    op.drop_index(op.f('ix_state_change_case_id'), table_name='state_change')
    op.drop_index(op.f('ix_state_change_account_id'), table_name='state_change')
    op.drop_table('state_change')
    op.drop_index(op.f('ix_review_case_state'), table_name='review_case')
    op.drop_index(op.f('ix_review_case_account_id'), table_name='review_case')
    op.drop_table('review_case')
    op.drop_table('reference_document')
    op.drop_table('published_period')
    op.drop_table('processed_event')
    op.drop_index(op.f('ix_event_outbox_state'), table_name='event_outbox')
    op.drop_table('event_outbox')
    op.drop_table('cohabitant_lock')
    op.drop_table('account')
