"""reseller clients from clients events

Revision ID: 3068df9e1c43
Revises: 1bcfea4d5699
Create Date: 2026-12-02 07:18:22.394649
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '3068df9e1c43'
down_revision: str | None = '1bcfea4d5699'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('clients',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('markup', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('all_offers', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('all_offers_assigned_on', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('markup IS NULL OR markup BETWEEN 0 AND 100', name=op.f('ck_clients_markup_percent')),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_clients'))
    )
    # The resellers typed into stock stand for their clients until clients' next event about each says otherwise.
    op.execute("INSERT INTO clients (client_id, kind, name, markup, all_offers, deleted, all_offers_assigned_on, "
               "recorded_at) SELECT client_id, 'professional', name, LEAST(markup_percent, 100), all_offers, false, "
               "all_offers_assigned_on, created_at FROM resellers")
    op.drop_constraint(op.f('fk_assignments_reseller_id_resellers'), 'assignments', type_='foreignkey')
    op.create_foreign_key(op.f('fk_assignments_reseller_id_clients'), 'assignments', 'clients', ['reseller_id'],
                          ['client_id'])
    op.drop_table('resellers')


def downgrade() -> None:
    op.create_table('resellers',
    sa.Column('client_id', sa.UUID(), autoincrement=False, nullable=False),
    sa.Column('name', sa.VARCHAR(length=200), autoincrement=False, nullable=False),
    sa.Column('markup_percent', sa.NUMERIC(precision=6, scale=2), autoincrement=False, nullable=False),
    sa.Column('all_offers', sa.BOOLEAN(), autoincrement=False, nullable=False),
    sa.Column('all_offers_assigned_on', sa.DATE(), autoincrement=False, nullable=True),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=False),
    sa.CheckConstraint('markup_percent >= 0::numeric', name=op.f('ck_resellers_markup_not_negative')),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_resellers'))
    )
    op.execute("INSERT INTO resellers (client_id, name, markup_percent, all_offers, all_offers_assigned_on, created_at) "
               "SELECT client_id, name, coalesce(markup, 0), all_offers, all_offers_assigned_on, recorded_at "
               "FROM clients WHERE kind = 'professional'")
    op.execute("DELETE FROM assignments WHERE reseller_id NOT IN (SELECT client_id FROM resellers)")
    op.drop_constraint(op.f('fk_assignments_reseller_id_clients'), 'assignments', type_='foreignkey')
    op.create_foreign_key(op.f('fk_assignments_reseller_id_resellers'), 'assignments', 'resellers', ['reseller_id'],
                          ['client_id'])
    op.drop_table('clients')
