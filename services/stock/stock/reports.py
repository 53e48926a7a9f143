"""Stock reports: the summary screen's data and the reconciliation of stored places against the holds."""
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, case, exists, func, or_, select

from shared.db import UnitOfWork
from shared.pagination import decode_cursor, encode_cursor, keyset_page
from shared.problems import Problem
from stock.domain.places import HoldState, Stock
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


async def _drifting_rows(uow: UnitOfWork, stmt: Select[Any], key: Any, limit: int, cursor: str | None
                         ) -> tuple[list[Any], str | None]:
    """A page of drifting rows ordered by `key` (an id), after the cursor's last id."""
    if cursor:
        (last,) = decode_cursor(cursor, 1)
        try:
            stmt = stmt.where(key > UUID(last))
        except ValueError as error:
            raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.") from error
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
