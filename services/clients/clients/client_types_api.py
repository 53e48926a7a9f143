"""HTTP routes of client types, the categories configured on top of the base kinds."""
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from clients import services
from clients.api import NO_NUL
from clients.domain.client_type import ClientTypeDetails
from clients.domain.record import Kind
from clients.record_models import not_null
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["client types"])
TypeName = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL, examples=["Revendeur"])]


class ClientTypeIn(BaseModel):
    """A new client type: its name, unique whatever the case, its base kind and its flags."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: TypeName
    kind: Kind = Field(examples=["professional"])
    front_office_account_allowed: bool = Field(
        False, description="A new client may pick this type when creating a front-office account.")
    front_office_ordering_allowed: bool = Field(
        True, description="Clients of this type may order on the front office; otherwise they call customer service.")
    documents_despite_incomplete_file: bool = Field(
        False, description="Departure documents may be downloaded despite an incomplete file or an unsettled order.")
    individual_membership_only: bool = Field(
        False, description="Membership is charged to every participant; no family membership.")
    no_membership_on_group_orders: bool = Field(
        False, description="Group orders show and charge no membership.")
    legal_guardian_accounts: bool = Field(False, description="Legal guardians of these clients get accounts.")


class ClientTypePatch(BaseModel):
    """The fields to change; the kind only while no client has the type."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: TypeName | None = None
    kind: Kind | None = None
    front_office_account_allowed: bool | None = None
    front_office_ordering_allowed: bool | None = None
    documents_despite_incomplete_file: bool | None = None
    individual_membership_only: bool | None = None
    no_membership_on_group_orders: bool | None = None
    legal_guardian_accounts: bool | None = None

    _required = field_validator("*")(not_null)


class ClientTypeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str
    kind: Kind
    front_office_account_allowed: bool
    front_office_ordering_allowed: bool
    documents_despite_incomplete_file: bool
    individual_membership_only: bool
    no_membership_on_group_orders: bool
    legal_guardian_accounts: bool
    created_at: datetime
    updated_at: datetime


@router.post("/client-types", status_code=201, response_model=ClientTypeOut, summary="Create a client type.")
async def create_client_type(body: ClientTypeIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> ClientTypeOut:
        details = ClientTypeDetails(**body.model_dump())
        return ClientTypeOut.model_validate(await services.create_client_type(uow, details))

    return await once(uow, key, "clients:create_client_type", create)


@router.get("/client-types", summary="The client types, optionally of one kind.")
async def list_client_types(
    uow: UoW,
    _: BackOffice,
    kind: Annotated[Kind | None, Query(description="Only types of this kind.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ClientTypeOut]:
    rows, next_cursor = await services.list_client_types(uow, kind, limit, cursor)
    return Page(items=[ClientTypeOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/client-types/{client_type_id}", summary="One client type.")
async def get_client_type(client_type_id: UUID, uow: UoW, _: BackOffice) -> ClientTypeOut:
    return ClientTypeOut.model_validate(await services.get_client_type(uow, client_type_id))


@router.patch("/client-types/{client_type_id}", summary="Rename a client type or change its flags.")
async def update_client_type(client_type_id: UUID, body: ClientTypePatch, uow: UoW, _: Staff) -> ClientTypeOut:
    client_type = await services.update_client_type(uow, client_type_id, body.model_dump(exclude_unset=True))
    await uow.commit()
    return ClientTypeOut.model_validate(client_type)
