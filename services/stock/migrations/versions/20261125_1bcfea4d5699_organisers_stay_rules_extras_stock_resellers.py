"""organisers and master settings, stay rules, departure status, add-ons, extras stock, resellers

Existing stays are given to a master entity created here ("Entité maître", default settings), so that
every stay has an organiser; operators rename it and set its rules through the API.

Revision ID: 1bcfea4d5699
Revises: 75053ab9c12a
Create Date: 2026-11-25 07:20:46.640306
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '1bcfea4d5699'
down_revision: str | None = '75053ab9c12a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_master', sa.Boolean(), nullable=False),
    sa.Column('individual_fee', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('family_fee', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('individual_fee >= 0 AND family_fee >= 0', name=op.f('ck_organisers_fees_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisers'))
    )
    op.create_index('uq_organisers_one_master', 'organisers', ['is_master'], unique=True, postgresql_where=sa.text('is_master'))
    op.create_table('resellers',
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('markup_percent', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('all_offers', sa.Boolean(), nullable=False),
    sa.Column('all_offers_assigned_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('markup_percent >= 0', name=op.f('ck_resellers_markup_not_negative')),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_resellers'))
    )
    op.create_table('master_settings',
    sa.Column('organiser_id', sa.Uuid(), nullable=False),
    sa.Column('membership_enabled', sa.Boolean(), nullable=False),
    sa.Column('membership_managed_by', sa.String(length=20), nullable=False),
    sa.Column('membership_year', sa.String(length=20), nullable=False),
    sa.Column('deposit_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('late_threshold_days', sa.Integer(), nullable=False),
    sa.Column('late_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('other_means_when_late', sa.Boolean(), nullable=False),
    sa.Column('return_city_variation_percent', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('option_days', sa.Integer(), nullable=False),
    sa.Column('expired_option_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('deposit_percent BETWEEN 0 AND 100 AND late_percent BETWEEN 0 AND 100', name=op.f('ck_master_settings_deposit_percent_range')),
    sa.CheckConstraint('late_threshold_days >= 0 AND option_days >= 0 AND expired_option_days >= 0', name=op.f('ck_master_settings_days_not_negative')),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_master_settings_organiser_id_organisers')),
    sa.PrimaryKeyConstraint('organiser_id', name=op.f('pk_master_settings'))
    )
    op.create_table('add_ons',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('stay_id', sa.Uuid(), nullable=True),
    sa.Column('departure_id', sa.Uuid(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(stay_id IS NULL) <> (departure_id IS NULL)', name=op.f('ck_add_ons_stay_or_departure')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_add_ons_price_not_negative')),
    sa.ForeignKeyConstraint(['departure_id'], ['departures.id'], name=op.f('fk_add_ons_departure_id_departures')),
    sa.ForeignKeyConstraint(['stay_id'], ['stays.id'], name=op.f('fk_add_ons_stay_id_stays')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_add_ons'))
    )
    op.create_index(op.f('ix_add_ons_departure_id'), 'add_ons', ['departure_id'], unique=False)
    op.create_index(op.f('ix_add_ons_stay_id'), 'add_ons', ['stay_id'], unique=False)
    op.create_table('assignments',
    sa.Column('reseller_id', sa.Uuid(), nullable=False),
    sa.Column('departure_id', sa.Uuid(), nullable=False),
    sa.Column('markup_percent', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('markup_percent >= 0', name=op.f('ck_assignments_markup_not_negative')),
    sa.ForeignKeyConstraint(['departure_id'], ['departures.id'], name=op.f('fk_assignments_departure_id_departures')),
    sa.ForeignKeyConstraint(['reseller_id'], ['resellers.client_id'], name=op.f('fk_assignments_reseller_id_resellers')),
    sa.PrimaryKeyConstraint('reseller_id', 'departure_id', name=op.f('pk_assignments'))
    )
    op.create_index(op.f('ix_assignments_departure_id'), 'assignments', ['departure_id'], unique=False)
    op.create_table('deselected_extras',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('extra_id', sa.Uuid(), nullable=False),
    sa.Column('deselected_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['extra_id'], ['extras.id'], name=op.f('fk_deselected_extras_extra_id_extras')),
    sa.PrimaryKeyConstraint('order_id', 'extra_id', name=op.f('pk_deselected_extras'))
    )
    op.create_table('hold_extras',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('extra_id', sa.Uuid(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['extra_id'], ['extras.id'], name=op.f('fk_hold_extras_extra_id_extras')),
    sa.ForeignKeyConstraint(['order_id'], ['holds.order_id'], name=op.f('fk_hold_extras_order_id_holds')),
    sa.PrimaryKeyConstraint('order_id', 'extra_id', name=op.f('pk_hold_extras'))
    )
    op.create_index(op.f('ix_hold_extras_extra_id'), 'hold_extras', ['extra_id'], unique=False)
    op.add_column('departures', sa.Column('status', sa.String(length=10), nullable=False, server_default='open'))
    op.alter_column('departures', 'status', server_default=None)
    op.create_check_constraint(op.f('ck_departures_status_known'), 'departures', "status IN ('open', 'closed')")
    for bucket in ('held', 'overdue', 'confirmed'):
        op.add_column('extras', sa.Column(bucket, sa.Integer(), nullable=False, server_default='0'))
        op.alter_column('extras', bucket, server_default=None)
    op.add_column('extras', sa.Column('full_at', sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(op.f('ck_extras_buckets_not_negative'), 'extras',
                               'held >= 0 AND overdue >= 0 AND confirmed >= 0')
    op.create_check_constraint(op.f('ck_extras_never_oversold'), 'extras',
                               'capacity IS NULL OR held + overdue + confirmed <= capacity')
    op.add_column('holds', sa.Column('reseller_id', sa.Uuid(), nullable=True))
    op.add_column('stays', sa.Column('organiser_id', sa.Uuid(), nullable=True))
    op.add_column('stays', sa.Column('min_age', sa.Integer(), nullable=True))
    op.add_column('stays', sa.Column('max_age', sa.Integer(), nullable=True))
    for rules in ('required_documents', 'cancellation_fees'):
        op.add_column('stays', sa.Column(rules, postgresql.JSONB(astext_type=sa.Text()), nullable=False,
                                         server_default='[]'))
        op.alter_column('stays', rules, server_default=None)
    op.create_check_constraint(op.f('ck_stays_ages_in_order'), 'stays', 'min_age <= max_age')
    op.execute("""
        WITH master AS (
            INSERT INTO organisers (id, name, is_master, created_at)
            VALUES (gen_random_uuid(), 'Entité maître', true, now()) RETURNING id
        ), settings AS (
            INSERT INTO master_settings (organiser_id, membership_enabled, membership_managed_by, membership_year,
                deposit_percent, late_threshold_days, late_percent, other_means_when_late,
                return_city_variation_percent, option_days, expired_option_days)
            SELECT id, false, 'master', 'calendar', 30, 30, 100, false, 20, 7, 7 FROM master
        )
        UPDATE stays SET organiser_id = (SELECT id FROM master)
    """)
    op.alter_column('stays', 'organiser_id', nullable=False)
    op.create_index(op.f('ix_stays_organiser_id'), 'stays', ['organiser_id'], unique=False)
    op.create_foreign_key(op.f('fk_stays_organiser_id_organisers'), 'stays', 'organisers', ['organiser_id'], ['id'])

def downgrade() -> None:
    op.drop_constraint(op.f('fk_stays_organiser_id_organisers'), 'stays', type_='foreignkey')
    op.drop_index(op.f('ix_stays_organiser_id'), table_name='stays')
    op.drop_constraint(op.f('ck_stays_ages_in_order'), 'stays', type_='check')
    op.drop_column('stays', 'cancellation_fees')
    op.drop_column('stays', 'required_documents')
    op.drop_column('stays', 'max_age')
    op.drop_column('stays', 'min_age')
    op.drop_column('stays', 'organiser_id')
    op.drop_column('holds', 'reseller_id')
    op.drop_constraint(op.f('ck_extras_never_oversold'), 'extras', type_='check')
    op.drop_constraint(op.f('ck_extras_buckets_not_negative'), 'extras', type_='check')
    op.drop_column('extras', 'full_at')
    op.drop_column('extras', 'confirmed')
    op.drop_column('extras', 'overdue')
    op.drop_column('extras', 'held')
    op.drop_constraint(op.f('ck_departures_status_known'), 'departures', type_='check')
    op.drop_column('departures', 'status')
    op.drop_index(op.f('ix_hold_extras_extra_id'), table_name='hold_extras')
    op.drop_table('hold_extras')
    op.drop_table('deselected_extras')
    op.drop_index(op.f('ix_assignments_departure_id'), table_name='assignments')
    op.drop_table('assignments')
    op.drop_index(op.f('ix_add_ons_stay_id'), table_name='add_ons')
    op.drop_index(op.f('ix_add_ons_departure_id'), table_name='add_ons')
    op.drop_table('add_ons')
    op.drop_table('master_settings')
    op.drop_table('resellers')
    op.drop_index('uq_organisers_one_master', table_name='organisers', postgresql_where=sa.text('is_master'))
    op.drop_table('organisers')
