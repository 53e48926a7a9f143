"""reminders: the orders they need, the ones sent, and their three templates

Revision ID: 2b14041a1d3c
Revises: 052483a0b951
Create Date: 2026-12-02 10:28:20.700542
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from notifications.domain.mails import MailTemplate
from notifications.mail_templates import shipped_versions

revision: str = '2b14041a1d3c'
down_revision: str | None = '052483a0b951'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('orders',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=50), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount_paid', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('option_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('settled', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('missing_documents', postgresql.ARRAY(sa.String(length=200)), nullable=True),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_orders'))
    )
    op.create_index(op.f('ix_orders_status'), 'orders', ['status'], unique=False)
    op.create_table('reminders',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('email_id', sa.Uuid(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('order_id', 'kind', 'key', name=op.f('pk_reminders'))
    )
    templates = sa.table('template_versions', *(sa.column(c) for c in (
        'id', 'template', 'language', 'version', 'subject', 'body_text', 'body_html', 'author', 'created_at')))
    op.bulk_insert(templates, shipped_versions(datetime.now(UTC), [
        MailTemplate.OPTION_REMINDER, MailTemplate.BALANCE_REMINDER, MailTemplate.DOCUMENTS_REMINDER]))


def downgrade() -> None:
    op.execute("DELETE FROM template_versions WHERE template IN "
               "('option_reminder', 'balance_reminder', 'documents_reminder')")
    op.drop_table('reminders')
    op.drop_index(op.f('ix_orders_status'), table_name='orders')
    op.drop_table('orders')
