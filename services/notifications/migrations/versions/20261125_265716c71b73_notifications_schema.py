"""notifications schema

Revision ID: 265716c71b73
Revises: 
Create Date: 2026-11-25 04:48:35.587410
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '265716c71b73'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contacts',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('recipient_preference', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_contacts'))
    )
    op.create_table('departures',
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('stay_title', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('departure_id', name=op.f('pk_departures'))
    )
    op.create_table('emails',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('template', sa.String(length=50), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('recipients', postgresql.ARRAY(sa.String(length=320)), nullable=False),
    sa.Column('bcc', postgresql.ARRAY(sa.String(length=320)), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sent', 'failed')", name=op.f('ck_emails_known_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emails')),
    sa.UniqueConstraint('event_id', name=op.f('uq_emails_event_id'))
    )
    op.create_index(op.f('ix_emails_client_id'), 'emails', ['client_id'], unique=False)
    op.create_index('ix_emails_due', 'emails', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status = 'queued'"))
    op.create_index(op.f('ix_emails_order_id'), 'emails', ['order_id'], unique=False)
    op.create_index(op.f('ix_emails_template'), 'emails', ['template'], unique=False)
    op.create_table('aggregate_versions',
    sa.Column('consumer', sa.String(length=100), nullable=False),
    sa.Column('aggregate_type', sa.String(length=50), nullable=False),
    sa.Column('aggregate_id', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'aggregate_type', 'aggregate_id', name=op.f('pk_aggregate_versions'))
    )
    op.create_table('idempotency_keys',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', 'scope', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('inbox',
    sa.Column('consumer', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id', name=op.f('pk_inbox'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('routing_key', sa.String(length=200), nullable=False),
    sa.Column('aggregate_type', sa.String(length=50), nullable=False),
    sa.Column('aggregate_id', sa.String(length=100), nullable=False),
    sa.Column('envelope', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    op.create_index('ix_outbox_unsent', 'outbox', ['aggregate_type', 'aggregate_id', 'seq'], unique=False, postgresql_where=sa.text('sent_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_outbox_unsent', table_name='outbox', postgresql_where=sa.text('sent_at IS NULL'))
    op.drop_table('outbox')
    op.drop_table('inbox')
    op.drop_table('idempotency_keys')
    op.drop_table('aggregate_versions')
    op.drop_index(op.f('ix_emails_template'), table_name='emails')
    op.drop_index(op.f('ix_emails_order_id'), table_name='emails')
    op.drop_index('ix_emails_due', table_name='emails', postgresql_where=sa.text("status = 'queued'"))
    op.drop_index(op.f('ix_emails_client_id'), table_name='emails')
    op.drop_table('emails')
    op.drop_table('departures')
    op.drop_table('contacts')
