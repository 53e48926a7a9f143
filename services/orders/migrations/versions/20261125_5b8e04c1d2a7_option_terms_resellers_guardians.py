"""option durations per order, orders and quotes sold through a reseller, legal guardian per participant

Each order keeps the option and expired-option durations of its stay's organiser (stock's commercial
settings) when booked; orders booked before have none and keep following orders' configuration.
Orders and quotes name the reseller they are sold through, if any; each participant of an order may name
its legal guardian (none for participants booked before).

Revision ID: 5b8e04c1d2a7
Revises: 5d2f8c61a3e0
Create Date: 2026-11-25 08:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b8e04c1d2a7'
down_revision: str | None = '5d2f8c61a3e0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('orders', sa.Column('option_days', sa.Integer(), nullable=True))
    op.add_column('orders', sa.Column('expired_option_days', sa.Integer(), nullable=True))
    op.add_column('orders', sa.Column('reseller_id', sa.Uuid(), nullable=True))
    op.create_index(op.f('ix_orders_reseller_id'), 'orders', ['reseller_id'], unique=False)
    op.add_column('quotes', sa.Column('reseller_id', sa.Uuid(), nullable=True))
    op.add_column('order_participants', sa.Column('legal_guardian_id', sa.Uuid(), nullable=True))
    op.add_column('order_participants', sa.Column('legal_guardian_name', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('order_participants', 'legal_guardian_name')
    op.drop_column('order_participants', 'legal_guardian_id')
    op.drop_column('quotes', 'reseller_id')
    op.drop_index(op.f('ix_orders_reseller_id'), table_name='orders')
    op.drop_column('orders', 'reseller_id')
    op.drop_column('orders', 'expired_option_days')
    op.drop_column('orders', 'option_days')
