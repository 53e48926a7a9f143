"""Addresses that bounced: mail to them is held until an operator, having corrected or checked them, clears them."""
from fastapi import APIRouter, Response

from notifications import bounces
from notifications.api.schemas import InvalidAddressOut
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["invalid addresses"])


@router.get("/invalid-addresses", summary="Addresses mail came back from for good, oldest first.")
async def list_invalid(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[InvalidAddressOut]:
    rows, next_cursor = await bounces.listed(uow, limit, cursor)
    return Page(items=[InvalidAddressOut.model_validate(a) for a in rows], next_cursor=next_cursor)


@router.delete("/invalid-addresses/{address}", status_code=204,
               summary="The address works again: mail to it is sent from now on (held mail is resent by hand).")
async def clear_invalid(address: str, uow: UoW, _: Staff) -> Response:
    await bounces.clear(uow, address)
    await uow.commit()
    return Response(status_code=204)
