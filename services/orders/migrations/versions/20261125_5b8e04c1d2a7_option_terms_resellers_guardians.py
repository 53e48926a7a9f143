"""option durations per order

Each order keeps the option and expired-option durations of its stay's organiser (stock's commercial
settings) when booked; orders booked before have none and keep following orders' configuration.

Revision ID: 5b8e04c1d2a7
Revises: 0c5a1e2b9d47
Create Date: 2026-11-25 08:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b8e04c1d2a7'
down_revision: str | None = '0c5a1e2b9d47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('orders', sa.Column('option_days', sa.Integer(), nullable=True))
    op.add_column('orders', sa.Column('expired_option_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('orders', 'expired_option_days')
    op.drop_column('orders', 'option_days')
