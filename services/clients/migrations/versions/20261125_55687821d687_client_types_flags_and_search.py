"""client types, flags and search

Revision ID: 55687821d687
Revises: 138b38cd0522
Create Date: 2026-11-25 06:02:04.944496
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from clients.domain.record import Details
from clients.domain.search import phone_digits, search_text, sort_name

revision: str = '55687821d687'
down_revision: str | None = '138b38cd0522'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BACKFILLED = ("id", "kind", "last_name", "first_name", "company_name", "email", "mobile", "landline",
              "address_lines", "postal_code", "city")


def backfill_search_columns() -> None:
    """Derive the search columns of the clients created before them, with the code that maintains them."""
    connection = op.get_bind()
    select = sa.text(f"SELECT {', '.join(BACKFILLED)} FROM clients").execution_options(yield_per=1000)
    rows = connection.execute(select).mappings()
    update = sa.text("UPDATE clients SET search_text = :search_text, phone_digits = :phone_digits, "
                     "sort_name = :sort_name WHERE id = :id")
    for batch in rows.partitions():
        values = []
        for row in batch:
            details = Details(**{**{k: v for k, v in row.items() if k != "id"},
                                 "address_lines": tuple(row["address_lines"] or ())})
            values.append({"id": row["id"], "search_text": search_text(row["id"], details),
                           "phone_digits": phone_digits(details), "sort_name": sort_name(details)})
        connection.execute(update, values)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('client_types',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('front_office_account_allowed', sa.Boolean(), nullable=False),
    sa.Column('front_office_ordering_allowed', sa.Boolean(), nullable=False),
    sa.Column('documents_despite_incomplete_file', sa.Boolean(), nullable=False),
    sa.Column('individual_membership_only', sa.Boolean(), nullable=False),
    sa.Column('no_membership_on_group_orders', sa.Boolean(), nullable=False),
    sa.Column('legal_guardian_accounts', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('private', 'professional', 'prospect')", name=op.f('ck_client_types_known_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_types'))
    )
    op.create_index('ix_client_types_created_at_id', 'client_types', ['created_at', 'id'], unique=False)
    op.create_index('uq_client_types_lower_name', 'client_types', [sa.literal_column('lower(name)')], unique=True)
    op.add_column('clients', sa.Column('client_type_id', sa.Uuid(), nullable=True))
    op.add_column('clients', sa.Column('dormant', sa.Boolean(), server_default='false', nullable=False))
    op.add_column('clients', sa.Column('active', sa.Boolean(), server_default='true', nullable=False))
    op.add_column('clients', sa.Column('inactive_message', sa.String(length=500), nullable=True))
    op.add_column('clients', sa.Column('search_text', sa.Text(), nullable=True))
    op.add_column('clients', sa.Column('phone_digits', sa.Text(), nullable=True))
    op.add_column('clients', sa.Column('sort_name', sa.String(length=254), nullable=True))
    backfill_search_columns()
    for column in ('search_text', 'phone_digits', 'sort_name'):
        op.alter_column('clients', column, nullable=False)
    op.create_index('ix_clients_client_type_id', 'clients', ['client_type_id'], unique=False)
    op.create_index('ix_clients_phone_digits', 'clients', ['phone_digits'], unique=False, postgresql_using='gin', postgresql_ops={'phone_digits': 'gin_trgm_ops'})
    op.create_index('ix_clients_postal_code_id', 'clients', [sa.literal_column("coalesce(postal_code, '')"), 'id'], unique=False)
    op.create_index('ix_clients_search_text', 'clients', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.create_index('ix_clients_sort_name_id', 'clients', ['sort_name', 'id'], unique=False)
    op.create_foreign_key(op.f('fk_clients_client_type_id_client_types'), 'clients', 'client_types', ['client_type_id'], ['id'])


def downgrade() -> None:
    op.drop_constraint(op.f('fk_clients_client_type_id_client_types'), 'clients', type_='foreignkey')
    op.drop_index('ix_clients_sort_name_id', table_name='clients')
    op.drop_index('ix_clients_search_text', table_name='clients', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.drop_index('ix_clients_postal_code_id', table_name='clients')
    op.drop_index('ix_clients_phone_digits', table_name='clients', postgresql_using='gin', postgresql_ops={'phone_digits': 'gin_trgm_ops'})
    op.drop_index('ix_clients_client_type_id', table_name='clients')
    op.drop_column('clients', 'sort_name')
    op.drop_column('clients', 'phone_digits')
    op.drop_column('clients', 'search_text')
    op.drop_column('clients', 'inactive_message')
    op.drop_column('clients', 'active')
    op.drop_column('clients', 'dormant')
    op.drop_column('clients', 'client_type_id')
    op.drop_index('uq_client_types_lower_name', table_name='client_types')
    op.drop_index('ix_client_types_created_at_id', table_name='client_types')
    op.drop_table('client_types')
