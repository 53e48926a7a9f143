"""Modifying an order: departure, participants with their extras and return city, add-ons, discounts and prices."""
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from orders import modification, services, withdrawal
from orders.api import AddOnIn, Dir, OrderOut, ParticipantChoice
from orders.booking import Choice
from orders.domain.breakdown import AddOn
from orders.snapshot import Snapshot
from orders.tables import OrderModification
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["orders"])


class ModifiedParticipant(ParticipantChoice):
    """A participant as the order will book it: here the return city may differ from the outbound one; without
    `legal_guardian_id`, a participant already on the order keeps its guardian."""

    stay_price: Money | None = Field(None, ge=0, le=100_000, description="Overrides the stay price.")
    transport_fare: Money | None = Field(None, ge=0, le=100_000, description="Overrides the round-trip fare.")


class ModificationIn(BaseModel):
    """Only what changes; absent fields keep the order's values. `participants` is the whole new list: a participant
    left out is removed with its extras, a new one is added with its own."""

    model_config = ConfigDict(extra="forbid")
    departure_id: UUID | None = Field(None, description="Another departure of the same stay.")
    participants: list[ModifiedParticipant] | None = Field(None, min_length=1, max_length=200)
    add_on_ids: list[UUID] | None = Field(None, max_length=50,
                                          description="The new set of optional add-on products of stock, for every "
                                                      "participant; the mandatory ones always come.")
    add_ons: list[AddOnIn] | None = Field(None, max_length=20, description="The new typed lines for the whole order.")
    cash_discount: Money | None = Field(None, ge=0, le=100_000)
    siblings_reduction: Money | None = Field(None, ge=0, le=100_000)
    referral_reduction: Money | None = Field(None, ge=0, le=100_000)
    client_id: UUID | None = Field(None, description="Cannot change: a different client is refused.")
    promo_code: str | None = Field(None, max_length=40, description="Cannot change once applied.")
    cashback: Money | None = Field(None, ge=0, le=100_000, description="Cannot change once applied.")

    @model_validator(mode="after")
    def distinct(self) -> "ModificationIn":
        ids = [p.participant_id for p in self.participants or []]
        if len(set(ids)) != len(ids):
            raise ValueError("a participant appears twice")
        if self.add_on_ids is not None and len(set(self.add_on_ids)) != len(self.add_on_ids):
            raise ValueError("an add-on appears twice")
        return self

    def change(self) -> modification.Change:
        choices = None if self.participants is None else [
            Choice(p.participant_id, p.outbound_city_id, p.return_city_id, tuple(p.extra_ids), p.stay_price,
                   p.transport_fare, legal_guardian_id=p.legal_guardian_id) for p in self.participants]
        return modification.Change(
            departure_id=self.departure_id, choices=choices,
            add_ons=None if self.add_ons is None else tuple(AddOn(a.label, a.amount) for a in self.add_ons),
            cash_discount=self.cash_discount, siblings=self.siblings_reduction, referral=self.referral_reduction,
            client_id=self.client_id, promo_code=self.promo_code, cashback=self.cashback,
            add_on_ids=None if self.add_on_ids is None else tuple(self.add_on_ids))


class ModificationOut(BaseModel):
    version: int = Field(description="The order version of the `orders.order.modified` event stock answers.")
    status: Literal["pending", "applied", "rejected", "withdrawn"]
    summary: str
    proposed_total: Money
    reason: str | None
    requested_by: str
    requested_at: datetime
    answered_at: datetime | None

    @classmethod
    def of(cls, row: OrderModification) -> "ModificationOut":
        return cls(version=row.version, status=row.status, summary=row.summary, proposed_total=row.proposal["total"],
                   reason=row.reason, requested_by=row.requested_by, requested_at=row.requested_at,
                   answered_at=row.answered_at)


class ModifiedOrderOut(BaseModel):
    modification: ModificationOut
    order: OrderOut = Field(description="The order now: unchanged until stock confirms a pending modification.")


@router.post("/orders/{order_id}/modifications", status_code=200,
             summary="Modify an order not yet invoiced; changes of places wait for stock (202).",
             responses={202: {"description": "Proposed to stock; the order changes when stock confirms."},
                        409: {"description": "order_invoiced (un-invoice first), cannot_modify, modification_pending,"
                                             " stay_cannot_change, client_cannot_change, promo_code_cannot_change, "
                                             "cashback_cannot_change, reductions_exceed_price."}})
async def modify(order_id: UUID, body: ModificationIn, uow: UoW, principal: Staff, dir: Dir, response: Response
                 ) -> ModifiedOrderOut:
    order, row = await modification.modify(uow, dir, order_id, body.change(), principal.sub)
    await uow.commit()
    response.status_code = 202 if row.status == "pending" else 200
    return ModifiedOrderOut(modification=ModificationOut.of(row), order=OrderOut.of(order))


@router.get("/orders/{order_id}/modifications", summary="The order's modifications, oldest first, with stock's answer.")
async def list_modifications(order_id: UUID, uow: Snapshot, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
                             ) -> Page[ModificationOut]:
    await services.get_order(uow, order_id)
    stmt = select(OrderModification).where(OrderModification.order_id == order_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, OrderModification.requested_at,
                                          OrderModification.version, limit, cursor)
    return Page(items=[ModificationOut.of(r) for r in rows], next_cursor=next_cursor)


@router.post("/orders/{order_id}/modifications/{version}/withdrawal",
             summary="Withdraw a modification stock has not answered; stock is told to keep the order as it is.",
             responses={409: {"description": "modification_not_pending: stock answered it, or it was withdrawn."}})
async def withdraw(order_id: UUID, version: Annotated[int, Path(ge=1, le=2**31 - 1)], uow: UoW, principal: Staff
                   ) -> ModifiedOrderOut:
    order, row = await withdrawal.withdraw(uow, order_id, version, principal.sub)
    await uow.commit()
    return ModifiedOrderOut(modification=ModificationOut.of(row), order=OrderOut.of(order))
