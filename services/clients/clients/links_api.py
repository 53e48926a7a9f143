"""HTTP routes of linked clients (a markup or discount granted under a supervision code)."""
from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from clients import link_services
from clients.link_services import Adjustment
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["linked clients"])
Rate = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2, examples=["10.00"])]


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    linked_client_id: UUID
    adjustment: Adjustment
    rate: Rate = Field(description="The markup or discount, in percent.")
    supervision_code: str = Field(min_length=1, max_length=200, description="Configured by the organiser.")


class LinkOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    client_id: UUID
    linked_client_id: UUID
    adjustment: Adjustment
    rate: Decimal
    granted_by: str
    created_at: datetime


@router.post("/clients/{client_id}/links", status_code=201,
             summary="Link a client to another with a markup or discount (supervision code required).")
async def link(client_id: UUID, body: LinkIn, request: Request, uow: UoW, who: Staff) -> LinkOut:
    configured = request.app.state.settings.supervision_code
    link_services.check_supervision_code(configured.get_secret_value() if configured else None,
                                         body.supervision_code)
    row = await link_services.link(uow, client_id, body.linked_client_id, body.adjustment, body.rate, who.sub)
    await uow.commit()
    return LinkOut.model_validate(row)


@router.get("/clients/{client_id}/links", summary="The clients this one is linked to.")
async def list_links(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50,
                     cursor: Cursor = None) -> Page[LinkOut]:
    rows, next_cursor = await link_services.links(uow, client_id, limit, cursor)
    return Page(items=[LinkOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.delete("/clients/{client_id}/links/{link_id}", status_code=204, summary="Remove a link.")
async def unlink(client_id: UUID, link_id: UUID, uow: UoW, _: Staff) -> Response:
    await link_services.unlink(uow, client_id, link_id)
    await uow.commit()
    return Response(status_code=204)
