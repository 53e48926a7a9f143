"""HTTP routes of custom fields: their definitions (configuration) and their values on clients."""
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from clients import custom_field_services as custom
from clients.domain.custom_fields import Definition, FieldType
from clients.record_models import NO_NUL, not_null
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["custom fields"])
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL, examples=["Latéralité"])]
Options = Annotated[list[Annotated[str, Field(max_length=200, pattern=NO_NUL)]],
                    Field(max_length=100, examples=[["Droitier", "Gaucher"]])]


class CustomFieldIn(BaseModel):
    """A field of the client record: text, number, date, yes/no, or a list of values (its options)."""

    model_config = ConfigDict(extra="forbid")
    name: Name
    type: FieldType
    position: int = Field(0, ge=0, le=10_000, description="Fields show in increasing position.")
    options: Options = []


class CustomFieldPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    type: FieldType | None = None
    position: int | None = Field(None, ge=0, le=10_000)
    options: Options | None = None

    _required = field_validator("*")(not_null)


class CustomFieldOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str
    type: FieldType
    position: int
    options: list[str]
    created_at: datetime
    updated_at: datetime


class ValueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Annotated[str | bool | int | float | None, Field(
        description="Of the field's type: text, number, ISO date, true/false, one of the options; null clears.")]


class ValueOut(BaseModel):
    field_id: UUID
    name: str
    type: FieldType
    value: Any


@router.post("/custom-fields", status_code=201, response_model=CustomFieldOut, summary="Define a custom field.")
async def define(body: CustomFieldIn, uow: UoW, _: Staff, key: IdempotencyKey = None):
    async def create() -> CustomFieldOut:
        field = await custom.define(uow, Definition(**{**body.model_dump(), "options": tuple(body.options)}))
        return CustomFieldOut.model_validate(field)

    return await once(uow, key, "clients:define_custom_field", create)


@router.get("/custom-fields", summary="The custom fields, in their order.")
async def list_fields(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[CustomFieldOut]:
    rows, next_cursor = await custom.list_fields(uow, limit, cursor)
    return Page(items=[CustomFieldOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.patch("/custom-fields/{field_id}", summary="Rename, reorder, retype a custom field or change its options.")
async def redefine(field_id: UUID, body: CustomFieldPatch, uow: UoW, _: Staff) -> CustomFieldOut:
    patch = body.model_dump(exclude_unset=True)
    if "options" in patch:
        patch["options"] = tuple(patch["options"])
    field = await custom.redefine(uow, field_id, patch)
    await uow.commit()
    return CustomFieldOut.model_validate(field)


@router.get("/clients/{client_id}/custom-fields", summary="Every custom field with this client's value (or null).")
async def client_values(client_id: UUID, uow: UoW, _: BackOffice, limit: Limit = 50,
                        cursor: Cursor = None) -> Page[ValueOut]:
    rows, next_cursor = await custom.client_values(uow, client_id, limit, cursor)
    return Page(items=[ValueOut(field_id=f.id, name=f.name, type=f.type, value=v) for f, v in rows],
                next_cursor=next_cursor)


@router.put("/clients/{client_id}/custom-fields/{field_id}", summary="Set (or clear) a client's custom value.")
async def set_value(client_id: UUID, field_id: UUID, body: ValueIn, uow: UoW, _: Staff) -> ValueOut:
    field, value = await custom.set_value(uow, client_id, field_id, body.value)
    await uow.commit()
    return ValueOut(field_id=field.id, name=field.name, type=field.type, value=value)
