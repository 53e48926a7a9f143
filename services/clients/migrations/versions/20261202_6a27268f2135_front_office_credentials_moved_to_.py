"""front-office credentials moved to identity, client type versions, newsletter subscriptions, history actor names

Identity now holds every password and reset link: the front-office password hashes, the guardians' account flag and
the reset links go. They cannot travel to identity's database (no service reads another's): a family that had a
password asks for a new one by e-mail (identity's POST /password-resets), once staff gave it an account there.

Revision ID: 6a27268f2135
Revises: a7c3e5f90b12
Create Date: 2026-12-02 08:22:16.567946
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '6a27268f2135'
down_revision: str | None = 'a7c3e5f90b12'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('newsletter_subscriptions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_newsletter_subscriptions_expires_after_creation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_subscriptions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_newsletter_subscriptions_token_hash'))
    )
    op.drop_index(op.f('ix_password_resets_client_id'), table_name='password_resets')
    op.drop_index(op.f('ix_password_resets_legal_guardian_id'), table_name='password_resets')
    op.drop_index(op.f('uq_password_resets_token_hash'), table_name='password_resets')
    op.drop_table('password_resets')
    op.add_column('client_history', sa.Column('actor_name', sa.String(length=200), nullable=True))
    op.add_column('client_history', sa.Column('actor_email', sa.String(length=254), nullable=True))
    op.add_column('client_types', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.drop_column('clients', 'password_hash')
    op.drop_column('legal_guardians', 'front_office_account')
    op.drop_column('legal_guardians', 'password_hash')


def downgrade() -> None:
    op.add_column('legal_guardians', sa.Column('password_hash', sa.VARCHAR(length=200), autoincrement=False, nullable=True))
    op.add_column('legal_guardians', sa.Column('front_office_account', sa.BOOLEAN(), server_default=sa.false(),
                                               autoincrement=False, nullable=False))
    op.add_column('clients', sa.Column('password_hash', sa.VARCHAR(length=200), autoincrement=False, nullable=True))
    op.drop_column('client_types', 'version')
    op.drop_column('client_history', 'actor_email')
    op.drop_column('client_history', 'actor_name')
    op.create_table('password_resets',
    sa.Column('id', sa.UUID(), autoincrement=False, nullable=False),
    sa.Column('client_id', sa.UUID(), autoincrement=False, nullable=False),
    sa.Column('token_hash', sa.VARCHAR(length=64), autoincrement=False, nullable=False),
    sa.Column('expires_at', postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=False),
    sa.Column('used_at', postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=True),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=False),
    sa.Column('legal_guardian_id', sa.UUID(), autoincrement=False, nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_password_resets_client_id_clients')),
    sa.ForeignKeyConstraint(['legal_guardian_id'], ['legal_guardians.id'], name=op.f('fk_password_resets_legal_guardian_id_legal_guardians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets'))
    )
    op.create_index(op.f('uq_password_resets_token_hash'), 'password_resets', ['token_hash'], unique=True)
    op.create_index(op.f('ix_password_resets_legal_guardian_id'), 'password_resets', ['legal_guardian_id'], unique=False)
    op.create_index(op.f('ix_password_resets_client_id'), 'password_resets', ['client_id'], unique=False)
    op.drop_table('newsletter_subscriptions')
