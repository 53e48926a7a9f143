"""HTTP routes of cancellation: what it would cost, and the cancellation itself."""
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from orders import cancellation
from orders.api import Dir, OrderOut
from orders.domain.cancellation import Settlement
from orders.snapshot import Snapshot
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.money import Money

router = APIRouter(tags=["orders"])


class CancellationIn(BaseModel):
    by: Literal["client", "organiser"]
    reason: str = Field(min_length=1, max_length=500, examples=["Enfant malade"])


class SettlementOut(BaseModel):
    days_before_departure: int
    fee_percent: Decimal = Field(description="Of the order total, from the stay's cancellation schedule.")
    fees: Money
    received: Money = Field(description="Money received (third-party commitments not collected are not).")
    refund_due: Money
    still_due: Money = Field(description="Part of the fees the client has not paid yet.")

    @classmethod
    def of(cls, settlement: Settlement) -> "SettlementOut":
        return cls(days_before_departure=settlement.days_before_departure, fee_percent=settlement.fee_percent,
                   fees=settlement.fees, received=settlement.received, refund_due=settlement.refund_due,
                   still_due=settlement.still_due)


class CancelledOut(OrderOut):
    cancellation: SettlementOut


@router.get("/orders/{order_id}/cancellation-quote",
            summary="What a cancellation today would cost and refund, without cancelling.")
async def cancellation_quote(order_id: UUID, uow: Snapshot, _: BackOffice, dir: Dir,
                             by: Annotated[Literal["client", "organiser"], Query()] = "client") -> SettlementOut:
    return SettlementOut.of(await cancellation.quote(uow, dir, order_id, by))


@router.post("/orders/{order_id}/cancellation",
             summary="Cancel a validated order for the client (fees from the stay's schedule) or the organiser.")
async def cancel(order_id: UUID, body: CancellationIn, uow: UoW, principal: Staff, dir: Dir) -> CancelledOut:
    order, settlement = await cancellation.cancel(uow, dir, order_id, body.by, body.reason, principal.sub)
    await uow.commit()
    return CancelledOut(**OrderOut.of(order).model_dump(), cancellation=SettlementOut.of(settlement))
