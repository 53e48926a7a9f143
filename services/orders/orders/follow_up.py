"""The order's two free texts of seed 001: the client's additional information (its own words, from the
front office or typed by an operator) and the operators' follow-up notes (internal, kept as written)."""
from uuid import UUID

from sqlalchemy import select

from orders import services
from orders.tables import FollowUpNote, Order
from shared.db import UnitOfWork
from shared.pagination import decode_cursor, encode_cursor
from shared.problems import Problem


async def add_note(uow: UnitOfWork, order_id: UUID, text: str, author: str) -> FollowUpNote:
    order = await services.get_order(uow, order_id)
    note = FollowUpNote(order_id=order.id, at=uow.clock.now(), author=author, text=text)
    uow.session.add(note)
    await uow.session.flush()
    return note


async def notes(uow: UnitOfWork, order_id: UUID, limit: int, cursor: str | None
                ) -> tuple[list[FollowUpNote], str | None]:
    """The order's notes, in the order they were written, as a conversation reads."""
    order = await services.get_order(uow, order_id)
    stmt = select(FollowUpNote).where(FollowUpNote.order_id == order.id)
    if cursor:
        (after,) = decode_cursor(cursor, 1)
        try:
            seq = int(after)
        except ValueError:
            seq = -1
        if not 0 <= seq < 2**63:  # the column is a bigint
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.")
        stmt = stmt.where(FollowUpNote.seq > seq)
    found = list(await uow.session.scalars(stmt.order_by(FollowUpNote.seq).limit(limit + 1)))
    return found[:limit], encode_cursor(found[limit - 1].seq) if len(found) > limit else None


def set_additional_information(uow: UnitOfWork, order: Order, text: str | None, actor: str) -> None:
    """Replace the client's text; the workflow log says who changed it (not what: it is the client's)."""
    order.additional_information = text
    order.updated_at = uow.clock.now()
    services._log(uow, order, "additional_information",
                  "Informations complémentaires du client modifiées." if text else
                  "Informations complémentaires du client effacées.", actor)
