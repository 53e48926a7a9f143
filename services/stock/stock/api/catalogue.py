"""What a departure sells besides its places: cities with their round-trip fares, extras, and their price."""
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import Problem
from stock import services
from stock.api.amounts import Price
from stock.tables import AddOn, DepartureCity, Extra

router = APIRouter(tags=["catalogue"])


class CityIn(BaseModel):
    city: str = Field(min_length=1, max_length=100, pattern=r"\S", examples=["Lyon"])
    fare: Price = Field(description="Round trip from and back to this city.", examples=["50.00"])


class CityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    departure_id: UUID
    city: str
    fare: Money
    created_at: datetime


class ExtraIn(BaseModel):
    label: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Stage d'équitation"])
    price: Price = Field(examples=["120.00"])
    capacity: int | None = Field(None, ge=0, le=100_000, description="Places of this extra; null for unlimited.",
                                 examples=[12])


class ExtraPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str | None = Field(None, min_length=1, max_length=200, pattern=r"\S")
    price: Price | None = None
    capacity: int | None = Field(None, ge=0, le=100_000, description="Null for unlimited; never below places taken.")


class ExtraOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    departure_id: UUID
    label: str
    price: Money
    capacity: int | None
    held: int
    overdue: int
    confirmed: int
    free: int | None = Field(description="Null when unlimited.")
    created_at: datetime


class AddOnIn(BaseModel):
    label: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Frais de dossier"])
    price: Price = Field(examples=["25.00"])
    mandatory: bool = Field(False, description="Mandatory add-ons are always priced; optional ones when chosen.")


class AddOnOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    stay_id: UUID | None = Field(description="Set for an add-on of every departure of the stay.")
    departure_id: UUID | None = Field(description="Set for an add-on of this departure only.")
    label: str
    price: Money
    mandatory: bool
    created_at: datetime


class TransportOut(BaseModel):
    outbound_city_id: UUID
    outbound_city: str
    return_city_id: UUID
    return_city: str
    fare: Money


class ExtraPriceOut(BaseModel):
    id: UUID
    label: str
    price: Money


class AddOnPriceOut(BaseModel):
    id: UUID
    label: str
    mandatory: bool
    price: Money


class PricingOut(BaseModel):
    """One participant's price; the total is exactly base price + transport fare + extras + add-ons."""

    departure_id: UUID
    base_price: Money = Field(examples=["850.00"])
    transport: TransportOut | None = Field(description="Null when no outbound city was chosen.")
    transport_fare: Money = Field(examples=["42.00"])
    extras: list[ExtraPriceOut]
    add_ons: list[AddOnPriceOut] = Field(description="Empty unless add-ons were asked for.")
    markup_percent: Money = Field(description="The reseller's markup on this departure, already in every price.",
                                  examples=["0.00"])
    total: Money = Field(examples=["1012.00"])


@router.post("/departures/{departure_id}/cities", status_code=201,
             summary="Add a city the departure leaves from and comes back to, with its round-trip fare.",
             responses={409: {"description": "city_exists: the departure already has this city."}})
async def add_city(departure_id: UUID, body: CityIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def add() -> CityOut:
        return CityOut.model_validate(await services.add_city(uow, departure_id, body.city, body.fare))

    return await once(uow, key, f"stock:add_city:{departure_id}", add)


@router.get("/departures/{departure_id}/cities", summary="The departure's cities and their round-trip fares.")
async def list_cities(
    departure_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
) -> Page[CityOut]:
    await services.get_departure(uow, departure_id)
    rows, next_cursor = await keyset_page(uow.session, services.cities_query(departure_id),
                                          DepartureCity.created_at, DepartureCity.id, limit, cursor)
    return Page(items=[CityOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.delete("/departures/{departure_id}/cities/{city_id}", status_code=204, summary="Stop serving a city.")
async def remove_city(departure_id: UUID, city_id: UUID, uow: UoW, _: Staff) -> Response:
    await services.remove_city(uow, departure_id, city_id)
    await uow.commit()
    return Response(status_code=204)


@router.post("/departures/{departure_id}/extras", status_code=201, summary="Add an extra with its price and places.")
async def add_extra(departure_id: UUID, body: ExtraIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def add() -> ExtraOut:
        extra = await services.add_extra(uow, departure_id, body.label, body.price, body.capacity)
        return ExtraOut.model_validate(extra)

    return await once(uow, key, f"stock:add_extra:{departure_id}", add)


@router.patch("/departures/{departure_id}/extras/{extra_id}",
              summary="Change an extra's label, price or capacity (never below its places taken).",
              responses={409: {"description": "capacity_below_taken"}})
async def update_extra(departure_id: UUID, extra_id: UUID, body: ExtraPatch, uow: UoW, _: Staff) -> ExtraOut:
    changes = body.model_dump(exclude_unset=True)
    if changes.get("label", "") is None or changes.get("price", 0) is None:
        raise Problem(422, "invalid_request", "Invalid request", "An extra's label and price cannot be null.")
    extra = await services.update_extra(uow, departure_id, extra_id, changes)
    await uow.commit()
    return ExtraOut.model_validate(extra)


@router.get("/departures/{departure_id}/extras", summary="The departure's extras, with their places.")
async def list_extras(
    departure_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
) -> Page[ExtraOut]:
    await services.get_departure(uow, departure_id)
    rows, next_cursor = await keyset_page(uow.session, services.extras_query(departure_id),
                                          Extra.created_at, Extra.id, limit, cursor)
    return Page(items=[ExtraOut.model_validate(r) for r in rows], next_cursor=next_cursor)


async def _add_on(uow, body: AddOnIn, key: str | None, scope: str, **owner: UUID):
    async def add() -> AddOnOut:
        return AddOnOut.model_validate(await services.add_add_on(uow, body.label, body.price, body.mandatory, **owner))

    return await once(uow, key, scope, add)


@router.post("/stays/{stay_id}/add-ons", status_code=201, response_model=AddOnOut,
             summary="Add an add-on product to every departure of a stay.")
async def add_stay_add_on(stay_id: UUID, body: AddOnIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    return await _add_on(uow, body, key, f"stock:add_on:stay:{stay_id}", stay_id=stay_id)


@router.post("/departures/{departure_id}/add-ons", status_code=201, response_model=AddOnOut,
             summary="Add an add-on product to one departure.")
async def add_departure_add_on(departure_id: UUID, body: AddOnIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    return await _add_on(uow, body, key, f"stock:add_on:departure:{departure_id}", departure_id=departure_id)


@router.get("/departures/{departure_id}/add-ons", summary="The add-ons offered on a departure: its own and its stay's.")
async def list_add_ons(
    departure_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
) -> Page[AddOnOut]:
    departure = await services.get_departure(uow, departure_id)
    rows, next_cursor = await keyset_page(uow.session, services.add_ons_query(departure), AddOn.created_at, AddOn.id,
                                          limit, cursor)
    return Page(items=[AddOnOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.delete("/add-ons/{add_on_id}", status_code=204, summary="Stop offering an add-on product.")
async def remove_add_on(add_on_id: UUID, uow: UoW, _: Staff) -> Response:
    await services.remove_add_on(uow, add_on_id)
    await uow.commit()
    return Response(status_code=204)


@router.get("/departures/{departure_id}/pricing",
            summary="One participant's price: base price, round trip (seed 001 rule for another return city), extras, "
                    "add-ons; for a reseller, raised by its markup.",
            responses={409: {"description": "departure_not_assigned: the reseller may not sell this departure."}})
async def pricing(
    departure_id: UUID,
    uow: UoW,
    _: BackOffice,
    outbound_city: Annotated[UUID | None, Query(description="Id of the city the participant leaves from.")] = None,
    return_city: Annotated[UUID | None, Query(description="Id of the city coming back to; the outbound one if absent.")
                           ] = None,
    extras: Annotated[list[UUID], Query(max_length=50, description="Ids of the chosen extras; repeat the parameter.")
                      ] = [],  # noqa: B006 - FastAPI copies query defaults
    add_ons: Annotated[list[UUID], Query(max_length=50, description="Ids of the chosen optional add-ons.")
                       ] = [],  # noqa: B006 - FastAPI copies query defaults
    with_add_ons: Annotated[bool, Query(description="List the add-ons (mandatory and chosen) and count them.")
                            ] = False,
    reseller_id: Annotated[UUID | None, Query(description="Price for this reseller client, with its markup.")] = None,
) -> PricingOut:
    choice = services.Choice(outbound_city, return_city, extras, add_ons, with_add_ons, reseller_id)
    quote = await services.quote(uow, departure_id, choice)
    transport = None
    if quote.outbound is not None and quote.inbound is not None:
        transport = TransportOut(outbound_city_id=quote.outbound.id, outbound_city=quote.outbound.city,
                                 return_city_id=quote.inbound.id, return_city=quote.inbound.city,
                                 fare=quote.price.transport)
    return PricingOut(
        departure_id=quote.departure.id, base_price=quote.price.base_price, transport=transport,
        transport_fare=quote.price.transport,
        extras=[ExtraPriceOut(id=e.id, label=e.label, price=p) for e, p in zip(quote.extras, quote.price.extras,
                                                                                 strict=True)],
        add_ons=[AddOnPriceOut(id=a.id, label=a.label, mandatory=a.mandatory, price=p)
                 for a, p in zip(quote.add_ons, quote.price.add_ons, strict=True)],
        markup_percent=quote.markup_percent, total=quote.price.total,
    )
