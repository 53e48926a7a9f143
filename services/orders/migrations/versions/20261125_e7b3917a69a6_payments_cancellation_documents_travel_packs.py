"""payments, cancellation, documents, order PDFs, travel packs, attendance

Payments gain their details (label, bank, participant, third-party payer, collection, received day,
batch); orders their settled flag and cancellation amounts. Payments recorded before were immediate
and received when recorded, and an order they cover in full is settled.

Revision ID: e7b3917a69a6
Revises: 1f173d09a18b
Create Date: 2026-11-25 07:21:12.727938
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'e7b3917a69a6'
down_revision: str | None = '1f173d09a18b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('payment_batches',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('bank', sa.String(length=100), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_batches'))
    )
    op.create_table('third_party_payers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_third_party_payers')),
    sa.UniqueConstraint('name', name=op.f('uq_third_party_payers_name'))
    )
    op.create_table('order_documents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('uploaded_by', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_client', sa.Boolean(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_by', sa.String(length=200), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_documents_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_documents')),
    sa.UniqueConstraint('seq', name=op.f('uq_order_documents_seq'))
    )
    op.create_index(op.f('ix_order_documents_order_id'), 'order_documents', ['order_id'], unique=False)
    op.create_index(op.f('ix_order_documents_status'), 'order_documents', ['status'], unique=False)
    op.create_table('order_pdfs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('order_version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('snapshot', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_pdfs_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_pdfs')),
    sa.UniqueConstraint('order_id', 'number', name='uq_order_pdfs_order_id_number')
    )
    op.create_index(op.f('ix_order_pdfs_order_id'), 'order_pdfs', ['order_id'], unique=False)
    op.create_index(op.f('ix_order_pdfs_rendered_at'), 'order_pdfs', ['rendered_at'], unique=False)
    op.create_table('attendance',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('marked_by', sa.String(length=200), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_attendance_order_id_orders')),
    sa.PrimaryKeyConstraint('order_id', 'participant_id', name=op.f('pk_attendance'))
    )
    op.create_table('travel_packs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('departure_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attached_by', sa.String(length=200), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_travel_packs_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_packs'))
    )
    op.create_index(op.f('ix_travel_packs_departure_id'), 'travel_packs', ['departure_id'], unique=False)
    op.create_index(op.f('ix_travel_packs_order_id'), 'travel_packs', ['order_id'], unique=False)
    op.add_column('orders', sa.Column('travel_pack_mode', sa.String(length=20), nullable=True))
    op.add_column('orders', sa.Column('required_documents', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column('orders', sa.Column('file_complete', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('orders', sa.Column('settled', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('orders', sa.Column('cancellation_fees', sa.Numeric(precision=12, scale=2), nullable=True))
    op.add_column('orders', sa.Column('refund_due', sa.Numeric(precision=12, scale=2), nullable=True))
    op.add_column('orders', sa.Column('auto_invoicing_requested_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('payments', sa.Column('label', sa.String(length=200), nullable=False, server_default=''))
    op.add_column('payments', sa.Column('bank', sa.String(length=100), nullable=False, server_default=''))
    op.add_column('payments', sa.Column('participant_id', sa.Uuid(), nullable=True))
    op.add_column('payments', sa.Column('third_party_payer_id', sa.Uuid(), nullable=True))
    op.add_column('payments', sa.Column('collection', sa.String(length=20), nullable=False, server_default='received'))
    op.add_column('payments', sa.Column('received_on', sa.Date(), nullable=True))
    op.add_column('payments', sa.Column('batch_id', sa.Uuid(), nullable=True))
    op.create_index(op.f('ix_payments_batch_id'), 'payments', ['batch_id'], unique=False)
    op.create_index(op.f('ix_payments_third_party_payer_id'), 'payments', ['third_party_payer_id'], unique=False)
    op.create_foreign_key(op.f('fk_payments_batch_id_payment_batches'), 'payments', 'payment_batches', ['batch_id'], ['id'])
    op.create_foreign_key(op.f('fk_payments_third_party_payer_id_third_party_payers'), 'payments', 'third_party_payers', ['third_party_payer_id'], ['id'])
    op.execute("UPDATE payments SET received_on = (received_at AT TIME ZONE 'Europe/Paris')::date")
    op.execute("UPDATE orders SET settled = true WHERE total > 0 AND amount_paid >= total")


def downgrade() -> None:
    op.drop_constraint(op.f('fk_payments_third_party_payer_id_third_party_payers'), 'payments', type_='foreignkey')
    op.drop_constraint(op.f('fk_payments_batch_id_payment_batches'), 'payments', type_='foreignkey')
    op.drop_index(op.f('ix_payments_third_party_payer_id'), table_name='payments')
    op.drop_index(op.f('ix_payments_batch_id'), table_name='payments')
    op.drop_column('payments', 'batch_id')
    op.drop_column('payments', 'received_on')
    op.drop_column('payments', 'collection')
    op.drop_column('payments', 'third_party_payer_id')
    op.drop_column('payments', 'participant_id')
    op.drop_column('payments', 'bank')
    op.drop_column('payments', 'label')
    op.drop_column('orders', 'auto_invoicing_requested_at')
    op.drop_column('orders', 'refund_due')
    op.drop_column('orders', 'cancellation_fees')
    op.drop_column('orders', 'settled')
    op.drop_column('orders', 'file_complete')
    op.drop_column('orders', 'required_documents')
    op.drop_index(op.f('ix_order_documents_status'), table_name='order_documents')
    op.drop_index(op.f('ix_order_documents_order_id'), table_name='order_documents')
    op.drop_table('order_documents')
    op.drop_index(op.f('ix_order_pdfs_rendered_at'), table_name='order_pdfs')
    op.drop_index(op.f('ix_order_pdfs_order_id'), table_name='order_pdfs')
    op.drop_table('order_pdfs')
    op.drop_column('orders', 'travel_pack_mode')
    op.drop_index(op.f('ix_travel_packs_order_id'), table_name='travel_packs')
    op.drop_index(op.f('ix_travel_packs_departure_id'), table_name='travel_packs')
    op.drop_table('travel_packs')
    op.drop_table('attendance')
    op.drop_table('third_party_payers')
    op.drop_table('payment_batches')
