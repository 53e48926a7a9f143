"""Stock reports: the summary screen's data, the reconciliation of stored places against the holds, and the holds of
orders that orders does not know."""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, case, exists, func, or_, select

from shared.db import UnitOfWork
from shared.logging import log
from shared.pagination import decode_cursor, encode_cursor, keyset_page
from shared.problems import DomainError, Problem
from stock import holds
from stock.domain.places import HoldState, Stock
from stock.gateways import BATCH, Orders
from stock.tables import Departure, Extra, Hold, HoldExtra, Stay


async def stock_summary(
    uow: UnitOfWork, start_after: date | None, end_before: date | None, organiser_id: UUID | None, limit: int,
    cursor: str | None,
) -> tuple[list[tuple[Stay, list[Departure]]], str | None]:
    """A page of stays (of one organiser, if given) that have departures in the window, each with those
    departures in date order."""
    window = []
    if start_after is not None:
        window.append(Departure.start_date >= start_after)
    if end_before is not None:
        window.append(Departure.end_date <= end_before)
    has_departures = exists().where(Departure.stay_id == Stay.id, *window)
    stays_stmt = select(Stay).where(has_departures)
    if organiser_id is not None:
        stays_stmt = stays_stmt.where(Stay.organiser_id == organiser_id)
    stays, next_cursor = await keyset_page(uow.session, stays_stmt, Stay.created_at, Stay.id, limit, cursor)
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


def _places_in(state: HoldState, places: Any = Hold.places) -> Any:
    return func.coalesce(func.sum(case((Hold.state == state.value, places), else_=0)), 0)


def _recomputed(sums: Any) -> tuple[Any, Any, Any]:
    return tuple(func.coalesce(sums.c[b], 0) for b in ("held", "overdue", "confirmed"))


def _after_id(cursor: str | None) -> UUID | None:
    """The id a cursor of one id resumes after; a 422 for a cursor this API did not give."""
    if not cursor:
        return None
    (last,) = decode_cursor(cursor, 1)
    try:
        return UUID(last)
    except ValueError as error:
        raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error


async def _drifting_rows(uow: UnitOfWork, stmt: Select[Any], key: Any, limit: int, cursor: str | None
                         ) -> tuple[list[Any], str | None]:
    """A page of drifting rows ordered by `key` (an id), after the cursor's last id."""
    if (last := _after_id(cursor)) is not None:
        stmt = stmt.where(key > last)
    rows = (await uow.session.execute(stmt.order_by(key).limit(limit + 1))).all()
    return rows[:limit], encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None


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
    held, overdue, confirmed = _recomputed(sums)
    stmt = (
        select(Departure.id, Departure.stay_id, Departure.capacity, Departure.held, Departure.overdue,
               Departure.confirmed, held, overdue, confirmed)
        .outerjoin(sums, sums.c.departure_id == Departure.id)
        .where(or_(Departure.held != held, Departure.overdue != overdue, Departure.confirmed != confirmed))
    )
    rows, next_cursor = await _drifting_rows(uow, stmt, Departure.id, limit, cursor)
    return [Drift(r[0], r[1], Stock(r[2], r[3], r[4], r[5]), Stock(r[2], r[6], r[7], r[8])) for r in rows], next_cursor


@dataclass(frozen=True)
class ExtraDrift:
    extra_id: UUID
    departure_id: UUID
    stored: tuple[int, int, int]
    """held, overdue, confirmed."""
    recomputed: tuple[int, int, int]


async def extra_drifts(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[ExtraDrift], str | None]:
    """Extras whose stored buckets differ from the quantities their orders' holds imply; paged by extra id."""
    sums = (
        select(HoldExtra.extra_id, *(_places_in(state, HoldExtra.quantity).label(state.value)
                                     for state in (HoldState.HELD, HoldState.OVERDUE, HoldState.CONFIRMED)))
        .join(Hold, Hold.order_id == HoldExtra.order_id)
        .group_by(HoldExtra.extra_id)
        .subquery()
    )
    held, overdue, confirmed = _recomputed(sums)
    stmt = (
        select(Extra.id, Extra.departure_id, Extra.held, Extra.overdue, Extra.confirmed, held, overdue, confirmed)
        .outerjoin(sums, sums.c.extra_id == Extra.id)
        .where(or_(Extra.held != held, Extra.overdue != overdue, Extra.confirmed != confirmed))
    )
    rows, next_cursor = await _drifting_rows(uow, stmt, Extra.id, limit, cursor)
    return [ExtraDrift(r[0], r[1], (r[2], r[3], r[4]), (r[5], r[6], r[7])) for r in rows], next_cursor


LIVE = (HoldState.HELD, HoldState.OVERDUE, HoldState.CONFIRMED, HoldState.DEFERRED)
"""The states of a hold that its order's events would still move: a hold of an unknown order stays in them."""


@dataclass(frozen=True)
class UnknownOrderHold:
    order_id: UUID
    departure_id: UUID
    places: int
    state: str
    updated_at: datetime


async def unknown_order_holds(uow: UnitOfWork, orders: Orders, limit: int, cursor: str | None
                              ) -> tuple[list[UnknownOrderHold], str | None]:
    """Holds still holding places (or deferring them) for an order that orders does not know, paged by order id.

    The holds are read a batch at a time, each read's transaction ended before orders is asked which of the batch's
    orders exist."""
    after, found = _after_id(cursor), []
    while True:
        stmt = select(Hold.order_id, Hold.departure_id, Hold.places, Hold.state, Hold.updated_at).where(
            Hold.state.in_([state.value for state in LIVE]))
        if after is not None:
            stmt = stmt.where(Hold.order_id > after)
        batch = [UnknownOrderHold(*row) for row in await uow.session.execute(stmt.order_by(Hold.order_id).limit(BATCH))]
        await uow.rollback()
        if not batch:
            return found, None
        known = await orders.known([hold.order_id for hold in batch])
        for hold in batch:
            if hold.order_id not in known:
                found.append(hold)
                if len(found) > limit:
                    return found[:limit], encode_cursor(found[limit - 1].order_id)
        if len(batch) < BATCH:
            return found, None
        after = batch[-1].order_id


async def release_unknown_order_hold(uow: UnitOfWork, orders: Orders, order_id: UUID, operator: str) -> Hold:
    """Free the places of a hold whose order orders does not know (asked before the change's transaction); a 409 when
    orders knows it: its events move its places."""
    if order_id in await orders.known([order_id]):
        raise DomainError("order_known", f"Orders knows order {order_id}: its places follow its status. Cancel or "
                                         "archive it in orders instead.")
    hold = await holds.release(uow, order_id)
    log.warning("stock.unknown_order_hold_released", order_id=str(order_id), departure_id=str(hold.departure_id),
                places=hold.places, by=operator)
    return hold
