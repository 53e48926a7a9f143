"""HTTP routes of the order's free texts: the client's additional information and the operators' notes."""
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from orders import follow_up, services
from orders.access import FAMILY_ROUTE, FamilyCaller, check_access
from orders.snapshot import Snapshot
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["follow-up"])

NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000,
                                            pattern=r"^[^\x00]*$")]
ClientText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^[^\x00]*$")]


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: NoteText = Field(examples=["Appel de la mère : préfère être rappelée après 18 h."])


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    order_id: UUID
    at: datetime
    author: str
    text: str


class AdditionalInformationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: ClientText | None = Field(description="Empty or null clears it.",
                                    examples=["Ma fille doit être assise à l'avant du car."])


class AdditionalInformationOut(BaseModel):
    order_id: UUID
    additional_information: str | None


@router.post("/orders/{order_id}/notes", status_code=201, summary="Add an internal follow-up note to an order.")
async def add_note(order_id: UUID, body: NoteIn, uow: UoW, principal: Staff) -> NoteOut:
    note = await follow_up.add_note(uow, order_id, body.text, principal.sub)
    await uow.commit()
    return NoteOut.model_validate(note)


@router.get("/orders/{order_id}/notes", summary="The order's follow-up notes, the earliest first.")
async def list_notes(order_id: UUID, uow: Snapshot, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
                     ) -> Page[NoteOut]:
    found, next_cursor = await follow_up.notes(uow, order_id, limit, cursor)
    return Page(items=[NoteOut.model_validate(n) for n in found], next_cursor=next_cursor)


@router.put("/orders/{order_id}/additional-information", openapi_extra=FAMILY_ROUTE,
            summary="The client's additional information, written by the client (front office) or an operator.")
async def set_additional_information(order_id: UUID, body: AdditionalInformationIn, uow: UoW,
                                     principal: FamilyCaller) -> AdditionalInformationOut:
    order = await services.get_order(uow, order_id, lock=True)
    check_access(principal, order, write=True)
    follow_up.set_additional_information(uow, order, body.text or None, principal.sub)
    await uow.commit()
    return AdditionalInformationOut(order_id=order.id, additional_information=order.additional_information)
