"""HTTP routes of referral: a client's referrer, its referees and the referrals it has left."""
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from clients import referral_services as referral
from clients.api import ClientOut
from clients.domain.referral import remaining
from clients.services import get_client
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["referral"])


class ReferrerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    referrer_id: UUID | None = Field(description="The referring client; null removes the referrer.")


class ReferralOut(BaseModel):
    client_id: UUID
    referrer_id: UUID | None
    referees: int = Field(description="How many clients this one has referred.")
    remaining_referrals: int = Field(description="How many more it may refer (configured maximum).")


def _maximum(request: Request) -> int:
    return request.app.state.settings.referral_max


async def _summary(uow: UoW, request: Request, client_id: UUID, referrer_id: UUID | None) -> ReferralOut:
    count = await referral.referee_count(uow, client_id)
    return ReferralOut(client_id=client_id, referrer_id=referrer_id, referees=count,
                       remaining_referrals=remaining(_maximum(request), count))


@router.get("/clients/{client_id}/referral", summary="A client's referrer, referee count and remaining referrals.")
async def read(client_id: UUID, request: Request, uow: UoW, _: BackOffice) -> ReferralOut:
    client = await get_client(uow, client_id)
    return await _summary(uow, request, client.id, client.referrer_id)


@router.put("/clients/{client_id}/referrer", summary="Name (or remove) the client's referrer.")
async def set_referrer(client_id: UUID, body: ReferrerIn, request: Request, uow: UoW, _: Staff) -> ReferralOut:
    client = await referral.set_referrer(uow, client_id, body.referrer_id, _maximum(request))
    await uow.commit()
    return await _summary(uow, request, client.id, client.referrer_id)


@router.get("/clients/{client_id}/referees", summary="The clients this one has referred.")
async def list_referees(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50,
                        cursor: Cursor = None) -> Page[ClientOut]:
    rows, next_cursor = await referral.referees(uow, client_id, limit, cursor)
    today = uow.clock.now().date()
    return Page(items=[ClientOut.of(r, today) for r in rows], next_cursor=next_cursor)
