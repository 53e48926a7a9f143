"""HTTP routes of client categories."""
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, StringConstraints

from clients import categories
from clients.record_models import NO_NUL
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["categories"])

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_NUL)]


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str
    created_at: datetime


@router.post("/categories", status_code=201, summary="Create a client category (409 when the name exists).")
async def create_category(body: CategoryIn, uow: UoW, _: Staff) -> CategoryOut:
    category = await categories.create(uow, body.name)
    await uow.commit()
    return CategoryOut.model_validate(category)


@router.get("/categories", summary="The client categories, in the order they were created.")
async def list_categories(uow: UoW, _: BackOffice, limit: Limit = 100, cursor: Cursor = None) -> Page[CategoryOut]:
    found, next_cursor = await categories.listed(uow, limit, cursor)
    return Page(items=[CategoryOut.model_validate(c) for c in found], next_cursor=next_cursor)


@router.delete("/categories/{category_id}", status_code=204,
               summary="Delete a category no client is in (409 `category_in_use` otherwise).")
async def delete_category(category_id: UUID, uow: UoW, _: Staff) -> None:
    await categories.delete(uow, category_id)
    await uow.commit()
