"""Stock use cases. Each runs inside the caller's unit of work; the caller commits."""
from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select, update

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
from shared.problems import DomainError, NotFound
from stock.domain.places import Bucket, HoldState, Stock, refusal_reason, transition, validate_capacity
from stock.tables import Departure, Hold, Stay


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
        stmt = stmt.where(Departure.capacity - Departure.held - Departure.overdue - Departure.confirmed >= places)
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
