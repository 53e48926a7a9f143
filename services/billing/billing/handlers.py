"""Event handlers of the billing service: orders ask for invoices and credit notes; billing renders their PDFs.

The order's requests are applied in the order's version order: a late request (an invoicing older than
the un-invoicing already applied) is ignored, so the result is the newest state the order asked for.
"""
from decimal import Decimal

from billing import services, statements
from billing.domain.issuers import IssuerSettings
from billing.tables import CreditNote, Invoice
from shared.bus import Handler
from shared.db import UnitOfWork
from shared.events import (
    ClientDocumentIssued,
    CommitmentCollected,
    CreditNoteIssued,
    Envelope,
    Event,
    InvoiceIssued,
    InvoicingRequested,
    OrderCancelled,
    PaymentCorrected,
    PaymentRecorded,
    UninvoicingRequested,
)
from shared.logging import log

CONSUMER = "billing"


async def _newer(uow: UnitOfWork, envelope: Envelope) -> bool:
    if await uow.newer_version(CONSUMER, envelope):
        return True
    log.info("billing.stale_order_event", order_id=envelope.aggregate_id, version=envelope.aggregate_version)
    return False


async def on_invoice_issued(uow: UnitOfWork, event: InvoiceIssued, envelope: Envelope) -> None:
    await services.render_if_needed(uow, Invoice, event.invoice_id)


async def on_credit_note_issued(uow: UnitOfWork, event: CreditNoteIssued, envelope: Envelope) -> None:
    await services.render_if_needed(uow, CreditNote, event.credit_note_id)


async def on_payment_recorded(uow: UnitOfWork, event: PaymentRecorded, envelope: Envelope) -> None:
    """Payments are kept per payment, not behind the order's version guard: an invoicing request older than a
    payment must still be applied."""
    await statements.record_payment(uow, event.order_id, event.client_id, event.payment_id, event.amount,
                                    event.method, event.deferred, envelope.occurred_at, envelope.aggregate_version)


async def on_payment_corrected(uow: UnitOfWork, event: PaymentCorrected, envelope: Envelope) -> None:
    await statements.record_payment(uow, event.order_id, event.client_id, event.payment_id,
                                    Decimal("0.00") if event.deleted else event.amount, "correction", False,
                                    envelope.occurred_at, envelope.aggregate_version)


async def on_commitment_collected(uow: UnitOfWork, event: CommitmentCollected, envelope: Envelope) -> None:
    """An unpaid commitment no longer counts: the client owes its amount again."""
    if event.outcome == "unpaid":
        await statements.record_payment(uow, event.order_id, event.client_id, event.payment_id, Decimal("0.00"),
                                        "unpaid", True, envelope.occurred_at, envelope.aggregate_version)


async def on_client_document_issued(uow: UnitOfWork, event: ClientDocumentIssued, envelope: Envelope) -> None:
    await services.render_if_needed(uow, Invoice if event.kind == "invoice" else CreditNote, event.document_id)


def build(demo: IssuerSettings | None) -> dict[type[Event], Handler]:
    """The handlers; `demo` is the issuer a development platform gets when none is configured."""

    async def on_invoicing_requested(uow: UnitOfWork, event: InvoicingRequested, envelope: Envelope) -> None:
        if await _newer(uow, envelope):
            await services.invoice_order(uow, demo, event)

    async def on_uninvoicing_requested(uow: UnitOfWork, event: UninvoicingRequested, envelope: Envelope) -> None:
        if await _newer(uow, envelope):
            await services.credit_current_invoice(uow, demo, event.order_id, event.reason)

    async def on_order_cancelled(uow: UnitOfWork, event: OrderCancelled, envelope: Envelope) -> None:
        if await _newer(uow, envelope):
            await services.cancel_order(uow, demo, event)

    return {
        InvoicingRequested: on_invoicing_requested,
        UninvoicingRequested: on_uninvoicing_requested,
        OrderCancelled: on_order_cancelled,
        InvoiceIssued: on_invoice_issued,
        CreditNoteIssued: on_credit_note_issued,
        ClientDocumentIssued: on_client_document_issued,
        PaymentRecorded: on_payment_recorded,
        PaymentCorrected: on_payment_corrected,
        CommitmentCollected: on_commitment_collected,
    }
