"""Stays and departures, with their places."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.events import DepartureChanged
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import Problem
from stock import services
from stock.api.amounts import Amount, Percent, Price
from stock.domain.stays import FeeTier
from stock.tables import Departure, Hold, Stay

router = APIRouter(tags=["stock"])


class DocumentIn(BaseModel):
    code: str = Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_]+$", examples=["health_form"])
    label: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Fiche sanitaire"])


class FeeTierIn(BaseModel):
    days_before: int = Field(ge=0, le=3650, examples=[30])
    percent: Percent = Field(examples=["25.00"])


class StayRulesIn(BaseModel):
    min_age: int | None = Field(None, ge=0, le=120, examples=[8])
    max_age: int | None = Field(None, ge=0, le=120, examples=[14])
    required_documents: list[DocumentIn] = Field([], max_length=50)
    cancellation_fees: list[FeeTierIn] = Field(
        [], max_length=50,
        description="Cancelling with d days left costs the percent of the tier with the smallest days_before >= d; "
                    "none applies: nothing.",
    )

    def rules(self) -> services.StayRules:
        return services.StayRules(
            self.min_age, self.max_age, tuple((d.code, d.label) for d in self.required_documents),
            tuple(FeeTier(t.days_before, t.percent) for t in self.cancellation_fees),
        )


class StayIn(StayRulesIn):
    title: str = Field(min_length=1, max_length=200, examples=["Aventure en Ardèche"])
    description: str = Field("", max_length=10_000)
    organiser_id: UUID | None = Field(None, description="The master entity when absent.")


class StayPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    organiser_id: UUID | None = None
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    required_documents: list[DocumentIn] | None = Field(None, max_length=50)
    cancellation_fees: list[FeeTierIn] | None = Field(None, max_length=50)

    def changes(self) -> dict[str, Any]:
        """The fields sent; null clears an age, and is refused where a value is required."""
        sent = self.model_dump(exclude_unset=True)
        for name in ("title", "description", "organiser_id", "required_documents", "cancellation_fees"):
            if name in sent and sent[name] is None:
                raise Problem(422, "invalid_request", "Invalid request", f"{name} cannot be null.")
        if self.required_documents is not None:
            sent["required_documents"] = tuple((d.code, d.label) for d in self.required_documents)
        if self.cancellation_fees is not None:
            sent["cancellation_fees"] = tuple(FeeTier(t.days_before, t.percent) for t in self.cancellation_fees)
        return sent


class DocumentOut(BaseModel):
    code: str
    label: str


class FeeTierOut(BaseModel):
    days_before: int
    percent: Money


class StayOut(BaseModel):
    id: UUID
    organiser_id: UUID
    title: str
    description: str
    min_age: int | None
    max_age: int | None
    required_documents: list[DocumentOut]
    cancellation_fees: list[FeeTierOut] = Field(description="Sorted from the farthest from departure to the closest.")
    created_at: datetime

    @classmethod
    def of(cls, stay: Stay) -> "StayOut":
        return cls(
            id=stay.id, organiser_id=stay.organiser_id, title=stay.title, description=stay.description,
            min_age=stay.min_age, max_age=stay.max_age, created_at=stay.created_at,
            required_documents=[DocumentOut(**d) for d in stay.required_documents],
            cancellation_fees=[FeeTierOut(days_before=t["days_before"], percent=Decimal(t["percent"]))
                               for t in stay.cancellation_fees],
        )


class DepartureIn(BaseModel):
    start_date: date = Field(examples=["2027-07-10"])
    end_date: date = Field(examples=["2027-07-24"])
    capacity: int = Field(ge=0, le=100_000, examples=[10])
    base_price: Price = Field(examples=["850.00"])

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


class DeparturePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start_date: date | None = None
    end_date: date | None = None
    capacity: int | None = Field(None, ge=0, le=100_000, description="Never below the places already taken.")
    base_price: Price | None = None
    status: Literal["open", "closed"] | None = Field(None, description="A closed departure takes no new holds.")


class DepartureOut(BaseModel):
    id: UUID
    stay_id: UUID
    start_date: date
    end_date: date
    base_price: Money
    status: Literal["open", "closed"]
    stock: StockOut
    created_at: datetime

    @classmethod
    def of(cls, departure: Departure) -> "DepartureOut":
        stock = services.stock_of(departure)
        return cls(
            id=departure.id, stay_id=departure.stay_id, start_date=departure.start_date, end_date=departure.end_date,
            base_price=departure.base_price, status=departure.status, created_at=departure.created_at,
            stock=StockOut(capacity=stock.capacity, held=stock.held, overdue=stock.overdue,
                           confirmed=stock.confirmed, free=stock.free),
        )


class DepartureOfStayOut(DepartureOut):
    """One departure with its stay's title and organiser: what orders records of it, in one query per booking."""

    stay_title: str
    organiser_id: UUID


class HoldOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    order_id: UUID
    places: int
    state: str
    updated_at: datetime


@router.post("/stays", status_code=201, summary="Create a stay, with its ages, file documents and cancellation fees.",
             responses={409: {"description": "ages_inverted, duplicate_document, fees_decrease_near_departure, ..."}})
async def create_stay(body: StayIn, request: Request, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> StayOut:
        stay = await services.create_stay(uow, body.title, body.description, body.organiser_id, body.rules(),
                                          request.app.state.settings.return_city_variation_percent)
        return StayOut.of(stay)

    return await once(uow, key, "stock:create_stay", create)


@router.get("/stays", summary="List stays.")
async def list_stays(
    uow: UoW,
    _: BackOffice,
    organiser_id: Annotated[UUID | None, Query(description="Only this organiser's stays.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[StayOut]:
    stmt = select(Stay) if organiser_id is None else select(Stay).where(Stay.organiser_id == organiser_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, Stay.created_at, Stay.id, limit, cursor)
    return Page(items=[StayOut.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/stays/{stay_id}", summary="One stay, with what orders needs: organiser, ages, documents, fees.")
async def get_stay(stay_id: UUID, uow: UoW, _: BackOffice) -> StayOut:
    return StayOut.of(await services.get_stay(uow, stay_id))


@router.patch("/stays/{stay_id}", summary="Change a stay; the fields sent replace the stored ones.")
async def update_stay(stay_id: UUID, body: StayPatch, uow: UoW, _: Staff) -> StayOut:
    stay = await services.update_stay(uow, stay_id, body.changes())
    await uow.commit()
    return StayOut.of(stay)


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
    city: Annotated[str | None, Query(min_length=1, max_length=100, description="Serving this city (any case).")
                    ] = None,
    min_free: Annotated[int | None, Query(ge=0, le=100_000, description="At least this many free places.")] = None,
    price_min: Annotated[Amount | None, Query(description="Base price at least this.")] = None,
    price_max: Annotated[Amount | None, Query(description="Base price at most this.")] = None,
    sort: Annotated[DepartureSort | None, Query(description="Creation order when absent.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DepartureOut]:
    rows, next_cursor = await services.find_departures(
        uow, stay_id=stay_id, start_after=start_after, end_before=end_before, city=city, min_free=min_free,
        price_min=price_min, price_max=price_max, sort=sort, limit=limit, cursor=cursor,
    )
    return Page(items=[DepartureOut.of(r) for r in rows], next_cursor=next_cursor)


class DepartureStateOut(DepartureChanged):
    """A departure as its newest event says it, with that event's version."""

    version: int


@router.get("/departure-states", summary="Every departure as its newest event states it (with its catalogue and "
                                         "version), in creation order: how another service fills its copy.")
async def departure_states(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
                           ) -> Page[DepartureStateOut]:
    rows, next_cursor = await keyset_page(uow.session, select(Departure), Departure.created_at, Departure.id, limit,
                                          cursor)
    return Page(items=[DepartureStateOut(**(await services.departure_state(uow, DepartureChanged, row)).model_dump(),
                                         version=row.version) for row in rows], next_cursor=next_cursor)


@router.get("/departures/{departure_id}", summary="One departure and its places: capacity, held, overdue, confirmed, "
                                                "free; with its stay's title and organiser.")
async def get_departure(departure_id: UUID, uow: UoW, _: BackOffice) -> DepartureOfStayOut:
    departure = await services.get_departure(uow, departure_id)
    stay = await services.get_stay(uow, departure.stay_id)
    return DepartureOfStayOut(**DepartureOut.of(departure).model_dump(), stay_title=stay.title,
                              organiser_id=stay.organiser_id)


@router.patch("/departures/{departure_id}",
              summary="Change dates, price, capacity (never below the places taken) or status (open/closed).",
              responses={409: {"description": "capacity_below_taken, ends_before_start"}})
async def update_departure(departure_id: UUID, body: DeparturePatch, uow: UoW, _: Staff) -> DepartureOut:
    changes = body.model_dump(exclude_unset=True)
    if any(value is None for value in changes.values()):
        raise Problem(422, "invalid_request", "Invalid request", "A departure's fields cannot be null.")
    departure = await services.update_departure(uow, departure_id, changes)
    await uow.commit()
    return DepartureOut.of(departure)


@router.get("/departures/{departure_id}/holds", summary="Where each order's places are on this departure.")
async def list_holds(
    departure_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
) -> Page[HoldOut]:
    await services.get_departure(uow, departure_id)
    stmt = select(Hold).where(Hold.departure_id == departure_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, Hold.updated_at, Hold.order_id, limit, cursor)
    return Page(items=[HoldOut.model_validate(r) for r in rows], next_cursor=next_cursor)
