"""The membership history: which fee was charged to which client, in which scope and cycle, for which order and
participant, with the status of that order today (only validated or cancelled orders count as paid)."""
from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select

from orders.domain.membership import COUNTING_STATUSES
from orders.snapshot import Snapshot
from orders.tables import MembershipCharge, Order
from shared.auth import BackOffice
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["membership"])


class MembershipChargeOut(BaseModel):
    id: UUID
    client_id: UUID
    scope_id: UUID
    order_id: UUID
    order_reference: str
    order_status: str
    counts: bool
    participant_id: UUID
    kind: Literal["individual", "family"]
    amount: Money
    cycle_start: date
    cycle_end: date
    charged_at: datetime


@router.get("/membership-charges", summary="A client's membership history, oldest first.")
async def membership_history(uow: Snapshot, _: BackOffice, client_id: Annotated[UUID, Query()],
                             scope_id: Annotated[UUID | None, Query(description="Master entity or organiser.")] = None,
                             limit: Limit = 50, cursor: Cursor = None) -> Page[MembershipChargeOut]:
    stmt = select(MembershipCharge).where(MembershipCharge.client_id == client_id)
    if scope_id is not None:
        stmt = stmt.where(MembershipCharge.scope_id == scope_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, MembershipCharge.charged_at, MembershipCharge.id, limit,
                                          cursor)
    orders = {o.id: o for o in await uow.session.execute(
        select(Order.id, Order.reference, Order.status).where(Order.id.in_({r.order_id for r in rows})))}
    items = [MembershipChargeOut(
        id=r.id, client_id=r.client_id, scope_id=r.scope_id, order_id=r.order_id,
        order_reference=orders[r.order_id].reference, order_status=orders[r.order_id].status,
        counts=orders[r.order_id].status in COUNTING_STATUSES, participant_id=r.participant_id, kind=r.kind,
        amount=r.amount, cycle_start=r.cycle_start, cycle_end=r.cycle_end, charged_at=r.charged_at) for r in rows]
    return Page(items=items, next_cursor=next_cursor)
