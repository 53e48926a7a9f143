"""The hash chain of issued documents, verified: each document's stored hash against the one its content and its
predecessor's hash give now. The first that differs is named: changed, or following one that was changed or
removed."""
from dataclasses import dataclass

from sqlalchemy import text

from shared.db import UnitOfWork

VERIFY = """
SELECT series, number, reference, chain_hash,
       encode(sha256(convert_to(coalesce(lag(chain_hash) OVER w, '') || issued_document_content(to_jsonb(d), issued_at),
                                 'UTF8')), 'hex') AS expected,
       lag(number) OVER w AS previous_number
FROM {table} AS d
WHERE chain_hash IS NOT NULL
WINDOW w AS (PARTITION BY series ORDER BY number)
ORDER BY series, number
"""


@dataclass(frozen=True)
class Broken:
    kind: str
    reference: str
    reason: str


async def verify(uow: UnitOfWork) -> tuple[int, Broken | None]:
    """How many documents were checked, and the first that breaks the chain (None: the chain holds)."""
    checked = 0
    for table, kind in (("invoices", "invoice"), ("credit_notes", "credit_note")):
        rows = (await uow.session.execute(text(VERIFY.format(table=table)))).all()
        for row in rows:
            checked += 1
            if row.previous_number is not None and row.previous_number != row.number - 1:
                return checked, Broken(kind, row.reference, f"the document before it in {row.series} is missing")
            if row.chain_hash != row.expected:
                return checked, Broken(kind, row.reference, "its content or the chain before it was changed")
    return checked, None
