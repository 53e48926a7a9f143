"""cancellation invoices

An invoice is now either the order's invoice or a cancellation invoice for the fees of a cancelled
order; both take their numbers in the same F series. Invoices issued before were all order invoices.

Revision ID: b5c1d2e3f4a5
Revises: deffaa734f87
Create Date: 2026-11-25 07:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b5c1d2e3f4a5'
down_revision: str | None = 'deffaa734f87'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('invoices', sa.Column('kind', sa.String(length=20), nullable=False, server_default='order'))


def downgrade() -> None:
    op.drop_column('invoices', 'kind')
