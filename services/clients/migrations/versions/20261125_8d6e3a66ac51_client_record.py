"""client record: contact, professional and billing fields, client code, notes, referrer

Revision ID: 8d6e3a66ac51
Revises: 55687821d687
Create Date: 2026-11-25 07:21:55.730633
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '8d6e3a66ac51'
down_revision: str | None = '55687821d687'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def backfill_client_codes() -> None:
    """Give the clients created before the code their default code, and let the search find it."""
    op.execute("""
        WITH numbered AS (SELECT id FROM clients ORDER BY created_at, id)
        UPDATE clients SET client_code = 'C' || lpad(nextval('client_numbers')::text, 7, '0')
        FROM numbered WHERE clients.id = numbered.id
    """)
    op.execute("UPDATE clients SET search_text = search_text || ' ' || lower(client_code)")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE client_numbers")
    op.add_column('clients', sa.Column('work_phone', sa.String(length=30), nullable=True))
    op.add_column('clients', sa.Column('fax', sa.String(length=30), nullable=True))
    op.add_column('clients', sa.Column('birth_date', sa.Date(), nullable=True))
    op.add_column('clients', sa.Column('sales_operator', sa.String(length=100), nullable=True))
    op.add_column('clients', sa.Column('category', sa.String(length=100), nullable=True))
    op.add_column('clients', sa.Column('internal_code_1', sa.String(length=50), nullable=True))
    op.add_column('clients', sa.Column('internal_code_2', sa.String(length=50), nullable=True))
    op.add_column('clients', sa.Column('client_code', sa.String(length=40), nullable=True))
    op.add_column('clients', sa.Column('siret', sa.String(length=14), nullable=True))
    op.add_column('clients', sa.Column('siren', sa.String(length=9), nullable=True))
    op.add_column('clients', sa.Column('naf_code', sa.String(length=6), nullable=True))
    op.add_column('clients', sa.Column('vat_number', sa.String(length=20), nullable=True))
    op.add_column('clients', sa.Column('vat_validated', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('tax_exempt', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('billing_excluding_tax', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('accounting_code', sa.String(length=30), nullable=True))
    op.add_column('clients', sa.Column('anonymous_accounting_code', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('permanent_discount_rate', sa.Numeric(precision=5, scale=2), server_default='0', nullable=False))
    op.add_column('clients', sa.Column('payment_terms', sa.String(length=200), nullable=True))
    op.add_column('clients', sa.Column('deferred_payment_allowed', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('deferred_payment_terms', sa.Text(), nullable=True))
    op.add_column('clients', sa.Column('credit_limit', sa.Numeric(precision=12, scale=2), nullable=True))
    op.add_column('clients', sa.Column('markup', sa.Numeric(precision=5, scale=2), nullable=True))
    op.add_column('clients', sa.Column('all_offers', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('info', sa.Text(), nullable=True))
    op.add_column('clients', sa.Column('welcome_message', sa.Text(), nullable=True))
    op.add_column('clients', sa.Column('referrer_id', sa.Uuid(), nullable=True))
    op.add_column('clients', sa.Column('notes_text', sa.Text(), server_default='', nullable=False))
    backfill_client_codes()
    op.alter_column('clients', 'client_code', nullable=False)
    op.create_check_constraint(op.f('ck_clients_discount_rate_percent'), 'clients', 'permanent_discount_rate BETWEEN 0 AND 100')
    op.create_check_constraint(op.f('ck_clients_markup_percent'), 'clients', 'markup IS NULL OR markup BETWEEN 0 AND 100')
    op.create_check_constraint(op.f('ck_clients_credit_limit_positive'), 'clients', 'credit_limit IS NULL OR credit_limit >= 0')
    op.create_index('ix_clients_email', 'clients', ['email'], unique=False)
    op.create_index('ix_clients_notes_text', 'clients', ['notes_text'], unique=False, postgresql_using='gin', postgresql_ops={'notes_text': 'gin_trgm_ops'})
    op.create_index(op.f('ix_clients_referrer_id'), 'clients', ['referrer_id'], unique=False)
    op.create_index('ix_clients_sort_name_postal_code', 'clients', ['sort_name', 'postal_code'], unique=False)
    op.create_index('uq_clients_client_code', 'clients', ['client_code'], unique=True)
    op.create_foreign_key(op.f('fk_clients_referrer_id_clients'), 'clients', 'clients', ['referrer_id'], ['id'])
    op.create_table('client_contacts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('civility', sa.String(length=20), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('copy_on_emails', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_contacts_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_contacts'))
    )
    op.create_index('ix_client_contacts_client_id_created_at_id', 'client_contacts', ['client_id', 'created_at', 'id'], unique=False)
    op.create_table('legal_guardians',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('civility', sa.String(length=20), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('mobile', sa.String(length=30), nullable=True),
    sa.Column('landline', sa.String(length=30), nullable=True),
    sa.Column('work_phone', sa.String(length=30), nullable=True),
    sa.Column('address_lines', sa.ARRAY(sa.String(length=200)), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('front_office_account', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_legal_guardians_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_guardians'))
    )
    op.create_index('ix_legal_guardians_client_id_created_at_id', 'legal_guardians', ['client_id', 'created_at', 'id'], unique=False)
    op.add_column('participants', sa.Column('address_lines', sa.ARRAY(sa.String(length=200)), server_default='{}', nullable=False))
    op.add_column('participants', sa.Column('postal_code', sa.String(length=20), nullable=True))
    op.add_column('participants', sa.Column('city', sa.String(length=100), nullable=True))
    op.add_column('participants', sa.Column('country', sa.String(length=2), server_default='FR', nullable=False))
    op.add_column('participants', sa.Column('health_data', sa.Text(), nullable=True))
    op.create_table('wallet_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('cashback', 'referral', 'order')", name=op.f('ck_wallet_entries_known_source')),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_wallet_entries_amount_not_zero')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_wallet_entries_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wallet_entries'))
    )
    op.create_index('ix_wallet_entries_client_id_created_at_id', 'wallet_entries', ['client_id', 'created_at', 'id'], unique=False)
    op.create_index('uq_wallet_entries_client_id_reference', 'wallet_entries', ['client_id', 'reference'], unique=True)
    op.create_table('custom_fields',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('options', sa.ARRAY(sa.String(length=200)), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("type IN ('text', 'number', 'date', 'yes_no', 'list')", name=op.f('ck_custom_fields_known_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_fields'))
    )
    op.create_index('ix_custom_fields_position_id', 'custom_fields', ['position', 'id'], unique=False)
    op.create_index('uq_custom_fields_lower_name', 'custom_fields', [sa.literal_column('lower(name)')], unique=True)
    op.create_table('custom_values',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('field_id', sa.Uuid(), nullable=False),
    sa.Column('value', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_custom_values_client_id_clients')),
    sa.ForeignKeyConstraint(['field_id'], ['custom_fields.id'], name=op.f('fk_custom_values_field_id_custom_fields')),
    sa.PrimaryKeyConstraint('client_id', 'field_id', name=op.f('pk_custom_values'))
    )
    op.create_index('ix_custom_values_field_id', 'custom_values', ['field_id'], unique=False)
    op.create_table('consent_history',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('given', 'withdrawn', 'confirmed')", name=op.f('ck_consent_history_known_action')),
    sa.CheckConstraint("topic IN ('newsletter', 'partner_offers')", name=op.f('ck_consent_history_known_topic')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_consent_history_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_history'))
    )
    op.create_index('ix_consent_history_client_id_recorded_at_id', 'consent_history', ['client_id', 'recorded_at', 'id'], unique=False)
    op.add_column('clients', sa.Column('newsletter_consent', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('partner_offers_consent', sa.Boolean(), server_default='false', nullable=False))
    op.create_table('password_resets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_password_resets_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets'))
    )
    op.create_index(op.f('ix_password_resets_client_id'), 'password_resets', ['client_id'], unique=False)
    op.create_index('uq_password_resets_token_hash', 'password_resets', ['token_hash'], unique=True)
    op.add_column('clients', sa.Column('password_hash', sa.String(length=200), nullable=True))
    op.create_table('client_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('linked_client_id', sa.Uuid(), nullable=False),
    sa.Column('adjustment', sa.String(length=10), nullable=False),
    sa.Column('rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('granted_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("adjustment IN ('markup', 'discount')", name=op.f('ck_client_links_known_adjustment')),
    sa.CheckConstraint('client_id <> linked_client_id', name=op.f('ck_client_links_not_itself')),
    sa.CheckConstraint('rate > 0 AND rate <= 100', name=op.f('ck_client_links_rate_percent')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_links_client_id_clients')),
    sa.ForeignKeyConstraint(['linked_client_id'], ['clients.id'], name=op.f('fk_client_links_linked_client_id_clients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_links'))
    )
    op.create_index('ix_client_links_client_id_created_at_id', 'client_links', ['client_id', 'created_at', 'id'], unique=False)
    op.create_index('uq_client_links_client_id_linked_client_id', 'client_links', ['client_id', 'linked_client_id'], unique=True)
    op.add_column('legal_guardians', sa.Column('password_hash', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('legal_guardians', 'password_hash')
    op.drop_index('uq_client_links_client_id_linked_client_id', table_name='client_links')
    op.drop_index('ix_client_links_client_id_created_at_id', table_name='client_links')
    op.drop_table('client_links')
    op.drop_column('clients', 'password_hash')
    op.drop_index('uq_password_resets_token_hash', table_name='password_resets')
    op.drop_index(op.f('ix_password_resets_client_id'), table_name='password_resets')
    op.drop_table('password_resets')
    op.drop_column('clients', 'partner_offers_consent')
    op.drop_column('clients', 'newsletter_consent')
    op.drop_index('ix_consent_history_client_id_recorded_at_id', table_name='consent_history')
    op.drop_table('consent_history')
    op.drop_index('ix_custom_values_field_id', table_name='custom_values')
    op.drop_table('custom_values')
    op.drop_index('uq_custom_fields_lower_name', table_name='custom_fields')
    op.drop_index('ix_custom_fields_position_id', table_name='custom_fields')
    op.drop_table('custom_fields')
    op.drop_index('uq_wallet_entries_client_id_reference', table_name='wallet_entries')
    op.drop_index('ix_wallet_entries_client_id_created_at_id', table_name='wallet_entries')
    op.drop_table('wallet_entries')
    op.drop_column('participants', 'health_data')
    op.drop_column('participants', 'country')
    op.drop_column('participants', 'city')
    op.drop_column('participants', 'postal_code')
    op.drop_column('participants', 'address_lines')
    op.drop_index('ix_legal_guardians_client_id_created_at_id', table_name='legal_guardians')
    op.drop_table('legal_guardians')
    op.drop_index('ix_client_contacts_client_id_created_at_id', table_name='client_contacts')
    op.drop_table('client_contacts')
    for name in ('discount_rate_percent', 'markup_percent', 'credit_limit_positive'):
        op.drop_constraint(op.f(f'ck_clients_{name}'), 'clients', type_='check')
    op.drop_constraint(op.f('fk_clients_referrer_id_clients'), 'clients', type_='foreignkey')
    op.drop_index('uq_clients_client_code', table_name='clients')
    op.drop_index('ix_clients_sort_name_postal_code', table_name='clients')
    op.drop_index(op.f('ix_clients_referrer_id'), table_name='clients')
    op.drop_index('ix_clients_notes_text', table_name='clients', postgresql_using='gin', postgresql_ops={'notes_text': 'gin_trgm_ops'})
    op.drop_index('ix_clients_email', table_name='clients')
    op.drop_column('clients', 'notes_text')
    op.drop_column('clients', 'referrer_id')
    op.drop_column('clients', 'welcome_message')
    op.drop_column('clients', 'info')
    op.drop_column('clients', 'all_offers')
    op.drop_column('clients', 'markup')
    op.drop_column('clients', 'credit_limit')
    op.drop_column('clients', 'deferred_payment_terms')
    op.drop_column('clients', 'deferred_payment_allowed')
    op.drop_column('clients', 'payment_terms')
    op.drop_column('clients', 'permanent_discount_rate')
    op.drop_column('clients', 'anonymous_accounting_code')
    op.drop_column('clients', 'accounting_code')
    op.drop_column('clients', 'billing_excluding_tax')
    op.drop_column('clients', 'tax_exempt')
    op.drop_column('clients', 'vat_validated')
    op.drop_column('clients', 'vat_number')
    op.drop_column('clients', 'naf_code')
    op.drop_column('clients', 'siren')
    op.drop_column('clients', 'siret')
    op.drop_column('clients', 'client_code')
    op.drop_column('clients', 'internal_code_2')
    op.drop_column('clients', 'internal_code_1')
    op.drop_column('clients', 'category')
    op.drop_column('clients', 'sales_operator')
    op.drop_column('clients', 'birth_date')
    op.drop_column('clients', 'fax')
    op.drop_column('clients', 'work_phone')
    op.execute("DROP SEQUENCE client_numbers")
