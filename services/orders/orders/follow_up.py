"""The order's two free texts of seed 001: the client's additional information (its own words, from the
front office or typed by an operator) and the operators' follow-up notes (internal, kept as written)."""
from uuid import UUID

from sqlalchemy import select

from orders import services
from orders.tables import FollowUpNote, Order
from shared.db import UnitOfWork
from shared.pagination import keyset_page


async def add_note(uow: UnitOfWork, order_id: UUID, text: str, author: str) -> FollowUpNote:
    order = await services.get_order(uow, order_id)
    note = FollowUpNote(order_id=order.id, at=uow.clock.now(), author=author, text=text)
    uow.session.add(note)
    await uow.session.flush()
    return note


async def notes(uow: UnitOfWork, order_id: UUID, limit: int, cursor: str | None
                ) -> tuple[list[FollowUpNote], str | None]:
    """The order's notes, the earliest first, as a conversation reads."""
    order = await services.get_order(uow, order_id)
    stmt = select(FollowUpNote).where(FollowUpNote.order_id == order.id)
    return await keyset_page(uow.session, stmt, FollowUpNote.at, FollowUpNote.id, limit, cursor)


def set_additional_information(uow: UnitOfWork, order: Order, text: str | None, actor: str) -> None:
    """Replace the client's text; the workflow log says who changed it (not what: it is the client's)."""
    order.additional_information = text
    order.updated_at = uow.clock.now()
    services._log(uow, order, "additional_information",
                  "Informations complémentaires du client modifiées." if text else
                  "Informations complémentaires du client effacées.", actor)
