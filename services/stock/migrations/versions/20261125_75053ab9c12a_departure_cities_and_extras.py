"""departure cities and extras

Revision ID: 75053ab9c12a
Revises: 186c31f99f2c
Create Date: 2026-11-25 06:00:55.214163
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '75053ab9c12a'
down_revision: str | None = '186c31f99f2c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('departure_cities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('fare', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('fare >= 0', name=op.f('ck_departure_cities_fare_not_negative')),
    sa.ForeignKeyConstraint(['departure_id'], ['departures.id'], name=op.f('fk_departure_cities_departure_id_departures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departure_cities')),
    sa.UniqueConstraint('departure_id', 'city', name='uq_departure_cities_departure_city')
    )
    op.create_index(op.f('ix_departure_cities_departure_id'), 'departure_cities', ['departure_id'], unique=False)
    op.create_table('extras',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_extras_capacity_not_negative')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_extras_price_not_negative')),
    sa.ForeignKeyConstraint(['departure_id'], ['departures.id'], name=op.f('fk_extras_departure_id_departures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extras'))
    )
    op.create_index(op.f('ix_extras_departure_id'), 'extras', ['departure_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_extras_departure_id'), table_name='extras')
    op.drop_table('extras')
    op.drop_index(op.f('ix_departure_cities_departure_id'), table_name='departure_cities')
    op.drop_table('departure_cities')
