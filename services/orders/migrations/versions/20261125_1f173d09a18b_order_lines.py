"""order lines

The price breakdown gets its own table. Orders placed before it were priced as one stay line per
participant at the order's unit price, so those lines are written from the rows that exist.

Revision ID: 1f173d09a18b
Revises: 582e5d143e6c
Create Date: 2026-11-25 06:10:47.522693
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '1f173d09a18b'
down_revision: str | None = '582e5d143e6c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('order_lines',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders')),
    sa.PrimaryKeyConstraint('order_id', 'position', name=op.f('pk_order_lines'))
    )
    op.execute("""
        INSERT INTO order_lines (order_id, position, participant_id, kind, label, quantity, unit_price, amount)
        SELECT o.id, p.position, p.participant_id, 'stay',
               'Séjour ' || o.stay_title || ' du ' || to_char(o.start_date, 'DD/MM/YYYY')
                   || ' au ' || to_char(o.end_date, 'DD/MM/YYYY') || ' – ' || p.first_name || ' ' || p.last_name,
               1, o.unit_price, o.unit_price
        FROM orders o JOIN order_participants p ON p.order_id = o.id
    """)


def downgrade() -> None:
    op.drop_table('order_lines')
