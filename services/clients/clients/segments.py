"""Segments: saved dynamic queries over clients, evaluated anew each time, and the clients export.

The order-history criteria read the projection of orders' events (`client_orders`): orders refused by
stock count in no history, the amount spent is the total of validated orders.
"""
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from clients import services
from clients.domain.record import Kind
from clients.projections import NOT_BOOKED, ZERO
from clients.tables import Client, OrderRecord, Segment
from shared.db import UnitOfWork
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound


@dataclass(frozen=True)
class Criteria:
    """Every criterion given must hold; a list criterion holds when any of its values does."""

    postal_code_prefixes: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    client_type_ids: tuple[UUID, ...] = ()
    categories: tuple[str, ...] = ()
    newsletter_consent: bool | None = None
    partner_offers_consent: bool | None = None
    disputed: bool | None = None
    blocked: bool | None = None
    active: bool | None = None
    include_dormant: bool = False
    created_from: date | None = None
    created_to: date | None = None
    ordered_since: date | None = None
    min_orders: int | None = None
    max_orders: int | None = None
    min_spent: Decimal | None = None
    max_spent: Decimal | None = None


def conditions(criteria: Criteria) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [Client.deleted_at.is_(None)]
    if criteria.postal_code_prefixes:
        found.append(or_(*(Client.postal_code.startswith(p, autoescape=True) for p in criteria.postal_code_prefixes)))
    if criteria.cities:
        found.append(func.lower(Client.city).in_([c.lower() for c in criteria.cities]))
    if criteria.countries:
        found.append(Client.country.in_([c.upper() for c in criteria.countries]))
    if criteria.kinds:
        found.append(Client.kind.in_(criteria.kinds))
    if criteria.client_type_ids:
        found.append(Client.client_type_id.in_(criteria.client_type_ids))
    if criteria.categories:
        found.append(func.lower(Client.category).in_([c.lower() for c in criteria.categories]))
    for column, value in ((Client.disputed, criteria.disputed), (Client.blocked, criteria.blocked),
                          (Client.active, criteria.active), (Client.newsletter_consent, criteria.newsletter_consent),
                          (Client.partner_offers_consent, criteria.partner_offers_consent)):
        if value is not None:
            found.append(column.is_(value))
    if not criteria.include_dormant:
        found.append(Client.dormant.is_(False))
    if criteria.created_from:
        found.append(func.date(func.timezone("UTC", Client.created_at)) >= criteria.created_from)
    if criteria.created_to:
        found.append(func.date(func.timezone("UTC", Client.created_at)) <= criteria.created_to)
    booked = (OrderRecord.client_id == Client.id, OrderRecord.status.not_in(NOT_BOOKED))
    if criteria.ordered_since:
        found.append(exists().where(*booked, func.date(func.timezone("UTC", OrderRecord.placed_at))
                                    >= criteria.ordered_since))
    if criteria.min_orders is not None or criteria.max_orders is not None:
        count = select(func.count()).where(*booked).scalar_subquery()
        if criteria.min_orders is not None:
            found.append(count >= criteria.min_orders)
        if criteria.max_orders is not None:
            found.append(count <= criteria.max_orders)
    if criteria.min_spent is not None or criteria.max_spent is not None:
        spent = select(func.coalesce(func.sum(OrderRecord.total), ZERO)).where(
            OrderRecord.client_id == Client.id, OrderRecord.status == "validated").scalar_subquery()
        if criteria.min_spent is not None:
            found.append(spent >= criteria.min_spent)
        if criteria.max_spent is not None:
            found.append(spent <= criteria.max_spent)
    return found


def matching(criteria: Criteria) -> Select[Any]:
    return select(Client).where(*conditions(criteria))


async def create_segment(uow: UnitOfWork, name: str, criteria: dict[str, Any]) -> Segment:
    now = uow.clock.now()
    segment = Segment(name=name, criteria=criteria, created_at=now, updated_at=now)
    uow.session.add(segment)
    await _flush_unique_name(uow, name)
    return segment


async def get_segment(uow: UnitOfWork, segment_id: UUID, for_update: bool = False) -> Segment:
    segment = await uow.session.get(Segment, segment_id, with_for_update=for_update)
    if segment is None:
        raise NotFound("segment", segment_id)
    return segment


async def list_segments(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[Segment], str | None]:
    return await keyset_page(uow.session, select(Segment), Segment.created_at, Segment.id, limit, cursor)


async def update_segment(uow: UnitOfWork, segment_id: UUID, name: str | None, criteria: dict[str, Any] | None
                         ) -> Segment:
    segment = await get_segment(uow, segment_id, for_update=True)
    if name is not None:
        segment.name = name
    if criteria is not None:
        segment.criteria = criteria
    segment.updated_at = uow.clock.now()
    await _flush_unique_name(uow, segment.name)
    return segment


async def delete_segment(uow: UnitOfWork, segment_id: UUID) -> None:
    await uow.session.delete(await get_segment(uow, segment_id))


async def _flush_unique_name(uow: UnitOfWork, name: str) -> None:
    await uow.flush_unique(DomainError("segment_name_taken", f"A segment is already named {name!r}."))


async def clients_of(uow: UnitOfWork, criteria: Criteria, sort: services.ClientSort, limit: int,
                     cursor: str | None) -> tuple[list[Client], str | None]:
    return await services._sorted_page(uow, matching(criteria), sort, limit, cursor)


@dataclass(frozen=True)
class Exported:
    client: Client
    orders: int
    spent: Decimal


async def stream(session: AsyncSession, criteria: Criteria, batch: int = 500) -> AsyncIterator[Exported]:
    """The matching clients in creation order with their order figures, read batch by batch."""
    orders = (select(func.count()).where(OrderRecord.client_id == Client.id, OrderRecord.status.not_in(NOT_BOOKED))
              .scalar_subquery())
    spent = (select(func.coalesce(func.sum(OrderRecord.total), ZERO))
             .where(OrderRecord.client_id == Client.id, OrderRecord.status == "validated").scalar_subquery())
    stmt = (select(Client, orders, spent).where(*conditions(criteria))
            .order_by(Client.created_at, Client.id).execution_options(yield_per=batch))
    async for client, count, total in await session.stream(stmt):
        yield Exported(client, count, total)
