"""The configured list of third-party payers (CAF/VACAF, works councils) that deferred payments name."""
from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from orders import payments
from orders.patching import Clearable, Patch
from orders.snapshot import Snapshot
from orders.tables import ThirdPartyPayer
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import DomainError, NotFound

router = APIRouter(tags=["third-party payers"])


class PayerIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["CAF du Rhône"])
    address: str = Field("", max_length=1000)
    email: EmailStr | None = None
    active: bool = True


class PayerChange(Patch):
    """Null clears the e-mail address."""

    name: str | None = Field(None, min_length=1, max_length=200)
    address: str | None = Field(None, max_length=1000)
    email: Clearable[EmailStr] = None
    active: bool | None = None


class PayerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str
    address: str
    email: str | None
    active: bool
    created_at: datetime


async def _get(uow: UoW, payer_id: UUID) -> ThirdPartyPayer:
    payer = await uow.session.get(ThirdPartyPayer, payer_id)
    if payer is None:
        raise NotFound("third-party payer", payer_id)
    return payer


async def _commit_unique(uow: UoW, name: str) -> None:
    try:
        await uow.commit()
    except IntegrityError:
        await uow.rollback()
        raise DomainError("third_party_payer_exists", f"Un tiers payant s'appelle déjà « {name} ».") from None


@router.post("/third-party-payers", status_code=201, summary="Add a third-party payer to the list.")
async def create_payer(body: PayerIn, uow: UoW, _: Staff) -> PayerOut:
    payer = ThirdPartyPayer(**body.model_dump(), created_at=uow.clock.now())
    uow.session.add(payer)
    await _commit_unique(uow, body.name)
    return PayerOut.model_validate(payer)


@router.get("/third-party-payers", summary="The third-party payers, oldest first.")
async def list_payers(uow: Snapshot, _: BackOffice, active: bool | None = None, limit: Limit = 50, cursor: Cursor = None
                      ) -> Page[PayerOut]:
    stmt = select(ThirdPartyPayer)
    if active is not None:
        stmt = stmt.where(ThirdPartyPayer.active == active)
    rows, next_cursor = await keyset_page(uow.session, stmt, ThirdPartyPayer.created_at, ThirdPartyPayer.id, limit,
                                          cursor)
    return Page(items=[PayerOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/third-party-payers/{payer_id}", summary="One third-party payer.")
async def get_payer(payer_id: UUID, uow: Snapshot, _: BackOffice) -> PayerOut:
    return PayerOut.model_validate(await _get(uow, payer_id))


@router.patch("/third-party-payers/{payer_id}", summary="Rename, correct, or deactivate a third-party payer.")
async def update_payer(payer_id: UUID, body: PayerChange, uow: UoW, _: Staff) -> PayerOut:
    payer = await _get(uow, payer_id)
    for name, value in body.changes().items():
        setattr(payer, name, value)
    await _commit_unique(uow, payer.name)
    return PayerOut.model_validate(payer)


@router.delete("/third-party-payers/{payer_id}", status_code=204,
               summary="Remove a third-party payer that no payment names (deactivate it otherwise).")
async def delete_payer(payer_id: UUID, uow: UoW, _: Staff) -> Response:
    payer = await _get(uow, payer_id)
    if await payments.payer_in_use(uow, payer_id):
        raise DomainError("third_party_payer_in_use",
                          f"Des règlements désignent {payer.name} : désactivez-le plutôt que de le supprimer.")
    await uow.session.delete(payer)
    await uow.commit()
    return Response(status_code=204)
