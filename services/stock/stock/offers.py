"""What stock offers outside the back office: the public catalogue (the open departures that still have free places,
readable by anyone) and a reseller's own departures, those assigned to it, at its prices (seed 000: "Espace de
connexion revendeur"). Read-only queries; the caller's unit of work is only read."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, or_, select

from shared.db import UnitOfWork
from shared.problems import NotFound, Problem
from stock import resellers
from stock.paging import sorted_page
from stock.services import FREE
from stock.tables import Assignment, Departure, DepartureCity, Stay

ORDER = "start_date"
"""Both lists come soonest first: what a family or a reseller's customer looks for."""


@dataclass(frozen=True)
class Filters:
    stay_id: UUID | None = None
    age: int | None = None
    """A participant's age the stay takes."""
    start_after: date | None = None
    end_before: date | None = None


@dataclass(frozen=True)
class Offer:
    """A departure as it is offered: its stay's words, its dates, and its cities (each with its round-trip fare)."""

    departure: Departure
    stay: Stay
    cities: list[DepartureCity]
    markup_percent: Decimal = Decimal(0)


def _filtered(stmt: Select[Any], filters: Filters) -> Select[Any]:
    if filters.start_after and filters.end_before and filters.start_after > filters.end_before:
        raise Problem(422, "invalid_date_range", "Invalid request", "start_after must not be after end_before.")
    if filters.stay_id is not None:
        stmt = stmt.where(Departure.stay_id == filters.stay_id)
    if filters.age is not None:
        stmt = stmt.where(or_(Stay.min_age.is_(None), Stay.min_age <= filters.age),
                          or_(Stay.max_age.is_(None), Stay.max_age >= filters.age))
    if filters.start_after is not None:
        stmt = stmt.where(Departure.start_date >= filters.start_after)
    if filters.end_before is not None:
        stmt = stmt.where(Departure.end_date <= filters.end_before)
    return stmt


def _on_sale(today: date) -> Select[Any]:
    """The departures a family can still book: open, not started, with a free place."""
    return (select(Departure).join(Stay, Stay.id == Departure.stay_id)
            .where(Departure.status == "open", Departure.start_date > today, FREE > 0))


async def _offers(uow: UnitOfWork, departures: list[Departure], markups: dict[UUID, Decimal]) -> list[Offer]:
    ids = [d.id for d in departures]
    stays = {s.id: s for s in await uow.session.scalars(
        select(Stay).where(Stay.id.in_({d.stay_id for d in departures})))}
    cities: dict[UUID, list[DepartureCity]] = defaultdict(list)
    for city in await uow.session.scalars(
            select(DepartureCity).where(DepartureCity.departure_id.in_(ids)).order_by(DepartureCity.city)):
        cities[city.departure_id].append(city)
    return [Offer(d, stays[d.stay_id], cities[d.id], markups.get(d.id, Decimal(0))) for d in departures]


async def catalogue(uow: UnitOfWork, filters: Filters, limit: int, cursor: str | None
                    ) -> tuple[list[Offer], str | None]:
    """The public catalogue: departures on sale, soonest first."""
    stmt = _filtered(_on_sale(uow.clock.now().date()), filters)
    departures, next_cursor = await sorted_page(uow.session, stmt, ORDER, Departure.start_date, Departure.id, limit,
                                                cursor)
    return await _offers(uow, departures, {}), next_cursor


async def catalogue_departure(uow: UnitOfWork, departure_id: UUID) -> Offer:
    """One departure of the public catalogue; one that is not on sale (closed, full, gone) is not found."""
    departure = await uow.session.scalar(_on_sale(uow.clock.now().date()).where(Departure.id == departure_id))
    if departure is None:
        raise NotFound("departure on sale", departure_id)
    [offer] = await _offers(uow, [departure], {})
    return offer


async def reseller_departures(uow: UnitOfWork, client_id: UUID, filters: Filters, limit: int, cursor: str | None
                              ) -> tuple[list[Offer], str | None]:
    """The departures assigned to the reseller that have not started yet, soonest first, with its markup."""
    await resellers.get_reseller(uow, client_id)
    stmt = (select(Departure).join(Stay, Stay.id == Departure.stay_id)
            .join(Assignment, (Assignment.departure_id == Departure.id) & (Assignment.reseller_id == client_id))
            .where(Departure.start_date > uow.clock.now().date()))
    departures, next_cursor = await sorted_page(uow.session, _filtered(stmt, filters), ORDER, Departure.start_date,
                                                Departure.id, limit, cursor)
    markups = dict((await uow.session.execute(
        select(Assignment.departure_id, Assignment.markup_percent)
        .where(Assignment.reseller_id == client_id, Assignment.departure_id.in_([d.id for d in departures])))).all())
    return await _offers(uow, departures, markups), next_cursor
