"""Stock use cases. Each runs inside the caller's unit of work; the caller commits."""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, case, exists, func, or_, select, update

from shared.db import UnitOfWork
from shared.events import (
    DepartureChanged,
    DepartureCreated,
    DepartureFull,
    DepartureState,
    DepartureStock,
    HoldConfirmed,
    HoldRejected,
    OrderState,
)
from shared.logging import log
from shared.pagination import decode_cursor, encode_cursor, keyset_page
from shared.problems import DomainError, NotFound, Problem
from stock.domain.places import Bucket, HoldState, Stock, refusal_reason, transition, validate_capacity
from stock.domain.pricing import UnitPrice, round_trip_fare, unit_price
from stock.paging import sorted_page
from stock.tables import Departure, DepartureCity, Extra, Hold, Stay

FREE = Departure.capacity - Departure.held - Departure.overdue - Departure.confirmed
SORTS: dict[str, Any] = {"start_date": Departure.start_date, "base_price": Departure.base_price}


def stock_of(departure: Departure) -> Stock:
    return Stock(departure.capacity, departure.held, departure.overdue, departure.confirmed)


async def create_stay(uow: UnitOfWork, title: str, description: str) -> Stay:
    stay = Stay(title=title, description=description, created_at=uow.clock.now())
    uow.session.add(stay)
    await uow.session.flush()
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
        held=0, overdue=0, confirmed=0, version=1, created_at=uow.clock.now(),
    )
    uow.session.add(departure)
    await uow.session.flush()
    _emit_departure(uow, DepartureCreated, departure, stay)
    return departure


def _emit_departure(uow: UnitOfWork, event: type[DepartureState], departure: Departure, stay: Stay) -> None:
    stock = stock_of(departure)
    uow.emit(
        event(
            departure_id=departure.id, stay_id=stay.id, stay_title=stay.title, start_date=departure.start_date,
            end_date=departure.end_date, base_price=departure.base_price,
            stock=DepartureStock(capacity=stock.capacity, held=stock.held, overdue=stock.overdue,
                                 confirmed=stock.confirmed, free=stock.free),
        ),
        departure.id,
        departure.version,
    )


async def _move(
    uow: UnitOfWork, departure_id: UUID, places: int, source: Bucket | None, target: Bucket | None
) -> Departure | None:
    """Move places between buckets (or from/to free) in one conditional UPDATE.

    Taking free places checks, in the same statement, that enough are free: never oversold, whatever
    the concurrency. None when there were not enough.
    """
    values = {"version": Departure.version + 1}
    if source:
        values[source.value] = getattr(Departure, source.value) - places
    if target:
        values[target.value] = getattr(Departure, target.value) + places
    stmt = update(Departure).where(Departure.id == departure_id).values(values).returning(Departure)
    if source is None:
        stmt = stmt.where(FREE >= places)
    departure = (await uow.session.scalars(stmt, execution_options={"populate_existing": True})).one_or_none()
    if departure is None:
        return None
    free_after = stock_of(departure).free
    free_before = free_after + (places if source is None else 0) - (places if target is None else 0)
    if free_after == 0 < free_before:
        _emit_departure(uow, DepartureFull, departure, await get_stay(uow, departure.stay_id))
    elif free_before == 0 < free_after:
        _emit_departure(uow, DepartureChanged, departure, await get_stay(uow, departure.stay_id))
    return departure


async def apply_order_state(uow: UnitOfWork, order: OrderState) -> None:
    """Bring the order's places to the bucket its status implies; decide the hold of a new booking."""
    hold = await uow.session.get(Hold, order.order_id, with_for_update=True)
    if hold is None:
        if order.status == "pending":
            await _hold(uow, order)
        else:
            log.warning("stock.order_never_held", order_id=str(order.order_id), status=order.status)
        return
    move = transition(HoldState(hold.state), order.status)
    if move is None:
        return
    source, target = move
    await _move(uow, hold.departure_id, hold.places, source, target)
    hold.state = target.value if target else HoldState.RELEASED
    hold.updated_at = uow.clock.now()


async def _hold(uow: UnitOfWork, order: OrderState) -> None:
    current = await uow.session.get(Departure, order.departure_id)
    if current is None:
        uow.emit(HoldRejected(order_id=order.order_id, departure_id=order.departure_id, places=order.places,
                              free=0, reason="Départ inconnu du stock."), order.order_id, 1)
        return
    held = await _move(uow, current.id, order.places, None, Bucket.HELD)
    state = HoldState.HELD if held else HoldState.REJECTED
    uow.session.add(Hold(order_id=order.order_id, departure_id=current.id, places=order.places, state=state,
                         updated_at=uow.clock.now()))
    if held:
        uow.emit(HoldConfirmed(order_id=order.order_id, departure_id=current.id, places=order.places),
                 order.order_id, 1)
        return
    await uow.session.refresh(current)
    free = stock_of(current).free
    uow.emit(HoldRejected(order_id=order.order_id, departure_id=current.id, places=order.places, free=free,
                          reason=refusal_reason(order.places, free)), order.order_id, 1)


async def holds_of(uow: UnitOfWork, departure_id: UUID) -> list[Hold]:
    await get_departure(uow, departure_id)
    return list(await uow.session.scalars(select(Hold).where(Hold.departure_id == departure_id)))


async def find_departures(
    uow: UnitOfWork,
    *,
    stay_id: UUID | None,
    start_after: date | None,
    end_before: date | None,
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


async def add_extra(
    uow: UnitOfWork, departure_id: UUID, label: str, price: Decimal, capacity: int | None
) -> Extra:
    await get_departure(uow, departure_id)
    extra = Extra(departure_id=departure_id, label=label.strip(), price=price, capacity=capacity,
                  created_at=uow.clock.now())
    uow.session.add(extra)
    await uow.session.flush()
    return extra


def extras_query(departure_id: UUID) -> Select[Any]:
    return select(Extra).where(Extra.departure_id == departure_id)


@dataclass(frozen=True)
class Quote:
    departure: Departure
    outbound: DepartureCity | None
    inbound: DepartureCity | None
    extras: list[Extra]
    price: UnitPrice


async def quote(
    uow: UnitOfWork,
    departure_id: UUID,
    outbound_city_id: UUID | None,
    return_city_id: UUID | None,
    extra_ids: Sequence[UUID],
    variation_percent: Decimal,
) -> Quote:
    """The price of one participant; without cities, the departure is priced without transport."""
    departure = await get_departure(uow, departure_id)
    if return_city_id is not None and outbound_city_id is None:
        raise Problem(422, "return_without_outbound", "Invalid request",
                      "A return city needs an outbound city: the outbound leg is chosen first.")
    if len(set(extra_ids)) != len(extra_ids):
        raise Problem(422, "duplicate_extra", "Invalid request", "An extra is chosen at most once per participant.")
    outbound = inbound = None
    transport = Decimal(0)
    if outbound_city_id is not None:
        outbound = await _city_of(uow, departure_id, outbound_city_id)
        inbound = outbound
        if return_city_id not in (None, outbound_city_id):
            inbound = await _city_of(uow, departure_id, return_city_id)
        transport = round_trip_fare(outbound.fare, inbound.fare, variation_percent, same_city=inbound is outbound)
    found = {e.id: e for e in await uow.session.scalars(extras_query(departure_id).where(Extra.id.in_(extra_ids)))}
    missing = [i for i in extra_ids if i not in found]
    if missing:
        raise NotFound("extra of this departure", missing[0])
    extras = [found[i] for i in extra_ids]
    price = unit_price(departure.base_price, transport, [e.price for e in extras])
    return Quote(departure, outbound, inbound, extras, price)


async def _city_of(uow: UnitOfWork, departure_id: UUID, city_id: UUID) -> DepartureCity:
    city = await uow.session.scalar(cities_query(departure_id).where(DepartureCity.id == city_id))
    if city is None:
        raise NotFound("city of this departure", city_id)
    return city


async def stock_summary(
    uow: UnitOfWork, start_after: date | None, end_before: date | None, limit: int, cursor: str | None
) -> tuple[list[tuple[Stay, list[Departure]]], str | None]:
    """A page of stays that have departures in the window, each with those departures in date order."""
    window = []
    if start_after is not None:
        window.append(Departure.start_date >= start_after)
    if end_before is not None:
        window.append(Departure.end_date <= end_before)
    has_departures = exists().where(Departure.stay_id == Stay.id, *window)
    stays, next_cursor = await keyset_page(
        uow.session, select(Stay).where(has_departures), Stay.created_at, Stay.id, limit, cursor
    )
    departures = await uow.session.scalars(
        select(Departure).where(Departure.stay_id.in_([s.id for s in stays]), *window)
        .order_by(Departure.start_date, Departure.id)
    )
    by_stay: dict[UUID, list[Departure]] = {s.id: [] for s in stays}
    for departure in departures:
        by_stay[departure.stay_id].append(departure)
    return [(s, by_stay[s.id]) for s in stays], next_cursor


@dataclass(frozen=True)
class Drift:
    departure_id: UUID
    stay_id: UUID
    stored: Stock
    recomputed: Stock


def _places_in(state: HoldState) -> Any:
    return func.coalesce(func.sum(case((Hold.state == state.value, Hold.places), else_=0)), 0)


async def drifts(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[Drift], str | None]:
    """Departures whose stored buckets differ from the sum of their holds' places, in one consistent read.

    Paged by departure id, after the cursor's last departure.
    """
    sums = (
        select(Hold.departure_id, _places_in(HoldState.HELD).label("held"),
               _places_in(HoldState.OVERDUE).label("overdue"), _places_in(HoldState.CONFIRMED).label("confirmed"))
        .group_by(Hold.departure_id)
        .subquery()
    )
    held, overdue, confirmed = (func.coalesce(sums.c[b], 0) for b in ("held", "overdue", "confirmed"))
    stmt = (
        select(Departure.id, Departure.stay_id, Departure.capacity, Departure.held, Departure.overdue,
               Departure.confirmed, held, overdue, confirmed)
        .outerjoin(sums, sums.c.departure_id == Departure.id)
        .where(or_(Departure.held != held, Departure.overdue != overdue, Departure.confirmed != confirmed))
    )
    if cursor:
        (last,) = decode_cursor(cursor, 1)
        try:
            stmt = stmt.where(Departure.id > UUID(last))
        except ValueError as error:
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error
    rows = (await uow.session.execute(stmt.order_by(Departure.id).limit(limit + 1))).all()
    page = [
        Drift(r[0], r[1], Stock(r[2], r[3], r[4], r[5]), Stock(r[2], r[6], r[7], r[8])) for r in rows[:limit]
    ]
    next_cursor = encode_cursor(page[-1].departure_id) if len(rows) > limit else None
    return page, next_cursor
