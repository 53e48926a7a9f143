"""HTTP routes of a client's lifecycle: trash and restore, alerts, account history, orders and balance."""
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from clients import history, lifecycle, projections, services
from clients.api import ClientOut
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["client lifecycle"])


class TrashedClientOut(BaseModel):
    deleted_at: datetime
    client: ClientOut


class AlertOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    client_id: UUID
    reason: str
    message: str
    created_at: datetime
    cleared_at: datetime | None
    cleared_by: str | None


class HistoryEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    at: datetime
    actor: str = Field(description="The account that acted (its id), or `system` for what another service caused.")
    actor_role: str
    actor_name: str | None = Field(description="Its name (else its e-mail) when it acted, as its token said.")
    actor_email: str | None
    action: str
    entity: str
    entity_id: UUID | None
    changes: list[dict[str, Any]]


class OrderOut(BaseModel):
    """One of the client's orders as orders last described it."""

    model_config = ConfigDict(from_attributes=True)
    order_id: UUID
    reference: str
    status: str
    total: Decimal
    amount_paid: Decimal
    participant_ids: list[UUID]
    placed_at: datetime


class AccountOut(BaseModel):
    """The client's balance (invoiced - credited - paid: positive, the client owes; negative, it is owed)
    and its order history (orders refused by stock left out; spent is the total of validated orders)."""

    invoiced: Decimal
    credited: Decimal
    paid: Decimal
    balance: Decimal
    orders: int
    spent: Decimal
    last_ordered_at: datetime | None


def trashed(client: Any) -> TrashedClientOut:
    return TrashedClientOut(deleted_at=client.deleted_at, client=ClientOut.of(client))


@router.delete("/clients/{client_id}", summary="Move a client to the trash; refused when it has orders or invoices.")
async def delete_client(client_id: UUID, uow: UoW, _: Staff) -> TrashedClientOut:
    client = await lifecycle.delete_client(uow, client_id)
    await uow.commit()
    return trashed(client)


@router.get("/trash/clients", summary="The clients in the trash, the earliest deleted first.")
async def list_trash(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[TrashedClientOut]:
    rows, next_cursor = await lifecycle.list_trash(uow, limit, cursor)
    return Page(items=[trashed(c) for c in rows], next_cursor=next_cursor)


@router.post("/clients/{client_id}/restore", summary="Bring a client back from the trash exactly as it was.")
async def restore_client(client_id: UUID, uow: UoW, _: Staff) -> ClientOut:
    client = await lifecycle.restore_client(uow, client_id)
    await uow.commit()
    return ClientOut.of(client)


@router.get("/client-alerts", summary="Alerts on clients for an operator (a prospect that ordered needs a type, an address bounced).")
async def list_alerts(
    uow: UoW, _: BackOffice,
    include_cleared: Annotated[bool, Query(description="Also the alerts already cleared.")] = False,
    limit: Limit = 50, cursor: Cursor = None,
) -> Page[AlertOut]:
    rows, next_cursor = await lifecycle.list_alerts(uow, include_cleared, limit, cursor)
    return Page(items=[AlertOut.model_validate(a) for a in rows], next_cursor=next_cursor)


@router.post("/client-alerts/{alert_id}/clearance", summary="Clear an alert once dealt with.")
async def clear_alert(alert_id: UUID, uow: UoW, principal: Staff) -> AlertOut:
    alert = await lifecycle.clear_alert(uow, alert_id, principal.sub)
    await uow.commit()
    return AlertOut.model_validate(alert)


@router.get("/clients/{client_id}/history", summary="Who changed what on the client's account, oldest first.")
async def list_history(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50,
                       cursor: Cursor = None) -> Page[HistoryEntryOut]:
    await services.get_client(uow, client_id)
    rows, next_cursor = await history.list_history(uow, client_id, limit, cursor)
    return Page(items=[HistoryEntryOut.model_validate(e) for e in rows], next_cursor=next_cursor)


@router.get("/clients/{client_id}/orders", summary="The client's orders as orders' events describe them, "
            "or a participant's order history.")
async def list_orders(
    client_id: UUID, uow: UoW, _: BackOffice,
    participant_id: Annotated[UUID | None, Query(description="Only the orders this participant went on.")] = None,
    limit: Limit = 50, cursor: Cursor = None,
) -> Page[OrderOut]:
    await services.get_client(uow, client_id)
    rows, next_cursor = await projections.list_orders(uow, client_id, participant_id, limit, cursor)
    return Page(items=[OrderOut.model_validate(o) for o in rows], next_cursor=next_cursor)


@router.get("/clients/{client_id}/account", summary="The client's balance and order history figures.")
async def account(client_id: UUID, uow: UoW, _: BackOffice) -> AccountOut:
    await services.get_client(uow, client_id)
    balance = await projections.balance_of(uow, client_id)
    orders = await projections.history_of(uow, client_id)
    return AccountOut(invoiced=balance.invoiced, credited=balance.credited, paid=balance.paid,
                      balance=balance.balance, orders=orders.orders, spent=orders.spent,
                      last_ordered_at=orders.last_ordered_at)
