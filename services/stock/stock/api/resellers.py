"""Resellers: their default markup and "all offers" flag, and the departures assigned to them."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import Problem
from stock import resellers
from stock.tables import Assignment, Departure, Reseller

router = APIRouter(tags=["resellers"])


def _markup(default: Any = ...) -> Any:
    return Field(default, ge=0, le=1000, decimal_places=2, examples=["12.50"],
                 description="Percentage added to the producer's prices for this reseller.")


class ResellerIn(BaseModel):
    client_id: UUID = Field(description="The reseller's client id (clients service).")
    name: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Mairie de Villeurbanne"])
    markup_percent: Decimal = _markup(Decimal(0))
    all_offers: bool = Field(False, description="Every departure is assigned to it, each night.")


class ResellerPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200, pattern=r"\S")
    markup_percent: Decimal | None = _markup(None)
    all_offers: bool | None = None


class ResellerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    client_id: UUID
    name: str
    markup_percent: Money
    all_offers: bool
    created_at: datetime


class AssignIn(BaseModel):
    """Exactly one of: departure_ids, stay_id, all."""

    departure_ids: list[UUID] = Field([], max_length=500)
    stay_id: UUID | None = None
    all: bool = False
    markup_percent: Decimal | None = _markup(None)

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
    markup_percent: Decimal = _markup()


def _assignment(assignment: Assignment, departure: Departure) -> AssignmentOut:
    return AssignmentOut(departure_id=departure.id, stay_id=departure.stay_id, start_date=departure.start_date,
                         end_date=departure.end_date, markup_percent=assignment.markup_percent,
                         assigned_at=assignment.assigned_at)


@router.post("/resellers", status_code=201, summary="Record a reseller client's markup and all-offers flag.",
             responses={409: {"description": "reseller_exists"}})
async def create_reseller(body: ResellerIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> ResellerOut:
        reseller = await resellers.create_reseller(uow, body.client_id, body.name, body.markup_percent,
                                                   body.all_offers)
        return ResellerOut.model_validate(reseller)

    return await once(uow, key, "stock:create_reseller", create)


@router.get("/resellers", summary="List resellers.")
async def list_resellers(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[ResellerOut]:
    rows, next_cursor = await keyset_page(uow.session, select(Reseller), Reseller.created_at, Reseller.client_id,
                                          limit, cursor)
    return Page(items=[ResellerOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/resellers/{client_id}", summary="One reseller.")
async def get_reseller(client_id: UUID, uow: UoW, _: BackOffice) -> ResellerOut:
    return ResellerOut.model_validate(await resellers.get_reseller(uow, client_id))


@router.patch("/resellers/{client_id}", summary="Change a reseller's default markup, name or all-offers flag.")
async def update_reseller(client_id: UUID, body: ResellerPatch, uow: UoW, _: Staff) -> ResellerOut:
    changes = body.model_dump(exclude_unset=True)
    if any(value is None for value in changes.values()):
        raise Problem(422, "invalid_request", "Invalid request", "A reseller's fields cannot be null.")
    reseller = await resellers.update_reseller(uow, client_id, changes)
    await uow.commit()
    return ResellerOut.model_validate(reseller)


@router.post("/resellers/{client_id}/assignments", status_code=200,
             summary="Assign departures to the reseller: some by id, every one of a stay, or all existing ones.")
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
