"""Resellers: professional clients, with their terms from the clients service, and the departures assigned to them."""
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select

from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from stock import resellers
from stock.api.amounts import Percent
from stock.tables import Assignment, Client, Departure

router = APIRouter(tags=["resellers"])
MARKUP = "Percentage added to the producer's prices for this reseller; the client's markup when absent."


class ResellerOut(BaseModel):
    """A reseller as the clients service describes it (name, markup, all offers: change them on the client record)."""

    client_id: UUID
    name: str
    markup_percent: Money = Field(description="The markup of the departures assigned from now on.")
    all_offers: bool = Field(description="Every departure is assigned to it, each night.")
    recorded_at: datetime = Field(description="When stock first learnt of the client.")

    @classmethod
    def of(cls, client: Client) -> "ResellerOut":
        return cls(client_id=client.client_id, name=client.name, markup_percent=resellers.default_markup(client),
                   all_offers=client.all_offers, recorded_at=client.recorded_at)


class AssignIn(BaseModel):
    """Exactly one of: departure_ids, stay_id, all."""

    departure_ids: list[UUID] = Field([], max_length=500)
    stay_id: UUID | None = None
    all: bool = False
    markup_percent: Percent | None = Field(None, description=MARKUP, examples=["12.50"])

    @model_validator(mode="after")
    def one_scope(self) -> "AssignIn":
        if sum((bool(self.departure_ids), self.stay_id is not None, self.all)) != 1:
            raise ValueError("give exactly one of departure_ids, stay_id or all")
        return self


class AssignedOut(BaseModel):
    assigned: int = Field(description="Departures newly assigned; those already assigned keep their markup.")


class AssignmentOut(BaseModel):
    departure_id: UUID
    stay_id: UUID
    start_date: date
    end_date: date
    markup_percent: Money
    assigned_at: datetime


class MarkupIn(BaseModel):
    markup_percent: Percent = Field(description="Percentage added to the producer's prices for this reseller.",
                                   examples=["12.50"])


def _assignment(assignment: Assignment, departure: Departure) -> AssignmentOut:
    return AssignmentOut(departure_id=departure.id, stay_id=departure.stay_id, start_date=departure.start_date,
                         end_date=departure.end_date, markup_percent=assignment.markup_percent,
                         assigned_at=assignment.assigned_at)


@router.get("/resellers", summary="List resellers: professional clients with assigned departures or all offers.")
async def list_resellers(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[ResellerOut]:
    rows, next_cursor = await keyset_page(uow.session, resellers.resellers(), Client.recorded_at, Client.client_id,
                                          limit, cursor)
    return Page(items=[ResellerOut.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/resellers/{client_id}", summary="One reseller; 404 for a client that is none.")
async def get_reseller(client_id: UUID, uow: UoW, _: BackOffice) -> ResellerOut:
    return ResellerOut.of(await resellers.get_reseller(uow, client_id))


@router.post("/resellers/{client_id}/assignments", status_code=200,
             summary="Assign departures to a professional client, which makes it a reseller: some by id, every one "
                     "of a stay, or all existing ones.",
             responses={404: {"description": "not_found: a client stock has not heard of, or a departure"},
                        409: {"description": "reseller_not_professional: only a professional client resells"}})
async def assign(client_id: UUID, body: AssignIn, uow: UoW, _: Staff) -> AssignedOut:
    scope = resellers.Scope(tuple(body.departure_ids), body.stay_id, body.all)
    assigned = await resellers.assign(uow, client_id, scope, body.markup_percent)
    await uow.commit()
    return AssignedOut(assigned=assigned)


@router.get("/resellers/{client_id}/assignments", summary="The departures the reseller may sell, with its markup.")
async def list_assignments(
    client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
) -> Page[AssignmentOut]:
    await resellers.get_reseller(uow, client_id)
    stmt = select(Assignment).where(Assignment.reseller_id == client_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, Assignment.assigned_at, Assignment.departure_id,
                                          limit, cursor)
    departures = {d.id: d for d in await uow.session.scalars(
        select(Departure).where(Departure.id.in_([a.departure_id for a in rows])))}
    return Page(items=[_assignment(a, departures[a.departure_id]) for a in rows], next_cursor=next_cursor)


@router.put("/resellers/{client_id}/assignments/{departure_id}/markup",
            summary="Change the markup of one assigned departure.")
async def change_markup(client_id: UUID, departure_id: UUID, body: MarkupIn, uow: UoW, _: Staff) -> AssignmentOut:
    assignment = await resellers.change_markup(uow, client_id, departure_id, body.markup_percent)
    departure = await uow.session.get(Departure, departure_id)
    await uow.commit()
    return _assignment(assignment, departure)


@router.delete("/resellers/{client_id}/assignments/{departure_id}", status_code=204,
               summary="Withdraw a departure from the reseller.")
async def unassign(client_id: UUID, departure_id: UUID, uow: UoW, _: Staff) -> Response:
    await resellers.unassign(uow, client_id, departure_id)
    await uow.commit()
    return Response(status_code=204)
