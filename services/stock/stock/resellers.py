"""Resellers and the departures assigned to them (seed 000, Onglet Revendeur).

A reseller is a professional client of the clients service: its markup and its "all offers" flag are on its client
record, and stock keeps them in its projection of clients' events (`clients` table). Seed 000: an offer can be
assigned to a professional client only, and only assigned departures are sold to it; so a professional client becomes
a reseller when departures are assigned to it or it has all offers. An assignment is made at a moment in time and
covers the departures that exist then; a reseller with "all offers" gets the departures created since by the nightly
job.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, exists, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from shared.db import UnitOfWork
from shared.events import ClientState
from shared.problems import DomainError, NotFound
from stock import services
from stock.tables import Assignment, Client, Departure

RESELLER = services.PROFESSIONAL & or_(Client.all_offers, exists().where(Assignment.reseller_id == Client.client_id))
"""A reseller: a professional client with all offers or assigned departures."""


async def record_client(uow: UnitOfWork, client: ClientState, deleted: bool) -> None:
    """Keep the client's kind and reseller terms as its newest state says; `deleted`: it went to clients' trash."""
    values = {"kind": client.kind, "name": client.display_name or client.company_name or str(client.client_id),
              "markup": client.markup, "all_offers": client.all_offers, "deleted": deleted}
    before = (await uow.session.execute(
        select(Client.kind, Client.name, Client.deleted).where(Client.client_id == client.client_id))).first()
    stmt = insert(Client).values(client_id=client.client_id, recorded_at=uow.clock.now(), **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[Client.client_id], set_=values))
    if before is not None and tuple(before) != (values["kind"], values["name"], deleted):
        await services.announce_departures(uow, _assigned_to(client.client_id))


def _assigned_to(reseller_id: UUID) -> Any:
    """The departures whose catalogue names the reseller (or would, once it is professional again)."""
    return select(Assignment.departure_id).where(Assignment.reseller_id == reseller_id)


def default_markup(client: Client) -> Decimal:
    return client.markup if client.markup is not None else Decimal("0.00")


async def get_reseller(uow: UnitOfWork, client_id: UUID) -> Client:
    reseller = await uow.session.scalar(select(Client).where(Client.client_id == client_id, RESELLER))
    if reseller is None:
        raise NotFound("reseller", client_id)
    return reseller


def resellers() -> Any:
    return select(Client).where(RESELLER)


async def _professional(uow: UnitOfWork, client_id: UUID) -> Client:
    """The client, known to stock and professional: a 404 when stock has not heard of it, a 409 otherwise."""
    client = await uow.session.get(Client, client_id)
    if client is None or client.deleted:
        raise NotFound("client", client_id)
    if client.kind != "professional":
        raise DomainError("reseller_not_professional",
                          f"Only a professional client can be a reseller; this one is {client.kind}. Change its kind "
                          "in the client record first.")
    return client


@dataclass(frozen=True)
class Scope:
    """Which departures an assignment covers: some by id, every one of a stay, or all of them."""

    departure_ids: tuple[UUID, ...] = ()
    stay_id: UUID | None = None
    everything: bool = False


async def assign(uow: UnitOfWork, client_id: UUID, scope: Scope, markup: Decimal | None) -> int:
    """Assign the departures existing now; those already assigned keep their markup. The number newly assigned."""
    reseller = await _professional(uow, client_id)
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
    return await _assign_from(uow, reseller, chosen, default_markup(reseller) if markup is None else markup)


async def _assign_from(uow: UnitOfWork, reseller: Client, departures: Any, markup: Decimal) -> int:
    rows = departures.add_columns(literal(reseller.client_id), literal(markup), literal(uow.clock.now()))
    stmt = insert(Assignment).from_select(["departure_id", "reseller_id", "markup_percent", "assigned_at"], rows)
    assigned = [row.departure_id for row in
                await uow.session.execute(stmt.on_conflict_do_nothing().returning(Assignment.departure_id))]
    await services.announce_departures(uow, assigned)
    return len(assigned)


async def unassign(uow: UnitOfWork, client_id: UUID, departure_id: UUID) -> None:
    removed = await uow.session.execute(delete(Assignment).where(
        Assignment.reseller_id == client_id, Assignment.departure_id == departure_id).returning(Assignment.departure_id))
    if removed.first() is None:
        raise NotFound("departure assigned to this reseller", departure_id)
    await services.announce_departures(uow, [departure_id])


async def change_markup(uow: UnitOfWork, client_id: UUID, departure_id: UUID, markup: Decimal) -> Assignment:
    await _professional(uow, client_id)
    assignment = await uow.session.scalar(
        update(Assignment).where(Assignment.reseller_id == client_id, Assignment.departure_id == departure_id)
        .values(markup_percent=markup).returning(Assignment), execution_options={"populate_existing": True})
    if assignment is None:
        raise NotFound("departure assigned to this reseller", departure_id)
    await services.announce_departures(uow, [departure_id])
    return assignment


async def assign_all_offers(uow: UnitOfWork) -> int:
    """Nightly: every reseller with "all offers" not yet served today gets every departure; the number assigned."""
    today: date = uow.clock.now().date()
    due = await uow.session.scalars(
        select(Client).where(services.PROFESSIONAL, Client.all_offers, or_(Client.all_offers_assigned_on.is_(None),
                                                                  Client.all_offers_assigned_on < today))
        .with_for_update(skip_locked=True))
    assigned = 0
    for reseller in due:
        assigned += await _assign_from(uow, reseller, select(Departure.id), default_markup(reseller))
        reseller.all_offers_assigned_on = today
    await uow.session.flush()
    return assigned
