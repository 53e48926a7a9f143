"""HTTP routes of attendance: the list per departure, and the operator's marks per participant."""
from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert

from orders import documents, services
from orders.api import Dir
from orders.domain.attendance import Mark, attendance, check_mark, present_by_default
from orders.domain.lifecycle import Status
from orders.tables import Attendance, Order, OrderParticipant
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from shared.problems import NotFound, Problem

router = APIRouter(tags=["attendance"])


class MarkIn(BaseModel):
    present: bool
    reason: str | None = Field(None, max_length=500, description="Required for an absence.",
                               examples=["Malade le jour du départ"])


class AttendanceOut(BaseModel):
    order_id: UUID
    order_reference: str
    participant_id: UUID
    first_name: str
    last_name: str
    expected: bool = Field(description="Present by default: order validated, settled, file complete.")
    present: bool
    reason: str | None
    marked_by: str | None
    marked_at: datetime | None


def _out(order: Order, participant: OrderParticipant, mark: Attendance | None, file_complete: bool
         ) -> AttendanceOut:
    validated = order.status == Status.VALIDATED
    return AttendanceOut(
        order_id=order.id, order_reference=order.reference, participant_id=participant.participant_id,
        first_name=participant.first_name, last_name=participant.last_name,
        expected=present_by_default(validated, order.settled, file_complete),
        present=attendance(validated, order.settled, file_complete,
                           Mark(mark.present, mark.reason) if mark else None),
        reason=mark.reason if mark else None, marked_by=mark.marked_by if mark else None,
        marked_at=mark.marked_at if mark else None)


@router.get("/departures/{departure_id}/attendance",
            summary="The participants of the departure's validated orders: present or absent, with the reason.")
async def departure_attendance(departure_id: UUID, uow: UoW, _: BackOffice, dir: Dir, limit: Limit = 100,
                               cursor: Cursor = None) -> Page[AttendanceOut]:
    stmt = (select(Order, OrderParticipant, Attendance)
            .join(OrderParticipant, OrderParticipant.order_id == Order.id)
            .outerjoin(Attendance, (Attendance.order_id == Order.id)
                       & (Attendance.participant_id == OrderParticipant.participant_id))
            .where(Order.departure_id == departure_id, Order.status == Status.VALIDATED))
    if cursor:
        reference, position = decode_cursor(cursor, 2)
        if not position.isdigit():
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.")
        stmt = stmt.where(tuple_(Order.reference, OrderParticipant.position) > (reference, int(position)))
    rows = (await uow.session.execute(stmt.order_by(Order.reference, OrderParticipant.position).limit(limit + 1))
            ).all()
    page = rows[:limit]
    complete = {order.id: await documents.file_complete(uow, dir, order)
                for order in {order.id: order for order, _, _ in page}.values()}
    next_cursor = None
    if len(rows) > limit:
        last_order, last_participant, _ = page[-1]
        next_cursor = encode_cursor(last_order.reference, last_participant.position)
    return Page(items=[_out(o, p, m, complete[o.id]) for o, p, m in page], next_cursor=next_cursor)


@router.put("/orders/{order_id}/participants/{participant_id}/attendance",
            summary="Record a participant's absence (with its reason) or presence on the stay.")
async def mark(order_id: UUID, participant_id: UUID, body: MarkIn, uow: UoW, principal: Staff) -> AttendanceOut:
    order = await services.get_order(uow, order_id, lock=True)
    participant = next((p for p in order.participants if p.participant_id == participant_id), None)
    if participant is None:
        raise NotFound("participant on this order", participant_id)
    check_mark(order.status == Status.VALIDATED, Mark(body.present, body.reason))
    values = {"present": body.present, "reason": None if body.present else body.reason, "marked_by": principal.sub,
              "marked_at": uow.clock.now()}
    stmt = insert(Attendance).values(order_id=order.id, participant_id=participant_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[Attendance.order_id,
                                                                         Attendance.participant_id], set_=values))
    name = f"{participant.first_name} {participant.last_name}"
    order.note("attendance",
               f"{name} présent(e) sur le séjour." if body.present else f"{name} absent(e) : {body.reason}.",
               principal.sub)
    await uow.commit()
    saved = await uow.session.get(Attendance, (order.id, participant_id), populate_existing=True)
    return _out(order, participant, saved, order.file_complete)
