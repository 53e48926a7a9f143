"""travel pack available flag, the client type's allowance, modifications proposed to stock or withdrawn

Orders gain the stored travel pack available flag and the client type's allowance as last asked of
clients; orders placed before are available when settled, complete and shown a pack. Modifications
say whether they went through stock (those proposed to stock are the ones whose summary says so), and a
withdrawn one names the order version that asked stock to take it back.

Revision ID: 5d2f8c61a3e0
Revises: 0c5a1e2b9d47
Create Date: 2026-11-25 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5d2f8c61a3e0'
down_revision: str | None = '0c5a1e2b9d47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('orders', sa.Column('travel_pack_available', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.add_column('orders', sa.Column('travel_pack_allowed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_index(op.f('ix_orders_travel_pack_available'), 'orders', ['travel_pack_available'])
    op.add_column('order_modifications', sa.Column('through_stock', sa.Boolean(), nullable=False,
                                                   server_default=sa.false()))
    op.add_column('order_modifications', sa.Column('returned_by', sa.Integer(), nullable=True))
    op.execute("""
        UPDATE orders SET travel_pack_available = true
        WHERE settled AND file_complete AND EXISTS (
            SELECT 1 FROM travel_packs p WHERE p.order_id = orders.id OR p.departure_id = orders.departure_id)""")
    op.execute("UPDATE order_modifications SET through_stock = summary LIKE 'Modification proposée au stock%'")


def downgrade() -> None:
    op.drop_column('order_modifications', 'returned_by')
    op.drop_column('order_modifications', 'through_stock')
    op.drop_index(op.f('ix_orders_travel_pack_available'), table_name='orders')
    op.drop_column('orders', 'travel_pack_allowed')
    op.drop_column('orders', 'travel_pack_available')
