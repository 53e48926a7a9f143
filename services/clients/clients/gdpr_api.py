"""HTTP routes of GDPR: a client's data export (portability), its anonymisation (erasure), the clients to
settle before erasure."""
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from clients import gdpr
from clients.api import ClientOut
from clients.health import HEALTH_DATA_PERMISSION, Cipher
from clients.holdings import Holdings
from shared.app import UoW
from shared.auth import BackOffice, Principal, own_client, require_roles
from shared.pagination import Cursor, Limit, Page
from shared.problems import DomainError

router = APIRouter(tags=["GDPR"])
Admin = Annotated[Principal, Depends(require_roles("admin"))]
Exporter = Annotated[Principal, Depends(own_client("admin", "operator"))]


class ToSettleOut(BaseModel):
    client_id: UUID
    display_name: str
    balance: Decimal
    requested_at: datetime
    requested_by: str


@router.get("/clients/{client_id}/export", summary="Everything Colo holds about a client, as JSON (portability): "
            "this service's rows, then its orders, quotes, invoices, credit notes and e-mails from the other "
            "services; its participants' health forms for the family itself or staff with the health-data "
            "permission.")
async def export(client_id: UUID, request: Request, uow: UoW, principal: Exporter, cipher: Cipher) -> JSONResponse:
    health = cipher if principal.role == "client" or HEALTH_DATA_PERMISSION in principal.perms else None
    document: dict[str, Any] = await gdpr.export(uow, client_id, health)
    holdings: Holdings = request.app.state.holdings
    document["held_by_other_services"] = await holdings.held_about(client_id)
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="client-{client_id}.json"'})


@router.post("/clients/{client_id}/anonymisation", summary="Anonymise a client and its participants, "
             "irreversibly; refused until its balance is zero, and the client is then listed to settle first.")
async def anonymise(client_id: UUID, uow: UoW, principal: Admin) -> ClientOut:
    result = await gdpr.anonymise(uow, client_id, principal.sub)
    await uow.commit()
    if isinstance(result, gdpr.Refused):
        raise DomainError(result.code, result.message)
    return ClientOut.of(result)


@router.get("/erasure-requests", summary="Clients whose erasure waits for their balance to be settled.")
async def to_settle(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[ToSettleOut]:
    rows, next_cursor = await gdpr.to_settle(uow, limit, cursor)
    return Page(items=[ToSettleOut.model_validate(r, from_attributes=True) for r in rows], next_cursor=next_cursor)
