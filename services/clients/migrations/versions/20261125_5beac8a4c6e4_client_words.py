"""client words: the search's word index, in place of the trigram index of search_text

Revision ID: 5beac8a4c6e4
Revises: 4b8e0f3c2a61
Create Date: 2026-11-25 08:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5beac8a4c6e4'
down_revision: str | None = '4b8e0f3c2a61'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL = ("INSERT INTO client_words (word, client_id, created_at) SELECT word, id, created_at FROM clients, "
        "LATERAL (SELECT unnest(string_to_array(btrim(search_text), ' ')) "
        "UNION SELECT '+' || unnest(string_to_array(btrim(phone_digits), ' '))) AS words (word) "
        "WHERE word NOT IN ('', '+') ORDER BY word")
"""Every client's words, as clients.search_index derived them at this revision."""


def upgrade() -> None:
    op.create_table('client_words',
    sa.Column('word', sa.Text(collation='C'), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('word', 'client_id', name=op.f('pk_client_words'), postgresql_include=['created_at'])
    )
    op.execute(FILL)
    op.drop_index('ix_clients_search_text', table_name='clients', postgresql_using='gin',
                  postgresql_ops={'search_text': 'gin_trgm_ops'})


def downgrade() -> None:
    op.create_index('ix_clients_search_text', 'clients', ['search_text'], unique=False, postgresql_using='gin',
                    postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.drop_table('client_words')
