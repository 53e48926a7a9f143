"""Whether a document travels inside the mail or as a link to the family portal."""
from datetime import timedelta
from typing import Literal

Fate = Literal["pending", "attached", "linked"]


def fate(size: int | None, max_bytes: int, waited: timedelta, max_wait: timedelta) -> Fate:
    """A document fetched is attached unless too large for mailboxes; one billing could not give yet is waited for,
    a while, so that a long outage delays the mail rather than keeps it forever."""
    if size is not None:
        return "attached" if size <= max_bytes else "linked"
    return "linked" if waited >= max_wait else "pending"


def document_link(front_office_url: str, kind: str, document_id: object) -> str:
    """Where the family portal serves a document: its invoices and credit notes."""
    path = {"invoice": "factures", "credit_note": "avoirs"}[kind]
    return f"{front_office_url.rstrip('/')}/espace/{path}/{document_id}.pdf"
