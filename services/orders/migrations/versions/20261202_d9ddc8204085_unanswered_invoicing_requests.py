"""when an order's invoicing was asked of billing, until the invoice arrives

The job that re-drives unanswered invoicing requests reads it. An order not invoiced whose last invoicing line in
the workflow log is a request gets that request's time.

Revision ID: d9ddc8204085
Revises: 94f338238841
Create Date: 2026-12-02 07:17:50.133219
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd9ddc8204085'
down_revision: str | None = '94f338238841'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('orders', sa.Column('invoicing_requested_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("""
        UPDATE orders SET invoicing_requested_at = last.at
        FROM (SELECT DISTINCT ON (order_id) order_id, action, at FROM workflow_log
              WHERE action IN ('invoicing_requested', 'invoiced', 'uninvoiced')
              ORDER BY order_id, seq DESC) AS last
        WHERE last.order_id = orders.id AND last.action = 'invoicing_requested' AND NOT orders.invoiced
    """)


def downgrade() -> None:
    op.drop_column('orders', 'invoicing_requested_at')
