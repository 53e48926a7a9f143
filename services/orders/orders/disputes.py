"""The disputed flag of each client, kept on its orders from the clients' events so every order response shows it."""
from sqlalchemy import select, update

from orders.tables import Order, OrderTerms
from shared import events
from shared.db import UnitOfWork
from shared.events import Envelope
from shared.logging import log

CONSUMER = "orders.clients"


async def on_client_changed(uow: UnitOfWork, client: events.ClientState, envelope: Envelope) -> None:
    if not await uow.newer_version(CONSUMER, envelope):
        log.info("orders.stale_client_event", client_id=str(client.client_id), version=envelope.aggregate_version)
        return
    await uow.session.execute(
        update(OrderTerms)
        .where(OrderTerms.order_id.in_(select(Order.id).where(Order.client_id == client.client_id)))
        .values(client_disputed=client.disputed)
    )


HANDLERS = {events.ClientCreated: on_client_changed, events.ClientUpdated: on_client_changed}
