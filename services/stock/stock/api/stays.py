"""Stays and departures, with their places."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from stock import services
from stock.tables import Departure, Hold, Stay

router = APIRouter(tags=["stock"])


class StayIn(BaseModel):
    title: str = Field(min_length=1, max_length=200, examples=["Aventure en Ardèche"])
    description: str = Field("", max_length=10_000)


class StayOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    title: str
    description: str
    created_at: datetime


class DepartureIn(BaseModel):
    start_date: date = Field(examples=["2027-07-10"])
    end_date: date = Field(examples=["2027-07-24"])
    capacity: int = Field(ge=0, le=100_000, examples=[10])
    base_price: Money = Field(ge=0, le=Decimal("1000000"), examples=["850.00"])

    @model_validator(mode="after")
    def ends_after_start(self) -> "DepartureIn":
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class StockOut(BaseModel):
    capacity: int
    held: int
    overdue: int
    confirmed: int
    free: int


class DepartureOut(BaseModel):
    id: UUID
    stay_id: UUID
    start_date: date
    end_date: date
    base_price: Money
    stock: StockOut
    created_at: datetime

    @classmethod
    def of(cls, departure: Departure) -> "DepartureOut":
        stock = services.stock_of(departure)
        return cls(
            id=departure.id, stay_id=departure.stay_id, start_date=departure.start_date, end_date=departure.end_date,
            base_price=departure.base_price, created_at=departure.created_at,
            stock=StockOut(capacity=stock.capacity, held=stock.held, overdue=stock.overdue,
                           confirmed=stock.confirmed, free=stock.free),
        )


class HoldOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    order_id: UUID
    places: int
    state: str
    updated_at: datetime


@router.post("/stays", status_code=201, summary="Create a stay.")
async def create_stay(body: StayIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> StayOut:
        return StayOut.model_validate(await services.create_stay(uow, body.title, body.description))

    return await once(uow, key, "stock:create_stay", create)


@router.get("/stays", summary="List stays.")
async def list_stays(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[StayOut]:
    rows, next_cursor = await keyset_page(uow.session, select(Stay), Stay.created_at, Stay.id, limit, cursor)
    return Page(items=[StayOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/stays/{stay_id}", summary="One stay.")
async def get_stay(stay_id: UUID, uow: UoW, _: BackOffice) -> StayOut:
    return StayOut.model_validate(await services.get_stay(uow, stay_id))


@router.post("/stays/{stay_id}/departures", status_code=201, summary="Add a dated departure with its places.")
async def add_departure(stay_id: UUID, body: DepartureIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def add() -> DepartureOut:
        departure = await services.add_departure(
            uow, stay_id, body.start_date, body.end_date, body.capacity, body.base_price
        )
        return DepartureOut.of(departure)

    return await once(uow, key, f"stock:add_departure:{stay_id}", add)


DepartureSort = Literal["start_date", "-start_date", "base_price", "-base_price"]


@router.get("/departures", summary="List departures, with their stock; filtered and sorted.")
async def list_departures(
    uow: UoW,
    _: BackOffice,
    stay_id: Annotated[UUID | None, Query(description="Only this stay's departures.")] = None,
    start_after: Annotated[date | None, Query(description="Starting on or after this date.")] = None,
    end_before: Annotated[date | None, Query(description="Ending on or before this date.")] = None,
    min_free: Annotated[int | None, Query(ge=0, le=100_000, description="At least this many free places.")] = None,
    price_min: Annotated[Money | None, Query(ge=0, description="Base price at least this.")] = None,
    price_max: Annotated[Money | None, Query(ge=0, description="Base price at most this.")] = None,
    sort: Annotated[DepartureSort | None, Query(description="Creation order when absent.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DepartureOut]:
    rows, next_cursor = await services.find_departures(
        uow, stay_id=stay_id, start_after=start_after, end_before=end_before, min_free=min_free,
        price_min=price_min, price_max=price_max, sort=sort, limit=limit, cursor=cursor,
    )
    return Page(items=[DepartureOut.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/departures/{departure_id}", summary="One departure and its places: capacity, held, overdue, confirmed, free.")
async def get_departure(departure_id: UUID, uow: UoW, _: BackOffice) -> DepartureOut:
    return DepartureOut.of(await services.get_departure(uow, departure_id))


@router.get("/departures/{departure_id}/holds", summary="Where each order's places are on this departure.")
async def list_holds(
    departure_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
) -> Page[HoldOut]:
    await services.get_departure(uow, departure_id)
    stmt = select(Hold).where(Hold.departure_id == departure_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, Hold.updated_at, Hold.order_id, limit, cursor)
    return Page(items=[HoldOut.model_validate(r) for r in rows], next_cursor=next_cursor)
