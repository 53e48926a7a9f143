"""Quotes (devis): the content of an order, priced, holding no places, valid until a date, convertible."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from orders import quotes
from orders.api import ConsentsIn, Dir, LineOut, OrderOut, PlaceOrder, SummaryOut
from orders.domain.breakdown import Breakdown, Entry
from orders.domain.dates import paris_date
from orders.snapshot import Snapshot
from orders.tables import Quote
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["quotes"])


class QuoteIn(PlaceOrder):
    valid_until: date | None = Field(None, description="Last day it can become an order; default from the settings.")


class QuoteParticipantOut(BaseModel):
    participant_id: UUID
    last_name: str
    first_name: str
    legal_guardian_id: UUID | None = None
    legal_guardian_name: str | None = None


class QuoteOut(BaseModel):
    id: UUID
    reference: str
    status: Literal["open", "converted"]
    expired: bool = Field(description="Open but past its validity date: it can no longer become an order.")
    client_id: UUID
    client_disputed: bool
    reseller_id: UUID | None
    departure_id: UUID
    stay_title: str
    start_date: date
    end_date: date
    participants: list[QuoteParticipantOut]
    lines: list[LineOut]
    summary: SummaryOut
    total: Money
    deposit_amount: Money | None
    membership_note: str | None
    promo_code: str | None
    add_on_ids: list[UUID] = Field(description="The optional add-on products of stock chosen for every participant.")
    valid_until: date
    order_id: UUID | None
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, quote: Quote, today: date) -> "QuoteOut":
        summary = Breakdown(tuple(Entry(line["kind"], line["label"], Decimal(line["amount"])) for line in quote.lines))
        return cls(
            id=quote.id, reference=quote.reference, status=quote.status, expired=quotes.expired(quote, today),
            client_id=quote.client_id, client_disputed=quote.client_disputed, reseller_id=quote.reseller_id,
            departure_id=quote.departure_id,
            stay_title=quote.stay_title, start_date=quote.start_date, end_date=quote.end_date,
            participants=quote.participants, lines=quote.lines,
            summary=SummaryOut.model_validate({k: str(v) for k, v in summary.summary().items()}), total=quote.total,
            deposit_amount=quote.deposit_amount, membership_note=quote.membership_note,
            promo_code=quote.adjustments.get("promo_code"),
            add_on_ids=quote.choices[0].get("add_on_ids") or [] if quote.choices else [],
            valid_until=quote.valid_until, order_id=quote.order_id,
            created_by=quote.created_by, created_at=quote.created_at)


@router.post("/quotes", status_code=201, summary="Price a booking as a quote: no places are held.")
async def make_quote(body: QuoteIn, uow: UoW, principal: Staff, dir: Dir, request: Request,
                     key: IdempotencyKey = None):
    async def make() -> QuoteOut:
        today = paris_date(uow.clock.now())
        valid_until = body.valid_until or today + timedelta(days=request.app.state.settings.quote_validity_days)
        quote = await quotes.make_quote(uow, dir, body.client_id, body.departure_id, body.choices(),
                                        body.adjustments(), valid_until, principal.sub, body.reseller_id)
        return QuoteOut.of(quote, today)

    return await once(uow, key, "orders:quote", make)


@router.get("/quotes", summary="List quotes.")
async def list_quotes(
    uow: Snapshot, _: BackOffice,
    client_id: Annotated[UUID | None, Query()] = None,
    status: Annotated[Literal["open", "converted"] | None, Query()] = None,
    limit: Limit = 50, cursor: Cursor = None,
) -> Page[QuoteOut]:
    stmt = select(Quote)
    for column, value in ((Quote.client_id, client_id), (Quote.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    rows, next_cursor = await keyset_page(uow.session, stmt, Quote.created_at, Quote.id, limit, cursor)
    today = paris_date(uow.clock.now())
    return Page(items=[QuoteOut.of(r, today) for r in rows], next_cursor=next_cursor)


@router.get("/quotes/{quote_id}", summary="One quote with its price breakdown.")
async def get_quote(quote_id: UUID, uow: Snapshot, _: BackOffice) -> QuoteOut:
    return QuoteOut.of(await quotes.get_quote(uow, quote_id), paris_date(uow.clock.now()))


class Conversion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    consents: ConsentsIn | None = Field(
        None, description="The client's consents re-confirmed at this order; clients records them in its history.")


@router.post("/quotes/{quote_id}/conversion", status_code=201,
             summary="Turn a valid quote into an order (pending stock, like any new order).",
             responses={409: {"description": "quote_expired, quote_converted, or any refusal of a new order."}})
async def convert(quote_id: UUID, uow: UoW, principal: Staff, dir: Dir, key: IdempotencyKey = None,
                  body: Conversion | None = None):
    consents = body.consents.consents() if body and body.consents else None

    async def make_order() -> OrderOut:
        return OrderOut.of(await quotes.convert(uow, dir, quote_id, principal.sub, consents))

    return await once(uow, key, f"orders:convert:{quote_id}", make_order)
