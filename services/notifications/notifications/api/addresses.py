"""Addresses that bounced: mail to them is held until an operator, having corrected or checked them, clears them."""
from fastapi import APIRouter, Response

from notifications import bounces
from notifications.api.schemas import InvalidAddressOut
from shared.app import UoW
from shared.auth import BackOffice, Staff

router = APIRouter(tags=["invalid addresses"])


@router.get("/invalid-addresses", summary="Addresses mail came back from for good, the latest first.")
async def list_invalid(uow: UoW, _: BackOffice) -> list[InvalidAddressOut]:
    return [InvalidAddressOut.model_validate(a) for a in await bounces.listed(uow)]


@router.delete("/invalid-addresses/{address}", status_code=204,
               summary="The address works again: mail to it is sent from now on (held mail is resent by hand).")
async def clear_invalid(address: str, uow: UoW, _: Staff) -> Response:
    await bounces.clear(uow, address)
    await uow.commit()
    return Response(status_code=204)
