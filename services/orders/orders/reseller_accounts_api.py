"""HTTP route of a reseller's account in orders: its sales and what it owes on them."""
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from orders import resellers
from orders.access import READERS, is_front_office, own_client_id
from orders.snapshot import Snapshot
from shared.auth import Principal, front_office, require_roles
from shared.money import Money
from shared.pagination import Cursor, Limit, Page
from shared.problems import NotFound

router = APIRouter(tags=["resellers"])

ResellerCaller = Annotated[Principal, Depends(require_roles(*READERS, "reseller"))]


class SaleOut(BaseModel):
    order_id: UUID
    reference: str
    status: str
    client_id: UUID = Field(description="The reseller's customer (the reseller itself when it bought for itself).")
    buyer_name: str
    stay_title: str
    start_date: date
    total: Money = Field(description="The order's total, at the organiser's price raised by the reseller's markup.")
    amount_paid: Money = Field(description="Payments, third-party commitments included.")
    cancellation_fees: Money | None
    owed: Money = Field(description="What the reseller owes on this order: its balance while an option or "
                                    "validated (negative when paid beyond a lowered total), the cancellation fees not "
                                    "received yet once cancelled, nothing when pending, refused or archived.")


class ResellerAccountOut(Page[SaleOut]):
    reseller_id: UUID
    sales: int = Field(description="Orders sold through the reseller, whatever their status.")
    owed: Money = Field(description="What the reseller owes on all its sales: the sum of each sale's `owed`.")


@router.get("/reseller-accounts/{reseller_id}", openapi_extra=front_office("reseller"),
            summary="A reseller's sales, each with what it owes, and what it owes in all.",
            description="The orders sold through the reseller (its customers' and its own), oldest first, and what "
                        "it owes the organiser on them: on each order its balance (total less payments) while an "
                        "option or validated, or the cancellation fees not yet received once cancelled; in all, "
                        "their sum. A reseller's token reads its own account only.")
async def reseller_account(reseller_id: UUID, uow: Snapshot, principal: ResellerCaller, limit: Limit = 50,
                           cursor: Cursor = None) -> ResellerAccountOut:
    if is_front_office(principal) and own_client_id(principal) != reseller_id:
        raise NotFound("reseller account", reseller_id)
    account = await resellers.account(uow, reseller_id, limit, cursor)
    return ResellerAccountOut(
        reseller_id=reseller_id, sales=account.count, owed=account.owed, next_cursor=account.next_cursor,
        items=[SaleOut(order_id=order.id, reference=order.reference, status=order.status, client_id=order.client_id,
                       buyer_name=order.buyer.get("name", ""), stay_title=order.stay_title,
                       start_date=order.start_date, total=order.total, amount_paid=order.amount_paid,
                       cancellation_fees=order.cancellation_fees, owed=owed)
               for order, owed in account.sales])
