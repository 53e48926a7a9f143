"""Stock use cases. Each runs inside the caller's unit of work; the caller commits."""
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, exists, func, or_, select, update

from shared.db import UnitOfWork
from shared.events import (
    DepartureCatalogue,
    DepartureChanged,
    DepartureCreated,
    DepartureFull,
    DepartureReopened,
    DepartureState,
    DepartureStock,
    OfferedAddOn,
    OfferedCity,
    OfferedExtra,
    ResellerAssignment,
)
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound, Problem
from stock import organisers
from stock.domain.places import Stock, validate_capacity
from stock.domain.pricing import UnitPrice, round_trip_fare, unit_price
from stock.domain.stays import FeeTier, validate_ages, validate_documents, validate_fee_schedule
from stock.paging import sorted_page
from stock.tables import AddOn, Assignment, Client, Departure, DepartureCity, Extra, Stay

FREE = Departure.capacity - Departure.held - Departure.overdue - Departure.confirmed
SORTS: dict[str, Any] = {"start_date": Departure.start_date, "base_price": Departure.base_price}


def stock_of(departure: Departure) -> Stock:
    return Stock(departure.capacity, departure.held, departure.overdue, departure.confirmed)


@dataclass(frozen=True)
class StayRules:
    """What orders reads of a stay besides its title: who may go, the file's documents, what cancelling costs."""

    min_age: int | None = None
    max_age: int | None = None
    required_documents: tuple[tuple[str, str], ...] = ()
    """(code, label) pairs."""
    cancellation_fees: tuple[FeeTier, ...] = ()


def _apply_rules(stay: Stay, rules: StayRules) -> None:
    validate_ages(rules.min_age, rules.max_age)
    validate_documents([code for code, _ in rules.required_documents])
    validate_fee_schedule(rules.cancellation_fees)
    stay.min_age, stay.max_age = rules.min_age, rules.max_age
    stay.required_documents = [{"code": code, "label": label} for code, label in rules.required_documents]
    stay.cancellation_fees = [{"days_before": t.days_before, "percent": str(t.percent)}
                              for t in sorted(rules.cancellation_fees, key=lambda t: -t.days_before)]


def rules_of(stay: Stay) -> StayRules:
    return StayRules(
        stay.min_age, stay.max_age, tuple((d["code"], d["label"]) for d in stay.required_documents),
        tuple(FeeTier(t["days_before"], Decimal(t["percent"])) for t in stay.cancellation_fees),
    )


async def create_stay(
    uow: UnitOfWork,
    title: str,
    description: str,
    organiser_id: UUID | None = None,
    rules: StayRules = StayRules(),  # noqa: B008 - frozen, never mutated
    default_variation: Decimal = Decimal(20),
) -> Stay:
    """A stay of the given organiser, or of the master entity when none is named."""
    if organiser_id is None:
        organiser = await organisers.master_or_default(uow, default_variation)
    else:
        organiser = await organisers.get_organiser(uow, organiser_id, share=True)
    stay = Stay(organiser_id=organiser.id, title=title, description=description, created_at=uow.clock.now())
    _apply_rules(stay, rules)
    uow.session.add(stay)
    await uow.session.flush()
    return stay


async def update_stay(uow: UnitOfWork, stay_id: UUID, changes: dict[str, Any]) -> Stay:
    """Change the given fields only; the rules are checked as a whole after the change."""
    stay = await uow.session.get(Stay, stay_id, with_for_update=True)
    if stay is None:
        raise NotFound("stay", stay_id)
    if "organiser_id" in changes:
        stay.organiser_id = (await organisers.get_organiser(uow, changes["organiser_id"], share=True)).id
    for name in ("title", "description"):
        if name in changes:
            setattr(stay, name, changes[name])
    rule_names = {f.name for f in fields(StayRules)}
    _apply_rules(stay, replace(rules_of(stay), **{k: v for k, v in changes.items() if k in rule_names}))
    await uow.session.flush()
    if {"title", "organiser_id"} & changes.keys():
        await announce_departures(uow, select(Departure.id).where(Departure.stay_id == stay.id))
    return stay


async def get_stay(uow: UnitOfWork, stay_id: UUID) -> Stay:
    stay = await uow.session.get(Stay, stay_id)
    if stay is None:
        raise NotFound("stay", stay_id)
    return stay


async def get_departure(uow: UnitOfWork, departure_id: UUID) -> Departure:
    departure = await uow.session.get(Departure, departure_id)
    if departure is None:
        raise NotFound("departure", departure_id)
    return departure


async def add_departure(
    uow: UnitOfWork, stay_id: UUID, start_date: date, end_date: date, capacity: int, base_price: Decimal
) -> Departure:
    stay = await get_stay(uow, stay_id)
    if end_date < start_date:
        raise DomainError("ends_before_start", "A departure cannot end before it starts.")
    validate_capacity(capacity)
    departure = Departure(
        stay_id=stay.id, start_date=start_date, end_date=end_date, capacity=capacity, base_price=base_price,
        held=0, overdue=0, confirmed=0, status="open", version=1, created_at=uow.clock.now(),
    )
    uow.session.add(departure)
    await uow.session.flush()
    await emit_departure(uow, DepartureCreated, departure)
    return departure


async def emit_departure(uow: UnitOfWork, event: type[DepartureState], departure: Departure) -> None:
    """The departure's state as of its current version; each change bumps the version first."""
    uow.emit(await departure_state(uow, event, departure), departure.id, departure.version)


async def departure_state(uow: UnitOfWork, event: type[DepartureState], departure: Departure) -> DepartureState:
    stay = await get_stay(uow, departure.stay_id)
    stock = stock_of(departure)
    return event(
        departure_id=departure.id, stay_id=stay.id, stay_title=stay.title, start_date=departure.start_date,
        end_date=departure.end_date, base_price=departure.base_price, status=departure.status,
        organiser_id=stay.organiser_id,
        stock=DepartureStock(capacity=stock.capacity, held=stock.held, overdue=stock.overdue,
                             confirmed=stock.confirmed, free=stock.free),
        catalogue=await catalogue_of(uow, departure),
    )


async def catalogue_of(uow: UnitOfWork, departure: Departure) -> DepartureCatalogue:
    """What orders prices a booking from: its copy of the departure is fed by this, never by a question."""
    cities = await uow.session.scalars(cities_query(departure.id).order_by(DepartureCity.created_at))
    extras = await uow.session.scalars(extras_query(departure.id).order_by(Extra.created_at))
    add_ons = await uow.session.scalars(add_ons_query(departure).order_by(AddOn.created_at))
    resellers = await uow.session.execute(
        select(Assignment.reseller_id, Client.name, Assignment.markup_percent)
        .join(Client, Client.client_id == Assignment.reseller_id)
        .where(Assignment.departure_id == departure.id, PROFESSIONAL).order_by(Assignment.reseller_id))
    return DepartureCatalogue(
        cities=[OfferedCity(city_id=c.id, city=c.city, fare=c.fare) for c in cities],
        extras=[OfferedExtra(extra_id=e.id, label=e.label, price=e.price) for e in extras],
        add_ons=[OfferedAddOn(add_on_id=a.id, label=a.label, price=a.price, mandatory=a.mandatory) for a in add_ons],
        resellers=[ResellerAssignment(reseller_id=r, name=name, markup_percent=m) for r, name, m in resellers],
    )


async def announce_departures(uow: UnitOfWork, which: Any) -> None:
    """A change of what a departure is sold with (its catalogue, its stay's title or organiser): each departure
    `which` selects gets a new version and says its whole state again."""
    ids = list(await uow.session.scalars(
        update(Departure).where(Departure.id.in_(which)).values(version=Departure.version + 1)
        .returning(Departure.id)))
    for departure in await uow.session.scalars(
            select(Departure).where(Departure.id.in_(ids)).execution_options(populate_existing=True)):
        await emit_departure(uow, DepartureChanged, departure)


async def update_departure(uow: UnitOfWork, departure_id: UUID, changes: dict[str, Any]) -> Departure:
    """Change dates, price, capacity or status, under the row lock that holds also take: the capacity
    cannot go below the places taken meanwhile. Closing stops new holds; opening a departure that has
    free places, or a capacity that frees places on a full one, announces the departure reopened."""
    departure = await uow.session.get(Departure, departure_id, with_for_update=True, populate_existing=True)
    if departure is None:
        raise NotFound("departure", departure_id)
    before = stock_of(departure)
    was_open = departure.status == "open"
    start, end = changes.get("start_date", departure.start_date), changes.get("end_date", departure.end_date)
    if end < start:
        raise DomainError("ends_before_start", "A departure cannot end before it starts.")
    if "capacity" in changes:
        validate_capacity(changes["capacity"], before.taken)
    for name, value in changes.items():
        setattr(departure, name, value)
    departure.version += 1
    await uow.session.flush()
    after = stock_of(departure)
    is_open = departure.status == "open"
    if is_open and after.free > 0 and (not was_open or before.free == 0):
        await emit_departure(uow, DepartureReopened, departure)
    elif is_open and after.free == 0 < before.free:
        await emit_departure(uow, DepartureFull, departure)
    else:
        await emit_departure(uow, DepartureChanged, departure)
    return departure


async def find_departures(
    uow: UnitOfWork,
    *,
    stay_id: UUID | None,
    start_after: date | None,
    end_before: date | None,
    city: str | None,
    min_free: int | None,
    price_min: Decimal | None,
    price_max: Decimal | None,
    sort: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Departure], str | None]:
    """Departures matching every filter given, in creation order unless sorted."""
    if price_min is not None and price_max is not None and price_min > price_max:
        raise Problem(422, "invalid_price_range", "Invalid request", "price_min must not be above price_max.")
    stmt = select(Departure)
    if stay_id is not None:
        await get_stay(uow, stay_id)
        stmt = stmt.where(Departure.stay_id == stay_id)
    if start_after is not None:
        stmt = stmt.where(Departure.start_date >= start_after)
    if end_before is not None:
        stmt = stmt.where(Departure.end_date <= end_before)
    if city is not None:
        stmt = stmt.where(exists().where(DepartureCity.departure_id == Departure.id,
                                         func.lower(DepartureCity.city) == city.strip().lower()))
    if min_free is not None:
        stmt = stmt.where(FREE >= min_free)
    if price_min is not None:
        stmt = stmt.where(Departure.base_price >= price_min)
    if price_max is not None:
        stmt = stmt.where(Departure.base_price <= price_max)
    if sort is None:
        return await keyset_page(uow.session, stmt, Departure.created_at, Departure.id, limit, cursor)
    return await sorted_page(uow.session, stmt, sort, SORTS[sort.lstrip("-")], Departure.id, limit, cursor)


async def add_city(uow: UnitOfWork, departure_id: UUID, city: str, fare: Decimal) -> DepartureCity:
    """The departure row is locked so that two concurrent additions of one city cannot both pass the check."""
    departure = await uow.session.get(Departure, departure_id, with_for_update=True)
    if departure is None:
        raise NotFound("departure", departure_id)
    name = city.strip()
    taken = await uow.session.scalar(
        select(DepartureCity.id).where(
            DepartureCity.departure_id == departure_id, func.lower(DepartureCity.city) == name.lower()
        )
    )
    if taken is not None:
        raise DomainError("city_exists", f"The departure already has the city {name}.")
    row = DepartureCity(departure_id=departure_id, city=name, fare=fare, created_at=uow.clock.now())
    uow.session.add(row)
    await uow.session.flush()
    await announce_departures(uow, [departure_id])
    return row


def cities_query(departure_id: UUID) -> Select[Any]:
    return select(DepartureCity).where(DepartureCity.departure_id == departure_id)


async def remove_city(uow: UnitOfWork, departure_id: UUID, city_id: UUID) -> None:
    await get_departure(uow, departure_id)
    city = await uow.session.scalar(cities_query(departure_id).where(DepartureCity.id == city_id))
    if city is None:
        raise NotFound("city", city_id)
    await uow.session.delete(city)
    await uow.session.flush()
    await announce_departures(uow, [departure_id])


async def add_extra(
    uow: UnitOfWork, departure_id: UUID, label: str, price: Decimal, capacity: int | None
) -> Extra:
    await get_departure(uow, departure_id)
    extra = Extra(departure_id=departure_id, label=label.strip(), price=price, capacity=capacity,
                  held=0, overdue=0, confirmed=0, created_at=uow.clock.now())
    uow.session.add(extra)
    await uow.session.flush()
    await announce_departures(uow, [departure_id])
    return extra


async def update_extra(uow: UnitOfWork, departure_id: UUID, extra_id: UUID, changes: dict[str, Any]) -> Extra:
    """Under the row lock holds take too, so that the capacity cannot go below places taken meanwhile."""
    extra = await uow.session.scalar(extras_query(departure_id).where(Extra.id == extra_id).with_for_update()
                                     .execution_options(populate_existing=True))
    if extra is None:
        raise NotFound("extra of this departure", extra_id)
    if changes.get("capacity") is not None:
        validate_capacity(changes["capacity"], extra.held + extra.overdue + extra.confirmed)
    for name, value in changes.items():
        setattr(extra, name, value.strip() if name == "label" else value)
    await uow.session.flush()
    if {"label", "price"} & changes.keys():
        await announce_departures(uow, [departure_id])
    return extra


def extras_query(departure_id: UUID) -> Select[Any]:
    return select(Extra).where(Extra.departure_id == departure_id)


async def add_add_on(
    uow: UnitOfWork, label: str, price: Decimal, mandatory: bool, *, stay_id: UUID | None = None,
    departure_id: UUID | None = None,
) -> AddOn:
    """An add-on product of every departure of a stay, or of one departure."""
    if stay_id is not None:
        await get_stay(uow, stay_id)
    if departure_id is not None:
        await get_departure(uow, departure_id)
    add_on = AddOn(stay_id=stay_id, departure_id=departure_id, label=label.strip(), price=price, mandatory=mandatory,
                   created_at=uow.clock.now())
    uow.session.add(add_on)
    await uow.session.flush()
    await announce_departures(uow, _offering(add_on))
    return add_on


def add_ons_query(departure: Departure) -> Select[Any]:
    """The add-ons offered on a departure: its own and its stay's."""
    return select(AddOn).where(or_(AddOn.departure_id == departure.id, AddOn.stay_id == departure.stay_id))


async def remove_add_on(uow: UnitOfWork, add_on_id: UUID) -> None:
    add_on = await uow.session.get(AddOn, add_on_id)
    if add_on is None:
        raise NotFound("add-on", add_on_id)
    await uow.session.delete(add_on)
    await uow.session.flush()
    await announce_departures(uow, _offering(add_on))


def _offering(add_on: AddOn) -> Select[Any]:
    """The departures that offer the add-on: its departure, or every departure of its stay."""
    return select(Departure.id).where(or_(Departure.id == add_on.departure_id, Departure.stay_id == add_on.stay_id))


@dataclass(frozen=True)
class Quote:
    departure: Departure
    outbound: DepartureCity | None
    inbound: DepartureCity | None
    extras: list[Extra]
    add_ons: list[AddOn]
    markup_percent: Decimal
    price: UnitPrice


@dataclass(frozen=True)
class Choice:
    """What one participant picks on a departure."""

    outbound_city_id: UUID | None = None
    return_city_id: UUID | None = None
    extra_ids: Sequence[UUID] = ()
    add_on_ids: Sequence[UUID] = ()
    with_add_ons: bool = False
    """List the add-ons (the mandatory ones and the chosen optional ones) and count them in the total."""
    reseller_id: UUID | None = None


async def quote(uow: UnitOfWork, departure_id: UUID, choice: Choice) -> Quote:
    """The price of one participant; without cities, the departure is priced without transport.

    For a reseller, only a departure assigned to it has a price, raised by the assignment's markup.
    """
    departure = await get_departure(uow, departure_id)
    if choice.return_city_id is not None and choice.outbound_city_id is None:
        raise Problem(422, "return_without_outbound", "Invalid request",
                      "A return city needs an outbound city: the outbound leg is chosen first.")
    for ids, what in ((choice.extra_ids, "extra"), (choice.add_on_ids, "add-on")):
        if len(set(ids)) != len(ids):
            raise Problem(422, f"duplicate_{what.replace('-', '_')}", "Invalid request",
                          f"An {what} is chosen at most once per participant.")
    markup = await _markup(uow, departure, choice.reseller_id)
    outbound = inbound = None
    transport = Decimal(0)
    if choice.outbound_city_id is not None:
        outbound = await _city_of(uow, departure_id, choice.outbound_city_id)
        inbound = outbound
        if choice.return_city_id not in (None, choice.outbound_city_id):
            inbound = await _city_of(uow, departure_id, choice.return_city_id)
        variation = await organisers.return_city_variation(uow)
        transport = round_trip_fare(outbound.fare, inbound.fare, variation, same_city=inbound is outbound)
    extras = await _chosen(uow, extras_query(departure_id), Extra.id, choice.extra_ids, "extra of this departure")
    add_ons: list[AddOn] = []
    if choice.with_add_ons or choice.add_on_ids:
        offered = add_ons_query(departure)
        chosen = await _chosen(uow, offered, AddOn.id, choice.add_on_ids, "add-on of this departure")
        mandatory = list(await uow.session.scalars(offered.where(AddOn.mandatory).order_by(AddOn.created_at)))
        add_ons = mandatory + [a for a in chosen if not a.mandatory]
    price = unit_price(departure.base_price, transport, [e.price for e in extras], [a.price for a in add_ons],
                       markup)
    return Quote(departure, outbound, inbound, extras, add_ons, markup, price)


async def _chosen(uow: UnitOfWork, offered: Select[Any], column: Any, ids: Sequence[UUID], what: str) -> list[Any]:
    found = {row.id: row for row in await uow.session.scalars(offered.where(column.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(what, missing[0])
    return [found[i] for i in ids]


PROFESSIONAL = (Client.kind == "professional") & Client.deleted.is_(False)
"""A client that may be a reseller (seed 000): professional, not in clients' trash."""


async def assignment_of(uow: UnitOfWork, reseller_id: UUID, departure_id: UUID) -> Assignment | None:
    """The departure's assignment to the reseller, while the reseller is a professional client."""
    return await uow.session.scalar(
        select(Assignment).join(Client, Client.client_id == Assignment.reseller_id)
        .where(Assignment.reseller_id == reseller_id, Assignment.departure_id == departure_id, PROFESSIONAL))


async def _markup(uow: UnitOfWork, departure: Departure, reseller_id: UUID | None) -> Decimal:
    if reseller_id is None:
        return Decimal(0)
    assignment = await assignment_of(uow, reseller_id, departure.id)
    if assignment is None:
        raise DomainError("departure_not_assigned",
                          "This departure is not assigned to the reseller: it cannot be sold to or by it.")
    return assignment.markup_percent


async def _city_of(uow: UnitOfWork, departure_id: UUID, city_id: UUID) -> DepartureCity:
    city = await uow.session.scalar(cities_query(departure_id).where(DepartureCity.id == city_id))
    if city is None:
        raise NotFound("city of this departure", city_id)
    return city
