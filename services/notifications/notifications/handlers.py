"""Event handlers of the notifications service: keep the projections, queue the e-mail each event calls for."""
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from uuid import UUID

from notifications import services
from notifications.domain.mails import template_for
from notifications.settings import NotificationsSettings
from notifications.tables import Email
from shared import events
from shared.bus import Handler
from shared.db import UnitOfWork
from shared.events import (
    ClientState,
    DepartureState,
    Envelope,
    Event,
    InvoiceIssued,
    OrderState,
)
from shared.logging import log

CONSUMER = "notifications"


async def on_client(uow: UnitOfWork, client: ClientState, envelope: Envelope) -> None:
    """An anonymised client's state has no name nor e-mail left: its contact is overwritten with it, and
    a late event of the client from before its erasure is older, so it cannot bring them back."""
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("notifications.stale_client_event", client_id=str(client.client_id))
        return
    await services.save_contact(uow, client, envelope.aggregate_version)


async def on_client_anonymised(uow: UnitOfWork, client: ClientState, envelope: Envelope) -> None:
    await on_client(uow, client, envelope)
    await services.erase_emails(uow, client.client_id)


async def on_departure(uow: UnitOfWork, departure: DepartureState, envelope: Envelope) -> None:
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("notifications.stale_departure_event", departure_id=str(departure.departure_id))
        return
    await services.save_departure(uow, departure)


async def on_order(settings: NotificationsSettings, uow: UnitOfWork, order: OrderState, envelope: Envelope) -> None:
    """An order event older than one already told to the client would contradict it: it sends nothing."""
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("notifications.stale_order_event", order_id=str(order.order_id), status=order.status)
        return
    await services.save_order(uow, order)
    await services.queue_order_email(uow, settings, order, template_for(envelope.type), envelope.id)


async def on_order_state(uow: UnitOfWork, order: OrderState, envelope: Envelope) -> None:
    """An order change the client is not mailed about: the reminders still need its state."""
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("notifications.stale_order_event", order_id=str(order.order_id), status=order.status)
        return
    await services.save_order(uow, order)


async def on_payments(uow: UnitOfWork, event: events.PaymentRecorded | events.PaymentCorrected
                      | events.CommitmentCollected | events.OrderSettled, _: Envelope) -> None:
    await services.save_payments(uow, event.order_id, event.amount_paid, getattr(event, "settled", None))


async def on_file(uow: UnitOfWork, file: events.FileCompleted, _: Envelope) -> None:
    await services.save_file(uow, file)


async def on_invoice(settings: NotificationsSettings, uow: UnitOfWork, invoice: InvoiceIssued, envelope: Envelope):
    if invoice.repeated:
        log.info("notifications.invoice_announced_again", invoice_id=str(invoice.invoice_id))
        return
    await services.queue_invoice_email(uow, settings, invoice, template_for(envelope.type), envelope.id)


async def on_travel_pack(settings: NotificationsSettings, uow: UnitOfWork, pack: events.TravelPackAttached,
                         envelope: Envelope) -> None:
    """Every attachment or change of joining instructions is its own e-mail."""
    await services.queue_travel_pack_email(uow, settings, pack, template_for(envelope.type), envelope.id)


def _mail(queue: Callable[[UnitOfWork, NotificationsSettings, Any, UUID], Awaitable[Email]],
          settings: NotificationsSettings) -> Handler:
    """A handler that queues one e-mail per event, rendered from the event alone."""
    async def handle(uow: UnitOfWork, event: Event, envelope: Envelope) -> None:
        await queue(uow, settings, event, envelope.id)

    return handle


def handlers(settings: NotificationsSettings) -> dict[type[Event], Handler]:
    order_mail = partial(on_order, settings)
    return {
        events.ClientCreated: on_client,
        events.ClientUpdated: on_client,
        events.ClientAnonymised: on_client_anonymised,
        events.DepartureCreated: on_departure,
        events.DepartureChanged: on_departure,
        events.DepartureFull: on_departure,
        events.OrderOptioned: order_mail,
        events.OrderValidated: order_mail,
        events.OrderRefused: order_mail,
        events.OrderCancelled: order_mail,
        events.OrderOptionExpired: order_mail,
        events.OrderPlaced: on_order_state,
        events.OrderReinstated: on_order_state,
        events.OrderArchived: on_order_state,
        events.OrderModified: on_order_state,
        events.PaymentRecorded: on_payments,
        events.PaymentCorrected: on_payments,
        events.CommitmentCollected: on_payments,
        events.OrderSettled: on_payments,
        events.FileCompleted: on_file,
        events.InvoiceIssued: partial(on_invoice, settings),
        events.TravelPackAttached: partial(on_travel_pack, settings),
        events.AccountPasswordResetRequested: _mail(services.queue_account_password_email, settings),
        events.EmailVerificationRequested: _mail(services.queue_verification_email, settings),
        events.SignUpVerified: _mail(services.queue_welcome_email, settings),
        events.SignUpRepeated: _mail(services.queue_sign_up_repeated_email, settings),
        events.NewsletterSubscriptionRequested: _mail(services.queue_newsletter_email, settings),
    }
