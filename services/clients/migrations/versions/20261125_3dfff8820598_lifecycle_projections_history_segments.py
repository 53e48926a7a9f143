"""lifecycle: order and billing projections, trash, alerts, account history, erasure requests, segments

Revision ID: 3dfff8820598
Revises: 55687821d687
Create Date: 2026-11-25 07:20:19.778552
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '3dfff8820598'
down_revision: str | None = '55687821d687'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('client_billing_documents',
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=50), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('invoice', 'credit_note')", name=op.f('ck_client_billing_documents_known_kind')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_client_billing_documents'))
    )
    op.create_index('ix_client_billing_documents_client_id', 'client_billing_documents', ['client_id'], unique=False)
    op.create_table('client_history',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=30), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_history'))
    )
    op.create_index('ix_client_history_client_id_at_id', 'client_history', ['client_id', 'at', 'id'], unique=False)
    op.create_table('client_orders',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount_paid', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('participant_ids', sa.ARRAY(sa.Uuid()), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state_version', sa.Integer(), nullable=False),
    sa.Column('paid_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_client_orders'))
    )
    op.create_index('ix_client_orders_client_id_placed_at', 'client_orders', ['client_id', 'placed_at'], unique=False)
    op.create_table('segments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('criteria', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segments'))
    )
    op.create_index('ix_segments_created_at_id', 'segments', ['created_at', 'id'], unique=False)
    op.create_index('uq_segments_lower_name', 'segments', [sa.literal_column('lower(name)')], unique=True)
    op.create_table('client_alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=50), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cleared_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_alerts_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_alerts'))
    )
    op.create_index('ix_client_alerts_client_id', 'client_alerts', ['client_id'], unique=False)
    op.create_index('ix_client_alerts_open', 'client_alerts', ['created_at', 'id'], unique=False, postgresql_where=sa.text('cleared_at IS NULL'))
    op.create_table('erasure_requests',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_erasure_requests_client_id_clients')),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_erasure_requests'))
    )
    op.add_column('clients', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('clients', sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_clients_trash', 'clients', ['deleted_at', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_clients_trash', table_name='clients', postgresql_where=sa.text('deleted_at IS NOT NULL'))
    op.drop_column('clients', 'anonymised_at')
    op.drop_column('clients', 'deleted_at')
    op.drop_table('erasure_requests')
    op.drop_index('ix_client_alerts_open', table_name='client_alerts', postgresql_where=sa.text('cleared_at IS NULL'))
    op.drop_index('ix_client_alerts_client_id', table_name='client_alerts')
    op.drop_table('client_alerts')
    op.drop_index('uq_segments_lower_name', table_name='segments')
    op.drop_index('ix_segments_created_at_id', table_name='segments')
    op.drop_table('segments')
    op.drop_index('ix_client_orders_client_id_placed_at', table_name='client_orders')
    op.drop_table('client_orders')
    op.drop_index('ix_client_history_client_id_at_id', table_name='client_history')
    op.drop_table('client_history')
    op.drop_index('ix_client_billing_documents_client_id', table_name='client_billing_documents')
    op.drop_table('client_billing_documents')
