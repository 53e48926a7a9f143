"""Event handlers of the stock service: every order lifecycle event moves the order's places; every client event
updates what stock knows of the client (its kind and reseller terms)."""
from shared import events
from shared.db import UnitOfWork
from shared.events import ClientState, Envelope, OrderState
from shared.logging import log
from stock import holds, resellers

CONSUMER = "stock"


async def on_order_changed(uow: UnitOfWork, order: OrderState, envelope: Envelope) -> None:
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("stock.stale_order_event", order_id=str(order.order_id), version=envelope.aggregate_version)
        return
    await holds.apply_order_state(uow, order, envelope.aggregate_version)


async def on_order_modified(uow: UnitOfWork, order: OrderState, envelope: Envelope) -> None:
    """Orders waits for the answer to every modification, so even a superseded one is answered (rejected)."""
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("stock.stale_order_modification", order_id=str(order.order_id), version=envelope.aggregate_version)
        await holds.answer_stale_modification(uow, order, envelope.aggregate_version)
        return
    await holds.modify(uow, order, envelope.aggregate_version)


async def on_client_changed(uow: UnitOfWork, client: ClientState, envelope: Envelope) -> None:
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("stock.stale_client_event", client_id=str(client.client_id), version=envelope.aggregate_version)
        return
    await resellers.record_client(uow, client, deleted=envelope.type == events.ClientDeleted.TYPE)


HANDLERS = {
    **{
        event: on_order_changed
        for event in (
            events.OrderPlaced,
            events.OrderOptioned,
            events.OrderRefused,
            events.OrderOptionExpired,
            events.OrderReinstated,
            events.OrderValidated,
            events.OrderArchived,
            events.OrderCancelled,
        )
    },
    events.OrderModified: on_order_modified,
    **{
        event: on_client_changed
        for event in (events.ClientCreated, events.ClientUpdated, events.ClientDeleted, events.ClientRestored,
                      events.ClientAnonymised)
    },
}
