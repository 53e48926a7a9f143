"""Organisers, the master entity's commercial settings, and their effective values for orders."""
from datetime import datetime
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.problems import Problem
from stock import organisers
from stock.api.amounts import Percent, Price
from stock.domain.organisers import Fees
from stock.tables import MasterSettings, Organiser

router = APIRouter(tags=["organisers"])


class OrganiserIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Les Colos du Rhône"])
    is_master: bool = Field(False, description="The master entity invoices every sale; there is exactly one.")
    individual_fee: Price | None = Field(None, examples=["15.00"],
                                         description="Individual membership fee; null when none is charged.")
    family_fee: Price | None = Field(None, examples=["20.00"],
                                     description="Family membership fee (>= individual); null for individual only.")


class OrganiserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200, pattern=r"\S")
    individual_fee: Price | None = None
    family_fee: Price | None = None


class OrganiserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str
    is_master: bool
    individual_fee: Money | None
    family_fee: Money | None
    created_at: datetime


class SettingsPatch(BaseModel):
    """The master entity's rules (Configuration > Entité maître, Gestion > Stock); omitted fields keep their value."""

    model_config = ConfigDict(extra="forbid")
    membership_enabled: bool | None = None
    membership_managed_by: Literal["master", "organiser"] | None = None
    membership_year: Literal["calendar", "rolling"] | None = None
    deposit_percent: Percent | None = None
    late_threshold_days: int | None = Field(None, ge=0, le=365)
    late_percent: Percent | None = None
    other_means_when_late: bool | None = None
    return_city_variation_percent: Percent | None = None
    option_days: int | None = Field(None, ge=0, le=365)
    expired_option_days: int | None = Field(None, ge=0, le=365)


class SettingsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    organiser_id: UUID
    membership_enabled: bool
    membership_managed_by: Literal["master", "organiser"]
    membership_year: Literal["calendar", "rolling"]
    deposit_percent: Money
    late_threshold_days: int
    late_percent: Money
    other_means_when_late: bool
    return_city_variation_percent: Money
    option_days: int
    expired_option_days: int


class MembershipOut(BaseModel):
    managed_by: Literal["master", "organiser"]
    scope_organiser_id: UUID = Field(description="The organiser whose membership cycle counts.")
    scope_name: str = Field(description="Its name, as the fee's label on an order names it.")
    individual_fee: Money
    family_fee: Money | None
    year: Literal["calendar", "rolling"]


class DepositOut(BaseModel):
    percent: Money
    late_threshold_days: int
    late_percent: Money
    other_means_when_late: bool


class CommercialSettingsOut(BaseModel):
    organiser_id: UUID
    master_organiser_id: UUID
    membership: MembershipOut | None = Field(description="Null when no membership is charged for this organiser.")
    deposit: DepositOut
    return_city_variation_percent: Money
    option_days: int
    expired_option_days: int


@router.post("/organisers", status_code=201, summary="Create an organiser, or the master entity.",
             responses={409: {"description": "master_exists, family_fee_below_individual, ..."}})
async def create_organiser(body: OrganiserIn, request: Request, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> OrganiserOut:
        organiser = await organisers.create_organiser(
            uow, body.name, body.is_master, Fees(body.individual_fee, body.family_fee),
            request.app.state.settings.return_city_variation_percent,
        )
        return OrganiserOut.model_validate(organiser)

    return await once(uow, key, "stock:create_organiser", create)


@router.get("/organisers", summary="List organisers.")
async def list_organisers(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[OrganiserOut]:
    rows, next_cursor = await keyset_page(uow.session, select(Organiser), Organiser.created_at, Organiser.id,
                                          limit, cursor)
    return Page(items=[OrganiserOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/organisers/{organiser_id}", summary="One organiser.")
async def get_organiser(organiser_id: UUID, uow: UoW, _: BackOffice) -> OrganiserOut:
    return OrganiserOut.model_validate(await organisers.get_organiser(uow, organiser_id))


@router.patch("/organisers/{organiser_id}", summary="Rename an organiser or change its membership fees.")
async def update_organiser(organiser_id: UUID, body: OrganiserPatch, uow: UoW, _: Staff) -> OrganiserOut:
    changes = body.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        raise Problem(422, "invalid_request", "Invalid request", "name cannot be null; a fee can (no fee).")
    organiser = await organisers.update_organiser(uow, organiser_id, changes)
    await uow.commit()
    return OrganiserOut.model_validate(organiser)


@router.delete("/organisers/{organiser_id}", status_code=204,
               summary="Delete an organiser that runs no stay; never the master entity.")
async def delete_organiser(organiser_id: UUID, uow: UoW, _: Staff) -> Response:
    await organisers.delete_organiser(uow, organiser_id)
    await uow.commit()
    return Response(status_code=204)


@router.get("/organisers/{organiser_id}/settings", summary="The master entity's commercial rules.",
            responses={409: {"description": "not_master_entity: only the master entity has these rules."}})
async def get_settings(organiser_id: UUID, uow: UoW, _: BackOffice) -> SettingsOut:
    return SettingsOut.model_validate(await organisers.master_settings(uow, organiser_id))


@router.patch("/organisers/{organiser_id}/settings", summary="Change the master entity's commercial rules.")
async def update_settings(organiser_id: UUID, body: SettingsPatch, uow: UoW, _: Staff) -> SettingsOut:
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    settings: MasterSettings = await organisers.update_settings(uow, organiser_id, changes)
    await uow.commit()
    return SettingsOut.model_validate(settings)


@router.get("/organisers/{organiser_id}/commercial-settings",
            summary="The rules orders applies to this organiser's stays, with what the master entity manages resolved.")
async def commercial_settings(organiser_id: UUID, uow: UoW, _: BackOffice) -> CommercialSettingsOut:
    found = await organisers.commercial_settings(uow, organiser_id)
    rules, member = found.rules, found.membership
    return CommercialSettingsOut(
        organiser_id=found.organiser_id, master_organiser_id=found.master_organiser_id,
        membership=None if member is None else MembershipOut(
            managed_by=member.managed_by.value, scope_organiser_id=member.scope_organiser_id,
            scope_name=found.membership_scope_name or "",
            individual_fee=member.individual_fee, family_fee=member.family_fee, year=member.year.value),
        deposit=DepositOut(percent=rules.deposit_percent, late_threshold_days=rules.late_threshold_days,
                           late_percent=rules.late_percent, other_means_when_late=rules.other_means_when_late),
        return_city_variation_percent=rules.return_city_variation_percent, option_days=rules.option_days,
        expired_option_days=rules.expired_option_days,
    )
