"""HTTP routes of the billing service: parse, authorise, call one use case, commit. Order documents are issued on
the orders' events; service invoices and partial credit notes by a request of the back office."""
from fastapi import APIRouter

from billing.api import (
    accounting,
    billable_services,
    credit_notes,
    integrity,
    invoices,
    issuers,
    reminders,
    statements,
)

router = APIRouter()
for part in (issuers, billable_services, invoices, credit_notes, statements, reminders, accounting, integrity):
    router.include_router(part.router)
