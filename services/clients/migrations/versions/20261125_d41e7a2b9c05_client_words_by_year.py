"""client words keyed by the year the client was created in: a search sorted by creation reads a year at a time

Revision ID: d41e7a2b9c05
Revises: 9c2d4e6f8a13
Create Date: 2026-11-25 10:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd41e7a2b9c05'
down_revision: str | None = '9c2d4e6f8a13'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORDS = ("SELECT {year}word, id, created_at FROM clients, "
         "LATERAL (SELECT unnest(string_to_array(btrim(search_text), ' ')) "
         "UNION SELECT '+' || unnest(string_to_array(btrim(phone_digits), ' '))) AS words (word) "
         "WHERE word NOT IN ('', '+')")
"""Every client's words, derived again from its search columns: the rows are nothing else."""


def upgrade() -> None:
    op.drop_table('client_words')
    op.create_table('client_words',
    sa.Column('created_year', sa.SmallInteger(), nullable=False),
    sa.Column('word', sa.Text(collation='C'), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('created_year', 'word', 'client_id', name=op.f('pk_client_words'),
                            postgresql_include=['created_at'])
    )
    year = "extract(year FROM created_at AT TIME ZONE 'UTC'), "
    op.execute(f"INSERT INTO client_words (created_year, word, client_id, created_at) "
               f"{WORDS.format(year=year)} ORDER BY 1, word")


def downgrade() -> None:
    op.drop_table('client_words')
    op.create_table('client_words',
    sa.Column('word', sa.Text(collation='C'), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('word', 'client_id', name=op.f('pk_client_words'), postgresql_include=['created_at'])
    )
    op.execute(f"INSERT INTO client_words (word, client_id, created_at) {WORDS.format(year='')} ORDER BY word")
