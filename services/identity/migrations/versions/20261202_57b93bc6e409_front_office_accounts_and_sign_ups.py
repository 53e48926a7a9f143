"""front-office accounts and sign-ups: families' sign-ups and their verification links, the copy of clients'
clients and client types that decides front-office logins, one account per client and per legal guardian

Revision ID: 57b93bc6e409
Revises: 9bc152f6ee0d
Create Date: 2026-12-02 08:14:13.377114
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '57b93bc6e409'
down_revision: str | None = '9bc152f6ee0d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('client_types',
    sa.Column('client_type_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('front_office_account_allowed', sa.Boolean(), nullable=False),
    sa.Column('front_office_ordering_allowed', sa.Boolean(), nullable=False),
    sa.Column('legal_guardian_accounts', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('client_type_id', name=op.f('pk_client_types'))
    )
    op.create_table('clients',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('client_type_id', sa.Uuid(), nullable=True),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('client_code', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('inactive_message', sa.String(length=500), nullable=True),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('anonymised', sa.Boolean(), nullable=False),
    sa.Column('guardians', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_clients'))
    )
    op.create_index('ix_clients_client_code', 'clients', ['client_code'], unique=False)
    op.create_table('email_verifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_email_verifications_expires_after_creation')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_email_verifications_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_verifications')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_verifications_token_hash'))
    )
    op.create_index(op.f('ix_email_verifications_account_id'), 'email_verifications', ['account_id'], unique=False)
    op.create_table('sign_ups',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_sign_ups_account_id_accounts')),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_sign_ups'))
    )
    op.add_column('accounts', sa.Column('pending_verification', sa.Boolean(), server_default='false', nullable=False))
    op.create_check_constraint(op.f('ck_accounts_only_families_sign_up'), 'accounts',
                               "NOT pending_verification OR role = 'client'")
    op.create_index('uq_accounts_client_own', 'accounts', ['client_id'], unique=True, postgresql_where=sa.text("role <> 'legal_guardian'"))
    op.create_index('uq_accounts_guardian_id', 'accounts', ['guardian_id'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_accounts_guardian_id', table_name='accounts')
    op.drop_index('uq_accounts_client_own', table_name='accounts', postgresql_where=sa.text("role <> 'legal_guardian'"))
    op.drop_constraint(op.f('ck_accounts_only_families_sign_up'), 'accounts', type_='check')
    op.drop_column('accounts', 'pending_verification')
    op.drop_table('sign_ups')
    op.drop_index(op.f('ix_email_verifications_account_id'), table_name='email_verifications')
    op.drop_table('email_verifications')
    op.drop_index('ix_clients_client_code', table_name='clients')
    op.drop_table('clients')
    op.drop_table('client_types')
