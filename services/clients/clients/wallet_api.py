"""HTTP routes of a client's wallet: its balance and ledger, credits and debits."""
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from clients import wallet_services as wallet
from clients.domain.wallet import Source
from clients.record_models import NO_NUL
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.money import Money
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["wallet"])
Amount = Annotated[Money, Field(gt=0, le=Decimal("100000"), examples=["15.00"])]
Reference = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL,
                                 description="Names the entry: sent again, it records nothing more.",
                                 examples=["cashback-2027-summer"])]
Label = Annotated[str, Field(max_length=200, pattern=NO_NUL)]


class EntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    source: Source
    amount: Money = Field(description="Positive for a credit, negative for a debit.")
    reference: str
    order_id: UUID | None
    label: str | None
    recorded_by: str
    created_at: datetime


class WalletOut(BaseModel):
    client_id: UUID
    balance: Money = Field(description="The sum of the entries.")
    entries: list[EntryOut] = Field(description="The first entries, oldest first; the rest at /wallet/entries.")
    next_cursor: str | None


class EntryRecorded(BaseModel):
    entry: EntryOut
    balance: Money


class CreditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: Literal["cashback", "referral"]
    amount: Amount
    reference: Reference
    label: Label | None = None


class DebitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Amount
    reference: Reference
    order_id: UUID | None = None
    label: Label | None = None


@router.get("/clients/{client_id}/wallet", summary="A client's wallet: its balance and first entries.")
async def read_wallet(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50) -> WalletOut:
    rows, next_cursor = await wallet.entries(uow, client_id, limit, None)
    return WalletOut(client_id=client_id, balance=await wallet.balance(uow, client_id),
                     entries=[EntryOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/clients/{client_id}/wallet/entries", summary="The wallet's ledger, oldest first.")
async def list_entries(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50,
                       cursor: Cursor = None) -> Page[EntryOut]:
    rows, next_cursor = await wallet.entries(uow, client_id, limit, cursor)
    return Page(items=[EntryOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/clients/{client_id}/wallet/credits", status_code=201, summary="Credit the wallet.")
async def credit(client_id: UUID, body: CreditIn, uow: UoW, who: Staff) -> EntryRecorded:
    entry = await wallet.credit(uow, client_id, body.source, body.amount, body.reference, who.sub, body.label)
    recorded = EntryRecorded(entry=EntryOut.model_validate(entry), balance=await wallet.balance(uow, client_id))
    await uow.commit()
    return recorded


@router.post("/clients/{client_id}/wallet/debits", status_code=201,
             summary="Use wallet money; refused (409 wallet_insufficient) beyond the balance.")
async def debit(client_id: UUID, body: DebitIn, uow: UoW, who: Staff) -> EntryRecorded:
    entry = await wallet.debit(uow, client_id, body.amount, body.reference, who.sub, body.order_id, body.label)
    recorded = EntryRecorded(entry=EntryOut.model_validate(entry), balance=await wallet.balance(uow, client_id))
    await uow.commit()
    return recorded
