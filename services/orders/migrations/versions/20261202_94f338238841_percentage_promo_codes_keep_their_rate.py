"""a percentage promo code's rate kept on the order

A modification takes a percentage code off the new price, so the order keeps the rate it was applied with.
Orders placed before this revision get the rate their code has now: the one they were placed with, unless the
code was changed since (nothing recorded the older one).

Revision ID: 94f338238841
Revises: 7a1c3e9d5f20
Create Date: 2026-12-02 06:57:25.488482
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '94f338238841'
down_revision: str | None = '7a1c3e9d5f20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('order_terms', sa.Column('promo_percent', sa.Numeric(precision=5, scale=2), nullable=True))
    op.execute("""
        UPDATE order_terms SET promo_percent = promo_codes.value
        FROM promo_codes WHERE promo_codes.id = order_terms.promo_code_id AND promo_codes.kind = 'percent'
    """)


def downgrade() -> None:
    op.drop_column('order_terms', 'promo_percent')
