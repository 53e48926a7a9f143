"""Promo codes configuration: an amount or a percentage off, validity dates, a number of uses.

A code is applied to at most one order each time and the order keeps its terms as applied, so changing
a code never changes the orders that used it.
"""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select

from orders.patching import Clearable, Patch
from orders.snapshot import Snapshot
from orders.tables import PromoCode
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import DomainError, NotFound

router = APIRouter(tags=["promo codes"])

Code = Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_-]+$", examples=["ETE27"])]


class PromoTerms(BaseModel):
    """The checks shared by creation and change: a percentage is at most 100, dates in order."""

    @model_validator(mode="after")
    def coherent(self):
        kind, value = getattr(self, "kind", None), getattr(self, "value", None)
        if kind == "percent" and value is not None and value > 100:
            raise ValueError("a percentage is at most 100")
        start, end = getattr(self, "valid_from", None), getattr(self, "valid_until", None)
        if start and end and end < start:
            raise ValueError("valid_until is before valid_from")
        return self


class PromoCodeIn(PromoTerms):
    model_config = ConfigDict(extra="forbid")
    code: Code
    kind: Literal["amount", "percent"] = Field(description="An amount in euros or a percentage of the package.")
    value: Money = Field(gt=0, le=100_000, examples=["50.00"])
    valid_from: date | None = None
    valid_until: date | None = None
    max_uses: int | None = Field(None, ge=1, le=1_000_000, description="Null for unlimited.")


class PromoCodePatch(Patch, PromoTerms):
    """Null clears a validity date or the maximum of uses; the value always has one."""

    value: Money | None = Field(None, gt=0, le=100_000)
    valid_from: Clearable[date] = None
    valid_until: Clearable[date] = None
    max_uses: Clearable[int] = Field(None, ge=1, le=1_000_000, description="Null for unlimited.")


class PromoCodeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    code: str
    kind: Literal["amount", "percent"]
    value: Money
    valid_from: date | None
    valid_until: date | None
    max_uses: int | None
    uses: int
    created_at: datetime
    updated_at: datetime


async def _get(uow, promo_code_id: UUID, lock: bool = False) -> PromoCode:
    row = await uow.session.get(PromoCode, promo_code_id, with_for_update=lock)
    if row is None:
        raise NotFound("promo code", promo_code_id)
    return row


@router.post("/promo-codes", status_code=201, summary="Create a promo code.",
             responses={409: {"description": "promo_code_exists: a code with this name exists."}})
async def create_promo_code(body: PromoCodeIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> PromoCodeOut:
        code = body.code.upper()
        if await uow.session.scalar(select(PromoCode.id).where(PromoCode.code == code)) is not None:
            raise DomainError("promo_code_exists", f"Le code promo {code} existe déjà.")
        now = uow.clock.now()
        fields = {name: getattr(body, name) for name in PromoCodeIn.model_fields}
        row = PromoCode(**{**fields, "code": code}, uses=0, created_at=now, updated_at=now)
        uow.session.add(row)
        await uow.session.flush()
        return PromoCodeOut.model_validate(row)

    return await once(uow, key, "orders:promo_code", create)


@router.get("/promo-codes", summary="List promo codes, optionally those valid on a day.")
async def list_promo_codes(uow: Snapshot, _: BackOffice,
                           valid_on: Annotated[date | None, Query(description="Only codes valid that day.")] = None,
                           limit: Limit = 50, cursor: Cursor = None) -> Page[PromoCodeOut]:
    stmt = select(PromoCode)
    if valid_on is not None:
        stmt = stmt.where(func.coalesce(PromoCode.valid_from, valid_on) <= valid_on,
                          func.coalesce(PromoCode.valid_until, valid_on) >= valid_on)
    rows, next_cursor = await keyset_page(uow.session, stmt, PromoCode.created_at, PromoCode.id, limit, cursor)
    return Page(items=[PromoCodeOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/promo-codes/{promo_code_id}", summary="One promo code with its uses.")
async def get_promo_code(promo_code_id: UUID, uow: Snapshot, _: BackOffice) -> PromoCodeOut:
    return PromoCodeOut.model_validate(await _get(uow, promo_code_id))


@router.patch("/promo-codes/{promo_code_id}", summary="Change a code's value, dates or uses; orders keep theirs.")
async def update_promo_code(promo_code_id: UUID, body: PromoCodePatch, uow: UoW, _: Staff) -> PromoCodeOut:
    row = await _get(uow, promo_code_id, lock=True)
    for name, value in body.changes().items():
        setattr(row, name, value)
    if row.kind == "percent" and row.value > Decimal(100):
        raise DomainError("invalid_percentage", "Un code promo en pourcentage ne dépasse pas 100 %.")
    if row.valid_from and row.valid_until and row.valid_until < row.valid_from:
        raise DomainError("invalid_dates", "La fin de validité précède son début.")
    if row.max_uses is not None and row.max_uses < row.uses:
        raise DomainError("max_uses_below_uses",
                          f"Le code {row.code} a déjà servi {row.uses} fois : le maximum ne peut être inférieur.")
    row.updated_at = uow.clock.now()
    await uow.commit()
    return PromoCodeOut.model_validate(row)


@router.delete("/promo-codes/{promo_code_id}", status_code=204, summary="Delete a code no order has used.")
async def delete_promo_code(promo_code_id: UUID, uow: UoW, _: Staff) -> Response:
    row = await _get(uow, promo_code_id, lock=True)
    if row.uses:
        raise DomainError("promo_code_used",
                          f"Le code {row.code} a servi sur {row.uses} commande(s) : fermez-le (fin de validité) "
                          "plutôt que de le supprimer.")
    await uow.session.delete(row)
    await uow.commit()
    return Response(status_code=204)
