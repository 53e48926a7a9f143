"""order pricing, membership history, promo codes, modifications, quotes

The breakdown's order-wide lines (add-ons, discounts, reductions) belong to no participant, so an
order line's participant becomes optional; existing lines all keep theirs. Orders placed before
this revision have no terms row: they show no deposit, no promo code and an undisputed client, and
a modification of them starts from their participants without transport or extras.

Revision ID: bf52aa967f23
Revises: 1f173d09a18b
Create Date: 2026-11-25 07:30:30.842004
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'bf52aa967f23'
down_revision: str | None = '1f173d09a18b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence('quote_number_seq')))
    op.create_table('promo_codes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('max_uses', sa.Integer(), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promo_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_promo_codes_code'))
    )
    op.create_table('membership_charges',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('scope_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('cycle_start', sa.Date(), nullable=False),
    sa.Column('cycle_end', sa.Date(), nullable=False),
    sa.Column('charged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_membership_charges_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_charges'))
    )
    op.create_index(op.f('ix_membership_charges_client_id'), 'membership_charges', ['client_id'], unique=False)
    op.create_index(op.f('ix_membership_charges_order_id'), 'membership_charges', ['order_id'], unique=False)
    op.create_table('order_modifications',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('proposal', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_modifications_order_id_orders')),
    sa.PrimaryKeyConstraint('order_id', 'version', name=op.f('pk_order_modifications'))
    )
    op.create_table('order_terms',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('client_disputed', sa.Boolean(), nullable=False),
    sa.Column('group_order', sa.Boolean(), nullable=False),
    sa.Column('promo_code_id', sa.Uuid(), nullable=True),
    sa.Column('promo_code', sa.String(length=40), nullable=True),
    sa.Column('organiser_id', sa.Uuid(), nullable=True),
    sa.Column('deposit_percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('deposit_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('deposit_late', sa.Boolean(), nullable=True),
    sa.Column('front_office_means', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('membership_note', sa.Text(), nullable=True),
    sa.Column('choices', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_terms_order_id_orders')),
    sa.ForeignKeyConstraint(['promo_code_id'], ['promo_codes.id'], name=op.f('fk_order_terms_promo_code_id_promo_codes')),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_order_terms'))
    )
    op.create_table('quotes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('client_disputed', sa.Boolean(), nullable=False),
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('stay_title', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('participants', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('choices', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('adjustments', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('lines', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('deposit_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('membership_note', sa.Text(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_quotes_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('reference', name=op.f('uq_quotes_reference'))
    )
    op.create_index(op.f('ix_quotes_client_id'), 'quotes', ['client_id'], unique=False)
    op.create_index(op.f('ix_quotes_status'), 'quotes', ['status'], unique=False)
    op.alter_column('order_lines', 'participant_id',
               existing_type=sa.UUID(),
               nullable=True)


def downgrade() -> None:
    op.alter_column('order_lines', 'participant_id',
               existing_type=sa.UUID(),
               nullable=False)
    op.drop_index(op.f('ix_quotes_status'), table_name='quotes')
    op.drop_index(op.f('ix_quotes_client_id'), table_name='quotes')
    op.drop_table('quotes')
    op.drop_table('order_terms')
    op.drop_table('order_modifications')
    op.drop_index(op.f('ix_membership_charges_order_id'), table_name='membership_charges')
    op.drop_index(op.f('ix_membership_charges_client_id'), table_name='membership_charges')
    op.drop_table('membership_charges')
    op.drop_table('promo_codes')
    op.execute(sa.schema.DropSequence(sa.Sequence('quote_number_seq')))
