"""Stock reports for operators: the summary per stay and departure, and the reconciliation check."""
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page
from shared.problems import Problem
from stock import reports, services
from stock.api.stays import HoldOut, StockOut
from stock.domain.places import Stock

router = APIRouter(tags=["stock"])


class SummaryDepartureOut(BaseModel):
    departure_id: UUID
    start_date: date
    end_date: date
    status: str
    stock: StockOut


class SummaryStayOut(BaseModel):
    stay_id: UUID
    organiser_id: UUID
    title: str
    departures: list[SummaryDepartureOut]
    total: StockOut


class DriftOut(BaseModel):
    departure_id: UUID
    stay_id: UUID
    stored: StockOut
    recomputed: StockOut


class UnknownOrderHoldOut(BaseModel):
    order_id: UUID
    departure_id: UUID
    places: int
    state: str
    updated_at: datetime


class ExtraBucketsOut(BaseModel):
    held: int
    overdue: int
    confirmed: int


class ExtraDriftOut(BaseModel):
    extra_id: UUID
    departure_id: UUID
    stored: ExtraBucketsOut
    recomputed: ExtraBucketsOut


def _stock(stock: Stock) -> StockOut:
    return StockOut(capacity=stock.capacity, held=stock.held, overdue=stock.overdue, confirmed=stock.confirmed,
                    free=stock.free)


@router.get("/stock-summary", summary="Places per stay and departure: capacity, held, overdue, confirmed, free.")
async def stock_summary(
    uow: UoW,
    _: BackOffice,
    start_after: Annotated[date | None, Query(description="Departures starting on or after this date.")] = None,
    end_before: Annotated[date | None, Query(description="Departures ending on or before this date.")] = None,
    organiser_id: Annotated[UUID | None, Query(description="Only this organiser's stays.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[SummaryStayOut]:
    if start_after and end_before and end_before < start_after:
        raise Problem(422, "invalid_period", "Invalid request", "end_before must not be before start_after.")
    stays, next_cursor = await reports.stock_summary(uow, start_after, end_before, organiser_id, limit, cursor)
    items = []
    for stay, departures in stays:
        stocks = [services.stock_of(d) for d in departures]
        total = Stock(sum(s.capacity for s in stocks), sum(s.held for s in stocks), sum(s.overdue for s in stocks),
                      sum(s.confirmed for s in stocks))
        items.append(SummaryStayOut(
            stay_id=stay.id, organiser_id=stay.organiser_id, title=stay.title, total=_stock(total),
            departures=[SummaryDepartureOut(departure_id=d.id, start_date=d.start_date, end_date=d.end_date,
                                            status=d.status, stock=_stock(s))
                        for d, s in zip(departures, stocks, strict=True)],
        ))
    return Page(items=items, next_cursor=next_cursor)


@router.get("/reconciliation",
            summary="Departures whose stored places differ from the sum of their orders' holds; empty when consistent.")
async def reconciliation(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[DriftOut]:
    drifts, next_cursor = await reports.drifts(uow, limit, cursor)
    return Page(
        items=[DriftOut(departure_id=d.departure_id, stay_id=d.stay_id, stored=_stock(d.stored),
                        recomputed=_stock(d.recomputed)) for d in drifts],
        next_cursor=next_cursor,
    )


@router.get("/reconciliation/extras",
            summary="Extras whose stored places differ from the quantities their orders hold; empty when consistent.")
async def extra_reconciliation(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
                               ) -> Page[ExtraDriftOut]:
    drifts, next_cursor = await reports.extra_drifts(uow, limit, cursor)

    def buckets(values: tuple[int, int, int]) -> ExtraBucketsOut:
        return ExtraBucketsOut(held=values[0], overdue=values[1], confirmed=values[2])

    return Page(
        items=[ExtraDriftOut(extra_id=d.extra_id, departure_id=d.departure_id, stored=buckets(d.stored),
                             recomputed=buckets(d.recomputed)) for d in drifts],
        next_cursor=next_cursor,
    )


@router.get("/reconciliation/holds",
            summary="Holds whose order the orders service does not know: their places are held for nobody, and no "
                    "order event will release them; empty when every hold has its order.",
            responses={503: {"description": "dependency_unavailable: orders did not answer"}})
async def unknown_order_holds(request: Request, uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
                              ) -> Page[UnknownOrderHoldOut]:
    found, next_cursor = await reports.unknown_order_holds(uow, request.app.state.orders, limit, cursor)
    return Page(items=[UnknownOrderHoldOut(**vars(hold)) for hold in found], next_cursor=next_cursor)


@router.post("/holds/{order_id}/release",
             summary="Free the places of a hold whose order the orders service does not know (see "
                     "/reconciliation/holds); logged with the operator.",
             responses={409: {"description": "order_known: orders knows the order; nothing_held: already free"},
                        503: {"description": "dependency_unavailable: orders did not answer"}})
async def release_hold(order_id: UUID, request: Request, uow: UoW, principal: Staff) -> HoldOut:
    hold = await reports.release_unknown_order_hold(uow, request.app.state.orders, order_id, principal.sub)
    await uow.commit()
    return HoldOut.model_validate(hold)
