"""booking tables

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_status',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=80), nullable=True),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reinstated_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('capacity',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('date')
    )
    op.create_table('date_counter',
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('shard', sa.SmallInteger(), nullable=False),
    sa.Column('applications', sa.Integer(), nullable=False),
    sa.Column('applicants', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('period', 'date', 'shard')
    )
    op.create_table('entry_record',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_type', 'document_number', 'entry_date', name='uq_entry_record')
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
    op.create_table('party',
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('lang', sa.String(length=10), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('person', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('cohabitants', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('period',
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('period')
    )
    op.create_table('processed_event',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('consumer', sa.String(length=80), nullable=False),
    sa.Column('event_type', sa.String(length=120), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'consumer')
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('application',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('application_number', sa.String(length=16), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('party', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('party_size', sa.SmallInteger(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['period'], ['period.period'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_number')
    )
    op.create_index('ix_application_account', 'application', ['account_id', 'date'], unique=False)
    op.create_index('ix_application_period_date', 'application', ['period', 'date'], unique=False)
    op.create_table('party_claim',
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('application_number', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['application_number'], ['application.application_number'], ),
    sa.PrimaryKeyConstraint('period', 'date', 'document_type', 'document_number')
    )
    op.create_table('reservation',
    sa.Column('application_number', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.String(length=64), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('party_size', sa.SmallInteger(), nullable=False),
    sa.Column('holder_document_type', sa.String(length=40), nullable=False),
    sa.Column('holder_document_number', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_number'], ['application.application_number'], ),
    sa.PrimaryKeyConstraint('application_number')
    )
    op.create_index(op.f('ix_reservation_account_id'), 'reservation', ['account_id'], unique=False)
    op.create_index('ix_reservation_date_state', 'reservation', ['date', 'state'], unique=False)
    op.create_table('reservation_person',
    sa.Column('application_number', sa.String(length=16), nullable=False),
    sa.Column('document_type', sa.String(length=40), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['application_number'], ['reservation.application_number'], ),
    sa.PrimaryKeyConstraint('application_number', 'document_type', 'document_number')
    )
    op.create_index('ix_reservation_person_document', 'reservation_person', ['document_type', 'document_number', 'date'], unique=False)


def downgrade():
    op.drop_index('ix_reservation_person_document', table_name='reservation_person')
    op.drop_table('reservation_person')
    op.drop_index('ix_reservation_date_state', table_name='reservation')
    op.drop_index(op.f('ix_reservation_account_id'), table_name='reservation')
    op.drop_table('reservation')
    op.drop_table('party_claim')
    op.drop_index('ix_application_period_date', table_name='application')
    op.drop_index('ix_application_account', table_name='application')
    op.drop_table('application')
    op.drop_table('setting')
    op.drop_table('processed_event')
    op.drop_table('period')
    op.drop_table('party')
    op.drop_index(op.f('ix_event_outbox_state'), table_name='event_outbox')
    op.drop_table('event_outbox')
    op.drop_table('entry_record')
    op.drop_table('date_counter')
    op.drop_table('capacity')
    op.drop_table('account_status')
