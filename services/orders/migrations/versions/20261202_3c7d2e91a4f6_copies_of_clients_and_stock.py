"""copies of clients and stock

Revision ID: 3c7d2e91a4f6
Revises: e6e88987f558
Create Date: 2026-12-02 10:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '3c7d2e91a4f6'
down_revision: str | None = 'e6e88987f558'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('client_copies',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('client_type_id', sa.Uuid(), nullable=True),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('disputed', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('recipient_preference', sa.String(length=20), nullable=False),
    sa.Column('buyer', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('participants', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('legal_guardians', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_client_copies'))
    )
    op.create_table('client_type_copies',
    sa.Column('client_type_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('individual_membership_only', sa.Boolean(), nullable=False),
    sa.Column('no_membership_on_group_orders', sa.Boolean(), nullable=False),
    sa.Column('front_office_ordering_allowed', sa.Boolean(), nullable=False),
    sa.Column('documents_despite_incomplete_file', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('client_type_id', name=op.f('pk_client_type_copies'))
    )
    op.create_table('commercial_settings_copies',
    sa.Column('organiser_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('settings', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('organiser_id', name=op.f('pk_commercial_settings_copies'))
    )
    op.create_table('departure_copies',
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stay_id', sa.Uuid(), nullable=False),
    sa.Column('stay_title', sa.String(length=200), nullable=False),
    sa.Column('organiser_id', sa.Uuid(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('base_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('free', sa.Integer(), nullable=False),
    sa.Column('catalogue', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.PrimaryKeyConstraint('departure_id', name=op.f('pk_departure_copies'))
    )
    op.create_table('reseller_assignment_copies',
    sa.Column('reseller_id', sa.Uuid(), nullable=False),
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('markup_percent', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['departure_id'], ['departure_copies.departure_id'],
                            name=op.f('fk_reseller_assignment_copies_departure_id_departure_copies'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('reseller_id', 'departure_id', name=op.f('pk_reseller_assignment_copies'))
    )
    op.create_index(op.f('ix_reseller_assignment_copies_departure_id'), 'reseller_assignment_copies',
                    ['departure_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reseller_assignment_copies_departure_id'), table_name='reseller_assignment_copies')
    op.drop_table('reseller_assignment_copies')
    op.drop_table('departure_copies')
    op.drop_table('commercial_settings_copies')
    op.drop_table('client_type_copies')
    op.drop_table('client_copies')
