"""HTTP route of birthdays: who celebrates between two dates, the year ignored."""
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from clients import birthdays
from shared.app import UoW
from shared.auth import BackOffice
from shared.pagination import Cursor, Limit, Page

router = APIRouter(tags=["birthdays"])


class BirthdayOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kind: Literal["participant", "client"]
    id: UUID
    client_id: UUID
    last_name: str
    first_name: str
    birth_date: date
    birthday: date
    age: int


@router.get("/birthdays", summary="Participants whose birthday falls between two dates, the year ignored, in "
            "calendar order from the start; a range may cross the year's end and spans at most a year.")
async def list_birthdays(
    uow: UoW, _: BackOffice,
    start: Annotated[date, Query(examples=["2027-12-20"])],
    end: Annotated[date, Query(examples=["2028-01-10"])],
    limit: Limit = 50, cursor: Cursor = None,
) -> Page[BirthdayOut]:
    rows, next_cursor = await birthdays.birthdays(uow, start, end, limit, cursor)
    return Page(items=[BirthdayOut.model_validate(b) for b in rows], next_cursor=next_cursor)
