"""Event handlers of the orders service: stock's answers and billing's documents."""
from sqlalchemy.orm import raiseload

from orders import copies, disputes, erasure, modification, order_pdfs, services, withdrawal
from orders.presentation import Presentation
from orders.tables import Order, OrderModification
from shared import events
from shared.db import UnitOfWork
from shared.bus import Handler
from shared.events import Envelope


def build_handlers(option_days: int, presentation: Presentation):
    async def answers_modification(uow: UnitOfWork, event: events.HoldConfirmed | events.HoldRejected,
                                   refusal: str | None) -> bool:
        """The answer is about a modification, or about the return of a withdrawn one, not the placement."""
        if not event.order_version:
            return False
        return (await modification.stock_answered(uow, event.order_id, event.order_version, refusal, presentation)
                or await withdrawal.return_answered(uow, event.order_id, event.order_version, refusal, presentation))

    async def on_hold_confirmed(uow: UnitOfWork, event: events.HoldConfirmed, _: Envelope) -> None:
        if not await answers_modification(uow, event, None):
            await services.hold_confirmed(uow, event.order_id, option_days, presentation)

    async def on_hold_rejected(uow: UnitOfWork, event: events.HoldRejected, _: Envelope) -> None:
        if not await answers_modification(uow, event, event.reason):
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

    return in_turn(
        {
            events.HoldConfirmed: on_hold_confirmed,
            events.HoldRejected: on_hold_rejected,
            events.InvoiceIssued: on_invoice_issued,
            events.CreditNoteIssued: on_credit_note_issued,
        },
        copies.HANDLERS, disputes.HANDLERS, erasure.HANDLERS, document_handlers(presentation),
    )


def in_turn(*tables: dict[type[events.Event], Handler]) -> dict[type[events.Event], Handler]:
    """One handler per event, running in turn (in one transaction) those the tables give for it."""
    chains: dict[type[events.Event], list[Handler]] = {}
    for table in tables:
        for event, handler in table.items():
            chains.setdefault(event, []).append(handler)

    def chained(handlers: list[Handler]) -> Handler:
        async def run(uow: UnitOfWork, event: events.Event, envelope: Envelope) -> None:
            for handler in handlers:
                await handler(uow, event, envelope)

        return run

    return {event: handlers[0] if len(handlers) == 1 else chained(handlers) for event, handlers in chains.items()}


def document_handlers(presentation: Presentation):
    """Orders' own events that call for a new version of the order's PDF, and the e-mails sent about an order,
    which the workflow log names."""

    async def on_order_validated(uow: UnitOfWork, event: events.OrderValidated, _: Envelope) -> None:
        order = await services.get_order(uow, event.order_id, lock=True)
        await order_pdfs.request_pdf(uow, order, "validated", services.SYSTEM, presentation)

    async def on_order_modified(uow: UnitOfWork, event: events.OrderModified, envelope: Envelope) -> None:
        """Only a modification applied at once: one proposed to stock gets its PDF when stock confirms it, and a
        modified event without a modification of its version re-announces a state (a return to stock)."""
        change = await uow.session.get(OrderModification, (event.order_id, envelope.aggregate_version))
        if change is None or change.through_stock:
            return
        order = await services.get_order(uow, event.order_id, lock=True)
        await order_pdfs.request_pdf(uow, order, "modified", services.SYSTEM, presentation)

    async def on_email_sent(uow: UnitOfWork, event: events.EmailSent, _: Envelope) -> None:
        """The log line needs only the order's row: its participants, lines and terms are not read."""
        order = await uow.session.get(Order, event.order_id, options=[raiseload("*")]) if event.order_id else None
        if order is None:
            return
        if event.resent_from is None:
            services._log(uow, order, "email_sent",
                          f"E-mail « {event.template} » envoyé à {', '.join(event.recipients)}.", services.SYSTEM)
        else:
            services._log(uow, order, "email_resent", f"E-mail « {event.template} » renvoyé à "
                          f"{', '.join(event.recipients)} à la demande de {event.resent_by}.", services.SYSTEM)

    return {
        events.OrderValidated: on_order_validated,
        events.OrderModified: on_order_modified,
        events.EmailSent: on_email_sent,
    }
