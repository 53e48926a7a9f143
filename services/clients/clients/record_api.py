"""HTTP routes of the client record's checks: likely duplicates before recording a client."""
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from clients.api import ClientOut
from clients.record_models import NO_NUL
from clients.record_services import DuplicateProbe, likely_duplicates
from shared.app import UoW
from shared.auth import BackOffice
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["clients"])
Probe = Annotated[str | None, Query(max_length=254, pattern=NO_NUL)]


class Duplicate(BaseModel):
    client: ClientOut
    reasons: list[str]


@router.get("/clients/duplicates", summary="Clients that are probably the one about to be recorded.")
async def duplicates(
    uow: UoW,
    _: BackOffice,
    name: Annotated[str | None, Query(max_length=200, pattern=NO_NUL,
                                      description="A last name or company, compared with the postal code.")] = None,
    postal_code: Probe = None,
    email: Probe = None,
    phone: Annotated[str | None, Query(max_length=30, description="In any format.")] = None,
    client_code: Probe = None,
    exclude_id: Annotated[UUID | None, Query(description="The client being edited, not its own duplicate.")] = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Page[Duplicate]:
    """Each with its reasons: name_and_postal_code, email, phone, client_code; oldest first."""
    probe = DuplicateProbe(name=name, postal_code=postal_code, email=email, phone=phone, client_code=client_code,
                           exclude_id=exclude_id)
    found, next_cursor = await likely_duplicates(uow, probe, limit, cursor)
    return Page(items=[Duplicate(client=ClientOut.of(client, uow.clock.now().date()), reasons=reasons) for client, reasons in found],
                next_cursor=next_cursor)
