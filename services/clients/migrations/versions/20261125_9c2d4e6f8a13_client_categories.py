"""client categories as a configured list

Categories become a list operators create (seed 002); the categories clients already name are created
from them, so every record stays valid.

Revision ID: 9c2d4e6f8a13
Revises: 5beac8a4c6e4
Create Date: 2026-11-25 09:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9c2d4e6f8a13'
down_revision: str | None = '5beac8a4c6e4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'client_categories',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_client_categories')),
    )
    op.create_index('uq_client_categories_lower_name', 'client_categories', [sa.text('lower(name)')], unique=True)
    op.execute("""
        INSERT INTO client_categories (id, name, created_at)
        SELECT gen_random_uuid(), min(category), now() FROM clients
        WHERE category IS NOT NULL GROUP BY lower(category)""")


def downgrade() -> None:
    op.drop_index('uq_client_categories_lower_name', table_name='client_categories')
    op.drop_table('client_categories')
