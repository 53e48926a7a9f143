"""Event handlers of the stock service: every order lifecycle event moves the order's places."""
from shared import events
from shared.db import UnitOfWork
from shared.events import Envelope, OrderState
from shared.logging import log
from stock import services

CONSUMER = "stock"


async def on_order_changed(uow: UnitOfWork, order: OrderState, envelope: Envelope) -> None:
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("stock.stale_order_event", order_id=str(order.order_id), version=envelope.aggregate_version)
        return
    await services.apply_order_state(uow, order)


HANDLERS = {
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
}
