"""The public catalogue, the only business route read without a token (the gateway limits it per address), and a
reseller's space: its assigned departures at its prices."""
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from shared.app import UoW
from shared.auth import READERS, Principal, own_client
from shared.money import Money
from shared.pagination import Cursor, Limit, Page
from stock import offers
from stock.domain.pricing import with_markup
from stock.services import stock_of

router = APIRouter(tags=["catalogue for families and resellers"])
ResellerSpace = Annotated[Principal, Depends(own_client(*READERS, front_office=("reseller",)))]


class OfferedCityOut(BaseModel):
    id: UUID
    city: str
    fare: Money = Field(description="Round trip from and back to this city, per participant.", examples=["50.00"])


class OfferOut(BaseModel):
    """A departure as it is offered: its stay, its dates, its cities and prices."""

    id: UUID
    stay_id: UUID
    title: str = Field(examples=["Aventure en Ardèche"])
    description: str
    min_age: int | None
    max_age: int | None
    start_date: date
    end_date: date
    price: Money = Field(description="The stay's price per participant, before transport, extras and add-ons.",
                         examples=["850.00"])
    cities: list[OfferedCityOut]

    @classmethod
    def of(cls, offer: offers.Offer, **extra: object) -> "OfferOut":
        def priced(amount: Decimal) -> Decimal:
            return with_markup(amount, offer.markup_percent)

        departure, stay = offer.departure, offer.stay
        return cls(id=departure.id, stay_id=stay.id, title=stay.title, description=stay.description,
                   min_age=stay.min_age, max_age=stay.max_age, start_date=departure.start_date,
                   end_date=departure.end_date, price=priced(departure.base_price),
                   cities=[OfferedCityOut(id=c.id, city=c.city, fare=priced(c.fare)) for c in offer.cities], **extra)


class ResellerOfferOut(OfferOut):
    """An assigned departure at the reseller's prices: its markup is already in every amount."""

    markup_percent: Money = Field(examples=["10.00"])
    status: Literal["open", "closed"] = Field(description="A closed departure takes no booking.")
    free_places: int


def _filters(
    stay_id: Annotated[UUID | None, Query(description="Only this stay's departures.")] = None,
    age: Annotated[int | None, Query(ge=0, le=120, description="Only stays that take a participant of this age.")
                   ] = None,
    start_after: Annotated[date | None, Query(description="Starting on or after this date.")] = None,
    end_before: Annotated[date | None, Query(description="Ending on or before this date.")] = None,
) -> offers.Filters:
    return offers.Filters(stay_id=stay_id, age=age, start_after=start_after, end_before=end_before)


Filters = Annotated[offers.Filters, Depends(_filters)]


@router.get("/catalogue/departures", summary="The public catalogue: departures open for booking with free places, "
                                             "soonest first; no token needed.")
async def catalogue(uow: UoW, filters: Filters, limit: Limit = 50, cursor: Cursor = None) -> Page[OfferOut]:
    found, next_cursor = await offers.catalogue(uow, filters, limit, cursor)
    return Page(items=[OfferOut.of(offer) for offer in found], next_cursor=next_cursor)


@router.get("/catalogue/departures/{departure_id}", summary="One departure of the public catalogue; 404 once it is no "
                                                           "longer open for booking.")
async def catalogue_departure(departure_id: UUID, uow: UoW) -> OfferOut:
    return OfferOut.of(await offers.catalogue_departure(uow, departure_id))


@router.get("/resellers/{client_id}/departures", summary="A reseller's space: the departures assigned to it that have "
                                                        "not started, at its prices, soonest first.")
async def reseller_departures(client_id: UUID, uow: UoW, _: ResellerSpace, filters: Filters, limit: Limit = 50,
                              cursor: Cursor = None) -> Page[ResellerOfferOut]:
    found, next_cursor = await offers.reseller_departures(uow, client_id, filters, limit, cursor)
    return Page(items=[ResellerOfferOut.of(offer, markup_percent=offer.markup_percent,
                                           status=offer.departure.status,
                                           free_places=stock_of(offer.departure).free)
                       for offer in found], next_cursor=next_cursor)
