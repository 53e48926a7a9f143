"""HTTP routes of a client's consents to be contacted, with their history."""
from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from clients import consent_services as consents
from clients.domain.consents import Action, Channel, Topic
from clients.services import get_client
from clients.tables import Client, ConsentRecord
from shared.app import UoW
from clients.access import HolderReads, HolderWrites
from shared.auth import FRONT_OFFICE_ROLES, BackOffice
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["consents"])


class ConsentsIn(BaseModel):
    """The client's answers; a consent left out is kept."""

    model_config = ConfigDict(extra="forbid")
    newsletter: bool | None = Field(None, description="News and offers of the organiser.")
    partner_offers: bool | None = Field(None, description="Offers of the organiser's partners.")
    channel: Channel = Field("back_office", description="How the client answered; always front_office when the "
                                                        "client answers itself, from its own account.")


class Consent(BaseModel):
    granted: bool
    channel: Channel | None
    recorded_by: str | None
    recorded_at: datetime | None = Field(description="When the client last answered; null if never.")


class ConsentsOut(BaseModel):
    client_id: UUID
    newsletter: Consent
    partner_offers: Consent


class ConsentRecordOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    topic: Topic
    granted: bool
    action: Action
    channel: Channel
    recorded_by: str
    order_id: UUID | None
    recorded_at: datetime


async def _state(uow: UoW, client: Client) -> ConsentsOut:
    latest = await consents.latest(uow, client.id)
    granted = consents.current(client)

    def one(topic: Topic) -> Consent:
        record: ConsentRecord | None = latest[topic]
        return Consent(granted=granted[topic], channel=record.channel if record else None,
                       recorded_by=record.recorded_by if record else None,
                       recorded_at=record.recorded_at if record else None)

    return ConsentsOut(client_id=client.id, newsletter=one("newsletter"), partner_offers=one("partner_offers"))


@router.get("/clients/{client_id}/consents", summary="A client's consents, and their last answer.")
async def read(client_id: UUID, uow: UoW, _: HolderReads) -> ConsentsOut:
    return await _state(uow, await get_client(uow, client_id))


@router.put("/clients/{client_id}/consents", summary="Record the client's answers about being contacted.")
async def change(client_id: UUID, body: ConsentsIn, uow: UoW, who: HolderWrites) -> ConsentsOut:
    asked = body.model_dump(exclude_none=True, exclude={"channel"})
    channel = "front_office" if who.role in FRONT_OFFICE_ROLES else body.channel
    client = await consents.answer(uow, client_id, asked, channel, who.sub)
    await uow.commit()
    return await _state(uow, client)


@router.get("/clients/{client_id}/consents/history", summary="Every answer: who, when, which channel.")
async def history(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50,
                  cursor: Cursor = None) -> Page[ConsentRecordOut]:
    rows, next_cursor = await consents.history(uow, client_id, limit, cursor)
    return Page(items=[ConsentRecordOut.model_validate(r) for r in rows], next_cursor=next_cursor)
