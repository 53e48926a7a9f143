"""the order's follow-up notes and the client's additional information

Operators' internal notes on an order, kept as written, and the client's own free text (seed 001).

Revision ID: 7a1c3e9d5f20
Revises: 5b8e04c1d2a7
Create Date: 2026-11-25 09:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7a1c3e9d5f20'
down_revision: str | None = '5b8e04c1d2a7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('orders', sa.Column('additional_information', sa.Text(), nullable=True))
    op.create_table(
        'follow_up_notes',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('seq', sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column('order_id', sa.Uuid(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('author', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_follow_up_notes_order_id_orders')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_notes')),
        sa.UniqueConstraint('seq', name=op.f('uq_follow_up_notes_seq')),
    )
    op.create_index('ix_follow_up_notes_order_id_seq', 'follow_up_notes', ['order_id', 'seq'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_follow_up_notes_order_id_seq', table_name='follow_up_notes')
    op.drop_table('follow_up_notes')
    op.drop_column('orders', 'additional_information')
