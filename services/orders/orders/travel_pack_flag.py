"""The order's "travel pack available" flag (seed 001: green when the pack is available to the client), stored
on the order and recomputed by every change it depends on: the settled flag, the file complete flag, a pack
shown to the order or removed, the client type's allowance as last asked of clients. A flip is logged and
announced with `orders.travel_pack.available`. The caller commits."""
from sqlalchemy import exists, or_, select

from orders.domain.travel_pack import available
from orders.tables import Order, TravelPack
from shared import events
from shared.db import UnitOfWork


async def refresh_availability(uow: UnitOfWork, order: Order, actor: str) -> bool:
    await uow.session.flush()
    shown = bool(await uow.session.scalar(select(exists().where(or_(
        TravelPack.departure_id == order.departure_id, TravelPack.order_id == order.id)))))
    now = available(shown, order.settled, order.file_complete, order.travel_pack_allowed)
    if now != order.travel_pack_available:
        order.travel_pack_available = now
        order.note("travel_pack_available" if now else "travel_pack_unavailable",
                   "Carnet de voyage disponible pour le client." if now
                   else "Carnet de voyage plus disponible pour le client.", actor)
        order.announce(events.TravelPackAvailable(
            order_id=order.id, reference=order.reference, client_id=order.client_id, available=now,
            settled=order.settled, file_complete=order.file_complete))
    return now
