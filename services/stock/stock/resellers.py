"""Resellers and the departures assigned to them (seed 000, Onglet Revendeur).

Stock keeps its own small record of each reseller client (default markup, "all offers" flag), managed
through its API: clients' events do not carry those commercial terms, and stock needs them at the
moment it prices or holds. An assignment is made at a moment in time and covers the departures that
exist then; a reseller with "all offers" gets the departures created since by the nightly job.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from shared.db import UnitOfWork
from shared.problems import DomainError, NotFound
from stock import services
from stock.tables import Assignment, Departure, Reseller


async def create_reseller(uow: UnitOfWork, client_id: UUID, name: str, markup: Decimal, all_offers: bool) -> Reseller:
    """One insert that loses quietly to a concurrent one for the same client."""
    stmt = insert(Reseller).values(client_id=client_id, name=name.strip(), markup_percent=markup,
                                   all_offers=all_offers, created_at=uow.clock.now())
    reseller = await uow.session.scalar(stmt.on_conflict_do_nothing().returning(Reseller))
    if reseller is None:
        raise DomainError("reseller_exists", "This client is already a reseller in stock.")
    return reseller


async def get_reseller(uow: UnitOfWork, client_id: UUID) -> Reseller:
    reseller = await uow.session.get(Reseller, client_id)
    if reseller is None:
        raise NotFound("reseller", client_id)
    return reseller


async def update_reseller(uow: UnitOfWork, client_id: UUID, changes: dict[str, Any]) -> Reseller:
    """The default markup applies to departures assigned from now on; assigned ones keep theirs."""
    reseller = await get_reseller(uow, client_id)
    for name, value in changes.items():
        setattr(reseller, name, value.strip() if name == "name" else value)
    await uow.session.flush()
    return reseller


@dataclass(frozen=True)
class Scope:
    """Which departures an assignment covers: some by id, every one of a stay, or all of them."""

    departure_ids: tuple[UUID, ...] = ()
    stay_id: UUID | None = None
    everything: bool = False


async def assign(uow: UnitOfWork, client_id: UUID, scope: Scope, markup: Decimal | None) -> int:
    """Assign the departures existing now; those already assigned keep their markup. The number newly assigned."""
    reseller = await get_reseller(uow, client_id)
    chosen = select(Departure.id)
    if scope.stay_id is not None:
        await services.get_stay(uow, scope.stay_id)
        chosen = chosen.where(Departure.stay_id == scope.stay_id)
    elif not scope.everything:
        found = set(await uow.session.scalars(chosen.where(Departure.id.in_(scope.departure_ids))))
        missing = [d for d in scope.departure_ids if d not in found]
        if missing:
            raise NotFound("departure", missing[0])
        chosen = chosen.where(Departure.id.in_(scope.departure_ids))
    return await _assign_from(uow, reseller, chosen, reseller.markup_percent if markup is None else markup)


async def _assign_from(uow: UnitOfWork, reseller: Reseller, departures: Any, markup: Decimal) -> int:
    rows = departures.add_columns(literal(reseller.client_id), literal(markup), literal(uow.clock.now()))
    stmt = insert(Assignment).from_select(["departure_id", "reseller_id", "markup_percent", "assigned_at"], rows)
    result = await uow.session.execute(stmt.on_conflict_do_nothing().returning(Assignment.departure_id))
    return len(result.all())


async def unassign(uow: UnitOfWork, client_id: UUID, departure_id: UUID) -> None:
    await get_reseller(uow, client_id)
    removed = await uow.session.execute(delete(Assignment).where(
        Assignment.reseller_id == client_id, Assignment.departure_id == departure_id).returning(Assignment.departure_id))
    if removed.first() is None:
        raise NotFound("departure assigned to this reseller", departure_id)


async def change_markup(uow: UnitOfWork, client_id: UUID, departure_id: UUID, markup: Decimal) -> Assignment:
    await get_reseller(uow, client_id)
    assignment = await uow.session.scalar(
        update(Assignment).where(Assignment.reseller_id == client_id, Assignment.departure_id == departure_id)
        .values(markup_percent=markup).returning(Assignment), execution_options={"populate_existing": True})
    if assignment is None:
        raise NotFound("departure assigned to this reseller", departure_id)
    return assignment


async def assign_all_offers(uow: UnitOfWork) -> int:
    """Nightly: every reseller with "all offers" not yet served today gets every departure; the number assigned."""
    today: date = uow.clock.now().date()
    due = await uow.session.scalars(
        select(Reseller).where(Reseller.all_offers, or_(Reseller.all_offers_assigned_on.is_(None),
                                                        Reseller.all_offers_assigned_on < today))
        .with_for_update(skip_locked=True))
    assigned = 0
    for reseller in due:
        assigned += await _assign_from(uow, reseller, select(Departure.id), reseller.markup_percent)
        reseller.all_offers_assigned_on = today
    await uow.session.flush()
    return assigned

