"""HTTP routes of segments (saved dynamic queries over clients) and of the clients export, CSV or JSON."""
import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from clients import segments, services
from clients.api import NO_NUL, ClientOut
from clients.domain.exchange import BOM, DELIMITER, HEADERS, export_row
from clients.domain.record import Kind
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["segments and exports"])
Format = Literal["csv", "json"]
Short = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]


def in_order(low: str, high: str) -> Any:
    """A range's upper bound is not below its lower one: a 422 naming the upper bound, whether the range comes
    in a body or in a query."""

    def check(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get(low) is not None and value < info.data[low]:
            raise ValueError(f"{high} must not be before {low}")
        return value

    return field_validator(high)(check)


class CriteriaIn(BaseModel):
    """Every criterion given must hold; a list holds when any of its values does. Order figures come from
    orders' events: refused orders count in no history, the amount spent is the total of validated orders."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    postal_code_prefixes: list[Annotated[str, Field(min_length=1, max_length=20, pattern=NO_NUL)]] = Field(
        [], max_length=100, examples=[["69", "01"]])
    cities: list[Short] = Field([], max_length=100, description="Case ignored.", examples=[["Lyon"]])
    countries: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = Field([], max_length=50)
    kinds: list[Kind] = []
    client_type_ids: list[UUID] = Field([], max_length=100)
    categories: list[Short] = Field([], max_length=100, description="Case ignored.", examples=[["Fidèle"]])
    newsletter_consent: bool | None = Field(None, description="Clients who gave (true) or refused (false) it.")
    partner_offers_consent: bool | None = None
    disputed: bool | None = None
    blocked: bool | None = None
    active: bool | None = None
    include_dormant: bool = False
    created_from: date | None = Field(None, description="Clients created on or after this day (UTC).")
    created_to: date | None = Field(None, description="Clients created on or before this day (UTC).")
    ordered_since: date | None = Field(None, description="Clients with an order placed on or after this day.")
    min_orders: int | None = Field(None, ge=0, le=1_000_000)
    max_orders: int | None = Field(None, ge=0, le=1_000_000)
    min_spent: Money | None = Field(None, ge=0)
    max_spent: Money | None = Field(None, ge=0)

    _created = in_order("created_from", "created_to")
    _orders = in_order("min_orders", "max_orders")
    _spent = in_order("min_spent", "max_spent")

    def criteria(self) -> segments.Criteria:
        values = {name: getattr(self, name) for name in type(self).model_fields}
        return segments.Criteria(**{name: tuple(v) if isinstance(v, list) else v for name, v in values.items()})


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Short = Field(examples=["Familles lyonnaises"])
    criteria: CriteriaIn


class SegmentPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Short | None = None
    criteria: CriteriaIn | None = None


class SegmentOut(BaseModel):
    id: UUID
    name: str
    criteria: CriteriaIn
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, segment: Any) -> "SegmentOut":
        return cls(id=segment.id, name=segment.name, criteria=CriteriaIn.model_validate(segment.criteria),
                   created_at=segment.created_at, updated_at=segment.updated_at)


@router.post("/segments", status_code=201, response_model=SegmentOut, summary="Save a segment.")
async def create_segment(body: SegmentIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> SegmentOut:
        criteria = body.criteria.model_dump(mode="json")
        return SegmentOut.of(await segments.create_segment(uow, body.name, criteria))

    return await once(uow, key, "clients:create_segment", create)


@router.get("/segments", summary="The saved segments.")
async def list_segments(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[SegmentOut]:
    rows, next_cursor = await segments.list_segments(uow, limit, cursor)
    return Page(items=[SegmentOut.of(s) for s in rows], next_cursor=next_cursor)


@router.get("/segments/{segment_id}", summary="One segment.")
async def get_segment(segment_id: UUID, uow: UoW, _: BackOffice) -> SegmentOut:
    return SegmentOut.of(await segments.get_segment(uow, segment_id))


@router.patch("/segments/{segment_id}", summary="Rename a segment or replace its criteria.")
async def update_segment(segment_id: UUID, body: SegmentPatch, uow: UoW, _: Staff) -> SegmentOut:
    criteria = body.criteria.model_dump(mode="json") if body.criteria else None
    segment = await segments.update_segment(uow, segment_id, body.name, criteria)
    await uow.commit()
    return SegmentOut.of(segment)


@router.delete("/segments/{segment_id}", status_code=204, summary="Delete a segment (its clients stay).")
async def delete_segment(segment_id: UUID, uow: UoW, _: Staff) -> Response:
    await segments.delete_segment(uow, segment_id)
    await uow.commit()
    return Response(status_code=204)


@router.get("/segments/{segment_id}/clients", summary="The clients a segment finds now.")
async def segment_clients(segment_id: UUID, uow: UoW, _: BackOffice, sort: services.ClientSort = "created_at",
                          limit: Limit = 50, cursor: Cursor = None) -> Page[ClientOut]:
    segment = await segments.get_segment(uow, segment_id)
    criteria = CriteriaIn.model_validate(segment.criteria).criteria()
    rows, next_cursor = await segments.clients_of(uow, criteria, sort, limit, cursor)
    return Page(items=[ClientOut.of(c) for c in rows], next_cursor=next_cursor)


@router.get("/segments/{segment_id}/export", summary="Export a segment's clients: CSV for French spreadsheets "
            "(UTF-8 with BOM, ';') or JSON, streamed.")
async def export_segment(segment_id: UUID, request: Request, uow: UoW, _: BackOffice,
                         format: Format = "csv") -> StreamingResponse:
    segment = await segments.get_segment(uow, segment_id)
    criteria = CriteriaIn.model_validate(segment.criteria).criteria()
    return _export(request, criteria, format, f"segment-{segment.id}")


class PeriodQuery(BaseModel):
    created_from: date | None = Field(None, description="Created on or after this day (UTC).")
    created_to: date | None = Field(None, description="Created on or before this day (UTC), not before created_from.")
    include_dormant: bool = False
    format: Format = "csv"

    _created = in_order("created_from", "created_to")


@router.get("/exports/clients", summary="Export the clients created in a period: CSV for French spreadsheets "
            "(UTF-8 with BOM, ';') or JSON, streamed.")
async def export_period(request: Request, _: BackOffice, period: Annotated[PeriodQuery, Query()]
                        ) -> StreamingResponse:
    criteria = segments.Criteria(created_from=period.created_from, created_to=period.created_to,
                                 include_dormant=period.include_dormant)
    return _export(request, criteria, period.format, "clients")


def _export(request: Request, criteria: segments.Criteria, format: Format, name: str) -> StreamingResponse:
    """The rows are read in a session of the stream's own, as the request's may be closed while it streams."""
    sessions = request.app.state.sessions
    chunks = _csv(sessions, criteria) if format == "csv" else _json(sessions, criteria)
    media_type = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    return StreamingResponse(chunks, media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'})


async def _batches(sessions: Any, criteria: segments.Criteria, size: int = 500
                   ) -> AsyncIterator[list[segments.Exported]]:
    async with sessions() as session, session.begin():
        batch = []
        async for row in segments.stream(session, criteria, size):
            batch.append(row)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch


async def _csv(sessions: Any, criteria: segments.Criteria) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER)
    writer.writerow(HEADERS)
    yield BOM + buffer.getvalue()
    async for batch in _batches(sessions, criteria):
        buffer.seek(0)
        buffer.truncate()
        for row in batch:
            writer.writerow(export_row(row.client.id, services.details_of(row.client),
                                       f"{row.client.created_at:%d/%m/%Y}", row.orders, row.spent))
        yield buffer.getvalue()


async def _json(sessions: Any, criteria: segments.Criteria) -> AsyncIterator[str]:
    yield "["
    separator = ""
    async for batch in _batches(sessions, criteria):
        for row in batch:
            out = ClientOut.of(row.client).model_dump(mode="json")
            yield separator + json.dumps({**out, "orders": row.orders, "spent": str(row.spent)}, ensure_ascii=False)
            separator = ","
    yield "]"
