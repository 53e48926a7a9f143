"""card payments on the provider's hosted page: its sessions, the notifications applied, the provider's reference
of a payment

New tables and a nullable column: nothing to backfill, safe while the previous release runs.

Revision ID: 860abdeb8a21
Revises: d9ddc8204085
Create Date: 2026-12-02 08:11:21.071795
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '860abdeb8a21'
down_revision: str | None = 'd9ddc8204085'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('provider_events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_events'))
    )
    op.create_table('payment_sessions',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('provider_payment_id', sa.String(length=255), nullable=True),
    sa.Column('refusal', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_payment_sessions_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_sessions'))
    )
    op.create_index(op.f('ix_payment_sessions_order_id'), 'payment_sessions', ['order_id'], unique=False)
    op.add_column('payments', sa.Column('provider_reference', sa.String(length=255), nullable=True))
    op.create_unique_constraint(op.f('uq_payments_provider_reference'), 'payments', ['provider_reference'])


def downgrade() -> None:
    op.drop_constraint(op.f('uq_payments_provider_reference'), 'payments', type_='unique')
    op.drop_column('payments', 'provider_reference')
    op.drop_index(op.f('ix_payment_sessions_order_id'), table_name='payment_sessions')
    op.drop_table('payment_sessions')
    op.drop_table('provider_events')
