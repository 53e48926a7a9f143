"""Event handlers of the clients service: orders' and billing's records of a client, kept as projections.

They feed the order history, the balance and the deletion guard, and turn a prospect into a client on
its first order; the consents answered at an order go to their history; cashback used on an order debits the wallet. The inbox makes duplicates no-ops; the projections keep the newest version per field.
A family's verified sign-up, from identity, creates its client. An address notifications saw bounce alerts an
operator on its clients.
"""
from clients import consent_services, lifecycle, projections
from clients.sign_ups import on_sign_up_verified
from clients.wallet_services import on_cashback_used
from shared import events
from shared.bus import Handler
from shared.db import UnitOfWork
from shared.events import (
    CommitmentCollected,
    CreditNoteIssued,
    Envelope,
    Event,
    InvoiceIssued,
    OrderState,
    PaymentCorrected,
    PaymentRecorded,
)


async def on_order(uow: UnitOfWork, order: OrderState, envelope: Envelope) -> None:
    await projections.record_order(uow, order, envelope.aggregate_version, envelope.occurred_at)
    if order.status not in projections.NOT_BOOKED:
        await lifecycle.convert_prospect(uow, order.client_id)


async def on_order_placed(uow: UnitOfWork, order: events.OrderPlaced, envelope: Envelope) -> None:
    await on_order(uow, order, envelope)
    await consent_services.confirm_at_order(uow, order)


async def on_payment(uow: UnitOfWork, payment: PaymentRecorded | CommitmentCollected | PaymentCorrected,
                     envelope: Envelope) -> None:
    await projections.record_payment(uow, payment, envelope.aggregate_version, envelope.occurred_at)


async def on_address_bounced(uow: UnitOfWork, bounced: events.AddressBounced, _: Envelope) -> None:
    await lifecycle.alert_bounced_address(uow, bounced)


async def on_billing_document(uow: UnitOfWork, document: InvoiceIssued | CreditNoteIssued, _: Envelope) -> None:
    await projections.record_document(uow, document)


HANDLERS: dict[type[Event], Handler] = {
    events.OrderPlaced: on_order_placed,
    **{cls: on_order for cls in (events.OrderOptioned, events.OrderRefused,
                                 events.OrderOptionExpired, events.OrderReinstated, events.OrderValidated,
                                 events.OrderArchived, events.OrderCancelled, events.OrderModified)},
    events.PaymentRecorded: on_payment,
    events.CommitmentCollected: on_payment,
    events.PaymentCorrected: on_payment,
    events.CashbackUsed: on_cashback_used,
    events.InvoiceIssued: on_billing_document,
    events.CreditNoteIssued: on_billing_document,
    events.SignUpVerified: on_sign_up_verified,
    events.AddressBounced: on_address_bounced,
}
