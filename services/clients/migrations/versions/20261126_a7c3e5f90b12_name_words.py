"""name words: a name's words are in the search text twice, as typed and marked (`=dupont`), for relevance

Revision ID: a7c3e5f90b12
Revises: e7a3c9d1f240
Create Date: 2026-11-26 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from clients.domain.record import Details
from clients.domain.search import search_text
from clients.search_index import FILL

revision: str = 'a7c3e5f90b12'
down_revision: str | None = 'e7a3c9d1f240'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = ("id", "kind", "last_name", "first_name", "company_name", "email", "mobile", "landline", "work_phone",
            "address_lines", "postal_code", "city", "client_code")


def upgrade() -> None:
    """Derive every client's search text again, with the code that maintains it, then its words."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT {', '.join(SEARCHED)} FROM clients WHERE search_text IS NOT NULL")
                              .execution_options(yield_per=1000)).mappings()
    update = sa.text("UPDATE clients SET search_text = :search_text WHERE id = :id")
    for batch in rows.partitions():
        values = []
        for row in batch:
            details = Details(**{**{k: v for k, v in row.items() if k != "id"},
                                 "address_lines": tuple(row["address_lines"] or ())})
            values.append({"id": row["id"], "search_text": search_text(row["id"], details)})
        connection.execute(update, values)
    op.execute("TRUNCATE client_words")
    op.execute(FILL)


def downgrade() -> None:
    op.execute("UPDATE clients SET search_text = regexp_replace(search_text, ' =[^ ]*', '', 'g')")
    op.execute("DELETE FROM client_words WHERE word LIKE '=%'")
