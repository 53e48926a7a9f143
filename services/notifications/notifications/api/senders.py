"""Sender identities (seed 004) of the master entity and of each organiser: who the mail is from."""
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from notifications import senders
from notifications.api.schemas import SenderIdentityIn, SenderIdentityOut, SenderIdentityPatch
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["sender identities"])


@router.get("/sender-identities", summary="The sender identities, oldest first.")
async def list_identities(
    uow: UoW, _: BackOffice,
    organiser_id: Annotated[UUID | None, Query(description="Only this organiser's.")] = None,
    limit: Limit = 50, cursor: Cursor = None,
) -> Page[SenderIdentityOut]:
    rows, next_cursor = await senders.listed(uow, organiser_id, limit, cursor)
    return Page(items=[SenderIdentityOut.model_validate(i) for i in rows], next_cursor=next_cursor)


@router.post("/sender-identities", status_code=201,
             summary="Set a sender identity; 409 when its owner already has one of that kind.")
async def create_identity(body: SenderIdentityIn, uow: UoW, _: Staff) -> SenderIdentityOut:
    identity = await senders.create(uow, body.organiser_id, body.kind, body.name, str(body.address),
                                    str(body.reply_to) if body.reply_to else None)
    await uow.commit()
    return SenderIdentityOut.model_validate(identity)


@router.put("/sender-identities/{identity_id}", summary="Change a sender identity's name and addresses.")
async def change_identity(identity_id: UUID, body: SenderIdentityPatch, uow: UoW, _: Staff) -> SenderIdentityOut:
    identity = await senders.change(uow, identity_id, body.name, str(body.address),
                                    str(body.reply_to) if body.reply_to else None)
    await uow.commit()
    return SenderIdentityOut.model_validate(identity)


@router.delete("/sender-identities/{identity_id}", status_code=204,
               summary="Remove a sender identity: its owner's mail falls back on the master entity's.")
async def remove_identity(identity_id: UUID, uow: UoW, _: Staff) -> Response:
    await senders.remove(uow, identity_id)
    await uow.commit()
    return Response(status_code=204)
