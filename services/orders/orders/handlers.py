"""Event handlers of the orders service: stock's answers and billing's documents."""
from orders import services
from shared import events
from shared.db import UnitOfWork
from shared.events import Envelope


def build_handlers(option_days: int):
    async def on_hold_confirmed(uow: UnitOfWork, event: events.HoldConfirmed, _: Envelope) -> None:
        await services.hold_confirmed(uow, event.order_id, option_days)

    async def on_hold_rejected(uow: UnitOfWork, event: events.HoldRejected, _: Envelope) -> None:
        await services.hold_rejected(uow, event.order_id, event.reason)

    async def on_invoice_issued(uow: UnitOfWork, event: events.InvoiceIssued, envelope: Envelope) -> None:
        if event.kind == "cancellation":
            await services.billing_changed(uow, event, envelope.aggregate_version, None,
                                           f"Facture d'annulation {event.reference} émise ({event.total} € de frais).",
                                           "cancellation_invoiced")
            return
        await services.billing_changed(uow, event, envelope.aggregate_version, event.reference,
                                       f"Facture {event.reference} émise ({event.total} €).")

    async def on_credit_note_issued(uow: UnitOfWork, event: events.CreditNoteIssued, envelope: Envelope) -> None:
        await services.billing_changed(uow, event, envelope.aggregate_version, None,
                                       f"Avoir {event.reference} émis sur la facture {event.invoice_reference}.")

    return {
        events.HoldConfirmed: on_hold_confirmed,
        events.HoldRejected: on_hold_rejected,
        events.InvoiceIssued: on_invoice_issued,
        events.CreditNoteIssued: on_credit_note_issued,
    }
